"""factx_entities rules on hand-built parses: no model, so each rule is tested alone."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

import factx.components  # noqa: F401
from factx.components.entities import EntityResolver


def _doc(words, heads, deps, ents, pos=None):
    nlp = spacy.blank("en")
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, ents=ents,
               pos=pos or ["PROPN" if w[0].isupper() else "NOUN" for w in words])


def _labels(doc):
    doc = EntityResolver()(doc)
    return {ent.text: ent.label_ for ent in doc.ents}


def test_a_big_city_after_in_is_a_place():
    words = ["Gas", "terminals", "in", "Karachi", "opened"]
    doc = _doc(words, [1, 4, 1, 2, 4], ["compound", "nsubj", "prep", "pobj", "ROOT"], ["O", "O", "O", "B-ORG", "O"])
    assert _labels(doc)["Karachi"] == "GPE"


def test_a_small_town_after_in_keeps_the_models_label():
    # "a stake in Imperial": Imperial is also a town of 30,000 people, but not said to be one here.
    words = ["Gulf", "sold", "its", "stake", "in", "Imperial"]
    doc = _doc(words, [1, 1, 3, 1, 3, 4], ["nsubj", "ROOT", "poss", "dobj", "prep", "pobj"],
               ["B-ORG", "O", "O", "O", "O", "B-ORG"])
    assert _labels(doc)["Imperial"] == "ORG"


def test_a_list_with_a_place_and_the_ports_of():
    words = ["the", "ports", "of", "Karachi", "and", "Gwadar"]
    doc = _doc(words, [1, 1, 1, 2, 3, 3], ["det", "ROOT", "prep", "pobj", "cc", "conj"],
               ["O", "O", "O", "B-ORG", "O", "B-PRODUCT"])
    assert _labels(doc) == {"Karachi": "GPE", "Gwadar": "GPE"}


def test_a_surname_is_never_made_a_place():
    words = ["Masao", "Fujioka", "spoke", ".", "Fujioka", "said", "in", "Fujioka", "."]
    doc = _doc(words, [1, 2, 2, 2, 5, 5, 5, 6, 5],
               ["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "prep", "pobj", "punct"],
               ["B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "O", "O", "B-GPE", "O"])
    doc = EntityResolver()(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Masao Fujioka", "PERSON"), ("Fujioka", "PERSON"),
                                                      ("Fujioka", "GPE")]


def test_split_person_and_alias():
    words = ["Shah", "Mahmood", "Qureshi", "said", "the", "Stream", "Gas", "Pipeline", "project", ",",
             "formerly", "known", "as", "North", "South", "Pipeline", ",", "is", "late"]
    heads = [1, 3, 1, 3, 8, 7, 7, 8, 17, 8, 11, 8, 11, 15, 15, 12, 8, 3, 17]
    deps = ["compound", "nsubj", "appos", "ROOT", "det", "compound", "compound", "compound", "nsubj", "punct",
            "advmod", "acl", "prep", "compound", "compound", "pobj", "punct", "ccomp", "acomp"]
    ents = ["B-PERSON", "I-PERSON", "B-ORG", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "O",
            "B-LOC", "I-LOC", "I-LOC", "O", "O", "O"]
    doc = EntityResolver()(_doc(words, heads, deps, ents))
    assert [(e.text, e.label_) for e in doc.ents][0] == ("Shah Mahmood Qureshi", "PERSON")
    alias = next(e for e in doc.ents if e.text == "North South Pipeline")
    assert alias._.factx_alias_of == "Stream Gas Pipeline"
