"""The extension attributes and span groups the components share."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from factx.facts import FRAME_KEYS

DATES = "factx_dates"  # span group: date and time expressions with a resolved value
MONEY = "factx_money"
QUANTITIES = "factx_quantities"


def register_extensions() -> None:
    # Doc-level: the article's date (set by the caller or read from a `date` marker).
    for name in ("factx_doc_date", "factx_marker_end"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    # Span-level: the normalized value and what a claim is about.
    for name in ("factx_value", "factx_canonical", "factx_alias_of", "factx_subject", "factx_about", "factx_when",
                 "factx_qualifier", *(f"factx_{key}" for key in FRAME_KEYS)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def doc_date(doc: Doc):
    """The document date: set by the caller, else from a leading `date` marker."""
    if doc._.factx_doc_date is None and doc._.factx_marker_end is None:
        from factx.sources import parse_date_marker

        doc._.factx_doc_date, doc._.factx_marker_end = parse_date_marker(doc_text(doc))
    return doc._.factx_doc_date


def annotated(doc: Doc, attr: str) -> bool:
    """`doc.has_annotation(attr)`, computed once per doc: it scans every token, and
    asking per claim made long documents quadratic."""
    key = ("factx_annotated", attr)
    if key not in doc.user_data:
        doc.user_data[key] = doc.has_annotation(attr)
    return doc.user_data[key]


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per doc: spaCy rebuilds it from every token on each access."""
    if "factx_text" not in doc.user_data:
        doc.user_data["factx_text"] = doc.text
    return doc.user_data["factx_text"]


def source_text(doc: Doc) -> str:
    """The text facts are sliced from: the original when the model read an unwrapped copy
    of it (`factx.layout.unwrap`, same length), else the doc's own text."""
    return doc.user_data.get("factx_source") or doc_text(doc)


# Per-document time budget for factx's own rules (the model's time is not counted): a
# generous base plus a share per token. Past it, components stop adding facts and the
# document is reported, so one pathological text cannot stall a run.
BUDGET_BASE_S = 10.0
BUDGET_PER_TOKEN_S = 0.002


def over_budget(doc: Doc) -> bool:
    """True once factx's components have spent this document's time budget."""
    import time

    now = time.monotonic()
    deadline = doc.user_data.setdefault("factx_deadline", now + BUDGET_BASE_S + BUDGET_PER_TOKEN_S * len(doc))
    if now > deadline:
        doc.user_data["factx_over_budget"] = True
        return True
    return False
