"""One pure batch function behind every way of running factx: the local CLI path,
`--jobs` worker processes, and cluster engines.

Records in, plain fact dicts out. The model is loaded once per process and cached
(`Extractor.shared`); the `nlp` object is never pickled or shipped; batches run inside an
`nlp.memory_zone()` released every `ZONE_CHARS` of text, so a long-lived worker does not
grow with the text it has seen.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from factx import __version__
from factx.pipeline import Extractor, Result
from factx.sources import Source, source_from_text


def source_from_record(record: Mapping[str, Any]) -> Source:
    """A record is {"doc" (or "id"), "text" (or "body"), optional "doc_date"/"date"}."""
    doc = str(record.get("doc") or record.get("id") or "-")
    text = record.get("text")
    if text is None:
        text = record.get("body") or ""
    when = record.get("doc_date") or record.get("date")
    if isinstance(when, str):
        when = date.fromisoformat(when[:10]) if when else None
    return source_from_text(doc, doc, text, date_override=when)


def extract_batch(records: Iterable[Mapping[str, Any]], model: str | None = None) -> list[dict[str, Any]]:
    """The facts of a batch of records, as plain dicts: the fact contract plus `fact_index`
    (per document), `sha256`, `factx_version`, `model` and `model_version`. A record whose
    processing fails yields one dict with `error` set instead of facts."""
    extractor = Extractor.shared(model)
    sources = [source_from_record(record) for record in records]
    rows: list[dict[str, Any]] = []
    for result in extractor.process_batch(sources):
        rows.extend(result_rows(result, extractor))
    return rows


def result_rows(result: Result, extractor: Extractor) -> list[dict[str, Any]]:
    meta = {"sha256": result.source.sha256, "factx_version": __version__, "model": extractor.model,
            "model_version": extractor.model_version}
    if result.error:
        return [{"doc": result.source.doc, "error": result.error, **meta}]
    return [{**fact.to_dict(), "fact_index": index, **meta} for index, fact in enumerate(result.facts or [])]


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
    Extractor.shared(model)


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


def process_in_worker(sources: list[Source]) -> list[Result]:
    return Extractor.shared(_worker_model).process_batch(sources)
