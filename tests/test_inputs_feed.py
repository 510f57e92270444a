"""factx.inputs.feed: RSS 2.0, RSS 1.0 and Atom feeds, and XML attacks refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factx.inputs.feed import FeedEntry, FeedError, read_feed

FIXTURES = Path(__file__).parent / "fixtures"


def test_rss2_links_titles_dates_permalink_guid_relative_links_and_repeats():
    entries = read_feed(
        (FIXTURES / "feed-rss2.xml").read_bytes(), base_url="https://ledger.example/feeds/biz"
    )

    assert entries == [
        FeedEntry(
            "https://ledger.example/2023/03/port-expansion",
            "Harbour Board Approves 2.4 Billion Dollar Port Expansion",
            date(2023, 3, 14),
        ),
        # no <link>: the permalink guid; the Dublin Core date in its own time zone
        FeedEntry(
            "https://ledger.example/2023/03/ferry-fares", "Ferry fares rise 12 percent", date(2023, 3, 13)
        ),
        FeedEntry("https://ledger.example/2023/03/relative", "Relative link, no date", None),
        # the mailto: entry and the repeated link are left out
    ]


def test_rss1_rdf():
    entries = read_feed((FIXTURES / "feed-rss1.rdf").read_bytes())

    assert [(entry.link, entry.date) for entry in entries] == [
        ("https://farmwire.example/harvest-estimates", date(2022, 7, 5)),
        ("https://farmwire.example/storage", None),
    ]


def test_atom_alternate_link_published_date_and_html_title():
    entries = read_feed((FIXTURES / "feed-atom.xml").read_bytes(), base_url="https://courier.example/")

    assert entries[0] == FeedEntry(
        "https://courier.example/2024/01/budget", "Council budget grows 6 percent", date(2024, 1, 8)
    )  # rel="self" is not the article; published wins over updated, in the writer's zone
    assert entries[1] == FeedEntry(
        "https://courier.example/2024/01/library", "Library reopens", date(2024, 1, 7)
    )


def test_old_rss_with_a_doctype_is_read():
    feed = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        b"<item><title>T</title><link>https://a.example/x</link></item></channel></rss>"
    )
    assert [entry.link for entry in read_feed(feed)] == ["https://a.example/x"]


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"]>\n<rss><channel><item><title>&lol9;</title><link>https://a.example/</link></item></channel></rss>"
)


def test_billion_laughs_is_refused_not_expanded():
    with pytest.raises(FeedError, match="declares XML entities"):
        read_feed(BILLION_LAUGHS)


def test_external_entities_are_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    for declaration in (
        f'<!ENTITY xxe SYSTEM "file://{secret}">',
        f'<!ENTITY % remote SYSTEM "file://{secret}"> %remote;',
    ):
        feed = (
            f'<?xml version="1.0"?><!DOCTYPE rss [{declaration}]>'
            "<rss><channel><item><title>&xxe;</title><link>https://a.example/</link></item></channel></rss>"
        )
        with pytest.raises(FeedError) as caught:
            read_feed(feed.encode())
        assert "TOP-SECRET-VALUE" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML"),
        (b"\x00\xff\xfe binary", "not well-formed XML"),
        (b"<html><body><p>a page</p></body></html>", "not an RSS or Atom feed (root element html)"),
        (b"<rss><channel><item><title>cut", "not well-formed XML"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "not well-formed XML"),
        ("<rss>\ud800</rss>", "not well-formed XML"),
    ],
)
def test_what_is_not_a_feed_is_one_feed_error(data, message):
    with pytest.raises(FeedError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        read_feed(data)
    assert "\n" not in str(caught.value)


def test_a_link_that_is_not_a_url_is_left_out():
    feed = "<rss><channel><item><link>http://[broken/a</link></item><item><link>https://a.example/b</link></item></channel></rss>"
    assert [entry.link for entry in read_feed(feed)] == ["https://a.example/b"]


def test_a_feed_without_entries_is_empty_not_an_error():
    assert read_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>') == []


_FEED_PARTS = st.sampled_from(
    [
        "<rss>",
        "</rss>",
        "<channel>",
        "<item>",
        "</item>",
        "<link>",
        "</link>",
        "https://a.example/x",
        "<pubDate>",
        "</pubDate>",
        "Tue, 14 Mar 2023 08:30:00 +0000",
        "<guid isPermaLink='false'>",
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<entry>",
        '<link href="',
        '"/>',
        "<published>2024-13-40T99:00:00Z</published>",
        '<!DOCTYPE x [<!ENTITY a "b">]>',
        "&a;",
        "&amp;",
        "http://[",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.binary(max_size=500), st.lists(_FEED_PARTS | st.text(max_size=20), max_size=40).map("".join))
)
def test_fuzz_read_feed_gives_entries_or_one_feed_error(data):
    try:
        entries = read_feed(data, base_url="https://base.example/")
    except FeedError as error:
        assert "\n" not in str(error)
    else:
        assert all(entry.link.startswith(("http://", "https://")) for entry in entries)
