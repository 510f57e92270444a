"""The conflicts section: one inline-SVG figure per claim group, values on one axis."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from factx.formatting import number, number_range, truncate, unit

CHART_WIDTH = 760
GUTTER = 250  # left of the axis: the document names
VALUE_LABELS = 90  # right of the axis: room for the last value's label
ROW = 24
TOP = 10
AXIS_GAP = 4  # between the last row and the axis
TICK_LABELS = 30  # below the axis: the tick labels
GUTTER_CHARS = 36  # a longer document name is cut at its start ("…/cnn_002.txt")
TENFOLD = 10  # values differing this much or more go on a log axis


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
    if positive and len(positive) == len(values) and vmax / vmin >= TENFOLD:
        lo = 10 ** math.floor(math.log10(vmin))
        hi = 10 ** math.ceil(math.log10(vmax))
        if hi == lo:
            hi = lo * 10
        ticks = [10.0**e for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
        return Scale(lo, hi, x0, x1, log=True), ticks
    ticks = nice_ticks(min(0.0, vmin), max(0.0, vmax))
    return Scale(ticks[0], ticks[-1], x0, x1), ticks


def load_groups(store) -> tuple[list[dict], str | None]:
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


def _high(claim: dict) -> float | None:
    high = claim.get("common_value_high")
    return float(high) if isinstance(high, (int, float)) else None


def _title(group: dict) -> str:
    """'Pakistan: natural gas': the group's entity and measure, or whichever is known."""
    title = group.get("measure") or group.get("subject") or "(no subject)"
    if group.get("about") and group.get("about") != title:
        title = f"{group['about']}: {title}"
    return title


def _why(group: dict) -> str:
    reason = group.get("reason") or {}
    period = reason.get("period")
    if isinstance(period, dict):
        period = f"{period.get('start')}..{period.get('end')}"
    return ", ".join(filter(None, [reason.get("role"), reason.get("modality"), period and f"period: {period}"]))


def conflict_figure(group: dict, index: int, fact_ids: dict) -> dict | None:
    """What the template draws for one group: a row per claim sorted by value, ticks, labels."""
    claims = sorted((c for c in group.get("claims", []) if _claim_value(c) is not None),
                    key=lambda c: (_claim_value(c), c.get("doc") or ""))
    if not claims:
        return None
    values = [_claim_value(c) for c in claims]
    highs = [h for h in map(_high, claims) if h is not None]
    left, right = GUTTER, CHART_WIDTH - VALUE_LABELS
    scale, ticks = value_scale(values + highs, left, right)
    rows = []
    for i, claim in enumerate(claims):
        doc, high = claim.get("doc") or "?", _high(claim)
        gutter = f"{doc} ({claim.get('doc_date') or 'no date'})"
        rows.append({
            "y": TOP + ROW * i + ROW / 2,
            "cx": scale(values[i]),
            "x_high": scale(high) if high is not None else None,
            "label": number_range(values[i], high),
            "gutter": truncate(gutter, GUTTER_CHARS, keep_end=True),
            "gutter_full": gutter,
            "href": fact_ids.get((doc, claim.get("start"), claim.get("end"), claim.get("type"))),
            "claim": claim,
            "value": values[i],
        })
    axis_y = TOP + ROW * len(claims) + AXIS_GAP
    vmin, vmax = min(values), max(values + highs)
    shown_unit = unit(group.get("unit")) or (group.get("currency") or "")
    title = _title(group)
    return {
        "why": _why(group),
        "id": f"c{index}",
        "status": group.get("status") or "conflict",
        "title": title,
        "unit": shown_unit,
        "currency": group.get("currency"),
        "dimensionality": group.get("dimensionality"),
        "rows": rows,
        "ticks": [{"x": scale(t), "label": number(t)} for t in ticks],
        "log": scale.log,
        "left": left,
        "right": right,
        "axis_y": axis_y,
        "height": axis_y + TICK_LABELS,
        "width": CHART_WIDTH,
        "ratio": (vmax / vmin) if vmin > 0 else None,
        "docs": sorted({c.get("doc") for c in claims if c.get("doc")}),
        "summary": f"{title}: " + "; ".join(f"{r['label']} {shown_unit} in {r['claim'].get('doc')}" for r in rows),
    }
