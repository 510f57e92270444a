"""Issue 15 parts 2 and 3: dates found by a grammar, and narrative time.

The pure grammar (`factx.normalize.date_grammar`) and the normalizer's new forms are tested
without spaCy; the component's merge with the model, narrative reference time, times of day
and the not-a-date cases run on the real model through `factx.extract`. Expected dates were
worked out from the calendar by hand (Thanksgiving 2015 is the fourth Thursday of November:
Nov 1, 2015 was a Sunday, so the 26th; Western Easter 2016 fell on March 27).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from factx.normalize.date_grammar import find_dates
from factx.normalize.dates import DateValue, resolve_date

D = date(2019, 6, 5)  # a Wednesday


def spans(text: str) -> list[str]:
    return [text[f.start:f.end] for f in find_dates(text)]


# --------------------------------------------------------------------------- the grammar

GRAMMAR = [
    ("It happened on Wednesday Mar 4, 2015 in Paris.", ["Wednesday Mar 4, 2015"]),
    ("Filed 3 oct. 2016 and again 17/Jun/2019.", ["3 oct. 2016", "17/Jun/2019"]),
    ("The deadline is 21st Feb, the launch Aug 2017.", ["21st Feb", "Aug 2017"]),
    ("The hearing on July 17, 2018 at 3 p.m. was short.", ["July 17, 2018 at 3 p.m."]),
    ("Meet me 3PM on July 17.", ["3PM on July 17"]),
    ("The festival runs March 3-17 in Austin.", ["March 3-17"]),
    ("Voting lasts October 28-November 9.", ["October 28-November 9"]),
    ("It closed between June 2 and August 30.", ["between June 2 and August 30"]),
    ("He served from 2011 to 2016.", ["from 2011 to 2016"]),
    ("The loan ran May 1, 1985, to January 31, 1986, the bank said.",
     ["May 1, 1985, to January 31, 1986"]),
    ("Sales peaked in 2011, 2014 and 2018.", ["2011", "2014", "2018"]),
    ("Stores open on Thanksgiving and over Labor Day weekend.",
     ["Thanksgiving", "Labor Day weekend"]),
    ("Prices fell from a year earlier and the previous year.",
     ["a year earlier", "the previous year"]),
    ("He returned on the 12th of the same month.", ["the 12th of the same month"]),
    ("Output fell against the same month a year earlier.", ["the same month a year earlier"]),
    ("Forms dated 6/17/2019 and 2019-06-17 were accepted.", ["6/17/2019", "2019-06-17"]),
    ("See you Sunday 17th or Fri 5/27 2:00pm.", ["Sunday 17th", "Fri 5/27 2:00pm"]),
    ("On Friday 14 people died.", ["Friday"]),  # the count is not the day of the month
    ("Flights 28Nov2016 and 17. Aug 2014.", ["28Nov2016", "17. Aug 2014"]),
]


@pytest.mark.parametrize("text, expected", GRAMMAR)
def test_grammar_finds_written_dates(text, expected):
    assert spans(text) == expected


NOT_DATES = [
    "You may 5 times ask.",                 # lower-case "may" is a verb
    "Profit was 4.5 mln dlrs vs 3.2 mln.",  # numbers
    "Shares rose 3/4 point.",               # a fraction is no date
    "The march 3 miles long.",              # lower-case march
    "Eat a thanksgiving meal.",             # named days are proper names
    "It cost $2011 and 2014 euros.",        # money, not a year list
    "The season started a month earlier than usual.",  # a difference, not a date
    "Sales rose 3. March was weak.",        # a dotted day needs a year or a time
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_grammar_leaves_numbers_and_verbs(text):
    assert spans(text) == []


def test_grammar_is_linear_on_a_long_text():
    import time

    unit = "Sales rose 5 pct on March 3, 2016 from 2,011 units, between 10 and 20 May. " * 2000
    t0 = time.perf_counter()
    found = find_dates(unit)
    assert len(found) == 4000
    assert time.perf_counter() - t0 < 2.0


# --------------------------------------------------------------------------- normalizer

NAMED_DAYS = [
    ("Thanksgiving 2015", "2015-11-26", "2015-11-26", "day"),
    ("Black Friday 2015", "2015-11-27", "2015-11-27", "day"),
    ("Easter 2016", "2016-03-27", "2016-03-27", "day"),
    ("Good Friday 2016", "2016-03-25", "2016-03-25", "day"),
    ("Labor Day weekend 2019", "2019-08-31", "2019-09-02", "week"),
    ("Memorial Day 2021", "2021-05-31", "2021-05-31", "day"),
    ("Christmas 2015", "2015-12-25", "2015-12-25", "day"),
]


@pytest.mark.parametrize("text, start, end, grain", NAMED_DAYS)
def test_named_days_are_computed_per_year(text, start, end, grain):
    v = resolve_date(text, D)
    assert (v.start, v.end, v.grain) == (start, end, grain)


def test_named_day_without_year_follows_the_tense():
    # in June 2019, last Christmas was 2018's and the coming one 2019's
    assert resolve_date("Christmas", D, tense="past").start == "2018-12-25"
    assert resolve_date("Christmas", D, tense="future").start == "2019-12-25"


WRITTEN = [
    ("17/Jun/2019", "2019-06-17"),
    ("6/17/2019", "2019-06-17"),        # month first, as US news writes it
    ("17/06/2019", "2019-06-17"),       # 17 cannot be a month
    ("17.06.2019", "2019-06-17"),       # dots: day first
    ("March 4, 2015 at 3 p.m.", "2015-03-04"),
    ("3PM on July 17, 2018", "2018-07-17"),
    ("Aug 06, 2018 05:05 PM CDT", "2018-08-06"),
    ("friday, 03 september 2014", "2014-09-03"),
]


@pytest.mark.parametrize("text, day", WRITTEN)
def test_written_days_keep_day_grain(text, day):
    v = resolve_date(text, D)
    assert (v.start, v.end, v.grain) == (day, day, "day")


def test_weekday_with_day_of_month_picks_the_month():
    # Sunday the 17th nearest to Wednesday 2019-06-05: 2019-03-17 (80 days back) vs
    # 2019-11-17 (165 days ahead)
    assert resolve_date("Sunday 17th", D).start == "2019-03-17"
    assert resolve_date("Sunday 17th", D, tense="future").start == "2019-11-17"
    # the weekday decides between month/day and day/month: 2019-01-31 was a Thursday
    assert resolve_date("Thursday 31/1", D).start == "2019-01-31"
    assert resolve_date("Fri 5/27", D) is None  # no Friday May 27 within a year of D


def test_two_digit_year_is_the_nearest_to_the_document_date():
    assert resolve_date("4/1/87", date(1987, 3, 2)).start == "1987-04-01"
    assert resolve_date("4/1/99", date(1987, 3, 2)).start == "1999-04-01"
    assert resolve_date("17-Jun-19", D).start == "2019-06-17"


def test_half_of_a_month():
    v = resolve_date("the first half of May", D, tense="future")
    assert (v.start, v.end, v.grain) == ("2020-05-01", "2020-05-15", "half")


REF_DAY = DateValue("2016-03-03", "2016-03-03", "day", False)
REF_Q3 = DateValue("2013-07-01", "2013-09-30", "quarter", False)

ANAPHORS = [
    ("a week later", REF_DAY, "2016-03-10", "2016-03-10", "day"),
    ("the previous year", REF_DAY, "2015-01-01", "2015-12-31", "year"),
    ("that year", REF_DAY, "2016-01-01", "2016-12-31", "year"),
    ("the same month", REF_DAY, "2016-03-01", "2016-03-31", "month"),
    ("the 12th of the same month", REF_DAY, "2016-03-12", "2016-03-12", "day"),
    ("a year earlier", REF_Q3, "2012-07-01", "2012-09-30", "quarter"),
    ("the same quarter a year earlier", REF_Q3, "2012-07-01", "2012-09-30", "quarter"),
]


@pytest.mark.parametrize("text, ref, start, end, grain", ANAPHORS)
def test_anaphors_count_from_the_reference(text, ref, start, end, grain):
    v = resolve_date(text, D, reference=ref)
    assert (v.start, v.end, v.grain) == (start, end, grain)


def test_anaphors_without_reference_give_no_date():
    assert resolve_date("a year earlier", D) is None
    assert resolve_date("the same month", D) is None
    assert resolve_date("that year", D) is None


def test_narrative_year_only_from_a_written_day_in_another_year():
    assert resolve_date("March 10", D, reference=REF_DAY).start == "2016-03-10"
    # a future clause looks ahead from the document date
    assert resolve_date("March 10", D, tense="future", reference=REF_DAY).start == "2020-03-10"
    # a month with its year is too loose a setting
    month = DateValue("2016-03-01", "2016-03-31", "month", False)
    assert resolve_date("April 2", D, reference=month).start == "2019-04-02"
    # weekdays stay deictic
    assert resolve_date("Friday", D, reference=REF_DAY).start == "2019-05-31"


def test_grammar_module_does_not_import_spacy_or_dateutil():
    code = ("import sys, factx.normalize.date_grammar; "
            "print(sorted(m for m in ('spacy', 'dateutil') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the component

def dates(text: str, doc_date: date = D) -> dict[str, dict]:
    import factx

    return {f.text: f.value for f in factx.extract(text, doc_date) if f.type == "date"}


def test_grammar_dates_become_facts_with_exact_offsets():
    import factx

    text = "Filed on 3 oct. 2016, heard 17/Jun/2019 and settled Wednesday Mar 4, 2015."
    facts = [f for f in factx.extract(text, D) if f.type == "date"]
    assert [f.text for f in facts] == ["3 oct. 2016", "17/Jun/2019", "Wednesday Mar 4, 2015"]
    assert all(text[f.start:f.end] == f.text for f in facts)
    assert [f.value["start"] for f in facts] == ["2016-10-03", "2019-06-17", "2015-03-04"]


def test_a_year_list_gives_one_fact_per_year():
    got = dates("The company raised prices in 2011, 2014 and 2018.")
    assert [v["start"] for v in got.values()] == ["2011-01-01", "2014-01-01", "2018-01-01"]


def test_ranges_are_one_fact():
    got = dates("The exhibition ran from May 1, 1985, to January 31, 1986.")
    (value,) = got.values()
    assert (value["start"], value["end"], value["grain"]) == ("1985-05-01", "1986-01-31", "day")


def test_year_less_date_takes_the_narrative_year():
    got = dates("A week after March 3, 2016, the board met again. On March 10 it voted.")
    assert got["March 10"]["start"] == "2016-03-10"


def test_future_clause_takes_the_next_occurrence():
    got = dates("Customers will have to wait until June.", date(2019, 7, 2))
    assert got["June"]["start"] == "2020-06-01"


def test_time_of_day_belongs_to_the_day_of_its_sentence():
    got = dates("Fans gathered Friday evening before the 7 p.m. kickoff.")
    friday = "2019-05-31"  # the Friday before Wednesday 2019-06-05
    times = [v for k, v in got.items() if "7 p.m." in k]
    assert times and times[0]["start"] == friday


def test_season_as_modifier_is_not_a_date():
    got = dates("A winter storm closed schools, and summer sales were weak.")
    assert not any(k.lower().endswith(("winter", "summer")) for k in got)


def test_generic_todays_is_not_a_date():
    got = dates("Today's consumers expect more than ever.")
    assert not got


def test_holiday_as_modifier_of_a_time_noun_stays():
    got = dates("Traffic was heavy over the Christmas holiday.", date(2019, 12, 28))
    assert any(v["start"] == "2019-12-25" for v in got.values())
