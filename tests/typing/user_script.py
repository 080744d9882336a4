"""A user's script, checked with ``mypy --strict`` by tests/test_typing.py: if the public API
loses its types (``azukr.load()`` back to ``Any``, a collection lookup untyped), this fails.
``assert_type`` is exact: an ``Any`` where a record class is expected is an error."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import assert_type

import azukr
from azukr import Actor, Agreement, Aid, Collection, Dataset, Dispute, Event, PartialDate, Source

ds = azukr.load()
assert_type(ds, Dataset)
assert_type(ds.version, str)

rally = ds.events["baku-embassy-rally-2022-02-27"]
assert_type(rally, Event)
assert_type(ds.events.get("no-such-id"), Event | None)
assert_type(ds.events.get("no-such-id", rally), Event)
assert_type(ds.events[0], Event)
assert_type(ds.events[:3], Collection[Event])
assert_type(ds.aid["azerbaijan-aid-to-ukraine-2022-2025"], Aid)
assert_type(ds.agreements[0], Agreement)
assert_type(ds.sources[0], Source)
assert_type(ds.disputes[0], Dispute)
assert_type(ds.actors.resolve("AZ"), Actor)
assert_type(rally.date, PartialDate)

earlier: bool = rally.date < datetime.date(2022, 3, 1)
amounts: list[Decimal] = [m.amount for a in ds.aid for m in a.amounts]
ids: tuple[str, ...] = ds.events.between("2022-02", "2022-03").involving("Aliyev").ids()
