"""Plain-text layout: which line breaks are soft wraps and where a sentence must start.

Wire copy, e-mail and text taken from PDFs are hard-wrapped, so a value can straddle a
line ("150\\nmln dlrs"). The model is given `unwrap(text)`, a copy of the same length in
which a soft wrap is a space; every offset stays valid and facts are still sliced from
the original. A line break is kept (a paragraph, a table row, a headline) and starts a
sentence. Pure: no spaCy.
"""

from __future__ import annotations

import re

# A wrapped line fills most of the column the text is wrapped at; a line much shorter
# than that ended for a reason (a paragraph's last line, a headline, a byline).
FULL_LINE_SHARE = 0.5
# The column a text is wrapped at: a high percentile of its line lengths, so one long
# line (a URL, a table) does not set it.
WRAP_PERCENTILE = 0.9
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_BREAK = re.compile(r"(?:\r\n|\n|\r)[ \t\r\n]*(?=\S)")
_DATE_MARKER_LINE = re.compile(r"[ \t]*date[ \t]+\d{4}-\d{2}-\d{2}[ \t]*$")


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end of content, end with the line break) of every line."""
    lines = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        if start == end:
            break
        content_end = end
        while content_end > start and text[content_end - 1] in "\r\n":
            content_end -= 1
        lines.append((start, content_end, end))
    return lines


def _wrap_width(text: str, lines: list[tuple[int, int, int]]) -> int:
    lengths = sorted(len(text[start:end].rstrip()) for start, end, _ in lines if text[start:end].strip())
    if not lengths:
        return 0
    return lengths[int(WRAP_PERCENTILE * (len(lengths) - 1))]


def _is_heading(line: str) -> bool:
    """A line that stands alone whatever its length: the `date` marker, or a line in
    capitals ("ROWNTREE SEEKS 200 MLN STG FACILITY")."""
    if _DATE_MARKER_LINE.match(line):
        return True
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def soft_breaks(text: str) -> list[int]:
    """Offsets of the line breaks (their first character) that only wrap a paragraph: the
    line before is not a heading and is full (or the line after goes on in lower case),
    and the line after starts with a word, not indentation or another break."""
    lines = _lines(text)
    width = _wrap_width(text, lines)
    found = []
    for (start, content_end, end), following in zip(lines, lines[1:]):
        line = text[start:content_end]
        next_first = text[following[0] : following[0] + 1]
        if end == content_end or not line.strip() or not next_first or next_first.isspace():
            continue
        if _is_heading(line):
            continue
        # A short line ended for a reason, unless the next one goes on mid-sentence
        # ("American Ecology Corp said\nits unit ...").
        if len(line.rstrip()) < FULL_LINE_SHARE * width and not next_first.islower():
            continue
        found.append(content_end)
    return found


def unwrap(text: str) -> str:
    """The text with every soft wrap's line break (\\n, \\r or \\r\\n) turned into spaces:
    same length, so offsets into it are offsets into `text`."""
    breaks = soft_breaks(text)
    if not breaks:
        return text
    parts = []
    last = 0
    for at in breaks:
        width = 2 if text.startswith("\r\n", at) else 1
        parts.append(text[last:at])
        parts.append(" " * width)
        last = at + width
    parts.append(text[last:])
    return "".join(parts)


def sentence_starts(text: str, unwrapped: bool = False) -> list[int]:
    """Offsets where a sentence must start: the first non-space character after a line
    break that is not a soft wrap (a blank line, a new paragraph, a table row, the end of
    a headline). The same on `text` and on `unwrap(text)`; with `unwrapped`, `text` is
    known to be `unwrap`'s output, whose breaks are all kept ones."""
    soft = set() if unwrapped else set(soft_breaks(text))
    return [match.end() for match in _BREAK.finditer(text) if match.start() not in soft]
