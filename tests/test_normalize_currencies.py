"""factx.normalize.currencies: currency forms -> ISO 4217 codes, never guessed."""

from __future__ import annotations

import json
from importlib import resources

from datetime import date

import pytest
from babel import Locale
from babel.numbers import list_currencies

from factx.normalize.currencies import alias_codes, currency_candidates, currency_unit, lookup_currency

SETTLED = [
    # symbols, as CLDR's English locale has them
    ("$", "USD"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("¥", "JPY"),
    ("A$", "AUD"),
    ("HK$", "HKD"),
    ("₹", "INR"),
    # ISO codes, historic ones too
    ("USD", "USD"),
    ("PKR", "PKR"),
    ("DEM", "DEM"),
    ("FRF", "FRF"),
    ("ITL", "ITL"),
    # CLDR names and plurals
    ("US dollars", "USD"),
    ("U.S. dollars", "USD"),
    ("euros", "EUR"),
    ("Euro", "EUR"),
    ("Swiss francs", "CHF"),
    ("French francs", "FRF"),
    ("Pakistani rupees", "PKR"),
    ("Japanese yen", "JPY"),
    ("yen", "JPY"),
    ("Yen", "JPY"),
    ("yuan", "CNY"),
    ("rand", "ZAR"),
    ("German marks", "DEM"),
    # newswire forms from currency_aliases.json
    ("dlrs", "USD"),
    ("dlr", "USD"),
    ("Dlrs", "USD"),
    ("U.S. dlrs", "USD"),
    ("US dlrs", "USD"),
    ("US$", "USD"),
    ("Canadian dlrs", "CAD"),
    ("Australian dlrs", "AUD"),
    ("C$", "CAD"),
    ("stg", "GBP"),
    ("sterling", "GBP"),
    ("marks", "DEM"),
    ("Deutsche marks", "DEM"),
    ("DM", "DEM"),
    ("lire", "ITL"),
    ("guilders", "NLG"),
    ("renminbi", "CNY"),
]


@pytest.mark.parametrize(("text", "code"), SETTLED)
def test_settled_without_context(text: str, code: str) -> None:
    assert lookup_currency(text) == code
    assert currency_unit(text) == (code, 1.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cts", ("USD", 0.01)),
        ("U.S. cents", ("USD", 0.01)),
        ("pence", ("GBP", 0.01)),
        ("cents", (None, 0.01)),  # cents of which dollar? the factor is still known
    ],
)
def test_subunits_carry_a_factor(text: str, expected: tuple[str | None, float]) -> None:
    code, factor = currency_unit(text)
    assert (code, factor) == (expected[0], pytest.approx(expected[1]))


# Names that several currencies in circulation today share.
AMBIGUOUS = ["rupees", "francs", "pesos", "dinars", "krona", "dollars", "pounds", "Rs", "won", "cents"]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_ambiguous_without_context_is_none(text: str) -> None:
    assert lookup_currency(text) is None
    assert lookup_currency(text, "The committee met on Tuesday.") is None
    # ...but it is known to be a currency, with more than one candidate.
    assert len(currency_candidates(text)) > 1


@pytest.mark.parametrize(("text", "on", "expected"), [
    # One candidate in circulation on the article's date settles a shared name.
    ("shekels", date(1987, 3, 2), "ILS"),  # the new shekel, from September 1985
    ("shekels", date(1983, 3, 2), "ILR"),  # the old shekel, 1980-85
    ("lira", None, "TRY"),  # undated text is read as current: the Italian lira ended in 2002
    ("lira", date(1987, 3, 2), None),  # Italian and Turkish lira both circulated
    ("zloty", date(1987, 3, 2), "PLZ"),
    ("zloty", date(2020, 3, 2), "PLN"),
])
def test_only_currency_in_circulation_on_the_date(text: str, on: date | None, expected: str | None) -> None:
    assert len(currency_candidates(text)) > 1
    assert lookup_currency(text, on=on) == expected


def test_context_that_names_two_candidates_stays_unsettled() -> None:
    # Context wins over the date rule, and a context that says two things settles nothing.
    assert lookup_currency("lira", "Turkey and Italy", on=date(2020, 1, 1)) is None
    assert lookup_currency("lira", "prices in Italy", on=date(1987, 3, 2)) == "ITL"


CONTEXT = [
    ("rupees", "Pakistan and Russia recently announced moves to boost trade.", "PKR"),
    ("rupees", "Pakistani officials are optimistic.", "PKR"),
    ("Rs", "the budget of Pakistan", "PKR"),
    ("rupees", "Prices in India rose.", "INR"),
    ("rupees", "India and Pakistan traded blame.", None),  # two answers: not settled
    ("rupees", "The rate is quoted in LKR.", "LKR"),  # a code written in the article
    ("francs", "Talks in Switzerland ended.", "CHF"),
    ("francs", "Paris, France, said on Monday.", "FRF"),  # France's only franc
    ("francs", "France and Switzerland agreed.", None),
    ("pesos", "Mexico's central bank said.", "MXN"),  # today's peso, not the pre-1993 one
    ("dollars", "Washington and the United States Treasury.", "USD"),
    ("dollars", "the U.S. Treasury", "USD"),
    ("dollars", "Canada's finance minister said.", "CAD"),
    ("dollars", "Canada and the U.S. signed a pact.", None),
    ("dollars", "Police in Indiana said.", None),  # Indiana is not India, and India has no dollar
    ("dollars", "New Jersey and Australia", "AUD"),  # New Jersey is not Jersey
    ("cents", "Canada's finance minister said.", "CAD"),
    ("dinars", "Kuwait said on Sunday.", "KWD"),
    ("krona", "Sweden's Riksbank", "SEK"),
    ("krona", "Iceland's central bank", "ISK"),
    ("pounds", "Britain's finance ministry", "GBP"),
    ("pounds", "Egypt's central bank", "EGP"),
    ("lira", "Turkey's central bank", "TRY"),
    ("lira", "Italy's treasury in 1990", "ITL"),
    ("roubles", "Russian officials said.", "RUB"),
    ("won", "South Korea's exports", "KRW"),
    ("$", "Canada's finance minister said.", "CAD"),  # the country the claim is about has a dollar
    ("$", "Pakistan's central bank said.", "USD"),  # the rupee is not a dollar
]


@pytest.mark.parametrize(("text", "context", "code"), CONTEXT)
def test_context_settles(text: str, context: str, code: str | None) -> None:
    assert lookup_currency(text, context) == code


@pytest.mark.parametrize("text", ["", "hello", "gold", "dm", "cup", "points", "km", "x" * 100])
def test_not_a_currency(text: str) -> None:
    assert lookup_currency(text) is None
    assert currency_unit(text) == (None, 1.0)
    assert currency_candidates(text) == frozenset()


def _alias_file() -> dict:
    return json.loads((resources.files("factx.normalize") / "currency_aliases.json").read_text(encoding="utf-8"))


def test_every_alias_maps_to_a_code_cldr_knows() -> None:
    known = set(list_currencies())  # CLDR's list, historic codes included
    assert alias_codes()["dlrs"] == {"USD"} and alias_codes()["stg"] == {"GBP"}  # the file is read
    for form, target in _alias_file()["currencies"].items():
        if isinstance(target, str):
            assert target in known, form
        elif "code" in target:
            assert target["code"] in known, form
    for form, codes in alias_codes().items():
        assert codes, f"{form!r} maps to nothing"
        assert codes <= known, form


def test_territory_aliases_are_cldr_territories() -> None:
    territories = Locale("en").territories
    assert _alias_file()["territories"]["USA"] == "US"  # the file is read
    for name, code in _alias_file()["territories"].items():
        assert code in territories, name


def test_alias_file_stays_small() -> None:
    assert len(_alias_file()["currencies"]) < 60


@pytest.mark.parametrize(("text", "context", "expected"), [
    ("crowns", "the central bank of Norway", "NOK"),
    ("crowns", "Stockholm bourse, Sweden", "SEK"),
    ("crowns", "Iceland's fishing quotas", "ISK"),
    ("crowns", "Prague, Czech Republic", "CZK"),
])
def test_crowns_are_the_krone_krona_or_koruna_of_the_country_named(text: str, context: str, expected: str) -> None:
    assert lookup_currency(text, context) == expected


def test_ascii_transliterations_of_pound_and_yen_signs() -> None:
    # unidecode-style text writes the pound sign as "PS" and the yen sign as "Y=".
    assert lookup_currency("PS") == "GBP"
    assert lookup_currency("Y=") == "JPY"
    assert currency_candidates("ps") == frozenset()  # the exact, upper-case form only


@pytest.mark.parametrize(("text", "context", "expected"), [
    ("Rs", "A kilo of onions costs Rs 80 in Delhi markets.", "INR"),
    ("rupees", "Traders in Karachi paid 300 rupees a kilo.", "PKR"),
    ("dollars", "Condo prices in Toronto rose 4 pct.", "CAD"),
])
def test_a_big_city_names_its_country(text: str, context: str, expected: str) -> None:
    assert lookup_currency(text, context) == expected


def test_australian_press_form() -> None:
    assert lookup_currency("AU$") == "AUD"
