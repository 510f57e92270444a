"""The SQLite store: atomic replacement, skipping, forgetting and bad stores."""

from __future__ import annotations

import dataclasses
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
