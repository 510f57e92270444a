"""HTML page -> the article's main text, title and publication date, with trafilatura.

trafilatura is the reference extractor for news pages (main text without navigation,
ads or comments, and the page's own metadata); its date comes from htmldate. Only dates
the page's markup states (meta tags, JSON-LD, <time>, the URL) are taken, never a date
guessed from the running text, since the document date anchors every relative date.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from factx.inputs import iso_date

PARAGRAPH_BREAK = "\n\n"
_CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class Article:
    text: str  # main text, one paragraph per block, blocks separated by blank lines
    title: str | None
    date: date | None  # the publication date the page states
    url: str | None  # the URL given, else the page's canonical URL


def read_html(page: bytes | str, url: str | None = None, charset: str | None = None) -> Article:
    """The article in `page`. `charset` (from an HTTP header) decodes bytes when given;
    otherwise trafilatura reads the page's own declaration. A page with no main text
    gives an Article whose text is empty."""
    import trafilatura  # slow to import; only readers of HTML pay for it

    if isinstance(page, bytes) and charset:
        page = _decoded(page, charset)
    document = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return Article(text="", title=None, date=None, url=url)
    text = PARAGRAPH_BREAK.join(_paragraphs(document.body)) if document.body is not None else ""
    return Article(
        text=text, title=document.title or None, date=iso_date(document.date), url=url or document.url
    )


def _decoded(page: bytes, charset: str) -> bytes | str:
    try:
        return page.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: let trafilatura detect one
        return page


def _paragraphs(body) -> list[str]:
    """The text of each block of trafilatura's output tree: a list gives one paragraph per
    item (nested lists after their item), a table one per row. A <br> (`lb`) stays a
    single line break, for factx's layout pass to judge like any other (a soft wrap when
    the next line goes on in lower case)."""
    texts = []
    for block in body:
        if block.tag == "table":
            for row in block.iter("row"):
                cells = (_text(cell) for cell in row.iter("cell"))
                texts.append(_CELL_SEPARATOR.join(" ".join(cell.split()) for cell in cells if cell.strip()))
        elif block.tag == "list":
            texts.extend(_text(item, skip="list") for item in block.iter("item"))
        else:
            texts.append(_text(block))
    return [tidy for tidy in map(_tidy, texts) if tidy]  # a paragraph of invisible characters only is none


def _tidy(paragraph: str) -> str:
    """Runs of spaces as one; line breaks kept, without the spaces or empty lines around
    them; invisible characters dropped (soft hyphens split words and numbers, bidi
    overrides disguise text); NFC, as trafilatura's own text output."""
    if not paragraph.isprintable():
        paragraph = "".join(c for c in paragraph if c.isprintable() or c.isspace())
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", paragraph).split("\n"))
    return "\n".join(line for line in lines if line)


def _text(element, skip: str | None = None) -> str:
    """The text under `element` with each `lb` as a line break, leaving out the
    elements tagged `skip` (their tails are kept)."""
    parts = ["\n" if element.tag == "lb" else element.text or ""]
    for child in element:
        if child.tag != skip:
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)
