"""Collections as pandas DataFrames: ``Collection.to_pandas(table)`` delegates here.

pandas is an optional extra (``pip install "azukr[pandas]"``), imported only when a frame is
asked for. Four tables:

- ``records``: one row per record: ``collection``, ``id``, ``date`` (the EDTF text; an
  agreement's ``signed``), ``earliest`` and ``latest`` (``datetime64``; ``NaT`` where the date is
  open or unknown at that end, or the record is undated), ``precision``, ``title`` (an actor's
  name), ``kind``, one column per actor-reference field of the records' classes (``actors``,
  ``place``, ``parties``, ``signatories``, ``donor``, ``recipient``, ``channel``,
  ``affiliation``, ``relays``: a list of actor ids for a multi-valued field, an id or None for a
  single-valued one, None where the record has no such field) and ``summary`` (an actor's
  description, a source's note).
- ``amounts``: one row per ``Money`` of the aid records: ``id``, ``date``, ``earliest``,
  ``latest``, ``status``, ``amount`` (``decimal.Decimal`` objects in an ``object`` column, never
  floats: convert with ``.astype(float)`` if you accept the rounding), ``currency``, ``qualifier``.
- ``items``: the same for each ``Quantity``: ``value`` (``Decimal``), ``unit`` and ``qualifier``.
- ``citations``: one row per citation (a dispute's: those of its positions): ``record``,
  ``source``, ``quote``, ``claim``, ``locator``, ``supports`` (a list), ``note``, and the
  source's ``kind``, ``publisher`` and ``affiliation`` (a list of actor ids).
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .dates import PartialDate
from .model import COLLECTIONS, Actor, Source, all_citations, collection_of, label

if TYPE_CHECKING:
    from .queries import Collection

TABLES = ("records", "amounts", "items", "citations")
INSTALL_HINT = 'pip install "azukr[pandas]"'


def _pandas() -> Any:
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:
        raise ImportError(f"to_pandas needs pandas: {INSTALL_HINT}", name="pandas") from None
    return pandas


def _day(day: datetime.date | None) -> datetime.date | None:
    """A bound day, or None for the unbounded ends ``date.min`` / ``date.max``."""
    return None if day is None or day in (datetime.date.min, datetime.date.max) else day


def _when(date: PartialDate | None) -> dict[str, Any]:
    if date is None:
        return {"date": None, "earliest": None, "latest": None}
    return {"date": str(date), "earliest": _day(date.earliest), "latest": _day(date.latest)}


def _actor_fields(classes: Iterable[type]) -> dict[str, bool]:
    """Actor-reference field name -> whether it is multi-valued, in collection order."""
    found: dict[str, bool] = {}
    for cls in classes:
        for field in attrs.fields(cls):
            if field.metadata.get("ref") == "actors":
                found.setdefault(field.name, str(field.type).startswith("tuple"))
    return found


def _summary(record: Any) -> str | None:
    if isinstance(record, Actor):
        return record.description
    if isinstance(record, Source):
        return record.note
    return getattr(record, "summary", None)


def _records(items: Sequence[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    present = {type(r) for r in items}
    refs = _actor_fields(cls for cls in COLLECTIONS.values() if cls in present)
    columns = ["collection", "id", "date", "earliest", "latest", "precision", "title", "kind", *refs, "summary"]
    rows = []
    for record in items:
        date = record.date
        row: dict[str, Any] = {"collection": collection_of(record), "id": record.id, **_when(date),
                               "precision": None if date is None else date.precision,
                               "title": label(record), "kind": getattr(record, "kind", None)}
        for name, many in refs.items():
            value = getattr(record, name) if name in attrs.fields_dict(type(record)) else None
            row[name] = list(value) if many and value is not None else value
        row["summary"] = _summary(record)
        rows.append(row)
    return rows, columns


def _measures(items: Sequence[Any], field: str, number: str, unit: str) -> tuple[list[dict[str, Any]], list[str]]:
    columns = ["id", *_when(None), "status", number, unit, "qualifier"]
    rows = []
    for record in items:
        for measure in getattr(record, field, ()):
            rows.append({"id": record.id, **_when(record.date), "status": record.status,
                         number: getattr(measure, number), unit: getattr(measure, unit),
                         "qualifier": measure.qualifier.value})
    return rows, columns


def _amounts(items: Sequence[Any], _: Any) -> tuple[list[dict[str, Any]], list[str]]:
    return _measures(items, "amounts", "amount", "currency")


def _items(items: Sequence[Any], _: Any) -> tuple[list[dict[str, Any]], list[str]]:
    return _measures(items, "items", "value", "unit")


def _citations(items: Sequence[Any], sources: Any) -> tuple[list[dict[str, Any]], list[str]]:
    columns = ["record", "source", "quote", "claim", "locator", "supports", "note", "kind", "publisher",
               "affiliation"]
    rows = []
    for record in items:
        for c in all_citations(record):
            source = sources.get(c.source)
            rows.append({"record": record.id, "source": c.source, "quote": c.quote, "claim": c.claim,
                         "locator": c.locator, "supports": list(c.supports), "note": c.note,
                         "kind": source.kind if source else None,
                         "publisher": source.publisher if source else None,
                         "affiliation": list(source.affiliation) if source else None})
    return rows, columns


_BUILDERS: dict[str, Callable[[Sequence[Any], Any], tuple[list[dict[str, Any]], list[str]]]] = {
    "records": lambda items, _: _records(items),
    "amounts": _amounts,
    "items": _items,
    "citations": _citations,
}
_DECIMALS = {"amount", "value"}


def to_pandas(collection: Collection[Any], table: str = "records") -> Any:
    """``collection`` as a ``pandas.DataFrame`` of one of ``TABLES`` (see the module docstring)."""
    if table not in _BUILDERS:
        raise ValueError(f"to_pandas: unknown table {table!r}; choose from {', '.join(TABLES)}")
    pd = _pandas()
    items = list(collection)
    rows, columns = _BUILDERS[table](items, collection._context.sources)
    data: dict[str, Any] = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        if name in ("earliest", "latest"):
            data[name] = pd.to_datetime(pd.Series(values, dtype="object")).astype("datetime64[s]")
        elif name in _DECIMALS or not values:
            data[name] = pd.Series(values, dtype="object")
        else:
            data[name] = pd.Series(values)
    return pd.DataFrame(data, columns=columns)
