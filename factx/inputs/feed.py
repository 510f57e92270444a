"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds -> their entries' links, titles and dates.

Parsed with defusedxml, which refuses entity declarations and external references (the
billion-laughs and XXE attacks) instead of expanding them. A DOCTYPE alone is allowed:
old RSS 0.91 feeds carry one. Three formats need a dozen element names, so no feed
library is needed for the links, titles and dates factx reads.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from factx.inputs import InputError, http_date, iso_date, one_line

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"
_SCHEMES = ("http", "https")


class FeedError(InputError):
    """A feed that cannot be read: not XML, not RSS or Atom, or declaring entities."""


@dataclass(frozen=True)
class FeedEntry:
    link: str  # absolute http(s) URL of the article
    title: str | None
    date: date | None  # the entry's publication date (Atom: published, else updated)


def read_feed(data: bytes | str, base_url: str | None = None) -> list[FeedEntry]:
    """The entries of a feed, in feed order, with relative links resolved against
    `base_url`. Entries without an http(s) link are left out; a link listed twice is
    kept once."""
    import defusedxml  # only feed readers load it
    import defusedxml.ElementTree as safe_xml

    try:
        root = safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as error:  # before ValueError, its base class
        raise FeedError(f"refused: the feed declares XML entities ({one_line(str(error))})") from None
    except (safe_xml.ParseError, ValueError) as error:  # ValueError: a str with surrogates
        raise FeedError(f"not well-formed XML ({one_line(str(error))})") from None
    if root.tag == f"{ATOM}feed":
        entries = (_atom_entry(entry) for entry in root.iter(f"{ATOM}entry"))
    elif root.tag == "rss":
        entries = (_rss_entry(item, "") for item in root.iter("item"))
    elif root.tag == f"{RDF}RDF":
        entries = (_rss_entry(item, RSS1) for item in root.iter(f"{RSS1}item"))
    else:
        raise FeedError(f"not an RSS or Atom feed (root element {one_line(root.tag)})")
    seen: set[str] = set()
    found = []
    for link, title, day in entries:
        link = _absolute(link.strip(), base_url or "")
        if link and link not in seen:
            seen.add(link)
            found.append(FeedEntry(link, title, day))
    return found


def _absolute(link: str, base_url: str) -> str | None:
    """`link` resolved against `base_url`, if that is an http(s) URL."""
    try:
        link = urllib.parse.urljoin(base_url, link)
        return link if urllib.parse.urlsplit(link).scheme.lower() in _SCHEMES else None
    except ValueError:  # "http://[x/": not a URL
        return None


def _rss_entry(item, namespace: str) -> tuple[str, str | None, date | None]:
    link = _text(item, f"{namespace}link")
    guid = item.find("guid")
    if not link and guid is not None and guid.get("isPermaLink", "true") == "true":
        link = guid.text or ""  # RSS 2.0: a permalink guid stands for a missing link
    day = http_date(_text(item, "pubDate")) or iso_date(_text(item, f"{DUBLIN_CORE}date"))
    return link, _text(item, f"{namespace}title") or None, day


def _atom_entry(entry) -> tuple[str, str | None, date | None]:
    links = entry.findall(f"{ATOM}link")
    alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
    link = (alternate or [None])[0]
    day = iso_date(_text(entry, f"{ATOM}published")) or iso_date(_text(entry, f"{ATOM}updated"))
    title = entry.find(f"{ATOM}title")
    title_text = _text(entry, f"{ATOM}title")
    if title is not None and title.get("type") == "html":  # escaped markup: keep its text
        title_text = _html_text(title_text)
    return (link.get("href", "") if link is not None else ""), title_text or None, day


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""
