from decimal import Decimal

import pytest
from hypothesis import given

from azukr import DataError
from azukr._convert import structure
from azukr.amounts import Money, Qualifier, Quantity

from .strategies import amounts, money


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        (Qualifier.EXACT, (Decimal(40), Decimal(40))),
        (Qualifier.APPROXIMATELY, (Decimal(40), Decimal(40))),
        (Qualifier.AT_LEAST, (Decimal(40), None)),
        (Qualifier.AT_MOST, (Decimal(0), Decimal(40))),
    ],
)
def test_qualifier_bounds(qualifier, expected):
    assert Money(amount=Decimal(40), currency="USD", qualifier=qualifier).bounds() == expected


@given(money)
def test_bounds_contain_the_reported_amount(m):
    low, high = m.bounds()
    assert low <= m.amount and (high is None or m.amount <= high)
    assert (high is None) == (m.qualifier is Qualifier.AT_LEAST)


@given(amounts)
def test_decimal_strings_structure_exactly(value):
    m = structure({"amount": str(value), "currency": "EUR", "qualifier": "approximately"}, Money)
    assert m.amount == value and isinstance(m.amount, Decimal)


def test_trailing_zeros_are_kept_not_rounded_through_float():
    m = structure({"amount": "823331.50", "currency": "USD"}, Money)
    assert str(m.amount) == "823331.50"


@pytest.mark.parametrize("bad", [1.1, 5600000, "five", "NaN", "-3"])
def test_floats_ints_and_non_numbers_are_refused(bad):
    with pytest.raises(Exception) as info:
        structure({"amount": bad, "currency": "USD"}, Money)
    assert not isinstance(info.value, DataError)  # the loader wraps it; the converter reports it


@pytest.mark.parametrize("code", ["usd", "US", "DOLLARS"])
def test_currency_must_be_iso_4217_shaped(code):
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(amount=Decimal(1), currency=code)


def test_unknown_qualifier_lists_the_choices():
    with pytest.raises(Exception) as info:
        structure({"value": "3", "unit": "generators", "qualifier": "over"}, Quantity)
    assert "at_least" in repr(info.value.exceptions)


def test_display_marks_the_qualifier():
    assert str(Money(amount=Decimal("40000000"), currency="USD", qualifier=Qualifier.AT_LEAST)) == "≥40,000,000 USD"
    assert str(Quantity(value=Decimal(134), unit="transformers", qualifier=Qualifier.APPROXIMATELY)) == "~134 transformers"
