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


# --- subjects from the parse (sentences written for these tests) -------------------------

@pytest.mark.parametrize("text, fragment, word", [
    ("The new hatchback has a range of 520 kilometres on one charge.", "520", "range"),
    ("Tourism accounts for 12 percent of the national economy.", "12 percent", "economy"),
    ("The miner lowered its copper output forecast to 1.1 million tonnes.", "1.1 million", "forecast"),
    ("A Lagos developer paid $4.2 million for the warehouse site.", "4.2", "warehouse"),
    ("The bridge spans some nine miles (14.5 km) across the bay.", "14.5", "bridge"),
    ("Retail rents rose 3 pct and office rents were up 5 pct in May.", "5 pct", "office"),
    ("Farmers harvested the valley that is about 40 km long.", "40 km", "valley"),
])
def test_subject_comes_from_the_values_own_phrase(text, fragment, word):
    fact = _one(text, fragment)
    assert word in (fact["subject"] or "").lower(), fact["subject"]


def test_market_table_rows_name_their_index():
    facts = {f["text"]: f["subject"] for f in _claims("Closing: Ibex +0.7% Bovespa -1.2%.")}
    assert facts.get("+0.7%") == "Ibex" and facts.get("-1.2%") == "Bovespa"


def test_price_per_unit_names_the_unit_price():
    fact = _one("Brent crude rose to 71 dlrs a barrel on Tuesday.", "71")
    assert "barrel" in fact["subject"] and "crude" in fact["subject"].lower()


def test_listed_values_share_a_subject():
    facts = [f for f in _claims("The tablets come in 8.3 inches, 10.9 inches and 12.9 inches.")
             if f["type"] == "quantity"]
    assert len({f["subject"] for f in facts}) == 1


# --- money forms ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, fragment, amount, currency", [
    ("The utility posted revenue of EUR75m for the quarter.", "EUR75", 7.5e7, "EUR"),
    ("Gold closed at USD1,950 an ounce.", "USD1,950", 1950, "USD"),
    ("The condo sold for RM850,000 in Penang.", "RM850,000", 8.5e5, "MYR"),
    ("The fund manages $US40 billion for pension clients.", "$US40", 4e10, "USD"),
    ("The stake was valued at 2.4 billion Swedish crowns.", "2.4 billion", 2.4e9, "SEK"),
])
def test_currency_forms(text, fragment, amount, currency):
    fact = _one(text, fragment)
    assert fact["type"] == "money" and fact["value"]["amount"] == pytest.approx(amount)
    assert fact["value"]["currency"] == currency


def test_money_range_split_by_the_model_is_one_fact():
    fact = _one("Analysts see sales of US $12 to $14 billion next year.", "12")
    assert fact["value"]["amount"] == 1.2e10 and fact["value"]["amount_high"] == 1.4e10


def test_range_with_scale_on_both_ends():
    fact = _one("The penalty could reach $2 billion to $3 billion, lawyers said.", "billion")
    assert fact["value"]["amount"] == 2e9 and fact["value"]["amount_high"] == 3e9


def test_glued_m_before_a_plural_noun_is_not_metres():
    assert [f for f in _claims("The game sold 4.5m copies last year.") if f["type"] == "quantity"] == []
    fact = _one("The plant will make 2.5m tonnes of steel.", "tonnes")
    assert fact["value"]["magnitude"] == 2.5e6 and fact["value"]["unit"] == "metric_ton"
