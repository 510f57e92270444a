"""Every command through Click's CliRunner, and once as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import SEED_000, SEED_003
from factx.cli import main


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_extract_then_show_then_docs(runner, workdir):
    extracted = _json(runner.invoke(main, ["extract", "seeds/", "--format", "json"]))
    assert {f["doc"] for f in extracted} == {f"seeds/{SEED_000}", f"seeds/{SEED_003}"}
    shown = _json(runner.invoke(main, ["show", "--format", "json"]))
    assert shown == extracted  # the store keeps every field

    quantities = _json(runner.invoke(main, ["show", "--type", "quantity", "--format", "json"]))
    assert quantities and {f["type"] for f in quantities} == {"quantity"}
    persons = _json(runner.invoke(main, ["show", "--label", "person", "--doc", "*003*", "--format", "json"]))
    assert persons and all(f["label"] == "PERSON" and SEED_003 in f["doc"] for f in persons)
    grep = _json(runner.invoke(main, ["show", "--grep", "natural gas", "--format", "json"]))
    assert grep and all("natural gas" in f["text"] + (f["subject"] or "") + f["sentence"] for f in grep)
    assert _json(runner.invoke(main, ["show", "--grep", "no such words", "--format", "json"])) == []

    docs = _json(runner.invoke(main, ["docs", "--format", "json"]))
    assert [d["doc"] for d in docs] == [f"seeds/{SEED_000}", f"seeds/{SEED_003}"]
    assert docs[1]["doc_date"] == "2022-02-06" and docs[0]["doc_date"] is None
    assert [d["facts"] for d in docs] == [
        sum(f["doc"] == d["doc"] for f in extracted) for d in docs
    ]


def test_rerun_skips_unchanged_and_shows_the_same_facts(runner, workdir):
    first = runner.invoke(main, ["extract", "seeds/", "--format", "json"])
    second = runner.invoke(main, ["extract", "./seeds", "--format", "json"])
    assert second.exit_code == 0
    assert "unchanged" in second.stderr and "2 unchanged" in second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    forced = runner.invoke(main, ["extract", "seeds/", "--force", "--format", "json"])
    assert "0 unchanged" in forced.stderr and json.loads(forced.stdout) == json.loads(first.stdout)


def test_changed_document_is_replaced(runner, workdir):
    article = workdir / "seeds" / SEED_000
    runner.invoke(main, ["extract", str(article)])
    article.write_text("Vladimir Putin met Imran Khan in Moscow.", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(article), "--format", "json"])
    assert "1 processed" in result.stderr
    stored = _json(runner.invoke(main, ["show", "--format", "json"]))
    assert {f["text"] for f in stored} == {"Vladimir Putin", "Imran Khan", "Moscow"}


def test_doc_date_option_wins_over_marker(runner, workdir):
    facts = _json(runner.invoke(main, ["extract", f"seeds/{SEED_003}", "--no-store", "--format", "json",
                                       "--doc-date", "2023-06-15"]))
    week = next(f for f in facts if f["text"] == "the last week of this month")
    assert "2023-06-24" <= week["value"]["start"] <= week["value"]["end"] == "2023-06-30"


def test_stdin_is_stored_under_its_hash(runner, workdir):
    text = "date 2022-02-06\nRussia sold 5 million tonnes of wheat last year."
    facts = _json(runner.invoke(main, ["extract", "-", "--format", "json"], input=text))
    assert [(f["doc"], f["type"], f["text"]) for f in facts] == [
        ("-", "entity", "Russia"), ("-", "quantity", "5 million tonnes"), ("-", "date", "last year")]
    assert all(text[f["start"] : f["end"]] == f["text"] for f in facts)
    assert facts[2]["value"]["start"] == "2021-01-01"  # "last year" from the marker's 2022 date
    docs = _json(runner.invoke(main, ["docs", "--format", "json"]))
    assert docs[0]["key"].startswith("stdin:") and len(docs[0]["key"]) == len("stdin:") + 12


def test_error_paths_keep_the_good_files(runner, workdir):
    (workdir / "seeds" / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (workdir / "seeds" / "empty.txt").write_bytes(b"")
    (workdir / "seeds" / "latin1.txt").write_bytes("Moscow paid 5 million roubles in Zürich.".encode("latin-1"))
    result = runner.invoke(main, ["extract", "seeds/", "missing.txt", "--format", "json"])
    assert result.exit_code == 1  # the missing path
    facts = json.loads(result.stdout)
    docs = {f["doc"] for f in facts}
    assert {f"seeds/{SEED_000}", f"seeds/{SEED_003}", "seeds/latin1.txt"} <= docs
    lines = result.stderr.strip().splitlines()
    assert any("missing.txt" in line and "no such file" in line for line in lines)
    assert any("binary.txt" in line and "binary" in line for line in lines)
    assert any("latin1.txt" in line and "replacement" in line for line in lines)
    assert "Traceback" not in result.stderr
    latin = next(f for f in facts if f["doc"] == "seeds/latin1.txt" and f["text"] == "Moscow")
    stored_text = (workdir / "seeds" / "latin1.txt").read_bytes().decode("utf-8", errors="replace")
    assert stored_text[latin["start"] : latin["end"]] == "Moscow"


def test_only_binary_and_empty_files_exit_zero(runner, workdir):
    (workdir / "in").mkdir()
    (workdir / "in" / "binary.txt").write_bytes(b"\x00\x01")
    (workdir / "in" / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["extract", "in", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_missing_store_is_one_line_error(runner, workdir):
    for command in (["show"], ["docs"], ["forget", "x"]):
        result = runner.invoke(main, [*command, "--db", "nowhere.db"])
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and "nowhere.db" in result.stderr


def test_not_a_store_is_one_line_error(runner, workdir):
    (workdir / "junk.db").write_text("not a database at all, just text" * 50)
    result = runner.invoke(main, ["show", "--db", "junk.db"])
    assert result.exit_code == 1 and "not a factx store" in result.stderr


def test_no_model_installed(runner, workdir, monkeypatch):
    import factx.pipeline

    monkeypatch.setattr(factx.pipeline, "MODEL_CANDIDATES", ("no_such_model_package",))
    result = runner.invoke(main, ["extract", "seeds/"])
    assert result.exit_code == 1
    assert "pip install -r models.txt" in result.stderr and result.stderr.count("\n") == 1


def test_usage_error_is_exit_2(runner, workdir):
    assert runner.invoke(main, ["extract"]).exit_code == 2
    assert runner.invoke(main, ["show", "--type", "nonsense"]).exit_code == 2
    assert runner.invoke(main, ["extract", "seeds/", "--doc-date", "06/02/2022"]).exit_code == 2


def test_forget_drops_documents(runner, workdir):
    runner.invoke(main, ["extract", "seeds/"])
    result = runner.invoke(main, ["forget", f"seeds/{SEED_000}"])
    assert result.exit_code == 0 and "forgot 1" in result.stderr
    docs = _json(runner.invoke(main, ["docs", "--format", "json"]))
    assert [d["doc"] for d in docs] == [f"seeds/{SEED_003}"]


def test_formats_agree(runner, workdir):
    runner.invoke(main, ["extract", "seeds/"])
    as_json = _json(runner.invoke(main, ["show", "--format", "json"]))
    jsonl = runner.invoke(main, ["show", "--format", "jsonl"]).stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == as_json
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["show", "--format", "csv"]).stdout)))
    columns = ("doc", "type", "label", "text", "start", "end", "sentence", "subject")
    assert [tuple(row[c] for c in columns) for row in rows] == [
        tuple("" if f[c] is None else str(f[c]) for c in columns) for f in as_json]
    (trade,) = [row for row in rows if row["text"] == "$790 million"]  # "$790 million in 2020" in seed 000
    assert (float(trade["value_amount"]), trade["value_currency"], trade["when_text"]) == (7.9e8, "USD", "2020")
    table = runner.invoke(main, ["show", "--type", "money"]).stdout
    assert "$790 million" in table and max(len(line) for line in table.splitlines()) <= 100


def test_schema_is_valid_json_schema(runner):
    import jsonschema

    schema = json.loads(runner.invoke(main, ["schema"]).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_real_subprocess(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "factx", "extract", "--no-store", "--format", "jsonl", "-"],
        input="Gazprom will ship 16 bcm a year to Pakistan from 2023.", capture_output=True, text=True,
        cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr
    facts = [json.loads(line) for line in result.stdout.splitlines()]
    (flow,) = [f for f in facts if f["type"] == "quantity"]
    assert flow["text"] == "16 bcm a year"
    assert flow["value"]["base_magnitude"] == pytest.approx(16e9 / (365.25 * 86400))  # m³/s
    assert "1 processed" in result.stderr and "facts:" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["show", "--db", "x.db"], ["extract", "--help"]])
def test_commands_without_a_model_do_not_import_spacy(tmp_path, args):
    code = (
        "import sys\n"
        "from factx.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('spacy' in sys.modules, 'pint' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.stderr.strip().splitlines()[-1] == "False False"
