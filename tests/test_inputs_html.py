"""factx.inputs.html: the main text, title and date of HTML pages, and hostile pages."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factx.inputs.html import PARAGRAPH_BREAK, Article, read_html
from factx.layout import soft_breaks

FIXTURES = Path(__file__).parent / "fixtures"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _visible_article_numbers(page: str, start: str, end: str) -> list[str]:
    """The numbers a reader sees in the article part of a fixture page (between two
    markers of its source), tags left out."""
    body = page[page.index(start) : page.index(end)]
    return NUMBER.findall(re.sub(r"<[^>]*>|&#\d+;", " ", body))


def test_article_text_title_and_date():
    page = (FIXTURES / "article.html").read_bytes()
    article = read_html(page, url="https://ledger.example/2023/03/port-expansion")

    assert article.title == "Harbour Board Approves 2.4 Billion Dollar Port Expansion"
    assert article.date == date(2023, 3, 14)
    assert article.url == "https://ledger.example/2023/03/port-expansion"
    assert "approved a $2.4 billion expansion of the port" in article.text
    # navigation, ads, related links, footer and cookie notice are not the article
    for boilerplate in ("Subscribe now", "Sport", "Related stories", "Ferry fares", "All rights", "cookies"):
        assert boilerplate not in article.text
    # every figure of the article's paragraphs is kept
    source = page.decode()
    for number in _visible_article_numbers(source, "<p>WESTHAVEN", "<aside"):
        assert number in article.text


def test_paragraphs_are_separated_by_blank_lines_and_not_read_as_soft_wraps():
    article = read_html((FIXTURES / "article.html").read_bytes())
    paragraphs = article.text.split(PARAGRAPH_BREAK)

    assert len(paragraphs) == 5  # the headline and four paragraphs
    assert paragraphs[1].startswith("WESTHAVEN - The Westhaven Harbour Board")
    assert all("\n" not in paragraph for paragraph in paragraphs)  # the page's own wraps are gone
    assert soft_breaks(article.text) == []


def test_tables_lists_json_ld_date_and_a_declared_charset():
    page = (FIXTURES / "article-table.html").read_bytes()  # windows-1252, declared in a meta tag
    article = read_html(page)

    assert article.date == date(2022, 7, 5)  # from JSON-LD datePublished
    assert article.title == "Grain harvest estimates cut after dry spring"
    paragraphs = article.text.split(PARAGRAPH_BREAK)
    assert "North | 9.8 | -4%" in paragraphs  # one table row per paragraph
    assert "Storage subsidies of 15 euros a tonne start on 1 August." in paragraphs  # one list item
    assert "Café owners" in article.text and "\u201cWe lost almost half" in article.text
    for boilerplate in ("tractor", "Log in", "cheap loans", "Newsletter"):
        assert boilerplate not in article.text
    source = page.decode("cp1252")
    for number in _visible_article_numbers(source, "<p>The agriculture", '<div class="comments">'):
        assert number in article.text


def test_a_line_break_inside_a_sentence_stays_a_soft_wrap():
    article = read_html((FIXTURES / "article-table.html").read_bytes())
    wrap = article.text.index("a loaf\nby the autumn") + len("a loaf")

    assert wrap in soft_breaks(article.text)  # the model reads one sentence across it


def test_invisible_characters_are_dropped_and_text_is_nfc():
    soft_hyphen, zero_width, acute = "\u00ad", "\u200b", "\u0301"
    sentence = (
        f"The re{soft_hyphen}gion exported 1{soft_hyphen}200 tonnes to Cafe{acute} Nord{zero_width}"
        " in 2021 \u202eevil\u202c. "
    )
    article = read_html(f"<html><body><article><p>{sentence * 5}</p></article></body></html>")

    assert "The region exported 1200 tonnes to Café Nord in 2021 evil." in article.text
    assert all(c.isprintable() for c in article.text.replace("\n", ""))


def test_charset_from_the_http_header_wins_over_guessing():
    text = (
        "<html><body><article><h1>Zürich budget</h1><p>"
        + "Zürich will spend 12 million francs on schools. " * 5
    )
    page = (text + "</p></article></body></html>").encode("latin-1")

    assert "Zürich will spend 12 million francs" in read_html(page, charset="iso-8859-1").text
    assert read_html(page, charset="no-such-charset").text  # an unknown name: trafilatura guesses


def test_a_date_only_in_the_running_text_is_not_taken():
    sentence = "The council met on 3 March 2021 and approved a budget of 40 million euros for roads. "
    page = (
        f"<html><head><title>Roads</title></head><body><article><p>{sentence * 4}</p></article></body></html>"
    )

    article = read_html(page)
    assert "40 million euros" in article.text
    assert article.date is None  # a date in the story is not the publication date


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"   ",
        b"\x00\x01\x02\xff\xfe binary \x00" * 100,
        b"<html><body><p>unclosed <b>bold <i>and <div>nested",
        b"<html><body>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</body></html>",
        b'<html><body><p title="' + b"x" * 2_000_000 + b'">huge attribute</p></body></html>',
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]><html>&b;</html>",
        "<html><body><p>\u202eright-to-left \x1b[2J escape \ud800 surrogate</p></body></html>",
    ],
    ids=[
        "empty",
        "blank",
        "binary",
        "malformed",
        "deeply-nested",
        "huge-attribute",
        "entities",
        "control-chars",
    ],
)
def test_hostile_pages_give_an_article_and_no_exception(page):
    article = read_html(page)

    assert isinstance(article, Article)
    assert isinstance(article.text, str)


def test_xml_bombs_and_external_entities_in_a_page_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    body = "<html><body><article><p>" + "The port handled 5 ships. " * 10 + "{}</p></article></body></html>"
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol0 "lol">{laughs}]>' + body.format("&lol9;")
    xxe = f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>' + body.format("&x;")

    assert len(read_html(bomb).text) < 10_000  # 10**9 "lol"s were never made
    assert "TOP-SECRET-VALUE" not in read_html(xxe).text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=3000),
        st.lists(
            st.sampled_from(
                ["<p>", "</p>", "<br>", "<table><tr><td>", "<li>", "<article>", "<h1>", "&amp;", "12.5"]
            )
            | st.text(max_size=40),
            max_size=80,
        ).map("".join),
    )
)
def test_fuzz_read_html_never_raises(page):
    article = read_html(page)
    assert "\n\n\n" not in article.text and article.text == article.text.strip()


def test_importing_the_readers_loads_none_of_their_libraries():
    """`factx show` and `--help` may import factx.inputs: the libraries load on first use."""
    code = (
        "import sys, factx.inputs.html, factx.inputs.fetch, factx.inputs.feed, factx.inputs.warc\n"
        "libraries = ('spacy', 'trafilatura', 'lxml', 'warcio', 'defusedxml')\n"
        "print(sorted(m for m in libraries if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == "[]"


def test_the_page_gives_the_same_facts_as_the_article_in_plain_text():
    """The same article saved as a web page (navigation, an ad, related links, a footer)
    and as hard-wrapped plain text: every fact and its value are the same."""
    import factx

    article = read_html((FIXTURES / "article.html").read_bytes())
    plain = (FIXTURES / "article.txt").read_text(encoding="utf-8")

    def facts(text):
        return sorted(
            (fact["type"], fact["text"], repr(fact["value"]))
            for fact in (f.to_dict() for f in factx.extract(text, doc_date=article.date))
        )

    from_page = facts(article.text)
    assert from_page == facts(plain)
    assert ("money", "$2.4 billion") in {fact[:2] for fact in from_page}
