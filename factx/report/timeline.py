"""The timeline: dated facts as marks on one calendar axis, claims by subject, dates by document.

`timeline()` runs four steps in order: collect the dated items, choose the calendar span,
place each item on the x axis, then stack items into rows and lanes (which sets each y).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from factx.facts import Fact
from factx.formatting import truncate
from factx.report.charts import CHART_WIDTH

ROW = 12  # one lane's height
GUTTER = 230  # left of the axis: row names
RIGHT_MARGIN = 20
MAX_LANES = 4  # per row; beyond, marks overlap
QUANTILE = 0.02  # with many marks and far outliers, the axis covers this..1-this
MIN_ITEMS_FOR_QUANTILES = 20
# Outliers are pinned only when the full span is over three times the quantile span plus two years.
OUTLIER_FACTOR, OUTLIER_SLACK_DAYS = 3, 730
EDGE_PAD_DAYS, EDGE_PAD_SHARE = 15, 40  # room at both ends: 15 days or 1/40 of the span
AXIS_GAP = 4  # between the last row and the axis
TICK_LABELS = 26  # below the axis: the tick labels
MARK_MIN_WIDTH = 8  # narrower ranges and single days are drawn as a dot this wide
LANE_GAP = 2  # pixels between two marks sharing a lane
TOP = 6
BAND_HEADING = 18  # room above a band for its heading
HEADING_BASELINE = 6  # the heading's baseline, above the band's first row
ROW_GAP = 2
ROW_LABEL_CHARS = 31
BANDS = (("claim", "Money and quantity claims at their “when”, by subject"),
         ("date", "Date expressions, by document"))


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
    value = fact.value if fact.type == "date" else (fact.when or {}).get("value")
    if not value:
        return None
    start, end = _parse(value.get("start")), _parse(value.get("end"))
    if start is None and end is None:
        return None
    start, end = start or end, end or start
    if end < start:
        start, end = end, start
    return start, end, value


def _item(fid: str, fact: Fact, start: date, end: date, value: dict) -> TimelineItem:
    if fact.type == "date":
        item = TimelineItem(fid, fact, "date", fact.doc, start, end, value.get("grain"))
    else:
        item = TimelineItem(fid, fact, "claim", fact.about or fact.subject or "(no subject)", start, end,
                            value.get("grain"))
    if value.get("relation"):
        item.range_start, item.range_end = _parse(value.get("range_start")), _parse(value.get("range_end"))
        item.open_start = item.range_start is None and value.get("relation") in ("until", "by", "before")
        item.open_end = item.range_end is None and value.get("relation") in ("since", "after")
    return item


def collect(facts: Sequence[tuple[str, Fact]]) -> tuple[list[TimelineItem], list[tuple[str, Fact]]]:
    """Dates and claims with a `when`, as items; those whose period is unknown, as undated."""
    items: list[TimelineItem] = []
    undated: list[tuple[str, Fact]] = []
    for fid, fact in facts:
        if fact.type != "date" and not (fact.type in ("money", "quantity") and fact.when):
            continue
        dated = _dated(fact)
        if dated is None:
            undated.append((fid, fact))
        else:
            items.append(_item(fid, fact, *dated))
    return items, undated


def _year_fraction(d: date) -> float:
    start = date(d.year, 1, 1)
    days = (date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


def time_domain(items: Sequence[TimelineItem]) -> tuple[date, date, int]:
    """The calendar span to draw, and how many items fall outside it. When a few far
    outliers (a misread "1067", a "2449") would squeeze the rest into a sliver, the axis
    covers the 2nd..98th percentiles and the outliers are pinned to its edges."""
    starts = sorted(i.start for i in items)
    ends = sorted(i.end for i in items)
    known = [d for i in items for d in (i.range_start, i.range_end) if d]
    lo, hi = min(starts + known), max(ends + known)
    if len(items) >= MIN_ITEMS_FOR_QUANTILES:
        rlo = starts[int(QUANTILE * (len(starts) - 1))]
        rhi = ends[math.ceil((1 - QUANTILE) * (len(ends) - 1))]
        if (hi - lo).days > OUTLIER_FACTOR * (rhi - rlo).days + OUTLIER_SLACK_DAYS:
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


@dataclass
class Axis:
    """Calendar dates to pixels between `left` and `right`; dates outside are pinned to the edge."""

    lo: date
    hi: date
    left: float = GUTTER
    right: float = CHART_WIDTH - RIGHT_MARGIN

    def __call__(self, d: date) -> float:
        d = min(max(d, self.lo), self.hi)
        span = _year_fraction(self.hi) - _year_fraction(self.lo)
        return round(self.left + (_year_fraction(d) - _year_fraction(self.lo)) / span * (self.right - self.left), 1)


def place(items: Sequence[TimelineItem], x: Axis) -> None:
    """Set each item's x extent (a dot for a day or a sliver) and its dashed open range."""
    for item in items:
        item.clipped = item.start < x.lo or item.end > x.hi
        item.x0 = x(item.start)
        item.x1 = max(x(item.end + timedelta(days=1)), item.x0 + MARK_MIN_WIDTH / 2)
        if item.grain == "day" or item.start == item.end or item.x1 - item.x0 < MARK_MIN_WIDTH:
            middle = (item.x0 + item.x1) / 2
            item.x0, item.x1 = round(middle - MARK_MIN_WIDTH / 2, 1), round(middle + MARK_MIN_WIDTH / 2, 1)
        if item.range_start or item.range_end or item.open_start or item.open_end:
            item.rx0 = x.left if item.open_start else x(item.range_start or item.start)
            item.rx1 = x.right if item.open_end else x((item.range_end or item.end) + timedelta(days=1))


def _assign_lanes(row_items: Sequence[TimelineItem]) -> int:
    """Give each item the first lane where it overlaps nothing; returns the lane count.
    Dashed open ranges run under other marks and take no lane."""
    lanes: list[float] = []  # each lane's right end so far
    for item in sorted(row_items, key=lambda i: (i.x0, i.x1, i.fid)):
        free = [lane for lane, right in enumerate(lanes) if item.x0 > right + LANE_GAP]
        if free:
            lane = free[0]
        elif len(lanes) < MAX_LANES:
            lane = len(lanes)
            lanes.append(0.0)
        else:  # a crowded row: overlap where it overlaps least (the table lists all)
            lane = min(range(len(lanes)), key=lanes.__getitem__)
        lanes[lane] = max(lanes[lane], item.x1)
        item.lane = lane
    return max(1, len(lanes))


def stack(items: Sequence[TimelineItem]) -> tuple[list[dict], int]:
    """Rows (claims by subject first, then dates by document) with each item's y set;
    returns the bands and the y below the last row."""
    bands = []
    y = TOP
    for kind, heading in BANDS:
        groups: dict[str, list[TimelineItem]] = defaultdict(list)
        for item in items:
            if item.kind == kind:
                groups[item.group].append(item)
        if not groups:
            continue
        y += BAND_HEADING
        heading_y = y - HEADING_BASELINE
        rows = []
        for name in sorted(groups, key=lambda g: (g.casefold(), g)):
            height = _assign_lanes(groups[name]) * ROW
            for item in groups[name]:
                item.y = y + item.lane * ROW
            rows.append({"name": name, "label": truncate(name, ROW_LABEL_CHARS, keep_end=(kind == "date")), "y": y,
                         "height": height, "items": sorted(groups[name], key=lambda i: (i.start, i.fid))})
            y += height + ROW_GAP
        bands.append({"kind": kind, "heading": heading, "heading_y": heading_y, "rows": rows})
    return bands, y


def timeline(facts: Sequence[tuple[str, Fact]], doc_dates: dict[str, str | None]) -> dict:
    """What the template draws: items placed and stacked, ticks, the span and the undated rest."""
    items, undated = collect(facts)
    if not items:
        return {"items": [], "undated": undated, "height": 0}
    lo, hi, clipped = time_domain(items)
    pad = max(timedelta(days=EDGE_PAD_DAYS), (hi - lo) / EDGE_PAD_SHARE)
    x = Axis(lo - pad, hi + pad)
    place(items, x)
    bands, bottom = stack(items)
    axis_y = bottom + AXIS_GAP
    return {
        "items": items,
        "bands": bands,
        "undated": undated,
        "ticks": [{"x": x(d), "label": label} for d, label in time_ticks(x.lo, x.hi)],
        "left": x.left,
        "right": x.right,
        "axis_y": axis_y,
        "height": axis_y + TICK_LABELS,
        "width": CHART_WIDTH,
        "clipped": clipped,
        "lo": x.lo.isoformat(),
        "hi": x.hi.isoformat(),
        "doc_dates": doc_dates,
    }
