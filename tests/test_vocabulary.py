"""The word lists and tables the rules read from data files agree with each other, with
the code that reads them and, where they overlap, with pint and CLDR."""

from __future__ import annotations

from datetime import date

import pytest

import factx
from factx.components.dates import is_time_of_day
from factx.facts import QUALIFIERS
from factx.normalize.dates import resolve_date
from factx.normalize.numbers import NUMBER_WORDS, SCALES, parse_number
from factx.normalize.units import dimensionality, lookup_unit, registry
from factx.normalize.vocabulary import load, singular

NUMBERS = load("numbers")


# --- numbers.toml ---------------------------------------------------------------------------

@pytest.mark.parametrize("word", sorted(SCALES))
def test_every_scale_word_multiplies_a_number(word):
    assert parse_number(f"3 {word}") == 3 * SCALES[word]


@pytest.mark.parametrize("word", sorted(NUMBERS["attached_scales"]))
def test_every_attached_scale_multiplies_the_digits_it_is_glued_to(word):
    assert parse_number(f"7{word}") == 7 * NUMBERS["attached_scales"][word]


def test_attached_and_spaced_scales_agree_where_both_have_the_word():
    attached = NUMBERS["attached_scales"]
    shared = attached.keys() & SCALES.keys()
    assert shared  # "bn", "mln", ... are written both ways
    assert {word: attached[word] for word in shared} == {word: SCALES[word] for word in shared}


def test_spelled_scales_are_scale_words():
    spelled = NUMBERS["spelled"]
    assert set(spelled["group_scales"]) <= SCALES.keys()
    assert set(spelled["half_of"]) <= SCALES.keys()


@pytest.mark.parametrize("word", NUMBERS["spelled"]["group_scales"])
def test_a_spelled_group_scale_multiplies_the_spelled_number(word):
    assert parse_number(f"two {word}") == 2 * SCALES[word]


@pytest.mark.parametrize("word", NUMBERS["spelled"]["half_of"])
def test_half_a_scale_is_half_its_value(word):
    assert parse_number(f"half a {word}") == SCALES[word] / 2


def test_number_words_read_as_their_place_in_the_list():
    ones, tens = NUMBERS["spelled"]["ones"], NUMBERS["spelled"]["tens"]
    assert [parse_number(word) for word in ones] == list(range(20))
    assert [parse_number(word) for word in tens] == list(range(20, 100, 10))
    assert parse_number(f"{tens[-1]}-{ones[9]}") == 99


@pytest.mark.parametrize("word", sorted(NUMBERS["fractions"]))
def test_fraction_words_divide(word):
    assert parse_number(f"one {word}") == pytest.approx(1 / NUMBERS["fractions"][word])


# --- measure_words.toml ---------------------------------------------------------------------

MEASURE_WORDS = load("measure_words")


def test_qualifiers_are_the_ones_a_fact_may_record():
    assert set(MEASURE_WORDS["qualifiers"]) == set(QUALIFIERS)


@pytest.mark.parametrize("qualifier,phrase", [(qualifier, phrase)
                                              for qualifier, phrases in MEASURE_WORDS["qualifiers"].items()
                                              for phrase in phrases])
def test_every_qualifier_phrase_bounds_the_value_after_it(qualifier, phrase):
    text = f"The mine shipped {phrase} 40,000 tonnes of copper last year."
    found = [fact for fact in factx.extract(text) if fact.type == "quantity"]
    assert [(fact.value["magnitude"], fact.qualifier) for fact in found] == [(40_000, qualifier)]


@pytest.mark.parametrize("period", sorted(MEASURE_WORDS["rates"]))
def test_every_rate_period_is_a_pint_time_unit(period):
    assert dimensionality(lookup_unit(period)) == "[time]"


@pytest.mark.parametrize("period,phrase", [(period, phrase)
                                           for period, phrases in MEASURE_WORDS["rates"].items()
                                           for phrase in phrases])
def test_every_rate_phrase_divides_the_unit_before_it(period, phrase):
    text = f"The plant ships 500 tonnes {phrase} to the port."
    found = [fact for fact in factx.extract(text) if fact.type == "quantity"]
    assert [fact.value["unit"] for fact in found] == [str(registry().Unit(f"metric_ton / {period}"))]


# --- scale words shared by the number, money and quantity readers ----------------------------

@pytest.mark.parametrize("text,amount", [("The state set aside Rs 3 crore for the hospital.", 3e7),
                                         ("The survey cost 5 lakh rupees.", 5e5),
                                         ("Each worker was paid $2 to 3 lakh.", 2e5)])
def test_money_reads_every_scale_word_the_number_reader_knows(text, amount):
    found = [fact for fact in factx.extract(text) if fact.type == "money"]
    assert [fact.value["amount"] for fact in found] == [amount]


def test_quantity_reads_indian_scale_words():
    found = [fact for fact in factx.extract("India shipped 12 lakh tonnes of rice.") if fact.type == "quantity"]
    assert [fact.value["magnitude"] for fact in found] == [1.2e6]


@pytest.mark.parametrize("word", [word for word, value in NUMBER_WORDS.items() if value])
def test_dates_count_with_the_number_readers_words(word):
    value = resolve_date(f"{word} years ago", date(2022, 2, 6))
    assert value is not None and value.start == f"{2022 - NUMBER_WORDS[word]}-01-01"


def test_dates_read_a_hyphenated_spelled_count():
    assert resolve_date("twenty-five years ago", date(2022, 2, 6)).start == "1997-01-01"


# --- plurals.toml and the one singularizer ------------------------------------------------------

@pytest.mark.parametrize("plural", sorted(load("plurals")["irregular"]))
def test_the_singular_of_an_irregular_plural_is_its_own_singular(plural):
    # the table and the rules agree: what the table gives, the rules leave alone
    assert singular(singular(plural)) == singular(plural) != ""


@pytest.mark.parametrize("plural, word", [("companies", "company"), ("taxes", "tax"), ("branches", "branch"),
                                          ("barrels", "barrel"), ("analyses", "analysis"), ("gas", "gas"),
                                          ("bus", "bus"), ("centuries", "century")])
def test_singular(plural, word):
    assert singular(plural) == word


@pytest.mark.parametrize("text, grain", [("two centuries ago", "century"), ("three decades ago", "decade"),
                                         ("two fortnights ago", "week")])
def test_date_units_are_read_in_the_plural(text, grain):
    assert resolve_date(text, date(2022, 2, 6)).grain == grain


# --- claims.toml ------------------------------------------------------------------------------

CLAIM_WORDS = load("claims", "factx.components")["subject"]


@pytest.mark.parametrize("kind", ["change_nouns", "level_nouns"])
def test_claim_nouns_are_written_in_the_singular_they_are_compared_in(kind):
    assert [noun for noun in CLAIM_WORDS[kind] if singular(noun) != noun] == []


def test_a_noun_names_a_change_or_a_level_not_both():
    assert set(CLAIM_WORDS["change_nouns"]) & set(CLAIM_WORDS["level_nouns"]) == set()


def test_every_noun_of_a_direction_is_a_change_noun():
    role = load("frames", "factx.components")["role"]
    assert set(role["up_nouns"]) | set(role["down_nouns"]) <= set(CLAIM_WORDS["change_nouns"])


def test_a_change_noun_of_the_frames_is_not_the_measured_thing():
    (fact,) = [f for f in factx.extract("The union won a hike of 5% in wages.") if f.type == "quantity"]
    assert (fact.subject, fact.measure) == ("wages", "wage")


# --- words the money, quantity and date readers share -----------------------------------------

@pytest.mark.parametrize("text, low, high", [("The unit could fetch $5 \u2014 $7 million.", 5e6, 7e6),
                                             ("The unit could fetch $5\u2014$7 million.", 5e6, 7e6),
                                             ("The unit could fetch $5\u2013$7 million.", 5e6, 7e6),
                                             ("The unit could fetch $5 - $7 million.", 5e6, 7e6),
                                             ("The unit could fetch $5 to $7 million.", 5e6, 7e6)])
def test_money_ranges_take_every_dash_quantity_ranges_take(text, low, high):
    found = [fact for fact in factx.extract(text) if fact.type == "money"]
    assert [(fact.value["amount"], fact.value.get("amount_high")) for fact in found] == [(low, high)]


@pytest.mark.parametrize("word", [word for word, value in NUMBER_WORDS.items() if value])
def test_a_spelled_count_of_hours_is_a_duration_not_a_time_of_day(word):
    assert not is_time_of_day(f"{word} hours last night")
    assert is_time_of_day("last night")
