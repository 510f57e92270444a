"""Reading documents: the one reader behind every driver.

Every input the command line names (files, folders, `-`, JSON-lines record files, URIs)
becomes an `Entry` (`discover`), and every entry becomes a stream of `Source | Problem`
(`read_entries`): one document ready to process, or one reported skip or failure. The
checks (binary, BOM, size, decoding, the `date` marker) are made here and nowhere else.

Adding an input kind is two rows: a test on the name in `KINDS` and a reader in `READERS`
(`reader(entry, max_bytes)` yields `Source | Problem`). No driver changes: the local run,
`--jobs`, Ray and Spark all read through this module.

Pure and spaCy-free. A `Source` is one document ready to process: its decoded text (what
every offset indexes), its identity in the store, and the notes reading it produced.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

BINARY_SNIFF_BYTES = 8192  # as grep and ripgrep judge binary files
DEFAULT_MAX_BYTES = 50_000_000
_BOM = b"\xef\xbb\xbf"
_ENCODED_REPLACEMENT = "\ufffd".encode()

# `date 2022-02-06` at the very start, alone on its line or followed by the text.
_DATE_MARKER = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?=\s|\Z)[ \t]*")


@dataclass
class Source:
    doc: str  # the path as given, normalized; "-" for stdin
    key: str  # identity in the store: resolved absolute path, or stdin:<hash>
    text: str = ""
    sha256: str = ""
    marker_date: date | None = None
    marker_end: int = 0  # offsets below this belong to the marker and yield no fact
    notes: list[str] = field(default_factory=list)  # warnings that do not stop processing
    date_override: date | None = None  # --doc-date, or a record's own date
    offset: int = 0  # where `text` starts in its document: a piece of a long one is sent alone
    # What some inputs know about themselves (a record's or page's url and title); stored
    # as document metadata (migration 5).
    url: str | None = None
    title: str | None = None

    @property
    def doc_date(self) -> date | None:
        """The effective document date: an explicit one wins over the marker."""
        return self.date_override or self.marker_date


@dataclass
class Problem:
    """An input that was not processed. `error` problems make the exit code 1."""

    doc: str
    message: str
    error: bool = True


def parse_date_marker(text: str) -> tuple[date | None, int]:
    """The date a leading `date YYYY-MM-DD` marker sets, and where the marker ends."""
    match = _DATE_MARKER.match(text)
    if not match:
        return None, 0
    try:
        return date.fromisoformat(match.group(1)), match.end()
    except ValueError:  # "date 2022-13-45" is text, not a marker
        return None, 0


def decode(data: bytes) -> tuple[str, int]:
    """UTF-8 text with a leading BOM dropped, and how many replacement characters decoding added."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        return text, text.count("\ufffd") - data.count(_ENCODED_REPLACEMENT)


def looks_binary(data: bytes) -> bool:
    return b"\0" in data[:BINARY_SNIFF_BYTES]


def source_from_text(doc: str, key: str, text: str, date_override: date | None = None,
                     sha256: str | None = None) -> Source:
    """A document from text already decoded (the library API, batch records): the hash
    is of its UTF-8 form unless the caller has the file's own."""
    marker_date, marker_end = parse_date_marker(text)
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Source(doc=doc, key=key, text=text, sha256=sha256, marker_date=marker_date,
                  marker_end=marker_end, date_override=date_override)


def too_big(doc: str, size: int, max_bytes: int) -> Problem | None:
    if size > max_bytes:
        return Problem(doc, f"{size} bytes is over --max-bytes {max_bytes}; skipped", error=False)
    return None


def source_from_bytes(doc: str, key: str | None, data: bytes, max_bytes: int | None = None) -> Source | Problem:
    """Decode one document; `key` None means stdin, stored under its content hash."""
    if max_bytes is not None and (problem := too_big(doc, len(data), max_bytes)):
        return problem
    if looks_binary(data):
        return Problem(doc, "looks binary (NUL byte); skipped", error=False)
    digest = hashlib.sha256(data).hexdigest()
    text, replaced = decode(data)
    source = source_from_text(doc, key or f"stdin:{digest[:12]}", text, sha256=digest)
    if replaced:
        source.notes.append(f"not valid UTF-8: {replaced} replacement character(s) inserted")
    return source


def _not_a_file(doc: str, info: os.stat_result) -> Problem | None:
    """A folder, FIFO or device named like a document (a FIFO would block, a device never end)."""
    if stat.S_ISDIR(info.st_mode):
        return Problem(doc, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(doc, "not a regular file; skipped")
    return None


def read_source(doc: str, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | Problem:
    data = file_bytes(doc, path, max_bytes)
    return data if isinstance(data, Problem) else source_from_bytes(doc, resolved(path), data)


def file_bytes(doc: str, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Problem:
    """The bytes of a file named as an input, or why they were not read."""
    try:
        info = path.stat()
        if problem := _not_a_file(doc, info) or too_big(doc, info.st_size, max_bytes):
            return problem
        with path.open("rb") as handle:
            return handle.read()
    except IsADirectoryError:
        return Problem(doc, "is a directory, not a file")
    except OSError as exc:
        return Problem(doc, f"cannot read: {exc.strerror or exc}")


def resolved(path: Path | str) -> str:
    """The absolute path with symlinks resolved as far as they go. Never raises: a symlink
    loop stays a path, reported when it is read, instead of stopping the whole run."""
    return os.path.realpath(path)


STDIN_CHUNK = 1 << 20


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES, stream=None) -> Source | Problem:
    """Standard input, read in chunks and never more than `max_bytes` plus one chunk:
    `factx extract - < /dev/zero` stops instead of growing until killed."""
    stream = stream if stream is not None else sys.stdin.buffer
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(min(STDIN_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return source_from_bytes("-", None, b"".join(chunks))
        chunks.append(chunk)
        size += len(chunk)
    return Problem("-", f"more than --max-bytes {max_bytes} bytes; skipped", error=False)


def display_path(given: str) -> str:
    """`./seeds/a.txt` and `seeds//a.txt` both print as `seeds/a.txt`."""
    return os.path.normpath(given)


# -- records: one JSON object per line ---------------------------------------------------

RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


def source_from_record(record: Any, fallback_doc: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | Problem:
    """A record `{"id"|"doc", "text"|"body", optional "date"|"doc_date", "url", "title"}`
    checked like a file's bytes; its `doc` (else `fallback_doc`) is also its key in the store,
    and its date wins over a `date` marker in its text."""
    if not isinstance(record, Mapping):
        return Problem(fallback_doc, "not a JSON record: not an object")
    doc = record.get("doc") or record.get("id")
    doc = str(doc) if doc not in (None, "") else fallback_doc
    text = record.get("text")
    if text is None:
        text = record.get("body")
    if not isinstance(text, str):
        return Problem(doc, "record has no text (or body)")
    when = record.get("doc_date") or record.get("date")
    try:
        record_date = date.fromisoformat(str(when)[:10]) if when else None
    except ValueError:
        return Problem(doc, f"record date {str(when)[:40]!r} is not YYYY-MM-DD")
    source = source_from_bytes(doc, doc, text.encode("utf-8", "surrogatepass"), max_bytes)
    if isinstance(source, Source):
        source.date_override = record_date
        source.url, source.title = _optional_str(record.get("url")), _optional_str(record.get("title"))
    return source


def source_from_json_line(line: str, origin: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | Problem:
    """One line of a record file; `origin` (file and line) names it when it has no id."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Problem(origin, f"not a JSON record: {exc}")
    return source_from_record(record, origin, max_bytes)


def _optional_str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


# -- inputs: what the command line names, and the reader of each kind ---------------------

@dataclass(frozen=True)
class Entry:
    """One input found on the command line: a file or URI to read, stdin, or a problem."""

    doc: str
    path: Path | None = None  # None for stdin and URIs
    problem: str | None = None
    kind: str = "text"  # its reader in READERS


Reader = Callable[[Entry, int], Iterator["Source | Problem"]]  # (entry, max_bytes)


def _read_text_file(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    yield read_source(entry.doc, entry.path, max_bytes)


def _read_stdin(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    yield read_stdin(max_bytes)


def _read_record_file(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    """Each non-blank line of a `.jsonl` (or gzipped) file is one document."""
    opener = gzip.open if entry.path.name.lower().endswith(".gz") else open
    try:
        if problem := _not_a_file(entry.doc, entry.path.stat()):
            yield problem
            return
        with opener(entry.path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield source_from_json_line(line, f"{entry.doc}:{number}", max_bytes)
    except (OSError, EOFError, UnicodeDecodeError) as exc:  # a truncated or not gzipped file
        yield Problem(entry.doc, f"cannot read records: {getattr(exc, 'strerror', None) or exc}")


def _read_uri(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    yield Problem(entry.doc, "URIs are read by --engine ray only")


def is_uri(name: str) -> bool:
    return "://" in name


def is_url(name: str) -> bool:
    from factx.inputs.fetch import is_url as names_url  # urllib loads only for web inputs

    return names_url(name)


# -- web pages, feeds and web archives (factx/inputs, docs/inputs.md) -------------------

HTML_SUFFIXES = (".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")


def source_from_page(doc: str, key: str, page: bytes, url: str | None = None, charset: str | None = None,
                     fallback_date: date | None = None, fallback_title: str | None = None) -> Source:
    """An HTML page as a document: its extracted main text (what every offset indexes),
    title and URL, and its stated publication date (else `fallback_date`, a feed entry's or
    a capture's date) as the document date. The hash is of the page's own bytes, so an
    unchanged page (or file) is skipped on a re-run."""
    from factx.inputs.html import read_html

    article = read_html(page, url=url, charset=charset)
    source = source_from_text(doc, key, article.text, sha256=hashlib.sha256(page).hexdigest())
    source.date_override = article.date or fallback_date
    source.url, source.title = article.url, article.title or fallback_title
    if not article.text:
        source.notes.append("no article text found in the page")
    return source


def _read_html_file(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    data = file_bytes(entry.doc, entry.path, max_bytes)
    yield data if isinstance(data, Problem) else source_from_page(entry.doc, resolved(entry.path), data)


def fetch_limit(max_bytes: int) -> int:
    """A fetched page's size cap: the fetcher's own, or --max-bytes when that is smaller."""
    from factx.inputs.fetch import DEFAULT_MAX_BYTES as FETCH_MAX_BYTES

    return min(max_bytes, FETCH_MAX_BYTES)


def read_url(url: str, max_bytes: int, fallback_date: date | None = None,
             fallback_title: str | None = None) -> Source | Problem:
    """A page fetched once (no retries): `doc` is the URL as given, the key its normalized form."""
    from factx.inputs.fetch import FetchError, fetch, normalized_url

    try:
        fetched = fetch(url, max_bytes=fetch_limit(max_bytes))
    except FetchError as error:
        return Problem(url, f"cannot fetch: {error.reason}")
    return source_from_page(url, normalized_url(url), fetched.body, normalized_url(fetched.final_url),
                            fetched.charset, fallback_date, fallback_title)


def _read_url(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    yield read_url(entry.doc, max_bytes)


def _read_feed(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    """Every article a feed links to, fetched like a URL; the entry's date and title stand
    in for a page that states none."""
    from factx.inputs import InputError
    from factx.inputs.feed import read_feed
    from factx.inputs.fetch import FEED_TYPES, fetch

    try:
        if entry.path is None:
            fetched = fetch(entry.doc, accept=FEED_TYPES, max_bytes=fetch_limit(max_bytes))
            data, base_url = fetched.body, fetched.final_url
        else:
            data, base_url = file_bytes(entry.doc, entry.path, max_bytes), None
            if isinstance(data, Problem):
                yield data
                return
        articles = read_feed(data, base_url)
    except InputError as error:
        yield Problem(entry.doc, f"cannot read the feed: {getattr(error, 'reason', error)}")
        return
    for article in articles:
        yield read_url(article.link, max_bytes, article.date, article.title)


def _read_warc_file(entry: Entry, max_bytes: int) -> Iterator[Source | Problem]:
    """Each HTML page a WARC file archives: `doc` is its target URI, the key the normalized
    URI (as for a fetched page), the capture date the date when the page states none."""
    from factx.inputs.fetch import normalized_url
    from factx.inputs.warc import DEFAULT_MAX_RECORD_BYTES, WarcError, read_warc

    try:
        if problem := _not_a_file(entry.doc, entry.path.stat()):
            yield problem
            return
        with entry.path.open("rb") as handle:
            for number, page in enumerate(read_warc(handle, min(max_bytes, DEFAULT_MAX_RECORD_BYTES)), 1):
                doc = page.uri or f"{entry.doc}#page{number}"
                url = normalized_url(page.uri) if page.uri else None
                if page.skipped:
                    yield Problem(doc, f"skipped: {page.skipped}", error=False)
                else:
                    yield source_from_page(doc, url or f"{resolved(entry.path)}#page{number}", page.body, url,
                                           page.charset, page.captured)
    except WarcError as error:
        yield Problem(entry.doc, str(error))
    except OSError as exc:
        yield Problem(entry.doc, f"cannot read: {exc.strerror or exc}")


# The kind of a named input: the first test that holds, else "text". Folders are searched
# with --glob and each file found is judged by its name the same way. Feeds are named by
# `--feed`, never judged from a name.
KINDS: list[tuple[str, Callable[[str], bool]]] = [
    ("stdin", lambda name: name == "-"),
    # A JSON-lines file at an http(s) URL stays a URI, read line by line by --engine ray.
    ("url", lambda name: is_url(name) and not name.lower().endswith(RECORD_SUFFIXES)),
    ("uri", is_uri),
    ("records", lambda name: name.lower().endswith(RECORD_SUFFIXES)),
    ("html", lambda name: name.lower().endswith(HTML_SUFFIXES)),
    ("warc", lambda name: name.lower().endswith(WARC_SUFFIXES)),
]
READERS: dict[str, Reader] = {
    "text": _read_text_file,
    "stdin": _read_stdin,
    "records": _read_record_file,
    "uri": _read_uri,
    "html": _read_html_file,
    "url": _read_url,
    "feed": _read_feed,
    "warc": _read_warc_file,
}


# Kinds whose one input holds many documents (their number is known only once read).
MANY_DOCUMENT_KINDS = {"records", "uri", "feed", "warc"}
# Kinds named by something other than a path.
PATHLESS_KINDS = ("stdin", "url", "uri")


def input_kind(name: str) -> str:
    return next((kind for kind, matches in KINDS if matches(name)), "text")


def discover(
    paths: Iterable[str], pattern: str = "*.txt", follow_links: bool = False, feeds: Iterable[str] = ()
) -> list[Entry]:
    """Every input the arguments name, each file once, sorted by document path (stdin
    first, then URLs and URIs as given), then the `feeds` (files or URLs) as given.

    Files named directly are taken whatever their name; folders are searched recursively
    for `pattern`. Folder symlinks are followed only with `follow_links`, and then a loop
    is cut where it would revisit a folder.
    """
    entries: dict[str, Entry] = {}
    first: list[Entry] = []
    for given in paths:
        kind = input_kind(given)
        if kind in PATHLESS_KINDS:
            if all(entry.doc != given for entry in first):
                first.append(Entry(given, kind=kind))
            continue
        path = Path(given)
        doc = display_path(given)
        if path.is_dir():
            for found, shown in _walk(path, doc, pattern, follow_links):
                entries.setdefault(resolved(found), Entry(shown, found, kind=input_kind(shown)))
        elif path.exists() or path.is_symlink():
            entries.setdefault(resolved(path), Entry(doc, path, kind=kind))
        else:
            entries.setdefault(f"missing:{doc}", Entry(doc, problem="no such file or directory"))
    first.sort(key=lambda entry: entry.kind != "stdin")
    feed_entries = [_feed_entry(given) for given in dict.fromkeys(feeds)]
    return first + sorted(entries.values(), key=lambda entry: entry.doc) + feed_entries


def _feed_entry(given: str) -> Entry:
    if is_url(given):
        return Entry(given, kind="feed")
    path = Path(given)
    if not (path.exists() or path.is_symlink()):
        return Entry(display_path(given), problem="no such file or directory")
    return Entry(display_path(given), path, kind="feed")


def _walk(top: Path, shown_top: str, pattern: str, follow_links: bool) -> Iterator[tuple[Path, str]]:
    seen_dirs: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(top, followlinks=follow_links):
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in seen_dirs:  # a symlink loop: do not descend again
            dirs[:] = []
            continue
        seen_dirs.add((stat.st_dev, stat.st_ino))
        dirs.sort()
        relative = os.path.relpath(root, top)
        # A folder named like a matching file ("2020.txt/") is reported by read_source.
        for name in sorted(files + [d for d in dirs if fnmatch.fnmatch(d, pattern)]):
            if fnmatch.fnmatch(name, pattern):
                yield Path(root, name), display_path(os.path.join(shown_top, relative, name))


def read_entries(entries: Iterable[Entry], max_bytes: int = DEFAULT_MAX_BYTES,
                 doc_date: date | None = None) -> Iterator[Source | Problem]:
    """Read each entry lazily, so only one document's bytes are held at a time. `doc_date`
    (`--doc-date`) wins over every document's own date."""
    for entry in entries:
        if entry.problem:
            yield Problem(entry.doc, entry.problem)
            continue
        yield from dated(READERS[entry.kind](entry, max_bytes), doc_date)


def dated(reads: Iterable[Source | Problem], doc_date: date | None) -> Iterator[Source | Problem]:
    """The reads with `doc_date` (`--doc-date`, when given) winning over their own dates."""
    for read in reads:
        if doc_date is not None and isinstance(read, Source):
            read.date_override = doc_date
        yield read
