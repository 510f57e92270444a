"""Renderers: hostile text is neutralized on terminals and kept byte-faithful in JSON/CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

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


# -- tables at 80 columns, on real stores ------------------------------------------

PRICES = (
    "date 2023-05-02\n"
    "Acme Corp said on Tuesday it would pay up to $8 a share for Widget Inc, a deal worth 1,500,000,000 dollars.\n"
    "Workers at the plant earn less than 15 cents per hour, the union said.\n"
    "The firm also paid about 500,000 rupees to a supplier.\n"
)


def _cli(*args: str, env: dict | None = None):
    from click.testing import CliRunner

    from factx.cli import main

    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "80", **(env or {})})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Two real stores: the seeds, and a short article of qualified, per-unit and unknown-currency money."""
    from conftest import SEEDS
    from hostile_article import HOSTILE, HOSTILE_NAME

    folder = tmp_path_factory.mktemp("tables")
    (folder / "in").mkdir()
    (folder / "in" / "prices.txt").write_text(PRICES, encoding="utf-8")
    (folder / "in" / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    _cli("extract", str(SEEDS), "--db", str(folder / "seeds.db"), "--format", "jsonl")
    _cli("extract", str(folder / "in"), "--db", str(folder / "in.db"), "--format", "jsonl")
    return folder


def _rows(table: str) -> list[list[list[str]]]:
    """A fact table's body rows, each a list of its cells' lines. A row starts where the
    last cell (`at`, the offsets, never wrapped) is filled."""
    rows: list[list[list[str]]] = []
    body = False
    for line in table.splitlines():
        body = line.startswith("┡") or (body and not line.startswith("└"))
        if not (body and line.startswith("│")):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[-1]:
            rows.append([[cell] for cell in cells])
        else:
            for lines, cell in zip(rows[-1], cells):
                lines.append(cell)
    return rows


def _text(lines: list[str]) -> str:
    """A wrapped cell read back as one line."""
    return " ".join(line for line in lines if line)


def _split_numbers(table: str) -> list[tuple[str, str]]:
    """Pairs of consecutive lines of one cell where a number continues on the next line."""
    splits = []
    for row in _rows(table):
        for lines in row:
            for this, following in zip(lines, lines[1:]):
                if re.search(r"[\d,.]$", this) and re.match(r"[\d,.]", following):
                    splits.append((this, following))
    return splits


def test_show_tables_fit_80_columns_and_never_split_a_number(stores):
    for db in ("seeds.db", "in.db"):
        for kind in ("entity", "date", "money", "quantity"):
            out = _cli("show", "--db", str(stores / db), "--type", kind)
            assert out.count("\n") > 3, out
            assert max(map(len, out.splitlines())) <= 80
            assert _split_numbers(out) == []
    # the checker itself sees a split number
    assert _split_numbers("┡━┩\n│ 1,500,000,00 │ 1-2 │\n│ 0 │  │\n└─┘") == [("1,500,000,00", "0")]


def test_money_shows_qualifier_currency_or_its_word_and_per_unit(stores):
    out = _cli("show", "--db", str(stores / "in.db"), "--type", "money", "--doc", "*prices.txt")
    values = {_text(row[1]) for row in _rows(out)}
    assert "≤ USD 8" in values  # "up to $8"
    assert "? 1.5 bn (dollars)" in values  # no country says which dollars; full value in JSON
    assert "≈ ? 500,000 (rupees)" in values
    assert any(value.startswith("≤ ? 0.15 (cents) per") and value.endswith("hour") for value in values), values
    full = json.loads(_cli("show", "--db", str(stores / "in.db"), "--type", "money", "--format", "json"))
    assert 1_500_000_000 in {fact["value"]["amount"] for fact in full}


def test_quantity_and_claim_frame_are_labelled(stores):
    out = _cli("show", "--db", str(stores / "seeds.db"), "--type", "quantity", "--doc", "*000_*")
    rows = _rows(out)
    gas = next(row for row in rows if "16 billion" in _text(row[0]))
    assert _text(gas[1]).startswith("16 bn meter³/year =")
    frame = _text(gas[2])
    assert "about:" in frame and "measure: natural gas" in frame and "role: level" in frame


def test_docs_table_is_one_line_per_document_at_80_columns(stores):
    out = _cli("docs", "--db", str(stores / "seeds.db"))
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80
    documents = [line for line in lines if ".txt" in line]
    assert len(documents) == 2
    assert all("current" in line and "/" in line.split("current")[0] for line in documents)
    assert any("2022-02-06" in line and "Prime Minister" in line for line in documents)
    assert "/work" not in out and not re.search(r"[0-9a-f]{64}", out)  # key and hash only with --wide
    wide = _cli("docs", "--db", str(stores / "seeds.db"), "--wide")
    records = json.loads(_cli("docs", "--db", str(stores / "seeds.db"), "--format", "json"))
    for record in records:
        assert record["sha256"] in wide and record["key"] in wide
        assert record["entity"] + record["date"] + record["money"] + record["quantity"] == record["facts"]
        assert f"{record['entity']}/{record['date']}/{record['money']}/{record['quantity']}" in out


def test_docs_status_follows_the_files(stores, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("kept.txt", "edited.txt", "gone.txt"):
        (folder / name).write_text("Acme Corp paid $5 million in 2020.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    _cli("extract", str(folder), "--db", db, "--format", "jsonl")
    (folder / "edited.txt").write_text("Acme Corp paid $6 million in 2020.\n", encoding="utf-8")
    (folder / "gone.txt").unlink()
    records = json.loads(_cli("docs", "--db", db, "--format", "json"))
    assert {Path(r["doc"]).name: r["status"] for r in records} == {
        "edited.txt": "changed", "gone.txt": "missing", "kept.txt": "current"}


def test_hostile_text_is_neutralized_in_show_and_docs_tables(stores):
    outputs = [_cli("docs", "--db", str(stores / "in.db")), _cli("docs", "--db", str(stores / "in.db"), "--wide")]
    outputs += [_cli("show", "--db", str(stores / "in.db"), "--type", kind) for kind in ("entity", "money", "quantity")]
    for out in outputs:
        assert "\x1b" not in out and "\u202e" not in out and "\u2066" not in out
    assert any("<img src=x" in out for out in outputs)  # shown literally, as text


@pytest.mark.parametrize("command", [["docs"], ["docs", "--wide"], ["show", "--type", "money"]])
def test_tables_load_no_spacy_and_no_pint(stores, command):
    import subprocess
    import sys

    code = (
        "import sys\nfrom factx.cli import main\n"
        f"try:\n    main({[*command, '--db', str(stores / 'seeds.db')]!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'pint', 'thinc')), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"COLUMNS": "80"})
    assert result.stdout.count("\n") > 3 and result.stderr.strip().splitlines()[-1] == "[]"


def test_conflicts_table_at_80_columns(stores):
    out = _cli("conflicts", "--db", str(stores / "seeds.db"))
    assert max(map(len, out.splitlines())) <= 80
    gas = out.split("CONFLICT · ")[1]
    title = " ".join(line.strip() for line in gas.splitlines()[:2])
    assert "natural gas" in title and "values in meter³/year" in title
    values = {_text(row[0]) for row in _rows_by_first_column(gas)}
    assert values == {"16 bn", "12.3 bn"}
    assert "┃ when" not in gas and "┃ said by" not in gas  # no claim fills them


def _rows_by_first_column(table: str) -> list[list[list[str]]]:
    """Rows of a table whose first cell (the value) starts each row."""
    body = table.split("┡", 1)[1].split("└", 1)[0]
    rows: list[list[list[str]]] = []
    for line in body.splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            if cells[0]:
                rows.append([[cell] for cell in cells])
    return rows


def test_entities_table_counts_documents_at_80_columns(stores):
    out = _cli("entities", "--db", str(stores / "seeds.db"))
    assert max(map(len, out.splitlines())) <= 80 and ".txt" not in out
    records = json.loads(_cli("entities", "--db", str(stores / "seeds.db"), "--format", "json"))
    shared = next(r for r in records if len(r["documents"]) == 2)  # the seeds share entities
    row = next(line for line in out.splitlines() if line.startswith(f"│ {shared['entity_id']} "))
    assert [cell.strip() for cell in row.strip("│").split("│")][4] == "2"
