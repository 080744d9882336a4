"""``Collection.to_pandas``: the records, amounts, items and citations tables."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")

WHOLE = "azerbaijan-aid-to-ukraine-2022-2025"
RALLY = "baku-embassy-rally-2022-02-27"


def test_aid_amounts_by_date_in_one_line(ds):
    frame = ds.aid.to_pandas("amounts")
    assert list(frame.columns) == ["id", "date", "earliest", "latest", "status", "amount", "currency", "qualifier"]
    assert len(frame) == sum(len(a.amounts) for a in ds.aid)
    whole = frame[frame["id"] == WHOLE].iloc[0]
    assert (whole["date"], whole["status"], whole["currency"], whole["qualifier"]) == (
        "2022-02/2025-04", ds.aid[WHOLE].status, "USD", "at_least")
    assert whole["amount"] == Decimal("40000000") and isinstance(whole["amount"], Decimal)
    assert frame["amount"].dtype == object  # Decimals, never floats
    assert whole["earliest"] == pd.Timestamp("2022-02-01") and whole["latest"] == pd.Timestamp("2025-04-30")
    assert frame["earliest"].dtype.kind == "M" and frame["latest"].dtype.kind == "M"
    usd = frame[frame["currency"] == "USD"].sort_values("earliest")
    assert usd["amount"].map(type).eq(Decimal).all()


def test_items_table_has_one_row_per_quantity(ds):
    frame = ds.aid.to_pandas("items")
    assert list(frame.columns) == ["id", "date", "earliest", "latest", "status", "value", "unit", "qualifier"]
    assert len(frame) == sum(len(a.items) for a in ds.aid)
    first = next(a for a in ds.aid if a.items)
    row = frame[frame["id"] == first.id].iloc[0]
    assert (row["value"], row["unit"]) == (first.items[0].value, first.items[0].unit)


def test_records_table_of_events(ds):
    frame = ds.events.to_pandas()
    assert list(frame.columns) == ["collection", "id", "date", "earliest", "latest", "precision", "title", "kind",
                                   "actors", "place", "summary"]
    assert list(frame["id"]) == list(ds.events.ids())
    row = frame.set_index("id").loc[RALLY]
    rally = ds.events[RALLY]
    assert (row["collection"], row["date"], row["precision"], row["title"], row["kind"], row["place"]) == (
        "events", "2022-02-27", "day", rally.title, rally.kind, rally.place)
    assert row["earliest"] == row["latest"] == pd.Timestamp("2022-02-27")
    assert row["actors"] == list(rally.actors) and row["summary"] == rally.summary


def test_records_table_of_the_timeline_mixes_collections(ds):
    frame = ds.timeline().to_pandas("records")
    assert set(frame["collection"]) == {"events", "agreements", "aid"}
    for name in ("actors", "place", "parties", "signatories", "donor", "recipient", "channel"):
        assert name in frame.columns
    agreement = ds.agreements[0]
    row = frame.set_index("id").loc[agreement.id]
    assert row["date"] == str(agreement.signed) and row["parties"] == list(agreement.parties)
    assert row["donor"] is None or pd.isna(row["donor"])
    aid = frame.set_index("id").loc[WHOLE]
    assert (aid["donor"], aid["recipient"]) == (ds.aid[WHOLE].donor, ds.aid[WHOLE].recipient)


def test_open_ends_are_not_a_time(ds):
    frame = ds.timeline().to_pandas()
    open_start = frame[frame["date"].str.startswith("..")]
    if len(open_start):
        assert open_start["earliest"].isna().all() and open_start["latest"].notna().all()


def test_records_table_of_actors_and_sources(ds):
    actors = ds.actors.to_pandas()
    row = actors.set_index("id").loc["azerbaijan"]
    assert row["title"] == ds.actors["azerbaijan"].name and row["kind"] == "state"
    assert actors["date"].isna().all() and actors["earliest"].isna().all()
    sources = ds.sources.to_pandas()
    assert {"affiliation", "relays"} <= set(sources.columns)


def test_citations_table(ds):
    frame = ds.events.to_pandas("citations")
    assert list(frame.columns) == ["record", "source", "quote", "claim", "locator", "supports", "note", "kind",
                                   "publisher", "affiliation"]
    assert len(frame) == sum(len(e.citations) for e in ds.events)
    rally = frame[frame["record"] == RALLY]
    assert list(rally["source"]) == [c.source for c in ds.events[RALLY].citations]
    first = rally.iloc[0]
    source = ds.sources[first["source"]]
    assert (first["kind"], first["publisher"], first["affiliation"]) == (
        source.kind, source.publisher, list(source.affiliation))
    disputes = ds.disputes.to_pandas("citations")
    assert len(disputes) == sum(len(d.citations) for d in ds.disputes)


def test_empty_collection_gives_an_empty_frame(ds):
    empty = ds.aid.filter(lambda a: False)
    assert empty.to_pandas("amounts").empty and list(empty.to_pandas().columns)[:2] == ["collection", "id"]


def test_unknown_table_is_refused(ds):
    with pytest.raises(ValueError, match="unknown table 'rows'.*records, amounts, items, citations"):
        ds.aid.to_pandas("rows")


def test_without_pandas_the_error_names_the_extra(ds, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "azukr\[pandas\]"'):
        ds.aid.to_pandas("amounts")

