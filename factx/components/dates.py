"""`factx_dates`: resolve DATE and TIME entities to inclusive calendar ranges.

Durations ("10 days", "a decade") are left to `factx_quantities`; what the normalizer
cannot place on a calendar (ages, "annual") yields no date. Windows of a counted length
("the past two years", "over the next decade") are durations too, as TimeML annotates
them: no date. The word before the span ("since", "by", ...) gives the date's relation;
the tense of the clause the date belongs to (found through the parse) picks the
occurrence of bare weekday and month names.

A TIME entity that the normalizer cannot date is a TIME fact on the document's day only
when it names a time of day ("3 p.m.", "Monday night", "noon"); lengths ("minutes",
"24 hours") and repeats ("every morning") are not facts.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from factx.components.extensions import DATES, annotated, doc_date, over_budget, sentence_of
from factx.normalize.dates import is_duration, is_window, resolve_date


@Language.factory("factx_dates", assigns=["doc.spans", "span._.factx_value"])
def make_dates(nlp: Language, name: str) -> DateResolver:
    return DateResolver()


_TIME_OF_DAY = re.compile(
    r"\d\s*(?:a\.?m\b|p\.?m\b|o'clock)|\d:\d\d|\b(?:morning|afternoon|evening|night|tonight|"
    r"noon|midday|midnight|dawn|dusk|daybreak|sunrise|sunset)\b", re.IGNORECASE)
_REPEAT = re.compile(r"\b(?:every|each|per|a day|daily|nightly|hourly)\b", re.IGNORECASE)
_DURATION_TIME = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
    r"several|few|many|mere|final|last|first)\s+(?:hours?|minutes?|seconds?)\b"
    r"|^(?:hours|minutes|seconds)$", re.IGNORECASE)


class DateResolver:
    def __call__(self, doc: Doc) -> Doc:
        anchor = doc_date(doc)
        marker_end = doc._.factx_marker_end or 0
        spans = []
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME") or ent.start_char < marker_end or is_duration(ent.text):
                continue
            if over_budget(doc):
                break
            preceding = doc[ent.start - 1].lower_ if ent.start else None
            if is_window(ent.text, preceding):
                continue
            value = resolve_date(ent.text, anchor, tense=clause_tense(ent), preceding=preceding)
            if value is None and ent.label_ == "TIME":
                if not is_time_of_day(ent.text):
                    continue
                # A time of day is a TIME fact on the document's day.
                day = anchor.isoformat() if anchor else None
                value_dict = {"start": day, "end": day, "grain": "day", "anchored": True}
            elif value is None:
                continue
            else:
                value_dict = value.as_dict()
            span = Span(doc, ent.start, ent.end, label=ent.label_)
            span._.factx_value = value_dict
            spans.append(span)
        doc.spans[DATES] = spans
        return doc


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
    while token is not None and steps < 12:
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
