"""Table-driven tests of factx.normalize.dates.

Every expected range below was worked out by hand from the calendar, not copied from the
program. The document date D is Sunday 2022-02-06 (ISO week 2022-W05 runs Monday
2022-01-31 .. Sunday 2022-02-06) unless a case says otherwise.
"""

import subprocess
import sys
from datetime import date, timedelta

import pytest

from factx.normalize.dates import GRAINS, DateValue, is_duration, is_window, resolve_date

D = date(2022, 2, 6)


def _range(text, doc_date=D, **kw):
    v = resolve_date(text, doc_date, **kw)
    assert v is not None, text
    return v.start, v.end, v.grain


# --------------------------------------------------------------------------- absolute

ABSOLUTE = [
    ("2023", "2023-01-01", "2023-12-31", "year"),
    ("in 2014", "2014-01-01", "2014-12-31", "year"),
    ("April 2021", "2021-04-01", "2021-04-30", "month"),
    ("April of 2021", "2021-04-01", "2021-04-30", "month"),
    ("6 February 2022", "2022-02-06", "2022-02-06", "day"),
    ("February 6, 2022", "2022-02-06", "2022-02-06", "day"),
    ("Feb 6, 2022", "2022-02-06", "2022-02-06", "day"),
    ("the 6th of February 2022", "2022-02-06", "2022-02-06", "day"),
    ("2022-02-06", "2022-02-06", "2022-02-06", "day"),
    ("2022-02", "2022-02-01", "2022-02-28", "month"),
    ("the 1990s", "1990-01-01", "1999-12-31", "decade"),
    ("1990s", "1990-01-01", "1999-12-31", "decade"),
    ("the '90s", "1990-01-01", "1999-12-31", "decade"),
    ("the \u201990s", "1990-01-01", "1999-12-31", "decade"),
    ("the mid-1970s", "1974-01-01", "1976-12-31", "decade"),
    ("The Mid-1970s.", "1974-01-01", "1976-12-31", "decade"),
    ("the early 2000s", "2000-01-01", "2003-12-31", "decade"),
    ("late 1980s", "1987-01-01", "1989-12-31", "decade"),
    ("the 2000s", "2000-01-01", "2009-12-31", "decade"),
    ("the 1800s", "1800-01-01", "1899-12-31", "century"),
    ("the 19th century", "1800-01-01", "1899-12-31", "century"),
    ("the 20th Century", "1900-01-01", "1999-12-31", "century"),
    ("the twenty-first century", "2000-01-01", "2099-12-31", "century"),
    ("Q1 2023", "2023-01-01", "2023-03-31", "quarter"),
    ("the first quarter of 2023", "2023-01-01", "2023-03-31", "quarter"),
    ("first-quarter 2023", "2023-01-01", "2023-03-31", "quarter"),
    ("the fourth quarter of 2021", "2021-10-01", "2021-12-31", "quarter"),
    ("the first half of 2021", "2021-01-01", "2021-06-30", "half"),
    ("H2 2021", "2021-07-01", "2021-12-31", "half"),
    ("fiscal 2022", "2022-01-01", "2022-12-31", "year"),
    ("fiscal year 2022", "2022-01-01", "2022-12-31", "year"),
    ("FY2023", "2023-01-01", "2023-12-31", "year"),
    ("summer 2021", "2021-06-01", "2021-08-31", "season"),
    ("the summer of 2021", "2021-06-01", "2021-08-31", "season"),
    ("autumn 2020", "2020-09-01", "2020-11-30", "season"),
    ("fall 2020", "2020-09-01", "2020-11-30", "season"),
    ("winter 2021", "2020-12-01", "2021-02-28", "season"),
    ("early 2011", "2011-01-01", "2011-03-31", "quarter"),
    ("mid-2021", "2021-04-01", "2021-09-30", "quarter"),
    ("the end of 2022", "2022-10-01", "2022-12-31", "quarter"),
    ("late April 2021", "2021-04-21", "2021-04-30", "month"),
    ("the first week of March 2022", "2022-03-01", "2022-03-07", "week"),
]


@pytest.mark.parametrize("text,start,end,grain", ABSOLUTE)
def test_absolute(text, start, end, grain):
    v = resolve_date(text, D)
    assert (v.start, v.end, v.grain, v.anchored) == (start, end, grain, False)


@pytest.mark.parametrize("text,start,end,grain", ABSOLUTE)
def test_absolute_needs_no_document_date(text, start, end, grain):
    assert _range(text, None) == (start, end, grain)


# --------------------------------------------------------------------------- relative to D

RELATIVE = [
    ("today", "2022-02-06", "2022-02-06", "day"),
    ("Today,", "2022-02-06", "2022-02-06", "day"),
    ("yesterday", "2022-02-05", "2022-02-05", "day"),
    ("yesterday morning", "2022-02-05", "2022-02-05", "day"),
    ("last night", "2022-02-05", "2022-02-05", "day"),
    ("tomorrow", "2022-02-07", "2022-02-07", "day"),
    ("the day before yesterday", "2022-02-04", "2022-02-04", "day"),
    ("this week", "2022-01-31", "2022-02-06", "week"),
    ("last week", "2022-01-24", "2022-01-30", "week"),
    ("the last week", "2022-01-24", "2022-01-30", "week"),
    ("next week", "2022-02-07", "2022-02-13", "week"),
    ("this month", "2022-02-01", "2022-02-28", "month"),
    ("last month", "2022-01-01", "2022-01-31", "month"),
    ("next month", "2022-03-01", "2022-03-31", "month"),
    ("this quarter", "2022-01-01", "2022-03-31", "quarter"),
    ("last quarter", "2021-10-01", "2021-12-31", "quarter"),
    ("next quarter", "2022-04-01", "2022-06-30", "quarter"),
    ("this year", "2022-01-01", "2022-12-31", "year"),
    ("this fiscal year", "2022-01-01", "2022-12-31", "year"),
    ("last year", "2021-01-01", "2021-12-31", "year"),
    ("next year", "2023-01-01", "2023-12-31", "year"),
    ("last decade", "2010-01-01", "2019-12-31", "decade"),
    ("this century", "2000-01-01", "2099-12-31", "century"),
    # the month's last seven days; February 2022 has 28
    ("the last week of this month", "2022-02-22", "2022-02-28", "week"),
    ("the end of this year", "2022-10-01", "2022-12-31", "quarter"),
    ("the end of the year", "2022-10-01", "2022-12-31", "quarter"),
    ("early this year", "2022-01-01", "2022-03-31", "quarter"),
    ("the third quarter of last year", "2021-07-01", "2021-09-30", "quarter"),
    ("the second half of this year", "2022-07-01", "2022-12-31", "half"),
    ("earlier this year", "2022-01-01", "2022-02-06", "year"),
    ("later this month", "2022-02-06", "2022-02-28", "month"),
    ("two years ago", "2020-01-01", "2020-12-31", "year"),
    ("a year ago", "2021-01-01", "2021-12-31", "year"),
    ("six months ago", "2021-08-01", "2021-08-31", "month"),
    # D - 21 days = Sunday 2022-01-16, in the week of Monday 2022-01-10
    ("three weeks ago", "2022-01-10", "2022-01-16", "week"),
    # D + 21 days = Sunday 2022-02-27, in the week of Monday 2022-02-21
    ("in three weeks", "2022-02-21", "2022-02-27", "week"),
    ("in two years", "2024-01-01", "2024-12-31", "year"),
    ("three days from now", "2022-02-09", "2022-02-09", "day"),
    # windows ending or starting on D
    ("the past week", "2022-01-31", "2022-02-06", "week"),
    ("the past two years", "2020-02-07", "2022-02-06", "year"),
    ("the last 10 days", "2022-01-28", "2022-02-06", "day"),
    ("the next two weeks", "2022-02-06", "2022-02-19", "week"),
    ("within two weeks", "2022-02-06", "2022-02-19", "week"),
    # months and names without a year, no tense
    ("April", "2022-04-01", "2022-04-30", "month"),
    ("this April", "2022-04-01", "2022-04-30", "month"),
    ("last May", "2021-05-01", "2021-05-31", "month"),
    ("next January", "2023-01-01", "2023-01-31", "month"),
    ("mid-February", "2022-02-11", "2022-02-20", "month"),
    ("Feb. 6", "2022-02-06", "2022-02-06", "day"),
    ("Monday, Feb. 7", "2022-02-07", "2022-02-07", "day"),
    ("Q4", "2022-10-01", "2022-12-31", "quarter"),
    ("the fourth quarter", "2022-10-01", "2022-12-31", "quarter"),
    ("summer", "2022-06-01", "2022-08-31", "season"),
    ("winter", "2021-12-01", "2022-02-28", "season"),
    ("last summer", "2021-06-01", "2021-08-31", "season"),
    ("last winter", "2020-12-01", "2021-02-28", "season"),
    ("Monday", "2022-01-31", "2022-01-31", "day"),
    ("Sunday", "2022-02-06", "2022-02-06", "day"),
    ("last Monday", "2022-01-31", "2022-01-31", "day"),
    ("next Monday", "2022-02-07", "2022-02-07", "day"),
    ("this weekend", "2022-02-05", "2022-02-06", "week"),
]


@pytest.mark.parametrize("text,start,end,grain", RELATIVE)
def test_relative(text, start, end, grain):
    v = resolve_date(text, D)
    assert (v.start, v.end, v.grain, v.anchored) == (start, end, grain, True)


@pytest.mark.parametrize("text,start,end,grain", RELATIVE)
def test_relative_without_document_date_keeps_grain(text, start, end, grain):
    assert resolve_date(text) == DateValue(None, None, grain, True)


# Names without a year, chosen by the tense hint.
TENSE = [
    ("Monday", "past", "2022-01-31"),
    ("Monday", "future", "2022-02-07"),
    ("Friday", "past", "2022-02-04"),
    ("Friday", "future", "2022-02-11"),
    ("Friday", None, "2022-02-04"),
    ("Sunday", "past", "2022-02-06"),
    ("Sunday", "future", "2022-02-06"),
    ("April", "past", "2021-04-01"),
    ("April", "future", "2022-04-01"),
    ("February", "past", "2022-02-01"),
    ("February", "future", "2022-02-01"),
    ("Dec. 30", "past", "2021-12-30"),
    ("Dec. 30", "future", "2022-12-30"),
    ("Dec. 30", None, "2021-12-30"),  # 38 days back is nearer than 327 ahead
    ("Jan. 2", "future", "2023-01-02"),
    ("Jan. 2", None, "2022-01-02"),
    ("Feb. 6", "past", "2022-02-06"),
    ("the fourth quarter", "past", "2021-10-01"),
    ("summer", "past", "2021-06-01"),
    ("this summer", "past", "2021-06-01"),
    ("this summer", "future", "2022-06-01"),
]


@pytest.mark.parametrize("text,tense,start", TENSE)
def test_tense_picks_the_occurrence(text, tense, start):
    assert resolve_date(text, D, tense=tense).start == start


# --------------------------------------------------------------------------- ranges

RANGES = [
    ("from 2014 to 2016", D, "2014-01-01", "2016-12-31", "year", False),
    ("2014-2016", D, "2014-01-01", "2016-12-31", "year", False),
    ("2014 - 2016", D, "2014-01-01", "2016-12-31", "year", False),
    ("2014\u20132016", D, "2014-01-01", "2016-12-31", "year", False),
    ("2014-16", D, "2014-01-01", "2016-12-31", "year", False),
    ("2014 to 2016", D, "2014-01-01", "2016-12-31", "year", False),
    ("between 2014 and 2016", D, "2014-01-01", "2016-12-31", "year", False),
    ("between April and June", D, "2022-04-01", "2022-06-30", "month", True),
    ("between November and February", D, "2021-11-01", "2022-02-28", "month", True),
    ("from April to June 2021", D, "2021-04-01", "2021-06-30", "month", False),
    ("April-June 2021", D, "2021-04-01", "2021-06-30", "month", False),
    ("from April 2020 to June", D, "2020-04-01", "2020-06-30", "month", False),
    ("from March 2020 to 2021", D, "2020-03-01", "2021-12-31", "month", False),
    ("Feb 6-8", D, "2022-02-06", "2022-02-08", "day", True),
    ("6-8 February 2022", None, "2022-02-06", "2022-02-08", "day", False),
    ("from the mid-1970s to the 1990s", D, "1974-01-01", "1999-12-31", "decade", False),
]


@pytest.mark.parametrize("text,doc_date,start,end,grain,anchored", RANGES)
def test_ranges(text, doc_date, start, end, grain, anchored):
    v = resolve_date(text, doc_date)
    assert (v.start, v.end, v.grain, v.anchored) == (start, end, grain, anchored)


def test_range_of_names_without_document_date():
    assert resolve_date("between April and June") == DateValue(None, None, "month", True)


def test_backwards_range_is_rejected():
    assert resolve_date("from 2016 to 2014", D) is None


# --------------------------------------------------------------------------- relations

RELATIONS = [
    # text, preceding, doc_date, relation, range_start, range_end
    ("2014", "since", D, "since", "2014-01-01", "2022-02-06"),
    ("2014", "since", None, "since", "2014-01-01", None),
    ("since 2014", None, D, "since", "2014-01-01", "2022-02-06"),
    ("2023", "until", D, "until", None, "2023-12-31"),
    ("2023", "till", D, "until", None, "2023-12-31"),
    ("2023", "through", D, "until", None, "2023-12-31"),
    ("2023", "by", D, "by", None, "2023-12-31"),
    ("by 2023", None, D, "by", None, "2023-12-31"),
    ("2020", "before", D, "before", None, "2019-12-31"),
    ("2020", "after", D, "after", "2021-01-01", None),
    ("March 2024", "before", D, "before", None, "2024-02-29"),
    ("February 2024", "after", D, "after", "2024-03-01", None),
    ("by the end of this year", None, D, "by", None, "2022-12-31"),
    ("since the mid-1970s", None, D, "since", "1974-01-01", "2022-02-06"),
    ("last year", "since", None, "since", None, None),
]


@pytest.mark.parametrize("text,preceding,doc_date,relation,rs,re_", RELATIONS)
def test_relations(text, preceding, doc_date, relation, rs, re_):
    v = resolve_date(text, doc_date, preceding=preceding)
    assert (v.relation, v.range_start, v.range_end) == (relation, rs, re_)


def test_relation_keeps_the_named_period():
    v = resolve_date("2014", D, preceding="since")
    assert (v.start, v.end, v.grain) == ("2014-01-01", "2014-12-31", "year")


@pytest.mark.parametrize("preceding", [None, "in", "from", "on", "during"])
def test_other_preceding_words_add_no_relation(preceding):
    v = resolve_date("2014", D, preceding=preceding)
    assert v.relation is None and v.as_dict() == {
        "start": "2014-01-01", "end": "2014-12-31", "grain": "year", "anchored": False}


def test_as_dict_with_relation():
    assert resolve_date("2023", D, preceding="By").as_dict() == {
        "start": "2023-01-01", "end": "2023-12-31", "grain": "year", "anchored": False,
        "relation": "by", "range_start": None, "range_end": "2023-12-31"}


# --------------------------------------------------------------------------- leap years

LEAP = [
    ("February 2024", D, "2024-02-01", "2024-02-29"),
    ("February 2023", D, "2023-02-01", "2023-02-28"),
    ("February 2000", D, "2000-02-01", "2000-02-29"),  # divisible by 400: leap
    ("February 2100", D, "2100-02-01", "2100-02-28"),  # divisible by 100 only: not leap
    ("winter 2024", D, "2023-12-01", "2024-02-29"),
    ("the last week of February 2024", D, "2024-02-23", "2024-02-29"),
    ("Feb. 29", date(2024, 3, 1), "2024-02-29", "2024-02-29"),
    ("late February 2024", D, "2024-02-21", "2024-02-29"),
    ("Q1 2024", D, "2024-01-01", "2024-03-31"),
    ("this month", date(2024, 2, 10), "2024-02-01", "2024-02-29"),
    ("a year ago", date(2024, 2, 29), "2023-01-01", "2023-12-31"),
    ("the past year", date(2024, 2, 29), "2023-03-01", "2024-02-29"),
]


@pytest.mark.parametrize("text,doc_date,start,end", LEAP)
def test_leap_years(text, doc_date, start, end):
    v = resolve_date(text, doc_date)
    assert (v.start, v.end) == (start, end)


def test_impossible_day_is_not_a_date():
    assert resolve_date("Feb 29, 2023", D) is None
    assert resolve_date("2022-02-30", D) is None


# --------------------------------------------------------------------------- not dates

DURATIONS = ["10 days", "45 days", "a decade", "three-year", "five years", "two weeks",
             "decades", "24 hours", "a few years", "several months", "10-day",
             "two and a half years", "for two years", "about three months"]


@pytest.mark.parametrize("text", DURATIONS)
def test_durations(text):
    assert is_duration(text)
    assert resolve_date(text, D) is None


NOT_DURATIONS = ["two years ago", "the past two years", "last year", "2014", "the 1990s",
                 "the 19th century", "52-year-old", "in three weeks", "this week"]


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_not_durations(text):
    assert not is_duration(text)


NOT_DATES = ["52-year-old", "52 years old", "recent years", "recent weeks", "recently",
             "now", "the past", "the day", "", "   ", "banana", "2014 and 2016", "May 45",
             "the 99th day"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_calendar_dates(text):
    assert resolve_date(text, D) is None


# --------------------------------------------------------------------------- properties

RELATIVE_TEXTS = [t for t, *_ in RELATIVE]


@pytest.mark.parametrize("doc_date", [date(2020, 1, 1) + timedelta(days=k)
                                      for k in range(0, 1100, 37)])
def test_every_relative_value_is_an_ordered_range(doc_date):
    # Over three years of document dates (leap day included in the stride's reach).
    for text in RELATIVE_TEXTS:
        for tense in (None, "past", "future"):
            v = resolve_date(text, doc_date, tense=tense)
            assert v is not None and v.grain in GRAINS, text
            assert date.fromisoformat(v.start) <= date.fromisoformat(v.end), text


@pytest.mark.parametrize("doc_date", [date(2021, 12, 31), date(2022, 1, 1), date(2024, 2, 29),
                                      date(2022, 2, 6), date(2022, 3, 31)])
@pytest.mark.parametrize("unit", ["week", "month", "quarter", "year", "decade"])
def test_this_last_next_tile_the_calendar(doc_date, unit):
    this = resolve_date(f"this {unit}", doc_date)
    last = resolve_date(f"last {unit}", doc_date)
    nxt = resolve_date(f"next {unit}", doc_date)
    assert this.start <= doc_date.isoformat() <= this.end
    assert date.fromisoformat(last.end) + timedelta(days=1) == date.fromisoformat(this.start)
    assert date.fromisoformat(this.end) + timedelta(days=1) == date.fromisoformat(nxt.start)


def test_value_is_frozen():
    v = resolve_date("2023", D)
    with pytest.raises(AttributeError):
        v.start = "2024-01-01"


def test_module_does_not_import_spacy():
    # A fresh interpreter: this test process may already hold spaCy (CONTRACT 9).
    code = ("import sys, factx.normalize.dates; "
            "print(sorted(m for m in ('spacy', 'pint', 'babel', 'dateutil') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- surroundings

SURROUNDINGS = [
    ("over the past two years", "2020-02-07", "2022-02-06"),
    ("in the past week", "2022-01-31", "2022-02-06"),
    ("within the next two weeks", "2022-02-06", "2022-02-19"),
    ("for 2022", "2022-01-01", "2022-12-31"),
    ("1st quarter 2023", "2023-01-01", "2023-03-31"),
    ("the 1st week of March 2022", "2022-03-01", "2022-03-07"),
    ("Friday night", "2022-02-04", "2022-02-04"),
    ("(2023)", "2023-01-01", "2023-12-31"),
    ("IN APRIL 2021", "2021-04-01", "2021-04-30"),
]


@pytest.mark.parametrize("text,start,end", SURROUNDINGS)
def test_surrounding_words_and_case(text, start, end):
    v = resolve_date(text, D)
    assert (v.start, v.end) == (start, end)


def test_ordinal_day_is_not_a_duration():
    assert not is_duration("the 99th day")
    assert is_duration("99 days")


# --------------------------------------------------------------------------- tense of parts

D_MARCH = date(2013, 3, 22)


@pytest.mark.parametrize("text,tense,start,end", [
    # a part of an unnamed year that has not begun on D: the tense picks the year
    ("the end of the year", "past", "2012-10-01", "2012-12-31"),
    ("the end of year", "past", "2012-10-01", "2012-12-31"),
    ("the end of the year", None, "2013-10-01", "2013-12-31"),
    ("the end of the year", "future", "2013-10-01", "2013-12-31"),
    ("the end of this year", "past", "2013-10-01", "2013-12-31"),  # "this" is written
    ("early in the year", "past", "2013-01-01", "2013-03-31"),  # already begun: this year
    ("the beginning of the month", "future", "2013-04-01", "2013-04-10"),
    ("late in the month", "past", "2013-03-21", "2013-03-31"),  # begun on D: this month
])
def test_unnamed_period_part_follows_tense(text, tense, start, end):
    v = resolve_date(text, D_MARCH, tense=tense)
    assert (v.start, v.end) == (start, end)


@pytest.mark.parametrize("text,start", [
    ("just six years ago", "2007-01-01"),
    ("nearly two years ago", "2011-01-01"),
    ("some time in 2012", "2012-01-01"),
    ("roughly a year ago", "2012-01-01"),
])
def test_approximators_do_not_change_the_date(text, start):
    assert resolve_date(text, D_MARCH).start == start


@pytest.mark.parametrize("text", ["minutes", "hours", "a mere 24 hours", "just 10 days",
                                  "only three weeks"])
def test_more_durations(text):
    assert is_duration(text)
    assert resolve_date(text, D_MARCH) is None


@pytest.mark.parametrize("text,preceding,window", [
    ("the past two years", None, True),
    ("over the past two years", None, True),
    ("within 10 days", None, True),
    ("the next three months", None, True),
    ("the next decade", "over", True),
    ("the past year", "for", True),
    ("the next decade", None, False),   # the calendar decade after D's
    ("the past week", "in", False),
    ("the last week", None, False),     # the previous ISO week
    ("last year", "over", False),
    ("two years ago", None, False),
    ("the first two weeks of March", None, False),
])
def test_windows(text, preceding, window):
    assert is_window(text, preceding) is window


# --------------------------------------------------------------------------- through the pipeline
# The `factx_dates` component gives the tense from the date's own clause and leaves out
# windows and non-times of day.

def _dates(text: str, doc_date: date) -> dict[str, dict]:
    import factx

    return {f.text: f.value for f in factx.extract(text, doc_date) if f.type == "date"}


@pytest.mark.parametrize("text,date_text,start", [
    ("The book, which he worked on for years, is due to be published in May.", "May",
     "2013-05-01"),
    ("BP agreed to sell its stake in October.", "October", "2012-10-01"),
    ("The company said it will open the plant in June.", "June", "2013-06-01"),
    ("The season started in early December.", "early December", "2012-12-01"),
    ("Prices peaked by the end of the year.", "the end of the year", "2012-10-01"),
    ("The plant was expected to open in June.", "June", "2013-06-01"),
])
def test_clause_tense_picks_the_year(text, date_text, start):
    assert _dates(text, D_MARCH)[date_text]["start"] == start


def test_windows_and_lengths_are_not_date_facts():
    dates = _dates("He had spoken to both leaders over the past two years, and the race "
                   "ended in a mere 24 hours, minutes before the vote on Friday at 3 p.m.",
                   D_MARCH)
    assert "the past two years" not in dates and "over the past two years" not in dates
    assert not any("24 hours" in t or t == "minutes" for t in dates)
    # the grammar keeps the time of day with its day ("Friday at 3 p.m."), day grain
    friday = next(v for t, v in dates.items() if t.startswith("Friday"))
    assert (friday["start"], friday["grain"]) == ("2013-03-22", "day")


# One case per rule of ABSOLUTE_RULES (the names of days, months, years, ...), article of
# Sunday 2022-02-06: (rule, text, start, end, grain).
ABSOLUTE_CASES = [
    ("_iso_day", "2022-02-03", "2022-02-03", "2022-02-03", "day"),
    ("_iso_month", "2021-11", "2021-11-01", "2021-11-30", "month"),
    ("_numeric_day", "6/17/2019", "2019-06-17", "2019-06-17", "day"),
    ("_numeric_day", "17.06.2019", "2019-06-17", "2019-06-17", "day"),
    ("_day_month_name_year", "17-Jun-19", "2019-06-17", "2019-06-17", "day"),
    ("_numeric_month", "7/2018", "2018-07-01", "2018-07-31", "month"),
    ("_named_day", "Christmas 2015", "2015-12-25", "2015-12-25", "day"),
    ("_named_day", "Thanksgiving", "2021-11-25", "2021-11-25", "day"),  # the fourth Thursday, just past
    ("_month_day", "Feb 6 2021", "2021-02-06", "2021-02-06", "day"),
    ("_month_day", "6th of February", "2022-02-06", "2022-02-06", "day"),
    ("_month", "April 2021", "2021-04-01", "2021-04-30", "month"),
    ("_month", "April", "2022-04-01", "2022-04-30", "month"),
    ("_year_named", "FY23", "2023-01-01", "2023-12-31", "year"),
    ("_hundreds", "1800s", "1800-01-01", "1899-12-31", "century"),
    ("_decade", "1990s", "1990-01-01", "1999-12-31", "decade"),
    ("_two_digit_decade", "the '90s", "1990-01-01", "1999-12-31", "decade"),
    ("_two_digit_decade", "the nineties", "1990-01-01", "1999-12-31", "decade"),
    ("_century", "19th century", "1800-01-01", "1899-12-31", "century"),
    ("_season_named", "summer 2021", "2021-06-01", "2021-08-31", "season"),
    ("_quarter", "Q1 2023", "2023-01-01", "2023-03-31", "quarter"),
    ("_half", "H2 2021", "2021-07-01", "2021-12-31", "half"),
    ("_weekday", "Monday", "2022-01-31", "2022-01-31", "day"),  # the past one
    ("_weekday", "last Friday", "2022-02-04", "2022-02-04", "day"),
]


@pytest.mark.parametrize("rule, text, start, end, grain", ABSOLUTE_CASES)
def test_each_absolute_rule(rule, text, start, end, grain):
    value = resolve_date(text, date(2022, 2, 6))
    assert value is not None and (value.start, value.end, value.grain) == (start, end, grain)


def test_every_absolute_rule_has_a_case():
    from factx.normalize.dates import ABSOLUTE_RULES

    assert {case[0] for case in ABSOLUTE_CASES} == {rule.__name__ for _, rule in ABSOLUTE_RULES}


# One case per rule of PARSE_RULES, article of Wednesday 2022-02-16: (rule, text, start,
# end, grain); start None: no date.
PARSE_CASES = [
    ("_vague", "recently", None, None, None),
    ("_part_of_period", "early March", "2022-03-01", "2022-03-10", "month"),
    ("_nth_part", "the last week of this month", "2022-02-22", "2022-02-28", "week"),
    ("_nth_part", "the first quarter of 2023", "2023-01-01", "2023-03-31", "quarter"),
    ("_day_with_clock_time", "March 4, 2015 at 3 p.m.", "2015-03-04", "2015-03-04", "day"),
    ("_day_word", "yesterday", "2022-02-15", "2022-02-15", "day"),
    ("_trailing_words", "Monday morning", "2022-02-14", "2022-02-14", "day"),
    ("_counted_from_now", "two years ago", "2020-01-01", "2020-12-31", "year"),
    ("_counted_from_now", "in three weeks", "2022-03-07", "2022-03-13", "week"),  # the ISO week of March 9
    ("_window", "the past two years", "2020-02-17", "2022-02-16", "year"),
    ("_earlier_or_later_this", "earlier this year", "2022-01-01", "2022-02-16", "year"),
    ("_this_unit", "next year", "2023-01-01", "2023-12-31", "year"),
    ("_weekend", "last weekend", "2022-02-12", "2022-02-13", "week"),
]


@pytest.mark.parametrize("rule, text, start, end, grain", PARSE_CASES)
def test_each_parse_rule(rule, text, start, end, grain):
    value = resolve_date(text, date(2022, 2, 16))
    if start is None:
        assert value is None
    else:
        assert value is not None and (value.start, value.end, value.grain) == (start, end, grain)


def test_an_anaphor_moves_the_reference_date():
    told = resolve_date("May 5, 1986", date(2022, 2, 16))
    value = resolve_date("a year earlier", date(2022, 2, 16), reference=told)
    assert (value.start, value.end, value.grain) == ("1985-05-05", "1985-05-05", "day")


def test_every_parse_rule_has_a_case():
    from factx.normalize.dates import PARSE_RULES

    assert {case[0] for case in PARSE_CASES} | {"_anaphor_rule"} == {rule.__name__ for rule in PARSE_RULES}


@pytest.mark.parametrize("text, start", [("next April", "2022-04-01"), ("Sunday 13th", "2022-02-13"),
                                         ("Monday, Feb. 14", "2022-02-14")])
def test_a_modifier_or_weekday_before_a_name(text, start):
    assert resolve_date(text, date(2022, 2, 16)).start == start
