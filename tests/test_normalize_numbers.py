"""factx.normalize.numbers: news-style numbers and ranges. Expected values are written by hand."""

from __future__ import annotations

import pytest

from factx.normalize.numbers import parse_number, split_number

PARSED = [
    # digits and separators
    ("1,100", 1100),
    ("16,000,000", 16_000_000),
    ("2.5", 2.5),
    ("0.75", 0.75),
    (".5", 0.5),
    ("1.500", 1.5),  # a single dot is a decimal point in English news
    ("16 000 000", 16_000_000),
    ("16\u00a0000", 16_000),
    ("1 000.125", 1000.125),
    ("1.234.567", 1_234_567),
    # decimal comma only where the pattern proves it
    ("1,5", 1.5),
    ("12,25", 12.25),
    ("1.234,5", 1234.5),
    ("1,500", 1500),
    # signs and E-notation (NewsQuant ranges hold both)
    ("-1.3", -1.3),
    ("+5", 5),
    ("\u22122", -2),
    ("minus 5", -5),
    ("minus five", -5),
    ("2.998E-08", 2.998e-08),
    ("6.02e23", 6.02e23),
    # scale words and suffixes
    ("16 billion", 16e9),
    ("1.5 trillion", 1.5e12),
    ("790 million", 790e6),  # the seed's "$790 million" once the caller strips "$"
    ("2.5 bn", 2.5e9),
    ("2.5 mln", 2.5e6),
    ("3 bln", 3e9),
    ("16bn", 16e9),
    ("2.3bn", 2.3e9),
    ("1.2tn", 1.2e12),
    ("4k", 4000),
    ("4K", 4000),
    ("2.174T", 2.174e12),
    ("5 thousand", 5000),
    ("5 dozen", 60),
    ("3 lakh", 300_000),
    ("2 crore", 20_000_000),
    ("16 Billion", 16e9),
    ("16 BILLION", 16e9),
    # spelled numbers
    ("two", 2),
    ("Two", 2),
    ("twenty-five", 25),
    ("twenty five", 25),
    ("one hundred and five", 105),
    ("a dozen", 12),
    ("half a dozen", 6),
    ("a hundred", 100),
    ("one million", 1e6),
    ("two hundred thousand", 200_000),
    ("three million five hundred thousand", 3_500_000),
    ("one and a half million", 1.5e6),
    ("two and a half", 2.5),
    ("half a million", 500_000),
    # fractions
    ("half", 0.5),
    ("a half", 0.5),
    ("a third", 1 / 3),
    ("two thirds", 2 / 3),
    ("two-thirds", 2 / 3),
    ("three quarters", 0.75),
    ("a quarter", 0.25),
    ("1/2", 0.5),
    ("3 1/2", 3.5),
    # a written power of ten, with a Unicode minus, a caret or superscripts
    ("2.5\u00d710\u22126", 2.5e-6),
    ("6.02 x 10^23", 6.02e23),
    ("1.6\u00d710\u207b\u00b9\u2079", 1.6e-19),
    # newswire abbreviations after spelled numbers
    ("two mln", 2e6),
    ("one bln", 1e9),
    # newswire writes mixed numbers with a hyphen: "7-1/2 pct" is 7.5 pct, not 1/2
    ("7-1/2", 7.5),
    ("1\u204416", 1 / 16),  # the fraction slash
    ("101-3/8", 101.375),
    ("3\u00bd", 3.5),
    ("\u00be", 0.75),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected, rel=1e-12)


NOT_NUMBERS = [
    "",
    "   ",
    "a",
    "a decade",  # the caller reads it as 1 x decade
    "decade",
    "hundreds",
    "millions",
    "dozens",
    "tens of thousands",
    "10-15",  # a range, not one number
    "5 and 7",
    "2nd",
    "1990s",
    "16 km",
    "$2.3bn",  # the caller strips the currency
    "five six",
    "1,2,3",
    "abc",
    "1/2/2020",
    "a million and a half",  # half of what? left alone
    "5 Mn",  # abbreviations are lower case
    "5m",  # metres or millions: the caller decides
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_exact_arithmetic() -> None:
    # Fractions until the end: no binary noise from scaling.
    assert parse_number("2.3bn") == 2_300_000_000.0
    assert parse_number("12.3 billion") == 12_300_000_000.0
    assert parse_number("1.1 million") == 1_100_000.0


@pytest.mark.parametrize("n", [0, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 16_000_000_000, 123_456_789])
def test_grouped_integers_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n
    assert parse_number(str(n)) == n


SPLIT = [
    # the seeds
    ("1,100 km long gas pipeline", (1100, None, "km long gas pipeline")),
    ("16 billion cubic meters", (1.6e10, None, "cubic meters")),
    ("12.3 billion cubic meters (bcm)", (1.23e10, None, "cubic meters (bcm)")),
    ("790 million", (7.9e8, None, "")),
    ("2.5 billion dollar pipeline", (2.5e9, None, "dollar pipeline")),
    ("10 days", (10, None, "days")),
    # glued units are split off, glued scales are not
    ("16bcm", (16, None, "bcm")),
    ("5km", (5, None, "km")),
    ("16bn cubic metres", (1.6e10, None, "cubic metres")),
    ("10-km race", (10, None, "km race")),
    ("five-year plan", (5, None, "year plan")),
    # ranges
    ("10-15 km", (10, 15, "km")),
    ("10\u201315 km", (10, 15, "km")),
    ("3.0 - 4.0", (3.0, 4.0, "")),
    ("-5 - -3 degrees", (-5, -3, "degrees")),
    ("between 5 and 7 pct", (5, 7, "pct")),
    ("Between 5 and 7", (5, 7, "")),
    ("10 to 15 billion", (1e10, 1.5e10, "")),
    ("1.5 to 2 million barrels", (1.5e6, 2e6, "barrels")),
    ("200 to 4 million", (200, 4e6, "")),  # the scale cannot apply to 200: 200 million > 4 million
    ("two to three million", (2e6, 3e6, "")),
    ("5bn-7bn", (5e9, 7e9, "")),
    ("10 000-15 000 tonnes", (10_000, 15_000, "tonnes")),
    ("4.1\u00d710\u22123 metres", (4.1e-3, None, "metres")),
    ("3 x 100 m", (3, None, "x 100 m")),  # a size, not a power of ten: no sign, caret or superscript
    # not ranges
    ("2020-21 season", (2020, None, "-21 season")),  # runs downwards
    ("5 and 7 pct", (5, None, "and 7 pct")),  # "and" only with "between"
    ("one of the largest", (1, None, "of the largest")),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT)
def test_split_number(text: str, expected: tuple[float, float | None, str]) -> None:
    result = split_number(text)
    assert result is not None
    low, high, rest = result
    exp_low, exp_high, exp_rest = expected
    assert low == pytest.approx(exp_low, rel=1e-12)
    if exp_high is None:
        assert high is None
    else:
        assert high == pytest.approx(exp_high, rel=1e-12)
    assert rest == exp_rest


@pytest.mark.parametrize("text", ["", "km", "a decade", "about 5", "between 5 km", "hundreds of people", "$5"])
def test_split_number_none(text: str) -> None:
    assert split_number(text) is None


def test_split_agrees_with_parse() -> None:
    # Whatever parse_number reads whole, split_number reads with nothing left over.
    for text, expected in PARSED:
        result = split_number(text)
        assert result is not None, text
        assert result[0] == pytest.approx(expected, rel=1e-12), text
        assert result[1] is None and result[2] == "", text


def test_round_significant_hides_binary_noise_and_keeps_twelve_digits():
    from factx.normalize.numbers import round_significant

    assert round_significant(0.1 + 0.2) == 0.3
    assert round_significant(1.1 * 1e6) == 1_100_000
    assert round_significant(123456789012.7) == 123456789013
