"""`factx docs`: one record per stored document, with what a reader needs to recognise it.

`status` compares the document's source with what was extracted: `current` (the file's
bytes have the stored SHA-256), `changed` (re-run `factx extract` on it), `missing` (the
file is gone; `factx forget` drops it), or `stored` when the source is not a file factx can
look at again (standard input, a record of a JSON-lines file, a URL, a page of a WARC
file). It reads each file once; a saved HTML page is compared by its HTML bytes.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from typing import Any

from factx.facts import FACT_TYPES
from factx.sources import parse_date_marker

FIRST_WORDS = 12  # what stands in for a title when the document has none


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The text's first words after any `date` marker, on one line; '…' when there are more."""
    _, marker_end = parse_date_marker(text)
    words = text[marker_end:].split(maxsplit=count)
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def file_status(key: str, sha256: str) -> str:
    """`current`, `changed`, `missing` or `stored` (see the module docstring)."""
    if not os.path.isabs(key):
        return "stored"
    try:
        with open(key, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError:  # a folder or an unreadable file where the document was
        return "changed"
    return "current" if digest == sha256 else "changed"


def document_rows(store) -> list[dict[str, Any]]:
    """Every stored document in output order: shown path, title (or None), date, facts by
    type and in all, status, then provenance and the store's key."""
    rows = []
    for document in store.documents():
        counts = Counter(fact.type for fact in store.facts(keys=[document.key]))
        title = document.title  # web pages carry one
        rows.append({
            "doc": document.doc,
            "title": title,
            "url": document.url,
            "first_words": None if title else first_words(store.text(document.key) or ""),
            "doc_date": document.doc_date,
            **{kind: counts[kind] for kind in FACT_TYPES},
            "facts": document.facts,
            "status": file_status(document.key, document.sha256),
            "extracted_at": document.extracted_at,
            "model": document.model,
            "model_version": document.model_version,
            "factx_version": document.factx_version,
            "key": document.key,
            "sha256": document.sha256,
        })
    return rows
