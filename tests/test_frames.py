"""Claim-frame strategies on hand-built parses (no model: each rule is tested alone), then
end to end on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

import factx
import factx.components  # noqa: F401  (extensions)
from factx.components import frames


def _doc(words, heads, deps, pos, ents=None, tags=None):
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags,
              ents=ents or ["O"] * len(words), sent_starts=[True] + [False] * (len(words) - 1))
    return doc


def _claim(doc, start, end, label="MONEY"):
    return Span(doc, start, end, label=label)


# "Peru 's total foreign debt is 14 billion dlrs ."
PERU = dict(
    words=["Peru", "'s", "total", "foreign", "debt", "is", "14", "billion", "dlrs", "."],
    heads=[4, 0, 4, 4, 5, 5, 7, 8, 5, 5],
    deps=["poss", "case", "amod", "amod", "nsubj", "ROOT", "compound", "nummod", "attr", "punct"],
    pos=["PROPN", "PART", "ADJ", "ADJ", "NOUN", "AUX", "NUM", "NUM", "NOUN", "PUNCT"],
    ents=["B-GPE", "O", "O", "O", "O", "O", "B-MONEY", "I-MONEY", "I-MONEY", "O"],
)


def test_the_possessor_is_what_the_figure_is_about_and_not_part_of_the_measure():
    doc = _doc(**PERU)
    ctx = frames.context(doc, doc.ents)
    subject = doc[0:5]
    assert frames.about_of(ctx, _claim(doc, 6, 9), subject, doc[4]) == "Peru"
    assert frames.measure_of(subject, "Peru") == "foreign debt"


def test_a_definite_description_stands_for_the_nearest_earlier_entity_of_its_kind():
    # "Acme Corp opened . The company 's profit was 5 mln dlrs ."
    words = ["Acme", "Corp", "opened", ".", "The", "company", "'s", "profit", "was", "5", "mln", "dlrs", "."]
    heads = [1, 2, 2, 2, 5, 7, 5, 8, 8, 10, 11, 8, 8]
    deps = ["compound", "nsubj", "ROOT", "punct", "det", "poss", "case", "nsubj", "ROOT", "nummod", "amod",
            "attr", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PUNCT", "DET", "NOUN", "PART", "NOUN", "AUX", "NUM", "NUM", "NOUN", "PUNCT"]
    ents = ["B-ORG", "I-ORG"] + ["O"] * 7 + ["B-MONEY", "I-MONEY", "I-MONEY", "O"]
    doc = _doc(words, heads, deps, pos, ents)
    ctx = frames.context(doc, doc.ents)
    assert frames.about_of(ctx, _claim(doc, 9, 12), doc[4:8], doc[7]) == "Acme Corp"


def test_the_reporting_clause_names_the_holder_and_the_source():
    # "Texaco said output was 30,000 barrels a day ."
    words = ["Texaco", "said", "output", "was", "30,000", "barrels", "a", "day", "."]
    heads = [1, 1, 3, 1, 5, 3, 7, 5, 1]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "nummod", "attr", "det", "npadvmod", "punct"]
    pos = ["PROPN", "VERB", "NOUN", "AUX", "NUM", "NOUN", "DET", "NOUN", "PUNCT"]
    ents = ["B-ORG"] + ["O"] * 8
    doc = _doc(words, heads, deps, pos, ents)
    ctx = frames.context(doc, doc.ents)
    claim = _claim(doc, 4, 8, "QUANTITY")
    assert frames.about_of(ctx, claim, doc[2:3], doc[2]) == "Texaco"
    assert frames.attributed_to_of(ctx, claim) == "Texaco"
    assert frames.measure_of(doc[2:3]) == "output"
    assert frames.role_of(claim) == ("level", None)
    assert frames.modality_of(claim, doc[2]) == "actual"


def test_a_change_verb_makes_a_change_and_from_to_are_levels():
    # "Profit rose 5 pct to 10 dlrs from 8 dlrs ."
    words = ["Profit", "rose", "5", "pct", "to", "10", "dlrs", "from", "8", "dlrs", "."]
    heads = [1, 1, 3, 1, 1, 6, 4, 1, 9, 7, 1]
    deps = ["nsubj", "ROOT", "nummod", "dobj", "prep", "nummod", "pobj", "prep", "nummod", "pobj", "punct"]
    pos = ["NOUN", "VERB", "NUM", "NOUN", "ADP", "NUM", "NOUN", "ADP", "NUM", "NOUN", "PUNCT"]
    doc = _doc(words, heads, deps, pos)
    assert frames.role_of(_claim(doc, 2, 4, "PERCENT")) == ("change", "up")
    assert frames.role_of(_claim(doc, 5, 7)) == ("level", None)
    assert frames.role_of(_claim(doc, 8, 10)) == ("level", None)


def test_by_is_a_change_with_the_verbs_direction():
    # "Prices fell by 2 dlrs ."
    words = ["Prices", "fell", "by", "2", "dlrs", "."]
    doc = _doc(words, [1, 1, 1, 4, 2, 1], ["nsubj", "ROOT", "prep", "nummod", "pobj", "punct"],
               ["NOUN", "VERB", "ADP", "NUM", "NOUN", "PUNCT"])
    assert frames.role_of(_claim(doc, 3, 5)) == ("change", "down")


def test_a_ceiling_is_a_target_and_will_is_a_forecast():
    # "OPEC 's 16 mln bpd ceiling will stay ."
    words = ["OPEC", "'s", "16", "mln", "bpd", "ceiling", "will", "stay", "."]
    heads = [5, 0, 3, 4, 5, 7, 7, 7, 7]
    deps = ["poss", "case", "nummod", "amod", "compound", "nsubj", "aux", "ROOT", "punct"]
    pos = ["PROPN", "PART", "NUM", "NUM", "NOUN", "NOUN", "AUX", "VERB", "PUNCT"]
    doc = _doc(words, heads, deps, pos, ["B-ORG"] + ["O"] * 8)
    claim = _claim(doc, 2, 5, "QUANTITY")
    assert frames.modality_of(claim, doc[5]) == "target"
    # "Output will reach 5 mln tonnes ."
    doc = _doc(["Output", "will", "reach", "5", "mln", "tonnes", "."], [2, 2, 2, 5, 5, 2, 2],
               ["nsubj", "aux", "ROOT", "nummod", "amod", "dobj", "punct"],
               ["NOUN", "AUX", "VERB", "NUM", "NUM", "NOUN", "PUNCT"])
    assert frames.modality_of(_claim(doc, 3, 6, "QUANTITY"), doc[0]) == "forecast"


def test_according_to_names_the_source():
    # "Output was 5 mln tonnes , according to the ministry ."
    words = ["Output", "was", "5", "mln", "tonnes", ",", "according", "to", "the", "ministry", "."]
    heads = [1, 1, 4, 4, 1, 1, 1, 6, 9, 7, 1]
    deps = ["nsubj", "ROOT", "nummod", "amod", "attr", "punct", "prep", "prep", "det", "pobj", "punct"]
    pos = ["NOUN", "AUX", "NUM", "NUM", "NOUN", "PUNCT", "VERB", "ADP", "DET", "NOUN", "PUNCT"]
    doc = _doc(words, heads, deps, pos)
    ctx = frames.context(doc, doc.ents)
    assert frames.attributed_to_of(ctx, _claim(doc, 2, 5, "QUANTITY")) == "ministry"


def test_measure_is_singular_lower_case_without_dates_numbers_or_names():
    # "1985 net profits per share"
    words = ["1985", "net", "profits", "per", "share"]
    doc = _doc(words, [2, 2, 2, 2, 3], ["nummod", "amod", "ROOT", "prep", "pobj"],
               ["NUM", "ADJ", "NOUN", "ADP", "NOUN"], ["B-DATE", "O", "O", "O", "O"],
               tags=["CD", "JJ", "NNS", "IN", "NN"])
    assert frames.measure_of(doc[0:5]) == "net profit per share"


# -- end to end, through the model ----------------------------------------------------------

def _frames(text):
    return {f.text: f for f in factx.extract(text) if f.type in ("money", "quantity")}


def test_each_value_gets_its_own_year():
    found = _frames("Exports of Chile fell from 5 billion dlrs in 1985 to 4 billion dlrs in 1986.")
    assert found["5 billion dlrs"].when["value"]["start"] == "1985-01-01"
    assert found["4 billion dlrs"].when["value"]["start"] == "1986-01-01"
    assert {f.role for f in found.values()} == {"level"}
    assert {f.about for f in found.values()} == {"Chile"}


def test_a_headline_gives_the_lead_entity_and_the_period():
    text = ("date 1987-03-02\nACME CORP 1986 PROFIT UP\n\nAcme Corp said on Monday its profit rose in the year.\n"
            "    Profit was 5 mln dlrs against 4 mln dlrs, the statement said.\n")
    found = _frames(text)
    five = found["5 mln dlrs"]
    assert five.about == "Acme Corp" and five.measure == "profit"
    assert five.when is not None and five.when["value"]["start"] == "1986-01-01"


RESULTS = ("date 1987-03-20\nELECTRO RENT CORP <ELRC> 3RD QTR FEB 28 NET\n\n"
           "Shr 20 cts vs 18 cts\n    Net 807,000 vs 2,858,000\n    Revs 36.7 mln vs 33.5 mln\n"
           "    Avg shrs 8,517,000 vs 8,400,000\n")


def test_a_results_table_row_by_row():
    found = _frames(RESULTS)
    net = found["807,000"]
    assert net.type == "money" and net.value == {"amount": 807000.0, "currency": "USD"}  # the article's cents
    assert net.about == "ELECTRO RENT CORP" and net.measure == "net income"
    assert net.when["value"]["start"] == "1986-12-01" and net.when["value"]["end"] == "1987-02-28"
    prior = found["2,858,000"]
    assert prior.when["value"]["start"] == "1985-12-01" and prior.measure == "net income"
    assert found["36.7 mln"].measure == "revenue"
    assert "8,517,000" not in found  # a count of shares, not money


def test_a_dividend_row_compares_with_the_previous_payment():
    found = _frames("date 1987-03-17\nACME CORP <ACM> QTLY DIVIDEND\n\nQtly div 17-1/4 cts vs 17 cts prior\n")
    assert found["17-1/4 cts"].value["amount"] == pytest.approx(0.1725)
    assert found["17 cts"].measure == "quarterly dividend (prior)" and found["17 cts"].when is None


def test_frames_are_the_same_with_the_lemmatizer_loaded():
    """factx's pipeline drops the lemmatizer; a user's `spacy.load` keeps it."""
    import spacy

    from factx.pipeline import Extractor, FACTX_PIPES, find_model

    text = ("date 1987-03-02\nACME SALES UP\n\nAcme Corp said its sales rose 5 pct to 220 mln dlrs in February, "
            "and analysts expected losses of 3 mln dlrs at the units.\n")
    nlp = spacy.load(find_model(None))
    assert "lemmatizer" in nlp.pipe_names
    for pipe in ("factx_layout", *FACTX_PIPES):
        nlp.add_pipe(pipe, before="parser") if pipe == "factx_layout" else nlp.add_pipe(pipe)
    doc = nlp(text)
    own = {(f.start, f.end): f for f in Extractor.shared().extract_text(text)}
    keys = ("subject", "about", "measure", "role", "direction", "attributed_to", "modality")
    claims = [*doc.spans["factx_money"], *doc.spans["factx_quantities"]]
    assert sorted(span.text for span in claims) == ["220 mln dlrs", "3 mln dlrs", "5 pct"]
    for span in claims:
        fact = own[(span.start_char, span.end_char)]
        assert {k: getattr(span._, f"factx_{k}") for k in keys} == {k: getattr(fact, k) for k in keys}
