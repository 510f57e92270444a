"""Where document results go on the driver: the store (its one writer), the run's counts,
and one line per note or problem for the user.

`factx extract` (every engine) and `factx import` record through a `Recorder`, so a
document is stored, skipped as unchanged, counted and reported the same way whichever
way it was made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from factx.batch import DocumentResult
from factx.facts import Fact
from factx.sources import Source
from factx.store import Provenance, Store

Notify = Callable[[str, str], None]  # (document, message) -> None


@dataclass
class Stats:
    """The counts of one run of `factx extract` or `factx import`."""

    read: int = 0
    processed: int = 0  # `factx import`: imported
    unchanged: int = 0
    skipped: int = 0  # binary or over-size: a note, not an error
    failed: int = 0
    parts: int = 0  # part files imported
    facts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (f"{self.read} document(s) read ({self.processed} processed, {self.unchanged} unchanged),"
                f" {self.skipped} skipped, {self.failed} failed; facts: {facts_by_type(self.facts)}")

    def import_summary(self) -> str:
        return (f"{self.parts} part file(s): {self.processed} document(s) imported, {self.unchanged} unchanged,"
                f" {self.skipped} skipped, {self.failed} failed in the run;"
                f" facts imported: {facts_by_type(self.facts)}")


def facts_by_type(counts: Counter) -> str:
    """"3 date, 87 entity": the fact counts a summary line ends with."""
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "none"


class Recorder:
    """Records results into `store` (None: no store, as with `--no-store` or `--out`)."""

    def __init__(self, store: Store | None, notify: Notify, stats: Stats | None = None,
                 known: dict[str, tuple[Provenance, str]] | None = None):
        self.store, self.notify = store, notify
        self.stats = stats if stats is not None else Stats()
        # What the store holds, by key (`Store.provenances`); empty to re-run everything.
        self.known = known if known is not None else {}

    def finish(self, result: DocumentResult) -> Iterator[Fact]:
        """Report, count and store one result; yield its facts."""
        self.stats.read += result.read
        for note in result.notes:
            self.notify(result.doc, note)
        if result.status != "ok":
            self.not_processed(result)
            return
        if self.store is None or self.store_document(result):
            self.stats.processed += 1
        else:
            self.stats.unchanged += 1
        self.stats.facts.update(result.fact_types)
        yield from result.facts

    def not_processed(self, result: DocumentResult) -> None:
        self.notify(result.doc, result.message or result.status)
        if result.status == "skipped":
            self.stats.skipped += 1
        else:
            self.stats.failed += 1

    def store_document(self, result: DocumentResult) -> bool:
        """The one store writer: the document and its facts in one transaction, unless the
        store already has it from the same provenance. True when it was written."""
        if self.known.get(result.key, (None,))[0] == result.provenance:
            return False
        self.store.replace_document(result.key, result.doc, result.text, result.provenance, result.facts,
                                    url=result.url, title=result.title)
        self.known[result.key] = (result.provenance, result.doc)
        return True

    def unchanged(self, source: Source, stored_doc: str | None) -> Iterator[Fact]:
        """A document the store has from the same provenance: its stored facts, not run again."""
        self.stats.read += 1
        for note in source.notes:
            self.notify(source.doc, note)
        if stored_doc != source.doc:
            self.store.touch_doc(source.key, source.doc)
        facts = list(self.store.facts(keys=[source.key]))
        self.stats.unchanged += 1
        self.stats.facts.update(fact.type for fact in facts)
        yield from facts

    # A long document is stored in pieces: staged piece by piece, then written in one
    # transaction after its last piece, or discarded when a piece fails.

    def stage(self, document: Source, result: DocumentResult) -> Iterator[Fact]:
        if self.store is not None:
            self.store.stage_facts(document.text, result.facts)
        self.stats.facts.update(result.fact_types)
        yield from result.facts

    def store_staged(self, document: Source, made: Provenance) -> None:
        if self.store is not None:
            self.store.replace_document(document.key, document.doc, document.text, made, (), staged=True,
                                        url=document.url, title=document.title)
            self.known[document.key] = (made, document.doc)
        self.stats.processed += 1

    def discard_staged(self) -> None:
        if self.store is not None:
            self.store.discard_staged()
