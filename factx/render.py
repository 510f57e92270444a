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
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import IO, Any

from factx import formatting
from factx.facts import FACT_TYPES, FRAME_KEYS, SCHEMA, Fact
from factx.formatting import SHORT_SCALES
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


# `factx docs` as a table: one line per document at 80 columns; key and hash only with --wide.
DOC_SHARE = 4  # the shown path takes at most 1/4 of the width, cut at its start ("…/cnn_002.txt")
TITLE = "title or first words"
COUNTS = "e/d/m/q"


def _document_line(row: dict[str, Any], doc_limit: int | None, wide: bool) -> dict[str, str]:
    doc = terminal_safe(row["doc"])
    line = {"doc": formatting.truncate(doc, doc_limit, keep_end=True) if doc_limit else doc,
            TITLE: terminal_safe(row["title"] or row["first_words"] or ""), "date": row["doc_date"] or "–",
            COUNTS: "/".join(str(row[kind]) for kind in FACT_TYPES), "status": row["status"]}
    if wide:
        line.update(model=f"{row['model']} {row['model_version']}", key=terminal_safe(row["key"]),
                    sha256=row["sha256"])
    return line


def write_documents(rows: Sequence[dict[str, Any]], fmt: str, stream: IO[str], wide: bool = False,
                    csv_raw: bool = False) -> None:
    """Stored documents (factx.listing rows): every field in JSON/CSV. The table has one line
    per document, path and title (or first words) cut to fit the width; `wide` adds the model,
    key and SHA-256 and cuts nothing."""
    if fmt != "table":
        write_rows(rows, fmt, stream, title="documents", csv_raw=csv_raw)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(stream)
    if not rows:
        console.print(Text("no documents"))
        return
    lines = [_document_line(row, None if wide else max(12, console.width // DOC_SHARE), wide) for row in rows]
    widths = {header: max(len(header), *(len(line[header]) for line in lines)) for header in lines[0]}
    if wide:  # whole lines, as wide as they need (`ps -ww`): the terminal wraps them, not the table
        console.width = max(console.width, sum(widths.values()) + 2 * len(widths) + 2)
    table = Table(title="documents", title_justify="left", caption=f"{COUNTS}: facts by type ({'/'.join(FACT_TYPES)})",
                  caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                  expand=not wide)
    for header, width in widths.items():
        if header == TITLE and not wide:  # takes the width the others leave
            table.add_column(header, ratio=1, no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(header, width=width, no_wrap=True, justify="right" if header == COUNTS else "left")
    for line in lines:
        table.add_row(*map(Text, line.values()))
    console.print(table)


def write_entities(rows: Sequence[dict[str, Any]], fmt: str, stream: IO[str], csv_raw: bool = False) -> None:
    """Entities across the store: the table counts each entity's documents (JSON/CSV list them)."""
    if fmt == "table":
        rows = [{**row, "documents": len(row["documents"])} for row in rows]
    write_rows(rows, fmt, stream, title="entities", csv_raw=csv_raw)


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

    # A terminal or a COLUMNS setting gives the width; other files and pipes get a fixed 100
    # columns. No colour codes in files and pipes.
    width = None if stream.isatty() or os.environ.get("COLUMNS", "").isdigit() else 100
    return Console(file=stream, width=width, highlight=False, emoji=False, markup=False)


def _cell(value: Any):
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, Text):
        return value
    if isinstance(value, float):
        return Text(formatting.number(value, SHORT_SCALES))
    if isinstance(value, (list, tuple, set)):
        return Text(terminal_safe(", ".join(map(str, value))))
    return Text(terminal_safe(str(value)))


def _value(fact: Fact) -> str:
    """ "≤ USD 8", "USD 0.15 per hour", "≈ 16 bn meter³/year" and, for a quantity, its SI
    form on a second line ("= 507.009 meter³/second"). Short numbers; full ones in JSON/CSV."""
    text = formatting.qualified(fact.qualifier, formatting.fact_value(fact, SHORT_SCALES))
    v = fact.value
    if fact.type == "quantity" and v.get("base_unit"):
        base = formatting.number_range(v.get("base_magnitude"), v.get("base_magnitude_high"), SHORT_SCALES)
        text += f"\n= {base} {formatting.unit(v['base_unit'])}"
    return text


def _role(fact: Fact) -> str | None:
    """ "level", "change down", with the modality when it is not an actual figure."""
    words = [fact.role, fact.direction, fact.modality if fact.modality not in (None, "actual") else None]
    return " ".join(filter(None, words)) or None


def _when(fact: Fact) -> str | None:
    if not fact.when:
        return None
    value = fact.when.get("value") or {}
    return f"{fact.when.get('text')} ({formatting.period(value.get('start'), value.get('end'))})"


# The claim frame of a money or quantity fact, one labelled line per known key.
FRAME_LINES = (("about", lambda f: f.about), ("measure", lambda f: f.measure), ("role", _role),
               ("when", _when), ("said by", lambda f: f.attributed_to))


def _frame(fact: Fact):
    """One line per known frame key, "about: Peru", labels dimmed; lines wrap between words."""
    from rich.text import Text

    text = Text()
    for name, read in FRAME_LINES:
        value = read(fact)
        if value:
            text.append(("\n" if text else "") + f"{name}: ", style="dim")
            text.append(terminal_safe(str(value)))
    return text


def _date_period(fact: Fact) -> str:
    v = fact.value
    return formatting.period(v.get("start"), v.get("end"))


def _grain(fact: Fact) -> str:
    return " ".join(filter(None, [fact.value.get("grain"), fact.value.get("relation")]))


# Per type: (header, cell) columns after `text`; `at` (the offsets) comes last.
_COLUMNS: dict[str, tuple[tuple[str, Callable[[Fact], Any]], ...]] = {
    "entity": (("label", lambda f: f.label), ("canonical", lambda f: f.value.get("canonical"))),
    "date": (("label", lambda f: f.label), ("period", _date_period), ("grain", _grain)),
    "money": (("value", _value), ("claim", _frame)),
    "quantity": (("value (= SI)", _value), ("claim", _frame)),
}


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
            table = Table(title=Text(f"{terminal_safe(doc)} · {kind} ({len(group)})"),
                          title_justify="left", expand=False)
            # Cells wrap between words: numbers are short words ("1.5 bn"), never split.
            table.add_column("text", overflow="fold")
            for header, _ in _COLUMNS[kind]:
                table.add_column(header, overflow="fold")
            table.add_column("at", no_wrap=True)
            for fact in group:
                cells = [cell(fact) for _, cell in _COLUMNS[kind]]
                table.add_row(_cell(fact.text), *(_cell(cell) for cell in cells),
                              Text(f"{fact.start}-{fact.end}"))
            console.print(table)
            shown += len(group)
    if not shown:
        console.print(Text("no facts"))


@contextmanager
def progress_bar(enabled: bool):
    """A bar on stderr while `extract` runs, only when stderr is a terminal: documents done
    of how many (when known), characters per second, time left. Yields the driver's
    progress callback (None when quiet)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=None, rate="")
        first: list[tuple[float, int]] = []  # when the first document came back, and its characters

        def update(documents: int, chars: int, expected: int | None) -> None:
            # The rate is counted from the first document back, so the model's loading time
            # is not in it.
            now = time.monotonic()
            first[:] = first or [(now, chars)]
            elapsed = now - first[0][0]
            rate = f"{(chars - first[0][1]) / elapsed:,.0f} chars/s" if elapsed > 0 else ""
            bar.update(task, completed=documents, total=expected, rate=rate)

        yield update


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
        values_in = formatting.unit(group["unit"]) or "?"
        title = (f"{group['status'].upper()} · {group['about']}: {group['measure']}"
                 f" · {group['documents']} documents · values in {values_in}")
        why = (f"why: same entity ({group['about']}), measure ({group['measure']}), {reason['role']},"
               f" {reason['modality']}, {reason['dimension']}; period: {period}")
        table = Table(title=Text(terminal_safe(title)), caption=Text(terminal_safe(why)),
                      title_justify="left", caption_justify="left")
        # Columns no claim of the group fills are left out: the sentence gets their width.
        columns = [("value", lambda c: formatting.number_range(c["common_value"], c["common_value_high"], SHORT_SCALES)),
                   ("doc", lambda c: c["doc"]), ("doc date", lambda c: c["doc_date"]),
                   ("when", lambda c: (c["when"] or {}).get("text")), ("said by", lambda c: c["attributed_to"]),
                   ("sentence", lambda c: c["sentence"])]
        columns = [(name, read) for name, read in columns if any(read(claim) for claim in group["claims"])]
        for name, _ in columns:
            table.add_column(name, overflow="fold", ratio={"doc": 1, "sentence": 3}.get(name),
                             no_wrap=name in ("value", "doc date"))
        for claim in group["claims"]:
            table.add_row(*(_cell(read(claim)) for _, read in columns))
        console.print(table)
    if not groups:
        console.print(Text("no groups"))
