"""The SQLite store: atomic replacement, skipping, forgetting and bad stores."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3

import pytest

from factx.errors import StoreError
from factx.facts import Fact
from factx.store import SCHEMA_VERSION, Provenance, Store

PROVENANCE = Provenance("abc", "2022-02-06", "model", "1.0", "0.1.0")


def _fact(doc: str, start: int, text: str = "Moscow") -> Fact:
    return Fact(doc=doc, type="entity", label="GPE", text=text, start=start, end=start + len(text),
                sentence=text, sentence_start=start, value={"canonical": text})


def test_replace_and_query_round_trip(tmp_path):
    with Store.open(str(tmp_path / "f.db")) as store:
        store.replace_document("/abs/b.txt", "b.txt", "Moscow", PROVENANCE, [_fact("b.txt", 0)])
        store.replace_document("/abs/a.txt", "a.txt", "xx Moscow", PROVENANCE, [_fact("a.txt", 3)])
        facts = list(store.facts())
        assert [(f.doc, f.start) for f in facts] == [("a.txt", 3), ("b.txt", 0)]
        assert facts[0] == _fact("a.txt", 3)
        assert store.text("/abs/a.txt") == "xx Moscow"
        assert [f.doc for f in store.facts(doc_glob="b*")] == ["b.txt"]
        assert list(store.facts(types=["money"])) == []


@pytest.mark.parametrize("field", ["sha256", "doc_date", "model", "model_version", "factx_version"])
def test_unchanged_needs_every_part_of_provenance(tmp_path, field):
    from factx.batch import DocumentResult
    from factx.recorder import Recorder

    def result(key, provenance):
        return DocumentResult("a.txt", key, "ok", provenance=provenance, text="")

    with Store.open(str(tmp_path / "f.db")) as store:
        store.replace_document("/abs/a.txt", "a.txt", "", PROVENANCE, [])
        recorder = Recorder(store, lambda doc, message: None, known=store.provenances())
        assert not recorder.store_document(result("/abs/a.txt", PROVENANCE))  # the store has it
        assert recorder.store_document(result("/abs/other.txt", PROVENANCE))
        changed = dataclasses.replace(PROVENANCE, **{field: "changed"})
        assert recorder.store_document(result("/abs/a.txt", changed))
        assert store.provenances()["/abs/a.txt"][0] == changed


def test_failed_transaction_keeps_previous_facts(tmp_path):
    with Store.open(str(tmp_path / "f.db")) as store:
        store.replace_document("/abs/a.txt", "a.txt", "Moscow", PROVENANCE, [_fact("a.txt", 0)])

        def broken_facts():
            yield _fact("a.txt", 0, "Paris")
            raise KeyboardInterrupt  # interrupted midway through the inserts

        with pytest.raises(KeyboardInterrupt):
            store.replace_document("/abs/a.txt", "a.txt", "Paris", PROVENANCE, broken_facts())
        assert [f.text for f in store.facts()] == ["Moscow"]
        assert store.text("/abs/a.txt") == "Moscow"


def test_forget_by_glob(tmp_path):
    with Store.open(str(tmp_path / "f.db")) as store:
        store.replace_document("/abs/a.txt", "in/a.txt", "Moscow", PROVENANCE, [_fact("in/a.txt", 0)])
        store.replace_document("/abs/b.txt", "b.txt", "Moscow", PROVENANCE, [_fact("b.txt", 0)])
        assert store.forget(["in/*"]) == 1
        assert [f.doc for f in store.facts()] == ["b.txt"]


def test_bad_stores_are_one_line_errors(tmp_path):
    with pytest.raises(StoreError, match="no factx store"):
        Store.open(str(tmp_path / "missing.db"), create=False)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a factx store"):
        Store.open(str(garbage))
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a factx store"):
        Store.open(str(other))
    newer = tmp_path / "newer.db"
    Store.open(str(newer)).close()
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer factx"):
        Store.open(str(newer))


def _schema_1_store(path) -> None:
    """A store as factx 0.1 wrote it: migration 1 only, one money fact without a frame."""
    from factx.store import APPLICATION_ID, MIGRATIONS

    db = sqlite3.connect(path)
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO documents VALUES (1, '/abs/a.txt', 'a.txt', 'abc', NULL, 'm', '1', '0.1.0', 't', "
               "'It cost $5')")
    db.execute("INSERT INTO facts (document_id, type, label, text, start, \"end\", sentence, sentence_start, value,"
               " subject, about, \"when\", qualifier) VALUES (1, 'money', 'MONEY', '$5', 8, 10, 'It cost $5', 0,"
               " '{\"amount\": 5, \"currency\": \"USD\"}', NULL, NULL, NULL, NULL)")
    db.commit()
    db.close()


def test_a_schema_1_store_is_read_as_it_is_and_migrated_on_write(tmp_path):
    path = str(tmp_path / "old.db")
    _schema_1_store(path)
    with Store.open(path, create=False, readonly=True) as store:
        (fact,) = store.facts()
        assert fact.value["amount"] == 5 and fact.measure is None and fact.role is None
    with sqlite3.connect(path) as db:  # reading changed nothing
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    with Store.open(path) as store:
        (fact,) = store.facts()
        assert fact.text == "$5"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = {row[1] for row in db.execute("PRAGMA table_info(facts)")}
        assert {"measure", "role", "direction", "attributed_to", "modality"} <= columns


def _store_of_files(store_path, paths: dict[str, str]) -> None:
    """A store holding real files, each under its resolved path as key and shown as given."""
    with Store.open(str(store_path)) as store:
        for shown, path in paths.items():
            store.replace_document(os.path.realpath(path), shown, "Moscow", PROVENANCE, [_fact(shown, 0)])


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (with glob characters in its name) holding data/ and seeds/, a
    sibling folder x/, and a store of one file of each, shown as given from the project root."""
    root = tmp_path / "news [2022]*"
    for relative in ("data/cnn_002.txt", "data/cnn_0021.txt", "seeds/x.txt", "../x/y.txt"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("Moscow", encoding="utf-8")
    monkeypatch.chdir(root)
    _store_of_files(tmp_path / "f.db", {p: p for p in ("data/cnn_002.txt", "data/cnn_0021.txt", "seeds/x.txt",
                                                      "../x/y.txt")})
    return tmp_path / "f.db"


@pytest.mark.parametrize(("glob", "shown"), [
    ("cnn_002.txt", ["data/cnn_002.txt"]),             # a bare file name
    ("cnn_002*", ["data/cnn_002.txt", "data/cnn_0021.txt"]),
    ("./seeds/x.txt", ["seeds/x.txt"]),                # a path from the current folder
    ("seeds/x.txt", ["seeds/x.txt"]),
    ("seeds//x.txt", ["seeds/x.txt"]),
    ("../x/y.txt", ["../x/y.txt"]),
    ("data/*.txt", ["data/cnn_002.txt", "data/cnn_0021.txt"]),
    ("*/x.txt", ["seeds/x.txt"]),                      # globs on the path as shown, as before
    ("*y.txt", ["../x/y.txt"]),
    ("x.txt", ["seeds/x.txt"]),
    ("y", []),
    ("cnn_002", []),
])
def test_doc_matches_a_file_name_or_a_path_from_the_current_folder(project, glob, shown):
    with Store.open(str(project), create=False, readonly=True) as store:
        assert [fact.doc for fact in store.facts(doc_glob=glob)] == shown
        assert [row.doc for row in store.documents([glob])] == shown


def test_doc_paths_resolve_from_the_current_folder_not_from_where_they_were_extracted(project, monkeypatch):
    monkeypatch.chdir("data")
    with Store.open(str(project), create=False, readonly=True) as store:
        assert [fact.doc for fact in store.facts(doc_glob="../seeds/x.txt")] == ["seeds/x.txt"]
        assert [fact.doc for fact in store.facts(doc_glob="cnn_002.txt")] == ["data/cnn_002.txt"]
        assert [fact.doc for fact in store.facts(doc_glob="./cnn_002.txt")] == ["data/cnn_002.txt"]
        assert [fact.doc for fact in store.facts(doc_glob="seeds/x.txt")] == ["seeds/x.txt"]  # as shown, as before
        assert list(store.facts(doc_glob="./seeds/x.txt")) == []  # there is no data/seeds/x.txt
        assert [row.doc for row in store.documents(["../../x/*", "cnn_0021.txt"])] == ["../x/y.txt",
                                                                                     "data/cnn_0021.txt"]


def test_show_and_report_doc_take_a_file_name_and_a_relative_path(workdir, runner):
    from conftest import SEED_000, SEED_003
    from factx.cli import main

    assert runner.invoke(main, ["extract", "seeds/"]).exit_code == 0
    shown = runner.invoke(main, ["show", "--doc", SEED_003, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    docs = {fact["doc"] for fact in json.loads(shown.stdout)}
    assert docs == {f"seeds/{SEED_003}"}
    report = runner.invoke(main, ["report", "--doc", f"./seeds/{SEED_000}", "-o", "-"])
    assert report.exit_code == 0, report.output
    assert re.findall(r'<h3 id="d\d+h">([^<]*)</h3>', report.stdout) == [f"seeds/{SEED_000}"]
