import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from azukr import Citation, Dataset, Event, PartialDate
from azukr.amounts import Qualifier
from azukr.queries import AidCollection, Collection

from .strategies import ACTOR_IDS, ACTORS, aid, event_datasets, exact_aid_forests, partial_dates, raw_data

# ---- examples on the real data -------------------------------------------------------------


def test_collections_are_sorted_by_date_then_id(ds):
    """By the day each date is placed at (an open start "../X" at X), then the date, then id."""
    for collection in (ds.events, ds.agreements, ds.aid, ds.sources):
        keys = [(r.date.placed, r.date.latest, str(r.date), r.id) for r in collection if r.date is not None]
        assert keys == sorted(keys)
    assert list(ds.actors.ids()) == sorted(ds.actors.ids())


def test_between_is_inclusive_and_month_precision_overlaps(ds):
    rally = "baku-embassy-rally-2022-02-27"
    assert rally in ds.events.between("2022-02-27", "2022-02-27").ids()
    assert rally in ds.events.between("2022-02", "2022-02").ids()
    assert rally in ds.events.between(dt.date(2022, 2, 1), dt.date(2022, 2, 27)).ids()
    assert rally not in ds.events.between("2022-02-28", "2022-03").ids()


def test_on_includes_intervals_that_could_be_that_day(ds):
    on_day = ds.events.on("2022-03-01").ids()
    assert "blinken-thanks-aliyev-2022" in on_day  # 2022-02-24/2022-03-17
    assert "baku-embassy-rally-2022-02-27" not in on_day


def test_between_with_start_after_end_is_an_error(ds):
    with pytest.raises(ValueError, match="after end"):
        ds.events.between("2023", "2022")


def test_involving_accepts_id_name_and_any_alias_case_insensitively(ds):
    expected = ds.events.involving("vladyslav-kanevskyi").ids()
    assert expected
    for spelling in ("Vladyslav Kanevskyi", "Vladyslav Kanevsky", "KANEVSKI", "kanevskyi"):
        assert ds.events.involving(spelling).ids() == expected


def test_involving_counts_places(ds):
    assert "zelensky-aliyev-press-conference-2022-01-14" in ds.events.involving("Kiev").ids()


def test_involving_an_unknown_actor_raises_with_suggestions(ds):
    with pytest.raises(KeyError, match="no actor named 'Atlantis'"):
        ds.events.involving("Atlantis")
    with pytest.raises(KeyError, match="did you mean 'Vladyslav Kanevskyi'"):
        ds.events.involving("Kanevskiy")


def test_involving_an_actor_no_record_names_is_empty():
    ds = Dataset(raw_data(events=[attrs.evolve(e, actors=("ukraine",)) for e in _fixed_events()]))
    assert len(ds.events.involving("Kyiv")) == 0 and len(ds.events.involving("Ukraine")) == len(ds.events)


def test_a_collection_without_a_dataset_matches_actor_ids(ds):
    loose = Collection(list(ds.events))
    assert loose.involving("baku").ids() == ds.events.involving("Baku").ids()
    assert loose == ds.events


def test_resolve_suggests_close_matches(ds):
    assert ds.actors.resolve("zelenskyy").id == "volodymyr-zelensky"
    with pytest.raises(KeyError, match="did you mean 'Volodymyr Zelensky'"):
        ds.actors.resolve("Zelenski")


def test_of_kind_citing_and_search(ds):
    assert set(ds.events.of_kind("rally").ids()) == {"baku-embassy-rally-2022-02-27"}
    assert all(any(c.source == "aze-media-2025-04-24" for c in r.citations)
               for r in ds.timeline().citing("aze-media-2025-04-24"))
    assert "azerbaijan-aid-to-ukraine-2022-2025" in ds.aid.search("TRANSFORMERS").ids()  # an item unit
    assert "baku-embassy-rally-2022-02-27" in ds.events.search("slava ukraini").ids()  # a quote


def test_queries_chain_and_return_collections(ds):
    result = ds.timeline().between("2022-01", "2022-01").involving("Aliyev").of_kind("declaration")
    assert isinstance(result, Collection)
    assert result.ids() == ("joint-declaration-on-deepening-strategic-partnership",)


def test_indexing_slicing_and_to_records(ds):
    assert ds.events[0] == list(ds.events)[0]
    assert isinstance(ds.events[:2], Collection) and len(ds.events[:2]) == 2
    record = next(r for r in ds.aid.to_records() if r["amounts"])
    assert isinstance(record["amounts"][0]["amount"], str) and isinstance(record["date"], str)


def test_real_aid_total_never_adds_up_running_totals(ds):
    total = ds.aid.total("USD")
    claims = sorted(m.bounds()[0] for a in ds.aid if a.status == "reported" and a.part_of is None
                    for m in a.amounts if m.currency == "USD")
    # officials' running totals overlap: the total is at least the largest, never two of them added
    assert total.low >= claims[-1] and total.low < claims[-1] + claims[-2] and total.high is None
    assert {a.id for a in total.records} == {a.id for a in ds.aid if any(m.currency == "USD" for m in a.amounts)}
    assert all(not any(m.currency == "USD" for m in a.amounts) for a in total.skipped)


def test_a_contained_window_total_leaves_out_the_aggregate_that_overlaps_it(ds):
    early = ds.aid.between("2022-02-24", "2022-03-17", contained=True)
    assert "azerbaijan-aid-to-ukraine-2022-2025" not in early.ids()
    assert "azerbaijan-aid-to-ukraine-2022-2025" in ds.aid.between("2022-02-24", "2022-03-17").ids()
    total = early.total("USD")
    assert total.low == Decimal("5600000") and total.high is None and total.approximate


def test_no_currency_conversion_is_invented(ds):
    total = ds.aid.total("GBP")
    assert (total.low, total.high, total.records) == (Decimal(0), None, ())
    assert len(total.skipped) == len(ds.aid)


# ---- properties on generated datasets -----------------------------------------------------

bounds = st.tuples(partial_dates(open_ends=False), partial_dates(open_ends=False)).map(sorted)


@given(event_datasets(), bounds)
def test_between_equals_the_naive_filter(raw, span):
    start, end = span
    events = Dataset(raw).events
    low, high = start.earliest, end.latest
    naive = [e.id for e in events if e.date.earliest <= high and low <= e.date.latest]
    assert list(events.between(start, end).ids()) == naive


@given(event_datasets(), bounds, st.sampled_from(ACTOR_IDS), st.sampled_from(["rally", "visit"]))
def test_chaining_commutes(raw, span, actor, kind):
    events = Dataset(raw).events
    a = events.between(*span).involving(actor).of_kind(kind)
    b = events.of_kind(kind).involving(actor).between(*span)
    c = events.involving(actor).between(*span).of_kind(kind)
    assert a == b == c


@given(event_datasets(), st.sampled_from(ACTORS))
def test_involving_by_any_name_equals_by_id(raw, actor):
    events = Dataset(raw).events
    expected = [e.id for e in events if actor.id in e.actors]
    for name in (actor.id, actor.name.upper(), *actor.aliases):
        assert list(events.involving(name).ids()) == expected


@given(event_datasets())
def test_results_stay_sorted(raw):
    events = Dataset(raw).events
    keys = [(e.date.placed, e.date.latest, str(e.date), e.id) for e in events]
    assert keys == sorted(keys)
    for derived in (events.of_kind("rally"), events.between("1990", "2030"), events.search("Event")):
        assert [e.id for e in derived] == [e.id for e in events if e in derived]


@given(st.lists(st.decimals(min_value=0, max_value=10**6, places=2), max_size=10))
def test_total_of_independent_exact_records_is_their_sum(values):
    records = [aid(i, v) for i, v in enumerate(values)]
    total = Dataset(raw_data(aid=records)).aid.total("USD")
    assert total.low == total.high == sum(values, Decimal(0))
    assert not total.approximate and len(total.records) == len(values)


@given(exact_aid_forests())
def test_total_counts_each_whole_once(forest):
    records, expected = forest
    total = Dataset(raw_data(aid=records)).aid.total("USD")
    assert total.low == total.high == expected


@given(exact_aid_forests(), st.data())
def test_total_of_any_subset_never_exceeds_the_whole(forest, data):
    records, expected = forest
    subset = data.draw(st.lists(st.sampled_from(records), unique_by=lambda a: a.id))
    ds = Dataset(raw_data(aid=records))
    total = ds.aid.filter(lambda a: a in subset).total("USD")
    assert total.low <= expected and total.high <= expected


def test_at_least_whole_raises_its_bound_to_the_sum_of_parts():
    records = [aid(0, Decimal(10), qualifier=Qualifier.AT_LEAST), aid(1, Decimal(8), "aid-0"), aid(2, Decimal(7), "aid-0")]
    total = Dataset(raw_data(aid=records)).aid.total("USD")
    assert (total.low, total.high) == (Decimal(15), None)


def test_parts_of_a_whole_missing_from_the_collection_still_roll_up_through_it():
    # aid-2 is part of aid-1 which is part of aid-0; filtering aid-1 out must not double count aid-2
    records = [aid(0, Decimal(100)), aid(1, None, "aid-0"), aid(2, Decimal(30), "aid-1")]
    ds = Dataset(raw_data(aid=records))
    total = ds.aid.filter(lambda a: a.id != "aid-1").total("USD")
    assert (total.low, total.high) == (Decimal(100), Decimal(100))


def test_records_with_other_currencies_are_skipped_not_converted():
    records = [aid(0, Decimal(5), currency="EUR"), aid(1, Decimal(7))]
    total = Dataset(raw_data(aid=records)).aid.total("USD")
    assert (total.low, [a.id for a in total.skipped]) == (Decimal(7), ["aid-0"])


def test_open_interval_matches_every_later_range():
    ongoing = attrs.evolve(aid(0, Decimal(1)), date=PartialDate.parse("2022-02/.."))
    coll = Dataset(raw_data(aid=[ongoing])).aid
    assert coll.between("2030", "2031").ids() == ("aid-0",)
    assert coll.between("2021", "2021").ids() == ()


@given(st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=0)), min_size=1, max_size=8),
       st.data())
def test_a_skipped_record_no_counted_whole_includes_leaves_the_total_unbounded(values, data):
    parents = [None] + [data.draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, len(values))]
    records = [aid(i, v, None if parents[i] is None else f"aid-{parents[i]}") for i, v in enumerate(values)]
    total = AidCollection(records).total("usd")
    counted = {a.id for a in total.records}

    def covered(index: int) -> bool:
        node = parents[index]
        while node is not None:
            if f"aid-{node}" in counted:
                return True
            node = parents[node]
        return False

    uncovered = [i for i, v in enumerate(values) if v is None and not covered(i)]
    assert total.currency == "USD"
    assert (total.high is None) == bool(uncovered)  # every amount is exact: only a skip can open it


def test_total_repr_is_short_and_str_names_the_source_kinds(ds):
    total = ds.aid.total("USD")
    assert repr(total).startswith("Total(USD: ") and len(repr(total)) < 120
    assert "resting on" in str(total) and total.records


def test_total_is_case_insensitive_about_the_currency(ds):
    assert ds.aid.total("usd") == ds.aid.total("USD")


def _fixed_events():
    return [Event(id=f"e-{i}", date=PartialDate.parse(f"2022-0{i + 1}"), title="t", kind="visit",
                  citations=(Citation(source="src", claim="c"),)) for i in range(3)]


@given(st.lists(st.tuples(st.sampled_from(["reported", "delivered"]),
                          st.decimals(min_value=1, max_value=10**6, places=0)), min_size=1, max_size=8))
def test_running_totals_are_never_added_to_each_other(rows):
    records = [attrs.evolve(aid(i, value), status=status) for i, (status, value) in enumerate(rows)]
    total = AidCollection(records).total("USD")
    shipments = sum((v for s, v in rows if s != "reported"), Decimal(0))
    claims = [v for s, v in rows if s == "reported"]
    assert total.low == max([shipments, *claims])
    assert total.high == sum(v for _, v in rows)  # every figure exact: the upper bound adds them all


# ---- lookup by id on collections, ISO codes, dates against datetime.date (issue 18) ----------


def test_collection_lookup_by_id(ds):
    rally = ds.events["baku-embassy-rally-2022-02-27"]
    assert rally.id == "baku-embassy-rally-2022-02-27" and rally is ds["baku-embassy-rally-2022-02-27"]
    assert ds.events.get("baku-embassy-rally-2022-02-27") is rally
    assert ds.events.get("no-such-record") is None and ds.events.get("no-such-record", 0) == 0
    assert "baku-embassy-rally-2022-02-27" in ds.events and rally in ds.events
    assert "baku-embassy-rally-2022-02-27" not in ds.aid
    assert ds.events[0].id == ds.events.ids()[0] and ds.events[-1].id == ds.events.ids()[-1]
    assert ds.events[:2].ids() == ds.events.ids()[:2] and isinstance(ds.events[:2], Collection)
    assert ds.actors["azerbaijan"].kind == "state"  # an ActorCollection too


def test_collection_lookup_of_a_wrong_id_suggests_close_ones(ds):
    with pytest.raises(KeyError, match="no record with id 'baku-embassy-rally-2022-02-28'.*did you mean "
                                       "'baku-embassy-rally-2022-02-27'"):
        ds.events["baku-embassy-rally-2022-02-28"]
    with pytest.raises(KeyError, match="no record with id 'zzz' in this collection") as raised:
        ds.events["zzz"]
    assert "did you mean" not in str(raised.value)
    with pytest.raises(KeyError, match="no record with id"):
        ds.aid["baku-embassy-rally-2022-02-27"]  # an event is not in the aid collection


def test_collection_lookup_sees_only_the_query_result(ds):
    window = ds.events.between("2022-02-27", "2022-02-27")
    assert window["baku-embassy-rally-2022-02-27"].id == "baku-embassy-rally-2022-02-27"
    outside = next(e.id for e in ds.events if e.id not in window.ids())
    assert window.get(outside) is None


def test_resolve_by_iso_country_code(ds):
    assert ds.actors.resolve("AZ").id == "azerbaijan"
    assert ds.actors.resolve("UA").id == "ukraine"
    assert ds.actors.resolve("ua").id == "ukraine"  # one normalisation, as for names
    assert ds.events.involving("UA").ids() == ds.events.involving("ukraine").ids()
    with pytest.raises(KeyError, match="no actor named 'ZZ'"):
        ds.actors.resolve("ZZ")


def test_an_iso_code_never_overrides_a_name_or_alias():
    from azukr import Actor
    from azukr.queries import ActorIndex

    azerbaijan = Actor(id="azerbaijan", name="Azerbaijan", kind="state", country="AZ")
    ukraine = Actor(id="ukraine", name="Ukraine", kind="state", country="UA")
    agency = Actor(id="some-agency", name="Some Agency", kind="organization", aliases=("AZ",), country="AZ")
    index = ActorIndex([azerbaijan, ukraine, agency])
    assert index.resolve("AZ") is agency and index.resolve("UA") is ukraine
    person = Actor(id="someone", name="Someone", kind="person", country="UA")
    assert ActorIndex([person]).find("UA") is None
    with pytest.raises(KeyError):
        ActorIndex([person]).resolve("UA")  # only a state is named by its country's code
    twins = ActorIndex([ukraine, Actor(id="ukrainian-ssr", name="Ukrainian SSR", kind="state", country="UA")])
    with pytest.raises(KeyError):
        twins.resolve("UA")  # two states of one code: ambiguous, never guessed


def test_partial_dates_compare_with_a_datetime_date(ds):
    rally = ds.events["baku-embassy-rally-2022-02-27"].date
    assert rally < dt.date(2022, 2, 28) and rally > dt.date(2022, 2, 26)
    assert rally <= dt.date(2022, 2, 27) <= rally and rally >= dt.date(2022, 2, 27)
    assert dt.date(2022, 3, 1) > rally and not dt.date(2022, 3, 1) < rally
    assert PartialDate.parse("2022-02") > dt.date(2022, 2, 1)  # same earliest day, the month ends later
    assert PartialDate.parse("2022-02") < dt.datetime(2022, 3, 1, 12)
    assert sorted([dt.date(2022, 3, 1), rally]) == [rally, dt.date(2022, 3, 1)]
    with pytest.raises(TypeError):
        rally < "2022-03-01"  # noqa: B015 - text is not taken: parse it first
