"""`factx report`: one self-contained, offline HTML page of the store.

The page is Jinja2 (autoescape on) over `templates/report.html.j2` with one inline
stylesheet whose SHA-256 goes into a Content-Security-Policy meta tag; it has no script,
no remote load and no `style=""` attribute. Charts are inline SVG drawn here, each with an
equivalent table. Reads SQLite only: no spaCy, no pint.

Article text is untrusted. Every article-derived string reaches the page through
autoescape or `_esc` (the highlighter); `_visible` also turns bidi overrides and control
characters into visible `<U+202E>` tokens, so they show literally instead of acting.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from factx import __version__
from factx.facts import FACT_TYPES, Fact

# Switched off only by the tests' negative control (tests/browser): never in real use.
AUTOESCAPE = True

_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CLASS_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _visible(text: str) -> str:
    """Bidi overrides/isolates and control characters as visible `<U+XXXX>` tokens."""
    return _INVISIBLE.sub(lambda m: f"\u2039U+{ord(m.group()):04X}\u203a", text)


def _esc(text: str) -> Markup:
    """Escape one untrusted string for element content or a quoted attribute."""
    if not AUTOESCAPE:  # negative control only
        return Markup(text)
    return escape(_visible(text))


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _visible(value)
    return value


def _css_class(text: str) -> str:
    return _CLASS_UNSAFE.sub("", text)


# -- formatting ----------------------------------------------------------------

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def fmt_number(x: float | int | None) -> str:
    """16000000000.0 -> '16 billion'; 1100.0 -> '1,100'; 0.05 -> '0.05'."""
    if x is None:
        return "?"
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    for scale, word in _SCALES:
        if abs(x) >= scale and abs(x) < scale * 1000:
            return f"{x / scale:,.4g} {word}"
    if abs(x) >= 1e15 or (x and abs(x) < 1e-4):
        return f"{x:.3g}"
    return f"{x:,.6g}"


def fmt_unit(unit: str | None) -> str:
    """pint's unit string for people: 'meter ** 3 / year' -> 'meter³/year'."""
    if not unit:
        return ""
    text = unit.replace(" ** 2", "²").replace(" ** 3", "³").replace(" / ", "/").replace(" * ", "·")
    text = re.sub(r" \*\* (-?\d+)", r"^\1", text)
    return text.replace("_", " ")


def fmt_range(start: str | None, end: str | None) -> str:
    if not start and not end:
        return "undated"
    if start == end or not end:
        return start or "?"
    return f"{start or '…'} – {end}"


def fmt_date_value(value: dict) -> str:
    text = fmt_range(value.get("start"), value.get("end"))
    if value.get("grain"):
        text += f" ({value['grain']})"
    if value.get("relation"):
        text += f"; {value['relation']}: {fmt_range(value.get('range_start') or '…', value.get('range_end') or '…')}"
    return text


def fmt_value(fact: Fact) -> str:
    """The normalized value of one fact, one line."""
    v = fact.value or {}
    if fact.type == "quantity":
        text = fmt_number(v.get("magnitude"))
        if v.get("magnitude_high") is not None:
            text += f" – {fmt_number(v['magnitude_high'])}"
        return f"{text} {fmt_unit(v.get('unit'))}".strip()
    if fact.type == "money":
        currency = v.get("currency") or (f"{v['currency_text']} (currency unknown)" if v.get("currency_text") else "?")
        text = f"{currency} {fmt_number(v.get('amount'))}"
        if v.get("amount_high") is not None:
            text += f" – {fmt_number(v['amount_high'])}"
        if v.get("per_unit"):
            text += f" per {fmt_unit(v['per_unit'])}"
        return text
    if fact.type == "date":
        return fmt_date_value(v)
    return v.get("canonical") or fact.text


def _tip_rows(fact: Fact) -> list[tuple[str, str]]:
    v = fact.value or {}
    rows = [(fact.label, fmt_value(fact))]
    if fact.type == "quantity":
        if v.get("base_unit"):
            base = fmt_number(v.get("base_magnitude"))
            if v.get("base_magnitude_high") is not None:
                base += f" – {fmt_number(v['base_magnitude_high'])}"
            rows.append(("SI", f"{base} {fmt_unit(v['base_unit'])}"))
    if fact.type in ("money", "quantity"):
        for key in ("subject", "about", "measure", "role", "direction", "modality", "attributed_to", "qualifier"):
            if getattr(fact, key):
                rows.append((key, getattr(fact, key)))
        if fact.when:
            rows.append(("when", f"{fact.when.get('text', '')} = {fmt_date_value(fact.when.get('value') or {})}"))
    if fact.type == "date" and v.get("anchored"):
        rows.append(("anchored", "resolved against the document date"))
    return rows


# -- the article highlighter ---------------------------------------------------


@dataclass
class Mark:
    fid: str
    fact: Fact
    start: int
    end: int
    classes: str


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """`text` with every mark wrapped in a focusable `<mark>` carrying its value tip.

    Nested spans nest. A span crossing another's end is closed there and reopened as a
    continuation piece (class `cont`, no id), the way HTML parsers repair misnesting, so
    each fact has exactly one `mark.fact:not(.cont)` and no text is lost or repeated.
    """
    starting: dict[int, list[Mark]] = defaultdict(list)
    points = {0, len(text)}
    for mark in marks:
        starting[mark.start].append(mark)
        points.update((mark.start, mark.end))
    for group in starting.values():
        group.sort(key=lambda m: -m.end)  # longer first: the outer one opens first
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0

    def open_(mark: Mark, first: bool) -> None:
        if first:
            out.append(
                f'<mark class="fact {mark.classes}" id="{mark.fid}" tabindex="0" '
                f'aria-describedby="{mark.fid}t">'
            )
        else:
            out.append(f'<mark class="fact cont {mark.classes}" data-of="{mark.fid}">')

    def close(mark: Mark, first: bool, final: bool) -> None:
        if final:
            out.append(f'<span class="lbl">{_esc(mark.fact.label)}</span>')
        if first:
            rows = "".join(
                f'<span class="r"><b>{_esc(key)}</b> {_esc(value)}</span>' for key, value in _tip_rows(mark.fact)
            )
            out.append(f'<span class="tip" role="tooltip" id="{mark.fid}t">{rows}</span>')
        out.append("</mark>")

    opened_first: set[str] = set()
    for point in sorted(points):
        if point > pos:
            out.append(_esc(text[pos:point]))
            pos = point
        while any(m.end <= point for m in stack):
            k = min(i for i, m in enumerate(stack) if m.end <= point)
            for m in reversed(stack[k:]):
                first = m.fid not in opened_first
                close(m, first, final=m.end <= point)
                opened_first.add(m.fid)
            survivors = [m for m in stack[k:] if m.end > point]
            del stack[k:]
            for m in survivors:
                open_(m, first=False)
                stack.append(m)
        for mark in starting.get(point, ()):
            if mark.end > point:
                open_(mark, first=True)
                stack.append(mark)
    for m in reversed(stack):  # only if an offset ran past the text (clamped before)
        close(m, m.fid not in opened_first, final=True)
    return Markup("".join(out))


# -- scales and ticks ------------------------------------------------------------


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About `count` round ticks (1, 2, 5 x 10^k) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi:
        ticks.append(ticks[-1] + step)
    return ticks


@dataclass
class Scale:
    lo: float
    hi: float
    x0: float
    x1: float
    log: bool = False

    def __call__(self, v: float) -> float:
        if self.log:
            v, lo, hi = math.log10(max(v, 1e-300)), math.log10(self.lo), math.log10(self.hi)
        else:
            lo, hi = self.lo, self.hi
        if hi == lo:
            return (self.x0 + self.x1) / 2
        return round(self.x0 + (v - lo) / (hi - lo) * (self.x1 - self.x0), 1)


def value_scale(values: Sequence[float], x0: float, x1: float) -> tuple[Scale, list[float]]:
    """Linear from 0 when max/min < 10 (and all positive), log otherwise; with ticks."""
    positive = [v for v in values if v > 0]
    vmin, vmax = min(values), max(values)
    if positive and len(positive) == len(values) and vmax / vmin >= 10:
        lo = 10 ** math.floor(math.log10(vmin))
        hi = 10 ** math.ceil(math.log10(vmax))
        if hi == lo:
            hi = lo * 10
        ticks = [10.0**e for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
        return Scale(lo, hi, x0, x1, log=True), ticks
    ticks = nice_ticks(min(0.0, vmin), max(0.0, vmax))
    return Scale(ticks[0], ticks[-1], x0, x1), ticks


def truncate(text: str, limit: int, keep_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):] if keep_end else text[: limit - 1] + "…"


# -- the conflicts section -------------------------------------------------------

CHART_WIDTH = 760
GUTTER = 250
ROW = 24


def _load_groups(store) -> tuple[list[dict], str | None]:
    """The conflicts feature's groups as dicts, or ([], why) when it is not there."""
    try:
        from factx.conflicts import find_groups
    except ImportError:
        return [], "this factx has no conflicts feature yet"
    try:
        groups = find_groups(store)
    except AttributeError as exc:  # an older store or interface
        return [], f"conflicts unavailable ({exc})"
    return [g.to_dict() if hasattr(g, "to_dict") else dict(g) for g in groups], None


def _claim_value(claim: dict) -> float | None:
    v = claim.get("common_value")
    return float(v) if isinstance(v, (int, float)) and math.isfinite(v) else None


def conflict_figure(group: dict, index: int, fact_ids: dict) -> dict | None:
    claims = [c for c in group.get("claims", []) if _claim_value(c) is not None]
    if not claims:
        return None
    claims.sort(key=lambda c: (_claim_value(c), c.get("doc") or ""))
    values = [_claim_value(c) for c in claims]
    highs = [float(c["common_value_high"]) for c in claims if isinstance(c.get("common_value_high"), (int, float))]
    left, right = GUTTER, CHART_WIDTH - 90
    scale, ticks = value_scale(values + highs, left, right)
    top = 10
    rows = []
    for i, claim in enumerate(claims):
        y = top + ROW * i + ROW / 2
        value = _claim_value(claim)
        high = claim.get("common_value_high")
        doc = claim.get("doc") or "?"
        gutter = f"{doc} ({claim.get('doc_date') or 'no date'})"
        rows.append({
            "y": y,
            "cx": scale(value),
            "x_high": scale(float(high)) if isinstance(high, (int, float)) else None,
            "label": fmt_number(value) + (f" – {fmt_number(high)}" if isinstance(high, (int, float)) else ""),
            "gutter": truncate(gutter, 36, keep_end=True),
            "gutter_full": gutter,
            "href": fact_ids.get((doc, claim.get("start"), claim.get("end"), claim.get("type"))),
            "claim": claim,
            "value": value,
        })
    axis_y = top + ROW * len(claims) + 4
    vmin, vmax = min(values), max(values + highs)
    ratio = (vmax / vmin) if vmin > 0 else None
    docs = sorted({c.get("doc") for c in claims if c.get("doc")})
    unit = fmt_unit(group.get("unit")) or (group.get("currency") or "")
    title = group.get("measure") or group.get("subject") or "(no subject)"
    if group.get("about") and group.get("about") != title:
        title = f"{group['about']}: {title}"
    reason = group.get("reason") or {}
    period = reason.get("period")
    if isinstance(period, dict):
        period = f"{period.get('start')}..{period.get('end')}"
    why = ", ".join(filter(None, [reason.get("role"), reason.get("modality"), period and f"period: {period}"]))
    return {
        "why": why,
        "id": f"c{index}",
        "status": group.get("status") or "conflict",
        "title": title,
        "unit": unit,
        "currency": group.get("currency"),
        "dimensionality": group.get("dimensionality"),
        "rows": rows,
        "ticks": [{"x": scale(t), "label": fmt_number(t)} for t in ticks],
        "log": scale.log,
        "left": left,
        "right": right,
        "axis_y": axis_y,
        "height": axis_y + 30,
        "width": CHART_WIDTH,
        "ratio": ratio,
        "docs": docs,
        "summary": (
            f"{title}: " + "; ".join(f"{r['label']} {unit} in {r['claim'].get('doc')}" for r in rows)
        ),
    }


# -- the timeline ------------------------------------------------------------------

TL_ROW = 12
TL_GUTTER = 230
TL_MAX_LANES = 4  # per row; beyond, marks overlap
TL_QUANTILE = 0.02  # with many marks and far outliers, the axis covers this..1-this


def _parse(day: str | None) -> date | None:
    if not day:
        return None
    try:
        return date.fromisoformat(day)
    except (TypeError, ValueError):
        return None


@dataclass
class TimelineItem:
    fid: str
    fact: Fact
    kind: str  # "date" or "claim"
    group: str
    start: date
    end: date
    grain: str | None
    range_start: date | None = None
    range_end: date | None = None
    open_start: bool = False
    open_end: bool = False
    x0: float = 0.0
    x1: float = 0.0
    lane: int = 0
    y: float = 0.0
    rx0: float | None = None  # the implied open range of since/by/until, in pixels
    rx1: float | None = None
    clipped: bool = False


def _dated(fact: Fact) -> tuple[date, date, dict] | None:
    """The calendar range a fact sits at: a date's own range, a claim's `when`."""
    value = fact.value if fact.type == "date" else ((fact.when or {}).get("value") if fact.type in ("money", "quantity") else None)
    if not value:
        return None
    start, end = _parse(value.get("start")), _parse(value.get("end"))
    if start is None and end is None:
        return None
    start, end = start or end, end or start
    if end < start:
        start, end = end, start
    return start, end, value


def _year_fraction(d: date) -> float:
    start = date(d.year, 1, 1)
    days = (date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


def _extent(item: TimelineItem) -> tuple[float, float]:
    return item.x0, item.x1  # dashed open ranges run under other marks, they take no lane


def _time_domain(items: Sequence[TimelineItem]) -> tuple[date, date, int]:
    """The calendar span to draw. When a few far outliers (a misread "1067", a "2449")
    would squeeze the rest into a sliver, the axis covers the 2nd..98th percentiles and
    the outliers are pinned to its edges."""
    starts = sorted(i.start for i in items)
    ends = sorted(i.end for i in items)
    known = [d for i in items for d in (i.range_start, i.range_end) if d]
    lo, hi = min(starts + known), max(ends + known)
    if len(items) >= 20:
        rlo = starts[int(TL_QUANTILE * (len(starts) - 1))]
        rhi = ends[math.ceil((1 - TL_QUANTILE) * (len(ends) - 1))]
        if (hi - lo).days > 3 * (rhi - rlo).days + 730:
            return rlo, rhi, sum(1 for i in items if i.start < rlo or i.end > rhi)
    return lo, hi, 0


def time_ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    span_years = (hi - lo).days / 365.25
    if span_years <= 2:
        ticks, y, m = [], lo.year, lo.month
        step = 1 if span_years <= 1 else 3
        m = ((m - 1) // step) * step + 1
        while date(y, m, 1) <= hi:
            if date(y, m, 1) >= lo:
                ticks.append((date(y, m, 1), date(y, m, 1).strftime("%b %Y" if m == 1 or not ticks else "%b")))
            m += step
            if m > 12:
                y, m = y + 1, m - 12
        return ticks
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if span_years / s <= 12)
    first = math.ceil(lo.year / step) * step
    return [(date(y, 1, 1), str(y)) for y in range(first, hi.year + 1, step) if date(y, 1, 1) >= lo]


def timeline(facts: Sequence[tuple[str, Fact]], doc_dates: dict[str, str | None]) -> dict:
    items: list[TimelineItem] = []
    undated: list[tuple[str, Fact]] = []
    for fid, fact in facts:
        if fact.type not in ("date", "money", "quantity"):
            continue
        if fact.type != "date" and not fact.when:
            continue
        dated = _dated(fact)
        if dated is None:
            undated.append((fid, fact))
            continue
        start, end, value = dated
        if fact.type == "date":
            kind, group = "date", fact.doc
        else:
            kind, group = "claim", fact.about or fact.subject or "(no subject)"
        item = TimelineItem(fid, fact, kind, group, start, end, value.get("grain"))
        if value.get("relation"):
            item.range_start, item.range_end = _parse(value.get("range_start")), _parse(value.get("range_end"))
            item.open_start = item.range_start is None and value.get("relation") in ("until", "by", "before")
            item.open_end = item.range_end is None and value.get("relation") in ("since", "after")
        items.append(item)
    if not items:
        return {"items": [], "undated": undated, "height": 0}
    lo, hi, clipped = _time_domain(items)
    pad = max(timedelta(days=15), (hi - lo) / 40)
    lo, hi = lo - pad, hi + pad
    left, right = TL_GUTTER, CHART_WIDTH - 20
    span = _year_fraction(hi) - _year_fraction(lo)

    def x(d: date) -> float:
        d = min(max(d, lo), hi)  # far outliers are pinned to the edge (class "clip")
        return round(left + (_year_fraction(d) - _year_fraction(lo)) / span * (right - left), 1)

    for item in items:
        item.clipped = item.start < lo or item.end > hi
        item.x0 = x(item.start)
        item.x1 = max(x(item.end + timedelta(days=1)), item.x0 + 4)
        if item.grain == "day" or item.start == item.end or item.x1 - item.x0 < 8:
            middle = (item.x0 + item.x1) / 2
            item.x0, item.x1 = round(middle - 4, 1), round(middle + 4, 1)
        if item.range_start or item.range_end or item.open_start or item.open_end:
            item.rx0 = left if item.open_start else x(item.range_start or item.start)
            item.rx1 = right if item.open_end else x((item.range_end or item.end) + timedelta(days=1))
    # rows: claims by subject first, then dates by document; overlapping marks stack in lanes
    bands = []
    y = 6
    for kind, heading in (("claim", "Money and quantity claims at their “when”, by subject"),
                          ("date", "Date expressions, by document")):
        groups: dict[str, list[TimelineItem]] = defaultdict(list)
        for item in items:
            if item.kind == kind:
                groups[item.group].append(item)
        if not groups:
            continue
        rows = []
        y += 18
        heading_y = y - 6
        for name in sorted(groups, key=lambda g: (g.casefold(), g)):
            lanes: list[float] = []
            for item in sorted(groups[name], key=lambda i: (_extent(i), i.fid)):
                x0, x1 = _extent(item)
                for lane, last in enumerate(lanes):
                    if x0 > last + 2:
                        break
                else:
                    if len(lanes) < TL_MAX_LANES:
                        lane = len(lanes)
                        lanes.append(0.0)
                    else:  # a crowded row: overlap where it overlaps least (the table lists all)
                        lane = min(range(len(lanes)), key=lanes.__getitem__)
                lanes[lane] = max(lanes[lane], x1)
                item.lane = lane
            row_y = y
            for item in groups[name]:
                item.y = row_y + item.lane * TL_ROW
            height = max(1, len(lanes)) * TL_ROW
            rows.append({"name": name, "label": truncate(name, 31, keep_end=(kind == "date")), "y": row_y,
                         "height": height, "items": sorted(groups[name], key=lambda i: (i.start, i.fid))})
            y += height + 2
        bands.append({"kind": kind, "heading": heading, "heading_y": heading_y, "rows": rows})
    axis_y = y + 4
    return {
        "items": items,
        "bands": bands,
        "undated": undated,
        "ticks": [{"x": x(d), "label": label} for d, label in time_ticks(lo, hi)],
        "left": left,
        "right": right,
        "axis_y": axis_y,
        "height": axis_y + 26,
        "width": CHART_WIDTH,
        "clipped": clipped,
        "lo": lo.isoformat(),
        "hi": hi.isoformat(),
        "doc_dates": doc_dates,
    }


# -- the page ----------------------------------------------------------------------


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("factx", "templates"),
        autoescape=AUTOESCAPE,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_number
    env.filters["unit"] = fmt_unit
    env.filters["value"] = fmt_value
    env.filters["date_value"] = fmt_date_value
    env.filters["trunc"] = truncate
    return env


def stylesheet() -> str:
    return resources.files("factx").joinpath("templates/report.css").read_text(encoding="utf-8")


def csp_hash(css: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")


@dataclass
class ArticleView:
    id: str
    doc: str
    doc_date: str | None
    model: str
    factx_version: str
    facts: int
    body: Markup
    unplaced: int = 0
    next_id: str | None = None
    counts: Counter = field(default_factory=Counter)


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
                  title: str = "factx report") -> str:
    """The whole report as one HTML string (write it with UTF-8)."""
    doc_globs, types = tuple(doc_globs or ()), tuple(types or ())
    documents = store.documents(doc_globs)  # matched as `factx show --doc` matches
    all_facts: list[tuple[str, Fact]] = []
    fact_ids: dict[tuple, str] = {}
    articles: list[ArticleView] = []
    counts: Counter = Counter()
    labels: Counter = Counter()
    n = 0
    for index, document in enumerate(documents, 1):
        text = store.text(document.key) or ""
        marks = []
        unplaced = 0
        doc_counts: Counter = Counter()
        for fact in store.facts(types=types, keys=[document.key]):
            n += 1
            fid = f"f{n}"
            all_facts.append((fid, fact))
            fact_ids.setdefault((fact.doc, fact.start, fact.end, fact.type), fid)
            counts[fact.type] += 1
            labels[fact.label] += 1
            doc_counts[fact.type] += 1
            start, end = max(0, min(fact.start, len(text))), max(0, min(fact.end, len(text)))
            if end <= start:
                unplaced += 1
                continue
            classes = f"t-{_css_class(fact.type)} l-{_css_class(fact.label)}"
            marks.append(Mark(fid, fact, start, end, classes))
        articles.append(ArticleView(
            id=f"d{index}", doc=document.doc, doc_date=document.doc_date, model=f"{document.model} {document.model_version}",
            factx_version=document.factx_version, facts=sum(doc_counts.values()), body=highlight(text, marks),
            unplaced=unplaced, counts=doc_counts,
        ))
    for this, following in zip(articles, articles[1:]):
        this.next_id = following.id
    selected = {d.doc for d in documents}
    doc_dates = {d.doc: d.doc_date for d in documents}

    conflicts: list[dict] = []
    conflicts_note = None
    if not types or {"money", "quantity"} & set(types):
        groups, conflicts_note = _load_groups(store)
        order = {"conflict": 0, "series": 1, "agreed": 2}
        groups = [g for g in groups if not doc_globs or any(c.get("doc") in selected for c in g.get("claims", []))]
        for i, group in enumerate(groups, 1):
            figure = conflict_figure(group, i, fact_ids)
            if figure:
                conflicts.append(figure)
        conflicts.sort(key=lambda f: (order.get(f["status"], 3), -(f["ratio"] or 0), f["title"]))
    else:
        conflicts_note = "not shown: --type selects neither money nor quantity"

    tl = timeline(all_facts, doc_dates)
    css = stylesheet()
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        css=Markup(css),
        csp=Markup(f"default-src 'none'; style-src '{csp_hash(css)}'; base-uri 'none'; form-action 'none'"),
        generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        factx_version=__version__,
        store_path=getattr(store, "path", ""),
        documents=documents,
        articles=articles,
        total=sum(counts.values()),
        counts=counts,
        labels=sorted(labels.items()),
        fact_types=FACT_TYPES,
        type_filter=types,
        doc_globs=doc_globs,
        models=sorted({f"{d.model} {d.model_version}" for d in documents}),
        factx_versions=sorted({d.factx_version for d in documents}),
        conflicts=conflicts,
        conflict_counts=Counter(f["status"] for f in conflicts),
        conflicts_note=conflicts_note,
        timeline=tl,
        fmt_value=fmt_value,
    )
