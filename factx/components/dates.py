"""`factx_dates`: resolve DATE and TIME entities to inclusive calendar ranges.

Durations ("10 days", "a decade") are left to `factx_quantities`; what the normalizer
cannot place on a calendar (ages, "annual") yields no date. The word before the span
("since", "by", ...) gives the date's relation; the sentence's verbs give the tense used
for bare weekday and month names.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from factx.components.extensions import DATES, doc_date
from factx.normalize.dates import is_duration, resolve_date


@Language.factory("factx_dates", assigns=["doc.spans", "span._.factx_value"])
def make_dates(nlp: Language, name: str) -> DateResolver:
    return DateResolver()


class DateResolver:
    def __call__(self, doc: Doc) -> Doc:
        anchor = doc_date(doc)
        marker_end = doc._.factx_marker_end or 0
        spans = []
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME") or ent.start_char < marker_end or is_duration(ent.text):
                continue
            preceding = doc[ent.start - 1].lower_ if ent.start else None
            value = resolve_date(ent.text, anchor, tense=sentence_tense(ent), preceding=preceding)
            if value is None and ent.label_ == "TIME":
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


def sentence_tense(span: Span) -> str | None:
    """"future" when the sentence has will/shall/going to, "past" for past-tense verbs."""
    sentence = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    tags = {token.tag_ for token in sentence}
    if any(token.tag_ == "MD" and token.lower_ in ("will", "shall", "'ll") for token in sentence):
        return "future"
    if tags & {"VBD"}:
        return "past"
    return None
