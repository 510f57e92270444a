"""`factx_quantities`: money and quantity claims, normalized, with what they are about.

Candidates are the model's MONEY, QUANTITY and PERCENT entities, DATE entities that are
durations ("10 days"), and every other number token, whether outside all entities or
inside one of another kind ("a 5kW" tagged ORG, "9 ksi" tagged TIME): the unit or
currency written with it decides what it is. The
span is extended to the right over a rate ("per year") and an "of <substance>" phrase
before it, so "16 billion cubic meters of natural gas per year" is one claim with subject
"natural gas". Numbers and units are parsed by factx's normalizers; article text never
reaches pint's expression parser.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from spacy.language import Language
from spacy.tokens import Doc, Span

from factx.components import claims, frames
from factx.components.extensions import (DATES, MONEY, QUANTITIES, annotated, doc_date, doc_text, over_budget,
                                         sentence_of)
from factx.normalize.currencies import Clues, article_clues, currency_candidates, currency_unit
from factx.normalize.numbers import SCALES, round_significant, split_number
from factx.normalize.units import context_words, convert, dimensionality, lookup_unit, make_quantity, temperature_delta
from factx.normalize.vocabulary import load

# Words before or at the start of a value that bound it ("more than $5 billion").
_QUALIFIERS: dict[tuple[str, ...], str] = {tuple(phrase.split()): qualifier
                                           for qualifier, phrases in load("measure_words")["qualifiers"].items()
                                           for phrase in phrases}
_QUALIFIERS_LONGEST_FIRST = sorted(_QUALIFIERS.items(), key=lambda item: -len(item[0]))
_LONGEST_QUALIFIER = len(_QUALIFIERS_LONGEST_FIRST[0][0])
_RATES = {phrase: f"per {period}" for period, phrases in load("measure_words")["rates"].items() for phrase in phrases}
# Tokens the longest rate phrase takes: "per annum", "p.a." (tokenized "p.a" ".").
_MAX_RATE_TOKENS = 2
_PER_WORDS = {"a", "an", "per", "each", "/"}
_MAX_UNIT_TOKENS = 4
_SIGN_TOKEN = re.compile(r"^(?:[+\-\u2212]\.?\d|minus$)", re.IGNORECASE)
# A sign or bound written onto the number: "~1.2mm" (about), "sub-300 sq m" (below 300),
# "minus-5 yards" (negative five).
_NUMBER_PREFIX = re.compile(r"^(?:(?P<approx>[~\u2248\u223c])|(?P<below>sub-)|(?P<minus>minus-))(?=\.?\d)",
                            re.IGNORECASE)
_MAX_OF_PHRASE = 6
_TABLE_BREAK = re.compile(r"\n[ \t\n]")
# Unit symbols read only when glued to their number: British papers write "24pc" for per
# cent, while a spaced "24 pc" is as often pieces or computers.
_GLUED_ONLY = {"pc": "percent"}
# A number with "m" glued to it ("12.3m"): metres, or a million of what follows.
_GLUED_MILLION = re.compile(r"^[+\-]?\d[\d,.]*m(?![A-Za-z])")
_CURRENCY_PREFIX = re.compile(r"^(?:\$[A-Z]{1,2}(?=\s?\d)|[A-Z]{1,3}\$|[$£€¥₹₨]|Rs\.?|[A-Z]{3}(?=\s?\d)|[A-Z]{1,2}(?=\d)|[A-Z]=(?=\d))\s*")
# A currency code or symbol glued to its number: "EUR50", "RM23.50", "USD1,700", "HK$52.30".
_GLUED_CURRENCY = re.compile(r"^(?:[A-Z]{2,3}|\$[A-Z]{1,2}|[A-Z]{1,3}\$|[A-Z]=)(?=\d)")
# Letters between a currency symbol and its digits: "$" "US9,300,500", "$" "A13,800,900".
_LETTERS_THEN_DIGITS = re.compile(r"^[A-Z]{1,2}\d")


@Language.factory(
    "factx_quantities",
    requires=["doc.ents"],
    assigns=["doc.spans", "span._.factx_value",
             "span._.factx_subject", "span._.factx_about", "span._.factx_when",
             "span._.factx_qualifier", "span._.factx_measure", "span._.factx_role", "span._.factx_direction",
             "span._.factx_attributed_to", "span._.factx_modality"],
    default_config={"time_budget": True},
)
def make_quantities(nlp: Language, name: str, time_budget: bool) -> QuantityExtractor:
    return QuantityExtractor(time_budget)


class QuantityExtractor:
    """Setting: `time_budget`, stop adding claims once the document's time budget is spent
    (extensions.over_budget); False always reads the whole document."""

    def __init__(self, time_budget: bool = True):
        self.time_budget = time_budget

    def __call__(self, doc: Doc) -> Doc:
        marker_end = doc._.factx_marker_end or 0
        dates = list(doc.spans[DATES]) if DATES in doc.spans else []
        ents = doc.ents  # read once: each read of doc.ents builds every Span again
        money, quantities = [], []
        candidates = [ent for ent in ents if ent.start_char >= marker_end and ent.label_ in _CANDIDATE_LABELS
                      and not _after_power_sign(doc, ent.start)]
        # Numbers the model left out of every entity ("-1.3%", "100km/hr") are candidates too,
        # and so are numbers inside an entity of another kind ("a 5kW" ORG "motor", "9 ksi"
        # tagged TIME, "$" "700000" inside a DATE): the unit decides what they are.
        for i in _numeric_token_indices(doc):
            t = doc[i]
            if t.idx >= marker_end and not _after_power_sign(doc, i) and ((_looks_numeric(t) and not _starts_candidate(t)) or (
                    t.ent_type_ not in _CANDIDATE_LABELS and _glued_currency(t)) or (
                    t.ent_type_ != "MONEY" and _after_glued_symbol(doc, i))):
                candidates.append(Span(doc, i, i + 1, label="CARDINAL"))
        candidates.sort(key=lambda span: span.start)
        taken: set[int] = set()
        measured: dict[int, tuple[Span | None, Span | None]] = {}  # claim start -> (subject, its head)
        for ent in candidates:
            if ent.start in taken:
                continue
            if self.time_budget and over_budget(doc):
                break
            claims: list[tuple[Span, Span | None]] = []
            pence = _pence(doc, ent)
            if pence is not None:
                claims = [(pence, None)]
            elif ent.label_ == "MONEY" or (ent.start > 0 and _is_currency_token(doc, ent.start - 1)) \
                    or _glued_currency(doc[ent.start]) or _currency_words_at(doc, _past_scale(doc, ent.end)) \
                    or _shared_currency(doc, ent.end) is not None \
                    or (ent.label_ in ("QUANTITY", "CARDINAL") and _names_currency(ent)):
                claim = _money(doc, ent, _context(doc))
                if claim is not None:
                    claims = [(claim, None)]
            if not claims and (ent.label_ != "MONEY" or not _has_currency(ent)):
                claims = _quantity(doc, ent)
            for claim, of_phrase in claims:
                if any(i in taken for i in range(claim.start, claim.end)):
                    continue
                taken.update(range(claim.start, claim.end))
                measured[claim.start] = _describe(claim, of_phrase)
                (money if claim.label_ == "MONEY" else quantities).append(claim)
        if annotated(doc, "SENT_START"):
            money += _table_amounts(doc, taken, money)
        found = sorted(money + quantities, key=lambda span: span.start)
        if annotated(doc, "DEP"):
            _frame(doc, found, measured, dates, ents)
        _share_subjects(found)
        doc.spans[MONEY] = sorted(money, key=lambda span: span.start)
        doc.spans[QUANTITIES] = sorted(quantities, key=lambda span: span.start)
        return doc


_CANDIDATE_LABELS = {"MONEY", "QUANTITY", "PERCENT", "CARDINAL", "DATE", "TIME"}
# Entities whose first token is already a candidate as the whole entity. A DATE or TIME
# entity is read only as a duration, so its first number is tried again on its own.
_TRIED_AS_ENTITY = _CANDIDATE_LABELS - {"DATE", "TIME"}


def _starts_candidate(token) -> bool:
    """The first token of a MONEY, QUANTITY, PERCENT or CARDINAL entity: already read with
    the entity. (A later number in such an entity, "5% to" "10%", is tried on its own when
    the entity's reading did not take it.)"""
    return token.ent_iob_ == "B" and token.ent_type_ in _TRIED_AS_ENTITY


# Words before a unit that the model tags as a place: "a US pint", "U.S. gallons".
_UNIT_QUALIFIERS = {"US", "U.S.", "UK"}


def _may_hold_unit(token) -> bool:
    """A word after a value that can still be part of its unit: outside every entity, in
    a number entity, continuing the entity the value sits in, or a unit word the model
    tagged as an entity of its own ("49.5" "HZ" as WORK_OF_ART, "degrees" "Fahrenheit")."""
    if token.ent_type_ in ("", "QUANTITY", "CARDINAL") or token.text in _UNIT_QUALIFIERS:
        return True
    if token.ent_iob_ == "I":
        # A capitalised word inside a name is part of the name ("Nine Mile Point").
        return token.ent_type_ in _CANDIDATE_LABELS or not (
            token.is_title or (token.is_upper and len(token) > 3))
    doc = token.doc
    alone = token.i + 1 >= len(doc) or doc[token.i + 1].ent_iob_ != "I"
    return alone and lookup_unit(token.text) is not None


_DIGITS_OR_MINUS = re.compile(r"\d+|\bminus\b", re.IGNORECASE)


def _numeric_token_indices(doc: Doc) -> list[int]:
    """Tokens that can start a number: number words (LIKE_NUM) and every token holding a
    digit or "minus". Found from arrays and one regex, not by making a Token per word."""
    import numpy

    from spacy.attrs import IDX, LIKE_NUM

    arrays = doc.to_array([IDX, LIKE_NUM])
    starts = numpy.ascontiguousarray(arrays[:, 0])
    found = set(numpy.flatnonzero(arrays[:, 1]).tolist())
    offsets = [match.start() for match in _DIGITS_OR_MINUS.finditer(doc_text(doc))]
    if offsets:
        found.update((numpy.searchsorted(starts, offsets, side="right") - 1).tolist())
    return sorted(found)


def _after_power_sign(doc: Doc, i: int) -> bool:
    """A number glued after "^" or "*" ("10^999999"): the exponent of a power, not a value."""
    return i > 0 and not doc[i - 1].whitespace_ and doc[i - 1].text[-1:] in ("^", "*")


def _looks_numeric(token) -> bool:
    return token.like_num or token.text[:1].isdigit() or bool(_SIGN_TOKEN.match(token.text)) \
        or bool(_NUMBER_PREFIX.match(token.text))


def _glued_currency(token) -> bool:
    match = _GLUED_CURRENCY.match(token.text)
    if match is None or not currency_candidates(match.group()):
        return False
    if _MODEL_NAME.fullmatch(token.text):  # an amount only with a scale: "PS6m", "INR1 trillion"
        after = token.nbor() if token.i + 1 < len(token.doc) else None
        return after is not None and (after.text.removesuffix(".") in _MONEY_SCALES or after.lower_ in SCALES)
    return True


# Capitals glued to one digit name a product or a group, not an amount: "PS5" is a
# console even though "PS" is how ASCII text writes "£"; also "A4", "G7", "F1".
_MODEL_NAME = re.compile(r"[A-Z]{1,3}\d")


def _is_currency_token(doc: Doc, i: int) -> bool:
    """A currency symbol or code written before a number: "$", "HK $", "USD", "Rs"."""
    text = doc[i].text
    if text and all(unicodedata.category(ch) == "Sc" for ch in text):
        return True
    if text.isupper() and len(text) == 3 and currency_candidates(text):
        return True
    return bool(_CURRENCY_PREFIX.fullmatch(text))


def _after_glued_symbol(doc: Doc, i: int) -> bool:
    """ "$" glued to "US9,300,500": the token holds the rest of a currency and its amount."""
    return i > 0 and not doc[i - 1].whitespace_ and bool(_LETTERS_THEN_DIGITS.match(doc[i].text)) \
        and _is_currency_token(doc, i - 1)


@functools.lru_cache(maxsize=4096)
def _currency_form(text: str) -> str | None:
    """`text` as a currency word or code can be looked up: as written, or lower-cased when
    written in capitals ("YEN", "FRANCS" in a headline); None when it names no currency."""
    if currency_candidates(text):
        return text
    if len(text) >= 3 and text.isupper() and currency_candidates(text.lower()):
        return text.lower()
    return None


def _past_scale(doc: Doc, i: int) -> int:
    """Token `i`, or the one after it when `i` is a scale word: "9" "billion" "shekels"."""
    return i + 1 if i < len(doc) and doc[i].lower_ in SCALES else i


def _shared_currency(doc: Doc, i: int) -> tuple[int, int] | None:
    """ "eight or nine euros": at token `i` ("or"), the (start, end) of the scale and currency
    words the later number gives the earlier one; None when there are none."""
    if i + 2 >= len(doc) or doc[i].lower_ != "or" or not _looks_numeric(doc[i + 1]):
        return None
    at = _past_scale(doc, i + 2)
    n = _currency_words_at(doc, at)
    return (i + 2 if at > i + 2 else at, at + n) if n else None


def _currency_words_at(doc: Doc, i: int) -> int:
    """How many words at token `i` name a currency and not a unit: "shekels", "YEN" (1),
    "Danish crowns" (2); 0 when none do ("pounds" is a weight as well: left to the unit)."""
    if i >= len(doc):
        return 0
    word = doc[i]
    if _is_symbol(word.text) and currency_candidates(word.text) and i > 0 and doc[i - 1].text[-1:].isdigit():
        return 1  # a symbol after its amount: "12,50 €", "302,44€", "880,000 ₫"
    if not (word.is_alpha or _INITIALS.fullmatch(word.text)):
        return 0
    if word.is_alpha and _currency_form(word.text) and not lookup_unit(word.text):
        return 1
    if i + 1 < len(doc) and word.whitespace_ and doc[i + 1].is_alpha \
            and _currency_form(f"{word.text} {doc[i + 1].text}"):
        return 2
    return 0


def _is_symbol(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) == "Sc" for ch in text)


# A country written with initials before its currency word: "U.S. Dlrs", "U.K. pounds".
_INITIALS = re.compile(r"(?:[A-Za-z]\.){2,3}")


def _names_currency(ent: Span) -> bool:
    """A currency code or word inside a number entity, after its first token: "1" "USD"."""
    return any(_currency_words_at(ent.doc, i) for i in range(ent.start + 1, ent.end))


def _has_currency(ent: Span) -> bool:
    return any(_is_currency_token(ent.doc, t.i) or currency_candidates(t.text) for t in ent)


def _qualifier(doc: Doc, ent: Span) -> tuple[int, str | None]:
    """The qualifier at the start of or just before `ent`, and the token where the value starts."""
    # One list of lower-cased words around the start, not a Span per phrase: this runs
    # for every candidate number.
    window_start = max(ent.start - _LONGEST_QUALIFIER, 0)
    words = tuple(t.lower_ for t in doc[window_start : min(ent.start + _LONGEST_QUALIFIER, ent.end)])
    at = ent.start - window_start
    for phrase, meaning in _QUALIFIERS_LONGEST_FIRST:
        n = len(phrase)
        if words[at : at + n] == phrase and ent.start + n < ent.end:
            return ent.start + n, meaning
        if at >= n and words[at - n : at] == phrase:
            return ent.start, meaning
    return ent.start, None


def _rate_at(doc: Doc, i: int) -> tuple[int, str] | None:
    """(end, "per <period>") of the rate phrase at token `i`, matched on its text so a phrase
    the tokenizer splits still counts."""
    for n in range(min(_MAX_RATE_TOKENS, len(doc) - i), 0, -1):
        if (rate := _RATES.get(doc[i : i + n].text.lower())) is not None:
            return i + n, rate
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
            rate = _rate_at(doc, j) or _rate_after_a_place(doc, j)
            return (rate[0], phrase, rate[1]) if rate else (end, phrase, "")
    rate = _rate_after_a_place(doc, i)
    if rate:
        return rate[0], None, rate[1]
    return end, None, ""


def _whole_before_fraction(doc: Doc, i: int) -> int:
    """Where a number whose fraction the tokenizer split off starts: "17-1/4 cts" is
    17.25 cents, not a quarter of one."""
    if i >= 2 and "/" in doc[i].text and doc[i - 1].text == "-" and doc[i - 2].text.isdigit() \
            and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
        return i - 2
    return i


_MAX_PLACE_PHRASE = 6


def _rate_after_a_place(doc: Doc, i: int) -> tuple[int, str] | None:
    """ "two million litres of water from the river a day": a rate written after one
    prepositional phrase ("from the river", "at the mine") that sits between the value and
    it. The phrase holds no number, verb or punctuation, and the rate follows a noun ("for a
    day" is a duration, not a rate)."""
    if i >= len(doc) or doc[i].pos_ != "ADP" or doc[i].lower_ in ("of", "per") or _rate_at(doc, i):
        return None
    k = i + 1
    while k < len(doc) and k - i <= _MAX_PLACE_PHRASE:
        token = doc[k]
        if k > i + 1 and doc[k - 1].pos_ in ("NOUN", "PROPN") and (rate := _rate_at(doc, k)) is not None:
            return rate
        if token.pos_ not in ("DET", "ADJ", "NOUN", "PROPN") or token.like_num or token.ent_type_ in (
                "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL"):
            return None
        k += 1
    return None


def _value_start(doc: Doc, ent: Span) -> int | None:
    """The first token of the value inside `ent`: past words such as "just", "the last"."""
    for i in range(ent.start, ent.end):
        token = doc[i]
        if token.lower_ in ("one", "a", "an") and i + 1 < ent.end and doc[i + 1].text[:1].isdigit():
            continue  # "one 52,000 barrel-a-day refinery": one thing of that size
        if _looks_numeric(token) or _CURRENCY_PREFIX.match(token.text) \
                or (token.lower_ in ("a", "an", "half") and i + 1 < ent.end):
            return i
    return None


def _quantity(doc: Doc, ent: Span, _depth: int = 0) -> list[tuple[Span, Span | None]]:
    """The quantity claims at `ent` (two for a change "from 10 to 12 bcm"), each with the
    "of" phrase naming its substance. (`_depth` counts how many values a bare number has
    been sent on to for its unit: "60, 90 and 120-day".)

    The unit is looked for in order: written after the number ("16 bcm"), after one
    adjective ("25 additional miles"), after a fraction ("half a mile"), then on another
    value of the sentence (_unit_from_another_value)."""
    value_start = _value_start(doc, ent)
    if value_start is None:
        return []
    start, qualifier = _qualifier(doc, doc[value_start : ent.end])
    if qualifier is None and (prefix := _NUMBER_PREFIX.match(doc[value_start].text)) is not None:
        qualifier = "approx" if prefix["approx"] else "at_most" if prefix["below"] else None
    sentence_end = sentence_of(doc, ent.start, ent.end).end
    best = _unit_written_after(doc, ent, start, value_start, sentence_end)
    if best is _NOT_A_QUANTITY:
        return []
    if best is None:
        best = _unit_after_an_adjective(doc, value_start, sentence_end) \
            or _fraction_of_a_unit(doc, value_start, sentence_end)
    if best is None:
        return _unit_from_another_value(doc, ent, value_start, qualifier, _depth)
    return _quantity_claims(doc, ent, value_start, qualifier, best, _depth)


# `_unit_written_after`'s answer for a number that is a count of things ("2.7m sales").
_NOT_A_QUANTITY = object()


def _unit_written_after(doc: Doc, ent: Span, start: int, value_start: int, sentence_end: int):
    """(end, (low, high, unit words), unit) of the number and the unit written after it,
    None when none is, or _NOT_A_QUANTITY."""
    # The longest run of tokens from the value that reads as number + unit; words the
    # model put in the entity after the unit ("nine days later") are left out, and a
    # unit the model left outside ("16 bcm") is taken in.
    limit = ent.end + _MAX_UNIT_TOKENS
    # A unit hyphenated into one word ("barrel-a-day") counts its hyphens as no words.
    limit += sum(1 for t in doc[ent.end : min(limit, len(doc))] if t.text == "-" and not t.whitespace_)
    limit = min(limit, sentence_end)
    # Tokens and text are taken once: this loop runs for every number in the document.
    tokens = list(doc[start:limit])
    text = doc_text(doc)
    first_char = tokens[0].idx
    # Words after the entity up to the first one inside another kind of entity.
    outside_ok = ent.end
    while outside_ok < limit and _may_hold_unit(tokens[outside_ok - start]):
        outside_ok += 1
    for end in range(limit, value_start, -1):
        last = tokens[end - 1 - start]
        if end > ent.end and (end > outside_ok or last.is_space or (last.is_punct and last.text not in ("″", "%"))):
            continue
        piece = text[first_char : last.idx + len(last)]
        if _TABLE_BREAK.search(piece):
            continue  # a line break then an indent: the next cell of a table, not the unit
        parsed = _number_and_rest(piece)
        if parsed is None or not parsed[2]:
            continue
        glued = _GLUED_MILLION.match(piece)
        if glued and lookup_unit(parsed[2][1:].strip()):  # "12.3m tonnes": million tonnes
            low, high, rest = parsed
            parsed = (low * 1e6, high * 1e6 if high is not None else None, rest[1:].strip())
        unit = lookup_unit(parsed[2])
        if unit is None and parsed[2].endswith(".") and len(last.text) > 1 and last.text.endswith(".") \
                and (end >= sentence_end or doc[end].is_space) and lookup_unit(parsed[2][:-1]):
            parsed = (parsed[0], parsed[1], parsed[2][:-1])  # "1.7 eV." at the end of a sentence: one token
            unit = lookup_unit(parsed[2])
        if unit is None and parsed[2] in _GLUED_ONLY and re.search(r"\d" + parsed[2] + "$", piece):
            unit = lookup_unit(_GLUED_ONLY[parsed[2]])
        if unit is not None:
            if glued and parsed[2] == "m" and end < sentence_end and (
                    doc[end].lower_ == "of" or _plural_noun_follows(doc, end, sentence_end)):
                return _NOT_A_QUANTITY  # "2.7m sales", "35m of its devices": millions of things, not metres
            return end, parsed, unit
    return None


def _unit_from_another_value(doc: Doc, ent: Span, value_start: int, qualifier: str | None,
                             depth: int) -> list[tuple[Span, Span | None]]:
    """A bare number takes its unit from another value, in order: a later one it is ranged
    or listed with ("between 12 and 15 kg", "60, 90 and 120-day"), the one before "vs",
    "degrees" of a temperature change, the other number of "three or four years"."""
    if depth > _MAX_GOVERNED_DEPTH:
        return []
    found = _governed_by_later_value(doc, value_start, qualifier, depth) \
        or _governed_by_earlier_value(doc, value_start, depth) \
        or _degrees_of_change(doc, value_start, qualifier) \
        or _unit_of_the_other_number(doc, value_start, qualifier)
    if found and ent.label_ in ("DATE", "TIME") and found[0][0]._.factx_value.get("dimensionality") != "[time]":
        return []
    return found


def _quantity_claims(doc: Doc, ent: Span, value_start: int, qualifier: str | None, best: tuple,
                     depth: int) -> list[tuple[Span, Span | None]]:
    """The claims of a number whose unit is found (`best`): extended over a range, a rate
    and an "of" phrase; none for a time that is a moment rather than a duration."""
    end, (low, high, unit_words), unit = best
    word = doc[value_start]
    if word.is_alpha and word.is_title and not word.is_sent_start and end > value_start + 1 \
            and doc[value_start + 1].is_title:
        return []  # a capitalised spelled number and unit mid-sentence name a place: "Three Mile Island"
    ranged = _range_to_second_value(doc, value_start, end, low, unit, depth) if high is None else None
    if ranged is not None:  # "3 km to 5 km", "45 minutes to an hour", "-5 °C to -12 °C"
        low, high, new_end, of_phrase = ranged
        rate = ""
    else:
        new_end, of_phrase, rate = _extend(doc, end)
    if rate:
        with_rate = lookup_unit(f"{unit_words} {rate}")
        if with_rate is None:
            new_end, rate = end, ""
        else:
            unit = with_rate
    unit = _unit_in_context(doc, value_start, new_end, unit, unit_words, of_phrase)
    value = make_quantity(low, unit, high)
    is_time = value["dimensionality"] == "[time]"
    if ent.label_ in ("DATE", "TIME") and not is_time:
        return []
    if is_time and (_is_rate_word(doc, value_start) or _article_time_reference(doc, value_start, new_end)
                    or _dates_a_moment(doc, new_end)):
        return []
    label = "DURATION" if is_time else (
        "PERCENT" if "percent" in value["unit"] or "percentage" in value["unit"] else "QUANTITY")
    first = ent.start if qualifier and ent.start < value_start else value_start
    to = (_change_to(doc, value_start, end) or _change_by_to(doc, value_start, end)) if high is not None else None
    if to is not None:  # "rose from 10 to 12 bcm": two values, the old and the new
        old = Span(doc, value_start, to, label=label)
        old._.factx_value = make_quantity(low, unit)
        new = Span(doc, to + 1, new_end, label=label)
        new._.factx_value = make_quantity(high, unit)
        return [(old, of_phrase), (new, of_phrase)]
    span = Span(doc, first, new_end, label=label)
    span._.factx_value = value
    span._.factx_qualifier = qualifier
    claims = [(span, of_phrase)]
    if (moved := _moved_to_bare_number(doc, first, new_end, label, unit)) is not None:
        claims.append((moved, of_phrase))
    return claims




_ADJECTIVE_TAGS = {"JJ", "JJR", "VBG"}
_DIMENSION_WORDS = {"long", "tall", "high", "wide", "deep", "thick", "square", "cubic", "away", "below", "above"}
# Tokens after a glued "m" in which the plural noun it counts may stand ("2.7m combined
# digital and physical sales").
_MAX_COUNTED_NOUN_TOKENS = 5


def _plural_noun_follows(doc: Doc, i: int, sentence_end: int) -> bool:
    """A plural noun at token `i`, or after a few adjectives ("2.7m combined digital and
    physical sales"): what a glued "m" counts, in millions."""
    for k in range(i, min(i + _MAX_COUNTED_NOUN_TOKENS, sentence_end)):
        token = doc[k]
        if token.tag_ in ("NNS", "NNPS"):
            return True
        if token.lower_ in _DIMENSION_WORDS:
            return False  # "two 50m tall towers": metres
        if not (token.pos_ in ("ADJ", "CCONJ", "ADV") or token.tag_ == "VBN" or token.text == ","):
            return False
    return False


def _unit_after_an_adjective(doc: Doc, value_start: int, sentence_end: int):
    """ "25 additional miles", "410 passing yards", "six trading days": one adjective or
    gerund between a bare number and a plural unit noun. Returns what the unit search
    returns, or None."""
    j = value_start + 1
    modifier = doc[j] if j < sentence_end else None
    if modifier is None or j + 1 >= sentence_end or doc[j + 1].tag_ != "NNS" \
            or not (modifier.tag_ in _ADJECTIVE_TAGS or (modifier.tag_ == "NN" and modifier.lower_.endswith("ing"))) \
            or modifier.like_num or modifier.lower_ in SCALES:
        return None
    parsed = _number_and_rest(doc[value_start].text)
    unit = lookup_unit(doc[j + 1].text)
    if parsed is None or parsed[2] or unit is None:
        return None
    return j + 2, (parsed[0], parsed[1], doc[j + 1].text), unit


def _fraction_of_a_unit(doc: Doc, value_start: int, sentence_end: int):
    """ "1/16 of a pint", "half a mile", "three quarters of an hour": a fraction of one unit.
    Returns what the unit search returns, or None."""
    j = value_start + 1
    if j >= sentence_end:
        return None
    if doc[j].lower_ in ("third", "thirds", "quarter", "quarters"):
        parsed = _number_and_rest(doc[value_start : j + 1].text)  # "three quarters"
        j += 1
    else:
        parsed = _number_and_rest(doc[value_start].text)
    if parsed is None or parsed[1] is not None or parsed[2] or not 0 < parsed[0] < 1:
        return None
    if j < sentence_end and doc[j].lower_ == "of":
        j += 1
    if j >= sentence_end or doc[j].lower_ not in ("a", "an"):
        return None
    j += 1
    for k in range(min(j + 3, sentence_end), j, -1):
        unit = lookup_unit(doc[j:k].text)
        if unit is not None:
            return k, (parsed[0], None, doc[j:k].text), unit
    return None


def _unit_of_the_other_number(doc: Doc, value_start: int, qualifier: str | None) -> list[tuple[Span, Span | None]]:
    """ "three or four years", "a 7- or 8-inch screen": a bare number joined by "or" to a
    number with a unit takes that unit."""
    i = value_start + 1
    if i < len(doc) and doc[i].text == "-":
        i += 1
    if i + 1 >= len(doc) or doc[i].lower_ != "or" or not _looks_numeric(doc[i + 1]):
        return []
    parsed = _number_and_rest(doc[value_start].text.rstrip("-"))
    if parsed is None or parsed[1] is not None or parsed[2]:
        return []
    later = _quantity(doc, Span(doc, i + 1, i + 2, label="CARDINAL"))
    if len(later) != 1 or later[0][0]._.factx_value.get("magnitude_high") is not None:
        return []
    other = later[0][0]
    span = Span(doc, value_start, value_start + 1, label=other.label_)
    span._.factx_value = make_quantity(parsed[0], other._.factx_value["unit"])
    span._.factx_qualifier = qualifier
    return [(span, None)]


def _moved_to_bare_number(doc: Doc, start: int, end: int, label: str, unit: str) -> Span | None:
    """ "climbed from 21 mpg combined to 23 for ...": the bare number a value moved to is in
    the same unit. Only right after "from <value>", within two words, and only when no
    word that could be its own unit or noun follows the number."""
    if start == 0 or doc[start - 1].lower_ != "from":
        return None
    for j in range(end, min(end + 3, len(doc) - 1)):
        token = doc[j]
        if token.lower_ == "to":
            k = j + 1
            if not doc[k].text[:1].isdigit():
                return None
            after = doc[k + 1] if k + 1 < len(doc) else None
            if after is not None and (after.like_num or after.pos_ in ("NOUN", "PROPN", "SYM", "NUM")
                                      or after.text == "%" or lookup_unit(after.text) is not None):
                return None
            parsed = _number_and_rest(doc[k].text)
            if parsed is None or parsed[1] is not None or parsed[2]:
                return None
            span = Span(doc, k, k + 1, label=label)
            span._.factx_value = make_quantity(parsed[0], unit)
            return span
        if token.is_punct or token.like_num or token.pos_ in ("AUX", "VERB") and token.tag_ != "VBN":
            return None
    return None


def _change_to(doc: Doc, start: int, end: int) -> int | None:
    """The "to" of "from X to Y" when the range at [start, end) follows "from"."""
    if start == 0 or doc[start - 1].lower_ != "from":
        return None
    for i in range(start + 1, end - 1):
        if doc[i].lower_ == "to":
            return i
    return None


# --------------------------------------------------------------------------- ranges and lists

_MAX_GOVERNED_DEPTH = 8
# Words and dashes between the two ends of a range: "3 to 5 km", "$89-$93", "5 - 7 pct".
_RANGE_JOINS = {"to", "-", "\u2013", "\u2014"}
_LIST_JOINS = _RANGE_JOINS | {"and", "or"} | frames.VERSUS


def _change_by_to(doc: Doc, start: int, end: int) -> int | None:
    """The "to" of "by X unit to Y unit" when both ends carry the unit: a change, then the
    level it reached ("cut by 2 km to 10 km"); "by 2 to 3 percent" stays a range."""
    if start == 0 or doc[start - 1].lower_ != "by":
        return None
    for i in range(start + 1, end - 1):
        if doc[i].lower_ == "to":
            return i if lookup_unit(doc[start + 1 : i].text.strip("- ")) else None
    return None


def _glued_to_more(doc: Doc, i: int) -> bool:
    """Token `i` is part of a longer figure the tokenizer split: "47" "-1/2", "5" "-3/4"."""
    return (i + 1 < len(doc) and not doc[i].whitespace_ and doc[i + 1].text[:1] in "-/"
            and (any(ch.isdigit() for ch in doc[i + 1].text)
                 or (i + 2 < len(doc) and not doc[i + 1].whitespace_ and doc[i + 2].text[:1].isdigit()))) or (
        i > 0 and not doc[i - 1].whitespace_ and doc[i].text[:1] in "-/" and doc[i - 1].text[-1:].isdigit())


def _year_like(token) -> bool:
    return token.ent_type_ == "DATE" and bool(re.fullmatch(r"1\d{3}|20\d{2}", token.text))


def _number_end(doc: Doc, i: int) -> int:
    """The end of the bare number at token `i`, past a scale word ("100.9" "mln")."""
    return i + 2 if i + 1 < len(doc) and doc[i + 1].lower_ in SCALES else i + 1


def _context(doc: Doc) -> Clues:
    """The article's currency clues, found once per document."""
    if "factx_clues" not in doc.user_data:
        doc.user_data["factx_clues"] = _article_clues(doc, doc.ents)
    return doc.user_data["factx_clues"]


def _reading_at(doc: Doc, k: int, depth: int) -> tuple[Span, Span | None, float] | None:
    """The single value (money or quantity) that starts at token `k`, with its "of" phrase
    and the number as written (its own scale included), for a bare number to share; None
    when there is none or it is a range."""
    if k >= len(doc):
        return None
    number_at = k + 1 if _is_currency_token(doc, k) and k + 1 < len(doc) and _looks_numeric(doc[k + 1]) else k
    written = _number_and_rest(doc[number_at:_number_end(doc, number_at)].text)
    if written is None or written[1] is not None or not written[0]:
        if doc[k].lower_ not in ("a", "an"):
            return None
        written = (1.0, None, "")
    money_like = number_at > k or doc[k].ent_type_ == "MONEY" or _glued_currency(doc[k]) \
        or _currency_words_at(doc, _past_scale(doc, k + 1))
    if money_like:
        claim = _money(doc, Span(doc, number_at, number_at + 1, label="CARDINAL"), _context(doc))
        if claim is None or claim._.factx_value.get("amount_high") is not None:
            return None
        return claim, None, written[0]
    width = 2 if doc[k].lower_ in ("a", "an") else 1
    found = _quantity(doc, Span(doc, k, k + width, label="CARDINAL"), depth + 1)
    if len(found) != 1 or found[0][0].start != k or found[0][0]._.factx_value.get("magnitude_high") is not None:
        return None
    return found[0][0], found[0][1], written[0]


def _governed_by_later_value(doc: Doc, value_start: int, qualifier: str | None,
                             depth: int) -> list[tuple[Span, Span | None]]:
    """A bare number whose unit or currency is written once, on a later number: a range
    ("between 12 and 15 kg", "5- to 10-foot", "two or three weeks", "between 110.25 and
    114.50 dlrs per tonne") is one value with a high end; a list ("60, 90 and 120-day",
    "a low of 1.4520 and a high of 1.4675 Swiss francs", "a 7- or 8-inch screen") gives
    each number its own value in that unit."""
    first = doc[value_start]
    if _year_like(first) or _glued_to_more(doc, value_start):
        return []
    i = _number_end(doc, value_start)
    hyphen = first.text.endswith("-") and first.whitespace_ and i == value_start + 1
    if i < len(doc) and doc[i].text == "-" and not doc[i - 1].whitespace_ and doc[i].whitespace_:
        hyphen = True
        i += 1  # "5 -" "to 10-foot" when the hyphen is a token of its own
    j, commas = i, 0
    while j + 1 < len(doc) and doc[j].text == "," and _looks_numeric(doc[j + 1]) and not _year_like(doc[j + 1]) \
            and commas < _MAX_GOVERNED_DEPTH:
        j = _number_end(doc, j + 1)
        if j < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_:
            j += 1
        commas += 1
    if j >= len(doc) - 1 or doc[j].lower_ not in _LIST_JOINS or (commas and doc[j].lower_ not in ("and", "or")):
        return []
    join = doc[j].lower_
    k = j + 1
    described = k + 3 < len(doc) and doc[k].lower_ in ("a", "an", "the") and doc[k + 1].is_alpha \
        and doc[k + 2].lower_ == "of"
    if described:
        k += 3  # "a low of 1.4520 and a high of 1.4675 Swiss francs"
    before = doc[value_start - 1].lower_ if value_start > 0 else ""
    if before in ("from", "by") and join in _RANGE_JOINS:
        return []  # a change: "from 7 to 10 kg" is read by the range rules
    reading = _reading_at(doc, k, depth)
    if reading is None:
        return []
    later, of_phrase, later_written = reading
    ranged = not commas and not described and (
        join in _RANGE_JOINS or (join == "and" and before == "between") or (join == "or" and not hyphen))
    own = doc[value_start:_number_end(doc, value_start)].text.rstrip("-")
    if ranged:
        pair = _number_and_rest(f"{own} to {doc[k:_number_end(doc, k)].text}")
        if pair is None or pair[1] is None:
            return []
        low = pair[0] * (pair[1] and later_written / pair[1] or 1)
    else:
        alone = _number_and_rest(own)
        if alone is None or alone[1] is not None or alone[2]:
            return []
        low = alone[0]
    later_value = later._.factx_value
    is_money = later.label_ == "MONEY"
    amount = later_value["amount"] if is_money else later_value["magnitude"]
    factor = amount / later_written if later_written else 1.0  # cents, a glued million
    low *= factor
    if ranged and not low < amount:
        return []
    end = later.end if ranged else _number_end(doc, value_start)
    span = Span(doc, value_start, end, label=later.label_)
    if is_money:
        value = {**later_value, "amount": round_significant(low)}
        if ranged:
            value["amount_high"] = later_value["amount"]
        span._.factx_value = value
    else:
        span._.factx_value = make_quantity(low, later_value["unit"], later_value["magnitude"] if ranged else None)
    span._.factx_qualifier = qualifier
    return [(span, of_phrase if ranged else None)]


# Tokens back from "vs" to the value whose unit the bare figure after it shares.
_MAX_VERSUS_GAP = 6


def _governed_by_earlier_value(doc: Doc, value_start: int, depth: int) -> list[tuple[Span, Span | None]]:
    """ "Group net 104.8 mln dlrs vs 100.9 mln": the bare figure of a comparison shares
    the unit or currency of the value just before "vs"."""
    if value_start < 2 or doc[value_start - 1].lower_ not in frames.VERSUS or _year_like(doc[value_start]) \
            or _glued_to_more(doc, value_start):
        return []
    vs = value_start - 1
    for j in range(vs - 1, max(vs - _MAX_VERSUS_GAP, -1), -1):
        if doc[j].is_punct and doc[j].text not in ("$",) or doc[j].lower_ in frames.VERSUS:
            return []
        if not _looks_numeric(doc[j]) or doc[j].lower_ in SCALES:
            continue
        if _glued_to_more(doc, j):
            return []
        k = j - 1 if j > 0 and _is_currency_token(doc, j - 1) else j
        reading = _reading_at(doc, k, depth)
        if reading is None or reading[0].end != vs:
            return []
        earlier, _, earlier_written = reading
        alone = _number_and_rest(doc[value_start:_number_end(doc, value_start)].text)
        if alone is None or alone[1] is not None or alone[2]:
            return []
        value = earlier._.factx_value
        span = Span(doc, value_start, _number_end(doc, value_start), label=earlier.label_)
        if earlier.label_ == "MONEY":
            factor = value["amount"] / earlier_written if earlier_written else 1.0
            span._.factx_value = {**value, "amount": round_significant(alone[0] * factor)}
        else:
            factor = value["magnitude"] / earlier_written if earlier_written else 1.0
            span._.factx_value = make_quantity(alone[0] * factor, value["unit"])
        return [(span, None)]
    return []


def _range_to_second_value(doc: Doc, value_start: int, end: int, low: float, unit: str,
                           depth: int) -> tuple[float, float, int, Span | None] | None:
    """ "3 km to 5 km", "45 minutes to an hour", "-5 °C to -12 °C", "between 12 kg and 15
    kg": a value with its unit, then a second one of the same kind after "to" (or "and"
    after "between"): one range (low, high, its end, the second's "of" phrase). Not after
    "from" or "by": those are a change and the level it reached."""
    if end + 1 >= len(doc) or depth > _MAX_GOVERNED_DEPTH:
        return None
    before = doc[value_start - 1].lower_ if value_start > 0 else ""
    join = doc[end].lower_
    if before in ("from", "by") or not (join in _RANGE_JOINS or (join == "and" and before == "between")):
        return None
    k = end + 1
    if not (_looks_numeric(doc[k]) or doc[k].lower_ in ("a", "an")):
        return None
    width = 2 if doc[k].lower_ in ("a", "an") else 1
    found = _quantity(doc, Span(doc, k, k + width, label="CARDINAL"), depth + 1)
    if len(found) != 1 or found[0][0].start != k:
        return None
    second, of_phrase = found[0]
    value = second._.factx_value
    if value.get("magnitude_high") is not None:
        return None
    high = convert(value["magnitude"], value["unit"], unit)
    if high is None:
        return None
    if high < low and low <= 0:
        low, high = high, low  # "-5 °C to -12 °C": the same stretch below zero
    if not low < high:
        return None
    return low, high, second.end, of_phrase


# --------------------------------------------------------------------------- units in context

_TON_WORDS = {"ton", "tons"}


def _document_says(doc: Doc) -> dict:
    """What the whole article says about its units, worked out once per document."""
    said = doc.user_data.get("factx_unit_context")
    if said is None:
        text = doc_text(doc)
        lower = text.lower()
        places = {ent.text for ent in doc.ents if ent.label_ in ("GPE", "NORP")}
        said = {
            "short_tons": bool(re.search(r"\bshort[ -]tons?\b", lower)),
            "us": any(p in places for p in context_words("us_places")) or "American" in places,
            "fahrenheit": bool(re.search(r"fahrenheit|°\s?f\b|\bdeg\.? ?f\b", lower)),
            "celsius": bool(re.search(r"celsius|centigrade|°\s?c\b|\bdeg\.? ?c\b", lower)),
        }
        doc.user_data["factx_unit_context"] = said
    return said


# Without sentence boundaries, the words this many tokens either side of a value stand for
# its sentence.
_SENTENCE_WINDOW = 30


def _sentence_words(doc: Doc, i: int) -> set[str]:
    if annotated(doc, "SENT_START"):
        sent = doc[i].sent
        return {t.lower_ for t in sent}
    return {t.lower_ for t in doc[max(i - _SENTENCE_WINDOW, 0) : i + _SENTENCE_WINDOW]}


def _unit_in_context(doc: Doc, value_start: int, end: int, unit: str, unit_words: str,
                     of_phrase: Span | None) -> str:
    """The unit as the article means it: a troy ounce of a precious metal, the short ton of
    a US mining story, a temperature change rather than a level."""
    if unit == "ounce":
        words = _sentence_words(doc, value_start)
        if words & set(context_words("troy_metals")):
            return "troy_ounce"
    elif unit == "metric_ton" and unit_words.lower().split()[-1:] and unit_words.lower().split()[-1] in _TON_WORDS \
            and "metric" not in unit_words.lower():
        said = _document_says(doc)
        if said["short_tons"] or (said["us"] and _sentence_words(doc, value_start) & set(context_words("short_ton_mining"))):
            return "short_ton"
    elif (delta := temperature_delta(unit)) is not None and _temperature_change(doc, value_start, end):
        return delta
    return unit


def _temperature_change(doc: Doc, value_start: int, end: int) -> bool:
    """ "rose 3 degrees", "warmer by 2C", "0.8°C of warming", "a 2C rise", "1.5C above
    pre-industrial levels": a change of temperature, not a level ("rose to 30C", "5 degrees
    below zero" are levels)."""
    i = value_start - 1
    while i >= 0 and doc[i].lower_ in ("about", "around", "nearly", "almost", "some", "roughly", "by", "another",
                                       "just", "over", "more", "than", "only", "a", "further"):
        if doc[i].lower_ == "by":
            return True
        i -= 1
    if i >= 0 and doc[i].lower_ in context_words("temperature_change_verbs"):
        return True
    if i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in context_words("temperature_change_nouns"):
        return True
    after = [t.lower_ for t in doc[end : min(end + 3, len(doc))]]
    if after[:1] and after[0] in ("above", "below") and len(after) > 1 and after[1] in ("zero", "freezing"):
        return False
    for phrase in context_words("temperature_change_after"):
        words = phrase.split()
        if after[: len(words)] == words:
            return True
    return False


def _degrees_of_change(doc: Doc, value_start: int, qualifier: str | None) -> list[tuple[Span, Span | None]]:
    """ "Temperatures rose 3 degrees": a bare "degrees" after a number is a change of
    temperature when the sentence speaks of temperature and the number is a change; the
    scale is the one the article names, else Fahrenheit in an article naming a US place,
    else Celsius."""
    k = _number_end(doc, value_start)
    if k >= len(doc) or doc[k].lower_ not in ("degree", "degrees") or k + 1 < len(doc) and lookup_unit(
            f"{doc[k].text} {doc[k + 1].text}"):
        return []
    if not _sentence_words(doc, value_start) & {w.lower() for w in context_words("temperature_words")}:
        return []
    if not _temperature_change(doc, value_start, k + 1):
        return []
    parsed = _number_and_rest(doc[value_start:k].text)
    if parsed is None or parsed[2]:
        return []
    said = _document_says(doc)
    fahrenheit = said["fahrenheit"] and not said["celsius"] or (not said["celsius"] and said["us"])
    unit = "delta_degree_Fahrenheit" if fahrenheit else "delta_degree_Celsius"
    span = Span(doc, value_start, k + 1, label="QUANTITY")
    span._.factx_value = make_quantity(parsed[0], unit, parsed[1])
    span._.factx_qualifier = qualifier
    return [(span, None)]


def _dates_a_moment(doc: Doc, end: int) -> bool:
    """ "six weeks ago", "two years from now": a span of time that dates a moment (a date
    fact) rather than stating a duration."""
    words = [t.lower_ for t in doc[end : min(end + 2, len(doc))]]
    return words[:1] in (["ago"], ["hence"]) or words == ["from", "now"]


_RELATIVE_TIME = {"ago", "earlier", "later", "before", "back", "previously"}


def _article_time_reference(doc: Doc, value_start: int, end: int) -> bool:
    """ "a year ago", "a week earlier", "a second quarter", "bags a year": an article and a
    time word that date something, rank it or make a rate, rather than state a duration.
    ("after a decade" stays a duration; so do "nine days later" and other counted spans.)"""
    if doc[value_start].lower_ not in ("a", "an"):
        return False
    after = doc[end] if end < len(doc) else None
    if after is not None and (after.lower_ in _RELATIVE_TIME or (
            doc[end - 1].lower_ == "second" and after.pos_ in ("NOUN", "PROPN"))):
        return True
    return value_start > 0 and doc[value_start - 1].pos_ in ("NOUN", "PROPN")


def _is_rate_word(doc: Doc, value_start: int) -> bool:
    """ "a year" right after another value is its rate ("18 dlrs a year"), not a duration."""
    if doc[value_start].lower_ not in ("a", "an", "per", "each", "every") and not doc[value_start].text.lower().startswith("a-"):
        return False
    before = doc[value_start - 1] if value_start > 0 else None
    return before is not None and (before.like_num or before.ent_type_ in ("MONEY", "QUANTITY", "CARDINAL", "PERCENT")
                                   or lookup_unit(before.text) is not None)


# Entities that can name a country or an organisation of one ("the Coffee Board of
# Kenya", "Reserve Bank of Australia", "the Paris Bourse"): they settle shared currency names.
_PLACE_OR_BODY = ("GPE", "NORP", "ORG", "LOC", "FAC")


def _article_clues(doc: Doc, ents: tuple[Span, ...]) -> Clues:
    """What the article says about currencies (its dateline, dollars named with their
    country, its place and organisation names; names in capitals read as words)."""
    names = " ".join(_capwords(ent.text) if ent.text.isupper() else ent.text
                     for ent in ents if ent.label_ in _PLACE_OR_BODY)
    return article_clues(doc_text(doc), names)


def _capwords(text: str) -> str:
    """ "FRANCE'S" -> "France's", "NEW ZEALAND" -> "New Zealand"."""
    return " ".join(word[:1] + word[1:].lower() for word in text.split(" "))


def _money(doc: Doc, ent: Span, context: Clues) -> Span | None:
    """The money claim at candidate `ent`, or None: where it is written, its amounts, its
    currency, then the fact (a price per unit after it, the qualifier before it)."""
    bounds = _money_bounds(doc, ent)
    if bounds is None:
        return None
    start, number_at, end, borrowed = bounds
    amounts = _money_amounts(doc, start, number_at, end, borrowed)
    if amounts is None:
        return None
    low, high, rest, written_prefix, prefix = amounts
    per_unit = None
    if (per := _PER_REST.match(rest)) is not None and lookup_unit(per["unit"]):
        rest, per_unit = per["before"], lookup_unit(per["unit"])
    currency = _money_currency(doc, ent, start, end, context, [written_prefix, prefix, rest])
    if currency is None:
        return None
    code, factor, currency_text = currency
    value = {"amount": round_significant(low * factor), "currency": code}
    if high is not None:
        value["amount_high"] = round_significant(high * factor)
    if code is None:
        value["currency_text"] = currency_text
    if per_unit is None and end + 1 < len(doc) and doc[end].lower_ in _PER_WORDS:  # "18 dlrs a barrel"
        per_unit = lookup_unit(doc[end + 1].text)
        if per_unit:
            end += 2
    if per_unit:
        value["per_unit"] = per_unit
    _, qualifier = _qualifier(doc, doc[start : ent.end])
    first = ent.start if qualifier and ent.start < start else start
    span = Span(doc, first, end, label="MONEY")
    span._.factx_value = value
    span._.factx_qualifier = qualifier
    return span


# Tokens of a currency the model left before the amount: "HK" "$" 3.7 billion.
_MAX_CURRENCY_TOKENS_BEFORE = 2


def _money_bounds(doc: Doc, ent: Span) -> tuple[int, int, int, str] | None:
    """Where the amount is written: (first token, the token its number starts at, end, a
    currency word borrowed from the next amount), past what the model left outside `ent`."""
    value_start = _value_start(doc, ent)
    if value_start is None:
        return None
    value_start = _whole_before_fraction(doc, value_start)
    start = value_start
    # A symbol or code the model left outside the entity: "$" 200, "HK $" 3.7 billion.
    while start > max(value_start - _MAX_CURRENCY_TOKENS_BEFORE, 0) and (
            _is_currency_token(doc, start - 1)
            or (doc[start - 1].text.isalpha() and doc[start - 1].text.isupper() and len(doc[start - 1]) <= 3
                and doc[start].text == "$" and not doc[start - 1].whitespace_ == "\n")):
        start -= 1
    number_at = start
    while number_at < ent.end and not _looks_numeric(doc[number_at]) and _is_currency_token(doc, number_at) \
            or (number_at < ent.end and number_at < value_start):
        number_at += 1
    end = ent.end
    if ent.label_ == "CARDINAL" and end < len(doc) and doc[end].lower_ in SCALES:
        end += 1  # "$" 414 "million" that the model left out of every entity
    # A scale glued to the number but split off by the tokenizer: "EUR50m", "RM3.06mil".
    if end < len(doc) and not doc[end - 1].whitespace_ and (
            doc[end].text in _MONEY_SCALES or (doc[end].text[-1:] == "." and doc[end].text[:-1] in _MONEY_SCALES)):
        end += 1  # ("EUR50m." at the end of a sentence is one token "m.")
    # A currency word the model left after the entity: "1.2 billion" shekels, "2.4
    # billion" "Swedish crowns".
    borrowed = ""
    if (n := _currency_words_at(doc, end)):
        end += n
    elif (shared := _shared_currency(doc, end)) is not None:
        borrowed = " " + doc[shared[0] : shared[1]].text  # "eight or nine euros": eight euros
    return start, number_at, _range_end(doc, start, end), borrowed


def _money_amounts(doc: Doc, start: int, number_at: int, end: int,
                   borrowed: str) -> tuple[float, float | None, str, str | None, str | None] | None:
    """The amounts written from `start` to `end`: (low, high or None, the words after them,
    the currency written before the number, the currency prefix of the number's own text);
    None when letters before the number name no currency or no number parses."""
    written_prefix = "".join(t.text for t in doc[start:number_at])
    text = doc[number_at:end].text + borrowed
    # The currency repeated on the high end of a range: "$10 to $15 billion", "$7/$9".
    text = _REPEATED_CURRENCY.sub(r"\1 ", text)
    text = _SLASHED_AMOUNTS.sub(" to ", text)
    prefix = _CURRENCY_PREFIX.match(text)
    if prefix and written_prefix and not doc[number_at - 1].whitespace_ \
            and currency_candidates(written_prefix + prefix.group().strip()):
        written_prefix += prefix.group().strip()  # "$" + "US55,931,000": "$US"
    elif prefix and prefix.group().strip().isalpha() and not currency_candidates(prefix.group().strip()):
        return None  # letters before a number that name no currency ("US 5")
    amounts = text[prefix.end():] if prefix else text
    if start > 0 and doc[start - 1].lower_ == "between":
        amounts = f"between {amounts}"  # "between $62 and $68": the "and" joins a range
    parsed = _number_and_rest(amounts)
    if parsed is None:
        return None
    low, high, rest = parsed
    first_word = rest.split(" ", 1)[0].removesuffix(".") if rest else ""
    # "$13.6M", "$2bn": after a currency, m/b are million/billion; a headline writes scale
    # words in capitals, which the number reader leaves alone ("2.2 MLN DLR").
    scale = _MONEY_SCALES.get(first_word) or (SCALES.get(first_word.lower()) if first_word.isupper() else None)
    if scale is not None:
        low, high = low * scale, high * scale if high is not None else None
        rest = rest[len(rest.split(" ", 1)[0]):].strip()
    return low, high, rest, written_prefix or None, prefix.group().strip() if prefix else None


def _money_currency(doc: Doc, ent: Span, start: int, end: int, context: Clues,
                    written: list[str | None]) -> tuple[str | None, float, str | None] | None:
    """(ISO code or None, factor to the code's main unit, the currency as written) from the
    forms `written` (before the number, its own prefix, the words after it), tried in that
    order; None when no currency is written at all ("0.65 per cent" tagged MONEY)."""
    before, prefix, rest = written
    if annotated(doc, "SENT_START"):
        sent = sentence_of(doc, ent.start, ent.end)
        sentence = doc_text(doc)[sent.start_char : sent.end_char]
    else:
        sentence = ""
    code, factor = None, 1.0
    currency_text = None
    forms = [before, prefix, rest and (_currency_form(rest) or rest)]
    # An ISO code written beside a symbol says more than the symbol: "$ SGD4.90", "NZD $100".
    codes = [part for form in forms if form for part in re.split(r"[\s$]+", form)
             if len(part) == 3 and part.isupper() and currency_candidates(part) == {part}]
    if codes and len(set(codes)) == 1:
        forms = [codes[0]] + [form for form in forms if form != codes[0]]
    conversion = _is_conversion(doc, start)  # "9 billion shekels ($2.4 billion)": the dateline's dollar or USD
    about = _claim_scope(doc, start, end) if annotated(doc, "DEP") and not conversion else None
    for form in filter(None, forms):
        found, found_factor = currency_unit(form, context=sentence, on=doc_date(doc), clues=context, about=about,
                                            conversion=conversion)
        currency_text = currency_text or form
        if found or currency_candidates(form):
            code, factor = found, found_factor
            currency_text = form
            break
    if not any(forms[:2]) and not _currency_form(rest or "-"):
        return None
    return code, factor, currency_text


def _is_conversion(doc: Doc, start: int) -> bool:
    """The amount at `start` opens a bracket right after an amount in a currency: "10.5
    million Australian dollars ($7.5 million)", news' convention for a conversion."""
    if start < 2 or doc[start - 1].text != "(":
        return False
    before = doc[start - 2]
    return before.ent_type_ == "MONEY" or (before.is_alpha and _currency_form(before.text) is not None)


# Links from a noun the amount hangs on to the words that say whose it is.
_OWNER_DEPS = {"poss", "compound", "amod", "nmod", "npadvmod"}
_MAX_SCOPE_STEPS = 8  # heads climbed from an amount to its clause's verb
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}


def _claim_scope(doc: Doc, start: int, end: int) -> str:
    """The words the claim at [start, end) is about, where a country settles "$": the
    possessors and modifiers of the nouns it hangs on and the subject of its clause
    ("Canada's deficit reached $20 billion": "Canada's deficit"), not the rest of the
    sentence ("... $52 a barrel ... after curtailments in Western Canada")."""
    token = Span(doc, start, end).root
    words: list[str] = []
    for _ in range(_MAX_SCOPE_STEPS):
        for child in token.children:
            if not start <= child.i < end and (child.dep_ in _OWNER_DEPS or (
                    child.dep_ in _SUBJECT_DEPS and token.pos_ in ("VERB", "AUX"))):
                words.append(doc_text(doc)[child.left_edge.idx : child.right_edge.idx + len(child.right_edge)])
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        token = token.head
    return " ".join(words)


_REPEATED_CURRENCY = re.compile(
    r"(?<=[\dA-Za-z])(\s*(?:\bto\b|\band\b|[-\u2013\u2014])\s*)(?:[A-Z]{1,3}\s?)?[$\u00a3\u20ac\u00a5](?:[A-Z]{1,2})?\s*(?=\d)")
# Two amounts written "$7/$9" (a low and a high estimate): read as a range.
_SLASHED_AMOUNTS = re.compile(r"(?<=\d)\s*/\s*(?:[A-Z]{1,3}\s?)?[$\u00a3\u20ac\u00a5]\s*(?=\d)")
_MONEY_SCALES = {"m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "mn": 1e6, "bn": 1e9, "mil": 1e6}


def _range_end(doc: Doc, start: int, end: int) -> int:
    """Where a money range split by the model into two entities ends: "US $89 to $93
    billion", "between $5 and $7 million"; `end` when no second amount follows."""
    if end + 1 >= len(doc):
        return end
    word = doc[end].lower_
    between = start > 0 and doc[start - 1].lower_ == "between"
    if word not in _RANGE_JOINS and not (word == "and" and between):
        return end
    if doc[end - 1].is_alpha and doc[end - 1].lower_ not in SCALES:
        return end  # "110 JPY to 1 USD", "10 dollars to 15 dollars": the currency word ends it
    nxt = end + 1
    if _is_currency_token(doc, nxt):
        if word == "to" and start > 0 and doc[start - 1].lower_ == "by":
            return end  # "raised by $2 to $10.50": the change, then the level it reached
        nxt += 1
    if nxt >= len(doc) or not doc[nxt].text[:1].isdigit():
        return end
    new_end = nxt + 1
    if new_end < len(doc) and doc[new_end].lower_ in SCALES:
        new_end += 1
    if doc[nxt].ent_type_ == "MONEY":  # the second amount's own MONEY entity, if it starts after `end`
        ent_start = nxt
        while ent_start > end + 1 and doc[ent_start].ent_iob_ == "I":
            ent_start -= 1
        if doc[ent_start].ent_iob_ == "B":
            ent_end = nxt + 1
            while ent_end < len(doc) and doc[ent_end].ent_iob_ == "I":
                ent_end += 1
            new_end = max(new_end, ent_end)
    return new_end
_PER_REST = re.compile(r"^(?P<before>.*?)\s*\b(?:a|an|per|each)\s+(?P<unit>[\w.]+)$", re.IGNORECASE)


def _number_and_rest(text: str) -> tuple[float, float | None, str] | None:
    """A leading number (or range) and the words after it; "a decade" is one decade."""
    text = text.strip()
    if (prefix := _NUMBER_PREFIX.match(text)) is not None:  # the caller reads the qualifier
        text = ("-" if prefix["minus"] else "") + text[prefix.end():]
    parsed = split_number(re.sub(r"(?<=\d)-(?=[A-Za-z])", " ", text))  # "three-year", "10-km"
    if parsed is None and re.match(r"(?i)an?\s", text):
        return 1.0, None, text.split(None, 1)[1]
    if parsed is None:
        hyphenated = re.match(r"(?i)([a-z]+)-([a-z]+)$", text)  # "three-year"
        if hyphenated:
            return _number_and_rest(f"{hyphenated.group(1)} {hyphenated.group(2)}")
    return parsed


def _describe(claim: Span, of_phrase: Span | None):
    """Fill the subject from the parse (needs a parser; else only an "of" phrase gives
    it); returns (the subject phrase, its head noun) for the frame."""
    doc = claim.doc
    if not annotated(doc, "DEP"):
        claim._.factx_subject = of_phrase.text if of_phrase is not None else None
        return None, None
    # A duration belongs to its own verb only ("Zia urged businesses to move within 10
    # days" is not a claim about Zia).
    subject, head = claims.subject_of(claim, of_phrase, clause=claim.label_ != "DURATION")
    claim._.factx_subject = subject.text if subject is not None else None
    per_unit = claim._.factx_value.get("per_unit") if claim.label_ == "MONEY" else None
    if per_unit and claim._.factx_subject is not None:  # "18 dlrs a barrel": the barrel price
        words = doc[claim.end - 1].text
        if dimensionality(per_unit) == "[time]":
            claim._.factx_subject = f"{claim._.factx_subject} per {words}"  # "earning $50,000 a year"
        elif not any(w in claim._.factx_subject.lower() for w in ("price", "cost", "rate", "fee")):
            claim._.factx_subject = f"{claim._.factx_subject} price per {words}"
    return subject, head


def _frame(doc: Doc, found: list[Span], measured: dict, dates: list[Span], ents: tuple[Span, ...]) -> None:
    """The claim frame of every claim: about, measure, role, who states it, modality,
    then `when` (a date written with one value is that value's alone: "fell from $5
    billion in 2018 to $4 billion in 2019")."""
    ctx = frames.context(doc, ents)
    own = {claim.start: frames.own_date(claim, dates) for claim in found}
    taken = {d.start for d in own.values() if d is not None}
    for claim in found:
        subject, head = measured.get(claim.start, (None, None))
        claim._.factx_about = frames.about_of(ctx, claim, subject, head)
        row = frames.table_row(ctx, claim)
        claim._.factx_measure = frames.table_measure(claim, row) if row else frames.measure_of(subject, claim._.factx_about)
        if claim._.factx_measure is not None and claim._.factx_value.get("per_unit") and claim.label_ == "MONEY":
            claim._.factx_measure += " per " + claim._.factx_value["per_unit"]
        claim._.factx_role, claim._.factx_direction = frames.role_of(claim)
        claim._.factx_attributed_to = frames.attributed_to_of(ctx, claim)
        claim._.factx_modality = frames.modality_of(claim, head)
        if claim.label_ == "DURATION":
            continue
        if row is not None:
            claim._.factx_when = frames.table_when(ctx, claim, row)
            if row.prior(claim) and (claim._.factx_when is None or row.previous(claim)):
                claim._.factx_when = None  # "vs 17-1/2 cts prior": the payment before, not a year earlier
                claim._.factx_measure += " (prior)" if row.previous(claim) else " (year earlier)"
            continue
        when = own[claim.start] or frames.phrase_date(subject, dates) \
            or claims.when_of(claim, frames.clause_dates(dates, taken)) \
            or frames.headline_date(ctx, claim, dates)
        if when is not None:
            claim._.factx_when = {"text": when.text, "start": when.start_char, "end": when.end_char,
                                  "value": when._.factx_value}
        else:
            claim._.factx_when = frames.headline_period(ctx, claim)  # "SILVER STATE MINING 4TH QTR NET"


def _share_subjects(found: list[Span]) -> None:
    """A value that restates another ("7 miles (11 km)", "9 billion yuan ($1.3 billion)")
    measures the same thing; a value that a move ends at ("up 9.4 pct to $84") belongs
    to what moved, when the parse gives it nothing of its own."""
    for index, after in enumerate(found):
        root = after.root
        if root.dep_ in ("conj", "appos") and not (after.start <= root.head.i < after.end) \
                and claims.listed_name(after) is None:
            # "5.4 inches, 6.1 inches and 6.7 inches": a value listed with another (a row
            # of a market list, "Dow +0.2% S&P 500 +0.3%", names its own)
            owner = next((o for o in found[:index] if o.start <= root.head.i < o.end), None)
            if owner is not None:
                _share(owner, after)
                continue
        if index == 0:
            continue
        before = found[index - 1]
        doc = after.doc
        gap = [t.lower_ for t in doc[before.end : after.start]]
        restated = gap == ["("] or (gap == [] and after.start > 0 and doc[after.start - 1].text == "(")
        moved_to = gap in (["to"], ["at"]) and after._.factx_subject is None
        if restated or moved_to:
            _share(before, after)


def _share(owner: Span, after: Span) -> None:
    """`after` measures what `owner` measures, for the same entity."""
    for key in ("subject", "about", "measure"):
        setattr(after._, f"factx_{key}", getattr(owner._, f"factx_{key}"))


def _table_amounts(doc: Doc, taken: set[int], money: list[Span]) -> list[Span]:
    """Amounts of a results-table row whose label names money ("Net 807,000 vs 2,858,000",
    "Sales 36.7 mln vs 33.5 mln"): money in the one currency the article's other amounts
    are in, or with a null currency when they name none or several (never guessed)."""
    codes = {span._.factx_value.get("currency") for span in money}
    code = next(iter(codes)) if len(codes) == 1 else None
    rows = {line.start: line for line in (frames.line_of(doc, token.i) for token in doc
                                          if token.lower_ in frames.VERSUS)}
    table = frames.words()["table"]
    found = []
    for row in rows.values():
        label = frames.row_label(row)
        if not label or not set(label) & table["money_rows"] or set(label) & table["count_rows"]:
            continue
        i = row.start
        while i < row.end:
            token = doc[i]
            end = i + 1
            if i in taken or not (token.text[:1].isdigit() and token.like_num or _looks_numeric(token)):
                i += 1
                continue
            if end < row.end and doc[end].lower_ in SCALES:
                end += 1
            parsed = split_number(doc[i:end].text)
            if parsed is None or parsed[2]:
                i = end
                continue
            span = Span(doc, i, end, label="MONEY")
            span._.factx_value = {"amount": round_significant(parsed[0]), "currency": code}
            if code is None:
                span._.factx_value["currency_text"] = None
            span._.factx_subject = row[0].text
            taken.update(range(i, end))
            found.append(span)
            i = end
    return found


# Pence written on the number ("12.5p", "345p"): money only in an article about sterling.
_PENCE = re.compile(r"^(?P<number>\d+(?:\.\d+)?)p$")
_STERLING = re.compile(r"£|\bstg\b|\bsterling\b|\bpence\b|\bGBP\b|\bpounds? sterling\b", re.IGNORECASE)


def _pence(doc: Doc, ent: Span) -> Span | None:
    """A share price in pence, "rose 12.5p to 345p", when the article speaks of sterling
    (a sterling amount, "pence", "stg", or a British dateline); elsewhere "5p" is left alone."""
    match = _PENCE.match(doc[ent.start].text)
    if match is None or ent.end - ent.start != 1 or not _sterling_article(doc):
        return None
    span = Span(doc, ent.start, ent.end, label="MONEY")
    span._.factx_value = {"amount": round_significant(float(match["number"]) / 100), "currency": "GBP"}
    return span


def _sterling_article(doc: Doc) -> bool:
    if "factx_sterling" not in doc.user_data:
        doc.user_data["factx_sterling"] = bool(_STERLING.search(doc_text(doc))) or _context(doc).dateline == "GB"
    return doc.user_data["factx_sterling"]
