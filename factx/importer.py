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

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factx import __version__
from factx.errors import FactxError
from factx.extraction import facts_by_type
from factx.facts import Fact
from factx.store import Provenance, Store


class PartsError(FactxError):
    """Part files that cannot be imported as they are."""


@dataclass
class ImportStats:
    parts: int = 0
    imported: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    facts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        by_type = facts_by_type(self.facts)
        return (f"{self.parts} part file(s): {self.imported} document(s) imported, {self.unchanged} unchanged,"
                f" {self.skipped} skipped, {self.failed} failed in the run; facts imported: {by_type}")


def import_parts(paths: Iterable[str], store: Store, notify: Callable[[str, str], None],
                 force: bool = False, stats: ImportStats | None = None) -> ImportStats:
    from factx.engines.parts import facts_part_for, find_document_parts, read_rows

    stats = stats if stats is not None else ImportStats()
    paths = list(paths)
    for path in paths:
        if not Path(path).exists():
            raise PartsError(f"{path}: no such file or folder of part files")
    parts = find_document_parts(paths)
    if not parts:
        raise PartsError(f"{', '.join(paths)}: no documents/part-*.jsonl or .parquet files; pass an --out folder")
    known = store.provenances()
    allowed = {(p.model, p.model_version, p.factx_version) for p, _ in known.values()}
    seen: set[tuple[str, str]] = set()
    for part in parts:
        try:
            documents = read_rows(part)
            facts_path = facts_part_for(part)
            facts = read_rows(facts_path) if facts_path.exists() else []
        except (OSError, ValueError) as exc:
            raise PartsError(f"{part}: cannot read part file: {exc}") from exc
        stats.parts += 1
        by_doc: dict[tuple[str, str], dict[int, dict]] = {}
        for fact in facts:
            by_doc.setdefault((fact["key"], fact["sha256"]), {})[int(fact["fact_index"])] = fact
        for row in documents:
            if row["status"] != "ok":
                notify(row["doc"], f"{row['status']} in the run: {row.get('message')}")
                stats.failed += row["status"] == "failed"
                stats.skipped += row["status"] == "skipped"
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
            if sorted(found) != list(range(int(row["facts"] or 0))):
                raise PartsError(f"{part}: {row['doc']}: {len(found)} of {row['facts']} facts in"
                                   f" {facts_path}; the part files are incomplete, re-run the batch")
            provenance = Provenance(row["sha256"], row["doc_date"], *versions)
            if known.get(row["key"], (None,))[0] == provenance:
                stats.unchanged += 1
                continue
            doc_facts = [Fact.from_dict(found[index]) for index in sorted(found)]
            store.replace_document(row["key"], row["doc"], row["text"], provenance, doc_facts)
            known[row["key"]] = (provenance, row["doc"])
            stats.imported += 1
            stats.facts.update(fact.type for fact in doc_facts)
    return stats
