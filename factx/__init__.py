"""factx: turn news articles into facts people can check.

The public API. Importing it loads neither spaCy nor pint; `extract` loads the model on
first use.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

__version__ = "0.2.0"

if TYPE_CHECKING:
    from factx.facts import Fact

__all__ = ["__version__", "extract"]


def extract(text: str, doc_date: date | None = None, *, model: str | None = None) -> list[Fact]:
    """The facts of one text, as `Fact` objects (doc "-").

    A leading `date YYYY-MM-DD` marker sets the document date as in a file; `doc_date`
    wins over it.
    """
    from factx.pipeline import Extractor

    return Extractor.shared(model).extract_text(text, doc="-", doc_date=doc_date)
