"""Ray Data: factx's batch function in a callable class over an actor pool.

`map_batches(RayExtract, compute=ActorPoolStrategy(size=workers))`: each actor loads the
model once in `__init__` (`Extractor.shared`), never receives a pickled `nlp`, and runs
every batch inside an `nlp.memory_zone()` (see `extract_batch`). Ray restarts an actor that
dies and retries its batch (Ray Data's defaults for actor pools: `max_restarts=-1`,
`max_task_retries=-1`). Batches are sized so there are at least four per worker.

With `out`, each actor writes its batch's part files itself (`factx.engines.parts`) and
returns only a summary row per document; without it, the rows (text and facts included)
stream back to the driver in input order (`preserve_order`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from typing import Any

from factx.engines import require
from factx.engines.records import process_items
from factx.sources import DEFAULT_MAX_BYTES

RESULT_COLUMNS = ("doc", "key", "sha256", "doc_date", "text", "status", "message", "notes", "facts",
                  "model", "model_version", "factx_version", "pid", "loads")


def result_schema():
    import pyarrow as pa

    return pa.schema([(name, pa.int64() if name in ("pid", "loads") else pa.string()) for name in RESULT_COLUMNS])


class RayExtract:
    """The callable class of `map_batches`: model loaded once per actor."""

    def __init__(self, model: str | None = None, out: str | None = None, fmt: str = "parquet",
                 max_bytes: int = DEFAULT_MAX_BYTES, lines: bool = False):
        self.model, self.out, self.fmt, self.max_bytes, self.lines = model, out, fmt, max_bytes, lines
        process_items([], model)  # load the model now, once, in this actor

    def items(self, batch) -> list[dict[str, Any]]:
        rows = batch.to_pylist()
        if self.lines:  # ray.data.read_text rows: {"text": line, "path": file}
            return [{"line": row["text"], "origin": row.get("path")} for row in rows if row["text"].strip()]
        return rows

    def __call__(self, batch):
        import pyarrow as pa

        rows = process_items(self.items(batch), self.model, self.max_bytes)
        if self.out:
            from factx.engines.parts import write_parts

            write_parts(rows, self.out, self.fmt)
            for row in rows:
                row["facts_count"] = _counts(row["facts"])
                row["text"], row["facts"] = None, None
        columns = {name: [_cell(row, name) for row in rows] for name in RESULT_COLUMNS}
        return pa.table(columns, schema=result_schema())


def _cell(row: dict[str, Any], name: str):
    value = row.get(name)
    if name == "notes":
        return json.dumps(value or [])
    if name == "facts":
        return json.dumps(value, ensure_ascii=False) if value is not None else json.dumps(row.get("facts_count", {}))
    return value


def _counts(facts: list[dict[str, Any]]) -> dict[str, int]:
    """Facts by type: what a row says about its facts when they went to part files."""
    counts: dict[str, int] = {}
    for fact in facts:
        counts[fact["type"]] = counts.get(fact["type"], 0) + 1
    return counts


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
        batch_size: int = 64, udf: type = RayExtract) -> Iterator[dict[str, Any]]:
    """Result rows (see RESULT_COLUMNS; `notes` and `facts` as JSON strings) of every item,
    files first, in input order."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # store and print in input order
    context.enable_progress_bars = False
    pool = ray.data.ActorPoolStrategy(size=workers)
    common = {"model": model, "out": out, "fmt": fmt, "max_bytes": max_bytes}
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
