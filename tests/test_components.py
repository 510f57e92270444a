"""The spaCy components work in a user's own pipeline, by name, without factx's CLI."""

from __future__ import annotations

from datetime import date

import spacy
from spacy.tokens import Span

import factx.components  # noqa: F401  (registers the factories)
from factx.pipeline import doc_facts, find_model, segments


def test_components_on_a_blank_pipeline_with_given_entities():
    nlp = spacy.blank("en")
    for name in ("factx_entities", "factx_dates", "factx_quantities"):
        nlp.add_pipe(name)
    doc = nlp.make_doc("Exports rose 12 pct to 1.5 mln tonnes in 2019 .")
    doc.ents = [Span(doc, 2, 4, "PERCENT"), Span(doc, 5, 8, "QUANTITY"), Span(doc, 9, 10, "DATE")]
    doc._.factx_doc_date = date(2020, 1, 1)
    for _, pipe in nlp.pipeline:
        doc = pipe(doc)
    facts = {f.text: f for f in doc_facts(doc, "x")}
    assert facts["12 pct"].value["base_magnitude"] == 0.12
    assert facts["1.5 mln tonnes"].value["base_magnitude"] == 1.5e9  # grams: pint's base of mass
    assert facts["2019"].value["start"] == "2019-01-01"


def test_add_pipe_by_name_on_the_model():
    nlp = spacy.load(find_model(), exclude=["lemmatizer"])
    nlp.add_pipe("factx_entities")
    nlp.add_pipe("factx_dates")
    nlp.add_pipe("factx_quantities")
    doc = nlp("date 2022-02-06 Pakistan will buy 3 million tonnes of wheat from Russia next year.")
    assert doc._.factx_doc_date == date(2022, 2, 6)  # read from the marker by the component
    (quantity,) = doc.spans["factx_quantities"]
    assert quantity._.factx_subject == "wheat"
    (when,) = [s for s in doc.spans["factx_dates"] if s.text == "next year"]
    assert when._.factx_value["start"] == "2023-01-01"


def test_segments_cut_at_boundaries_and_cover_the_text():
    text = "".join(f"Sentence {i} is here.\n\n" for i in range(1000))
    pieces = [text[offset : offset + length] for offset, length in segments(text, limit=1000)]
    assert "".join(pieces) == text
    assert len(pieces) >= len(text) // 1000 + 1  # 23,890 characters in pieces of at most 1,000
    assert all(len(piece) <= 1000 and piece.endswith("\n\n") for piece in pieces)
    longest_sentence = len("Sentence 999 is here.\n\n")
    assert all(len(piece) > 1000 - longest_sentence for piece in pieces[:-1])  # cut at the last boundary
    flat = "x" * 2500  # no boundary at all: hard cuts
    assert [flat[o : o + n] for o, n in segments(flat, limit=1000)] == ["x" * 1000, "x" * 1000, "x" * 500]


def test_factories_declare_what_they_need_and_write():
    nlp = spacy.blank("en")  # no NER: nothing assigns doc.ents before them
    for name in ("factx_layout", "factx_entities", "factx_dates", "factx_quantities"):
        nlp.add_pipe(name)
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert problems == {"factx_layout": [], "factx_entities": ["doc.ents"], "factx_dates": [],
                        "factx_quantities": []}  # factx_entities assigns doc.ents for the later two
    assert "doc.spans" in nlp.get_pipe_meta("factx_quantities").assigns


def test_date_reference_holds_for_the_configured_number_of_sentences():
    text = "The strike began on May 5, 1986. Workers were angry. Output had fallen a year earlier."
    found = {}
    for sentences in (2, 0):
        nlp = spacy.load(find_model(), exclude=["lemmatizer"])
        nlp.add_pipe("factx_dates", config={"reference_sentences": sentences})
        doc = nlp.make_doc(text)
        doc._.factx_doc_date = date(1987, 3, 1)
        found[sentences] = {span.text: span._.factx_value["start"] for span in nlp(doc).spans["factx_dates"]}
    assert found[2]["a year earlier"] == "1985-05-05"  # a year before the date told two sentences back
    assert "a year earlier" not in found[0]  # the reference is gone by the third sentence


def _with_spent_budget(config):
    nlp = spacy.blank("en")
    nlp.add_pipe("factx_dates", config=config)
    nlp.add_pipe("factx_quantities", config=config)
    doc = nlp.make_doc("Exports rose 12 pct in 2019 .")
    doc.ents = [Span(doc, 2, 4, "PERCENT"), Span(doc, 5, 6, "DATE")]
    doc.user_data["factx_deadline"] = 0.0  # the document's time budget is already spent
    for _, pipe in nlp.pipeline:
        doc = pipe(doc)
    return sorted(f.text for f in doc_facts(doc, "x"))


def test_time_budget_setting():
    assert _with_spent_budget({}) == []
    assert _with_spent_budget({"time_budget": False}) == ["12 pct", "2019"]
