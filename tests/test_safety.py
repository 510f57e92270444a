"""Untrusted text for terminals and HTML (factx.safety): one set of invisible characters."""

from __future__ import annotations

import json

import pytest

from factx.safety import INVISIBLE, escaped_controls, html_text, html_visible, terminal_safe


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b]8;;http://x\x07link\x1b]8;;\x07b", "alinkb"),  # OSC 8 hyperlink
        ("\x1b]52;c;Zm9v\x07ok", "ok"),  # OSC 52 clipboard write
        ("\u202eevil\u2066", "evil"),  # bidi override and isolate
        ("a\u200fb\u061cc", "abc"),  # bidi marks
        ("tab\tnew\nline\r", "tab\tnew\nline"),  # a carriage return would overwrite the line
        ("\x9b2Jc1", "c1"),  # C1 CSI
        ("[bold]x[/bold]", "[bold]x[/bold]"),  # markup is not a terminal's business
    ],
)
def test_terminal_safe(raw, shown):
    assert terminal_safe(raw) == shown


def test_escaped_controls_stay_valid_json_and_visible():
    text = escaped_controls(json.dumps("a\u202eb\x07", ensure_ascii=False))
    assert "\u202e" not in text and "\x07" not in text
    assert json.loads(text) == "a\u202eb\x07"


def test_html_shows_invisible_characters_as_tokens_but_keeps_whitespace():
    assert html_visible("a\u202eb\u2066c\x07") == "a\u2039U+202E\u203ab\u2039U+2066\u203ac\u2039U+0007\u203a"
    assert html_visible("tab\tnew\nline\r\n") == "tab\tnew\nline\r\n"


def test_html_text_escapes_markup_and_quotes():
    assert str(html_text('<a href="x">\'\u202e&')) == "&lt;a href=&#34;x&#34;&gt;&#39;\u2039U+202E\u203a&amp;"


def test_terminal_and_html_agree_on_what_is_invisible():
    # every character the terminal drops is shown as a token in HTML, except the carriage return
    for code in range(0x3000):
        char = chr(code)
        assert (terminal_safe(char) == "") == (bool(INVISIBLE.match(char)) or char == "\x1b")
        if char != "\r":
            assert (html_visible(char) != char) == bool(INVISIBLE.match(char))
