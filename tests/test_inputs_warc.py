"""factx.inputs.warc on WARC files written in the test with warcio's own writer."""

from __future__ import annotations

import gzip
import io
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from factx.inputs.html import read_html
from factx.inputs.warc import WarcError, WarcPage, read_warc

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (FIXTURES / "article.html").read_bytes()
WARC_DATE = "2023-03-15T06:00:00Z"


def _response(writer, uri, body, status="200 OK", content_type="text/html; charset=utf-8", headers=()):
    http = StatusAndHeaders(status, [("Content-Type", content_type), *headers], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": WARC_DATE},
    )
    writer.write_record(record)


def _crawl(stream, compress: bool) -> None:
    """A crawl as Common Crawl writes one: requests, responses of every kind, metadata."""
    writer = WARCWriter(stream, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    request = StatusAndHeaders("GET /port HTTP/1.1", [("Host", "ledger.example")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record("https://ledger.example/port", "request", http_headers=request)
    )
    _response(writer, "https://ledger.example/port", ARTICLE)
    _response(writer, "https://ledger.example/gone", b"<h1>Not found</h1>", status="404 Not Found")
    _response(
        writer, "https://ledger.example/moved", b"", status="301 Moved", headers=[("Location", "/port")]
    )
    _response(writer, "https://ledger.example/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    _response(
        writer,
        "https://ledger.example/gzipped",
        gzip.compress(b"<html><body><p>Gzipped page: 42 ships.</p></body></html>"),
        headers=[("Content-Encoding", "gzip")],
    )
    _response(
        writer, "https://ledger.example/xhtml", b"<html><p>x</p></html>", content_type="application/xhtml+xml"
    )
    writer.write_record(
        writer.create_warc_record(
            "https://ledger.example/port", "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n")
        )
    )


@pytest.fixture(params=[False, True], ids=["warc", "warc.gz"])
def crawl_file(request, tmp_path) -> Path:
    path = tmp_path / ("crawl.warc.gz" if request.param else "crawl.warc")
    with path.open("wb") as stream:
        _crawl(stream, compress=request.param)
    return path


def test_only_html_responses_with_status_200_are_pages(crawl_file):
    with crawl_file.open("rb") as stream:
        pages = list(read_warc(stream))

    assert [page.uri for page in pages] == [
        "https://ledger.example/port",
        "https://ledger.example/gzipped",
        "https://ledger.example/xhtml",
    ]
    assert pages[0] == WarcPage("https://ledger.example/port", date(2023, 3, 15), ARTICLE, "utf-8")
    assert (
        pages[1].body == b"<html><body><p>Gzipped page: 42 ships.</p></body></html>"
    )  # transfer gzip undone


def test_a_page_from_the_archive_reads_as_an_article(crawl_file):
    with crawl_file.open("rb") as stream:
        page = next(read_warc(stream))
    article = read_html(page.body, url=page.uri, charset=page.charset)

    assert article.date == date(2023, 3, 14)  # the page's own date, not the capture date
    assert "$2.4 billion expansion" in article.text


def test_an_oversized_page_is_skipped_with_a_reason_and_the_rest_read(tmp_path):
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=True)
    _response(writer, "https://a.example/huge", b"<p>" + b"x" * 5000)
    _response(writer, "https://a.example/small", b"<p>small</p>")
    stream.seek(0)

    pages = list(read_warc(stream, max_record_bytes=1000))
    assert [(page.uri, page.skipped, page.body) for page in pages] == [
        ("https://a.example/huge", "over the 1,000-byte limit", b""),
        ("https://a.example/small", None, b"<p>small</p>"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE,
        b"\x1f\x8b\x08\x00garbage",
        gzip.compress(b"hello world\n"),
    ],
    ids=["html-page", "bad-gzip", "gzipped-text"],
)
def test_a_file_that_is_not_a_warc_is_one_warc_error(data):
    with pytest.raises(WarcError) as caught:
        list(read_warc(io.BytesIO(data)))
    assert "\n" not in str(caught.value)


def test_a_file_cut_short_yields_the_pages_before_the_cut():
    stream = io.BytesIO()
    _crawl(stream, compress=True)
    data = stream.getvalue()
    members = [i for i in range(len(data)) if data.startswith(b"\x1f\x8b\x08", i)]  # one gzip member a record
    cut = data[: members[4] + 40]  # inside the gzipped page's record

    assert [page.uri for page in read_warc(io.BytesIO(cut))] == ["https://ledger.example/port"]


def test_warcio_warnings_about_damaged_records_stay_off_stderr(capsys):
    stream = io.BytesIO()
    _crawl(stream, compress=False)
    data = stream.getvalue()
    length = re.search(rb"Content-Length: (\d+)\r\n(?=(?:[^\r\n]+\r\n)*\r\nHTTP/1.1 200)", data)
    damaged = data[: length.start(1)] + str(int(length.group(1)) - 30).encode() + data[length.end(1) :]

    try:
        list(read_warc(io.BytesIO(damaged)))
    except WarcError:
        pass
    assert capsys.readouterr().err == ""


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=2000), st.booleans())
def test_fuzz_read_warc_gives_pages_or_one_warc_error(noise, position, compress):
    """Random bytes, and a real crawl with random bytes written over part of it."""
    stream = io.BytesIO()
    _crawl(stream, compress)
    data = bytearray(stream.getvalue())
    data[position : position + len(noise)] = noise
    for candidate in (noise, bytes(data)):
        try:
            pages = list(read_warc(io.BytesIO(candidate), max_record_bytes=100_000))
        except WarcError as error:
            assert "\n" not in str(error)
        else:
            assert all(isinstance(page.body, bytes) and len(page.body) <= 100_000 for page in pages)
