"""Ray Data: factx's worker function in a callable class over an actor pool.

`map_batches(RayExtract, compute=ActorPoolStrategy(size=workers))`: each actor loads the
model once in `__init__`, never receives a pickled `nlp`, reads its batch through
`factx.sources` and runs it through `factx.batch.process_documents` (inside an
`nlp.memory_zone()`). Ray restarts an actor that dies and retries its batch (Ray Data's
defaults for actor pools: `max_restarts=-1`, `max_task_retries=-1`). Batches are sized so
there are at least four per worker.

Work items: a file, URL or feed is `{"doc", "path", "kind"}` (read by the actor, so a path
must be on a file system every node sees; `path` is None for a URL, which the actor
fetches); a WARC file gives the actor all its pages; JSON-lines files and other URIs
(`s3://`) are read by Ray (`read_text`), one line per document. With `out`, each actor writes its batch's part files itself
(`factx.engines.parts`) and returns only a summary row per document; without it, the rows
(text and facts included) stream back to the driver in input order (`preserve_order`),
where `ray_results` turns them back into `DocumentResult`s.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from factx.batch import (DocumentResult, json_cell, load_model, problem_result, process_documents, result_from_row,
                         result_row)
from factx.engines import UsageError, require
from factx.sources import DEFAULT_MAX_BYTES, Entry, Problem, Source, dated, is_uri, read_entries, source_from_json_line

RESULT_COLUMNS = ("doc", "key", "sha256", "doc_date", "model", "model_version", "factx_version", "status",
                  "message", "notes", "text", "facts", "written", "url", "title")
_JSON_COLUMNS = {"notes", "facts", "written"}
LINE_KINDS = ("records", "uri")  # read by Ray itself, one document per line


def result_schema():
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in RESULT_COLUMNS])


class RayExtract:
    """The callable class of `map_batches`: model loaded once per actor."""

    def __init__(self, model: str | None = None, out: str | None = None, fmt: str = "parquet",
                 max_bytes: int = DEFAULT_MAX_BYTES, doc_date: str | None = None, lines: bool = False):
        self.model, self.out, self.fmt, self.max_bytes, self.lines = model, out, fmt, max_bytes, lines
        self.doc_date = date.fromisoformat(doc_date) if doc_date else None
        load_model(model)  # now, once, in this actor

    def reads(self, batch) -> list[Source | Problem]:
        rows = batch.to_pylist()
        if not self.lines:
            entries = [Entry(row["doc"], Path(row["path"]) if row["path"] else None, kind=row["kind"]) for row in rows]
            return list(read_entries(entries, self.max_bytes, self.doc_date))
        # ray.data.read_text rows: {"text": line, "path": file}
        lines = (source_from_json_line(row["text"], row.get("path") or "record", self.max_bytes)
                 for row in rows if row["text"].strip())
        return list(dated(lines, self.doc_date))

    def __call__(self, batch):
        import pyarrow as pa

        results = process_documents(self.reads(batch), self.model)
        if self.out:
            from factx.engines.parts import write_parts

            write_parts(results, self.out, self.fmt)
        rows = [result_row(result, with_facts=not self.out) for result in results]
        columns = {name: [json_cell(row[name]) if name in _JSON_COLUMNS else row[name] for row in rows]
                   for name in RESULT_COLUMNS}
        return pa.table(columns, schema=result_schema())


def decoded(row: dict[str, Any]) -> DocumentResult:
    """A row of `RayExtract`'s output as the result it was made from."""
    return result_from_row({**row, **{name: json.loads(row[name]) if row[name] is not None else None
                                      for name in _JSON_COLUMNS}})


def plan(entries: list[Entry]) -> tuple[list[DocumentResult], list[dict[str, Any]], list[str]]:
    """(problems found on the driver, file items for the actors, paths and URIs Ray reads line by line)."""
    problems, items, line_paths = [], [], []
    for entry in entries:
        if entry.problem:
            problems.append(problem_result(Problem(entry.doc, entry.problem)))
        elif entry.kind == "stdin":
            raise UsageError("standard input ('-') is read by --engine local only")
        elif entry.kind in LINE_KINDS:
            line_paths.append(entry.doc if is_uri(entry.doc) else os.path.abspath(entry.path))
        else:  # the actors do not share this process's working directory
            path = os.path.abspath(entry.path) if entry.path else None  # None: a URL, fetched by the actor
            items.append({"doc": entry.doc, "path": path, "kind": entry.kind})
    return problems, items, line_paths


def ray_results(entries: list[Entry], model: str, *, address: str | None = None, workers: int | None = None,
                out: str | None = None, fmt: str = "parquet", max_bytes: int = DEFAULT_MAX_BYTES,
                batch_size: int = 64, doc_date: date | None = None) -> Iterator[DocumentResult]:
    """`factx extract --engine ray`: every entry's result, problems first, then in input order."""
    problems, items, line_paths = plan(entries)
    yield from problems
    if out and not is_uri(out):
        out = str(Path(out).resolve())  # the actors do not share this process's working directory
    ray, workers, started = connect(address, workers)
    try:
        for row in run(items, line_paths, model=model, workers=workers, out=out, fmt=fmt, max_bytes=max_bytes,
                       batch_size=batch_size, doc_date=doc_date.isoformat() if doc_date else None):
            yield decoded(row)
    finally:
        if started:
            ray.shutdown()


def connect(address: str | None, workers: int | None) -> tuple[Any, int, bool]:
    """(ray, number of workers, whether this call started Ray)."""
    ray = require("ray")
    require("ray.data")
    require("pyarrow")
    started = False
    if not ray.is_initialized():
        import logging

        # Only data on stdout and factx's own lines on stderr: Ray's INFO logs stay quiet.
        logging.getLogger("ray").setLevel(logging.WARNING)
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "logging_level": logging.WARNING}
        if address:
            options["address"] = address
        else:
            options["num_cpus"] = workers or os.cpu_count() or 1
        ray.init(**options)
        started = True
    cpus = int(ray.cluster_resources().get("CPU", 1))
    return ray, max(1, workers or cpus), started


def run(file_items: list[dict[str, Any]], record_paths: list[str], *, model: str, workers: int,
        out: str | None = None, fmt: str = "parquet", max_bytes: int = DEFAULT_MAX_BYTES,
        batch_size: int = 64, doc_date: str | None = None, udf: type = RayExtract) -> Iterator[dict[str, Any]]:
    """Result rows (see RESULT_COLUMNS; `notes`, `facts` and `written` as JSON strings) of
    every item, files first, in input order."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # store and print in input order
    context.enable_progress_bars = False
    pool = ray.data.ActorPoolStrategy(size=workers)
    common = {"model": model, "out": out, "fmt": fmt, "max_bytes": max_bytes, "doc_date": doc_date}
    datasets = []
    if file_items:
        size = _batch_size(len(file_items), workers, batch_size)
        dataset = ray.data.from_items(file_items, override_num_blocks=math.ceil(len(file_items) / size))
        datasets.append((dataset, size, False))
    if record_paths:
        dataset = ray.data.read_text(record_paths, include_paths=True)
        count = dataset.count()  # one pass over the lines, so the batches can be cut evenly
        size = _batch_size(count, workers, batch_size)
        # Materialized before the actor pool starts: otherwise the read and shuffle tasks wait
        # for CPUs the actors hold (a deadlock on a cluster of exactly `workers` CPUs).
        dataset = dataset.repartition(max(1, math.ceil(count / size))).materialize()
        datasets.append((dataset, size, True))
    for dataset, size, lines in datasets:
        mapped = dataset.map_batches(udf, fn_constructor_kwargs={**common, "lines": lines}, batch_size=size,
                                     batch_format="pyarrow", compute=pool, zero_copy_batch=True)
        for batch in mapped.iter_batches(batch_size=None, batch_format="pyarrow"):
            yield from batch.to_pylist()


def _batch_size(count: int, workers: int, preferred: int) -> int:
    """At most `preferred`, and small enough for at least four batches per worker."""
    return max(1, min(preferred, math.ceil(count / (4 * workers))))
