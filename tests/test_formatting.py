"""Numbers, ranges, units and fact values as people read them (factx.formatting)."""

from __future__ import annotations

import pytest

from factx import formatting
from factx.facts import QUALIFIERS, Fact
from factx.formatting import SHORT_SCALES, number, number_range, period, unit


@pytest.mark.parametrize(
    ("value", "long", "short"),
    [
        (16e9, "16 billion", "16 bn"),
        (1.5e9, "1.5 billion", "1.5 bn"),
        (790e6, "790 million", "790 mn"),
        (2.4e12, "2.4 trillion", "2.4 tn"),
        (-3.25e6, "-3.25 million", "-3.25 mn"),
        (999_999.0, "999,999", "999,999"),
        (1100.0, "1,100", "1,100"),
        (0.05, "0.05", "0.05"),
        (507.00923, "507.009", "507.009"),
        (2.998e-8, "3e-08", "3e-08"),
        (5e17, "5e+17", "5e+17"),
        (0, "0", "0"),
        (None, "?", "?"),
        (float("inf"), "inf", "inf"),
    ],
)
def test_number_long_and_short(value, long, short):
    assert number(value) == long
    assert number(value, SHORT_SCALES) == short


def test_short_numbers_have_no_word_longer_than_a_few_digits():
    # a table column never needs to fold a value mid-number
    for exponent in range(0, 15):
        for mantissa in (1, 1.5, 9.99, 1.23456):
            words = number(mantissa * 10**exponent, SHORT_SCALES).split()
            assert max(map(len, words)) <= len("1,234.56"), words


def test_ranges_and_periods():
    assert number_range(5e9, 7e9) == "5 billion – 7 billion"
    assert number_range(5e9, None, SHORT_SCALES) == "5 bn"
    assert period("2022-02-22", "2022-02-28") == "2022-02-22 – 2022-02-28"
    assert period("2022-02-22", "2022-02-22") == "2022-02-22"
    assert period(None, "2023-12-31") == "… – 2023-12-31"
    assert period(None, None) == "undated"


def test_units_for_people():
    assert unit("meter ** 3 / year") == "meter³/year"
    assert unit("meter ** 2") == "meter²"
    assert unit("kilogram * meter / second ** -2") == "kilogram·meter/second^-2"
    assert unit("oil_barrel") == "oil barrel"
    assert unit(None) == ""


def _money(**value) -> Fact:
    return Fact(doc="a.txt", type="money", label="MONEY", text="x", start=0, end=1, sentence="x",
                sentence_start=0, value=value)


def test_money_values_name_the_currency_or_say_it_is_unknown():
    assert formatting.fact_value(_money(amount=18.0, currency="USD", per_unit="oil_barrel")) == "USD 18 per oil barrel"
    assert formatting.fact_value(_money(amount=5e6, currency=None, currency_text="rupees"),
                                 SHORT_SCALES) == "? 5 mn (rupees)"
    assert formatting.fact_value(_money(amount=1.0, amount_high=2.0, currency=None)) == "? 1 – 2"


def test_date_values_keep_grain_and_open_range():
    value = {"start": "2014-01-01", "end": "2014-12-31", "grain": "year", "relation": "since",
             "range_start": "2014-01-01", "range_end": None}
    assert formatting.date_value(value) == "2014-01-01 – 2014-12-31 (year); since: 2014-01-01 – …"


def test_every_qualifier_has_a_sign():
    assert set(formatting.QUALIFIER_SIGNS) == set(QUALIFIERS)
    assert formatting.qualified("at_most", "USD 8") == "≤ USD 8"
    assert formatting.qualified(None, "USD 8") == "USD 8"


def test_truncate_marks_the_cut():
    assert formatting.truncate("abcdef", 4) == "abc…"
    assert formatting.truncate("dir/file.txt", 6, keep_end=True) == "…e.txt"
    assert formatting.truncate("abc", 3) == "abc"
