"""What engine workers are given, and the one per-document function they all run.

A work item is a small dict:

- a file: `{"doc", "key", "path", "doc_date"}`. The worker reads it exactly as a local run
  does (`factx.sources.read_source`): binary, over-size, unreadable and undecodable files
  become reported skips/failures/notes, and the SHA-256 is the file's bytes'. On a cluster
  the path must be visible to every worker (a shared file system); otherwise use JSONL.
- a JSON-lines record: `{"line", "origin", "doc_date"}`, one line of a `.jsonl`/`.jsonl.gz`
  holding `{"id"|"doc", "text"|"body", "date"|"doc_date"}`; parsed in the worker.
- an inline record: `{"doc", "text", "doc_date"}` (the Spark API and tests).

`process_items` turns a batch of items into one row per document: identity, provenance,
status (`ok`, `skipped`, `failed`), notes, the decoded text and the facts. The facts come
from `factx.batch.extract_batch`, the same function local runs and `--jobs` use.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from factx import __version__
from factx.sources import DEFAULT_MAX_BYTES, Problem, looks_binary, parse_date_marker, read_source, resolved

RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

# Model loads in this process (a worker counts its own; tests check "once per worker").
LOADS = {"count": 0}


def is_uri(path: str) -> bool:
    return "://" in path


def is_record_file(path: str) -> bool:
    return path.lower().endswith(RECORD_SUFFIXES)


def read_jsonl_lines(path: str | Path) -> Iterator[str]:
    """The lines of a local `.jsonl` or `.jsonl.gz` file."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line


def record_from_json(data: Mapping[str, Any], fallback_doc: str) -> dict[str, Any]:
    """`{id|doc, text|body, date|doc_date}` -> `{doc, text, doc_date}`."""
    doc = data.get("doc") or data.get("id")
    text = data.get("text")
    if text is None:
        text = data.get("body")
    when = data.get("doc_date") or data.get("date")
    return {"doc": str(doc) if doc not in (None, "") else fallback_doc, "text": text,
            "doc_date": str(when)[:10] if when else None}


def _iso(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _problem_row(doc: str, key: str, message: str, failed: bool) -> dict[str, Any]:
    return {"doc": doc, "key": key, "sha256": None, "doc_date": None, "text": None,
            "status": "failed" if failed else "skipped", "message": message, "notes": [], "facts": []}


def prepare(item: Mapping[str, Any], max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """One work item read and checked: a row ready for extraction (`status` "ok", `text`
    set) or a problem row. Never raises for bad input."""
    override = _iso(item.get("doc_date"))
    notes: list[str] = []
    if item.get("path") is not None:
        doc, key = str(item["doc"]), str(item.get("key") or item["doc"])
        read = read_source(doc, Path(item["path"]), max_bytes)
        if isinstance(read, Problem):
            return _problem_row(doc, key, read.message, read.error)
        text, sha256, notes = read.text, read.sha256, list(read.notes)
        key = read.key
    else:
        if item.get("line") is not None:
            origin = str(item.get("origin") or "record")
            try:
                record = record_from_json(json.loads(item["line"]), origin)
            except (ValueError, AttributeError) as exc:
                return _problem_row(origin, origin, f"not a JSON record: {exc}", True)
        else:
            record = record_from_json(item, "-")
        override = override or record["doc_date"]
        doc = key = record["doc"]
        text = record["text"]
        if not isinstance(text, str):
            return _problem_row(doc, key, "record has no text (or body)", True)
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > max_bytes:
            return _problem_row(doc, key, f"{len(data)} bytes is over --max-bytes {max_bytes}; skipped", False)
        if looks_binary(data):
            return _problem_row(doc, key, "looks binary (NUL byte); skipped", False)
        if text.startswith("\ufeff"):
            text = text[1:]
        sha256 = hashlib.sha256(data).hexdigest()
    marker_date, _ = parse_date_marker(text)
    effective = override or (marker_date.isoformat() if marker_date else None)
    return {"doc": doc, "key": key, "sha256": sha256, "doc_date": effective, "override": override,
            "text": text, "status": "ok", "message": None, "notes": notes, "facts": []}


def process_items(items: Iterable[Mapping[str, Any]], model: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> list[dict[str, Any]]:
    """One row per item, in item order: `doc, key, sha256, doc_date, text, status, message,
    notes, facts, model, model_version, factx_version`. `facts` are the contract dicts plus
    `fact_index` (per document), as `extract_batch` makes them."""
    from factx.batch import extract_batch
    from factx.pipeline import Extractor

    rows = [prepare(item, max_bytes) for item in items]
    todo = [row for row in rows if row["status"] == "ok"]
    if model not in Extractor._shared:
        LOADS["count"] += 1
        _log_load()
    extractor = Extractor.shared(model)
    if todo:
        # extract_batch identifies a document by (doc, sha256 of its text); duplicates in a
        # batch (the same record twice) are processed once.
        unique: dict[tuple[str, str], dict[str, Any]] = {}
        for row in todo:
            unique.setdefault((row["doc"], _text_sha(row["text"])), row)
        by_doc: dict[tuple[str, str], list[dict[str, Any]]] = {ident: [] for ident in unique}
        errors: dict[tuple[str, str], str] = {}
        records = [{"doc": row["doc"], "text": row["text"], "doc_date": row["override"]} for row in unique.values()]
        for fact in extract_batch(records, model):
            ident = (fact["doc"], fact["sha256"])
            if fact.get("error"):
                errors[ident] = fact["error"]
            else:
                by_doc[ident].append(fact)
        for row in todo:
            ident = (row["doc"], _text_sha(row["text"]))
            if ident in errors:
                row.update(status="failed", message=errors[ident])
            else:
                row["facts"] = [_fact_row(fact, row) for fact in by_doc[ident]]
    for row in rows:
        row.pop("override", None)
        row.update(model=extractor.model, model_version=extractor.model_version, factx_version=__version__,
                   pid=os.getpid(), loads=LOADS["count"])
    return rows


def _log_load() -> None:
    """With $FACTX_LOAD_LOG set, append this process id to that file at each model load
    (how the tests count loads per worker across processes)."""
    target = os.environ.get("FACTX_LOAD_LOG")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _fact_row(fact: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    # The document's own SHA-256 (a file's bytes, as the store keeps it) replaces the text's.
    return {**fact, "sha256": row["sha256"], "key": row["key"], "doc_date": row["doc_date"]}


def file_items(entries, doc_date: date | None) -> Iterator[dict[str, Any]]:
    """Work items for the files a local `discover` found; problems stay problems."""
    for entry in entries:
        if entry.problem or entry.path is None:
            yield {"doc": entry.doc, "key": entry.doc, "path": None, "problem": entry.problem or "stdin"}
        else:
            yield {"doc": entry.doc, "key": resolved(entry.path), "path": str(entry.path),
                   "doc_date": doc_date.isoformat() if doc_date else None}
