"""`factx_quantities`: money and quantity claims, normalized, with what they are about.

Candidates are the model's MONEY, QUANTITY and PERCENT entities, DATE entities that are
durations ("10 days"), and CARDINAL numbers followed by a unit word the model missed. The
span is extended to the right over a rate ("per year") and an "of <substance>" phrase
before it, so "16 billion cubic meters of natural gas per year" is one claim with subject
"natural gas". Numbers and units are parsed by factx's normalizers; article text never
reaches pint's expression parser.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from factx.components import claims
from factx.components.extensions import DATES, MONEY, QUANTITIES
from factx.normalize.currencies import currency_unit
from factx.normalize.dates import is_duration
from factx.normalize.numbers import split_number
from factx.normalize.units import lookup_unit, make_quantity

# Words before or at the start of a value that bound it ("more than $5 billion").
_QUALIFIERS: dict[tuple[str, ...], str] = {
    **dict.fromkeys([("about",), ("around",), ("approximately",), ("roughly",), ("some",),
                     ("an", "estimated"), ("estimated",), ("circa",)], "approx"),
    **dict.fromkeys([("more", "than"), ("over",), ("at", "least"), ("above",), ("upwards", "of"),
                     ("in", "excess", "of"), ("no", "less", "than")], "at_least"),
    **dict.fromkeys([("up", "to"), ("less", "than"), ("fewer", "than"), ("at", "most"), ("nearly",),
                     ("almost",), ("under",), ("below",), ("as", "much", "as"), ("as", "many", "as"),
                     ("no", "more", "than")], "at_most"),
}
_RATES = {
    ("per", "year"): "per year", ("a", "year"): "per year", ("each", "year"): "per year",
    ("every", "year"): "per year", ("per", "annum"): "per year", ("annually",): "per year",
    ("yearly",): "per year", ("a", "day"): "per day", ("per", "day"): "per day",
    ("daily",): "per day", ("each", "day"): "per day", ("a", "month"): "per month",
    ("per", "month"): "per month", ("monthly",): "per month", ("a", "week"): "per week",
    ("per", "week"): "per week", ("an", "hour"): "per hour", ("per", "hour"): "per hour",
}
_PER_WORDS = {"a", "an", "per", "each", "/"}
_MAX_OF_PHRASE = 6
_CURRENCY_PREFIX = re.compile(r"^(?:[A-Z]{1,3}\$|[$£€¥₹₨]|Rs\.?|[A-Z]{3}(?=\s?\d))\s*")


@Language.factory(
    "factx_quantities",
    assigns=["doc.spans", "span._.factx_value",
             "span._.factx_subject", "span._.factx_about", "span._.factx_when",
             "span._.factx_qualifier"],
)
def make_quantities(nlp: Language, name: str) -> QuantityExtractor:
    return QuantityExtractor()


class QuantityExtractor:
    def __call__(self, doc: Doc) -> Doc:
        marker_end = doc._.factx_marker_end or 0
        dates = list(doc.spans[DATES]) if DATES in doc.spans else []
        context = " ".join(ent.text for ent in doc.ents if ent.label_ in ("GPE", "NORP"))
        money, quantities = [], []
        for ent in doc.ents:
            if ent.start_char < marker_end:
                continue
            if ent.label_ == "MONEY":
                claim, of_phrase = _money(doc, ent, context), None
                target = money
            elif ent.label_ in ("QUANTITY", "PERCENT", "CARDINAL") or (
                ent.label_ == "DATE" and is_duration(ent.text)
            ):
                claim, of_phrase = _quantity(doc, ent)
                target = quantities
            else:
                continue
            if claim is not None:
                _describe(claim, of_phrase, dates)
                target.append(claim)
        doc.spans[MONEY] = money
        doc.spans[QUANTITIES] = quantities
        return doc


def _qualifier(doc: Doc, ent: Span) -> tuple[int, str | None]:
    """The qualifier at the start of or just before `ent`, and the token where the value starts."""
    for words, meaning in sorted(_QUALIFIERS.items(), key=lambda item: -len(item[0])):
        n = len(words)
        inside = tuple(t.lower_ for t in doc[ent.start : ent.start + n])
        if inside == words and ent.start + n < ent.end:
            return ent.start + n, meaning
        before = tuple(t.lower_ for t in doc[max(ent.start - n, 0) : ent.start])
        if before == words:
            return ent.start, meaning
    return ent.start, None


def _rate_at(doc: Doc, i: int) -> tuple[int, str] | None:
    for words, rate in _RATES.items():
        if tuple(t.lower_ for t in doc[i : i + len(words)]) == words:
            return i + len(words), rate
    return None


def _extend(doc: Doc, end: int) -> tuple[int, Span | None, str]:
    """Past a value ending at token `end`: (new end, "of" phrase, rate words)."""
    i = end
    if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":  # "(bcm)"
        i += 3
    rate = _rate_at(doc, i)
    if rate:
        return rate[0], None, rate[1]
    if i < len(doc) and doc[i].lower_ == "of":
        j = i + 1
        while j < len(doc) and j - i <= _MAX_OF_PHRASE and doc[j].pos_ in ("ADJ", "NOUN", "PROPN") \
                and not doc[j].ent_type_:
            j += 1
        if j > i + 1:
            phrase = doc[i + 1 : j]
            rate = _rate_at(doc, j)
            return (rate[0], phrase, rate[1]) if rate else (end, phrase, "")
    return end, None, ""


def _quantity(doc: Doc, ent: Span) -> tuple[Span | None, Span | None]:
    """The quantity claim at `ent`, and the "of" phrase naming its substance."""
    start, qualifier = _qualifier(doc, ent)
    end = ent.end
    text = doc[start:end].text
    parsed = _number_and_rest(text)
    if ent.label_ == "CARDINAL":
        # A bare number is a quantity only when a known unit follows it: "16 bcm".
        if parsed is None or parsed[2]:
            return None, None
        for width in (3, 2, 1):
            words = doc[end : end + width]
            if len(words) == width and not any(t.ent_type_ for t in words) and lookup_unit(words.text):
                end += width
                parsed = (parsed[0], parsed[1], words.text)
                break
        else:
            return None, None
    if parsed is None:
        return None, None
    low, high, unit_words = parsed
    new_end, of_phrase, rate = _extend(doc, end)
    unit = lookup_unit(f"{unit_words} {rate}".strip()) if unit_words else None
    if unit is None:
        return None, None
    value = make_quantity(low, unit, high)
    label = "DURATION" if value["dimensionality"] == "[time]" else (
        "PERCENT" if "percent" in value["unit"] or "percentage" in value["unit"] else "QUANTITY")
    span = Span(doc, ent.start, new_end, label=label)
    span._.factx_value = value
    span._.factx_qualifier = qualifier
    return span, of_phrase


def _money(doc: Doc, ent: Span, context: str) -> Span | None:
    start, qualifier = _qualifier(doc, ent)
    text = doc[start : ent.end].text
    prefix = _CURRENCY_PREFIX.match(text)
    parsed = _number_and_rest(text[prefix.end():] if prefix else text)
    if parsed is None:
        return None
    low, high, rest = parsed
    sentence = ent.sent.text if doc.has_annotation("SENT_START") else ""
    code, factor = None, 1.0
    currency_text = None
    for written in filter(None, [prefix.group().strip() if prefix else None, rest]):
        found, found_factor = currency_unit(written, context=f"{sentence} {context}")
        currency_text = currency_text or written
        if found:
            code, factor = found, found_factor
            break
    value = {"amount": _round(low * factor), "currency": code}
    if high is not None:
        value["amount_high"] = _round(high * factor)
    if code is None:
        value["currency_text"] = currency_text
    end = ent.end
    if end + 1 < len(doc) and doc[end].lower_ in _PER_WORDS:  # "18 dlrs a barrel"
        per_unit = lookup_unit(doc[end + 1].text)
        if per_unit:
            value["per_unit"] = per_unit
            end += 2
    span = Span(doc, ent.start, end, label="MONEY")
    span._.factx_value = value
    span._.factx_qualifier = qualifier
    return span


def _number_and_rest(text: str) -> tuple[float, float | None, str] | None:
    """A leading number (or range) and the words after it; "a decade" is one decade."""
    text = text.strip()
    parsed = split_number(re.sub(r"(?<=\d)-(?=[A-Za-z])", " ", text))  # "three-year", "10-km"
    if parsed is None and re.match(r"(?i)an?\s", text):
        return 1.0, None, text.split(None, 1)[1]
    if parsed is None:
        hyphenated = re.match(r"(?i)([a-z]+)-([a-z]+)$", text)  # "three-year"
        if hyphenated:
            return _number_and_rest(f"{hyphenated.group(1)} {hyphenated.group(2)}")
    return parsed


def _round(amount: float) -> float:
    return float(f"{amount:.12g}")


def _describe(claim: Span, of_phrase: Span | None, dates: list[Span]) -> None:
    """Fill subject, about and when from the parse (needs a parser; else they stay null)."""
    doc = claim.doc
    if not doc.has_annotation("DEP"):
        claim._.factx_subject = of_phrase.text if of_phrase is not None else None
        return
    # A duration's clause subject is rarely what it measures ("Zia urged ... 10 days").
    subject, head = claims.subject_of(claim, of_phrase, clause=claim.label_ != "DURATION")
    claim._.factx_subject = subject.text if subject is not None else None
    claim._.factx_about = claims.about_of(doc, claim, subject, head)
    when = claims.when_of(claim, dates) if claim.label_ != "DURATION" else None
    if when is not None:
        claim._.factx_when = {"text": when.text, "start": when.start_char, "end": when.end_char,
                              "value": when._.factx_value}
