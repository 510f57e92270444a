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


# Rules that read "the sentence" of a value see at most this many tokens on each side of
# it. Far longer than a news sentence; on a run-on text ("a third of " a hundred thousand
# times, one sentence) it keeps every rule linear in the document instead of quadratic.
SENTENCE_WINDOW = 64


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) token indices of the sentence holding token `i`, the whole doc without
    sentence boundaries. A lookup in a per-doc index: `Token.sent` walks the sentence on
    every call, which made run-on text quadratic."""
    from bisect import bisect_right

    starts = doc.user_data.get("factx_sentence_starts")
    if starts is None:
        starts = [sent.start for sent in doc.sents] if annotated(doc, "SENT_START") else [0]
        doc.user_data["factx_sentence_starts"] = starts
    k = bisect_right(starts, i) - 1
    return starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)


def sentence_of(doc: Doc, start: int, end: int | None = None) -> Span:
    """The sentence holding tokens `start`..`end`, cut to SENTENCE_WINDOW tokens around them."""
    first, last = sentence_bounds(doc, start)
    end = max(start + 1, end or 0)
    return doc[max(first, start - SENTENCE_WINDOW) : min(max(last, end), end + SENTENCE_WINDOW)]


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per doc: spaCy rebuilds it from every token on each access."""
    if "factx_text" not in doc.user_data:
        doc.user_data["factx_text"] = doc.text
    return doc.user_data["factx_text"]


def source_text(doc: Doc) -> str:
    """The text facts are sliced from: the original when the model read an unwrapped copy
    of it (`factx.layout.unwrap`, same length), else the doc's own text."""
    return doc.user_data.get("factx_source") or doc_text(doc)


# Time budget per document (a long one: per piece of at most 200,000 characters), in
# wall-clock time from the moment its text is tokenized, so the model's time counts too: a
# generous base plus a share per token (the small English model needs about 0.2 ms per
# token). Past it, factx's components stop adding facts; the facts found so far are kept
# and a note says so, so one pathological text cannot stall a run.
BUDGET_BASE_S = 10.0
BUDGET_PER_TOKEN_S = 0.002


def budget_seconds(doc: Doc) -> float:
    return BUDGET_BASE_S + BUDGET_PER_TOKEN_S * len(doc)


def start_budget(doc: Doc) -> None:
    """Start the document's clock (the pipeline does it when the doc is made; a doc made
    elsewhere starts at its first `over_budget` check)."""
    import time

    doc.user_data["factx_deadline"] = time.monotonic() + budget_seconds(doc)


def over_budget(doc: Doc) -> bool:
    """True once this document's time budget is spent."""
    import time

    now = time.monotonic()
    deadline = doc.user_data.get("factx_deadline")
    if deadline is None:
        start_budget(doc)
        return False
    if now > deadline:
        doc.user_data["factx_over_budget"] = True
        return True
    return False
