"""factx.inputs.fetch against a real local HTTP server (http.server in a thread), not a mock."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factx import __version__
from factx.inputs.feed import read_feed
from factx.inputs.fetch import FEED_TYPES, MAX_REDIRECTS, FetchError, fetch, is_url, normalized_url
from factx.inputs.html import read_html
from local_http import serving

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (FIXTURES / "article.html").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    user_agents: list[str] = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(
        self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8", **headers
    ):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(headers.pop("length", len(body))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE)
        elif path == "/feed.xml":
            self._send(200, (FIXTURES / "feed-rss2.xml").read_bytes(), "application/rss+xml")
        elif path == "/untyped":
            self._send(200, ARTICLE, content_type=None)
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        elif path == "/slow":
            time.sleep(3)  # answers after the client's time limit
            self._send(200, ARTICLE)
        elif path == "/drip":  # each byte in time, the whole far too late
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"<p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                pass
        elif path == "/declared-big":
            self._send(200, b"", length=50_000_000)
        elif path == "/streamed-big":  # no Content-Length: the cap is found while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>" + b"x" * 200_000)
        elif path == "/redirect":
            self._send(302, b"", Location="/article.html")
        elif path == "/loop":
            self._send(302, b"", Location="/loop")
        elif path == "/to-file":
            self._send(302, b"", Location="file:///etc/passwd")
        else:
            self._send(404, b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server():
    with serving(_Handler) as base:
        yield base


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def _failure(url: str, **options) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **options)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(url)
    return message


def test_a_page_is_fetched_with_factx_user_agent_and_read(server):
    fetched = fetch(f"{server}/article.html")

    assert fetched.body == ARTICLE
    assert (fetched.content_type, fetched.charset) == ("text/html", "utf-8")
    assert _Handler.user_agents[-1].startswith(f"factx/{__version__}")
    article = read_html(fetched.body, url=fetched.url, charset=fetched.charset)
    assert article.title == "Harbour Board Approves 2.4 Billion Dollar Port Expansion"


def test_a_feed_is_fetched_and_its_relative_links_resolved_against_its_url(server):
    fetched = fetch(f"{server}/feed.xml", accept=FEED_TYPES)
    links = [entry.link for entry in read_feed(fetched.body, base_url=fetched.final_url)]

    assert f"{server}/2023/03/relative" in links


def test_redirects_are_followed_to_the_final_url(server):
    fetched = fetch(f"{server}/redirect")

    assert fetched.final_url == f"{server}/article.html" and fetched.url == f"{server}/redirect"
    assert fetched.body == ARTICLE


def test_a_response_without_content_type_is_accepted(server):
    assert fetch(f"{server}/untyped").body == ARTICLE


def test_404_is_one_line(server):
    assert _failure(f"{server}/missing").endswith("HTTP 404 Not Found")


def test_not_html(server):
    assert "image/png" in _failure(f"{server}/image.png")
    assert "text/html" in _failure(f"{server}/article.html", accept=FEED_TYPES)


def test_a_slow_server_times_out(server):
    started = time.monotonic()
    assert "no answer within 0.5 s" in _failure(f"{server}/slow", timeout=0.5)
    assert time.monotonic() - started < 2


def test_the_time_limit_covers_the_whole_body_not_each_read(server):
    started = time.monotonic()
    assert "no answer within 1 s" in _failure(f"{server}/drip", timeout=1)
    assert time.monotonic() - started < 3  # the server would go on for 6 s


def test_too_big_by_content_length_and_while_streaming(server):
    assert "larger than the 100,000-byte limit" in _failure(f"{server}/declared-big", max_bytes=100_000)
    assert "larger than the 100,000-byte limit" in _failure(f"{server}/streamed-big", max_bytes=100_000)


def test_redirects_are_bounded_and_stay_on_http(server):
    assert f"more than {MAX_REDIRECTS} redirects" in _failure(f"{server}/loop")
    assert "non-http URL file:///etc/passwd" in _failure(f"{server}/to-file")


def test_refused_connection_and_bad_schemes():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert _failure(f"http://127.0.0.1:{port}/").endswith("connection refused")
    assert "not an http:// or https:// URL" in _failure("file:///etc/passwd")
    assert "not an http:// or https:// URL" in _failure("ftp://example.org/x")


def test_a_url_with_a_line_break_fails_on_one_line():
    with pytest.raises(FetchError) as caught:
        fetch("http://example.invalid/a\nb")
    assert "\n" not in str(caught.value)


def test_normalized_url_lowers_scheme_and_host_and_drops_the_fragment():
    assert normalized_url("HTTPS://News.Example.ORG:8443/World/Story?ID=7#comments") == (
        "https://news.example.org:8443/World/Story?ID=7"
    )
    assert normalized_url("http://Editor@News.Example/a") == "http://Editor@news.example/a"
    assert normalized_url("http://news.example/a#x") == normalized_url("HTTP://NEWS.EXAMPLE/a")


def test_is_url():
    assert is_url("https://news.example/a") and is_url("HTTP://news.example")
    assert not any(is_url(text) for text in ("page.html", "http.html", "http:x://y", "ftp://x/y", "C:\\news\\a.html", "-"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_url_helpers(text):
    if is_url(text):
        key = normalized_url(text)
        assert normalized_url(key) == key and "#" not in key.partition("://")[2].partition("/")[0]


class _RawHandler(socketserver.BaseRequestHandler):
    reply = b""

    def handle(self):
        self.request.recv(65536)
        self.request.sendall(type(self).reply)


@pytest.fixture(scope="module")
def raw_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RawHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/page"
    server.shutdown()
    server.server_close()


_STATUS = st.sampled_from([b"HTTP/1.1 200 OK", b"HTTP/1.0 302 Found", b"HTTP/1.1 999 ?", b"HTP/9 x", b""])
_HEADER = st.sampled_from(
    [
        b"Content-Type: text/html",
        b"Content-Type: text/html; charset=bogus",
        b"Content-Length: 5",
        b"Content-Length: -1",
        b"Content-Length: 99999999999999999999",
        b"Transfer-Encoding: chunked",
        b"Location: ftp://x",
        b"Location: /page",
        b"Content-Encoding: gzip",
    ]
) | st.binary(max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=_STATUS, headers=st.lists(_HEADER, max_size=5), body=st.binary(max_size=300))
def test_fuzz_any_server_reply_is_a_body_or_one_fetch_error(raw_server, status, headers, body):
    _RawHandler.reply = b"\r\n".join([status, *headers, b"", body])
    try:
        fetched = fetch(raw_server, timeout=2, max_bytes=1000)
    except FetchError as error:
        assert "\n" not in str(error)
    else:
        assert len(fetched.body) <= 1000
