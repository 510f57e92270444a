"""Reading documents: paths, folders, stdin, encodings and the `date` marker.

Pure and spaCy-free. A `Source` is one document ready to process: its decoded text (what
every offset indexes), its identity in the store, and the notes reading it produced.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

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


def source_from_bytes(doc: str, key: str | None, data: bytes) -> Source | Problem:
    """Decode one document; `key` None means stdin, stored under its content hash."""
    if looks_binary(data):
        return Problem(doc, "looks binary (NUL byte); skipped", error=False)
    digest = hashlib.sha256(data).hexdigest()
    text, replaced = decode(data)
    source = source_from_text(doc, key or f"stdin:{digest[:12]}", text, sha256=digest)
    if replaced:
        source.notes.append(f"not valid UTF-8: {replaced} replacement character(s) inserted")
    return source


def read_source(doc: str, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | Problem:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return Problem(doc, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return Problem(doc, "not a regular file; skipped")
        size = info.st_size
        if size > max_bytes:
            return Problem(doc, f"{size} bytes is over --max-bytes {max_bytes}; skipped", error=False)
        with path.open("rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        return Problem(doc, "is a directory, not a file")
    except OSError as exc:
        return Problem(doc, f"cannot read: {exc.strerror or exc}")
    return source_from_bytes(doc, resolved(path), data)


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


@dataclass(frozen=True)
class Entry:
    """One input found on the command line: a file to read, stdin, or a problem."""

    doc: str
    path: Path | None = None  # None for stdin
    problem: str | None = None


def discover(
    paths: Iterable[str], pattern: str = "*.txt", follow_links: bool = False
) -> list[Entry]:
    """Every input the arguments name, each file once, sorted by document path.

    Files named directly are taken whatever their name; folders are searched recursively
    for `pattern`. Folder symlinks are followed only with `follow_links`, and then a loop
    is cut where it would revisit a folder.
    """
    entries: dict[str, Entry] = {}
    stdin_seen = False
    for given in paths:
        if given == "-":
            stdin_seen = True
            continue
        path = Path(given)
        doc = display_path(given)
        if path.is_dir():
            for found, shown in _walk(path, doc, pattern, follow_links):
                entries.setdefault(resolved(found), Entry(shown, found))
        elif path.exists() or path.is_symlink():
            entries.setdefault(resolved(path), Entry(doc, path))
        else:
            entries.setdefault(f"missing:{doc}", Entry(doc, problem="no such file or directory"))
    found = sorted(entries.values(), key=lambda entry: entry.doc)
    return ([Entry("-")] if stdin_seen else []) + found


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


def read_entries(entries: Iterable[Entry], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source | Problem]:
    """Read each entry lazily, so only one document's bytes are held at a time."""
    for entry in entries:
        if entry.problem:
            yield Problem(entry.doc, entry.problem)
        elif entry.path is None:
            yield read_stdin(max_bytes)
        else:
            yield read_source(entry.doc, entry.path, max_bytes)
