"""`factx extract --engine local|ray [--out DIR]` as a library call.

Without `--out`, the engine's rows come back to this process in input order and are
stored and yielded exactly as a local run stores and yields them (`Store.replace_document`,
one transaction per document; a document whose provenance the store already has is
counted unchanged and left alone). With `--out`, the workers write part files and the
store is not opened. Either way, problem documents (binary, over-size, unreadable, not a
record) are reported skips or failures in the run's summary, never a failed job.
"""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from factx.engines.records import file_items, is_record_file, is_uri, process_items, read_jsonl_lines
from factx.errors import FactxError
from factx.extraction import Options, Stats
from factx.facts import Fact
from factx.store import Provenance, Store

Notify = Callable[[str, str], None]


class UsageError(FactxError):
    code = 2


@dataclass
class EngineOptions:
    engine: str = "local"  # local | ray
    address: str | None = None
    workers: int | None = None
    out: str | None = None
    out_format: str = "parquet"


def split_inputs(paths: list[str]) -> tuple[list[str], list[str]]:
    """(files and folders for `discover`, JSON-lines files and URIs)."""
    plain, records = [], []
    for path in paths:
        (records if is_record_file(path) or is_uri(path) else plain).append(path)
    return plain, records


def run_engine(options: Options, engine: EngineOptions, store: Store | None, notify: Notify,
               advance: Callable[[], None] = lambda: None, stats: Stats | None = None) -> Iterator[Fact]:
    from factx.pipeline import find_model
    from factx.sources import discover

    stats = stats if stats is not None else Stats()
    if engine.out and not is_uri(engine.out):
        engine.out = str(Path(engine.out).resolve())  # workers do not share this process's cwd
    plain, record_paths = split_inputs(options.paths)
    # Local record files as absolute paths too; URIs as given.
    record_paths = [path if is_uri(path) else str(Path(path).resolve()) for path in record_paths]
    if "-" in plain:
        raise UsageError("standard input ('-') is read by --engine local without --out only")
    model = find_model(options.model)
    items = list(file_items(discover(plain, options.pattern, options.follow_links), options.doc_date)) if plain else []
    for item in items:
        if item.get("problem"):
            notify(item["doc"], item["problem"])
            stats.failed += 1
    items = [item for item in items if not item.get("problem")]
    if engine.engine == "ray":
        rows = _ray_rows(items, record_paths, model, engine, options)
    else:
        rows = _local_rows(items, record_paths, model, engine, options)
    known = store.provenances() if store is not None and not options.force else {}
    for row in rows:
        advance()
        yield from _finish(row, store, known, notify, stats)


def _local_rows(items, record_paths, model, engine: EngineOptions, options: Options) -> Iterator[dict[str, Any]]:
    """The same rows the Ray actors make, made in this process (`--engine local --out`)."""
    uris = [path for path in record_paths if is_uri(path)]
    if uris:
        raise UsageError(f"{uris[0]}: URIs need --engine ray")

    def all_items():
        yield from items
        for path in record_paths:
            for number, line in enumerate(read_jsonl_lines(path), 1):
                yield {"line": line, "origin": f"{path}:{number}", "doc_date": None}

    batch: list[dict[str, Any]] = []
    for item in all_items():
        batch.append(item)
        if len(batch) >= options.batch_size:
            yield from _local_batch(batch, model, engine, options)
            batch = []
    if batch:
        yield from _local_batch(batch, model, engine, options)


def _local_batch(batch, model, engine: EngineOptions, options: Options) -> list[dict[str, Any]]:
    rows = process_items(batch, model, options.max_bytes)
    if engine.out:
        from factx.engines.parts import write_parts

        write_parts(rows, engine.out, engine.out_format)
    for row in rows:
        row["notes"] = json.dumps(row["notes"])
        row["facts"] = json.dumps(_counts(row["facts"]) if engine.out else row["facts"], ensure_ascii=False)
        if engine.out:
            row["text"] = None
    return rows


def _counts(facts):
    from factx.engines.ray_engine import _counts as counts  # pure; imports no ray

    return counts(facts)


def _ray_rows(items, record_paths, model, engine: EngineOptions, options: Options) -> Iterator[dict[str, Any]]:
    from factx.engines import ray_engine

    ray, workers, started = ray_engine.connect(engine.address, engine.workers)
    try:
        yield from ray_engine.run(items, record_paths, model=model, workers=workers, out=engine.out,
                                  fmt=engine.out_format, max_bytes=options.max_bytes,
                                  batch_size=options.batch_size)
    finally:
        if started:
            ray.shutdown()


def _finish(row: dict[str, Any], store: Store | None, known: dict, notify: Notify, stats: Stats) -> Iterator[Fact]:
    if row["status"] != "ok":
        notify(row["doc"], row["message"] or row["status"])
        if row["status"] == "failed":
            stats.failed += 1
        else:
            stats.skipped += 1
        return
    stats.read += 1
    for note in json.loads(row["notes"] or "[]"):
        notify(row["doc"], note)
    facts = json.loads(row["facts"])
    if isinstance(facts, dict):  # --out: the facts are in the part files; their counts by type
        stats.processed += 1
        stats.facts.update(facts)
        return
    facts = [Fact.from_dict(fact) for fact in facts]
    provenance = Provenance(row["sha256"], row["doc_date"], row["model"], row["model_version"], row["factx_version"])
    if store is not None and known.get(row["key"], (None,))[0] == provenance:
        stats.unchanged += 1
    else:
        if store is not None:
            store.replace_document(row["key"], row["doc"], row["text"], provenance, facts)
        stats.processed += 1
    stats.facts.update(fact.type for fact in facts)
    yield from facts
