"""Datasette plugin: describes the tables, views and columns of every factx store it serves.

Installed with factx (entry point `datasette`), so `datasette factx.db` in the same
environment labels every column, whatever the store file is called: a store is known by its
SQLite application id, not by its name. For a Datasette installed elsewhere,
`python -m factx.datasette_plugin [NAME] > metadata.json` writes the same metadata as a file
for `datasette NAME.db -m metadata.json` (docs/sql.md).

Units vary per row (the `unit` and `currency` columns say them), so they are written in the
descriptions, not as Datasette's fixed per-column `units`.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import closing
from functools import lru_cache
from pathlib import Path
from typing import Any

from factx.store import APPLICATION_ID

try:
    from datasette import hookimpl
except ImportError:  # without Datasette the metadata can still be written out as a file
    def hookimpl(function):  # type: ignore[no-redef]
        return function

_OFFSET = "code-point offset into the document's decoded text"
_FACT = {
    "id": "fact id (facts.id)",
    "type": "entity, date, money or quantity",
    "label": "PERSON, ORG, GPE, DATE, MONEY, QUANTITY, PERCENT, DURATION, ...",
    "text": "the words as written: exactly the document text from start to end",
    "start": f"{_OFFSET}, inclusive",
    "end": f"{_OFFSET}, exclusive",
    "qualifier": "approx, at_least or at_most ('about', 'more than', 'up to'), or empty",
    "subject": "what the value measures, as a phrase from the text",
    "about": "the named entity the claim belongs to",
    "measure": "claim frame: what is measured, normalized (singular, lower case)",
    "role": "claim frame: level (a stock or flow) or change",
    "direction": "claim frame: up or down, for a change",
    "attributed_to": "claim frame: who states the figure",
    "modality": "claim frame: actual, forecast, target or estimate",
    "sentence": "the sentence holding the fact",
    "sentence_start": f"{_OFFSET} where the sentence starts",
}
# In the view's column order, which Datasette lists the descriptions in.
_FLAT = {
    "id": _FACT["id"],
    "doc": "document path as given, normalized; '-' for standard input",
    "doc_date": "document date (ISO), which relative dates are resolved against",
    **{name: _FACT[name] for name in ("type", "label", "text", "start", "end")},
    "canonical": "entity: the fullest name this mention stands for in the same document",
    "amount": "money: the amount in units of currency (5 million dollars is 5000000)",
    "amount_high": "money: the upper amount of a range",
    "currency": "money: ISO 4217 code; empty when the text does not say which currency",
    "currency_text": "money: the currency word as written, kept when the currency is unknown",
    "per_unit": "money: the unit of a price per unit, such as oil_barrel",
    "magnitude": "quantity: the number as written, in the unit column's unit",
    "magnitude_high": "quantity: the upper number of a range, in the unit column's unit",
    "unit": "quantity: the unit as a pint unit name (kilometer, percent, meter ** 3 / year)",
    "base_magnitude": "quantity: the number converted to SI base units (base_unit)",
    "base_magnitude_high": "quantity: the upper number of a range in SI base units",
    "base_unit": "quantity: the SI base unit of base_magnitude (meter, meter ** 3 / second)",
    "date_start": "date: first day of the period named (ISO date, inclusive)",
    "date_end": "date: last day of the period named (ISO date, inclusive)",
    "grain": "date: day, week, month, quarter, half, season, year, decade or century",
    **{name: _FACT[name] for name in ("qualifier", "subject", "about")},
    "when_text": "money or quantity: the date words saying when the value holds ('2020', 'last week')",
    "when_date_start": "money or quantity: first day of that period (ISO date, inclusive)",
    "when_date_end": "money or quantity: last day of that period (ISO date, inclusive)",
    **{name: _FACT[name] for name in ("measure", "role", "direction", "attributed_to", "modality", "sentence",
                                      "sentence_start")},
}
_DOCUMENT = {
    "id": "document id",
    "doc": "document path or URL as last given, normalized",
    "key": "the store's identity of the document: its resolved absolute path, its normalized URL"
           " (web pages, WARC records), or stdin:<hash>",
    "title": "web pages: the page's headline; empty for plain text",
    "url": "web pages: the page's normalized URL (after redirects; a WARC record's target URI)",
    "doc_date": "document date (ISO), which relative dates are resolved against",
    "sha256": "SHA-256 of the document's bytes (a web page's HTML as fetched or saved)",
    "model": "spaCy pipeline the facts were extracted with",
    "model_version": "version of that pipeline",
    "factx_version": "factx version the facts were extracted with",
    "extracted_at": "when the facts were extracted (UTC, ISO 8601)",
}

TABLES: dict[str, dict[str, Any]] = {
    "facts_flat": {
        "description": "One row per fact, one column per common field (no JSON), in document then offset order.",
        "columns": _FLAT,
    },
    "documents_flat": {
        "description": "One row per document: its title and URL (web pages), date, length and fact counts by type.",
        "columns": {
            **{name: _DOCUMENT[name] for name in ("id", "doc", "key", "title", "url", "doc_date")},
            "characters": "length of the decoded text in code points",
            "facts": "number of facts",
            "entities": "number of entity facts",
            "dates": "number of date facts",
            "money": "number of money facts",
            "quantities": "number of quantity facts",
            **{name: _DOCUMENT[name] for name in ("model", "model_version", "factx_version", "extracted_at", "sha256")},
        },
    },
    "facts": {
        "description": "Facts as factx stores them: value and when are JSON (facts_flat spreads them out).",
        "label_column": "text",
        "columns": {
            **_FACT,
            "document_id": "the document (documents.id)",
            "value": "JSON: the normalized meaning, keyed by type (docs/reference.md)",
            "when": "JSON: text, offsets and date range saying when a money or quantity value holds",
            "sentence": "the sentence holding the fact; empty when sentence_end is set",
            "sentence_end": f"{_OFFSET} where the sentence ends, exclusive; "
                            "empty for rows that keep the sentence as text",
        },
    },
    "documents": {
        "description": "The documents and the decoded text every offset refers to.",
        "label_column": "doc",
        "columns": {**_DOCUMENT, "text": "the decoded document text every offset refers to"},
    },
}


def metadata(database: str = "factx") -> dict[str, Any]:
    """Datasette metadata for one factx store served under the name `database`."""
    return {"databases": {database: {
        "description": "A factx store: facts from news articles with their exact offsets (docs/sql.md).",
        "tables": TABLES,
    }}}


@lru_cache(maxsize=64)
def _is_factx_store(path: str) -> bool:
    try:
        with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as db:
            return db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    except sqlite3.Error:
        return False


@hookimpl
def get_metadata(datasette, key, database, table):
    # Datasette asks for metadata many times per page: the store check is cached per file.
    stores = [name for name, db in datasette.databases.items() if db.path and _is_factx_store(db.path)]
    return {"databases": {name: metadata(name)["databases"][name] for name in stores}}


if __name__ == "__main__":
    print(json.dumps(metadata(*sys.argv[1:2]), indent=2))
