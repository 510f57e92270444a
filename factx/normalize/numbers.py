"""Numbers as written in news text -> floats.

What this module owns:
- ``parse_number(text)``: the whole of ``text`` is one number ("1,100",
  "16 billion", "2.3bn", "twenty-five", "a third", "3 1/2", "2.998E-08").
- ``split_number(text)``: a number or numeric range at the start of ``text`` and
  the words after it ("10-15 km" -> (10, 15, "km")).

What must stay true: pure Python, no spaCy, no pint. Arithmetic is exact
(``fractions.Fraction``) until the final ``float``, so "2.3bn" is 2.3e9 and not
2299999999.9999995.

Reading rules (news English):
- Thousands separators: "," in groups of three ("1,100", "16,000,000"); spaces in
  groups of three ("16 000 000", also no-break and thin spaces).
- A single "." is always a decimal point ("1.500" is 1.5).
- Decimal comma, only where the pattern proves it: one comma followed by exactly
  one or two digits and nothing numeric after ("1,5", "12,25"); or dot-grouped
  thousands followed by a comma ("1.234,5"). Two or more dot groups
  ("1.234.567") are thousands. "1,500" stays one thousand five hundred.
- Scale words after a space (thousand, million, mln, lakh, crore, hundred, dozen, ...)
  and abbreviations attached to the digits (k, bn, T, ...): the tables of
  ``numbers.toml``. "m", "M", "b" and "B" are left in the rest: after a number they
  are as often metres or bytes as millions, so the money reader decides.
- Spelled numbers: "two", "twenty-five", "one hundred and five", "a dozen",
  "a hundred", "one million", "half", "a third", "two thirds", "three quarters",
  "one and a half million", "half a million". A bare "a"/"an" is not a number
  ("a decade" is the caller's), nor are vague plurals ("hundreds", "millions",
  "tens of thousands").
- Scientific notation: "2.998E-08", and a written power of ten "2.998×10−8",
  "6.02 x 10^23", "1.6×10⁻¹⁹" (superscripts or a Unicode minus).
- Ordinals and decades ("2nd", "1990s") are not numbers.
- Signs: leading "+", "-", "\u2212" (minus sign) or the word "minus".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from factx.normalize.vocabulary import load

__all__ = ["NUMBER_WORDS", "SCALES", "absurd_numerals", "parse_number", "round_significant", "split_number"]

# Digits, tried in order: the first alternative that matches wins, so the more
# specific shapes come first (E-notation before the plain decimal it starts with).
_NUMERAL = re.compile(
    r"""
      (?P<sci>\d+(?:\.\d+)?[eE][+-]?\d{1,3})(?![\w.])
    | (?P<times_mant>\d+(?:\.\d+)?)\s?[\u00d7xX*]\s?10(?P<times_exp>(?:\^|\*\*)[-+\u2212]?\d{1,3}|[-+\u2212]\d{1,3}|[\u207b\u207a]?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]{1,3})(?![\d.])
    | (?P<mixed_int>\d+)[ \u00a0-](?P<mixed_num>\d+)[/\u2044](?P<mixed_den>\d+)(?![\d/\u2044])
    | (?P<frac_num>\d+)[/\u2044](?P<frac_den>\d+)(?![\d/\u2044])
    | (?P<euro>\d{1,3}(?:\.\d{3})+,\d+)(?![\d.,])
    | (?P<dots>\d{1,3}(?:\.\d{3}){2,})(?![\d.,])
    | (?P<commas>\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?![\d,]|\.\d)
    | (?P<spaces>\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:\.\d+)?)(?![\d,/]|\.\d)
    | (?P<dcomma>\d+,\d{1,2})(?![\d,]|\.\d)
    | (?P<vulgar_int>\d*)(?P<vulgar>[\u00bc-\u00be\u2150-\u215e])
    | (?P<plain>\d+(?:\.\d+)?|\.\d+)(?![\d])
    """,
    re.VERBOSE,
)

# Superscript digits and signs of a written power of ten, and the minus sign (U+2212).
_EXPONENT_DIGITS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u207a\u2212",
                                 "0123456789-+-")

_WORDS = load("numbers")
# Scale words after a space ("3 lakh", "2.5 bln"), lower case -> value.
SCALES: dict[str, int] = _WORDS["scales"]
_ATTACHED_SCALES: dict[str, int] = _WORDS["attached_scales"]
_ATTACHED = re.compile("(%s)(?![A-Za-z])" % "|".join(sorted(_ATTACHED_SCALES, key=len, reverse=True)))
# Letters glued to digits that make an ordinal or a decade, not a number.
_NOT_A_NUMBER_SUFFIX = re.compile(r"(?:st|nd|rd|th|s)(?![A-Za-z])")

_SPACED = re.compile(r"\s+([A-Za-z]+)(?![A-Za-z])")

_SIGN = re.compile(r"([+\-\u2212])(?=[\d.\u00bc-\u00be\u2150-\u215e])|(minus)\s+", re.IGNORECASE)

_ONES = {word: value for value, word in enumerate(_WORDS["spelled"]["ones"])}
_TENS = {word: 10 * value for value, word in enumerate(_WORDS["spelled"]["tens"], 2)}
# Spelled numbers of one word: "zero" .. "nineteen", "twenty" .. "ninety".
NUMBER_WORDS: dict[str, int] = {**_ONES, **_TENS}
# Spelled scales multiply everything before them in their group ("two hundred thousand").
_WORD_SCALES = {word: SCALES[word] for word in _WORDS["spelled"]["group_scales"]}
_HALF_OF = {word: SCALES[word] for word in _WORDS["spelled"]["half_of"]}
_FRACTION_WORDS: dict[str, int] = _WORDS["fractions"]
_ARTICLES = set(_WORDS["spelled"]["articles"])
# Words of a spelled number are separated by spaces or a single hyphen ("twenty-five").
_SPELLED_WORD = re.compile(r"(?:\s+|\s*-\s*)?([A-Za-z]+)(?![A-Za-z])")

_RANGE_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")
_RANGE_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
_RANGE_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_BETWEEN = re.compile(r"between\s+", re.IGNORECASE)
# "10-km race": the hyphen glues number and unit; it is not part of the unit.
_LEADING_HYPHEN = re.compile(r"^-(?=[^\W\d_])")


# Beyond any figure in news and near the end of the float range.
_LARGEST = Fraction(10) ** 300
# A numeral longer than this is no figure (10**300 has 301 digits); reading it would also
# trip Python's 4,300-digit limit on int().
_MAX_NUMERAL_CHARS = 320
# A power written after a numeral: "9**9**9", "1e999999", "10^999999". Read as a figure,
# the numeral before it would be silently wrong (9, 1, 10), so the number is not read.
# (E-notation and "x 10^23" with up to three exponent digits are read by _NUMERAL first.)
_POWER_FOLLOWS = re.compile(r"(?:\*\*?|\^|[eE][+-]?(?=\d)|[\u00d7xX]10(?:\^|\*\*))")
# What `absurd_numerals` counts: digit runs too long to read, and powers past E-notation.
_ABSURD = re.compile(r"(?<!\d)\d{%d,}|\d(?:[eE][+-]?|\^[-+]?|\*\*[-+]?)\d{4,}|\d\*\*\d+\*\*\d" % (_MAX_NUMERAL_CHARS + 1))


def absurd_numerals(text: str) -> int:
    """How many numerals in `text` are too long or too large to be read as a figure
    (linear in the text; the caller reports them, since they yield no fact)."""
    return sum(1 for _ in _ABSURD.finditer(text))


@dataclass(frozen=True)
class _Number:
    """A number read at some position: value, end offset, and its scale word if any."""

    value: Fraction
    end: int
    # The trailing scale word's factor ("15 billion" -> 10**9) and the value before
    # it (15), so a range can decide whether the scale also applies to its low end.
    scale: int | None = None
    unscaled: Fraction | None = None


def parse_number(text: str) -> float | None:
    """Return the number that ``text`` consists of, or None if it is not exactly one number."""
    stripped = text.strip()
    number = _number_at(stripped, 0)
    if number is None or number.end != len(stripped):
        return None
    return float(number.value)


def split_number(text: str) -> tuple[float, float | None, str] | None:
    """Read a number or range at the start of ``text``: (low, high or None, rest).

    Ranges: "10-15", "3.0 - 4.0", "10 to 15", "between 5 and 7". A scale word on
    the high end only ("10 to 15 billion") applies to both ends when that keeps
    low <= high, otherwise only to the high end ("200 to 4 million"). A range
    whose ends still run downwards ("2020-21", a score "10-5") is not a range:
    the low number is returned with the rest of the text. ``rest`` is stripped.
    """
    stripped = text.strip()
    between = _BETWEEN.match(stripped)
    pos = between.end() if between else 0
    low = _number_at(stripped, pos)
    if low is None:
        return None
    separators = (_RANGE_AND,) if between else (_RANGE_DASH, _RANGE_TO)
    for separator in separators:
        sep = separator.match(stripped, low.end)
        if sep is None:
            continue
        high = _number_at(stripped, sep.end())
        if high is None:
            continue
        low_value = low.value
        if low.scale is None and high.scale is not None and high.unscaled is not None:
            if low.value <= high.unscaled:
                low_value = low.value * high.scale
        if low_value <= high.value:
            return float(low_value), float(high.value), _rest(stripped, high.end)
    if between:
        return None  # "between 5" without its other end is not something we can read
    return float(low.value), None, _rest(stripped, low.end)


def _rest(text: str, end: int) -> str:
    return _LEADING_HYPHEN.sub("", text[end:].strip())


def _number_at(text: str, pos: int) -> _Number | None:
    negative = False
    sign = _SIGN.match(text, pos)
    if sign is not None:
        negative = sign.group(1) in ("-", "\u2212") or sign.group(2) is not None
        pos = sign.end()
    number = _digits_at(text, pos) or _spelled_at(text, pos)
    if number is not None and abs(number.value) > _LARGEST:
        return None  # "1e999" is no news figure, and no float holds it
    if number is None or not negative:
        return number
    unscaled = -number.unscaled if number.unscaled is not None else None
    return _Number(-number.value, number.end, number.scale, unscaled)


def _digits_at(text: str, pos: int) -> _Number | None:
    match = _NUMERAL.match(text, pos)
    if match is None or match.end() - match.start() > _MAX_NUMERAL_CHARS:
        return None
    end = match.end()
    if _POWER_FOLLOWS.match(text, end):
        return None
    value = _numeral_value(match)
    if _NOT_A_NUMBER_SUFFIX.match(text, end):
        return None
    attached = _ATTACHED.match(text, end)
    if attached is not None:
        scale = _ATTACHED_SCALES[attached.group(1)]
        return _Number(value * scale, attached.end(), scale, value)
    spaced = _SPACED.match(text, end)
    if spaced is not None:
        word = spaced.group(1)
        scale = SCALES.get(word.lower())
        # Words may be capitalised ("Million", "BILLION"); abbreviations must be lower case
        # ("bn" yes, "BN"/"Mn" no: those are more often names than scales).
        if scale is not None and (word.islower() or (len(word) > 3 and (word.istitle() or word.isupper()))):
            return _Number(value * scale, spaced.end(), scale, value)
    return _Number(value, end)


def _numeral_value(match: re.Match[str]) -> Fraction:
    groups = match.groupdict()
    if groups["sci"]:
        return Fraction(groups["sci"])
    if groups["times_mant"]:  # "2.998×10−8", "6.02 x 10^23", "1.6×10⁻¹⁹"
        exponent = int(groups["times_exp"].lstrip("^*").translate(_EXPONENT_DIGITS))
        return Fraction(groups["times_mant"]) * Fraction(10) ** exponent
    if groups["mixed_int"]:
        return int(groups["mixed_int"]) + _fraction(groups["mixed_num"], groups["mixed_den"])
    if groups["frac_num"]:
        return _fraction(groups["frac_num"], groups["frac_den"])
    if groups["euro"]:
        return Fraction(groups["euro"].replace(".", "").replace(",", "."))
    if groups["dots"]:
        return Fraction(groups["dots"].replace(".", ""))
    if groups["commas"]:
        return Fraction(groups["commas"].replace(",", ""))
    if groups["spaces"]:
        return Fraction(re.sub(r"[ \u00a0\u2009\u202f]", "", groups["spaces"]))
    if groups["dcomma"]:
        return Fraction(groups["dcomma"].replace(",", "."))
    if groups["vulgar"]:
        whole = int(groups["vulgar_int"]) if groups["vulgar_int"] else 0
        return whole + Fraction(unicodedata.numeric(groups["vulgar"])).limit_denominator(16)
    return Fraction(groups["plain"])


def _fraction(numerator: str, denominator: str) -> Fraction:
    # "1/0" is not a number; Fraction would raise ZeroDivisionError.
    den = int(denominator)
    return Fraction(int(numerator), den) if den else Fraction(0)


def _spelled_at(text: str, pos: int) -> _Number | None:
    """Read spelled words ("twenty-five", "a third", "one and a half million")."""
    words: list[tuple[str, int]] = []  # (lower-case word, end offset)
    cursor = pos
    while len(words) < 16:
        match = _SPELLED_WORD.match(text, cursor)
        if match is None or (not words and match.start(1) != pos):
            break
        words.append((match.group(1).lower(), match.end()))
        cursor = match.end()
    if not words:
        return None

    first = words[0][0]
    second = words[1][0] if len(words) > 1 else ""
    # "a third", "two thirds", "three quarters", "one half"
    if second in _FRACTION_WORDS and (first in _ARTICLES or 0 < _ONES.get(first, 0) < 10):
        numerator = 1 if first in _ARTICLES else _ONES[first]
        return _Number(Fraction(numerator, _FRACTION_WORDS[second]), words[1][1])
    # "half", "half a million", "half a dozen"
    if first == "half":
        third = words[2][0] if len(words) > 2 else ""
        if second in _ARTICLES and third in _HALF_OF:
            scale = _HALF_OF[third]
            return _Number(Fraction(scale, 2), words[2][1], scale, Fraction(1, 2))
        return _Number(Fraction(1, 2), words[0][1])

    integer = _spelled_integer(words)
    if integer is None:
        return None
    value, used, scale, unscaled = integer
    # "one and a half", "two and a half million"
    # ("a million and a half" is left alone: half of what is unclear.)
    if scale is None and [w for w, _ in words[used : used + 3]] == ["and", "a", "half"]:
        value += Fraction(1, 2)
        end = words[used + 2][1]
        used += 3
        scale = unscaled = None
        if used < len(words) and words[used][0] in _WORD_SCALES:
            scale = _WORD_SCALES[words[used][0]]
            unscaled = value
            value *= scale
            end = words[used][1]
        return _Number(value, end, scale, unscaled)
    return _Number(value, words[used - 1][1], scale, unscaled)


def _spelled_integer(words: list[tuple[str, int]]) -> tuple[Fraction, int, int | None, Fraction | None] | None:
    """Longest spelled integer at the start of ``words``: (value, words used, scale, unscaled)."""
    total = 0
    current = 0
    previous: str | None = None  # kind of the last word read
    best: tuple[Fraction, int, int | None, Fraction | None] | None = None
    best_scale: int | None = None
    best_unscaled: Fraction | None = None
    for index, (word, _) in enumerate(words):
        following = words[index + 1][0] if index + 1 < len(words) else ""
        if word in _ARTICLES and previous is None:
            current, kind = 1, "article"
        elif word in _ONES and (previous in (None, "hundred", "scale", "and") or (previous == "tens" and 0 < _ONES[word] < 10)):
            current, kind = current + _ONES[word], "ones"
        elif word in _TENS and previous in (None, "hundred", "scale", "and"):
            current, kind = current + _TENS[word], "tens"
        elif word == "hundred" and previous in ("article", "ones", "tens") and 0 < current < 100:
            current, kind = current * 100, "hundred"
        elif word == "dozen" and previous in ("article", "ones", "tens"):
            current, kind = current * 12, "dozen"
        elif word in _WORD_SCALES and previous in ("article", "ones", "tens", "hundred", "dozen") and current > 0:
            scale = _WORD_SCALES[word]
            if total == 0:  # the only scale so far: remember it for range reading
                best_scale, best_unscaled = scale, Fraction(current)
            else:
                best_scale, best_unscaled = None, None
            total, current, kind = total + current * scale, 0, "scale"
        elif word == "and" and previous in ("hundred", "scale") and (following in _ONES or following in _TENS):
            kind = "and"
        else:
            break
        previous = kind
        if kind in ("article", "and"):
            continue  # "a" or "and" alone ends nothing: wait for the next word
        if kind == "scale":
            best = (Fraction(total), index + 1, best_scale, best_unscaled)
        else:
            best = (Fraction(total + current), index + 1, None, None)
    return best


# Significant digits kept in every normalized number: enough for any news figure, few
# enough to hide binary noise (1.1e6 instead of 1100000.0000000002).
SIGNIFICANT_DIGITS = 12


def round_significant(value: float) -> float:
    """``value`` to ``SIGNIFICANT_DIGITS``: the one rounding of amounts, magnitudes and
    compared values (money, quantities, conflicts)."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
