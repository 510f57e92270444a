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


# --- names: surnames, apposition, headlines, units, tables, brackets (issue 15 part 7) ---

def _flat(words, ents, spaces=None, pos=None):
    """A parse without dependencies: every token its own root."""
    nlp = spacy.blank("en")
    return Doc(nlp.vocab, words=words, spaces=spaces, ents=ents,
               pos=pos or ["PROPN" if w[:1].isupper() else "NOUN" for w in words])


def _pairs(doc):
    return [(e.text, e.label_) for e in EntityResolver()(doc).ents]


def test_a_surname_tagged_org_beside_the_full_name_is_the_person_and_one_entity():
    from factx.facts import Fact
    from factx.identity import EntityIndex

    words = ["John", "Smith", "spoke", ".", "Smith", "said", "no", "."]
    doc = EntityResolver()(_flat(words, ["B-PERSON", "I-PERSON", "O", "O", "B-ORG", "O", "O", "O"]))
    assert [(e.text, e.label_, e._.factx_canonical) for e in doc.ents] == [
        ("John Smith", "PERSON", "John Smith"), ("Smith", "PERSON", "John Smith")]
    facts = [Fact(doc="a.txt", type="entity", label=e.label_, text=e.text, start=e.start_char, end=e.end_char,
                  sentence="", sentence_start=0, value={"canonical": e._.factx_canonical}) for e in doc.ents]
    assert [(row["name"], row["mentions"]) for row in EntityIndex(facts).rows()] == [("John Smith", 2)]


def test_a_surname_tagged_as_a_place_or_an_acronym_keeps_its_label():
    words = ["Helmut", "Kohl", "met", "CDU", "leaders", "in", "Kohl", "."]
    doc = _flat(words, ["B-PERSON", "I-PERSON", "O", "B-ORG", "O", "O", "B-GPE", "O"])
    assert _pairs(doc)[1:] == [("CDU", "ORG"), ("Kohl", "GPE")]


def test_a_place_in_apposition_is_a_place():
    # "the Fijian capital, Suva": Suva tagged PERSON, in apposition to "capital".
    words = ["He", "flew", "to", "the", "Fijian", "capital", ",", "Suva", "."]
    heads = [1, 1, 1, 5, 5, 2, 5, 5, 1]
    deps = ["nsubj", "ROOT", "prep", "det", "amod", "pobj", "punct", "appos", "punct"]
    doc = _doc(words, heads, deps, ["O", "O", "O", "O", "B-NORP", "O", "O", "B-PERSON", "O"])
    assert _labels(doc)["Suva"] == "GPE"
    # "Suva, the capital, ...": the appositive is the place noun.
    words = ["Suva", ",", "the", "capital", ",", "flooded"]
    doc = _doc(words, [5, 0, 3, 0, 0, 5], ["nsubj", "punct", "det", "appos", "punct", "ROOT"],
               ["B-ORG", "O", "O", "O", "O", "O"])
    assert _labels(doc)["Suva"] == "GPE"


def test_a_unit_or_currency_word_is_not_an_entity_but_an_acronym_in_capitals_is():
    words = ["Shr", "loss", "56", "cts", "vs", "71", "cts", "\n", "The", "kwacha", "fell", "and", "the", "SEC",
             "and", "BP", "said", "so"]
    spaces = [True, True, True, True, True, True, False, False, True, True, True, True, True, True, True, True,
              True, False]
    ents = ["O", "O", "O", "B-ORG", "O", "O", "B-ORG", "O", "O", "B-ORG", "O", "O", "O", "B-ORG", "O", "B-ORG",
            "O", "O"]
    assert _pairs(_flat(words, ents, spaces)) == [("SEC", "ORG"), ("BP", "ORG")]


def test_results_table_rows_and_their_section_line_name_nothing():
    text_lines = [["Nine", "Mths"], ["Revs", "560.6", "mln", "vs", "542.3", "mln"],
                  ["Avg", "shrs", "13.9", "mln", "vs", "10.5", "mln"]]
    words, spaces = [], []
    for line in text_lines:
        words += line + ["\n"]
        spaces += [True] * (len(line) - 1) + [False, False]
    ents = ["B-WORK_OF_ART", "I-WORK_OF_ART", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O",
            "B-PERSON", "O", "O", "O", "O", "O", "O", "O"]
    assert _pairs(_flat(words, ents, spaces)) == []


def test_a_person_with_a_digit_is_not_a_person():
    words = ["Backlog", "34", "said", "Jane", "Doe"]
    assert _pairs(_flat(words, ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"])) == [("Jane Doe", "PERSON")]


def test_a_name_in_angle_brackets_is_one_company_and_a_ticker_is_no_name():
    words = ["broker", "<", "A.C.", "Goode", "and", "Co", "Ltd", ">", "and", "Pittston", "<", "PCO", ">", "and",
             "<", "Westland", ">"]
    spaces = [True, False, True, True, True, True, False, True, True, True, False, False, True, True, False,
              False, False]
    ents = ["O", "O", "B-PERSON", "I-PERSON", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "O", "B-ORG", "O",
            "O", "O", "B-PERSON", "I-PERSON"]
    assert _pairs(_flat(words, ents, spaces)) == [
        ("A.C. Goode and Co Ltd", "ORG"), ("Pittston", "ORG"), ("Westland", "ORG")]


def test_a_company_name_before_its_ticker_starts_where_its_capitalized_words_start():
    words = ["said", "Burnup", "and", "Sims", "Inc", "<", "BSIM", ">", "rose"]
    spaces = [True, True, True, True, True, False, False, True, False]
    ents = ["O", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "O"]
    assert _pairs(_flat(words, ents, spaces)) == [("Burnup and Sims Inc", "ORG")]


def test_a_wire_marker_and_a_line_break_end_a_name():
    words = ["CORRECTED", "-", "DEROSE", "INDUSTRIES", "INC", "\n", "Shares", "rose"]
    spaces = [True, True, True, True, False, False, True, False]
    ents = ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
    assert _pairs(_flat(words, ents, spaces)) == [("DEROSE INDUSTRIES INC", "ORG")]


def test_headline_spans_are_kept_only_as_the_body_names_them():
    # "CHICAGO PACIFIC TO REPURCHASE NOTES / BUYOUT" over a body naming Chicago Pacific Corp.
    words = ["CHICAGO", "PACIFIC", "BUYOUT", "SET", "IN", "JAPAN", "\n\n", "Chicago", "Pacific", "Corp", "set",
             "a", "buyout", "."]
    spaces = [True, True, True, True, True, False, False, True, True, True, True, True, False, False]
    ents = ["O", "B-ORG", "B-ORG", "O", "O", "B-GPE", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O"]
    assert _pairs(_flat(words, ents, spaces)) == [
        ("CHICAGO PACIFIC", "ORG"), ("JAPAN", "GPE"), ("Chicago Pacific Corp", "ORG")]


def test_a_title_case_headline_span_is_cut_to_the_name_the_body_gives():
    words = ["Sarkozy", "Faces", "Investigation", "\n\n", "Nicolas", "Sarkozy", "faces", "an", "investigation"]
    spaces = [True, True, False, False, True, True, True, True, False]
    ents = ["B-ORG", "I-ORG", "I-ORG", "O", "B-PERSON", "I-PERSON", "O", "O", "O"]
    assert _pairs(_flat(words, ents, spaces)) == [("Sarkozy", "PERSON"), ("Nicolas Sarkozy", "PERSON")]
