"""Web inputs end to end through `factx extract`: saved pages, URLs served by a real local
HTTP server (http.server in a thread), feeds and WARC files written with warcio."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from factx.cli import main
from local_http import serving

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (FIXTURES / "article.html").read_bytes()
PAGE_DATE = "2023-03-14"  # the article's article:published_time
# The same kind of page without any stated date: its date must come from elsewhere.
UNDATED = b"""<!DOCTYPE html><html><head><title>Mill Closes</title></head><body><article>
<h1>Paper Mill Closes</h1>
<p>The Northfield paper mill will close next month, cutting 340 jobs, the owner said on Monday.
The mill produced 180,000 tonnes of paper last year and lost $12 million.</p>
</article></body></html>"""
FEED_DATE = "2023-04-02"


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>Sun, 02 Apr 2023 09:00:00 GMT</pubDate></item>"
        for title, path in (("Port", "/article.html"), ("Mill", "/undated.html"), ("Gone", "/missing"))
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>{items}</channel></rss>'.encode()


class _Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            pass

    def do_GET(self):
        self.requests.append(self.path)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/article.html":
            self._send(200, ARTICLE)
        elif self.path == "/undated.html":
            self._send(200, UNDATED)
        elif self.path == "/feed.xml":
            self._send(200, _feed(base), "application/rss+xml")
        elif self.path == "/not-a-feed.xml":
            self._send(200, b"<html><body>no feed here</body></html>", "text/xml")
        elif self.path == "/slow":
            time.sleep(2)  # after the shortened time limit
            self._send(200, ARTICLE)
        elif self.path == "/big":
            self._send(200, b"<p>" + b"x" * 200_000)
        else:
            self._send(404, b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server():
    with serving(_Handler) as base:
        yield base


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch):
    import factx.inputs.fetch

    monkeypatch.setattr(factx.inputs.fetch, "DEFAULT_TIMEOUT", 1.0)


def _extract(runner, *args: str):
    return runner.invoke(main, ["extract", "--format", "json", *args])


def _docs(runner, db: str) -> dict[str, dict]:
    result = runner.invoke(main, ["docs", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["doc"]: row for row in json.loads(result.stdout)}


def _offsets_hold(db: str) -> int:
    """Every stored fact's text is the stored document text at its offsets; how many facts."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            'SELECT f.text, f.start, f."end", d.text FROM facts f JOIN documents d ON d.id = f.document_id'
        ).fetchall()
    for text, start, end, source in rows:
        assert source[start:end] == text
    return len(rows)


def test_a_url_is_fetched_extracted_and_stored_under_its_normalized_url(runner, workdir, server):
    given = server.replace("http://", "HTTP://") + "/article.html#top"
    result = _extract(runner, given)

    assert result.exit_code == 0, result.stderr
    facts = json.loads(result.stdout)
    assert {fact["doc"] for fact in facts} == {given}
    assert any(fact["type"] == "money" and fact["value"]["amount"] == 2.4e9 for fact in facts)
    assert not any("Subscribe" in fact["sentence"] or "cookies" in fact["sentence"] for fact in facts)
    row = _docs(runner, "factx.db")[given]
    assert row["key"] == f"{server}/article.html"
    assert row["url"] == f"{server}/article.html"
    assert row["title"] == "Harbour Board Approves 2.4 Billion Dollar Port Expansion"
    assert row["doc_date"] == PAGE_DATE
    assert row["status"] == "stored"
    assert _offsets_hold("factx.db") == len(facts)


def test_an_unchanged_url_is_skipped_on_a_rerun_and_doc_date_wins(runner, workdir, server):
    url = f"{server}/article.html"
    first = _extract(runner, url)
    again = _extract(runner, url)

    assert again.exit_code == 0
    assert "1 unchanged" in again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
    dated = _extract(runner, "--doc-date", "2020-01-06", url)
    assert dated.exit_code == 0 and "0 unchanged" in dated.stderr  # another document date: run again
    assert _docs(runner, "factx.db")[url]["doc_date"] == "2020-01-06"
    tuesday = next(fact for fact in json.loads(dated.stdout) if fact["text"] == "Tuesday")
    assert tuesday["value"]["start"] == "2019-12-31"  # "approved on Tuesday": the one before Monday 6 January


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing", "HTTP 404"), ("/slow", "no answer within 1 s"), ("/big", "byte limit")],
)
def test_a_failed_fetch_is_one_line_and_a_failed_input_the_rest_processed(runner, workdir, server, path, reason):
    result = _extract(runner, "--max-bytes", "100000", f"{server}{path}", f"{server}/article.html")

    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if f"{server}{path}" in line]
    assert len(failures) == 1 and reason in failures[0] and "Traceback" not in result.stderr
    assert {fact["doc"] for fact in json.loads(result.stdout)} == {f"{server}/article.html"}


def test_a_feed_extracts_every_linked_article_dated_by_the_entry_when_the_page_is_not(runner, workdir, server):
    result = _extract(runner, "--feed", f"{server}/feed.xml")

    assert result.exit_code == 1  # the entry linking to a 404
    assert f"{server}/missing: cannot fetch: HTTP 404" in result.stderr
    rows = _docs(runner, "factx.db")
    assert set(rows) == {f"{server}/article.html", f"{server}/undated.html"}
    assert rows[f"{server}/article.html"]["doc_date"] == PAGE_DATE  # the page's own date first
    assert rows[f"{server}/undated.html"]["doc_date"] == FEED_DATE
    assert rows[f"{server}/undated.html"]["title"] == "Paper Mill Closes"
    monday = next(fact for fact in json.loads(result.stdout) if fact["text"] == "Monday")
    assert monday["value"]["start"] == "2023-03-27"  # the Monday before the feed entry's Sunday


def test_a_feed_file_and_a_feed_that_cannot_be_read(runner, workdir, server):
    Path("feed.xml").write_bytes(_feed(server))
    from_file = _extract(runner, "--no-store", "--feed", "feed.xml")
    assert {fact["doc"] for fact in json.loads(from_file.stdout)} == {f"{server}/article.html", f"{server}/undated.html"}

    broken = _extract(runner, "--no-store", "--feed", f"{server}/not-a-feed.xml", "--feed", "nowhere.xml")
    assert broken.exit_code == 1
    assert f"{server}/not-a-feed.xml: cannot read the feed: not an RSS or Atom feed" in broken.stderr
    assert "nowhere.xml: no such file or directory" in broken.stderr


def test_extract_needs_a_path_or_a_feed(runner, workdir):
    result = runner.invoke(main, ["extract"])
    assert result.exit_code == 2 and "--feed" in result.stderr


def test_html_files_named_or_found_with_glob(runner, workdir):
    Path("pages").mkdir()
    Path("pages/port.html").write_bytes(ARTICLE)
    Path("pages/mill.htm").write_bytes(UNDATED)
    Path("pages/notes.txt").write_text("The board met on Friday.", encoding="utf-8")

    named = _extract(runner, "pages/port.html")
    assert named.exit_code == 0
    row = _docs(runner, "factx.db")["pages/port.html"]
    assert (row["title"], row["doc_date"], row["status"]) == (
        "Harbour Board Approves 2.4 Billion Dollar Port Expansion", PAGE_DATE, "current")
    found = _extract(runner, "--glob", "*.htm*", "pages")
    assert {fact["doc"] for fact in json.loads(found.stdout)} == {"pages/port.html", "pages/mill.htm"}
    assert _offsets_hold("factx.db") > 0
    table = runner.invoke(main, ["docs"])
    assert "Paper Mill Closes" in table.stdout


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for uri, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2023-05-01T06:00:00Z"}))


def test_a_warc_file_gives_one_document_per_html_page(runner, workdir):
    write_warc(Path("crawl.warc.gz"), [
        ("https://Ledger.example/port#x", ARTICLE),
        ("https://ledger.example/mill", UNDATED),
        ("https://ledger.example/huge", b"<html><body><p>" + b"y" * 120_000 + b"</p></body></html>"),
    ])
    result = _extract(runner, "--max-bytes", "100000", "crawl.warc.gz")

    assert result.exit_code == 0, result.stderr  # the oversized page is a note, not a failure
    assert "https://ledger.example/huge: skipped: over the 100,000-byte limit" in result.stderr
    rows = _docs(runner, "factx.db")
    assert set(rows) == {"https://Ledger.example/port#x", "https://ledger.example/mill"}
    assert rows["https://Ledger.example/port#x"]["key"] == "https://ledger.example/port"
    assert rows["https://Ledger.example/port#x"]["doc_date"] == PAGE_DATE
    assert rows["https://ledger.example/mill"]["doc_date"] == "2023-05-01"  # the capture date
    assert _offsets_hold("factx.db") == len(json.loads(result.stdout))


def test_a_broken_warc_file_is_a_failed_input(runner, workdir):
    Path("broken.warc").write_bytes(b"<html>not an archive</html>")
    result = _extract(runner, "--no-store", "broken.warc")
    assert result.exit_code == 1
    assert "broken.warc: not a readable WARC file" in result.stderr


def test_commands_that_read_no_input_load_no_reader_library(workdir, runner):
    Path("page.html").write_bytes(UNDATED)
    assert runner.invoke(main, ["extract", "page.html"]).exit_code == 0
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom factx.cli import main\n"
        "for args in (['show'], ['docs'], ['--help'], ['extract', '--help']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "libraries = ('spacy', 'trafilatura', 'warcio', 'defusedxml')\n"
        "print(sorted(m for m in libraries if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_report_heads_a_page_with_its_title_and_its_url_as_escaped_text(runner, workdir, server):
    hostile = (b"<html><head><title>Port &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title></head><body>"
               b"<article><p>The port handled 1.6 million containers in 2022, the board said.</p></article></body></html>")
    Path("hostile.html").write_bytes(hostile)
    assert _extract(runner, "hostile.html", f"{server}/article.html").exit_code == 0

    page = runner.invoke(main, ["report", "-o", "-"]).stdout
    assert 'h">Harbour Board Approves 2.4 Billion Dollar Port Expansion</h3>' in page
    assert f'<p class="meta">{server}/article.html · {PAGE_DATE}' in page
    assert f'href="{server}' not in page  # the URL is text, never a link out of the report
    assert "Port &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</h3>" in page
    assert "<script>" not in page
