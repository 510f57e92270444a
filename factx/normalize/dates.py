"""Resolve a DATE span's words to the calendar period they name (CONTRACT section 2).

Pure and spaCy-free: text in, :class:`DateValue` out, standard library only.

What must stay true
- ``start``/``end`` are *inclusive* ISO dates and ``start <= end``.
- A value is the period the words name. A leading "since/until/by/before/after" (in the
  text or passed as ``preceding``) never changes that period; it only adds ``relation`` and
  the implied open range ``range_start``/``range_end``.
- Relative expressions are resolved against the document date D and get
  ``anchored=True``; without D they still return a value with ``start=end=None``.
- Bare durations ("10 days", "a decade", "three-year") and anything unparseable give None,
  and ``is_duration(t)`` implies ``resolve_date(t) is None``.

Rules where the words allow more than one reading
- Centuries follow the popular and TimeML convention: "the 19th century" is
  1800-01-01..1899-12-31; "the 1800s"/"the 1900s" are centuries, but "the 2000s" is a decade.
- Decade parts: early = years 0-3, mid = 4-6, late = 7-9 ("the mid-1970s" is 1974..1976),
  grain decade. Century parts: years 0-32, 33-66, 67-99. Year parts are quarters
  ("the end of this year" = Q4, "mid-2021" = Q2..Q3), grain quarter. Month parts: days
  1-10, 11-20, 21-end. Week parts: Mon-Tue, Wed-Thu, Fri-Sun.
- "the first/second half of <month>" is days 1-15 / 16-end, grain half (half of the
  named period).
- "the last week of <month>" is the month's last seven days (Feb 2022: 22..28), grain week;
  "the first/second/... week of <month>" is days 1-7, 8-14, ...
- Weeks are ISO weeks (Monday..Sunday). "this/last/next <unit>" are the calendar unit
  holding D and its neighbours ("last week" = "the last week" = the previous ISO week,
  "next decade" = the 2030s in 2022). "the past week", "the past/last N <units>" and
  "the next N <units>"/"within N <units>" are windows of N units ending (or starting) on
  D, grain the unit: "the past two years" on 2022-02-06 is 2020-02-07..2022-02-06.
- "the end of the year" (no "this") is this year's end, unless the tense says otherwise:
  in a past-tense clause a part not yet begun on D is last year's ("peaked by the end of
  the year" in March: last Q4), in a future-tense clause a part already over is next
  year's. "the end of this year" always means this year. The same holds for month,
  week, quarter, decade and century.
- Approximators before a date ("just six years ago", "nearly two years ago", "some
  time in 2012") do not change it.
- `is_window` marks counted windows ("the past two years", "within 10 days", "over the
  next decade"), which TimeML annotates as durations; `resolve_date` still ranges them,
  and the `factx_dates` component does not make them date facts.
- "earlier this year" = Jan 1..D and "later this month" = D..month end, grain the unit.
  A weekend is Saturday..Sunday, grain week.
- "N <units> ago" / "in N <units>" / "N <units> from now": the <unit> period holding D
  moved by N ("two years ago" in 2022 is the year 2020; "three weeks ago" an ISO week).
- Seasons are northern meteorological: spring Mar-May, summer Jun-Aug, autumn/fall Sep-Nov,
  winter Dec-Feb; "winter 2021" is the winter whose January is in 2021 (Dec 2020..Feb 2021).
- Names without a year pick their occurrence from D and the ``tense`` hint:
  past = the latest one starting on or before D; future = the first one not yet over on D.
  With no tense: month, quarter, half and season names take D's year, weekdays the nearest
  on or before D, and a day ("Feb. 6") the nearest occurrence to D. D itself counts
  ("Friday" in a Friday article is that day, as TempEval-3 annotates it).
  "last <name>" = the latest occurrence over before D; "next <name>" = the first starting
  after D; "this <name>" = the one holding D, else as with no modifier.
- Two-digit decades ("the '90s", "the twenties") are the latest such decade already over
  by D ("the '10s" in 2022 = the 2010s, "the '20s" = the 1920s); 1900s without D.
- Ranges ("from 2014 to 2016", "2014-16", "between April and June") span both ends; the
  grain is the ends' grain, or the finer one when they differ. A year-less end takes its
  year from the other end. "YYYY-NN" is a year range when NN is later than YYYY's last two
  digits ("2014-16"), else an ISO month ("2022-02").
- Vague references ("recent years", "recently", "now", "the past") give None.
- "fiscal 2022" / "FY2022" / "this fiscal year" are read as calendar years (no fiscal
  calendar is known).
"""

from __future__ import annotations

# Results come out weeks after the period they report ends (a quarter's within about
# three months): how long after its end a period is still the current one.
REPORTING_DAYS = 100

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from factx.facts import GRAINS
from factx.normalize.numbers import NUMBER_WORDS, SCALES
from factx.normalize.vocabulary import singular

__all__ = ["GRAINS", "DateValue", "resolve_date", "is_duration", "is_window"]


@dataclass(frozen=True)
class DateValue:
    start: str | None
    end: str | None
    grain: str
    anchored: bool
    relation: str | None = None
    range_start: str | None = None
    range_end: str | None = None

    def as_dict(self) -> dict:
        out: dict = {"start": self.start, "end": self.end, "grain": self.grain,
                     "anchored": self.anchored}
        if self.relation is not None:
            out.update(relation=self.relation, range_start=self.range_start,
                       range_end=self.range_end)
        return out


# --------------------------------------------------------------------------- vocabulary

def _read_words() -> dict[str, list[str]]:
    """The sections of `date_words.txt` (its header gives the syntax), read once."""
    from importlib import resources

    sections: dict[str, list[str]] = {}
    current: list[str] = []
    text = resources.files("factx.normalize").joinpath("date_words.txt").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            current.append(line)
    return sections


def _numbered(lines: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in lines:
        names, _, number = line.rpartition("=")
        for name in names.split():
            out[name] = int(number)
    return out


WORDS = _read_words()
MONTHS = _numbered(WORDS["months"])
WEEKDAYS = _numbered(WORDS["weekdays"])
DAY_ORDINALS = _numbered(WORDS["ordinals"])
TIME_NOUNS = frozenset(" ".join(WORDS["time nouns"]).split())
ERA_NOUNS = frozenset(" ".join(WORDS["era nouns"]).split())
_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
            "winter": "winter"}
# Counts of units a date expression spells ("two years ago", "a decade earlier"): the
# number reader's words from one up, "a"/"an" and "hundred".
_NUMBERS = {"a": 1, "an": 1, **{word: value for word, value in NUMBER_WORDS.items() if value},
            "hundred": SCALES["hundred"]}
_ORDINALS = {
    "first": 1, "1": 1, "second": 2, "2": 2, "third": 3, "3": 3, "fourth": 4, "4": 4,
    "fifth": 5, "5": 5, "last": -1, "final": -1,
}
_CENTURY_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
    "twenty-second": 22,
}
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}

# "through"/"till" mean "until" (CONTRACT 2 names five relations).
_RELATION_WORDS = {
    "since": "since", "until": "until", "till": "until", "til": "until", "through": "until",
    "thru": "until", "up to": "until", "up until": "until", "by": "by", "before": "before",
    "prior to": "before", "after": "after",
}



def _holiday_rule(rule: str, around: str | None) -> Callable[[int], tuple[date, date]]:
    """A year -> (first, last day) function for one `[holidays]` rule of date_words.txt."""
    from dateutil.easter import easter
    from dateutil.relativedelta import relativedelta, weekday

    words = rule.split()
    shift = int(words.pop()) if words[-1][0] in "+-" else 0
    if words[0] == "easter":
        def day(y: int) -> date:
            return easter(y)
    elif len(words) == 2:
        mon, dom = MONTHS[words[0]], int(words[1])

        def day(y: int) -> date:
            return date(y, mon, dom)
    else:
        nth, wd, mon = words[0], weekday(WEEKDAYS[words[1]]), MONTHS[words[2]]
        if nth == "last":
            step = relativedelta(month=mon, day=31, weekday=wd(-1))
        else:
            step = relativedelta(month=mon, day=1, weekday=wd(int(nth)))

        def day(y: int) -> date:
            return date(y, 1, 1) + step
    lo, hi = (int(x) for x in around.split("..")) if around else (0, 0)

    def occurrence(y: int) -> tuple[date, date]:
        d = day(y) + timedelta(days=shift)
        return d + timedelta(days=lo), d + timedelta(days=hi)
    return occurrence


def _holidays() -> dict[str, tuple[Callable[[int], tuple[date, date]], str]]:
    out = {}
    for line in WORDS["holidays"]:
        names, rule, *around = (part.strip() for part in line.split("|"))
        occ = _holiday_rule(rule, around[0] if around else None)
        for name in names.split(","):
            out[_normalize(name)] = (occ, "week" if around else "day")
    return out


_MONTH_RE = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY_RE = "(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + ")"
_SEASON_RE = "(" + "|".join(_SEASONS) + ")"
_NUM_RE = (r"(\d+|(?:" + "|".join(sorted(_NUMBERS, key=len, reverse=True))
           + r")(?:-(?:" + "|".join(word for word, value in NUMBER_WORDS.items() if 0 < value < 10) + "))?)")
_UNIT_RE = r"(days?|weeks?|fortnights?|months?|quarters?|years?|decades?|century|centuries)"

_DURATION_RE = re.compile(
    r"^(?:(?:about|around|nearly|almost|over|some|roughly|approximately|at least|up to|"
    r"more than|less than|fewer than|the|just|only|a mere|mere|barely|fully|another|"
    r"an additional|a further)\s+)*"
    r"(?:" + _NUM_RE + r"|several|a few|few|many|a couple of|couple of|a couple)"
    r"(?:\s+and\s+a\s+half)?[\s-]+"
    r"(?:days?|weeks?|fortnights?|months?|quarters?|years?|decades?|century|centuries|"
    r"hours?|minutes?|seconds?)(?:\s+long)?$"
    # a bare plural unit: "years", "for decades" after the preposition is stripped
    r"|^(?:days|weeks|months|years|decades|centuries|hours|minutes|seconds)$"
)


# --------------------------------------------------------------------------- helpers

@dataclass(frozen=True)
class _P:
    """A period in progress: dates may be None when D was needed but not given."""
    start: date | None
    end: date | None
    grain: str
    anchored: bool = False   # resolved against the document date
    inferred: bool = False   # year/occurrence was chosen, not written


@dataclass(frozen=True)
class _Ctx:
    doc_date: date | None
    tense: str | None
    reference: DateValue | None = None  # the narrative's time (see resolve_date)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _months_span(y: int, m: int, count: int) -> tuple[date, date]:
    start = date(y, m, 1)
    last = _add_months(start, count - 1)
    return start, _month_end(last.year, last.month)


def _unit_period(unit: str, d: date, n: int = 0) -> tuple[date, date]:
    """The calendar `unit` holding `d`, moved by `n` units."""
    if unit == "day":
        x = d + timedelta(days=n)
        return x, x
    if unit == "week":
        monday = d - timedelta(days=d.weekday()) + timedelta(weeks=n)
        return monday, monday + timedelta(days=6)
    if unit == "fortnight":
        return _unit_period("week", d, 2 * n)
    if unit in ("month", "quarter", "half"):
        size = {"month": 1, "quarter": 3, "half": 6}[unit]
        first = date(d.year, (d.month - 1) // size * size + 1, 1)
        first = _add_months(first, n * size)
        return _months_span(first.year, first.month, size)
    size = {"year": 1, "decade": 10, "century": 100}[unit]
    y0 = d.year // size * size + n * size
    return date(y0, 1, 1), date(y0 + size - 1, 12, 31)


def _shift(d: date, unit: str, n: int) -> date:
    if unit == "day":
        return d + timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + timedelta(weeks=n * (2 if unit == "fortnight" else 1))
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120,
              "century": 1200}[unit]
    return _add_months(d, n * months)


def _unit_norm(word: str) -> str:
    return singular(word.lower())


def _unit_grain(unit: str) -> str:
    return "week" if unit == "fortnight" else unit


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if "-" in word:
        tens, _, ones = word.partition("-")
        if tens in _NUMBERS and ones in _NUMBERS and _NUMBERS[tens] >= 20:
            return _NUMBERS[tens] + _NUMBERS[ones]
        return None
    return _NUMBERS.get(word)


def _valid_day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(text: str, near: int | None = None) -> int | None:
    """A written year; two digits only where the caller allows ("FY22", "2014-16")."""
    if re.fullmatch(r"\d{4}", text):
        y = int(text)
        return y if 1000 <= y <= 2999 else None
    if near is not None and re.fullmatch(r"\d{2}", text):
        return near // 100 * 100 + int(text)
    return None


# --------------------------------------------------------------------------- normalizing

_HOLIDAYS: dict[str, tuple[Callable[[int], tuple[date, date]], str]] = {}


def _holiday(name: str) -> tuple[Callable[[int], tuple[date, date]], str] | None:
    if not _HOLIDAYS:
        _HOLIDAYS.update(_holidays())
    return _HOLIDAYS.get(name)


def _normalize(text: str) -> str:
    s = text.lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)  # hyphens and dashes of every kind
    s = s.replace(",", " ")
    # "Feb." and "a.m." lose their dots; a dot after a digit ends the sentence.
    s = re.sub(r"(?<=[a-z])\.(?=-)", "", s)  # "Jan.-March"
    s = re.sub(r"(?<=[a-z])\.", " ", s)
    # "6th" -> "6", but "19th century" and "the 99th day" keep their ordinal so they
    # never read as durations ("19 centuries")
    s = re.sub(r"(\d)(?:st|nd|rd|th)\b(?!\s+(?:century|day|week|month|quarter|half|year|"
               r"decade)\b)", r"\1", s)
    s = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", s)  # "2014 - 16" -> "2014-16"
    s = s.strip(" \t\n.;:!?\"()[]")
    s = re.sub(r"\s+", " ", s)
    return s


# Words around a date that do not change it. "in" stays in "in three weeks" (a shift
# from D) and "within" in "within two weeks" (a window from D).
_FILLER_RE = re.compile(
    r"^(?:the|on|at|during|of|from|around|about|circa|over|for|throughout|sometime in|"
    r"some time in|just|only|some|roughly|approximately|nearly|almost|exactly|precisely|"
    r"within(?=\s+the\b)|in(?!\s+" + _NUM_RE + r"\s+" + _UNIT_RE + r"$))\s+")
# "Monday morning", "yesterday afternoon" name the day
_TRAIL_RE = re.compile(r"(?<=\S)\s+(?:morning|afternoon|evening|night)$")
_DAY_WORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "tomorrow": 1, "day before yesterday": -2,
    "day after tomorrow": 2,
}


def _strip_fillers(s: str) -> str:
    prev = None
    while prev != s:
        prev = s
        s = _FILLER_RE.sub("", s)
        # "fiscal 2022", "this fiscal year": no fiscal calendar is known; read as calendar.
        s = re.sub(r"\b(?:fiscal|calendar|financial)\s+", "", s)
        s = re.sub(r"^year\s+(?=\d{4}$)", "", s)
        s = re.sub(r"^fy\s?(\d{4}|\d{2})$", r"fy\1", s)
    return s


def _split_relation(s: str) -> tuple[str | None, str]:
    m = re.match(r"^(since|until|till|til|through|thru|up to|up until|by|before|prior to|"
                 r"after)\s+(.+)$", s)
    if m:
        return _RELATION_WORDS[m.group(1)], m.group(2)
    return None, s


# --------------------------------------------------------------------------- which occurrence

def _choose(cands: list[tuple[date, date]], ref: date, mode: str,
            same: tuple[date, date] | None) -> tuple[date, date] | None:
    cands = sorted(c for c in cands if c is not None)
    if mode == "past":  # latest starting on or before ref
        got = [c for c in cands if c[0] <= ref]
        return got[-1] if got else None
    if mode == "future":  # first not yet over on ref
        got = [c for c in cands if c[1] >= ref]
        return got[0] if got else None
    if mode == "last":  # latest already over before ref
        got = [c for c in cands if c[1] < ref]
        return got[-1] if got else None
    if mode == "next":  # first starting after ref
        got = [c for c in cands if c[0] > ref]
        return got[0] if got else None
    if mode == "after":  # first starting on or after ref (right end of a range)
        got = [c for c in cands if c[0] >= ref]
        return got[0] if got else None
    if mode == "this":
        for c in cands:
            if c[0] <= ref <= c[1]:
                return c
        return same
    if mode == "nearest":
        def dist(c: tuple[date, date]) -> int:
            return max((c[0] - ref).days, (ref - c[1]).days, 0)
        return min(cands, key=lambda c: (dist(c), c[0] > ref)) if cands else None
    return same  # "same": the occurrence in ref's year


_Occurrence = Callable[..., "tuple[date, date] | None"]


def _pick(ctx: _Ctx, grain: str, occ: _Occurrence, default: str, mode: str | None = None,
          constraint: tuple[str, date] | None = None, weekly: bool = False) -> _P | None:
    """Pick one occurrence of a name without a year (a month, weekday, season ...).

    `occ(k)` gives the occurrence for year k (or, with `weekly`, for the ISO week
    starting on Monday k); `constraint` comes from the other end of a range.
    """
    if constraint is not None:
        kind, ref = constraint
        mode = "past" if kind == "before" else "after"
        anchored = False
    elif not weekly and mode is None and grain in ("day", "month") \
            and _narrative_year(ctx) is not None:
        # A name without a year in a story told about another year takes that year.
        got = occ(_narrative_year(ctx))
        return _P(got[0], got[1], grain, anchored=True, inferred=True) if got else None
    elif ctx.doc_date is None:
        return _P(None, None, grain, anchored=True, inferred=True)
    else:
        ref, anchored = ctx.doc_date, True
    if weekly:
        monday = ref - timedelta(days=ref.weekday())
        cands = [occ(monday + timedelta(weeks=k)) for k in range(-2, 3)]
        same = occ(monday)
    else:
        cands = [occ(y) for y in range(ref.year - 2, ref.year + 3)]
        same = occ(ref.year)
    if mode is None:
        mode = ctx.tense or default
    elif mode == "this" and ctx.tense and _choose(cands, ref, "this", None) is None:
        mode = ctx.tense  # "this summer" said in winter: the tense says which one
    got = _choose(cands, ref, mode, same)
    if got is None:
        return None
    return _P(got[0], got[1], grain, anchored=anchored, inferred=True)


def _narrative_year(ctx: _Ctx) -> int | None:
    """The reference time's year, when it is one written day ("March 3, 2016": an event
    the story tells about; a month or year is too loose a setting to date "in January")
    in another year than the document's."""
    ref = ctx.reference
    if ref is None or ref.start is None or ref.grain != "day" or ref.anchored \
            or ctx.tense == "future":
        return None
    year = date.fromisoformat(ref.start).year
    return year if ctx.doc_date is None or year != ctx.doc_date.year else None


def _season(name: str, y: int) -> tuple[date, date]:
    if name == "winter":
        return date(y - 1, 12, 1), _month_end(y, 2)
    first = {"spring": 3, "summer": 6, "autumn": 9}[name]
    return _months_span(y, first, 3)


# --------------------------------------------------------------------------- parts

def _part(p: _P, which: str) -> _P | None:
    """early/mid/late of a period; the module docstring lists the splits."""
    idx = {"early": 0, "mid": 1, "late": 2}[which]
    grain = "quarter" if p.grain == "year" else p.grain
    if p.start is None or p.end is None:
        return _P(None, None, grain, p.anchored, p.inferred)
    s, e = p.start, p.end
    if p.grain == "year":
        s, e = [_months_span(s.year, 1, 3), _months_span(s.year, 4, 6),
                _months_span(s.year, 10, 3)][idx]
    elif p.grain in ("decade", "century"):
        size = 10 if p.grain == "decade" else 100
        bounds = [(0, 3), (4, 6), (7, 9)] if size == 10 else [(0, 32), (33, 66), (67, 99)]
        a, b = bounds[idx]
        s, e = date(s.year + a, 1, 1), date(s.year + b, 12, 31)
    elif p.grain == "month":
        days = [(1, 10), (11, 20), (21, e.day)][idx]
        s, e = s.replace(day=days[0]), s.replace(day=days[1])
    elif p.grain == "week" and (e - s).days == 6 and s.weekday() == 0:
        a, b = [(0, 1), (2, 3), (4, 6)][idx]
        s, e = s + timedelta(days=a), s + timedelta(days=b)
    elif p.grain in ("quarter", "season", "half"):
        n = 1 if p.grain != "half" else 2  # thirds of the span, in whole months
        first = _add_months(s, idx * n)
        s, e = _months_span(first.year, first.month, n)
        grain = "month"
    elif p.grain != "day":
        return None  # no agreed split for this span
    return _P(s, e, grain, p.anchored, p.inferred)


def _nth(base: _P, n: int, unit: str) -> _P | None:
    """The n-th (or last, n = -1) unit of a period: "the last week of this month"."""
    grain = _unit_grain(unit)
    if base.start is None or base.end is None:
        return _P(None, None, grain, base.anchored, base.inferred)
    s, e = base.start, base.end
    if unit == "half" and base.grain == "month" and n in (1, 2, -1):
        # "the first half of May": days 1-15; the second half: 16 to the month's end
        a, b = (s, s.replace(day=15)) if n == 1 else (s.replace(day=16), e)
        return _P(a, b, "half", base.anchored, base.inferred)
    if unit in ("quarter", "half"):
        size = 3 if unit == "quarter" else 6
        count = ((e.year - s.year) * 12 + e.month - s.month + 1) // size
        if base.grain != "year" or not (n == -1 or 1 <= n <= count):
            return None
        k = count if n == -1 else n
        a, b = _months_span(s.year, s.month + (k - 1) * size, size)
    elif unit == "month":
        count = (e.year - s.year) * 12 + e.month - s.month + 1
        if not (n == -1 or 1 <= n <= count):
            return None
        first = _add_months(s.replace(day=1), (count if n == -1 else n) - 1)
        a, b = _months_span(first.year, first.month, 1)
    elif unit == "week":
        # Weeks of a month count from its first day; the last week is its last seven days.
        if n == -1:
            a, b = e - timedelta(days=6), e
        else:
            a = s + timedelta(weeks=n - 1)
            b = a + timedelta(days=6)
            if b > e:
                return None
    elif unit == "day":
        a = e if n == -1 else s + timedelta(days=n - 1)
        if a > e:
            return None
        b = a
    else:
        return None
    return _P(a, b, grain, base.anchored, base.inferred)


# --------------------------------------------------------------------------- the parser

_REL_MODE = {"this": "this", "current": "this", "last": "last", "previous": "last",
             "past": "last", "next": "next", "coming": "next", "upcoming": "next"}


# A rule's answer when the words are not its kind (the next rule is tried); None means
# they are its kind and name no date.
_NOT_THIS = object()


def _parse(s: str, ctx: _Ctx, constraint: tuple[str, date] | None = None) -> _P | None:
    """The period `s` names: the first of PARSE_RULES that takes it, else a name
    (_absolute's rules) after an optional "this"/"last"/"next", else a weekday with a day."""
    s = _strip_fillers(s)
    if not s:
        return None
    for rule in PARSE_RULES:
        found = rule(s, ctx, constraint)
        if found is not _NOT_THIS:
            return found
    mode, name = _modified_name(s)
    found = _absolute(name, ctx, mode, constraint)
    if found is not None:
        return found
    return _weekday_with_day(name, ctx, mode, constraint)


def _vague(s: str, ctx: _Ctx, constraint) -> _P | None:
    """Vague references name no period a reader could check: "recently", "these days"."""
    if re.fullmatch(r"(?:recent|the recent|past|now|currently|present|recently|the past|"
                    r"these days|nowadays|once|then|the day|that day|the same day)", s) \
            or s.startswith("recent "):
        return None
    return _NOT_THIS


def _part_of_period(s: str, ctx: _Ctx, constraint) -> _P | None:
    """early / mid / late, "the end of", "the beginning of", "the middle of" a period;
    "the end of the year" is this year's unless the tense says it is over or to come."""
    m = re.match(r"^(early|mid|middle|late)(?:-|\s+)(.+)$", s) or \
        re.match(r"^(end|close|beginning|start|middle)\s+of\s+(.+)$", s)
    if not m:
        return _NOT_THIS
    D = ctx.doc_date
    which = {"early": "early", "beginning": "early", "start": "early", "mid": "mid",
             "middle": "mid", "late": "late", "end": "late", "close": "late"}[m.group(1)]
    rest = _strip_fillers(m.group(2))
    # "the end of the year" means this year, unless the tense says the period is
    # over ("peaked by the end of the year" in March: last year's end) or to come
    implicit = rest if rest in ("year", "month", "week", "quarter", "decade",
                                "century") else None
    if implicit:
        rest = "this " + rest
    base = _parse(rest, ctx, constraint)
    part = _part(base, which) if base else None
    if implicit and part is not None and part.start is not None and D is not None \
            and constraint is None:
        step = -1 if ctx.tense == "past" and part.start > D else \
            1 if ctx.tense == "future" and part.end < D else 0
        if step:
            part = _part(_relative(ctx, implicit, step), which)
    return part


def _nth_part(s: str, ctx: _Ctx, constraint) -> _P | None:
    """"the last week of this month", "the first quarter of 2023", "the second half of ..."."""
    m = re.match(r"^(first|second|third|fourth|fifth|last|final|[1-5])(?:st|nd|rd|th)?[\s-]+"
                 r"(day|week|month|quarter|half)\s+of\s+(.+)$", s)
    if not m:
        return _NOT_THIS
    rest = _strip_fillers(m.group(3))
    if rest in ("year", "month", "week", "quarter"):
        rest = "this " + rest
    base = _parse(rest, ctx, constraint)
    return _nth(base, _ORDINALS[m.group(1)], m.group(2)) if base else None


def _day_with_clock_time(s: str, ctx: _Ctx, constraint) -> _P | None:
    """A time of day written with a day keeps the day: "March 4, 2015 at 3 p.m.",
    "3PM on July 17", "tomorrow at noon"."""
    m = _CLOCK_LEAD_RE.match(s) or _CLOCK_TAIL_RE.search(s)
    if not m:
        return _NOT_THIS
    rest = (s[m.end():] if m.start() == 0 else s[:m.start()]).strip()
    p = _parse(rest, ctx, constraint) if rest else None
    return p if p is not None and p.grain == "day" else None


def _anaphor_rule(s: str, ctx: _Ctx, constraint) -> _P | None:
    """A date told relative to the story's reference time: "a year earlier", "that year"."""
    p = _anaphor(s, ctx)
    return _NOT_THIS if p is None else p


def _day_word(s: str, ctx: _Ctx, constraint) -> _P | None:
    """Today, yesterday, tomorrow and their relatives."""
    return _relative(ctx, "day", _DAY_WORDS[s]) if s in _DAY_WORDS else _NOT_THIS


def _trailing_words(s: str, ctx: _Ctx, constraint) -> _P | None:
    """A part of the day after a day names the day: "Monday morning", "yesterday afternoon"."""
    return _parse(_TRAIL_RE.sub("", s), ctx, constraint) if _TRAIL_RE.search(s) else _NOT_THIS


def _counted_from_now(s: str, ctx: _Ctx, constraint) -> _P | None:
    """"two years ago", "in three weeks", "three weeks from now"."""
    m = re.fullmatch(_NUM_RE + r"\s+" + _UNIT_RE + r"\s+(ago|from now|hence)", s) or \
        re.fullmatch(r"in\s+" + _NUM_RE + r"\s+" + _UNIT_RE + "()", s)
    if not m:
        return _NOT_THIS
    n = _number(m.group(1))
    if n is None:
        return None
    unit = _unit_norm(m.group(2))
    return _relative(ctx, unit, -n if m.group(3) == "ago" else n)


def _window(s: str, ctx: _Ctx, constraint) -> _P | None:
    """"the past two years", "the last 10 days", "the next two weeks", "the past week":
    the days up to or from the document date ("within two weeks" is "the next two weeks")."""
    m = re.fullmatch(r"(past|last|previous|next|coming|within)\s+" + _NUM_RE + r"\s+"
                     + _UNIT_RE, s) or re.fullmatch(r"(past)\s+()(week|month|quarter|year|"
                                                     r"decade|century)", s)
    if not m:
        return _NOT_THIS
    D = ctx.doc_date
    n = _number(m.group(2)) if m.group(2) else 1
    if not n:
        return None
    unit = _unit_norm(m.group(3))
    grain = _unit_grain(unit)
    if D is None:
        return _P(None, None, grain, anchored=True)
    if m.group(1) in ("next", "coming", "within"):
        return _P(D, _shift(D, unit, n) - timedelta(days=1), grain, anchored=True)
    return _P(_shift(D, unit, -n) + timedelta(days=1), D, grain, anchored=True)


def _earlier_or_later_this(s: str, ctx: _Ctx, constraint) -> _P | None:
    """"earlier this year" (its start to the document date), "later this month"."""
    m = re.fullmatch(r"(earlier|later)\s+(?:this|in the)\s+(week|month|quarter|year|decade)", s)
    if not m:
        return _NOT_THIS
    D = ctx.doc_date
    if D is None:
        return _P(None, None, m.group(2), anchored=True)
    a, b = _unit_period(m.group(2), D)
    return _P(a, D, m.group(2), True) if m.group(1) == "earlier" else \
        _P(D, b, m.group(2), True)


def _this_unit(s: str, ctx: _Ctx, constraint) -> _P | None:
    """"this week", "last month", "next year", "the previous quarter"."""
    m = re.fullmatch(r"(this|current|last|previous|next|coming|upcoming)\s+"
                     r"(week|month|quarter|half|year|decade|century)", s)
    if not m:
        return _NOT_THIS
    step = {"this": 0, "last": -1, "next": 1}[_REL_MODE[m.group(1)]]
    return _relative(ctx, m.group(2), step)


def _weekend(s: str, ctx: _Ctx, constraint) -> _P | None:
    """A weekend: Saturday..Sunday, grain week ("last weekend", "this weekend")."""
    m = re.fullmatch(r"(?:(this|last|next|past|coming)\s+)?weekend", s)
    if not m:
        return _NOT_THIS
    mode = _REL_MODE.get(m.group(1) or "", None)

    def weekend(monday: date) -> tuple[date, date]:
        return monday + timedelta(days=5), monday + timedelta(days=6)
    return _pick(ctx, "week", weekend, "past", mode, constraint, weekly=True)


# Tried in this order before the names of _absolute; the first that takes the words wins.
# Vague words first (they name nothing), then the forms built on another date ("the end
# of ...", "the first quarter of ...", "... at 3 p.m."), then dates told from the
# reference or document date.
PARSE_RULES = (_vague, _part_of_period, _nth_part, _day_with_clock_time, _anaphor_rule, _day_word,
               _trailing_words, _counted_from_now, _window, _earlier_or_later_this, _this_unit, _weekend)


def _modified_name(s: str) -> tuple[str | None, str]:
    """A modifier before a name, as (mode, the name): "last Monday", "next April", "this
    summer", "last May", "next Q2"; (None, s) when there is none."""
    m = re.fullmatch(r"(this|last|next|past|coming|previous)\s+(.+)", s)
    if m and (m.group(2) in WEEKDAYS or m.group(2) in MONTHS or m.group(2) in _SEASONS
              or re.fullmatch(r"q[1-4]|h[12]|(?:first|second|third|fourth)\s+quarter|"
                              r"(?:first|second)\s+half", m.group(2))):
        return _REL_MODE[m.group(1)], m.group(2)
    return None, s


def _weekday_with_day(s: str, ctx: _Ctx, mode: str | None, constraint) -> _P | None:
    """"Sunday 17th", "Fri 5/27", "Wednesday 31/1": the weekday says which month (and which
    reading of the numbers); "Monday, Feb. 7": a weekday before a full date is redundant."""
    m = re.fullmatch(_WEEKDAY_RE + r"\s+(\d{1,2})(?:[/.](\d{1,2}))?\.?", s)
    if m:
        return _weekday_day(ctx, WEEKDAYS[m.group(1)], int(m.group(2)),
                            int(m.group(3)) if m.group(3) else None, mode)
    m = re.fullmatch(_WEEKDAY_RE + r"\s+(.+)", s)
    if m:
        return _parse(m.group(2), ctx, constraint)
    return None


def _weekday_day(ctx: _Ctx, wd: int, a: int, b: int | None, mode: str | None) -> _P | None:
    """The day near D that falls on weekday `wd` and is day `a` of its month (b None), or
    reads as month/day or day/month from `a`/`b`; picked like a day name without a year."""
    D = ctx.doc_date
    if D is None:
        return _P(None, None, "day", anchored=True, inferred=True)
    cands = []
    for k in range(-14, 15):
        first = _add_months(D.replace(day=1), k)
        pairs = [(first.month, a)] if b is None else [(a, b), (b, a)]
        for mon, day in pairs:
            if mon == first.month:
                d = _valid_day(first.year, mon, day)
                if d and d.weekday() == wd:
                    cands.append((d, d))
    got = _choose(cands, D, {"last": "past", "next": "future"}.get(mode or "", None)
                  or ctx.tense or "nearest", None)
    return _P(got[0], got[1], "day", anchored=True, inferred=True) if got else None


_CLOCK = (r"(?:\d{1,2}(?:[:.]\d\d){0,2}\s*[ap]\s?m|\d{1,2}:\d\d(?::\d\d)?|\d{1,2}h(?:\d\d)?|"
          r"\d{1,2}\s+o'clock|noon|"
          r"midnight)(?:\s+(?:[a-z]{1,2}[sd]t|gmt|utc|et|z))?")
_CLOCK_LEAD_RE = re.compile(r"^(?:at\s+)?" + _CLOCK + r"\s+(?:on\s+|of\s+)?(?=\S)")
_CLOCK_TAIL_RE = re.compile(r"(?<=\S)\s+(?:at\s+|from\s+|around\s+)?" + _CLOCK + r"$")
_FINER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "year": 6}


def _anaphor(s: str, ctx: _Ctx) -> _P | None:
    """Times told relative to the narrative's reference time R (CONTRACT 2, issue 15):
    "that year", "the same month" = the unit holding R; "the previous/following year" =
    the unit before/after it; "a year earlier", "two days later" = R's own period moved
    (a quarter a year earlier is that quarter of the year before); "later that month" =
    the month holding R; "the 12th of the same month" = that day of R's month; "the same
    month a year earlier" / "the same period last year" = R's unit a year back. Without R,
    "the previous/following <unit>" count from the document date and the rest give None."""
    ref = ctx.reference
    base = None
    if ref is not None and ref.start is not None:
        base = (date.fromisoformat(ref.start), date.fromisoformat(ref.end), ref.grain)
    m = re.fullmatch(r"same\s+(month|quarter|week|day|period)\s+(?:(?:a|one)\s+year\s+"
                     r"(?:earlier|ago|before)|last\s+year|(?:the\s+)?(?:previous|prior)\s+year|"
                     r"(?:the\s+)?year\s+before)", s)
    if m:  # "the same month a year earlier": the reference's month, a year back
        if base is not None and m.group(1) == "period":  # the reference's own span
            return _P(_shift(base[0], "year", -1), _shift(base[1], "year", -1), base[2],
                      anchored=True, inferred=True)
        unit = m.group(1)
        if base is None or _FINER.get(base[2], 9) > _FINER[unit]:
            return None
        return _P(*_unit_period(unit, _shift(base[0], "year", -1)), unit, anchored=True,
                  inferred=True)
    m = re.fullmatch(r"(?:that|(?:the\s+)?same|(?:later|earlier) that|(?:later|earlier) in that)\s+"
                     r"(year|month|week|day|quarter)", s)
    if m:
        unit = m.group(1)
        if base is None or _FINER.get(base[2], 9) > _FINER[unit]:
            return None
        return _P(*_unit_period(unit, base[0]), unit, anchored=True, inferred=True)
    m = re.fullmatch(r"(previous|preceding|prior|following|next)\s+(year|month|week|day|quarter)",
                     s)
    if m and (base is not None or m.group(1) == "following"):
        if base is None:
            return None
        unit = m.group(2)
        if _FINER.get(base[2], 9) > _FINER[unit]:
            return None
        n = -1 if m.group(1) in ("previous", "preceding", "prior") else 1
        return _P(*_unit_period(unit, base[0], n), unit, anchored=True, inferred=True)
    m = re.fullmatch(_NUM_RE + r"\s+" + _UNIT_RE + r"\s+(earlier|later|before|after)", s)
    if m:
        n, unit = _number(m.group(1)), _unit_norm(m.group(2))
        if base is None or not n or unit not in _FINER or _FINER.get(base[2], 9) > _FINER[unit]:
            return None
        n = -n if m.group(3) in ("earlier", "before") else n
        grain = base[2] if base[2] in _FINER else unit
        return _P(*_unit_period(grain, _shift(base[0], unit, n)), grain, anchored=True,
                  inferred=True)
    m = re.fullmatch(r"(\d{1,2}|[a-z]+(?:-[a-z]+)?)\s+of\s+(?:the same|same|that)\s+month", s)
    if m:
        day = int(m.group(1)) if m.group(1).isdigit() else DAY_ORDINALS.get(m.group(1))
        if base is None or not day or _FINER.get(base[2], 9) > _FINER["month"]:
            return None
        d = _valid_day(base[0].year, base[0].month, day)
        return _P(d, d, "day", anchored=True, inferred=True) if d else None
    return None


def _relative(ctx: _Ctx, unit: str, n: int) -> _P:
    grain = _unit_grain(unit)
    if ctx.doc_date is None:
        return _P(None, None, grain, anchored=True)
    a, b = _unit_period(unit, ctx.doc_date, n)
    return _P(a, b, grain, anchored=True)


def _absolute(s: str, ctx: _Ctx, mode: str | None,
              constraint: tuple[str, date] | None) -> _P | None:
    """Names of days, months, years, decades, centuries, seasons, quarters, halves: the
    first rule of ABSOLUTE_RULES whose pattern matches all of `s` and that takes it."""
    for pattern, rule in ABSOLUTE_RULES:
        m = pattern.fullmatch(s)
        if m is not None and (found := rule(m, ctx, mode, constraint)) is not _NOT_THIS:
            return found
    return None


def _day(d: date | None) -> _P | None:
    return _P(d, d, "day") if d else None


def _iso_day(m, ctx, mode, constraint):
    """ISO 2022-02-06, 2022/02/06, with a time after "t"."""
    return _day(_valid_day(int(m.group(1)), int(m.group(2)), int(m.group(3))))


def _iso_month(m, ctx, mode, constraint):
    """ISO 2022-02."""
    if not 1 <= int(m.group(2)) <= 12:
        return _NOT_THIS
    return _P(*_months_span(int(m.group(1)), int(m.group(2)), 1), "month")


def _numeric_day(m, ctx, mode, constraint):
    """"6/17/2019", "17/06/2019", "17.06.2019": month first as US news writes it, unless
    the first number cannot be a month; dots are the day-first European form."""
    a, b, y = int(m.group(1)), int(m.group(3)), _full_year(m.group(4), ctx)
    if m.group(2) == "." or a > 12:
        a, b = b, a
    return _day(_valid_day(y, a, b) if y else None)


def _day_month_name_year(m, ctx, mode, constraint):
    """"17/Jun/2019", "17-Jun-19"."""
    y = _full_year(m.group(3), ctx)
    return _day(_valid_day(y, MONTHS[m.group(2)], int(m.group(1))) if y else None)


def _numeric_month(m, ctx, mode, constraint):
    """"7/2018": a month."""
    if not (1 <= int(m.group(1)) <= 12 and _year(m.group(2))):
        return _NOT_THIS
    return _P(*_months_span(int(m.group(2)), int(m.group(1)), 1), "month")


def _named_day(m, ctx, mode, constraint):
    """Named days: "Thanksgiving", "Christmas 2015", "Labor Day weekend" (date_words.txt)."""
    rule = _holiday(m.group(1))
    if not rule:
        return _NOT_THIS
    occ, grain = rule
    if m.group(2):
        return _P(*occ(int(m.group(2))), grain)
    return _pick(ctx, grain, occ, "nearest", mode, constraint)


def _month_day(m, ctx, mode, constraint):
    """"Feb 6", "February 6 2022", "6 February 2022", "6th of February"; without a year,
    the nearest such day."""
    a, b, y = m.groups()
    mon, day = (MONTHS[a], int(b)) if a in MONTHS else (MONTHS[b], int(a))
    if y:
        return _day(_valid_day(int(y), mon, day))
    if not 1 <= day <= 31:
        return None

    def occ_day(year: int) -> tuple[date, date] | None:
        d = _valid_day(year, mon, day)
        return (d, d) if d else None
    return _pick(ctx, "day", occ_day, "nearest", mode, constraint)


def _month(m, ctx, mode, constraint):
    """"April 2021", "April of 2021", "April"."""
    mon = MONTHS[m.group(1)]
    if m.group(2):
        return _P(*_months_span(int(m.group(2)), mon, 1), "month")
    return _pick(ctx, "month", lambda y: _months_span(y, mon, 1), "same", mode, constraint)


def _year_named(m, ctx, mode, constraint):
    """Years: "2023", "FY2023", "FY23"."""
    y = _year(m.group(1)) if m.group(1) else _year(m.group(2), near=2000)
    return _P(date(y, 1, 1), date(y, 12, 31), "year") if y else None


def _hundreds(m, ctx, mode, constraint):
    """"1800s" is a century."""
    if not int(m.group(1)) < 20:
        return _NOT_THIS
    y = int(m.group(1)) * 100
    return _P(date(y, 1, 1), date(y + 99, 12, 31), "century")


def _decade(m, ctx, mode, constraint):
    """"1990s"."""
    y = int(m.group(1)) * 10
    return _P(date(y, 1, 1), date(y + 9, 12, 31), "decade")


def _two_digit_decade(m, ctx, mode, constraint):
    """"'90s", "90s", "the nineties": the latest such decade already over by D ("the '10s"
    in 2022 are the 2010s, "the '20s" the 1920s); without D the 1900s are meant."""
    tens = int(m.group(1)) if m.group(1) else _DECADE_WORDS.get(m.group(2))
    if tens is None:
        return _NOT_THIS
    y = 1900 + tens * 10
    if ctx.doc_date is not None and y + 109 < ctx.doc_date.year:
        y += 100
    return _P(date(y, 1, 1), date(y + 9, 12, 31), "decade")


def _century(m, ctx, mode, constraint):
    """"19th century" (suffix already dropped), "nineteenth century"."""
    n = int(m.group(1)) if m.group(1) else _CENTURY_WORDS.get(m.group(2))
    if not n:
        return None
    y = (n - 1) * 100
    return _P(date(max(y, 1), 1, 1), date(y + 99, 12, 31), "century")


def _season_named(m, ctx, mode, constraint):
    """Seasons: "summer 2021", "the summer of 2021", "summer"."""
    name = _SEASONS[m.group(1)]
    if m.group(2):
        return _P(*_season(name, int(m.group(2))), "season")
    return _pick(ctx, "season", lambda y: _season(name, y), "same", mode, constraint)


def _quarter(m, ctx, mode, constraint):
    """Quarters: "Q1 2023", "1Q 2023", "first-quarter 2023", "final quarter"."""
    q = int(m.group(1) or m.group(2) or 0) or _ORDINALS[m.group(3)]
    q = 4 if q == -1 else q
    return _year_part(ctx, "quarter", 3, q, m.group(4), mode, constraint)


def _half(m, ctx, mode, constraint):
    """Halves: "H1 2021", "second half"."""
    h = int(m.group(1) or m.group(2) or 0) or _ORDINALS[m.group(3)]
    h = 2 if h == -1 else h
    return _year_part(ctx, "half", 6, h, m.group(4), mode, constraint)


def _weekday(m, ctx, mode, constraint):
    """A weekday alone: "Monday", "last Friday" (the past one unless told otherwise)."""
    wd = WEEKDAYS[m.group(1)]

    def occ_wd(monday: date) -> tuple[date, date]:
        d = monday + timedelta(days=wd)
        return d, d
    return _pick(ctx, "day", occ_wd, "past", mode, constraint, weekly=True)


# Tried in this order; the first whose pattern matches the whole text and that takes it
# answers. Numeric forms come before names (a holiday name could be anything).
ABSOLUTE_RULES = tuple((re.compile(pattern), rule) for pattern, rule in (
    (r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:t[\d:.]+(?:z|[+-]\d\d:?\d\d)?)?", _iso_day),
    (r"(\d{4})-(\d{2})", _iso_month),
    (r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})", _numeric_day),
    (r"(\d{1,2})[/ -]" + _MONTH_RE + r"[/ -](\d{4}|\d{2})", _day_month_name_year),
    (r"(\d{1,2})/(\d{4})", _numeric_month),
    (r"(.+?)(?:\s+(?:of\s+)?(\d{4}))?", _named_day),
    (_MONTH_RE + r"\s+(\d{1,2})(?:\s+(\d{4}))?", _month_day),
    (r"(\d{1,2})\.?\s*(?:of\s+)?" + _MONTH_RE + r"(?:\s*(\d{4}))?", _month_day),
    (_MONTH_RE + r"(?:\s+(?:of\s+)?(\d{4}))?", _month),
    (r"(\d{4})|fy(\d{4}|\d{2})", _year_named),
    (r"(\d{2})00'?s", _hundreds),
    (r"(\d{3})0'?s", _decade),
    (r"'?(\d)0'?s|([a-z]+)", _two_digit_decade),
    (r"(?:(\d{1,2})(?:st|nd|rd|th)|([a-z]+(?:-[a-z]+)?))\s+century", _century),
    (_SEASON_RE + r"(?:\s+(?:of\s+)?(\d{4}))?", _season_named),
    (r"(?:q([1-4])|([1-4])q|(first|second|third|fourth|final|[1-4])"
     r"(?:st|nd|rd|th)?[\s-]+quarter)(?:\s+(?:of\s+)?(\d{4}|fy\d{4}))?", _quarter),
    (r"(?:h([12])|([12])h|(first|second|final|[12])(?:st|nd|rd|th)?[\s-]+half)"
     r"(?:\s+(?:of\s+)?(\d{4}|fy\d{4}))?", _half),
    (_WEEKDAY_RE, _weekday),
))


def _full_year(text: str, ctx: _Ctx) -> int | None:
    """A written year; two digits ("4/1/87") name the year of that ending nearest the
    document date (1987 and 1999 in a 1987 article), or of the 2000s without one."""
    if len(text) != 2:
        return _year(text)
    ref = ctx.doc_date.year if ctx.doc_date else 2000
    return min((ref // 100 * 100 + k * 100 + int(text) for k in (-1, 0, 1)),
               key=lambda y: abs(y - ref))


def _year_part(ctx: _Ctx, grain: str, size: int, k: int, year: str | None,
               mode: str | None, constraint: tuple[str, date] | None) -> _P | None:
    if year:
        y = int(year.removeprefix("fy"))
        return _P(*_months_span(y, (k - 1) * size + 1, size), grain)
    return _pick(ctx, grain, lambda y: _months_span(y, (k - 1) * size + 1, size), "same",
                 mode, constraint)


# --------------------------------------------------------------------------- ranges

_GRAIN_ORDER = {g: i for i, g in enumerate(GRAINS)}


def _split_range(s: str) -> tuple[str, str] | None:
    """Two ends of "from X to Y", "between X and Y", "X-Y", "X to Y", or None."""
    s = _strip_fillers(s)
    # "Feb 6-8", "6-8 February 2022": the month (and year) serve both days
    m = re.fullmatch(_MONTH_RE + r"\s+(\d{1,2})\s*(?:-|to|and|through)\s*(\d{1,2})"
                     r"(\s+\d{4})?", s)
    if m:
        y = m.group(4) or ""
        return f"{m.group(1)} {m.group(2)}{y}", f"{m.group(1)} {m.group(3)}{y}"
    m = re.fullmatch(r"(\d{1,2})\s*(?:-|to|and|through)\s*(\d{1,2})\s+" + _MONTH_RE
                     + r"(\s+\d{4})?", s)
    if m:
        y = m.group(4) or ""
        return f"{m.group(1)} {m.group(3)}{y}", f"{m.group(2)} {m.group(3)}{y}"
    # "2014-2016", "2014-16" (a year range only when the second part is later)
    m = re.fullmatch(r"(\d{4})-(\d{4}|\d{2})", s)
    if m:
        left = int(m.group(1))
        right = _year(m.group(2), near=left)
        if right is not None and right > left:
            return m.group(1), str(right)
        return None
    m = re.match(r"^(?:from\s+)?(.+?)\s+(?:to|through|thru|until|till|-)\s+(.+)$", s)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^between\s+(.+?)\s+and\s+(.+)$", s)
    if m:
        return m.group(1), m.group(2)
    m = re.fullmatch(r"([^-\s]+(?:\s[^-\s]+)*)-([^-]+)", s)
    if m:  # "April-June 2021", "1990s-2000s"; "mid-1970s" fails to parse on the left
        return m.group(1), m.group(2)
    return None


def _parse_range(s: str, ctx: _Ctx) -> _P | None:
    ends = _split_range(s)
    if ends is None:
        return None
    ltext, rtext = ends
    left, right = _parse(ltext, ctx), _parse(rtext, ctx)
    if left is None or right is None:
        return None
    # A year-less end takes its year from the other end: "April to June 2021".
    if left.inferred and not right.inferred and right.start is not None:
        left = _parse(ltext, ctx, ("before", right.start))
    elif right.inferred and not left.inferred and left.start is not None:
        right = _parse(rtext, ctx, ("after", left.start))
    elif left.inferred and right.inferred and right.start is not None:
        left = _parse(ltext, ctx, ("before", right.start))
        left = left and _P(left.start, left.end, left.grain, True, True)
    if left is None or right is None:
        return None
    grain = min(left.grain, right.grain, key=_GRAIN_ORDER.__getitem__)
    anchored = left.anchored or right.anchored
    if left.start is None or right.end is None:
        return _P(None, None, grain, anchored=True)
    if right.end < left.start:
        return None
    return _P(left.start, right.end, grain, anchored)


# --------------------------------------------------------------------------- public API

def is_duration(text: str) -> bool:
    """True for a length of time with no calendar anchor: "10 days", "a decade",
    "three-year", "two weeks", "decades". False for "two years ago", "the past two
    years", "last year", "2014", and for ages ("52-year-old")."""
    s = re.sub(r"^(?:for|lasting)\s+", "", _normalize(text))
    return bool(_DURATION_RE.fullmatch(s))


_WINDOW_RE = re.compile(
    r"^(?:(?:over|for|throughout|during|in|within|across)\s+)?(?:the\s+)?"
    r"(?:(?:past|last|previous|next|coming|following|first|final)\s+" + _NUM_RE + r"|within\s+"
    + _NUM_RE + r")\s+" + _UNIT_RE + r"$")
_SPAN_RE = re.compile(r"^(?:the\s+)?(?:past|next|coming|following)\s+"
                      r"(?:week|month|quarter|year|decade|century)$")


def is_window(text: str, preceding: str | None = None) -> bool:
    """True for a counted stretch of time running from or up to the document date, which
    TimeML (and so the benchmarks) annotate as a duration, not a date: "the past two
    years", "within 10 days", "the next three months", and "the next decade" or "the past
    year" after "over", "for" or "throughout". `resolve_date` still gives such windows a
    range (see the module docstring); callers that want dates only skip them."""
    s = _normalize(text)
    if _WINDOW_RE.fullmatch(s):
        return True
    m = re.match(r"^(over|for|throughout)\s+(.+)$", s)
    lead = m.group(1) if m else (preceding or "").strip().lower()
    rest = m.group(2) if m else s
    return lead in ("over", "for", "throughout") and bool(_SPAN_RE.fullmatch(rest))


def resolve_date(text: str, doc_date: date | None = None, *, tense: str | None = None,
                 preceding: str | None = None,
                 reference: DateValue | None = None) -> DateValue | None:
    """The period a DATE span names, resolved against the document date `doc_date`.

    `tense` ("past"/"future") picks the occurrence of a name without a year; `preceding`
    is the word before the span and sets `relation` (since, until, by, before, after;
    "till"/"through" count as until). `reference` is the narrative's reference time: the
    nearest preceding date that names its year; a month or day name without a year takes
    that reference's year when it is another year than `doc_date`'s (unless `tense` is
    "future"), and "that year", "a year earlier", "the same month" count from it.
    Returns None for durations, ages, vague
    references and anything unparseable. See the module docstring for the rules.
    """
    if isinstance(doc_date, datetime):
        doc_date = doc_date.date()
    s = _normalize(text)
    if not s or is_duration(s):
        return None
    relation, s = _split_relation(s)
    if relation is None and preceding:
        relation = _RELATION_WORDS.get(preceding.strip().lower())
    tense = tense if tense in ("past", "future") else None
    if relation == "since" and tense is None:
        tense = "past"  # "since Feb." names a February already begun
    ctx = _Ctx(doc_date, tense, reference)
    try:
        p = _parse_range(s, ctx) or _parse(s, ctx)
    except (ValueError, OverflowError):
        # "10000 years ago": outside the years datetime.date can hold (1..9999)
        return None
    if p is None or (p.start is not None and p.end is not None and p.end < p.start):
        return None
    start, end = _iso(p.start), _iso(p.end)
    if relation is None:
        return DateValue(start, end, p.grain, p.anchored)
    return DateValue(start, end, p.grain, p.anchored, relation,
                     *_open_range(p, relation, doc_date))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _open_range(p: _P, relation: str, doc_date: date | None) -> tuple[str | None, str | None]:
    """(range_start, range_end) implied by a relation word (CONTRACT 2)."""
    if relation == "since":
        # "since 2014" runs from 2014's start to the document date, open without D (or
        # when the text names a period after D)
        return _iso(p.start), _iso(doc_date if p.start and doc_date and doc_date >= p.start
                                   else None)
    if relation in ("until", "by"):
        return None, _iso(p.end)
    # A named period at the very edge of the calendar has no day before/after it.
    if relation == "before":
        return None, _iso(p.start - timedelta(days=1)) if p.start and p.start > date.min else None
    if p.end and p.end < date.max:  # after
        return _iso(p.end + timedelta(days=1)), None
    return None, None
