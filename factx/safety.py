"""Untrusted article text on its way to a terminal or an HTML page: one definition of what is unsafe.

Invisible characters that act instead of showing: C0 controls except tab and newline,
DEL and C1, bidi marks, embeddings, overrides and isolates (a U+202E in a name reverses
what follows). A terminal also acts on escape sequences (colours, OSC 8 hyperlinks, OSC 52
clipboard writes), which `terminal_safe` drops whole. Pure functions; no rich, no Jinja2.
"""

from __future__ import annotations

import re

_INVISIBLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# In HTML a carriage return is whitespace (articles with CRLF line ends keep theirs);
# on a terminal it moves the cursor back over text already shown.
INVISIBLE_IN_HTML = re.compile(f"(?!\r)[{_INVISIBLE}]")

# CSI, OSC (hyperlinks, clipboard writes, titles), other ESC x, and their C1 forms; removed
# before the single control characters, so no half of a sequence is left to print.
ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?"
)


def terminal_safe(text: str) -> str:
    """`text` with nothing a terminal would act on: no escape sequences, controls or bidi characters."""
    return INVISIBLE.sub("", ESCAPE_SEQUENCES.sub("", text))


def escaped_controls(text: str) -> str:
    """Invisible characters written as `\\uXXXX`: valid inside a JSON string and visible in a
    CSV cell, for JSON and CSV printed to a terminal (files and pipes stay byte-faithful)."""
    return INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def html_visible(text: str) -> str:
    """Invisible characters as visible `‹U+202E›` tokens, so a page shows them instead of acting on them."""
    return INVISIBLE_IN_HTML.sub(lambda match: f"\u2039U+{ord(match.group()):04X}\u203a", text)


def html_text(text: str) -> str:
    """One untrusted string for HTML element content or a quoted attribute: visible, then escaped."""
    from markupsafe import escape  # Jinja2's own escaper; loaded only where HTML is made

    return escape(html_visible(text))
