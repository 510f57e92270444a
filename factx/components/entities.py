"""`factx_entities`: repair the model's entity spans with general rules, then give each
mention its canonical name within the document.

Rules (none names a particular entity):
- span repair first (`_clean`): a span stops at a hard line break (a headline or table
  line never runs into the next); a leading wire marker ("CORRECTED -") or byline "By" is
  not part of a name; a name written between angle brackets ("<A.C. Goode and Co Ltd>",
  the wire's mark for a company) is one ORG, the whole bracket; a ticker ("<VST>",
  "<KLM.AS>") is never part of a name, nor a name alone;
- not entities: a unit or currency word ("cts" in "56 cts", "kwacha"), when written in
  lower case or after a number (so "SEC" and "BP" stay); a span in a results-table row
  or its section line ("Revs 19.9 mln vs 19.6 mln", "Nine mths", "Avg shrs"); a PERSON
  with a digit in it;
- a headline (the first line, then a blank line) names only what the body names: a
  headline span is kept where its words match a body entity's name (a person's surname,
  a thing's first word at least), grown or cut to those words and given the body's label;
  other headline spans ("BUYOUT", "Pollution Worsens") are dropped;
- a PERSON followed at once by a one-token proper noun the model tagged otherwise is one
  person ("Shah Mahmood" + "Qureshi");
- a bare surname of a person named in full elsewhere in the document is that person,
  whether the model left it untagged or tagged it as an organisation, product, group or
  work ("Smith" ORG beside "John Smith"); a span it tagged as a place stays a place;
- a span the gazetteer knows as a place is relabelled GPE only where its context says
  place (see `_place_context`): a list with a place, "the ports of X", X tagged GPE
  elsewhere, "in X" when X is a big place (a country, or a city of a million people), or
  an apposition to a place noun ("the Fijian capital, Suva"; "Suva, the capital");
- an alias the text states ("X, formerly known as Y") is kept as Y's `alias_of`;
- `canonical` is the longest same-kind name in the document that ends with the mention's
  words ("Khan" -> "Imran Khan"), looking backward and forward, without a leading "the".
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from factx.components.extensions import doc_text
from factx.components.frames import VERSUS
from factx.facts import ENTITY_LABELS
from factx.identity import HEADLINE_MARKERS
from factx.identity import LEGAL_FORMS as _COMPANY_FORMS
from factx.normalize.currencies import currency_candidates
from factx.normalize.names import strip_article
from factx.normalize.places import population
from factx.normalize.units import lookup_unit

# Labels whose names may stand for one another; GPE and NORP never merge with these.
_NAME_GROUPS = {
    "PERSON": "person",
    **dict.fromkeys(("ORG", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"), "thing"),
}
# "X project, formerly known as Y", "X (also called Y)": the text itself says X is Y.
_ALIAS_BETWEEN = re.compile(
    r"^\s*(?:[a-z]+\s*)?[,(]\s*(?:formerly|previously|also|once|originally)\s+"
    r"(?:known\s+as|called|named|dubbed)\s+$"
)
_RELABELABLE = {"ORG", "PRODUCT", "PERSON", "FAC", "NORP", "WORK_OF_ART"}
# Labels a bare surname may carry and still be the person: the model's usual confusions.
# A span it tagged as a place stays one ("in Fujioka").
_SURNAME_RELABELABLE = {"ORG", "PRODUCT", "NORP", "FAC", "WORK_OF_ART", "EVENT", "LAW"}
# A name in apposition to one of these nouns is a place: "the Fijian capital, Suva".
_APPOSITION_PLACE_HEADS = {
    "capital", "city", "town", "village", "port", "province", "region", "state", "district",
    "island", "country", "county", "municipality", "suburb", "prefecture",
}
# How far an angle bracket may reach for its closing one: "<Imperial Continental Gas Association>".
_MAX_BRACKET_TOKENS = 16
# A company's legal form ends its name: identity's list, plus partnerships and "Cos".
LEGAL_FORMS = _COMPANY_FORMS | {"lp", "cos"}
_MAX_TABLE_LABEL = 4  # words of a results-table row's label ("Avg shrs", "Oper shr profit")
# "in X" alone is weak evidence ("a stake in Imperial"): enough only for a big place.
_BIG_PLACE = 1_000_000
_PLACE_PREPOSITIONS = {"in", "at", "near", "from", "to", "via", "into", "outside", "across", "around"}
# "of X" says place only after nouns that are about places: "the ports of X".
_PLACE_HEADS = {
    "port", "ports", "city", "cities", "town", "towns", "province",
    "region", "state", "capital", "outskirts", "suburbs", "district", "streets", "residents",
    "mayor", "governor", "people", "centre", "center", "harbour", "harbor", "airport",
}


@Language.factory(
    "factx_entities",
    requires=["doc.ents"],
    assigns=["doc.ents", "span._.factx_canonical", "span._.factx_alias_of"],
    default_config={"relabel_places": True},
)
def make_entities(nlp: Language, name: str, relabel_places: bool) -> EntityResolver:
    return EntityResolver(relabel_places)


class EntityResolver:
    def __init__(self, relabel_places: bool = True):
        self.relabel_places = relabel_places

    def __call__(self, doc: Doc) -> Doc:
        names, others = [], []
        for ent in doc.ents:
            (names if ent.label_ in ENTITY_LABELS else others).append(ent)
        names, protected = _clean(doc, names, others)
        ents = _merge_split_persons(doc, names)
        ents = _headline_names(doc, ents, protected)
        ents = _add_surname_mentions(doc, ents, others)
        if self.relabel_places:
            ents = _relabel_places(doc, ents)
        doc.ents = sorted(ents + others, key=lambda span: span.start)
        final = doc.ents  # built once: each read of doc.ents walks every token
        for ent, name in zip(final, canonical_names(final)):
            ent._.factx_canonical = name
        for first, second in zip(final, final[1:]):
            if _ALIAS_BETWEEN.match(doc_text(doc)[first.end_char : second.start_char]):
                second._.factx_alias_of = first._.factx_canonical
        return doc


def canonical_names(ents: tuple[Span, ...]) -> list[str]:
    """Each entity's fullest name in the document: the longest name of its group that
    ends with its words ("Khan" -> "Imran Khan", looking both ways)."""
    named = [(_NAME_GROUPS.get(ent.label_), strip_article(ent.text).split()) for ent in ents]
    names = []
    for group, words in named:
        best = words
        # A one-word thing ("Asia", "Office") is too generic to stand for a longer name.
        if group == "person" or (group and len(words) > 1):
            for other_group, other_words in named:
                if other_group == group and len(other_words) > len(best) and other_words[-len(words):] == words:
                    best = other_words
        names.append(" ".join(best))
    return names


def _merge_split_persons(doc: Doc, ents: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for ent in ents:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.label_ == "PERSON"
            and ent.label_ != "PERSON"
            and ent.start == previous.end
            and len(ent) == 1
            and ent[0].pos_ == "PROPN"
            and doc[previous.end - 1].whitespace_
        ):
            merged[-1] = Span(doc, previous.start, ent.end, label="PERSON")
        else:
            merged.append(ent)
    return merged


def _add_surname_mentions(doc: Doc, ents: list[Span], others: list[Span] = ()) -> list[Span]:
    full = [ent for ent in ents if ent.label_ == "PERSON" and len(ent) > 1 and _looks_like_person(ent)]
    surnames = list({ent[-1].orth for ent in full})
    if not surnames:
        return ents
    surname_texts = {ent[-1].text for ent in full}
    # "Smith" tagged ORG beside "John Smith" is the person (one-word spans only).
    ents = [Span(doc, ent.start, ent.end, label="PERSON")
            if len(ent) == 1 and ent.label_ in _SURNAME_RELABELABLE and ent.text in surname_texts
            and ent.text[:1].isupper() and not ent.text.isupper() else ent
            for ent in ents]
    taken = {i for ent in (*ents, *others) for i in range(ent.start, ent.end)}
    # Candidates found by ORTH in one array, not by making a Token object per word.
    at = numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), surnames)).tolist()
    added = [Span(doc, i, i + 1, label="PERSON") for i in at if i not in taken and doc[i].pos_ == "PROPN"]
    return sorted(ents + added, key=lambda span: span.start) if added else ents


def _looks_like_person(ent: Span) -> bool:
    """A full name of capitalized words ("John Smith", "Allen E. Murray"), not a company
    the model took for a person ("Shiseido Co") nor a phrase ("Helmut Kohl's CDU")."""
    words = [t for t in ent if not t.is_space]
    return (all(t.text[:1].isupper() and not t.text.isupper() or (len(t.text) == 2 and t.text.endswith("."))
                for t in words)
            and words[-1].lower_.strip(".") not in LEGAL_FORMS)


def _relabel_places(doc: Doc, ents: list[Span]) -> list[Span]:
    surnames = {ent[-1].text for ent in ents if ent.label_ == "PERSON" and len(ent) > 1}
    gpe_names = {ent.text for ent in ents if ent.label_ == "GPE"} - surnames
    places = {i for i, ent in enumerate(ents) if ent.label_ in ("GPE", "LOC")}
    changed = True
    while changed:  # a relabelled place can vouch for the next one in a list
        changed = False
        place_tokens = {token.i for i in places for token in ents[i]}
        for i, ent in enumerate(ents):
            if i in places or ent.label_ not in _RELABELABLE or ent.text in surnames:
                continue
            people = population(ent.text)
            if _apposed_to_place(ent) or (people is not None and _place_context(doc, ent, gpe_names, place_tokens, people)):
                ents[i] = Span(doc, ent.start, ent.end, label="GPE")
                places.add(i)
                gpe_names.add(ent.text)
                changed = True
                break
    return ents


def _apposed_to_place(ent: Span) -> bool:
    """"the Fijian capital, Suva", "Suva, the capital": the text itself says place."""
    root = ent.root
    if root.dep_ == "appos" and root.head.lower_ in _APPOSITION_PLACE_HEADS and root.head.i not in range(ent.start, ent.end):
        return True
    return any(child.dep_ == "appos" and child.lower_ in _APPOSITION_PLACE_HEADS for child in root.children)


def _place_context(doc: Doc, ent: Span, gpe_names: set[str], place_tokens: set[int], people: int) -> bool:
    if ent.text in gpe_names:
        return True
    root = ent.root
    # In a list with a place: "Karachi and Gwadar", "Karachi, Gwadar and Lahore".
    if root.dep_ == "conj" and root.head.i in place_tokens:
        return True
    if any(child.dep_ == "conj" and child.i in place_tokens for child in root.children):
        return True
    if ent.start == 0:
        return False
    before = doc[ent.start - 1]
    word = before.lower_
    if word == "of":
        return before.head.lower_ in _PLACE_HEADS
    return word in _PLACE_PREPOSITIONS and people >= _BIG_PLACE


# --- span repair ------------------------------------------------------------------------

def _clean(doc: Doc, ents: list[Span], others: list[Span]) -> tuple[list[Span], set[tuple[int, int]]]:
    """The model's name spans repaired with general rules (see the module docstring);
    `others` (dates, amounts) are left as they are and never overlapped. Also returns the
    (start, end) of the names the text marks as companies (angle brackets, a ticker)."""
    brackets = _brackets(doc)
    in_bracket = {i: bracket for bracket in brackets for i in range(bracket[0], bracket[1] + 1)}
    table_lines = _table_lines(doc)
    blocked = {i for span in others for i in range(span.start, span.end)}
    used: set[tuple[int, int, bool]] = set()
    protected: set[tuple[int, int]] = set()
    cleaned: list[Span] = []
    for ent in ents:
        start, end = _trim(doc, ent.start, ent.end)
        start, end = _drop_tickers(doc, start, end, in_bracket)
        if start >= end:
            continue
        label = ent.label_
        bracket = next((in_bracket[i] for i in range(start, end) if i in in_bracket and in_bracket[i][2]), None)
        if bracket is not None:
            if bracket in used:
                continue  # a second piece of a name already taken whole
            used.add(bracket)
            start, end, label = bracket[0] + 1, bracket[1], "ORG"
            if any(i in blocked for i in range(start, end)):
                continue
            protected.add((start, end))
        elif end < len(doc) and doc[end].text == "<" and end in in_bracket and doc[end - 1].lower_.strip(".") in LEGAL_FORMS:
            # "BURNUP AND SIMS INC <BSIM>": a company's name with its ticker, from where
            # its capitalized words begin.
            start, label = _name_start(doc, start, blocked), "ORG"
            protected.add((start, end))
        span = Span(doc, start, end, label=label)
        if _is_value_word(doc, span) or _line_of(doc, start) in table_lines:
            continue
        if label == "PERSON" and any(c.isdigit() for c in span.text):
            continue
        cleaned.append(span)
    # A company name in brackets the model did not tag at all.
    for bracket in brackets:
        if bracket[2] and bracket not in used and not any(i in blocked for i in range(bracket[0] + 1, bracket[1])):
            if doc[bracket[0] + 1].text[:1].isupper():
                cleaned.append(Span(doc, bracket[0] + 1, bracket[1], label="ORG"))
                protected.add((bracket[0] + 1, bracket[1]))
    cleaned.sort(key=lambda span: (span.start, -span.end))
    kept: list[Span] = []
    for span in cleaned:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept, protected


def _name_start(doc: Doc, start: int, blocked: set[int]) -> int:
    """Where a company's name that ends at a ticker begins: back over capitalized words
    and the words that join them ("and", "of", "&", a hyphen or apostrophe inside a
    word), never past a line start, a lower-case word or a date or amount."""
    i = start
    while i > 0 and not _starts_line(doc, i):
        token = doc[i - 1]
        joined = (not token.whitespace_ and token.text in ("-", "'", "’")) or token.lower_ in ("'s", "’s")
        if token.i in blocked or not (token.text[:1].isupper() or token.lower_ in ("and", "of", "&") or joined):
            break
        i -= 1
    while i < start and (doc[i].lower_ in ("and", "of", "&") or doc[i].is_punct):
        i += 1
    return i


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Whitespace and punctuation off both ends; a wire marker ("CORRECTED -") or a
    byline's "By" off the front; cut at the first hard line break."""
    while start < end and (doc[start].is_space or doc[start].is_punct or doc[start].lower_ in HEADLINE_MARKERS
                           or (doc[start].lower_ == "by" and _starts_line(doc, start))):
        start += 1
    for i in range(start, end):
        if "\n" in doc[i].text or (doc[i].is_space and "\n" in doc[i].text_with_ws):
            end = i
            break
    while end > start and (doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text not in ".)")):
        end -= 1
    return start, end


def _brackets(doc: Doc) -> list[tuple[int, int, bool]]:
    """(index of "<", index of ">", is a name) for each angle-bracket pair on one line.
    A name has a lower-case letter and no dot ("<Westland>"), or several words one of
    them longer than three letters ("<BIRDSBORO CORP>"); anything else is a ticker
    ("<VST>", "<KLM.AS>", "<cb.to>", "<PHK PR>")."""
    found = []
    text = doc_text(doc)
    i = 0
    n = len(doc)
    while i < n:
        if doc[i].text != "<":
            i += 1
            continue
        close = None
        for j in range(i + 1, min(n, i + 2 + _MAX_BRACKET_TOKENS)):
            if doc[j].text == ">":
                close = j
                break
            if doc[j].text == "<" or "\n" in doc[j].text:
                break
        if close is None or close == i + 1:
            i += 1
            continue
        content = text[doc[i].idx + 1 : doc[close].idx].strip()
        words = content.split()
        is_name = (any(c.islower() for c in content) and "." not in content) or (
            len(words) > 1 and any(len(word) > 3 for word in words))
        found.append((i, close, is_name))
        i = close + 1
    return found


def _drop_tickers(doc: Doc, start: int, end: int, in_bracket: dict) -> tuple[int, int]:
    """The span without a ticker bracket: the part before it, else the part after it."""
    ticker = next((in_bracket[i] for i in range(start, end) if i in in_bracket and not in_bracket[i][2]), None)
    if ticker is None:
        return start, end
    if ticker[0] > start:
        return _trim(doc, start, ticker[0])
    return _trim(doc, ticker[1] + 1, end) if ticker[1] + 1 < end else (start, start)


def _is_value_word(doc: Doc, span: Span) -> bool:
    """A unit or currency word the model took for a name ("cts" in "56 cts vs 71 cts",
    "the kwacha's devaluation", "1.1 billion U.S. Dlrs"): written in lower case, or right
    after a number. "SEC" or "BP" alone in capitals are names."""
    text = span.text.lower().strip("<>.")
    if not (currency_candidates(text) or lookup_unit(text) is not None):
        return False
    if not any(c.isupper() for c in span.text):
        return True
    before = [t for t in doc[max(0, span.start - 3) : span.start] if not t.is_space][-2:]
    return any(t.like_num or any(c.isdigit() for c in t.text) for t in before)


def _starts_line(doc: Doc, i: int) -> bool:
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, doc[i].idx) + 1
    return not text[line_start : doc[i].idx].strip()


def _line_of(doc: Doc, i: int) -> int:
    """The character offset where token i's line starts."""
    return doc_text(doc).rfind("\n", 0, doc[i].idx) + 1


def _table_lines(doc: Doc) -> set[int]:
    """Start offsets of the lines of results tables: a row is a label of at most
    `_MAX_TABLE_LABEL` words, then figures with "vs" ("Avg shrs 13.9 mln vs 10.5 mln");
    a section line is a short line of words right above a row ("Nine mths")."""
    text = doc_text(doc)
    if " vs" not in text and "versus" not in text:
        return set()
    lines: list[tuple[int, list]] = []
    current: list = []
    line_start = 0
    for token in doc:
        if "\n" in token.text:
            lines.append((line_start, current))
            current = []
            line_start = token.idx + token.text.rfind("\n") + 1
        elif not token.is_space:
            current.append(token)
    lines.append((line_start, current))
    rows = set()
    for index, (start, tokens) in enumerate(lines):
        if any(t.lower_ in VERSUS for t in tokens):
            label = 0
            for token in tokens:
                if token.like_num or token.text[:1].isdigit():
                    break
                label = label + 1 if token.is_alpha else _MAX_TABLE_LABEL + 1
            if 1 <= label <= _MAX_TABLE_LABEL and label < len(tokens):
                rows.add(index)
    table = {lines[i][0] for i in rows}
    for index in rows:
        above = index - 1
        if above >= 0 and above not in rows:
            tokens = lines[above][1]
            if 1 <= len(tokens) <= _MAX_TABLE_LABEL and all(t.is_alpha or t.like_num for t in tokens):
                table.add(lines[above][0])
    return table


# --- headlines --------------------------------------------------------------------------

def _name_words(tokens) -> list[str]:
    words = [t.lower_ for t in tokens if not t.is_punct and not t.is_space and t.lower_ not in ("'s", "’s")]
    if words[:1] == ["the"]:
        words = words[1:]
    while len(words) > 1 and words[-1].strip(".") in LEGAL_FORMS:
        words = words[:-1]
    return words


def _headline_names(doc: Doc, ents: list[Span], protected: set[tuple[int, int]] = frozenset()) -> list[Span]:
    """Headline spans kept only where the body says they are names (see the module
    docstring). In order: a span ending in a legal form ("BASF AG") is a company; a span
    inside a body name's words grows to them and takes the body's label ("PACIFIC" ->
    "CHICAGO PACIFIC", ORG); a span the body writes capitalized, and never in lower case,
    stays; a span holding a body name's distinctive word is cut to it ("Sarkozy Faces
    Investigation" -> "Sarkozy"); a place or nationality stays unless the body writes it in
    lower case; anything else is dropped ("BUYOUT", "Pollution Worsens"). Spans taken from
    angle brackets (`protected`) are names by the wire's own mark and stay."""
    from factx.components.frames import headline_span

    headline = headline_span(doc)
    if headline is None:
        return ents
    in_headline = [ent for ent in ents if ent.start_char < headline[1]]
    if not in_headline:
        return ents
    body = [ent for ent in ents if ent.start_char >= headline[1]]
    tokens = [t for t in doc if headline[0] <= t.idx < headline[1]]
    if not tokens:
        return body
    body_text = doc_text(doc)[headline[1]:]
    first = tokens[0].i
    words = [t.lower_ for t in tokens]
    names = {}
    for ent in body:
        key = tuple(_name_words(ent))
        if key and key not in names:
            names[key] = ent.label_
    kept: list[Span] = []
    for ent in in_headline:
        span = _headline_name(doc, ent, first, words, names, body_text, protected)
        if span is not None and not any(span.start < other.end and other.start < span.end for other in kept):
            kept.append(span)
    return kept + body


def _headline_name(doc, ent, first, words, names, body_text, protected) -> Span | None:
    if (ent.start, ent.end) in protected or ent[-1].lower_.strip(".") in LEGAL_FORMS:
        return ent
    matches = []
    for name, label in names.items():
        match = _match_in(words, name, ent.start - first, ent.end - first, label == "PERSON")
        if match:
            matches.append((match[0] + first, match[1] + first, label))
    covering = [m for m in matches if m[0] <= ent.start and m[1] >= ent.end]
    if covering:
        start, end, label = max(covering, key=lambda m: m[1] - m[0])
        return Span(doc, start, end, label=label)
    written = _written(body_text, ent.text)
    if written and all(written):
        return ent
    if matches:
        start, end, label = max(matches, key=lambda m: m[1] - m[0])
        if end < ent.end and doc[end].lower_ in ("'s", "’s"):
            end += 1
        return Span(doc, start, end, label=label)
    if ent.label_ in ("GPE", "NORP", "LOC") and not any(not capital for capital in written):
        return ent
    return None


def _written(text: str, name: str) -> list[bool]:
    """For each place `text` writes `name`'s words (any case), whether every word is
    capitalized there."""
    parts = [re.escape(word) for word in name.split()]
    if not parts:
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)
    return [all(word[:1].isupper() or not word[:1].isalpha() for word in match.group().split())
            for match in pattern.finditer(text)]


def _match_in(words: list[str], name: tuple[str, ...], start: int, end: int, person: bool) -> tuple[int, int] | None:
    """The longest run of `words` overlapping [start, end) that is a run of `name` and
    holds its distinctive word (a person's last, a thing's first), as (start, end)."""
    best = None
    for i in range(len(words)):
        for k in range(len(name)):
            length = 0
            while i + length < len(words) and k + length < len(name) and words[i + length] == name[k + length]:
                length += 1
            if not length or i >= end or i + length <= start:
                continue
            distinctive = len(name) - 1 if person else 0
            if not k <= distinctive < k + length:
                continue
            if best is None or length > best[1] - best[0]:
                best = (i, i + length)
    return best
