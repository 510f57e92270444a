"""The SQL views for Datasette and sqlite-utils users (docs/sql.md) and the Datasette plugin."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from factx.cli import main
from factx.store import MIGRATIONS, SCHEMA_VERSION, Store

# A small article of our own beside the seeds: a price per unit, ranges, an unknown
# currency, a qualifier and a week, so every value column has something to show.
ARTICLE = (
    "date 2021-03-10\n"
    "Crude oil rose to 18 dlrs a barrel last week, traders said.\n"
    "The company expects sales of 3 to 4 billion dlrs in 2022, up to 15 pct more than a year ago.\n"
    "Farmers were paid 200 rupees per tonne.\n"
    "The lake covers between 20 and 30 square km.\n"
)
VALUE_COLUMNS = ("canonical", "amount", "amount_high", "currency", "currency_text", "per_unit", "magnitude",
                 "magnitude_high", "unit", "base_magnitude", "base_magnitude_high", "base_unit", "grain")
FACT_COLUMNS = ("doc", "type", "label", "text", "start", "end", "qualifier", "subject", "about", "measure", "role",
                "direction", "attributed_to", "modality", "sentence", "sentence_start")


def _expected_row(fact: dict) -> dict:
    """What facts_flat should hold for one fact of factx's JSON output."""
    value, when = fact["value"], fact["when"] or {}
    date = value if fact["type"] == "date" else {}
    return {
        **{column: fact[column] for column in FACT_COLUMNS},
        **{column: value.get(column) for column in VALUE_COLUMNS},
        "date_start": date.get("start"), "date_end": date.get("end"),
        "when_text": when.get("text"),
        "when_date_start": when.get("value", {}).get("start"), "when_date_end": when.get("value", {}).get("end"),
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A real store from `factx extract` of the seeds and ARTICLE, with the facts' JSON."""
    folder = tmp_path_factory.mktemp("views")
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(folder / "factx.db")
    result = CliRunner().invoke(main, ["extract", str(SEEDS), str(folder / "article.txt"), "--db", db,
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    return db, json.loads(result.stdout)


def _rows(db: str, sql: str) -> list[dict]:
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql)]
    finally:
        connection.close()


def _typed(row: dict) -> dict:
    """Values with their types, so 5 and 5.0 or '5' and 5 differ."""
    return {column: (type(value).__name__, value) for column, value in row.items()}


def test_facts_flat_holds_each_facts_json_values_in_output_order(store):
    db, facts = store
    rows = _rows(db, "SELECT * FROM facts_flat")
    assert len(rows) == len(facts) > 0
    documents = {row["doc"]: row for row in _rows(db, "SELECT * FROM documents")}
    for row, fact in zip(rows, facts):
        assert row.pop("doc_date") == documents[fact["doc"]]["doc_date"]
        assert row.pop("id") is not None
        assert _typed(row) == _typed(_expected_row(fact))
    # Every JSON-derived column is filled somewhere, so a wrong JSON path cannot pass as nulls.
    for column in (*VALUE_COLUMNS, "date_start", "date_end", "when_text", "when_date_start", "when_date_end"):
        assert any(row[column] is not None for row in rows), column


def test_facts_flat_ids_are_the_facts_table_ids(store):
    db, _ = store
    pairs = _rows(db, "SELECT v.text AS flat, f.text AS stored FROM facts_flat v JOIN facts f ON f.id = v.id")
    assert pairs and all(pair["flat"] == pair["stored"] for pair in pairs)


def test_documents_flat_counts_each_documents_facts(store):
    db, facts = store
    rows = _rows(db, "SELECT * FROM documents_flat")
    texts = {row["doc"]: row["text"] for row in _rows(db, "SELECT doc, text FROM documents")}
    assert [row["doc"] for row in rows] == sorted(texts)
    for row in rows:
        counts = Counter(fact["type"] for fact in facts if fact["doc"] == row["doc"])
        assert row["characters"] == len(texts[row["doc"]])
        assert (row["facts"], row["entities"], row["dates"], row["money"], row["quantities"]) == (
            sum(counts.values()), counts["entity"], counts["date"], counts["money"], counts["quantity"])


def _schema_3_store(path: str) -> None:
    """A store as factx 0.2 wrote it (migrations 1 to 3): one fact whose sentence is kept as
    text (written before migration 3) and one whose sentence is kept as offsets."""
    from factx.store import APPLICATION_ID

    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:3]:
        for statement in filter(str.strip, migration.split(";")):
            db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 3")
    db.execute("INSERT INTO documents VALUES (1, '/abs/a.txt', 'a.txt', 'abc', '2020-05-01', 'm', '1', '0.2.0', 't',"
               " 'Intro. It cost $5 in 2019. Then 3 km.')")
    columns = 'document_id, type, label, text, start, "end", sentence, sentence_start, value, "when", sentence_end'
    db.execute(f"INSERT INTO facts ({columns}) VALUES (1, 'money', 'MONEY', '$5', 15, 17, 'It cost $5 in 2019.', 7,"
               """ '{"amount": 5, "currency": "USD"}', '{"text": "2019", "start": 21, "end": 25,"""
               """ "value": {"start": "2019-01-01", "end": "2019-12-31", "grain": "year", "anchored": true}}', NULL)""")
    db.execute(f"INSERT INTO facts ({columns}) VALUES (1, 'quantity', 'QUANTITY', '3 km', 32, 36, '', 27,"
               """ '{"magnitude": 3, "unit": "kilometer", "base_magnitude": 3000, "base_unit": "meter","""
               """ "dimensionality": "[length]"}', NULL, 37)""")
    db.commit()
    db.close()


def test_an_old_store_gets_the_views_when_opened_to_write_and_reads_as_it_is_before(tmp_path):
    path = str(tmp_path / "old.db")
    _schema_3_store(path)
    with Store.open(path, create=False, readonly=True) as store:
        assert [fact.sentence for fact in store.facts()] == ["It cost $5 in 2019.", "Then 3 km."]
    assert _rows(path, "SELECT name FROM sqlite_master WHERE type = 'view'") == []  # reading changed nothing
    Store.open(path).close()
    assert _rows(path, "PRAGMA user_version") == [{"user_version": SCHEMA_VERSION}]
    rows = _rows(path, "SELECT doc, doc_date, text, amount, currency, when_text, when_date_start, when_date_end,"
                       " magnitude, unit, base_magnitude, sentence FROM facts_flat")
    assert rows == [
        {"doc": "a.txt", "doc_date": "2020-05-01", "text": "$5", "amount": 5, "currency": "USD", "when_text": "2019",
         "when_date_start": "2019-01-01", "when_date_end": "2019-12-31", "magnitude": None, "unit": None,
         "base_magnitude": None, "sentence": "It cost $5 in 2019."},
        {"doc": "a.txt", "doc_date": "2020-05-01", "text": "3 km", "amount": None, "currency": None,
         "when_text": None, "when_date_start": None, "when_date_end": None, "magnitude": 3, "unit": "kilometer",
         "base_magnitude": 3000, "sentence": "Then 3 km."},
    ]
    assert _rows(path, "SELECT facts, money, quantities, characters FROM documents_flat") == [
        {"facts": 2, "money": 1, "quantities": 1, "characters": 37}]


def test_every_column_of_every_view_and_table_is_described(store):
    from factx.datasette_plugin import TABLES

    db, _ = store
    for name, table in TABLES.items():
        columns = [row["name"] for row in _rows(db, f"PRAGMA table_info({name})")]
        assert columns and set(columns) == set(table["columns"]), name
        if name.endswith("_flat"):  # the views are ours: descriptions listed in their column order
            assert columns == list(table["columns"]), name


def test_the_metadata_module_writes_datasettes_metadata_file_for_a_named_database(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "factx.datasette_plugin", "news"], capture_output=True, text=True,
                            check=True)
    tables = json.loads(result.stdout)["databases"]["news"]["tables"]
    assert "amount" in tables["facts_flat"]["columns"]


def _datasette_get(db: str, *paths: str) -> list:
    datasette = pytest.importorskip("datasette.app")

    async def get_all():
        app = datasette.Datasette([db])
        await app.invoke_startup()
        return app, [await app.client.get(path) for path in paths]

    # In a thread of its own: a browser test's sync Playwright may keep an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, get_all()).result()


def test_datasette_serves_the_views_rows_and_the_plugins_descriptions(store, tmp_path):
    db, _ = store
    app, (flat, page) = _datasette_get(db, "/factx/facts_flat.json?_shape=array&_size=max", "/factx/facts_flat")
    assert flat.status_code == 200 and page.status_code == 200
    assert flat.json() == _rows(db, "SELECT * FROM facts_flat")
    from factx.datasette_plugin import TABLES

    description = TABLES["facts_flat"]["columns"]["base_magnitude"]
    assert app.metadata("columns", database="factx", table="facts_flat")["base_magnitude"] == description
    assert f'data-column-description="{description}"' in page.text


def test_the_datasette_plugin_leaves_other_databases_alone(tmp_path):
    other = str(tmp_path / "other.db")
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE facts (text)")
    connection.commit()
    connection.close()
    app, (page,) = _datasette_get(other, "/other/facts")
    assert page.status_code == 200
    assert app.metadata("columns", database="other", table="facts") is None


def test_an_old_store_lists_its_documents_without_url_or_title_and_gains_them_on_write(tmp_path):
    path = str(tmp_path / "old.db")
    _schema_3_store(path)
    with Store.open(path, create=False, readonly=True) as store:
        [document] = store.documents()
        assert (document.doc, document.url, document.title, document.facts) == ("a.txt", None, None, 2)
    Store.open(path).close()
    assert _rows(path, "SELECT doc, title, url, facts FROM documents_flat") == [
        {"doc": "a.txt", "title": None, "url": None, "facts": 2}]
    with Store.open(path) as store:
        store.replace_document("https://news.example/a", "https://News.example/a", "Text.",
                               store.provenances()["/abs/a.txt"][0], [], url="https://news.example/a", title="A <b>")
    assert _rows(path, "SELECT doc, title, url FROM documents_flat WHERE key = 'https://news.example/a'") == [
        {"doc": "https://News.example/a", "title": "A <b>", "url": "https://news.example/a"}]
