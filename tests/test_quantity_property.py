"""Property tests: the number and unit normalizers never raise on arbitrary text, what
they return stays inside the text, and every extracted fact's text is source[start:end]."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factx
from factx.normalize.numbers import parse_number, split_number
from factx.normalize.units import lookup_unit

_NEWSY = st.text(alphabet=st.sampled_from(list("0123456789 .,-/%$€£kKmMbnlrtsaoep\u00a0\u2212½×xX^~≈⁻¹⁹⁄eE=Y")), max_size=30)
_ANY = st.one_of(st.text(max_size=40), _NEWSY)


@settings(max_examples=300, deadline=None)
@given(_ANY)
def test_number_normalizer_never_raises_and_rest_is_inside(text):
    parse_number(text)
    result = split_number(text)
    if result is not None:
        low, high, rest = result
        assert isinstance(low, float)
        assert rest == "" or rest in text  # the rest is a piece of the text, never invented


@settings(max_examples=300, deadline=None)
@given(_ANY)
def test_unit_normalizer_never_raises(text):
    unit = lookup_unit(text)
    assert unit is None or isinstance(unit, str)


_SENTENCE = st.lists(
    st.sampled_from(["Pakistan", "imports", "16", "bcm", "of", "gas", "$2.5", "billion", "about", "-1.3%",
                     "from", "10", "to", "12", "dlrs", "a", "barrel", "two", "days", "US", "$", "pct", "\n", ",", "."]),
    max_size=14,
).map(" ".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_SENTENCE, st.text(max_size=25)))
def test_extract_offsets_hold_on_arbitrary_text(text):
    for fact in factx.extract(text):
        assert fact.text == text[fact.start : fact.end]


def test_the_properties_run_on_values_not_only_on_none():
    # Texts the strategies above can draw (the properties skip None and no facts): by hand.
    assert split_number("10-12 km") == (10.0, 12.0, "km")
    assert lookup_unit("km") == "kilometer"
    facts = factx.extract("Pakistan imports 16 bcm of gas")
    assert [(f.type, f.text) for f in facts] == [("entity", "Pakistan"), ("quantity", "16 bcm")]
    assert facts[1].value["base_magnitude"] == 16e9  # cubic metres


def test_huge_exponents_are_not_numbers():
    for text in ("1e999", "1\u00d710^999", "9e300"):  # past 10**300, the largest figure read
        assert parse_number(text) is None and split_number(text) is None  # and never OverflowError
    for text in ("1e300", "1\u00d710^300"):  # the limit itself still is a number
        assert parse_number(text) == 1e300 and split_number(text) == (1e300, None, "")
