"""The page: documents and facts read from the store, laid out by `templates/report.html.j2`."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from factx import __version__, formatting
from factx.facts import FACT_TYPES, Fact
from factx.report.charts import conflict_figure, load_groups
from factx.report.highlight import Mark, highlight
from factx.report.timeline import timeline
from factx.safety import html_text, html_visible

_CLASS_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
STATUS_ORDER = {"conflict": 0, "series": 1, "agreed": 2}  # figures: contradictions first


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return html_visible(value)
    return value


def environment(*, autoescape: bool = True) -> Environment:
    """The report's Jinja2 environment. `autoescape=False` exists for one test only: the
    browser tests' negative control, which proves they would catch unescaped article text."""
    env = Environment(
        loader=PackageLoader("factx", "templates"),
        autoescape=autoescape,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = formatting.fact_value
    env.filters["period"] = formatting.period
    return env


def stylesheet() -> str:
    return resources.files("factx").joinpath("templates/report.css").read_text(encoding="utf-8")


def csp_hash(css: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")


@dataclass
class ArticleView:
    id: str
    doc: str
    title: str | None  # a web page's headline, shown as the heading; its URL as plain text
    url: str | None
    doc_date: str | None
    model: str
    factx_version: str
    facts: int
    body: Markup
    unplaced: int = 0
    next_id: str | None = None
    counts: Counter = field(default_factory=Counter)


@dataclass
class Articles:
    """The articles section and what the other sections need from the same pass over the facts."""

    views: list[ArticleView] = field(default_factory=list)
    facts: list[tuple[str, Fact]] = field(default_factory=list)  # (mark id, fact), in page order
    fact_ids: dict[tuple, str] = field(default_factory=dict)  # (doc, start, end, type) -> mark id
    counts: Counter = field(default_factory=Counter)  # by type
    labels: Counter = field(default_factory=Counter)


def read_articles(store, documents, types: Sequence[str], escape) -> Articles:
    """Each document's text with its facts highlighted; facts whose offsets fall outside the
    text (a store edited by hand) are counted as unplaced instead of drawn."""
    articles = Articles()
    for index, document in enumerate(documents, 1):
        text = store.text(document.key) or ""
        marks, unplaced, doc_counts = [], 0, Counter()
        for fact in store.facts(types=types, keys=[document.key]):
            fid = f"f{len(articles.facts) + 1}"
            articles.facts.append((fid, fact))
            articles.fact_ids.setdefault((fact.doc, fact.start, fact.end, fact.type), fid)
            articles.counts[fact.type] += 1
            articles.labels[fact.label] += 1
            doc_counts[fact.type] += 1
            start, end = max(0, min(fact.start, len(text))), max(0, min(fact.end, len(text)))
            if end <= start:
                unplaced += 1
                continue
            classes = f"t-{_CLASS_UNSAFE.sub('', fact.type)} l-{_CLASS_UNSAFE.sub('', fact.label)}"
            marks.append(Mark(fid, fact, start, end, classes))
        articles.views.append(ArticleView(
            id=f"d{index}", doc=document.doc, title=document.title, url=document.url, doc_date=document.doc_date,
            model=f"{document.model} {document.model_version}", factx_version=document.factx_version,
            facts=sum(doc_counts.values()), body=highlight(text, marks, escape), unplaced=unplaced,
            counts=doc_counts,
        ))
    for this, following in zip(articles.views, articles.views[1:]):
        this.next_id = following.id
    return articles


def conflict_figures(store, documents, doc_globs: Sequence[str], types: Sequence[str],
                     fact_ids: dict) -> tuple[list[dict], str | None]:
    """The groups touching the selected documents as figures, contradictions first; or why none."""
    if types and not {"money", "quantity"} & set(types):
        return [], "not shown: --type selects neither money nor quantity"
    groups, note = load_groups(store)
    selected = {d.doc for d in documents}
    groups = [g for g in groups if not doc_globs or any(c.get("doc") in selected for c in g.get("claims", []))]
    figures = [f for f in (conflict_figure(g, i, fact_ids) for i, g in enumerate(groups, 1)) if f]
    figures.sort(key=lambda f: (STATUS_ORDER.get(f["status"], len(STATUS_ORDER)), -(f["ratio"] or 0), f["title"]))
    return figures, note


# What every report starts with (the template's first lines): how `factx report` knows a
# file it may overwrite from a store or a user's page that happens to share the name.
_REPORT_HEAD = b"<!DOCTYPE html>"
_REPORT_GENERATOR = b'<meta name="generator" content="factx '


def is_factx_report(path: str) -> bool:
    """True when `path` is absent, empty, or an HTML report factx wrote: safe to replace."""
    from factx.outputs import SQLITE_HEADER, sniff

    head = sniff(path)
    if not head:
        return True
    return not head.startswith(SQLITE_HEADER) and head.startswith(_REPORT_HEAD) and _REPORT_GENERATOR in head


def render_report(store, doc_globs: Iterable[str] = (), types: Iterable[str] = (), *,
                  title: str = "factx report", env: Environment | None = None) -> str:
    """The whole report as one HTML string (write it with UTF-8). `env` defaults to `environment()`."""
    env = env or environment()
    escape = html_text if env.autoescape else Markup  # Markup: the negative control's raw text
    doc_globs, types = tuple(doc_globs or ()), tuple(types or ())
    documents = store.documents(doc_globs)  # matched as `factx show --doc` matches
    articles = read_articles(store, documents, types, escape)
    conflicts, conflicts_note = conflict_figures(store, documents, doc_globs, types, articles.fact_ids)
    css = stylesheet()
    return env.get_template("report.html.j2").render(
        title=title,
        css=Markup(css),
        csp=Markup(f"default-src 'none'; style-src '{csp_hash(css)}'; base-uri 'none'; form-action 'none'"),
        generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        factx_version=__version__,
        store_path=getattr(store, "path", ""),
        documents=documents,
        articles=articles.views,
        total=sum(articles.counts.values()),
        counts=articles.counts,
        labels=sorted(articles.labels.items()),
        fact_types=FACT_TYPES,
        type_filter=types,
        doc_globs=doc_globs,
        models=sorted({f"{d.model} {d.model_version}" for d in documents}),
        factx_versions=sorted({d.factx_version for d in documents}),
        conflicts=conflicts,
        conflict_counts=Counter(f["status"] for f in conflicts),
        conflicts_note=conflicts_note,
        timeline=timeline(articles.facts, {d.doc: d.doc_date for d in documents}),
    )
