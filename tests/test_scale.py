"""--jobs, batching and incremental re-runs: same facts, same store, less work."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from conftest import SEEDS
from factx.batch import extract_batch


def _articles(folder, count=12):
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:03}.txt").write_text(
            f"date 1987-03-{i + 1:02}\nAcme Corp said on Monday it sold {i + 1} mln tonnes of wheat to Egypt "
            f"for {10 + i} mln dlrs in 1986, up {i + 2} pct from a year earlier.\n", encoding="utf-8")
    return folder


def _run(args, cwd):
    result = subprocess.run([sys.executable, "-m", "factx", *args], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def _stored(db):
    connection = sqlite3.connect(db)
    rows = connection.execute(
        'SELECT d.doc, f.type, f.label, f.text, f.start, f."end", f.value, f.subject, f.about, f."when"'
        " FROM facts f JOIN documents d ON d.id = f.document_id ORDER BY d.doc, f.start, f.type").fetchall()
    connection.close()
    return rows


def test_jobs_2_gives_the_same_output_and_store_as_jobs_1(tmp_path):
    _articles(tmp_path / "in", 150)  # more than two batches, so both workers get work
    one = _run(["extract", "in", "--jobs", "1", "--db", "one.db", "--format", "jsonl"], tmp_path)
    two = _run(["extract", "in", "--jobs", "2", "--db", "two.db", "--format", "jsonl"], tmp_path)
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) > 150
    assert _stored(tmp_path / "one.db") == _stored(tmp_path / "two.db")


def test_unchanged_rerun_loads_no_model(tmp_path):
    _articles(tmp_path / "in", 3)
    _run(["extract", "in", "--format", "jsonl"], tmp_path)
    code = (
        "import sys\nfrom factx.cli import main\n"
        "try:\n    main(['extract', 'in', '--format', 'jsonl'])\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print(code, 'spacy' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.stderr.strip().splitlines()[-1] == "0 False"
    assert "3 unchanged" in result.stderr
    assert len(result.stdout.splitlines()) > 3  # the stored facts are still printed


def test_extract_batch_returns_plain_rows_with_provenance():
    text = (SEEDS / "003_5edcf8e630143796.txt").read_text(encoding="utf-8")
    rows = extract_batch([{"doc": "a", "text": text}, {"id": "b", "body": "Prices rose 5 pct in 2020.",
                                                       "date": "2021-01-01"}])
    assert json.loads(json.dumps(rows)) == rows  # plain JSON-ready values
    a_rows = [r for r in rows if r["doc"] == "a"]
    assert [r["fact_index"] for r in a_rows] == list(range(len(a_rows)))
    assert {r["factx_version"] for r in rows} and all(len(r["sha256"]) == 64 for r in rows)
    assert any(r["doc"] == "b" and r["type"] == "quantity" for r in rows)


def test_model_memory_is_released_after_zone_chars_of_text(monkeypatch):
    # A fresh extractor (the shared one may be mid-zone for other tests).
    from factx import pipeline
    from factx.sources import source_from_text

    monkeypatch.setattr(pipeline, "ZONE_CHARS", 200)
    extractor = pipeline.Extractor()
    strings = extractor.nlp.vocab.strings
    word = "Qwzxvbnmkj"  # a word no model vocabulary holds
    short = source_from_text("a", "a", f"{word} sold 5 tonnes.")
    extractor.process_batch([short])
    assert word in strings  # still inside the zone: the tokenizer keeps what it saw
    long = source_from_text("b", "b", "Exports rose 4% in March. " * 10)
    facts = extractor.process_batch([long])[0].facts
    assert word not in strings and extractor._zone is None  # 200 characters seen: released
    assert any(fact.type == "quantity" for fact in facts)  # results outlive the zone


def test_progress_counts_documents_and_characters_of_every_driver_step(tmp_path):
    """The driver reports (documents done, characters processed, documents expected) after
    each document; unchanged documents count as done but not as processed characters."""
    from factx.extraction import Options, run_extraction
    from factx.store import Store

    folder = _articles(tmp_path / "in", 3)
    (folder / "zz.txt").write_bytes(b"\0binary")
    sizes = sum(len(path.read_text(encoding="utf-8")) for path in folder.glob("0*.txt"))
    calls = []
    with Store.open(str(tmp_path / "p.db")) as store:
        list(run_extraction(Options([str(folder)], jobs=1), store, lambda doc, message: None,
                            lambda *call: calls.append(call)))
        assert calls == [(1, calls[0][1], 4), (2, calls[1][1], 4), (3, sizes, 4), (4, sizes, 4)]
        calls.clear()
        list(run_extraction(Options([str(folder)], jobs=1), store, lambda doc, message: None,
                            lambda *call: calls.append(call)))
        assert calls[-1] == (4, 0, 4)


def test_extract_draws_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    _articles(tmp_path / "in", 2)
    result = _run(["extract", "in", "--no-store", "--format", "jsonl", "--jobs", "1"], tmp_path)
    assert result.stderr.splitlines() == [line for line in result.stderr.splitlines() if line.startswith("factx: ")]
    assert "chars/s" not in result.stderr
