"""`factx extract` as a library call: find inputs, skip what the store already has,
process the rest in batches (in this process or in `--jobs` worker processes), store each
document atomically, and stream the facts out in document order.

Memory stays bounded by a few batches: documents are read, processed, stored and yielded
a batch at a time. The model loads only when some document needs processing, and never
in this process when worker processes do the work.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from factx import __version__
from factx.facts import Fact
from factx.pipeline import BATCH_SIZE, SEGMENT_CHARS, Extractor, Result, find_model, model_version, segments
from factx.sources import DEFAULT_MAX_BYTES, Entry, Problem, Source, discover, read_entries
from factx.store import Provenance, Store

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


@dataclass
class Stats:
    read: int = 0
    processed: int = 0
    unchanged: int = 0
    skipped: int = 0  # binary or over-size: a note, not an error
    failed: int = 0
    facts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        by_type = facts_by_type(self.facts)
        return (f"{self.read} document(s) read ({self.processed} processed, {self.unchanged} unchanged),"
                f" {self.skipped} skipped, {self.failed} failed; facts: {by_type}")


def facts_by_type(counts: Counter) -> str:
    """"3 date, 87 entity": the fact counts a summary line ends with."""
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "none"


Notify = Callable[[str, str], None]  # (document, message) -> None


@dataclass
class Item:
    """One input on its way through: a problem, or a source with what the store knows."""

    entry: Entry
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
    advance: Callable[[], None] = lambda: None,
    stats: Stats | None = None,
) -> Iterator[Fact]:
    """Yield every input's facts, by document path then offset, storing as it goes."""
    stats = stats if stats is not None else Stats()
    entries = discover(options.paths, options.pattern, options.follow_links)
    model = find_model(options.model)
    version = model_version(model)
    known = store.provenances() if store is not None and not options.force else {}

    def planned() -> Iterator[Item]:
        # Runs in the pool's feeder thread with --jobs: it must not touch the store.
        for entry, read in zip(entries, read_entries(entries, options.max_bytes)):
            item = Item(entry, read)
            if isinstance(read, Source):
                read.date_override = options.doc_date
                doc_date = read.doc_date
                item.provenance = Provenance(read.sha256, doc_date.isoformat() if doc_date else None,
                                             model, version, __version__)
                stored, item.stored_doc = known.get(read.key, (None, None))
                item.unchanged = stored == item.provenance
                if not item.unchanged and len(read.text) > SEGMENT_CHARS:
                    yield from _pieces(item)
                    continue
            yield item

    jobs = options.jobs or _auto_jobs(entries, options.max_bytes)
    batches = _batches(planned(), options.batch_size)
    for batch, results in _processed(batches, model, jobs):
        for item, result in zip(batch, results):
            advance()
            yield from _finish(item, result, store, notify, stats)


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


def _todo(batch: list[Item]) -> list[Source]:
    return [item.read for item in batch if isinstance(item.read, Source) and not item.unchanged]


def _processed(batches: Iterator[list[Item]], model: str, jobs: int) -> Iterator[tuple[list[Item], list]]:
    """Each batch with one result per item (None where nothing was processed), in order."""
    if jobs <= 1:
        extractor: Extractor | None = None
        for batch in batches:
            todo = _todo(batch)
            if todo:
                extractor = extractor or Extractor.shared(model)
            yield batch, _align(batch, extractor.process_batch(todo) if todo else [])
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

    def feed() -> Iterator[list[Source]]:
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


def _align(batch: list[Item], results: list[Result]) -> list[Result | None]:
    found = iter(results)
    return [next(found) if isinstance(item.read, Source) and not item.unchanged else None for item in batch]


def _finish(item: Item, result: Result | None, store: Store | None, notify: Notify,
            stats: Stats) -> Iterator[Fact]:
    read = item.read
    if isinstance(read, Problem):
        notify(read.doc, read.message)
        if read.error:
            stats.failed += 1
        else:
            stats.skipped += 1
        return
    if item.piece == 0:
        stats.read += 1
        for note in (item.document or read).notes:
            notify(read.doc, note)
    if item.pieces > 1:
        yield from _finish_piece(item, result, store, notify, stats)
        return
    if item.unchanged and store is not None:
        if item.stored_doc != read.doc:
            store.touch_doc(read.key, read.doc)
        facts = list(store.facts(keys=[read.key]))
        stats.unchanged += 1
    elif result is None or result.error:
        notify(read.doc, result.error if result else "not processed")
        stats.failed += 1
        return
    else:
        facts = result.facts or []
        if result.note:
            notify(read.doc, result.note)
        if store is not None:
            store.replace_document(read.key, read.doc, read.text, item.provenance, facts)
        stats.processed += 1
    stats.facts.update(fact.type for fact in facts)
    yield from facts


def _finish_piece(item: Item, result: Result | None, store: Store | None, notify: Notify,
                  stats: Stats) -> Iterator[Fact]:
    """One piece of a long document: its facts go out at once and are staged in the store;
    after the last piece the document is stored with all of them in one transaction. A
    failed piece fails the document: nothing of it is stored."""
    document, state = item.document, item.state
    if state["failed"]:
        return
    if item.piece == 0 and store is not None:
        store.discard_staged()
    if result is None or result.error:
        state["failed"] = True
        stats.failed += 1
        notify(document.doc, f"{result.error if result else 'not processed'} (in the piece at character"
                             f" {item.read.offset}); not stored, facts before it were already written out")
        if store is not None:
            store.discard_staged()
        return
    if result.note and result.note not in state["told"]:  # one line per kind of note, not per piece
        state["told"].add(result.note)
        notify(document.doc, result.note)
    facts = result.facts or []
    if store is not None:
        store.stage_facts(document.text, facts)
    stats.facts.update(fact.type for fact in facts)
    yield from facts
    if item.piece == item.pieces - 1:
        if store is not None:
            store.replace_document(document.key, document.doc, document.text, item.provenance, (), staged=True)
        stats.processed += 1
