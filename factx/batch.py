"""The one worker function behind every way of running factx, and its typed result.

`process_documents(reads, model)` takes a batch of what `factx.sources` read (`Source |
Problem`) and returns one `DocumentResult` per read, in order: identity, provenance,
status, notes and the facts as `Fact` objects. The local run calls it in this process,
`--jobs` in worker processes, Ray in actors and Spark in Python workers; the drivers differ
only in where batches run and where the results go.

A result becomes plain rows (`result_row`, `fact_rows`) only where it crosses a process
boundary that cannot carry Python objects: Ray's Arrow batches, Spark's DataFrames and
part files. The model loads once per process (`Extractor.shared`); the `nlp` object is
never pickled or shipped.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factx import __version__
from factx.facts import Fact
from factx.pipeline import Extractor
from factx.sources import DEFAULT_MAX_BYTES, Problem, Source, source_from_record
from factx.store import Provenance

STATUSES = ("ok", "skipped", "failed")  # skipped: binary or over-size, a note and not an error


@dataclass
class DocumentResult:
    """One document after the worker: processed (`ok`), skipped or failed."""

    doc: str  # as shown
    key: str  # identity in the store
    status: str
    message: str | None = None  # why it was skipped or failed
    notes: list[str] = field(default_factory=list)  # caveats of reading and processing it
    provenance: Provenance | None = None  # None when it was never read
    text: str | None = None
    facts: list[Fact] = field(default_factory=list)
    # Facts by type, given when the facts themselves went to part files in the worker.
    written: dict[str, int] | None = None
    url: str | None = None  # document metadata from the input (a page's URL and title)
    title: str | None = None

    @property
    def read(self) -> bool:
        return self.provenance is not None

    @property
    def fact_types(self) -> Counter:
        return Counter(self.written) if self.written is not None else Counter(fact.type for fact in self.facts)


def provenance(source: Source, model: str, version: str) -> Provenance:
    """What a document's facts are made from; the store skips a document whose provenance
    it already has."""
    doc_date = source.doc_date
    return Provenance(source.sha256, doc_date.isoformat() if doc_date else None, model, version, __version__)


def problem_result(problem: Problem) -> DocumentResult:
    return DocumentResult(problem.doc, problem.doc, "failed" if problem.error else "skipped", problem.message)


def load_model(model: str | None = None) -> Extractor:
    """The process's extractor for `model`, loading it on first use."""
    return Extractor.shared(model)


def process_documents(reads: Sequence[Source | Problem], model: str | None = None) -> list[DocumentResult]:
    """The one worker function: a result per read, in order. A document whose processing
    fails fails alone; problems pass through without loading the model."""
    sources = [read for read in reads if isinstance(read, Source)]
    if not sources:
        return [problem_result(read) for read in reads]
    extractor = load_model(model)
    processed = iter(extractor.process_batch(sources))
    results = []
    for read in reads:
        if isinstance(read, Problem):
            results.append(problem_result(read))
            continue
        result = next(processed)
        made = provenance(read, extractor.model, extractor.model_version)
        if result.error:
            results.append(DocumentResult(read.doc, read.key, "failed", result.error, list(read.notes), made))
        else:
            notes = [*read.notes, *filter(None, [result.note])]
            results.append(DocumentResult(read.doc, read.key, "ok", None, notes, made, read.text, result.facts or [],
                                          url=read.url, title=read.title))
    return results


# -- rows, where results cross a process boundary --------------------------------------

PROVENANCE_FIELDS = ("sha256", "doc_date", "model", "model_version", "factx_version")
META_FIELDS = ("key", *PROVENANCE_FIELDS)


def meta(result: DocumentResult) -> dict[str, Any]:
    """`key` and the provenance fields (None for a document never read)."""
    made = result.provenance
    return {"key": result.key, **{name: getattr(made, name) if made else None for name in PROVENANCE_FIELDS}}


def fact_rows(result: DocumentResult) -> list[dict[str, Any]]:
    """The contract's fact dicts plus `fact_index` (per document) and `meta`."""
    common = meta(result)
    return [{**fact.to_dict(), "fact_index": index, **common} for index, fact in enumerate(result.facts)]


def result_row(result: DocumentResult, with_facts: bool = True) -> dict[str, Any]:
    """A plain, JSON-ready row of a result; without its text and facts (only their counts by
    type) when they went to part files."""
    row = {"doc": result.doc, **meta(result), "status": result.status, "message": result.message,
           "notes": result.notes, "url": result.url, "title": result.title}
    if with_facts:
        row.update(text=result.text, facts=[fact.to_dict() for fact in result.facts], written=None)
    else:
        row.update(text=None, facts=None, written=dict(result.fact_types))
    return row


def result_from_row(row: Mapping[str, Any]) -> DocumentResult:
    made = Provenance(*(row[name] for name in PROVENANCE_FIELDS)) if row.get("sha256") else None
    facts = [Fact.from_dict(fact) for fact in row.get("facts") or []]
    return DocumentResult(row["doc"], row["key"], row["status"], row.get("message"), list(row.get("notes") or []),
                          made, row.get("text"), facts, row.get("written"), row.get("url"), row.get("title"))


def extract_batch(records: Iterable[Mapping[str, Any]], model: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> list[dict[str, Any]]:
    """Records `{"doc"|"id", "text"|"body", "doc_date"|"date"}` in, plain fact rows out
    (`fact_rows`). A record that is skipped or fails gives one row with `error` set."""
    reads = [source_from_record(record, "-", max_bytes) for record in records]
    rows: list[dict[str, Any]] = []
    for result in process_documents(reads, model):
        if result.status == "ok":
            rows.extend(fact_rows(result))
        else:
            rows.append({"doc": result.doc, **meta(result), "error": f"{result.status}: {result.message}"})
    return rows


def json_cell(value: Any) -> str | None:
    """A nested value as a JSON string for an Arrow or Parquet string column."""
    return json.dumps(value, ensure_ascii=False) if value is not None else None


# -- worker processes for --jobs ------------------------------------------------------

_worker_model: str | None = None


def init_worker(model: str, parent: int | None = None) -> None:
    """Pool initializer: load the model once in this worker process.

    Workers end quietly: Ctrl-C reaches the whole process group, but only the parent acts
    on it (it stops the pool); and on Linux a worker is sent SIGTERM when its parent dies,
    instead of finishing a batch and dumping BrokenPipeError tracebacks into a dead pipe.
    """
    global _worker_model
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(parent)
    _worker_model = model
    load_model(model)


def _end_with_parent(parent: int | None) -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # it died before the call above
        os._exit(0)


def process_in_worker(reads: list[Source | Problem]) -> list[DocumentResult]:
    return process_documents(reads, _worker_model)
