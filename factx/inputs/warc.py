"""WARC files (.warc, .warc.gz) -> the HTML pages they archive, with warcio.

warcio is the Webrecorder project's streaming WARC reader and writer (pure Python, reads
Common Crawl's per-record gzip); it also undoes chunked and gzip transfer encodings.
Only `response` records with HTTP status 200 and an HTML Content-Type are pages; requests,
metadata, revisits, redirects, errors and other media are passed over silently.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from factx.inputs import HTML_TYPES, InputError, http_date, iso_date, media_type, one_line

DEFAULT_MAX_RECORD_BYTES = 10_000_000  # as for a fetched page


class WarcError(InputError):
    """A file that is not a readable WARC (or is cut short); pages before the fault were read."""


@dataclass(frozen=True)
class WarcPage:
    uri: str  # WARC-Target-URI
    captured: date | None  # WARC-Date, else the HTTP Date header: when the page was fetched
    body: bytes  # the HTTP payload, decoded from chunked/gzip transfer; empty when skipped
    charset: str | None  # the HTTP Content-Type's charset, if any
    skipped: str | None = None  # why an HTML page's body was not read (over the size limit)


def read_warc(stream: BinaryIO, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[WarcPage]:
    """The HTML pages of a WARC stream, in file order. A page over `max_record_bytes` is
    yielded with `skipped` set and no body; a broken file raises WarcError when reached,
    and so does a non-empty file in which warcio finds no record at all."""
    from warcio.archiveiterator import ArchiveIterator  # only WARC readers load it
    from warcio.bufferedreaders import ChunkedDataException
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    records = 0
    try:
        iterator = iter(ArchiveIterator(stream))
        while True:
            # warcio writes its warnings about damaged records (with their raw bytes) to
            # stderr itself; they are not factx's one-line notes. Only warcio's own steps
            # are captured, never the consumer's work between two pages.
            with contextlib.redirect_stderr(io.StringIO()):
                record = next(iterator, None)
                page = _page(record, max_record_bytes) if record is not None else None
            if record is None:
                break
            records += 1
            if page is not None:
                yield page
    except (ArchiveLoadFailed, ChunkedDataException, StatusAndHeadersParserException) as error:
        raise WarcError(f"not a readable WARC file ({_shown(error)})") from None
    except Exception as error:  # warcio fails on damaged files in many ways (fuzzing found AttributeError)
        raise WarcError(f"broken or truncated WARC file ({_shown(error)})") from None
    if not records and _consumed(stream):  # warcio reads some garbage (a bad gzip) as no records
        raise WarcError("not a readable WARC file (no WARC record found)")


def _consumed(stream: BinaryIO) -> bool:
    try:
        return stream.tell() > 0
    except (OSError, AttributeError, ValueError):  # a pipe cannot tell: trust warcio
        return False


def _shown(error: Exception) -> str:
    return one_line(str(error) or type(error).__name__)[:200]  # warcio quotes the bad line


def _page(record, max_record_bytes: int) -> WarcPage | None:
    http = record.http_headers
    if record.rec_type != "response" or http is None or http.get_statuscode() != "200":
        return None
    content_type, charset = media_type(http.get_header("Content-Type"))
    if content_type not in HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    captured = iso_date(record.rec_headers.get_header("WARC-Date")) or http_date(http.get_header("Date"))
    body = record.content_stream().read(max_record_bytes + 1)
    if len(body) > max_record_bytes:
        return WarcPage(uri, captured, b"", charset, f"over the {max_record_bytes:,}-byte limit")
    return WarcPage(uri, captured, body, charset)
