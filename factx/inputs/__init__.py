"""Readers for the places articles really are: HTML pages, URLs, RSS/Atom feeds, WARC files.

Pure and spaCy-free: each reader takes bytes (or a stream) and returns small typed
results; the document reader decides what becomes a document. Their libraries
(trafilatura, defusedxml, warcio) are imported on first use, so commands that read no
input never load them. Every failure a reader expects is an `InputError` with a one-line
message. See docs/inputs.md.
"""

from __future__ import annotations

from datetime import date, datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from factx.errors import FactxError


class InputError(FactxError):
    """An input that cannot be read: a failed fetch, a broken feed or WARC file."""


def one_line(text: str) -> str:
    """`text` with every control character (line breaks included) shown as U+FFFD, so a
    message quoting untrusted input stays on one line."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


HTML_TYPES = ("text/html", "application/xhtml+xml")


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """The media type of a Content-Type header, lower-cased ("" when there is none), and
    its charset."""
    if not content_type:
        return "", None
    header = Message()
    header["Content-Type"] = one_line(content_type)
    return header.get_content_type(), header.get_content_charset()


def iso_date(text: str | None) -> date | None:
    """The date of an ISO 8601 / RFC 3339 date or date-time, in the writer's own zone."""
    try:
        return datetime.fromisoformat(text.strip()).date() if text else None
    except ValueError:
        return None


def http_date(text: str | None) -> date | None:
    """The date of an RFC 822 / HTTP date ("Tue, 14 Mar 2023 08:30:00 GMT")."""
    try:
        return parsedate_to_datetime(text).date() if text else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
