"""Find written dates in plain text by a grammar: the forms news, e-mail and web pages use.

Pure and spaCy-free: `find_dates(text)` returns character spans (`text[start:end]` is the
expression) that `factx.normalize.dates.resolve_date` can read. The `factx_dates`
component adds these to the small model's DATE entities and lets them fix the model's
edges.

What must stay true
- Matching is linear: a handful of regular expressions compiled once at import, run over
  the text once each, with no nested unbounded repeats.
- Weekday names and a month before a year must be capitalized ("May 2016", "MAY 2016");
  a month next to a day number may be lower case ("3 oct. 2016", "december 6") except
  "may", "march" and "mar", which are verbs far more often than months.
- A bare number never becomes a date here except a four-digit year inside a list or range
  of years ("2011, 2014 and 2018", "from 2011 to 2016"); the model's DATE entities bring
  the rest.

Forms (each may carry a time of day, which keeps the day: "July 17, 2018 at 3 p.m.")
- month-day: "Wednesday Mar 4, 2015", "Mar. 4", "August 4th", "june 23 2019"
- day-month: "3 oct. 2016", "21st Feb", "the 12th of March", "Wed 25 Jun 2018",
  "17. Aug 2014", "28Nov2016"
- weekday with a day: "Sunday 17th", "Fri 5/27 2:00pm"; a weekday alone with or without a
  time ("Friday", "Wed at 3 p.m.")
- numeric: "17/Jun/2019", "6/17/2019", "17.06.2019", "2019-06-17", "2022-12-27T09:15:01",
  "7/2018"
- month-year: "Aug 2017", "August of 2017"
- named days: the `[holidays]` of date_words.txt ("Thanksgiving", "Labor Day weekend",
  "Christmas 2015")
- ranges: "March 3-17", "October 28-November 9", "3-5 May", "between June 2 and August
  30", "from 2011 to 2016", "May 1, 1985, to January 31, 1986"
- lists of years: "2011, 2014 and 2018" gives one span per year (kind "item")
- narrative anaphors: "the previous year", "a year earlier", "the same month", "that
  year", "later that month", "the 12th of the same month", "the same month a year
  earlier", "the same period last year" (kind "anaphor")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factx.normalize.dates import MONTHS, WEEKDAYS, DAY_ORDINALS, WORDS

__all__ = ["Found", "find_dates"]


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # date | range | item | holiday | anaphor


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _cased(words) -> list[str]:
    return [f for w in words for f in (w.capitalize(), w.upper())]


def _names(table: dict[str, int], words: list[str]) -> str:
    """An alternation of `words` in which only abbreviations may take a dot ("Wed.",
    "Sept."): the dot after a full name ("on Tuesday.") ends the sentence."""
    full = {max((w for w in table if table[w] == n), key=len) for n in set(table.values())}
    abbr = [w for w in words if w.lower() not in full]
    whole = [w for w in words if w.lower() in full]
    return (r"(?:(?:" + _alt(abbr) + r")(?:\.|(?![A-Za-z]))|(?:" + _alt(whole)
            + r")(?![A-Za-z]))")


_MON = r"\b" + _names(MONTHS, _cased(MONTHS))
# day-first with a digit before: any case, but "may"/"march" need their capital
_MON_ANY = _names(MONTHS, _cased(MONTHS) + [m for m in MONTHS
                                              if m not in ("may", "march", "mar")])
_MON_ABBR = r"(?:" + _alt(_cased(m for m in MONTHS if len(m) == 3)
                          + [m for m in MONTHS if len(m) == 3 and m != "may"]) + r")"
_WD = r"\b" + _names(WEEKDAYS, _cased(WEEKDAYS))
# a weekday alone: full names, and abbreviations that are no common word ("Sun", "Sat")
_WD_ALONE = r"\b" + _names(WEEKDAYS, _cased(w for w in WEEKDAYS if w not in ("sun", "sat", "mon")))
_DAY = r"(?<![\d.,/$£€])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%])"
_DAY_AFTER = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%:,.]\d|\d|%)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
# "p.m." keeps its last dot; "pm." at a sentence's end leaves the full stop outside
_MERIDIEM = r"\s?[aApP](?:\.\s?[mM]\b\.?|\s?[mM]\b)"
_CLOCK = (r"(?:\d{1,2}(?:[:.]\d\d){0,2}" + _MERIDIEM + r"|\d{1,2}:\d\d(?::\d\d)?(?:" + _MERIDIEM
          + r")?|\d{1,2}h(?:\d\d)?\b|\d{1,2}\s+o'clock|noon|midnight)(?:\s+(?:[ECMP][SD]T|GMT|UTC|ET)\b)?")
_WD_LEAD = r"(?:" + _WD + r",?\s+)?"
_TIME_TAIL = r"(?:,?\s+(?:at\s+)?" + _CLOCK + r")?"
_TIME_LEAD = r"(?:" + _CLOCK + r"\s+on\s+)?"

# "December 6" in lower case too, but never "may 5" or "march 3" (verbs)
_MONTH_DAY = r"\b" + _MON_ANY + r"\s+" + _DAY_AFTER + r"(?:,?\s+" + _YEAR + r")?"
# "3 oct. 2016", "17. Aug 2014" (the European ordinal dot), "28Nov2016", "10NOV"
_DAY_MONTH = (r"(?:the\s+)?" + _DAY + r"(?:\s+of\s+|\s+|(?=[A-Za-z]{3}))" + _MON_ANY
              + r"(?:,?\s*" + _YEAR + r")?"
              # the dotted form only with a year or a time after it ("rose 3. March sales")
              + "|" + _DAY + r"\.\s*" + _MON_ANY + r"(?:,?\s*" + _YEAR + r"|(?=,?\s+" + _CLOCK
              + "))")
# "Sunday 17th", "Friday, 23rd", "Tuesday 11." (a bare number needs punctuation after it:
# "Friday 14 people" is a count); "Fri 5/27", "on Wednesday 31/1": the weekday picks the
# reading
_WD_DAY = (_WD + r",?\s+(?:the\s+)?(?:(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?![\w])"
           r"|(?:3[01]|[12]\d|0?[1-9])(?=\s*(?:[.,;:)!?]|$))"
           r"|\d{1,2}[/.]\d{1,2}\.?(?![\d/]|\.\d))")
_NUMERIC = (r"(?<![\d/.\-])(?:\d{1,2}/\d{1,2}/(?:\d{4}|\d\d)|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d\d(?!\.\d))"
            r"|\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
            r"|\d{4}/\d\d/\d\d|\d{1,2}[/-]" + _MON_ABBR + r"[/-](?:\d{4}|\d\d)"
            r"|(?:0?[1-9]|1[0-2])/(?:19|20)\d\d)(?![\d/]|-\d)")
_MONTH_YEAR = _MON + r",?\s+(?:of\s+)?" + _YEAR

_HOLIDAY_NAMES = [n.strip() for line in WORDS["holidays"]
                  for n in line.split("|")[0].split(",")]
_HOLIDAY = (r"\b(?i:" + "|".join(re.escape(n).replace("'", "['\u2019]?").replace(r"\ ", r"\s+")
                                for n in sorted(_HOLIDAY_NAMES, key=len, reverse=True))
            + r")(?![\w'])(?:,?\s+(?:of\s+)?" + _YEAR + ")?")

_ONE_DAY = r"(?:" + _MONTH_DAY + "|" + _DAY_MONTH + "|" + _NUMERIC + ")"
# Each pattern opens with a word boundary and a look at the first character its forms can
# start with: the engine then tries the long alternations only at a few places (5-8x
# faster on newswire than trying them at every character).
_SINGLE = re.compile(r"\b(?=[0-9A-Zadfjlmnost])(?:" + _TIME_LEAD + _WD_LEAD + _ONE_DAY
                     + _TIME_TAIL + "|" + _MONTH_YEAR + "|" + _TIME_LEAD + _WD_DAY + _TIME_TAIL
                     + "|" + _TIME_LEAD + r"(?:(?:this|next|last)\s+)?" + _WD_ALONE
                     + _TIME_TAIL + ")")
_HOLIDAY_RE = re.compile(r"\b(?=[A-Zt])" + _HOLIDAY)

_DASH = r"\s*(?:[-\u2013\u2014]|to|through|thru|until|till)\s*"
_END = r"(?:" + _ONE_DAY + "|" + _MONTH_YEAR + "|" + _MON + "|" + _YEAR + "|" + _HOLIDAY + ")"
_RANGE = re.compile(
    r"\b(?=[0-9A-Zabdfjmnost])(?:" + _MON + r"\s+" + _DAY + _DASH + r"(?:" + _MON + r"\s+)?" + _DAY_AFTER
    + r"(?:,?\s+" + _YEAR + r")?"
    + "|" + _DAY + r"\s*(?:[-\u2013\u2014]|to)\s*" + _DAY + r"\s+(?:of\s+)?" + _MON_ANY
    + r"(?:,?\s+" + _YEAR + r")?"
    + r"|\b[Bb]etween\s+" + _END + r"\s+and\s+" + _END
    + r"|\b[Ff]rom\s+" + _END + r",?\s+(?:to|until|till|through|thru)\s+" + _END
    + "|" + _ONE_DAY + _TIME_TAIL + r",?" + _DASH + _ONE_DAY + _TIME_TAIL + ")")
_YEAR_LIST = re.compile(r"(?=[12])(?<![\d,.$£€])" + _YEAR + r"(?:,\s+" + _YEAR + r")*,?\s+(?:and|or)\s+"
                        + _YEAR)
_YEAR_ITEM = re.compile(_YEAR)

_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_ORD = r"(?:\d{1,2}(?:st|nd|rd|th)|" + _alt(DAY_ORDINALS) + ")"
_ANAPHOR = re.compile(
    r"\b(?i:(?:the\s+)?same\s+(?:month|quarter|week|day|period)\s+(?:(?:a|one)\s+year\s+"
    r"(?:earlier|ago|before)|last\s+year|the\s+(?:previous|prior)\s+year|the\s+year\s+before)"
    r"|(?:the\s+)?(?:previous|preceding|prior|following|same)\s+(?:year|month|week|day|quarter)"
    r"|(?:later|earlier)\s+(?:in\s+)?that\s+(?:year|month|week)"
    r"|that\s+(?:year|month)"
    # "a month earlier than usual" is a difference, not a date
    r"|" + _NUM + r"\s+(?:years?|months?|weeks?|days?|quarters?)\s+(?:earlier|later)"
    r"(?!\s+than\b)"
    r"|the\s+" + _ORD + r"\s+of\s+(?:the\s+same|that)\s+month)\b")
# every anaphor holds one of these words: the anaphor pattern runs only around them
_UNIT_WORD = re.compile(r"(?i:year|month|week|day|quarter|period)")
_AROUND = 48  # characters either side of a unit word that an anaphor can span


def find_dates(text: str) -> list[Found]:
    """Date expressions in `text`, left to right, without overlaps: at each place the
    longest match wins (a range over its ends, a date over a holiday inside it)."""
    found: list[Found] = []
    for kind, pattern in (("range", _RANGE), ("date", _SINGLE), ("holiday", _HOLIDAY_RE)):
        for m in pattern.finditer(text):
            if kind == "holiday" and not _capital(text, m.start(), m.end()):
                continue
            found.append(Found(m.start(), m.end(), kind))
    for lo, hi in _windows(text):
        found.extend(Found(m.start(), m.end(), "anaphor") for m in _ANAPHOR.finditer(text, lo, hi))
    for m in _YEAR_LIST.finditer(text):
        found.extend(Found(y.start(), y.end(), "item")
                     for y in _YEAR_ITEM.finditer(text, m.start(), m.end()))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Found] = []
    for f in found:  # leftmost, then longest
        if not out or f.start >= out[-1].end:
            out.append(f)
    return out


def _windows(text: str) -> list[tuple[int, int]]:
    """Disjoint stretches of `text` around its unit words (see _UNIT_WORD)."""
    out: list[tuple[int, int]] = []
    for m in _UNIT_WORD.finditer(text):
        lo, hi = max(0, m.start() - _AROUND), min(len(text), m.end() + _AROUND)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _capital(text: str, start: int, end: int) -> bool:
    """Named days are proper names: "Thanksgiving", not "thanksgiving"."""
    word = text[start:end]
    return word[:1].isupper() or word.lower().startswith("the ") and word[4:5].isupper()
