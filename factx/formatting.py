"""Numbers, ranges, units and fact values written for people: one place for tables and the report.

Pure functions on plain values; no rich, no Jinja2, no pint. Full-precision values stay in
JSON and CSV: these strings are for reading, never for parsing back.
"""

from __future__ import annotations

import math
import re
from typing import Any

from factx.facts import Fact

# Scale words for numbers of a million and more: the report spells them out, tables keep
# them short so a column holds "1.5 bn" instead of folding "1,500,000,000" mid-number.
LONG_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
SHORT_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"))

QUALIFIER_SIGNS = {"approx": "≈", "at_least": "≥", "at_most": "≤"}


def number(x: float | int | None, scales: tuple[tuple[float, str], ...] = LONG_SCALES) -> str:
    """16e9 -> '16 billion' ('16 bn' with SHORT_SCALES); 1100.0 -> '1,100'; 0.05 -> '0.05'; None -> '?'."""
    if x is None:
        return "?"
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    for scale, word in scales:
        if scale <= abs(x) < scale * 1000:
            return f"{x / scale:,.4g} {word}"
    if abs(x) >= 1e15 or (x and abs(x) < 1e-4):
        return f"{x:.3g}"
    return f"{x:,.6g}"


def number_range(low: float | int | None, high: float | int | None,
                 scales: tuple[tuple[float, str], ...] = LONG_SCALES) -> str:
    """'5 – 7 billion' style: the low value, and ' – high' when there is one."""
    text = number(low, scales)
    return text if high is None else f"{text} – {number(high, scales)}"


def unit(name: str | None) -> str:
    """pint's unit string for people: 'meter ** 3 / year' -> 'meter³/year', 'oil_barrel' -> 'oil barrel'."""
    if not name:
        return ""
    text = name.replace(" ** 2", "²").replace(" ** 3", "³").replace(" / ", "/").replace(" * ", "·")
    text = re.sub(r" \*\* (-?\d+)", r"^\1", text)
    return text.replace("_", " ")


def period(start: str | None, end: str | None) -> str:
    """An inclusive ISO date range: '2022-02-22 – 2022-02-28', one date when both are equal,
    '… – 2023' for an open start, 'undated' when neither is known."""
    if not start and not end:
        return "undated"
    if start == end or not end:
        return start or "?"
    return f"{start or '…'} – {end}"


def date_value(value: dict[str, Any]) -> str:
    """A date fact's value: its period, grain and, for 'since 2014', the implied open range."""
    text = period(value.get("start"), value.get("end"))
    if value.get("grain"):
        text += f" ({value['grain']})"
    if value.get("relation"):
        text += f"; {value['relation']}: {period(value.get('range_start') or '…', value.get('range_end') or '…')}"
    return text


def money_value(value: dict[str, Any], scales: tuple[tuple[float, str], ...] = LONG_SCALES) -> str:
    """'USD 790 mn'; when the text does not say which currency, '?' and the written word after
    the amount ('? 0.15 (cents)'), so the amount never reads as counted in that word."""
    amount = number_range(value.get("amount"), value.get("amount_high"), scales)
    if value.get("currency"):
        text = f"{value['currency']} {amount}"
    else:
        text = f"? {amount}" + (f" ({value['currency_text']})" if value.get("currency_text") else "")
    return text + (f" per {unit(value['per_unit'])}" if value.get("per_unit") else "")


def fact_value(fact: Fact, scales: tuple[tuple[float, str], ...] = LONG_SCALES) -> str:
    """The normalized value of one fact on one line: 'USD 18 per oil barrel', '16 billion meter³/year'."""
    v = fact.value or {}
    if fact.type == "quantity":
        return f"{number_range(v.get('magnitude'), v.get('magnitude_high'), scales)} {unit(v.get('unit'))}".strip()
    if fact.type == "money":
        return money_value(v, scales)
    if fact.type == "date":
        return date_value(v)
    return v.get("canonical") or fact.text


def qualified(qualifier: str | None, text: str) -> str:
    """`text` after the sign of its qualifier: '≤ USD 8' for 'up to $8'."""
    sign = QUALIFIER_SIGNS.get(qualifier or "")
    return f"{sign} {text}" if sign else text


def truncate(text: str, limit: int, keep_end: bool = False) -> str:
    """At most `limit` characters, '…' marking the cut (at the start with `keep_end`, for paths)."""
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):] if keep_end else text[: limit - 1] + "…"
