"""Properties of the date resolver (issue 4): on any text, with or without a document
date and whatever the hints, `resolve_date` never raises, and a value it returns never
ends before it starts (nor has only one end)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factx.normalize.dates import GRAINS, is_duration, is_window, resolve_date

MONTHS = ["January", "Feb.", "March", "Apr", "May", "June", "Sept.", "October", "Dec"]
WEEKDAYS = ["Monday", "Tue", "Wednesday", "Friday", "Sunday"]
UNITS = ["day", "days", "week", "weeks", "month", "months", "quarter", "year", "years",
         "decade", "decades", "century", "fortnight"]
WORDS = (MONTHS + WEEKDAYS + UNITS + [
    "the", "this", "last", "next", "past", "previous", "coming", "early", "mid", "mid-",
    "late", "end", "of", "beginning", "start", "middle", "first", "second", "final", "half",
    "Q1", "Q4", "H2", "FY", "fiscal", "since", "until", "by", "before", "after", "from",
    "to", "through", "between", "and", "-", "ago", "in", "within", "from now", "earlier",
    "later", "today", "yesterday", "tomorrow", "weekend", "summer", "winter", "spring",
    "fall", "the 1990s", "'90s", "the nineties", "19th", "twentieth", "a", "two",
    "three", "ten", "twenty-one", "morning", "night", "about", "just", "some", "over",
    "for", ",", ".", "s", "th", "'",
])

numbers = st.one_of(
    st.integers(min_value=0, max_value=40).map(str),
    st.integers(min_value=0, max_value=99999).map(str),
    st.integers(min_value=1, max_value=9999).map(lambda y: f"{y:04d}"),
)
pieces = st.one_of(st.sampled_from(WORDS), numbers)
date_like = st.lists(pieces, min_size=1, max_size=7).map(" ".join) | st.builds(
    lambda y, m, d, sep: f"{y}{sep}{m}{sep}{d}",
    st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32), st.sampled_from("-/ "))
doc_dates = st.none() | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
tenses = st.sampled_from([None, "past", "future", "present", ""])
preceding = st.none() | st.sampled_from(["since", "by", "until", "before", "after", "over",
                                         "in", "", "Till"])


def check(text: str, doc_date: date | None, tense: str | None, prec: str | None):
    value = resolve_date(text, doc_date, tense=tense, preceding=prec)
    is_window(text, prec)
    if value is None:
        return None
    assert value.grain in GRAINS
    assert (value.start is None) == (value.end is None)
    if value.start is not None:
        assert date.fromisoformat(value.start) <= date.fromisoformat(value.end)
    if value.range_start is not None and value.range_end is not None:
        assert value.range_start <= value.range_end
    if is_duration(text):
        raise AssertionError(f"a duration got a date: {text!r}")
    return value


SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=60), doc_dates, tenses, preceding)
def test_arbitrary_text_never_raises(text, doc_date, tense, prec):
    check(text, doc_date, tense, prec)


@SETTINGS
@given(date_like, doc_dates, tenses, preceding)
def test_date_like_text_gives_ordered_ranges(text, doc_date, tense, prec):
    check(text, doc_date, tense, prec)


@SETTINGS
@given(date_like, tenses)
def test_without_a_document_date(text, tense):
    check(text, None, tense, None)


def test_the_checks_run_on_values_not_only_on_none():
    # Texts the strategies above can draw: the properties return early on None, so the
    # resolver must give these a value for the checks to mean anything.
    assert check("2019-6-5", None, None, None).start == "2019-06-05"
    assert check("March 2014", date(2020, 1, 1), None, "since").range_start == "2014-03-01"
    assert check("last week", date(2022, 2, 6), "past", None).grain == "week"
