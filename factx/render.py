"""Facts out: json, jsonl, csv and rich tables. The only module that touches rich.

Article text is untrusted: every article-derived string bound for a terminal passes
`safety.terminal_safe` and reaches rich as `Text`, never as markup. JSON and CSV stay
byte-faithful in files and pipes; written to a terminal they show control and bidi
characters as `\\uXXXX`. CSV text cells a spreadsheet would run as a formula get a
leading `'` (OWASP), unless `csv_raw`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import IO, Any

from factx.facts import FACT_TYPES, FRAME_KEYS, SCHEMA, Fact
from factx.safety import escaped_controls, terminal_safe

FORMATS = ("table", "json", "jsonl", "csv")


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_facts(facts: Iterable[Fact], fmt: str, stream: IO[str], csv_raw: bool = False) -> None:
    if fmt == "json":
        _write_json_array((fact.to_dict() for fact in facts), stream)
    elif fmt == "jsonl":
        _write_json_lines((fact.to_dict() for fact in facts), stream)
    elif fmt == "csv":
        _write_csv(facts, stream, csv_raw)
    else:
        _write_tables(facts, stream)


def write_rows(rows: Sequence[dict[str, Any]], fmt: str, stream: IO[str], title: str,
               csv_raw: bool = False) -> None:
    """Plain records (documents, entities) in the same formats as facts."""
    if fmt == "json":
        _write_json_array(rows, stream)
    elif fmt == "jsonl":
        _write_json_lines(rows, stream)
    elif fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        if rows:
            columns = list(rows[0].keys())
            clean = _csv_cleaner(columns, csv_raw, _is_terminal(stream))
            writer.writerow(columns)
            writer.writerows(clean([_csv_cell(value) for value in row.values()]) for row in rows)
    else:
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for name in rows[0].keys() if rows else ["(none)"]:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(value) for value in row.values()))
        _console(stream).print(table)


def _json_encoder(stream: IO[str], **options: Any) -> Callable[[Any], str]:
    if _is_terminal(stream):
        return lambda item: escaped_controls(json.dumps(item, ensure_ascii=False, **options))
    return lambda item: json.dumps(item, ensure_ascii=False, **options)


def _write_json_lines(items: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    encode = _json_encoder(stream)
    for item in items:
        stream.write(encode(item) + "\n")


def _write_json_array(items: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    # Streamed item by item, so a large store never sits in memory as one string.
    encode = _json_encoder(stream, indent=2)
    stream.write("[")
    empty = True
    for item in items:
        stream.write("\n" if empty else ",\n")
        stream.write(encode(item))
        empty = False
    stream.write("]\n" if empty else "\n]\n")


# -- csv -------------------------------------------------------------------------

_BASE_COLUMNS = ["doc", "type", "label", "text", "start", "end", "sentence_start", "sentence",
                 "subject", "about", "qualifier", *FRAME_KEYS, "when_text", "when_start", "when_end",
                 "when_value_start", "when_value_end"]
_VALUE_KEYS = list(dict.fromkeys(
    key for branch in SCHEMA["allOf"] for key in branch["then"]["properties"]["value"]["properties"]
))
CSV_COLUMNS = _BASE_COLUMNS + [f"value_{key}" for key in _VALUE_KEYS] + ["value_extra"]


def csv_record(fact: Fact) -> list[Any]:
    """One flat CSV row: `value` keys become `value_<key>` so they never collide with offsets."""
    when = fact.when or {}
    when_value = when.get("value") or {}
    value = dict(fact.value)
    row = [fact.doc, fact.type, fact.label, fact.text, fact.start, fact.end, fact.sentence_start,
           fact.sentence, fact.subject, fact.about, fact.qualifier, *(getattr(fact, key) for key in FRAME_KEYS),
           when.get("text"), when.get("start"),
           when.get("end"), when_value.get("start"), when_value.get("end")]
    row += [value.pop(key, None) for key in _VALUE_KEYS]
    row.append(json.dumps(value, ensure_ascii=False) if value else None)
    return [_csv_cell(cell) for cell in row]


# Text cells that can hold article words or names: a spreadsheet must not run them as a
# formula. Not `text` (always exactly source[start:end]) and not numbers. Named columns,
# so frame keys joining the fact later (about, measure, attributed_to) are covered.
CSV_TEXT_COLUMNS = frozenset({
    "doc", "key", "sentence", "subject", "about", "attributed_to", "measure", "title", "name", "aliases",
    "value_canonical", "value_alias_of", "value_currency_text",
})
# OWASP: =, +, @, tab and CR start a formula; "-" too unless a digit follows ("-1.3").
_FORMULA_START = re.compile(r"[=+@\t\r]|-(?!\d)")


def csv_text_cell(value: Any) -> Any:
    """A text cell prefixed with `'` when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def _csv_cleaner(columns: Sequence[str], raw: bool, terminal: bool) -> Callable[[list[Any]], list[Any]]:
    """What a CSV row goes through before it is written: formula guards on the text
    columns (unless `raw`), visible control characters on a terminal."""
    guarded = [] if raw else [index for index, name in enumerate(columns) if name in CSV_TEXT_COLUMNS]

    def clean(row: list[Any]) -> list[Any]:
        for index in guarded:
            row[index] = csv_text_cell(row[index])
        if terminal:
            row = [escaped_controls(cell) if isinstance(cell, str) else cell for cell in row]
        return row

    return clean


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _write_csv(facts: Iterable[Fact], stream: IO[str], raw: bool = False) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    clean = _csv_cleaner(CSV_COLUMNS, raw, _is_terminal(stream))
    writer.writerow(CSV_COLUMNS)
    for fact in facts:
        writer.writerow(clean(csv_record(fact)))


# -- tables ----------------------------------------------------------------------

def _console(stream: IO[str]):
    from rich.console import Console

    # Not a terminal: a fixed 100 columns, no colour codes in files and pipes.
    return Console(file=stream, width=None if stream.isatty() else 100, highlight=False,
                   emoji=False, markup=False)


def _cell(value: Any):
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(format_number(value))
    if isinstance(value, (list, tuple, set)):
        return Text(terminal_safe(", ".join(map(str, value))))
    return Text(terminal_safe(str(value)))


def format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _range(low: Any, high: Any) -> str:
    return format_number(low) + (f"–{format_number(high)}" if high is not None else "")


def _when(fact: Fact) -> str | None:
    if not fact.when:
        return None
    value = fact.when.get("value") or {}
    return f"{fact.when['text']} ({value.get('start')}..{value.get('end')})"


_COLUMNS = {
    "entity": (("text", "label", "canonical", "at"),
               lambda f: (f.text, f.label, f.value.get("canonical"))),
    "date": (("text", "label", "from", "to", "grain", "at"),
             lambda f: (f.text, f.label, f.value.get("start"), f.value.get("end"),
                        " ".join(filter(None, [f.value.get("grain"), f.value.get("relation")])))),
    "money": (("text", "amount", "currency", "about: measure", "role", "when", "at"),
              lambda f: (f.text, _range(f.value.get("amount"), f.value.get("amount_high")),
                         f.value.get("currency") or f.value.get("currency_text"), _what(f), _role(f), _when(f))),
    "quantity": (("text", "value", "unit", "base", "about: measure", "role", "when", "at"),
                 lambda f: (f.text, _range(f.value.get("magnitude"), f.value.get("magnitude_high")),
                            f.value.get("unit"),
                            f"{_range(f.value.get('base_magnitude'), f.value.get('base_magnitude_high'))} "
                            f"{f.value.get('base_unit', '')}",
                            _what(f), _role(f), _when(f))),
}


_UNBROKEN = {"at", "amount", "value"}


def _what(fact: Fact) -> str | None:
    """ "Peru: foreign debt", or whichever of the two is known."""
    if fact.about and fact.measure:
        return f"{fact.about}: {fact.measure}"
    return fact.about or fact.measure


def _role(fact: Fact) -> str | None:
    """ "level", "change down", with the modality when it is not an actual figure."""
    if fact.role is None:
        return None
    words = [fact.role, fact.direction, fact.modality if fact.modality not in (None, "actual") else None]
    return " ".join(filter(None, words))


def _write_tables(facts: Iterable[Fact], stream: IO[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console(stream)
    shown = 0
    for doc, doc_facts in groupby(facts, key=lambda fact: fact.doc):
        by_type: dict[str, list[Fact]] = {kind: [] for kind in FACT_TYPES}
        for fact in doc_facts:
            by_type[fact.type].append(fact)
        for kind, group in by_type.items():
            if not group:
                continue
            headers, cells = _COLUMNS[kind]
            table = Table(title=Text(f"{terminal_safe(doc)} · {kind} ({len(group)})"),
                          title_justify="left", expand=False)
            for header in headers:
                # numbers are never split mid-digit; text folds
                table.add_column(header, overflow="fold", no_wrap=header in _UNBROKEN)
            for fact in group:
                table.add_row(*(_cell(value) for value in cells(fact)), Text(f"{fact.start}-{fact.end}"))
            console.print(table)
            shown += len(group)
    if not shown:
        console.print(Text("no facts"))


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress counter on stderr (only when it is a terminal); yields `advance()`."""
    if not enabled:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("extracting"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=None)
        yield lambda: bar.advance(task)


def write_groups(groups: Sequence[dict[str, Any]], fmt: str, stream: IO[str], csv_raw: bool = False) -> None:
    """Claim groups from `factx conflicts`: one table per group, or JSON/CSV records."""
    if fmt in ("json", "jsonl"):
        write_rows(groups, fmt, stream, title="")
        return
    if fmt == "csv":
        rows = [
            {"status": g["status"], "about": g["about"], "measure": g["measure"], "role": g["reason"]["role"],
             "modality": g["reason"]["modality"], "dimension": g["dimensionality"] or g["currency"],
             "unit": g["unit"], "doc": c["doc"], "doc_date": c["doc_date"], "value": c["common_value"],
             "value_high": c["common_value_high"], "text": c["text"], "start": c["start"], "end": c["end"],
             "when": (c["when"] or {}).get("text"), "attributed_to": c["attributed_to"], "sentence": c["sentence"]}
            for g in groups for c in g["claims"]
        ]
        write_rows(rows, fmt, stream, title="", csv_raw=csv_raw)
        return
    from rich.table import Table
    from rich.text import Text

    console = _console(stream)
    for group in groups:
        reason = group["reason"]
        period = reason["period"]
        if isinstance(period, dict):
            period = period["start"] if period["start"] == period["end"] else f"{period['start']}..{period['end']}"
        title = (f"{group['status'].upper()} · {group['about']}: {group['measure']}"
                 f" · {group['documents']} documents · values in {group['unit']}")
        why = (f"why: same entity ({group['about']}), measure ({group['measure']}), {reason['role']},"
               f" {reason['modality']}, {reason['dimension']}; period: {period}")
        table = Table(title=Text(terminal_safe(title)), caption=Text(terminal_safe(why)),
                      title_justify="left", caption_justify="left")
        table.add_column("value", no_wrap=True)
        table.add_column("doc", overflow="fold", ratio=1)
        table.add_column("doc date", no_wrap=True)
        table.add_column("when", overflow="fold")
        table.add_column("said by", overflow="fold")
        table.add_column("sentence", overflow="fold", ratio=3)
        for claim in group["claims"]:
            table.add_row(_cell(_range(claim["common_value"], claim["common_value_high"])), _cell(claim["doc"]),
                          _cell(claim["doc_date"]), _cell((claim["when"] or {}).get("text")),
                          _cell(claim["attributed_to"]), _cell(claim["sentence"]))
        console.print(table)
    if not groups:
        console.print(Text("no groups"))
