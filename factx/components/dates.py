"""`factx_dates`: resolve DATE and TIME entities to inclusive calendar ranges.

Durations ("10 days", "a decade") are left to `factx_quantities`; what the normalizer
cannot place on a calendar (ages, "annual") yields no date. Windows of a counted length
("the past two years", "over the next decade") are durations too, as TimeML annotates
them: no date. The word before the span ("since", "by", ...) gives the date's relation;
the tense of the clause the date belongs to (found through the parse) picks the
occurrence of bare weekday and month names.

A TIME entity that the normalizer cannot date is a TIME fact only when it names a time of
day ("3 p.m.", "Monday night", "noon"); lengths ("minutes", "24 hours") and repeats
("every morning") are not facts. Its day is the nearest day-grain date of its sentence
("Friday evening before the 7 p.m. kickoff": Friday), else the document's day.

Candidates come from two sources (issue 15): the model's DATE/TIME entities and the
grammar of `factx.normalize.date_grammar` over the document text. Where they overlap the
grammar's span wins (it fixes the model's edges and splits lists), unless the model's
span holds a single grammar match and itself resolves ("the end of March 2016" keeps its
part-of-month reading).

Narrative time: dates are resolved in document order, and the latest one is the story's
reference time for its own sentence and the next two; an anaphor ("a year earlier"), a
comparison base ("from December") and a "since" date do not move it. A month or
day without a year takes the reference's year when that differs from the document's
(unless its clause is future), and "that year", "a year earlier", "the same month" count
from the reference (see `resolve_date`).

Not dates: a season or named day used as a modifier of a noun that is not a time noun
("a winter storm", "Christmas sales"; but "the Christmas holiday"), and a generic
"today's" (before a plural or an era noun: "today's consumers", "today's world").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from factx.components.extensions import DATES, annotated, doc_date, doc_text, over_budget, sentence_of
from factx.normalize.date_grammar import find_dates
from factx.normalize.dates import (ERA_NOUNS, TIME_NOUNS, DateValue, is_duration, is_window,
                                   resolve_date)
from factx.normalize.numbers import NUMBER_WORDS


# How many sentences after its own a told date stays the reference time (default setting).
REFERENCE_SENTENCES = 2


@Language.factory(
    "factx_dates",
    requires=["doc.ents"],
    assigns=["doc.spans", "span._.factx_value"],
    default_config={"reference_sentences": REFERENCE_SENTENCES, "time_budget": True},
)
def make_dates(nlp: Language, name: str, reference_sentences: int, time_budget: bool) -> DateResolver:
    return DateResolver(reference_sentences, time_budget)


_TIME_OF_DAY = re.compile(
    r"\d\s*(?:a\.?m\b|p\.?m\b|o'clock)|\d:\d\d|\b(?:morning|afternoon|evening|night|tonight|"
    r"noon|midday|midnight|dawn|dusk|daybreak|sunrise|sunset)\b", re.IGNORECASE)
_REPEAT = re.compile(r"\b(?:every|each|per|a day|daily|nightly|hourly)\b", re.IGNORECASE)
_DURATION_TIME = re.compile(
    r"\b(?:\d+|a|an|" + "|".join(word for word, value in NUMBER_WORDS.items() if value)
    + r"|several|few|many|mere|final|last|first)\s+(?:hours?|minutes?|seconds?)\b"
    r"|^(?:hours|minutes|seconds)$", re.IGNORECASE)


_SEASON_ONLY = re.compile(r"(?:the\s+)?(?:spring|summer|autumn|fall|winter)", re.IGNORECASE)


class DateResolver:
    """Settings: `reference_sentences`, how many sentences after its own a told date stays
    the reference of "a year earlier" and lends its year to "May 5"; `time_budget`, stop
    adding dates once the document's time budget is spent (extensions.over_budget)."""

    def __init__(self, reference_sentences: int = REFERENCE_SENTENCES, time_budget: bool = True):
        self.reference_sentences = reference_sentences
        self.time_budget = time_budget

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc_date(doc)
        sent_starts = [s.start for s in doc.sents] if annotated(doc, "SENT_START") or \
            annotated(doc, "DEP") else [0]
        # the latest date told (anaphors count from it) and the latest written full date
        # (a year-less name borrows its year); each holds for reference_sentences more
        reference: DateValue | None = None
        reference_sent = 0
        written: DateValue | None = None
        written_sent = 0
        spans: list[Span] = []
        times: list[Span] = []
        for span, kind in candidates(doc):
            if self.time_budget and over_budget(doc):
                break
            if is_duration(span.text) or not_a_date(span, kind):
                continue
            preceding = doc[span.start - 1].lower_ if span.start else None
            if is_window(span.text, preceding):
                continue
            sent = bisect_right(sent_starts, span.start) - 1
            if reference is not None and sent - reference_sent > self.reference_sentences:
                reference = None
            if written is not None and sent - written_sent > self.reference_sentences:
                written = None
            value = resolve_date(span.text, anchor, tense=clause_tense(span), preceding=preceding,
                                 reference=reference if kind == "anaphor" else written)
            if value is None and span.label_ == "TIME":
                if not is_time_of_day(span.text):
                    continue
                day = anchor.isoformat() if anchor else None
                value_dict = {"start": day, "end": day, "grain": "day", "anchored": True}
                times.append(span)
            elif value is None:
                continue
            else:
                value_dict = value.as_dict()
                # Every date the story names moves its reference time; one told relative
                # to the reference ("a year earlier") does not, or chains would drift.
                # Nor does a comparison base ("rose in January from December") or the
                # start of a span lasting until now ("since November 1985").
                if value.start and kind != "anaphor" and preceding != "from" \
                        and value.relation != "since":
                    reference, reference_sent = value, sent
                    if not value.anchored:
                        written, written_sent = value, sent
            span._.factx_value = value_dict
            spans.append(span)
        _days_for_times(times, spans, sent_starts)
        doc.spans[DATES] = spans
        return doc


def candidates(doc: Doc) -> list[tuple[Span, str]]:
    """The model's DATE/TIME entities and the grammar's matches, without overlaps, in
    document order, each with its kind ("model" or the grammar's kind)."""
    marker_end = doc._.factx_marker_end or 0
    grammar: list[tuple[Span, str]] = []
    for found in find_dates(doc_text(doc)):
        if found.start < marker_end:
            continue
        span = doc.char_span(found.start, found.end, label="DATE", alignment_mode="expand")
        if span is not None and (not grammar or span.start >= grammar[-1][0].end):
            grammar.append((span, found.kind))
    starts = [g[0].start for g in grammar]
    taken: set[int] = set()  # grammar matches a model span keeps for itself
    out: list[tuple[Span, str]] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME") or ent.start_char < marker_end:
            continue
        lo = bisect_right(starts, ent.start - 1)
        while lo > 0 and grammar[lo - 1][0].end > ent.start:
            lo -= 1
        inside = [i for i in range(lo, len(grammar)) if grammar[i][0].start < ent.end]
        if not inside:
            out.append((Span(doc, ent.start, ent.end, label=ent.label_), "model"))
            continue
        g, kind = grammar[inside[0]]
        if len(inside) == 1 and kind != "item" and g.start >= ent.start and g.end <= ent.end \
                and (g.start, g.end) != (ent.start, ent.end) and _refines(ent, g):
            out.append((Span(doc, ent.start, ent.end, label=ent.label_), "model"))
            taken.add(inside[0])
    out.extend(g for i, g in enumerate(grammar) if i not in taken)
    out.sort(key=lambda c: c[0].start)
    kept: list[tuple[Span, str]] = []
    for c in out:
        if not kept or c[0].start >= kept[-1][0].end:
            kept.append(c)
    return kept


def _refines(ent: Span, g: Span) -> bool:
    """The model's wider span names a part of the grammar's date ("the end of March 2016"
    in "March 2016"), not something else ("01.04.16 1900-2110" read as years)."""
    anchor = ent.doc._.factx_doc_date
    outer, inner = resolve_date(ent.text, anchor), resolve_date(g.text, anchor)
    if outer is None or inner is None or None in (outer.start, inner.start):
        return outer is not None and inner is None
    return inner.start <= outer.start and outer.end <= inner.end


def not_a_date(span: Span, kind: str) -> bool:
    """A season or named day modifying a noun that is no time noun ("a winter storm",
    "Christmas sales"), and a generic "today's" ("today's world", "today's consumers")."""
    doc = span.doc
    if not annotated(doc, "DEP"):
        return False
    root = span.root
    text = span.text.lower()
    if kind == "holiday" or _SEASON_ONLY.fullmatch(text):
        head = root.head
        return root.dep_ in ("compound", "amod", "nmod") and head.i >= span.end \
            and head.pos_ in ("NOUN", "PROPN") and head.lower_ not in TIME_NOUNS
    if text in ("today", "today's", "today\u2019s"):
        nxt = doc[span.end] if span.end < len(doc) else None
        possessive = text != "today" or (nxt is not None and nxt.lower_ in ("'s", "\u2019s"))
        if possessive:
            head = root.head if root.dep_ == "poss" else (nxt.head if nxt is not None else root)
            return head.tag_ in ("NNS", "NNPS") or head.lower_ in ERA_NOUNS
    return False


def _days_for_times(times: list[Span], spans: list[Span], sent_starts: list[int]) -> None:
    """A time of day belongs to the day named in its sentence, the nearest one if several."""
    days = [s for s in spans if s not in times and s._.factx_value["grain"] == "day"
            and s._.factx_value["start"] and s._.factx_value["start"] == s._.factx_value["end"]]
    for t in times:
        sent = bisect_right(sent_starts, t.start) - 1
        same = [d for d in days if bisect_right(sent_starts, d.start) - 1 == sent]
        if same:
            best = min(same, key=lambda d: min(abs(d.start - t.end), abs(t.start - d.end)))
            t._.factx_value = {**t._.factx_value, "start": best._.factx_value["start"],
                               "end": best._.factx_value["end"]}


def is_time_of_day(text: str) -> bool:
    """"3 p.m.", "Monday night", "noon": yes; "minutes", "24 hours", "every morning": no."""
    return bool(_TIME_OF_DAY.search(text)) and not _REPEAT.search(text) \
        and not _DURATION_TIME.search(text)


_INTENTION = re.compile(
    r"(?:expect|plan|intend|aim|hope|schedul|set$|due$|seek|sought|want|promis|pledg|vow|"
    r"propos|threat|prepar|going$|wish|vote|poised|slated|likely|about$|ready$|eager|"
    r"determined|committed|bound$)")
_FUTURE_MODALS = {"will", "shall", "'ll", "wo", "would", "'d"}
_PAST_AUX = {"was", "were", "had", "did", "'d"}


def _verb_tense(verb: Token) -> str | None:
    """"past", "perfect", "future", "present" or None (an infinitive: look further up)."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in aux}
    if words & _FUTURE_MODALS - {"'d"} or (verb.lower_ in ("going", "gon") and any(
            c.tag_ == "VB" or c.dep_ == "xcomp" for c in verb.children)):
        return "future"
    if any(c.tag_ == "TO" for c in aux) or (verb.tag_ == "VB" and not aux):
        return None  # "to run through June", a bare infinitive: the governing verb decides
    if words & {"have", "has", "'ve"} and verb.tag_ == "VBN":
        return "perfect"  # present perfect: done by now, or (with an infinitive) pending
    if any(c.tag_ == "VBD" for c in aux):
        return "past"
    if aux:
        return "present"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and verb.dep_ in ("ROOT", "conj", "ccomp")):
        return "past"  # a main-clause VBN without auxiliary is a mis-tagged past tense
    return "present"


_MAX_TENSE_STEPS = 12  # heads climbed from a date to the verb whose tense it takes


def clause_tense(span: Span) -> str | None:
    """The tense of the clause the date belongs to, through the dependency parse:
    "future" (will/shall/would, going to, an infinitive under a present or future verb:
    "is due to be published in May"), "past" (past tense, present perfect), else None.
    Without a parse, the sentence's verbs decide as in `sentence_tense`."""
    doc = span.doc
    if not annotated(doc, "DEP"):
        return sentence_tense(span)
    token: Token | None = span.root.head if span.root.head.i != span.root.i else None
    infinitive = False
    steps = 0
    while token is not None and steps < _MAX_TENSE_STEPS:
        steps += 1
        if token.tag_.startswith("VB") or token.tag_ == "MD" or token.pos_ in ("VERB", "AUX"):
            if token.tag_ == "MD":
                return "future" if token.lower_ in _FUTURE_MODALS else None
            tense = _verb_tense(token)
            if tense is None:
                infinitive = True
            elif infinitive:
                # a plan stated now looks ahead, and so does one stated in the past with
                # a verb of intention ("was expected to open in June"); otherwise the
                # infinitive's event belongs to the past ("agreed to sell in October")
                if tense in ("present", "perfect", "future") or _INTENTION.match(token.lower_):
                    return "future"
                return tense
            else:
                return {"present": None, "perfect": "past"}.get(tense, tense)
        if token.head.i == token.i:
            break
        token = token.head
    return "future" if infinitive else sentence_tense(span)


def sentence_tense(span: Span) -> str | None:
    """"future" when the sentence has will/shall/going to, "past" for past-tense verbs."""
    sentence = sentence_of(span.doc, span.start, span.end)
    tags = {token.tag_ for token in sentence}
    if any(token.tag_ == "MD" and token.lower_ in ("will", "shall", "'ll") for token in sentence):
        return "future"
    if tags & {"VBD"}:
        return "past"
    return None
