"""factx.normalize.units: unit words -> pint units -> SI base values.

Units are compared by converting through pint, never by their strings.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from importlib import resources

import pint
import pytest

from factx.normalize.units import lookup_unit, make_quantity, registry, word_table


def same_unit(actual: str | None, expected: str) -> bool:
    """True when ``actual`` is the same size and dimension as the pint expression ``expected``.

    ``expected`` is the test's own text (may hold factors, "1000 * kilogram"), so
    parsing it as an expression is fine here; article text never goes this way.
    """
    assert actual is not None
    ureg = registry()
    got = ureg.Quantity(1, actual).to_base_units()
    want = ureg.Quantity(expected).to_base_units()
    return got.dimensionality == want.dimensionality and got.magnitude == pytest.approx(want.magnitude, rel=1e-9)


WORDS = [
    # length and area
    ("km", "kilometer"),
    ("kilometres", "kilometer"),
    ("kilometers", "kilometer"),
    ("Kilometres", "kilometer"),
    ("miles", "1609.344 * meter"),
    ("feet", "0.3048 * meter"),
    ("square km", "kilometer ** 2"),
    ("sq km", "1e6 * meter ** 2"),
    ("square miles", "mile ** 2"),
    ("acres", "acre"),
    ("hectares", "1e4 * meter ** 2"),
    # volume
    ("cubic meters", "meter ** 3"),
    ("cubic metres", "meter ** 3"),
    ("bcm", "1e9 * meter ** 3"),
    ("tcf", "1e12 * foot ** 3"),
    ("mmscfd", "1e6 * foot ** 3 / day"),
    ("barrels", "42 * gallon"),  # the oil barrel, not pint's 31.5-gallon barrel
    ("bbl", "42 * gallon"),
    ("barrels per day", "42 * gallon / day"),
    ("bpd", "42 * gallon / day"),
    ("b/d", "42 * gallon / day"),
    ("litres", "liter"),
    ("liters", "1e-3 * meter ** 3"),
    ("gallons", "gallon"),
    ("bushels", "bushel"),
    # mass: tons are metric in trade news; MT/mt are never megatesla or millitonne
    ("tonnes", "1000 * kilogram"),
    ("tons", "1000 * kilogram"),
    ("metric tons", "1000 * kilogram"),
    ("t", "1000 * kilogram"),
    ("MT", "1000 * kilogram"),
    ("mt", "1000 * kilogram"),
    ("short tons", "2000 * pound"),
    ("kg", "kilogram"),
    ("grams", "1e-3 * kilogram"),
    ("pounds", "0.45359237 * kilogram"),
    ("lbs", "pound"),
    ("ounces", "ounce"),
    ("oz", "ounce"),
    ("troy ounces", "31.1034768 * gram"),
    ("mtpa", "1e9 * kilogram / year"),
    # energy and power
    ("MW", "1e6 * watt"),
    ("GW", "1e9 * watt"),
    ("kWh", "3.6e6 * joule"),
    ("TWh", "3.6e15 * joule"),
    # ratios
    ("pct", "0.01"),
    ("per cent", "0.01"),
    ("percent", "0.01"),
    ("%", "0.01"),
    ("percentage points", "percentage_point"),
    ("basis points", "1e-4"),
    # time; a decade is ten years, not pint's logarithmic decade
    ("days", "day"),
    ("weeks", "7 * day"),
    ("months", "month"),
    ("years", "year"),
    ("hours", "3600 * second"),
    ("decade", "10 * year"),
    ("decades", "10 * year"),
    # speed and temperature
    ("mph", "mile / hour"),
    ("km/h", "kilometer / hour"),
    ("degrees Celsius", "degree_Celsius"),
    # the degree sign transliterated to ASCII ("deg"), and a bare C after a number
    ("degF", "degree_Fahrenheit"),
    ("deg F", "degree_Fahrenheit"),
    ("deg C", "degree_Celsius"),
    ("degrees C", "degree_Celsius"),
    ("C", "degree_Celsius"),
    # rates
    ("cubic meters per year", "meter ** 3 / year"),
    ("cubic metres a year", "meter ** 3 / year"),
    ("bcm per annum", "1e9 * meter ** 3 / year"),
    ("bcm annually", "1e9 * meter ** 3 / year"),
    ("tonnes a day", "1000 * kilogram / day"),
    ("tonnes per day", "1000 * kilogram / day"),
    ("barrels daily", "42 * gallon / day"),
    ("tonnes per month", "1000 * kilogram / month"),
    ("MW per hour", "1e6 * watt / hour"),
    ("kg per hectare", "kilogram / hectare"),
    # a rate hyphenated into one word
    ("barrel-a-day", "oil_barrel / day"),
    ("tonnes-per-year", "1000 * kilogram / year"),
    ("m.p.h", "mile / hour"),
    ("US gallons", "gallon"),
    ("imperial gallon", "imperial_gallon"),
    # per capita is the caller's to record: the unit leaves it out
    ("tonnes per capita", "1000 * kilogram"),
    ("kWh per capita per year", "kilowatt_hour / year"),
]


@pytest.mark.parametrize(("words", "expected"), WORDS)
def test_lookup_unit(words: str, expected: str) -> None:
    assert same_unit(lookup_unit(words), expected)


def test_teu_is_a_count_of_its_own() -> None:
    teu = lookup_unit("TEU")
    assert teu is not None and teu == lookup_unit("TEUs")
    assert str(registry().Unit(teu).dimensionality) == "[container]"


UNKNOWN = [
    "",
    "day-",  # a trailing hyphen joins the next word ("14-day-old"), it is not a rate
    "people",
    "jobs",
    "degrees",  # a bare degree: angle or temperature? left out
    "T",  # not a tonne, not a trillion here
    "tonnes a barrel",  # "a" makes a rate only with time
    "per capita",
    "9**9**9 m",
    "2 * 3 km",
    "km ** 9",
    "metric_ton",  # pint's own names are not news words unless the table lists them
    "oil_barrel",
    "__import__('os')",
    "square days",  # square needs a length
    "x" * 200,
]


@pytest.mark.parametrize("words", UNKNOWN)
def test_unknown_words(words: str) -> None:
    assert lookup_unit(words) is None


def test_seed_pipeline_length() -> None:
    # "The 1,100 km long gas pipeline"
    value = make_quantity(1100, lookup_unit("km") or "")
    assert value["magnitude"] == 1100
    assert value["base_magnitude"] == 1_100_000.0  # rounded: no 1100000.0000000002
    assert same_unit(value["base_unit"], "meter")
    assert value["dimensionality"] == "[length]"


def test_seed_yearly_gas_flow() -> None:
    # "16 billion cubic meters of natural gas per year" -> 1.6e10 m3/yr = 507.0 m3/s
    value = make_quantity(1.6e10, lookup_unit("cubic meters per year") or "")
    assert value["magnitude"] == pytest.approx(1.6e10)
    assert same_unit(value["unit"], "meter ** 3 / year")
    assert value["base_magnitude"] == pytest.approx(507.0, rel=1e-3)
    assert same_unit(value["base_unit"], "meter ** 3 / second")
    assert value["dimensionality"] == "[length] ** 3 / [time]"


def test_seed_volume() -> None:
    # "12.3 billion cubic meters (bcm)"
    value = make_quantity(1.23e10, lookup_unit("cubic meters") or "")
    assert value["base_magnitude"] == pytest.approx(1.23e10)
    assert same_unit(value["base_unit"], "meter ** 3")
    as_bcm = make_quantity(12.3, lookup_unit("bcm") or "")
    assert as_bcm["base_magnitude"] == pytest.approx(1.23e10)


def test_seed_decade() -> None:
    # "after a decade": 1 x decade = 10 years
    value = make_quantity(1, lookup_unit("decade") or "")
    year = registry().Quantity(1, "year").to_base_units().magnitude
    assert value["base_magnitude"] == pytest.approx(10 * year)
    assert value["dimensionality"] == "[time]"


def test_percent_is_dimensionless() -> None:
    value = make_quantity(5, lookup_unit("percent") or "")
    assert value["base_magnitude"] == pytest.approx(0.05)
    assert value["dimensionality"] == "dimensionless"


def test_range() -> None:
    value = make_quantity(10, lookup_unit("km") or "", 15)
    assert value["magnitude_high"] == 15
    assert value["base_magnitude"] == 10_000.0
    assert value["base_magnitude_high"] == 15_000.0
    assert "magnitude_high" not in make_quantity(10, "kilometer")


def test_rounding_hides_binary_noise() -> None:
    assert make_quantity(1, lookup_unit("ft") or "")["base_magnitude"] == 0.3048
    assert make_quantity(3, lookup_unit("litres") or "")["base_magnitude"] == 0.003


@pytest.mark.parametrize("unit", ["9**9**9 m", "meter ** 9 ** 9 ** 9", "2 * 3 km", "meter ** 99", "no_such_unit", "1 / year", ""])
def test_make_quantity_refuses_expressions(unit: str) -> None:
    with pytest.raises(ValueError):
        make_quantity(1, unit)


@pytest.mark.parametrize("magnitude", [float("nan"), float("inf")])
def test_make_quantity_refuses_non_finite(magnitude: float) -> None:
    with pytest.raises(ValueError):
        make_quantity(magnitude, "kilometer")


def test_registry_is_shared() -> None:
    assert registry() is registry()


def _defined_names() -> list[str]:
    """Every unit name, symbol and alias defined by the pint part of units.txt."""
    text = (resources.files("factx.normalize") / "units.txt").read_text(encoding="utf-8")
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("@"):
            continue
        name, _relation, *aliases = (part.strip() for part in line.split("="))
        names += [name] + [alias for alias in aliases if alias != "_"]
    return names


def test_definitions_do_not_clash_with_pint() -> None:
    names = _defined_names()
    assert "decade_year" in names and "bcm" in names  # the reader above works
    default = pint.UnitRegistry()
    clashes = [name for name in names if name in default]
    assert clashes == []


def test_definitions_load_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    # pint only logs (does not raise) when a definition overrides another one.
    with caplog.at_level(logging.WARNING):
        ureg = pint.UnitRegistry()
        with resources.as_file(resources.files("factx.normalize") / "units.txt") as path:
            ureg.load_definitions(str(path))
        ureg.Unit("decade_year")
    assert [r.getMessage() for r in caplog.records] == []


def test_every_table_entry_is_a_known_unit() -> None:
    exact, folded = word_table()
    assert exact["bcm"] == "billion_cubic_meter" and exact["km"] == "kilometer"  # the table is read
    ureg = registry()
    for word, expr in {**exact, **folded}.items():
        assert re.fullmatch(r"[A-Za-z_ */()0-9]+", expr), word
        ureg.Unit(expr)  # raises if the table names something pint does not know


def test_import_is_cheap() -> None:
    # A fresh interpreter: importing the normalizers must not load pint, babel or spaCy.
    code = (
        "import sys, factx.normalize.units, factx.normalize.numbers, factx.normalize.currencies;"
        "print(sorted(m for m in ('pint', 'babel', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
