"""`factx_entities`: repair the model's entity spans with general rules, then give each
mention its canonical name within the document.

Rules (none names a particular entity):
- a PERSON followed at once by a one-token proper noun the model tagged otherwise is one
  person ("Shah Mahmood" + "Qureshi");
- a bare surname of a person named in full elsewhere in the document is that person;
- a span the gazetteer knows as a place is relabelled GPE only where its context says
  place (see `_place_context`): a list with a place, "the ports of X", X tagged GPE
  elsewhere, or "in X" when X is a big place (a country, or a city of a million people);
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
from factx.normalize.names import strip_article
from factx.normalize.places import population

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
    assigns=["doc.ents", "span._.factx_canonical", "span._.factx_alias_of"],
    default_config={"relabel_places": True},
)
def make_entities(nlp: Language, name: str, relabel_places: bool) -> EntityResolver:
    return EntityResolver(relabel_places)


class EntityResolver:
    def __init__(self, relabel_places: bool = True):
        self.relabel_places = relabel_places

    def __call__(self, doc: Doc) -> Doc:
        ents = _merge_split_persons(doc, list(doc.ents))
        ents = _add_surname_mentions(doc, ents)
        if self.relabel_places:
            ents = _relabel_places(doc, ents)
        doc.ents = ents
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


def _add_surname_mentions(doc: Doc, ents: list[Span]) -> list[Span]:
    surnames = list({ent[-1].orth for ent in ents if ent.label_ == "PERSON" and len(ent) > 1})
    if not surnames:
        return ents
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    # Candidates found by ORTH in one array, not by making a Token object per word.
    at = numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), surnames)).tolist()
    added = [Span(doc, i, i + 1, label="PERSON") for i in at if i not in taken and doc[i].pos_ == "PROPN"]
    return sorted(ents + added, key=lambda span: span.start) if added else ents


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
            if people is not None and _place_context(doc, ent, gpe_names, place_tokens, people):
                ents[i] = Span(doc, ent.start, ent.end, label="GPE")
                places.add(i)
                gpe_names.add(ent.text)
                changed = True
                break
    return ents


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
