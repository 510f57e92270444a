"""`factx extract` as a library call: the drivers.

Inputs are read by `factx.sources`, processed by the one worker function
(`factx.batch.process_documents`) and recorded by one `Recorder` (store, counts, notes).
The drivers differ only in where batches run (this process, `--jobs` worker processes, Ray
actors) and where results go (the store and stdout, or part files with `out`).

Memory stays bounded by a few batches: documents are read, processed, stored and yielded
a batch at a time. The model loads only when some document needs processing, and never
in this process when worker processes do the work.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from factx.batch import DocumentResult, process_documents, provenance
from factx.facts import Fact
from factx.pipeline import BATCH_SIZE, SEGMENT_CHARS, find_model, model_version, segments
from factx.recorder import Notify, Recorder, Stats
from factx.sources import DEFAULT_MAX_BYTES, MANY_DOCUMENT_KINDS, Entry, Problem, Source, discover, read_entries
from factx.store import Provenance, Store

__all__ = ["Options", "Stats", "Notify", "Progress", "run_extraction"]

# Called after each document: (documents finished, characters processed, documents
# expected or None when unknown, as with record files). The CLI draws a bar from it.
Progress = Callable[[int, int, "int | None"], None]

# With `--jobs auto`, inputs smaller than this run in one process: starting workers and
# loading a model in each costs more than it saves on a few articles.
AUTO_JOBS_MIN_BYTES = 2_000_000
# A batch closes at this much text too, so the pieces of a long document come back (and
# their facts go out) a few at a time, spread over the workers.
BATCH_TEXT_CHARS = 400_000


@dataclass
class Options:
    paths: list[str]
    pattern: str = "*.txt"
    doc_date: date | None = None
    model: str | None = None
    force: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    follow_links: bool = False
    batch_size: int = BATCH_SIZE
    jobs: int | None = None  # None: auto
    engine: str = "local"  # local | ray
    address: str | None = None  # the Ray cluster to join
    workers: int | None = None  # Ray actors (default: the cluster's CPUs)
    out: str | None = None  # write part files here instead of storing
    out_format: str = "parquet"  # or jsonl
    feeds: list[str] = field(default_factory=list)  # --feed: RSS/Atom feeds, files or URLs


@dataclass
class Item:
    """One read on its way through the local driver, with what the store knows of it."""

    read: Source | Problem
    provenance: Provenance | None = None
    unchanged: bool = False
    stored_doc: str | None = None  # the path the store shows it under
    # A long document goes out in pieces (`read` is one): facts stream out piece by piece
    # and memory stays flat. `document` is the whole; `state` is shared by its pieces.
    document: Source | None = None
    piece: int = 0
    pieces: int = 1
    state: dict = field(default_factory=dict)


def run_extraction(
    options: Options,
    store: Store | None,
    notify: Notify,
    progress: Progress | None = None,
    stats: Stats | None = None,
) -> Iterator[Fact]:
    """Yield every input's facts, by document path then offset, storing as it goes (or,
    with `options.out`, writing part files)."""
    entries = discover(options.paths, options.pattern, options.follow_links, options.feeds)
    model = find_model(options.model)
    known = store.provenances() if store is not None and not options.force else {}
    recorder = Recorder(store, notify, stats, known)
    expected = None if any(entry.kind in MANY_DOCUMENT_KINDS for entry in entries) else len(entries)
    done = {"documents": 0, "chars": 0}

    def advance(documents: int, chars: int) -> None:
        done["documents"] += documents
        done["chars"] += chars
        if progress is not None:
            progress(done["documents"], done["chars"], expected)

    if options.engine == "ray":
        from factx.engines.ray_engine import ray_results

        results = ray_results(entries, model, address=options.address, workers=options.workers, out=options.out,
                              fmt=options.out_format, max_bytes=options.max_bytes, batch_size=options.batch_size,
                              doc_date=options.doc_date)
        for result in results:
            advance(1, len(result.text or ""))
            yield from recorder.finish(result)
        return
    yield from _run_local(entries, options, model, recorder, advance)


def _run_local(entries: list[Entry], options: Options, model: str, recorder: Recorder,
               advance: Callable[[int, int], None]) -> Iterator[Fact]:
    version = model_version(model)

    def planned() -> Iterator[Item]:
        # Runs in the pool's feeder thread with --jobs: it must not touch the store.
        for read in read_entries(entries, options.max_bytes, options.doc_date):
            item = Item(read)
            if isinstance(read, Source):
                item.provenance = provenance(read, model, version)
                stored, item.stored_doc = recorder.known.get(read.key, (None, None))
                item.unchanged = stored == item.provenance
                # Part files take a document whole; the store and stdout take it in pieces.
                if not item.unchanged and not options.out and len(read.text) > SEGMENT_CHARS:
                    yield from _pieces(item)
                    continue
            yield item

    jobs = options.jobs or _auto_jobs(entries, options.max_bytes)
    for batch, results in _processed(_batches(planned(), options.batch_size), model, jobs):
        for item, result in zip(batch, results):
            processed = isinstance(item.read, Source) and not item.unchanged
            advance(item.piece == item.pieces - 1, len(item.read.text) if processed else 0)
            if item.unchanged:
                yield from recorder.unchanged(item.read, item.stored_doc)
            elif item.pieces > 1:
                yield from _finish_piece(item, result, recorder)
            else:
                yield from recorder.finish(result)
        if options.out:
            from factx.engines.parts import write_parts

            write_parts([result for result in results if result is not None], options.out, options.out_format)


def _auto_jobs(entries: list[Entry], max_bytes: int) -> int:
    total = 0
    for entry in entries:
        try:
            total += min(entry.path.stat().st_size, max_bytes) if entry.path else 0
        except OSError:
            continue
        if total >= AUTO_JOBS_MIN_BYTES:
            return max(os.cpu_count() or 1, 1)
    return 1


def _pieces(item: Item) -> Iterator[Item]:
    """The items of a long document, one per piece, each carrying only its own text."""
    document = item.read
    cuts = list(segments(document.text))
    state: dict = {"failed": False, "told": set()}
    for number, (offset, length) in enumerate(cuts):
        piece = replace(document, text=document.text[offset : offset + length], offset=offset, notes=[])
        yield replace(item, read=piece, document=document, piece=number, pieces=len(cuts), state=state)


def _batches(items: Iterator[Item], size: int, max_chars: int = BATCH_TEXT_CHARS) -> Iterator[list[Item]]:
    """Batches of at most `size` items and (unless one item is longer) `max_chars` of text."""
    batch: list[Item] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item.read.text) if isinstance(item.read, Source) else 0
        if len(batch) >= size or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _todo(batch: list[Item]) -> list[Source | Problem]:
    """What the worker is given of a batch: every read but the unchanged documents."""
    return [item.read for item in batch if not item.unchanged]


def _processed(batches: Iterator[list[Item]], model: str,
               jobs: int) -> Iterator[tuple[list[Item], list[DocumentResult | None]]]:
    """Each batch with one result per item (None for the unchanged), in order."""
    if jobs <= 1:
        for batch in batches:
            yield batch, _align(batch, process_documents(_todo(batch), model))
        return
    yield from _processed_in_pool(batches, model, jobs)


def _processed_in_pool(batches: Iterator[list[Item]], model: str, jobs: int):
    import multiprocessing

    from factx.batch import init_worker, process_in_worker

    # Bounded read-ahead: the pool's feeder may take only a few batches beyond the one
    # being written, so memory does not grow with the number of documents.
    window = threading.BoundedSemaphore(jobs * 2)
    pending: deque[list[Item]] = deque()
    # Set when this side stops (done, Ctrl-C): the pool's feeder thread, waiting for room
    # in the window that no one will make any more, must end, or closing the pool hangs.
    stopped = threading.Event()

    def feed() -> Iterator[list[Source | Problem]]:
        for batch in batches:
            while not window.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            pending.append(batch)
            yield _todo(batch)

    # When this process is killed, the resource tracker it started would warn about the
    # pool's semaphores on stderr; the kernel frees them anyway. (It takes -W options from here.)
    warning = "ignore::UserWarning:multiprocessing.resource_tracker"
    if warning not in sys.warnoptions:
        sys.warnoptions.append(warning)
    context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
    with context.Pool(jobs, initializer=init_worker, initargs=(model, os.getpid())) as pool:
        try:
            for results in pool.imap(process_in_worker, feed()):
                batch = pending.popleft()
                window.release()
                yield batch, _align(batch, results)
        finally:
            stopped.set()


def _align(batch: list[Item], results: list[DocumentResult]) -> list[DocumentResult | None]:
    found = iter(results)
    return [None if item.unchanged else next(found) for item in batch]


def _finish_piece(item: Item, result: DocumentResult, recorder: Recorder) -> Iterator[Fact]:
    """One piece of a long document: its facts go out at once and are staged in the store;
    after the last piece the document is stored with all of them in one transaction. A
    failed piece fails the document: nothing of it is stored."""
    document, state = item.document, item.state
    if state["failed"]:
        return
    if item.piece == 0:
        recorder.stats.read += 1
        for note in document.notes:
            recorder.notify(document.doc, note)
        recorder.discard_staged()
    if result.status != "ok":
        state["failed"] = True
        recorder.not_processed(replace(result, doc=document.doc, message=(
            f"{result.message} (in the piece at character {item.read.offset});"
            " not stored, facts before it were already written out")))
        recorder.discard_staged()
        return
    for note in result.notes:  # one line per kind of note, not per piece
        if note not in state["told"]:
            state["told"].add(note)
            recorder.notify(document.doc, note)
    yield from recorder.stage(document, result)
    if item.piece == item.pieces - 1:
        recorder.store_staged(document, item.provenance)
