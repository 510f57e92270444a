"""The seed articles yield the facts the v1 issue lists, checked by normalized value."""

from __future__ import annotations

from datetime import date

import jsonschema
import pytest

from conftest import SEED_000, SEED_003, SEEDS, facts_of
from factx.facts import SCHEMA
from factx.normalize.units import registry


def _source(fact: dict) -> str:
    return (SEEDS / fact["doc"].rsplit("/", 1)[-1]).read_bytes().decode("utf-8")


def test_every_fact_obeys_the_contract(seed_facts):
    assert seed_facts
    for fact in seed_facts:
        jsonschema.validate(fact, SCHEMA)
        source = _source(fact)
        assert source[fact["start"] : fact["end"]] == fact["text"]
        assert source[fact["sentence_start"] :].startswith(fact["sentence"])
        assert fact["sentence_start"] <= fact["start"]
        if fact["when"]:
            assert source[fact["when"]["start"] : fact["when"]["end"]] == fact["when"]["text"]
    assert any(fact["when"] for fact in seed_facts)  # the when offsets above were checked at least once


def test_output_is_ordered_by_document_then_offset(seed_facts):
    keys = [(f["doc"], f["start"]) for f in seed_facts]
    assert keys == sorted(keys)


def _one(facts, **wanted):
    found = [f for f in facts if all(f.get(k) == v for k, v in wanted.items())]
    assert len(found) == 1, (wanted, [f["text"] for f in facts])
    return found[0]


def _quantity_in(fact: dict, magnitude: float, unit: str) -> bool:
    ureg = registry()
    expected = ureg.Quantity(magnitude, unit).to_base_units()
    got = ureg.Quantity(fact["value"]["base_magnitude"], fact["value"]["base_unit"])
    return got.dimensionality == expected.dimensionality and got.magnitude == pytest.approx(expected.magnitude)


def _quantities(seed_facts, doc):
    return facts_of(seed_facts, doc, "quantity")


def test_seed_000_quantities(seed_facts):
    quantities = _quantities(seed_facts, SEED_000)
    length = next(f for f in quantities if _quantity_in(f, 1.1e6, "meter"))
    assert length["text"].startswith("1,100 km")
    assert "pipeline" in length["subject"]
    assert length["about"] and "Pipeline" in length["about"]
    flow = next(f for f in quantities if _quantity_in(f, 1.6e10, "meter ** 3 / year"))
    assert flow["text"] == "16 billion cubic meters of natural gas per year"
    assert flow["subject"] == "natural gas"
    durations = sorted(f["value"]["base_magnitude"] for f in quantities if f["label"] == "DURATION")
    day = 86400
    assert durations[:3] == pytest.approx([10 * day, 45 * day, 3652.5 * day], rel=0.01)


def test_seed_000_money(seed_facts):
    money = facts_of(seed_facts, SEED_000, "money")
    trade = _one(money, text="$790 million")
    assert trade["value"]["amount"] == 7.9e8 and trade["value"]["currency"] == "USD"
    assert "trade" in trade["subject"].lower()
    assert trade["when"]["text"] == "2020"
    assert trade["when"]["value"]["start"] == "2020-01-01"
    cost = _one(money, text="$2.5 billion")
    assert cost["value"]["amount"] == 2.5e9 and cost["value"]["currency"] == "USD"
    assert cost["when"] is None  # "expected to be completed by 2023" dates the completion


@pytest.mark.parametrize(
    ("text", "start", "end", "grain"),
    [
        ("2023", "2023-01-01", "2023-12-31", "year"),
        ("April 2021", "2021-04-01", "2021-04-30", "month"),
        ("2014", "2014-01-01", "2014-12-31", "year"),
        ("2020", "2020-01-01", "2020-12-31", "year"),
    ],
)
def test_seed_000_dates(seed_facts, text, start, end, grain):
    fact = _one(facts_of(seed_facts, SEED_000, "date"), text=text)
    assert (fact["value"]["start"], fact["value"]["end"], fact["value"]["grain"]) == (start, end, grain)


def test_seed_000_since_keeps_named_period_and_relation(seed_facts):
    fact = _one(facts_of(seed_facts, SEED_000, "date"), text="2014")
    assert fact["value"]["relation"] == "since"
    assert fact["value"]["range_start"] == "2014-01-01"
    assert fact["value"]["range_end"] is None  # the article has no date


def test_durations_are_not_dates(seed_facts):
    dates = {f["text"] for f in seed_facts if f["type"] == "date"}
    assert not dates & {"10 days", "45 days", "a decade"}


def _entities(seed_facts, doc, label):
    return {f["value"]["canonical"] for f in facts_of(seed_facts, doc, "entity") if f["label"] == label}


def test_seed_000_entities(seed_facts):
    assert {"Imran Khan", "Sergey Lavrov", "Gohar Zia"} <= _entities(seed_facts, SEED_000, "PERSON")
    assert {"Maxtelz Logistics", "Gulf News"} <= _entities(seed_facts, SEED_000, "ORG")
    places = {"Pakistan", "Russia", "Islamabad", "Moscow", "Karachi", "Gwadar", "Lahore"}
    assert places <= _entities(seed_facts, SEED_000, "GPE")
    assert not places & (_entities(seed_facts, SEED_000, "ORG") | _entities(seed_facts, SEED_000, "PRODUCT"))


def test_short_person_mentions_name_the_full_person(seed_facts):
    khan = next(f for f in facts_of(seed_facts, SEED_000, "entity") if f["text"] == "Khan")
    assert khan["value"]["canonical"] == "Imran Khan"  # named only later in the text
    zia = [f for f in facts_of(seed_facts, SEED_000, "entity") if f["text"] == "Zia"]
    assert zia and zia[0]["value"]["canonical"] == "Gohar Zia"


def test_seed_003(seed_facts):
    facts = facts_of(seed_facts, SEED_003)
    cost = _one([f for f in facts if f["type"] == "money"], text="$ 2.5 billion dollar")
    assert cost["value"]["amount"] == 2.5e9 and cost["value"]["currency"] == "USD"
    flow = next(f for f in facts if f["type"] == "quantity" and _quantity_in(f, 1.23e10, "meter ** 3 / year"))
    assert flow["text"] == "12.3 billion cubic meters (bcm) of natural gas per year"
    dates = {f["text"]: f["value"] for f in facts if f["type"] == "date"}
    week = dates["the last week of this month"]
    assert week["anchored"] and "2022-02-21" <= week["start"] <= week["end"] <= "2022-02-28"
    year_end = dates["the end of this year"]
    assert year_end["anchored"] and "2022-01-01" <= year_end["start"] <= year_end["end"] == "2022-12-31"
    assert dates["2003"]["start"] == "2003-01-01"
    mid70s = dates["the mid-1970s"]
    assert "1970-01-01" <= mid70s["start"] <= mid70s["end"] <= "1979-12-31"
    assert not any(f["start"] < len(" date 2022-02-06") for f in facts)  # the marker yields no fact
    persons = _entities(seed_facts, SEED_003, "PERSON")
    assert {"Imran Khan", "Vladimir Putin", "Pervez Musharraf"} <= persons
    assert {"Daily Times", "Foreign Office"} <= _entities(seed_facts, SEED_003, "ORG")


def test_document_date_comes_from_the_marker():
    from factx.sources import parse_date_marker

    text = (SEEDS / SEED_003).read_text(encoding="utf-8")
    assert parse_date_marker(text)[0] == date(2022, 2, 6)
