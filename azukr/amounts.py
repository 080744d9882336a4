"""Money and Quantity: amounts as the source reported them, in Decimal, with a qualifier."""

from __future__ import annotations

import enum
import re
from decimal import Decimal

import attrs


class Qualifier(enum.StrEnum):
    """How the source qualified a number: "over"/"more than" is AT_LEAST, "nearly",
    "approximately" and "estimated" are APPROXIMATELY."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"

    def bounds(self, value: Decimal) -> tuple[Decimal, Decimal | None]:
        """(low, high) for a reported value; None is unbounded. An approximate value is
        taken at face value for both bounds: the caller marks the result approximate."""
        if self is Qualifier.AT_LEAST:
            return value, None
        if self is Qualifier.AT_MOST:
            return Decimal(0), value
        return value, value

    @property
    def symbol(self) -> str:
        """A short prefix for display: ``~`` approximately, ``≥`` at least, ``≤`` at most."""
        return {"exact": "", "approximately": "~", "at_least": "≥", "at_most": "≤"}[self.value]


def _non_negative_finite(_: object, attribute: attrs.Attribute, value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValueError(f"{attribute.name}: {value!r} is not a finite, non-negative Decimal")


def _currency_code(_: object, attribute: attrs.Attribute, value: str) -> None:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"{attribute.name}: {value!r} is not an ISO 4217 currency code")


@attrs.frozen(kw_only=True)
class Money:
    """An amount of money in one ISO 4217 currency, as reported."""

    amount: Decimal = attrs.field(validator=_non_negative_finite)
    currency: str = attrs.field(validator=_currency_code)
    qualifier: Qualifier = Qualifier.EXACT

    def bounds(self) -> tuple[Decimal, Decimal | None]:
        return self.qualifier.bounds(self.amount)

    def __str__(self) -> str:
        return f"{self.qualifier.symbol}{self.amount:,} {self.currency}"


@attrs.frozen(kw_only=True)
class Quantity:
    """A count or measure of physical goods, e.g. 134 "transformers and transformer substations"."""

    value: Decimal = attrs.field(validator=_non_negative_finite)
    unit: str
    qualifier: Qualifier = Qualifier.EXACT

    def __str__(self) -> str:
        return f"{self.qualifier.symbol}{self.value:,} {self.unit}"
