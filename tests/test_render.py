"""Renderers: hostile text is neutralized on terminals and kept byte-faithful in JSON/CSV."""

from __future__ import annotations

import csv
import io
import json

from factx.facts import Fact
from factx.render import CSV_COLUMNS, write_facts

HOSTILE = "[bold]x[/bold] \x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b]52;c;Zm9v\x07 \u202eabc \x9b2J\x07 [/bold]"


def _fact(text: str) -> Fact:
    return Fact(doc="a.txt", type="money", label="MONEY", text=text, start=0, end=len(text),
                sentence=text, sentence_start=0, value={"amount": 5.0, "currency": "USD"},
                subject=text, about=None, when=None, qualifier=None)


def test_table_prints_markup_literally_and_no_escapes():
    out = io.StringIO()
    write_facts([_fact(HOSTILE)], "table", out)
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    out = io.StringIO()
    write_facts([_fact("[bold]x[/bold] [/bold]")], "table", out)
    assert "[bold]x[/bold] [/bold]" in out.getvalue()


def test_json_stays_byte_faithful():
    out = io.StringIO()
    write_facts([_fact(HOSTILE)], "json", out)
    assert json.loads(out.getvalue())[0]["text"] == HOSTILE


def test_empty_json_is_an_empty_array():
    out = io.StringIO()
    write_facts([], "json", out)
    assert json.loads(out.getvalue()) == []


def test_csv_flattens_value_without_colliding_with_offsets():
    out = io.StringIO()
    fact = Fact(doc="a.txt", type="date", label="DATE", text="2023", start=10, end=14, sentence="In 2023.",
                sentence_start=7, value={"start": "2023-01-01", "end": "2023-12-31", "grain": "year",
                                         "anchored": False, "extra_key": 1})
    write_facts([fact], "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0].keys()) == CSV_COLUMNS
    assert rows[0]["start"] == "10" and rows[0]["value_start"] == "2023-01-01"
    assert rows[0]["value_anchored"] == "false"
    assert json.loads(rows[0]["value_extra"]) == {"extra_key": 1}
