"""`factx import PATH...`: load part files (`--out` of an engine run) into the store.

Part files come in pairs (`documents/part-<id>` and `facts/part-<id>`, JSONL or Parquet);
a pair is read at a time, so memory follows one batch. A document is identified by its key
and SHA-256 and its facts by `fact_index`; duplicates (a retried batch, the same output
imported twice) collapse, and a document whose provenance the store already has is left
untouched, so re-importing changes nothing. Each document is replaced in one transaction.

Parts made by another factx version or model than the store's documents (or, for an empty
store, another factx version than this one) are refused unless `force`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from factx import __version__
from factx.batch import PROVENANCE_FIELDS, DocumentResult
from factx.errors import FactxError
from factx.facts import SCHEMA, Fact
from factx.recorder import Notify, Recorder, Stats
from factx.store import Provenance, Store
from factx.validate import first_error


class PartsError(FactxError):
    """Part files that cannot be imported as they are."""


def import_parts(paths: Iterable[str], store: Store, notify: Notify, force: bool = False,
                 stats: Stats | None = None) -> Stats:
    from factx.engines.parts import facts_part_for, find_document_parts, read_rows

    paths = list(paths)
    for path in paths:
        if not Path(path).exists():
            raise PartsError(f"{path}: no such file or folder of part files")
    parts = find_document_parts(paths)
    if not parts:
        raise PartsError(f"{', '.join(paths)}: no documents/part-*.jsonl or .parquet files; pass an --out folder")
    recorder = Recorder(store, notify, stats, store.provenances())
    stats = recorder.stats
    allowed = {(p.model, p.model_version, p.factx_version) for p, _ in recorder.known.values()}
    seen: set[tuple[str, str]] = set()
    for part in parts:
        try:
            documents = read_rows(part)
            facts_path = facts_part_for(part)
            facts = read_rows(facts_path) if facts_path.exists() else []
        except (OSError, ValueError) as exc:
            raise PartsError(f"{part}: cannot read part file: {exc}") from exc
        stats.parts += 1
        # The whole pair is checked before any of it is stored: a bad row refuses the part.
        by_doc = _checked(part, documents, facts_path, facts)
        for row in documents:
            if row["status"] != "ok":
                recorder.not_processed(DocumentResult(row["doc"], row["doc"], row["status"],
                                                      f"{row['status']} in the run: {row.get('message')}"))
                continue
            ident = (row["key"], row["sha256"])
            if ident in seen:
                continue
            seen.add(ident)
            versions = (row["model"], row["model_version"], row["factx_version"])
            if not force and versions not in allowed:
                if allowed or row["factx_version"] != __version__:
                    have = "; ".join(f"factx {f} with {m} {v}" for m, v, f in sorted(allowed)) or f"factx {__version__}"
                    raise PartsError(
                        f"{part}: made by factx {row['factx_version']} with {row['model']} {row['model_version']},"
                        f" but the store holds {have}; pass --force to import anyway")
                allowed.add(versions)
            found = by_doc.get(ident, {})
            result = DocumentResult(row["doc"], row["key"], "ok",
                                    provenance=Provenance(*(row[name] for name in PROVENANCE_FIELDS)),
                                    text=row["text"], facts=[Fact.from_dict(found[index]) for index in sorted(found)])
            if recorder.store_document(result):
                stats.processed += 1
                stats.facts.update(result.fact_types)
            else:
                stats.unchanged += 1
    return stats


_DOCUMENT_STRINGS = ("doc", "key", "sha256", "model", "model_version", "factx_version", "status")
_FACT_META = {"key": {"type": "string"}, "sha256": {"type": "string"},
              "fact_index": {"type": "integer", "minimum": 0}}


def _checked(part: Path, documents: list, facts_path: Path, facts: list) -> dict[tuple[str, str], dict[int, dict]]:
    """Every row of a part pair checked against `factx schema` and its document's text:
    the facts of each good document by (key, sha256) and index. Raises naming the file and
    row of the first bad one, so nothing of a bad part is stored."""
    texts: dict[tuple[str, str], str] = {}
    expected: dict[tuple[str, str], tuple[str, int]] = {}
    for number, row in enumerate(documents, 1):
        problem = _document_problem(row)
        if problem:
            raise PartsError(f"{part}: row {number}: {problem}; the part is not imported")
        if row["status"] == "ok":
            ident = (row["key"], row["sha256"])
            texts[ident] = row["text"]
            expected[ident] = (row["doc"], int(row["facts"] or 0))
    by_doc: dict[tuple[str, str], dict[int, dict]] = {}
    for number, fact in enumerate(facts, 1):
        problem = _fact_problem(fact, texts)
        if problem:
            raise PartsError(f"{facts_path}: row {number}: {problem}; the part is not imported")
        by_doc.setdefault((fact["key"], fact["sha256"]), {})[fact["fact_index"]] = fact
    for ident, (doc, count) in expected.items():
        found = by_doc.get(ident, {})
        if sorted(found) != list(range(count)):
            raise PartsError(f"{part}: {doc}: {len(found)} of {count} facts in"
                             f" {facts_path}; the part files are incomplete, re-run the batch")
    return by_doc


def _document_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return "not an object"
    if not isinstance(row.get("doc"), str) or row.get("status") not in ("ok", "failed", "skipped"):
        return f"doc {row.get('doc')!r}, status {row.get('status')!r}: not a document row"
    if row["status"] != "ok":
        return None
    for name in _DOCUMENT_STRINGS:
        if not isinstance(row.get(name), str):
            return f"{name}: {row.get(name)!r} is not a string"
    if not isinstance(row.get("text"), str):
        return "text: not a string"
    if row.get("doc_date") is not None and first_error(row["doc_date"], {"format": "date"}, "doc_date"):
        return f"doc_date: {row['doc_date']!r} is not a date"
    facts = row.get("facts")
    if facts is not None and (isinstance(facts, bool) or not isinstance(facts, int) or facts < 0):
        return f"facts: {facts!r} is not a count"
    return None


def _fact_problem(fact: Any, texts: dict[tuple[str, str], str]) -> str | None:
    if not isinstance(fact, dict):
        return "not an object"
    for name, schema in _FACT_META.items():
        if name not in fact or (error := first_error(fact[name], schema, name)):
            return error or f"missing {name!r}"
    if error := first_error(fact, SCHEMA):
        return error
    text = texts.get((fact["key"], fact["sha256"]))
    if text is None:
        return None  # a fact of no document in this part: reported as incomplete parts
    start, end = fact["start"], fact["end"]
    if not start <= end <= len(text) or text[start:end] != fact["text"]:
        return f"text {fact['text'][:40]!r} is not the document's text at {start}-{end}"
    when = fact.get("when")
    if when is not None and (not when["start"] <= when["end"] <= len(text)
                             or text[when["start"]:when["end"]] != when["text"]):
        return f"when {when['text'][:40]!r} is not the document's text at {when['start']}-{when['end']}"
    return None
