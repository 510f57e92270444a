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

from factx.components import claims
from factx.components.extensions import (DATES, MONEY, QUANTITIES, annotated, doc_date, doc_text, over_budget,
                                         sentence_of)
from factx.normalize.currencies import currency_candidates, currency_unit
from factx.normalize.numbers import split_number
from factx.normalize.units import dimensionality, lookup_unit, make_quantity

# Words before or at the start of a value that bound it ("more than $5 billion").
_QUALIFIERS: dict[tuple[str, ...], str] = {
    **dict.fromkeys([("about",), ("around",), ("approximately",), ("roughly",), ("some",), ("~",), ("\u2248",),
                     ("an", "estimated"), ("estimated",), ("circa",)], "approx"),
    **dict.fromkeys([("more", "than"), ("over",), ("at", "least"), ("above",), ("upwards", "of"),
                     ("in", "excess", "of"), ("no", "less", "than")], "at_least"),
    **dict.fromkeys([("up", "to"), ("less", "than"), ("fewer", "than"), ("at", "most"), ("nearly",),
                     ("almost",), ("under",), ("below",), ("as", "much", "as"), ("as", "many", "as"),
                     ("no", "more", "than")], "at_most"),
}
_QUALIFIERS_LONGEST_FIRST = sorted(_QUALIFIERS.items(), key=lambda item: -len(item[0]))
_LONGEST_QUALIFIER = len(_QUALIFIERS_LONGEST_FIRST[0][0])
_RATES = {
    ("per", "year"): "per year", ("a", "year"): "per year", ("each", "year"): "per year",
    ("every", "year"): "per year", ("per", "annum"): "per year", ("annually",): "per year",
    ("yearly",): "per year", ("a", "day"): "per day", ("per", "day"): "per day",
    ("daily",): "per day", ("each", "day"): "per day", ("a", "month"): "per month",
    ("per", "month"): "per month", ("monthly",): "per month", ("a", "week"): "per week",
    ("per", "week"): "per week", ("an", "hour"): "per hour", ("per", "hour"): "per hour",
}
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
        ents = doc.ents  # read once: each read of doc.ents builds every Span again
        context = " ".join(ent.text for ent in ents if ent.label_ in ("GPE", "NORP"))
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
        for ent in candidates:
            if ent.start in taken:
                continue
            if over_budget(doc):
                break
            claims: list[tuple[Span, Span | None]] = []
            if ent.label_ == "MONEY" or (ent.start > 0 and _is_currency_token(doc, ent.start - 1)) \
                    or _glued_currency(doc[ent.start]) or _currency_words_at(doc, _past_scale(doc, ent.end)) \
                    or _shared_currency(doc, ent.end) is not None \
                    or (ent.label_ in ("QUANTITY", "CARDINAL") and _names_currency(ent)):
                claim = _money(doc, ent, context)
                if claim is not None:
                    claims = [(claim, None)]
            if not claims and (ent.label_ != "MONEY" or not _has_currency(ent)):
                claims = _quantity(doc, ent)
            for claim, of_phrase in claims:
                if any(i in taken for i in range(claim.start, claim.end)):
                    continue
                taken.update(range(claim.start, claim.end))
                _describe(claim, of_phrase, dates, ents)
                (money if claim.label_ == "MONEY" else quantities).append(claim)
        _share_subjects(sorted(money + quantities, key=lambda span: span.start))
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
        return after is not None and (after.text.removesuffix(".") in _MONEY_SCALES or after.lower_ in _SCALE_WORDS)
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
    return i + 1 if i < len(doc) and doc[i].lower_ in _SCALE_WORDS else i


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
    if i >= len(doc) or not doc[i].is_alpha:
        return 0
    word = doc[i]
    if _currency_form(word.text) and not lookup_unit(word.text):
        return 1
    if i + 1 < len(doc) and word.whitespace_ and doc[i + 1].is_alpha \
            and _currency_form(f"{word.text} {doc[i + 1].text}"):
        return 2
    return 0


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
    words = tuple(t.lower_ for t in doc[i : i + 2])
    for n in (2, 1):
        if len(words) >= n and (rate := _RATES.get(words[:n])) is not None:
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
            rate = _rate_at(doc, j)
            return (rate[0], phrase, rate[1]) if rate else (end, phrase, "")
    return end, None, ""


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


def _quantity(doc: Doc, ent: Span) -> list[tuple[Span, Span | None]]:
    """The quantity claims at `ent` (two for a change "from 10 to 12 bcm"), each with the
    "of" phrase naming its substance."""
    value_start = _value_start(doc, ent)
    if value_start is None:
        return []
    start, qualifier = _qualifier(doc, doc[value_start : ent.end])
    if qualifier is None and (prefix := _NUMBER_PREFIX.match(doc[value_start].text)) is not None:
        qualifier = "approx" if prefix["approx"] else "at_most" if prefix["below"] else None
    sentence_end = sentence_of(doc, ent.start, ent.end).end
    # The longest run of tokens from the value that reads as number + unit; words the
    # model put in the entity after the unit ("nine days later") are left out, and a
    # unit the model left outside ("16 bcm") is taken in.
    best = None
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
        if unit is None and parsed[2] in _GLUED_ONLY and re.search(r"\d" + parsed[2] + "$", piece):
            unit = lookup_unit(_GLUED_ONLY[parsed[2]])
        if unit is not None:
            if glued and parsed[2] == "m" and end < sentence_end and (
                    doc[end].lower_ == "of" or _plural_noun_follows(doc, end, sentence_end)):
                return []  # "2.7m sales", "35m of its devices": millions of things, not metres
            best = (end, parsed, unit)
            break
    if best is None:
        best = _unit_after_an_adjective(doc, value_start, sentence_end) \
            or _fraction_of_a_unit(doc, value_start, sentence_end)
    if best is None:
        return _unit_of_the_other_number(doc, value_start, qualifier)
    end, (low, high, unit_words), unit = best
    word = doc[value_start]
    if word.is_alpha and word.is_title and not word.is_sent_start and end > value_start + 1 \
            and doc[value_start + 1].is_title:
        return []  # a capitalised spelled number and unit mid-sentence name a place: "Three Mile Island"
    new_end, of_phrase, rate = _extend(doc, end)
    if rate:
        with_rate = lookup_unit(f"{unit_words} {rate}")
        if with_rate is None:
            new_end, rate = end, ""
        else:
            unit = with_rate
    value = make_quantity(low, unit, high)
    is_time = value["dimensionality"] == "[time]"
    if ent.label_ in ("DATE", "TIME") and not is_time:
        return []
    if is_time and (_is_rate_word(doc, value_start) or _article_time_reference(doc, value_start, new_end)):
        return []
    label = "DURATION" if is_time else (
        "PERCENT" if "percent" in value["unit"] or "percentage" in value["unit"] else "QUANTITY")
    first = ent.start if qualifier and ent.start < value_start else value_start
    to = _change_to(doc, value_start, end) if high is not None else None
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


def _plural_noun_follows(doc: Doc, i: int, sentence_end: int) -> bool:
    """A plural noun at token `i`, or after a few adjectives ("2.7m combined digital and
    physical sales"): what a glued "m" counts, in millions."""
    for k in range(i, min(i + 5, sentence_end)):
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
            or modifier.like_num or modifier.lower_ in _SCALE_WORDS:
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


def _money(doc: Doc, ent: Span, context: str) -> Span | None:
    value_start = _value_start(doc, ent)
    if value_start is None:
        return None
    start = value_start
    # A symbol or code the model left outside the entity: "$" 200, "HK $" 3.7 billion.
    while start > max(value_start - 2, 0) and (
            _is_currency_token(doc, start - 1)
            or (doc[start - 1].text.isalpha() and doc[start - 1].text.isupper() and len(doc[start - 1]) <= 3
                and doc[start].text == "$" and not doc[start - 1].whitespace_ == "\n")):
        start -= 1
    _, qualifier = _qualifier(doc, doc[start : ent.end])
    number_at = start
    while number_at < ent.end and not _looks_numeric(doc[number_at]) and _is_currency_token(doc, number_at) \
            or (number_at < ent.end and number_at < value_start):
        number_at += 1
    written_prefix = "".join(t.text for t in doc[start:number_at])
    end = ent.end
    if ent.label_ == "CARDINAL" and end < len(doc) and doc[end].lower_ in _SCALE_WORDS:
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
    end = _range_end(doc, start, end)
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
    scale = _MONEY_SCALES.get(rest.split(" ", 1)[0].removesuffix(".")) if rest else None
    if scale is not None:  # "$13.6M", "$2bn": after a currency, m/b are million/billion
        low, high = low * scale, high * scale if high is not None else None
        rest = rest[len(rest.split(" ", 1)[0]):].strip()
    per_unit = None
    if (per := _PER_REST.match(rest)) is not None and lookup_unit(per["unit"]):
        rest, per_unit = per["before"], lookup_unit(per["unit"])
    if annotated(doc, "SENT_START"):
        sent = sentence_of(doc, ent.start, ent.end)
        sentence = doc_text(doc)[sent.start_char : sent.end_char]
    else:
        sentence = ""
    code, factor = None, 1.0
    currency_text = None
    forms = [written_prefix or None, prefix.group().strip() if prefix else None, rest and (_currency_form(rest) or rest)]
    for written in filter(None, forms):
        found, found_factor = currency_unit(written, context=f"{sentence} {context}", on=doc_date(doc))
        currency_text = currency_text or written
        if found or currency_candidates(written):
            code, factor = found, found_factor
            currency_text = written
            break
    if not any(forms[:2]) and not _currency_form(rest or "-"):
        return None  # no currency written at all ("0.65 per cent" tagged MONEY): not money
    value = {"amount": _round(low * factor), "currency": code}
    if high is not None:
        value["amount_high"] = _round(high * factor)
    if code is None:
        value["currency_text"] = currency_text
    if per_unit is None and end + 1 < len(doc) and doc[end].lower_ in _PER_WORDS:  # "18 dlrs a barrel"
        per_unit = lookup_unit(doc[end + 1].text)
        if per_unit:
            end += 2
    if per_unit:
        value["per_unit"] = per_unit
    first = ent.start if qualifier and ent.start < start else start
    span = Span(doc, first, end, label="MONEY")
    span._.factx_value = value
    span._.factx_qualifier = qualifier
    return span


_REPEATED_CURRENCY = re.compile(
    r"(?<=[\dA-Za-z])(\s*(?:\bto\b|\band\b|[-\u2013])\s*)(?:[A-Z]{1,3}\s?)?[$\u00a3\u20ac\u00a5](?:[A-Z]{1,2})?\s*(?=\d)")
# Two amounts written "$7/$9" (a low and a high estimate): read as a range.
_SLASHED_AMOUNTS = re.compile(r"(?<=\d)\s*/\s*(?:[A-Z]{1,3}\s?)?[$\u00a3\u20ac\u00a5]\s*(?=\d)")
_MONEY_SCALES = {"m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "mn": 1e6, "bn": 1e9, "mil": 1e6}
_RANGE_WORDS = {"to", "-", "\u2013"}
_SCALE_WORDS = {"thousand", "million", "billion", "trillion", "mln", "bln", "bn", "mn", "trn"}


def _range_end(doc: Doc, start: int, end: int) -> int:
    """Where a money range split by the model into two entities ends: "US $89 to $93
    billion", "between $5 and $7 million"; `end` when no second amount follows."""
    if end + 1 >= len(doc):
        return end
    word = doc[end].lower_
    between = start > 0 and doc[start - 1].lower_ == "between"
    if word not in _RANGE_WORDS and not (word == "and" and between):
        return end
    if doc[end - 1].is_alpha and doc[end - 1].lower_ not in _SCALE_WORDS:
        return end  # "110 JPY to 1 USD", "10 dollars to 15 dollars": the currency word ends it
    nxt = end + 1
    if _is_currency_token(doc, nxt):
        nxt += 1
    if nxt >= len(doc) or not doc[nxt].text[:1].isdigit():
        return end
    new_end = nxt + 1
    if new_end < len(doc) and doc[new_end].lower_ in _SCALE_WORDS:
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


def _round(amount: float) -> float:
    return float(f"{amount:.12g}")


def _describe(claim: Span, of_phrase: Span | None, dates: list[Span], ents: tuple[Span, ...]) -> None:
    """Fill subject, about and when from the parse (needs a parser; else they stay null)."""
    doc = claim.doc
    if not annotated(doc, "DEP"):
        claim._.factx_subject = of_phrase.text if of_phrase is not None else None
        return
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
    claim._.factx_about = claims.about_of(doc, claim, subject, head, ents)
    when = claims.when_of(claim, dates) if claim.label_ != "DURATION" else None
    if when is not None:
        claim._.factx_when = {"text": when.text, "start": when.start_char, "end": when.end_char,
                              "value": when._.factx_value}


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
                after._.factx_subject = owner._.factx_subject
                after._.factx_about = owner._.factx_about
                continue
        if index == 0:
            continue
        before = found[index - 1]
        doc = after.doc
        gap = [t.lower_ for t in doc[before.end : after.start]]
        restated = gap == ["("] or (gap == [] and after.start > 0 and doc[after.start - 1].text == "(")
        moved_to = gap in (["to"], ["at"]) and after._.factx_subject is None
        if restated or moved_to:
            after._.factx_subject = before._.factx_subject
            after._.factx_about = before._.factx_about
