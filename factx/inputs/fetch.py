"""Polite, bounded fetching of one http(s) URL with the standard library.

One GET, no retries: a time limit for the whole body (not just each read), a size cap checked
against Content-Length and again while streaming, at most MAX_REDIRECTS redirects and
only to http(s), a User-Agent naming factx. urllib is enough for one bounded GET, and it
honours the usual proxy variables (http_proxy, https_proxy, no_proxy) as curl does.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from factx import __version__
from factx.inputs import HTML_TYPES, InputError, media_type, one_line

DEFAULT_TIMEOUT = 30.0  # seconds for the whole body, and for each wait before it
DEFAULT_MAX_BYTES = 10_000_000  # a news page is rarely over 2 MB
MAX_REDIRECTS = 5
USER_AGENT = f"factx/{__version__} (news fact extraction; +https://pypi.org/project/factx/)"
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 65536


class FetchError(InputError):
    """A URL that could not be fetched; the message is one line naming the URL, `reason`
    the same without it (for callers that name the URL themselves)."""

    def __init__(self, shown_url: str, reason: str):
        super().__init__(f"{shown_url}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Fetched:
    url: str  # as requested
    final_url: str  # after redirects: the base for the page's relative links
    body: bytes
    content_type: str  # the media type alone, lower-cased ("text/html"); "" when not sent
    charset: str | None  # the Content-Type's charset, if any


def is_url(text: str) -> bool:
    """Whether an input names an http(s) URL rather than a path."""
    return text[:8].lower().startswith(("http://", "https://"))


def normalized_url(url: str) -> str:
    """A URL's store key: scheme and host lower-cased, fragment dropped; the rest as given."""
    parts = urllib.parse.urlsplit(url)
    userinfo, at, host_and_port = parts.netloc.rpartition("@")  # user names keep their case
    netloc = f"{userinfo}{at}{host_and_port.lower()}"
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def fetch(
    url: str,
    *,
    accept: tuple[str, ...] = HTML_TYPES,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Fetched:
    """GET `url` and return its body, or raise one FetchError: a bad URL, a refused or
    failed connection, an HTTP error status, a time-out, a body over `max_bytes`, or a
    Content-Type not in `accept` (a response without one is accepted)."""
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout  # read now: tests shorten it
    shown = one_line(url)
    if not is_url(url):
        raise FetchError(shown, "not an http:// or https:// URL")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url,
        headers={"User-Agent": USER_AGENT, "Accept": ", ".join(accept), "Accept-Encoding": "identity"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            content_type, charset = media_type(response.headers.get("Content-Type"))
            if content_type and content_type not in accept:
                raise FetchError(shown, f"not {' or '.join(accept)} but {one_line(content_type)}")
            body = _read_bounded(response, shown, deadline, max_bytes)
            return Fetched(url, response.geturl(), body, content_type, charset)
    except FetchError:
        raise
    except _RedirectRefused as refused:
        raise FetchError(shown, f"redirected to a non-http URL {one_line(str(refused))}") from None
    except urllib.error.HTTPError as error:
        error.close()
        if error.code in _REDIRECTS:  # urllib gives up on a loop or after max_redirections
            raise FetchError(shown, f"more than {MAX_REDIRECTS} redirects or a redirect loop") from None
        raise FetchError(shown, f"HTTP {error.code} {one_line(str(error.reason))}") from None
    except urllib.error.URLError as error:
        raise FetchError(shown, _reason(error.reason, timeout)) from None
    except TimeoutError:
        raise FetchError(shown, f"no answer within {timeout:g} s") from None
    except (http.client.HTTPException, OSError, ValueError, OverflowError) as error:  # OverflowError: an absurd Content-Length on a redirect
        raise FetchError(shown, _reason(error, timeout)) from None


def _read_bounded(response, shown: str, deadline: float, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(shown, f"larger than the {max_bytes:,}-byte limit ({int(declared):,} bytes)")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):  # read1: returns what arrived, so the clock is checked often
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(shown, f"larger than the {max_bytes:,}-byte limit")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({one_line(reason.reason or str(reason))})"
    return one_line(str(reason)) or type(reason).__name__


class _RedirectRefused(Exception):
    """A redirect away from http(s); `fetch` reports it against the URL as given."""


class _BoundedRedirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS redirects, and only to http(s) (urllib also follows ftp)."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = urllib.parse.urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        if urllib.parse.urlsplit(target).scheme.lower() not in _SCHEMES:
            fp.close()
            raise _RedirectRefused(target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_BoundedRedirects)
