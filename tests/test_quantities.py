"""Quantity and money claims on sentences written for these tests (not from any benchmark)."""

from __future__ import annotations

import pytest

import factx


def _claims(text):
    return [f.to_dict() for f in factx.extract(text) if f.type in ("money", "quantity")]


def _one(text, fragment):
    found = [f for f in _claims(text) if fragment in f["text"]]
    assert len(found) == 1, (fragment, [f["text"] for f in _claims(text)])
    return found[0]


def test_percent_after_an_adverb():
    fact = _one("Exports grew by just 4% last quarter.", "4%")
    assert fact["value"]["base_magnitude"] == pytest.approx(0.04)


def test_negative_percentages_keep_their_sign():
    facts = _claims("Markets: Nikkei -2.1% Hang Seng -0.4% Kospi +0.9%.")
    values = sorted(f["value"]["magnitude"] for f in facts)
    assert values == pytest.approx([-2.1, -0.4, 0.9])


def test_dollar_sign_outside_the_entity_is_usd():
    fact = _one("The new console will sell for $350 in stores.", "350")
    assert fact["type"] == "money" and fact["value"]["currency"] == "USD" and fact["text"] == "$350"


def test_money_range_with_repeated_symbol_and_scale():
    fact = _one("The deal could be worth $4 to $6 billion, bankers said.", "billion")
    assert fact["value"]["amount"] == 4e9 and fact["value"]["amount_high"] == 6e9


def test_compact_million_after_currency():
    fact = _one("The club paid $7.5M for the striker.", "7.5M")
    assert fact["value"]["amount"] == 7.5e6


def test_symbol_with_country_letters():
    fact = _one("Sales reached HK $2.1 billion in the year.", "2.1")
    assert fact["value"]["currency"] == "HKD" and fact["value"]["amount"] == 2.1e9


def test_per_unit_price():
    fact = _one("Crude settled at 18 dlrs a barrel on Friday.", "18")
    assert fact["value"]["currency"] == "USD" and fact["value"]["per_unit"] == "oil_barrel"


def test_monthly_price_keeps_per_unit():
    fact = _one("The basic plan costs $9.99 a month.", "9.99")
    assert fact["value"]["per_unit"] == "month"


def test_percent_tagged_as_money_is_a_percentage():
    fact = _one("The index rose 0.45 per cent on Monday.", "0.45")
    assert fact["type"] == "quantity" and fact["value"]["unit"] == "percent"


def test_change_from_to_gives_two_facts():
    facts = [f for f in _claims("Output rose from 30 to 34 bcm this year.") if f["type"] == "quantity"]
    assert sorted(f["value"]["base_magnitude"] for f in facts) == pytest.approx([3e10, 3.4e10])


def test_duration_inside_a_longer_date():
    fact = _one("Four days later the ship reached port.", "days")
    assert fact["label"] == "DURATION" and fact["value"]["magnitude"] == 4


@pytest.mark.parametrize("text, unit", [
    ("The sedan makes 300 hp from its engine.", "horsepower"),
    ("The screen refreshes at 144 Hz in games.", "hertz"),
    ("The phone ships with a 5000 mAh battery.", "milliampere_hour"),
    ("The tablet has 256 GB of storage.", "gigabyte"),
])
def test_common_technical_units(text, unit):
    facts = [f for f in _claims(text) if f["type"] == "quantity"]
    assert [f["value"]["unit"] for f in facts] == [unit]


@pytest.mark.parametrize("text", [
    "Two countries signed the accord.",
    "The firm hired 3,000 workers in 2019.",
    "He finished 2nd in the race.",
    "Call 555-0142 for details.",
])
def test_not_quantities(text):
    assert [f for f in _claims(text) if f["type"] == "quantity"] == []


def test_no_span_is_both_money_and_quantity():
    facts = _claims("The plant cost $1.2 billion and makes 40 tonnes a day, up 5 pct.")
    spans = [(f["start"], f["end"]) for f in facts]
    for i, (a, b) in enumerate(spans):
        for c, d in spans[i + 1:]:
            assert b <= c or d <= a
