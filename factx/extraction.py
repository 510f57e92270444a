"""`factx extract` as a library call: find inputs, skip what the store already has,
process the rest in batches, store each document atomically, and stream the facts out in
document order.

Memory stays bounded by one batch: documents are read, processed, stored and yielded a
batch at a time. The model loads only when some document needs processing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from factx import __version__
from factx.facts import Fact
from factx.pipeline import BATCH_SIZE, Extractor, find_model, model_version
from factx.sources import DEFAULT_MAX_BYTES, Problem, Source, discover, read_entries
from factx.store import Provenance, Store


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


@dataclass
class Stats:
    read: int = 0
    processed: int = 0
    unchanged: int = 0
    skipped: int = 0  # binary or over-size: a note, not an error
    failed: int = 0
    facts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        by_type = ", ".join(f"{count} {kind}" for kind, count in sorted(self.facts.items())) or "none"
        return (f"{self.read} document(s) read ({self.processed} processed, {self.unchanged} unchanged),"
                f" {self.skipped} skipped, {self.failed} failed; facts: {by_type}")


Notify = Callable[[str, str], None]  # (document, message) -> None


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
    extractor: Extractor | None = None
    batch: list[tuple[Source, Provenance, bool]] = []  # (source, provenance, unchanged)

    def flush() -> Iterator[Fact]:
        nonlocal extractor
        todo = [(source, provenance) for source, provenance, unchanged in batch if not unchanged]
        results = {}
        if todo:
            extractor = extractor or Extractor.shared(model)
            for result in extractor.process([source for source, _ in todo], options.doc_date, len(todo)):
                results[id(result.source)] = result
        for source, provenance, unchanged in batch:
            advance()
            if unchanged:
                facts = list(store.facts(keys=[source.key])) if store else []
                stats.unchanged += 1
            else:
                result = results[id(source)]
                if result.error:
                    notify(source.doc, result.error)
                    stats.failed += 1
                    continue
                facts = result.facts or []
                if store is not None:
                    store.replace_document(source.key, source.doc, source.text, provenance, facts)
                stats.processed += 1
            stats.facts.update(fact.type for fact in facts)
            yield from facts
        batch.clear()

    for item in read_entries(entries, options.max_bytes):
        if isinstance(item, Problem):
            advance()
            notify(item.doc, item.message)
            if item.error:
                stats.failed += 1
            else:
                stats.skipped += 1
            continue
        stats.read += 1
        for note in item.notes:
            notify(item.doc, note)
        effective_date = options.doc_date or item.marker_date
        provenance = Provenance(
            sha256=item.sha256,
            doc_date=effective_date.isoformat() if effective_date else None,
            model=model, model_version=version, factx_version=__version__,
        )
        unchanged = store is not None and not options.force and store.is_unchanged(item.key, provenance)
        if unchanged and store is not None:
            store.touch_doc(item.key, item.doc)
        batch.append((item, provenance, unchanged))
        if len(batch) >= options.batch_size:
            yield from flush()
    yield from flush()

