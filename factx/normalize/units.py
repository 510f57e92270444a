"""Unit words as written in news -> pint units -> SI base values.

What this module owns:
- ``registry()``: the one shared pint ``UnitRegistry`` (pint's defaults plus
  ``units.txt``), built on first use. pint is imported there and nowhere at module
  level, so ``import factx.normalize.units`` stays cheap.
- ``lookup_unit(words)``: unit words -> a pint unit expression, through factx's
  word table (the ``#>`` lines of ``units.txt``).
- ``make_quantity(...)``: magnitude + unit -> the plain dict a quantity fact stores.

What must stay true: article text never reaches pint's expression parser. Unit
expressions are assembled only from word-table entries and the operators added
here, and ``make_quantity`` refuses any unit string that is not a plain product
of known unit names (no numbers except small exponents), so "9**9**9 m" cannot
become a computation.
"""

from __future__ import annotations

import functools
import math
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from factx.normalize.numbers import round_significant
from factx.normalize.vocabulary import load

if TYPE_CHECKING:
    import pint

__all__ = ["registry", "lookup_unit", "make_quantity", "word_table", "context_words", "convert",
           "temperature_delta"]

_DEFINITIONS = "units.txt"

# Longest unit phrase worth looking at; anything longer is not a unit.
_MAX_WORDS_LEN = 80

# A unit expression we accept: unit names joined by *, / and parentheses, with
# single-digit exponents that cannot be chained ("** 9 ** 9" is refused).
_EXPR_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\*\*\s*-?[1-4](?!\s*\*\*))|(\*|/|\(|\)))")

# Rate words: "16 bcm annually" = bcm per year ("per ..." and "a ..." phrases have their own rules).
_RATE_ADVERBS = {phrase: period for period, phrases in load("measure_words")["rates"].items()
                 for phrase in phrases if " " not in phrase}

# "per capita" describes whom the value is divided among, not a unit: the caller
# records it; the unit is returned without it.
_PER_CAPITA = re.compile(r"\s+(?:per|a)\s+(?:capita|head|person)(?=\s|$)", re.IGNORECASE)
_PER = re.compile(r"^(?P<num>.+)\s+per\s+(?P<den>.+)$", re.IGNORECASE)
# "a"/"an"/"each"/"every" only make a rate with a time unit ("tonnes a day").
_A_TIME = re.compile(r"^(?P<num>.+?)\s+(?:a|an|each|every)\s+(?P<den>.+)$", re.IGNORECASE)
_SLASH = re.compile(r"^(?P<num>[^/]+?)\s*/\s*(?P<den>[^/]+)$")
_POWER_PREFIX = re.compile(r"^(?P<kind>square|sq\.?|cubic|cu\.?)\s*(?P<rest>.+)$", re.IGNORECASE)
# The power written after the length: "km squared", "metres cubed", "km^2", "ft^3".
_POWER_SUFFIX = re.compile(r"^(?P<rest>.+?)\s*(?:\s(?P<word>squared|cubed)|\^(?P<digit>[23]))$", re.IGNORECASE)
# A temperature level's unit -> the unit of a change of that many degrees.
_DELTAS = {"degree_Celsius": "delta_degree_Celsius", "degree_Fahrenheit": "delta_degree_Fahrenheit"}


@functools.cache
def registry() -> "pint.UnitRegistry":
    """Return the shared registry: pint's defaults plus factx's ``units.txt``."""
    import pint  # lazy: pint costs a noticeable import time

    ureg = pint.UnitRegistry()
    with resources.as_file(resources.files(__package__) / _DEFINITIONS) as path:
        ureg.load_definitions(str(path))
    return ureg


@functools.cache
def word_table() -> tuple[dict[str, str], dict[str, str]]:
    """Return the word table as (exact, case-folded) dicts of word -> expression.

    Read from the ``#>`` lines of ``units.txt``; pure text, no pint needed.
    Raises ValueError if the file is malformed, so a bad edit fails loudly in tests.
    """
    text = (resources.files(__package__) / _DEFINITIONS).read_text(encoding="utf-8")
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#>"):
            continue
        expr, sep, words = line[2:].partition(" : ")
        expr = expr.strip()
        if not sep or not _is_safe_expression(expr):
            raise ValueError(f"{_DEFINITIONS}:{number}: expected '#> <unit expression> : <words>'")
        for word in (w.strip() for w in words.split(",")):
            if not word:
                continue
            if exact.setdefault(word, expr) != expr:
                raise ValueError(f"{_DEFINITIONS}:{number}: {word!r} is listed twice")
            if len(word) >= 4:
                key = word.casefold()
                if folded.setdefault(key, expr) != expr:
                    raise ValueError(f"{_DEFINITIONS}:{number}: {word!r} clashes case-insensitively")
    return exact, folded


@functools.cache
def _context_table() -> dict[str, tuple[str, ...]]:
    text = (resources.files(__package__) / _DEFINITIONS).read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#%"):
            continue
        name, sep, words = line[2:].partition(" : ")
        if not sep or not name.strip():
            raise ValueError(f"{_DEFINITIONS}:{number}: expected '#% <name> : <word>, <word>, ...'")
        table[name.strip()] = tuple(w.strip() for w in words.split(",") if w.strip())
    return table


def context_words(name: str) -> tuple[str, ...]:
    """The words of a "#% name : ..." line of ``units.txt`` (context that decides how a unit
    word is read: "troy_metals", "short_ton_mining", ...); () for an unknown name."""
    return _context_table().get(name, ())


def temperature_delta(unit: str) -> str | None:
    """The unit of a temperature change for a temperature level's unit ("degree_Celsius" ->
    "delta_degree_Celsius"); None for any other unit."""
    return _DELTAS.get(unit)


def convert(magnitude: float, unit: str, to_unit: str) -> float | None:
    """``magnitude`` in ``unit`` expressed in ``to_unit`` (both strings from ``lookup_unit``);
    None when the two measure different things or one is an offset unit (degC)."""
    if unit == to_unit:
        return magnitude
    try:
        _, factor, base, dims = _conversion(unit)
        _, to_factor, to_base, to_dims = _conversion(to_unit)
    except ValueError:
        return None
    if factor is None or to_factor is None or base != to_base or dims != to_dims:
        return None
    return _round(magnitude * factor / to_factor)


@functools.lru_cache(maxsize=8192)
def lookup_unit(words: str) -> str | None:
    """Map unit words as written ("cubic meters per year") to a pint unit string.

    Returns ``str(pint.Unit)`` of the expression ("meter ** 3 / year"), or None
    for words the table does not know. "per capita" is dropped (the caller records
    it). Case matters for short symbols ("MT" is metric tonnes, "T" is nothing).
    """
    text = " ".join(words.split())
    if not text or len(text) > _MAX_WORDS_LEN:
        return None
    text = _PER_CAPITA.sub("", text)
    expr = _compound(text)
    if expr is None and "-" in text.strip("-"):  # "barrel-a-day", "tonnes-per-year" as one word
        expr = _compound(text.replace("-", " "))
    if expr is None:
        return None
    try:
        return str(registry().Unit(expr))
    except Exception:  # noqa: BLE001 - an impossible combination (offset unit / time) is just "unknown"
        return None


def make_quantity(magnitude: float, unit: str, magnitude_high: float | None = None) -> dict[str, Any]:
    """Build the value of a quantity fact, with its SI base form.

    ``unit`` is a unit string as returned by ``lookup_unit``. Raises ValueError for
    a unit that is not a plain expression of known unit names, or a non-finite
    magnitude.
    """
    if not _is_safe_expression(unit):
        raise ValueError(f"not a unit expression factx builds: {unit!r}")
    name, factor, base_unit, dimensionality = _conversion(unit)
    value: dict[str, Any] = {"magnitude": _round(magnitude), "unit": name}
    value["base_magnitude"] = _round(_to_base(magnitude, unit, factor))
    value["base_unit"] = base_unit
    value["dimensionality"] = dimensionality
    if magnitude_high is not None:
        value["magnitude_high"] = _round(magnitude_high)
        value["base_magnitude_high"] = _round(_to_base(magnitude_high, unit, factor))
    return value


@functools.lru_cache(maxsize=2048)
def _conversion(unit: str) -> tuple[str, float | None, str, str]:
    """(pint's name, factor to SI base or None for offset units such as degC, base unit,
    dimensionality), worked out once per unit: pint's parsing is the slow part."""
    ureg = registry()
    try:
        pint_unit = ureg.Unit(unit)
    except Exception as exc:  # noqa: BLE001 - pint raises several types for unknown names
        raise ValueError(f"unknown unit: {unit!r}") from exc
    one = ureg.Quantity(1.0, pint_unit)
    base = one.to_base_units()
    factor = float(base.magnitude) if one._is_multiplicative else None
    return str(pint_unit), factor, str(base.units), str(base.dimensionality)


def _to_base(magnitude: float, unit: str, factor: float | None) -> float:
    if factor is not None:
        return magnitude * factor
    return float(registry().Quantity(magnitude, unit).to_base_units().magnitude)


def _compound(text: str) -> str | None:
    """Words -> expression: a table entry, or a rate of two table entries."""
    simple = _simple(text)
    if simple is not None:
        return simple
    if (match := _PER.match(text)) is not None:
        # The last "per" splits: "kg per hectare per year" = (kg per hectare) / year.
        num, den = _compound(match["num"]), _simple(match["den"])
        return _divide(num, den)
    if (match := _SLASH.match(text)) is not None:
        return _divide(_simple(match["num"]), _simple(match["den"]))
    if (match := _A_TIME.match(text)) is not None:
        den = _simple(match["den"])
        if den is not None and dimensionality(den) == "[time]":
            return _divide(_compound(match["num"]), den)
        return None
    head, _, last = text.rpartition(" ")
    if head and last.lower() in _RATE_ADVERBS:
        return _divide(_compound(head), _RATE_ADVERBS[last.lower()])
    return None


def _simple(text: str) -> str | None:
    """One unit: a table word (maybe plural), or square/cubic + a length word."""
    text = text.strip()
    exact, folded = word_table()
    candidates = [text]
    if len(text) >= 4:
        if text.endswith("s"):
            candidates.append(text[:-1])
        if text.endswith("es"):
            candidates.append(text[:-2])
    for candidate in candidates:
        if candidate in exact:
            return exact[candidate]
        if len(candidate) >= 4 and candidate.casefold() in folded:
            return folded[candidate.casefold()]
    if (match := _POWER_PREFIX.match(text)) is not None:
        length = _simple(match["rest"])
        if length is not None and dimensionality(length) == "[length]":
            power = 2 if match["kind"].lower().startswith("s") else 3
            return f"({length}) ** {power}"
    if (match := _POWER_SUFFIX.match(text)) is not None:
        length = _simple(match["rest"])
        if length is not None and dimensionality(length) == "[length]":
            power = 2 if (match["word"] or "").lower() == "squared" or match["digit"] == "2" else 3
            return f"({length}) ** {power}"
    return None


def _divide(num: str | None, den: str | None) -> str | None:
    if num is None or den is None:
        return None
    return f"({num}) / ({den})"


def dimensionality(unit: str) -> str | None:
    """The dimensionality of a unit string ("[time]"), or None for one pint does not know."""
    try:
        return _conversion(unit)[3]
    except ValueError:
        return None


def _is_safe_expression(expr: str) -> bool:
    """True if ``expr`` is only unit names, * / ( ) and small single exponents."""
    pos = 0
    names = 0
    while pos < len(expr):
        match = _EXPR_TOKEN.match(expr, pos)
        if match is None or match.end() == pos:
            return expr[pos:].strip() == "" and names > 0
        names += match.group(1) is not None
        pos = match.end()
    return names > 0


def _round(value: float) -> float:
    """Rounded as every normalized number is; a magnitude must be finite."""
    if not math.isfinite(value):
        raise ValueError(f"magnitude must be finite, got {value!r}")
    return round_significant(value)
