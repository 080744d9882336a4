"""Hypothesis strategies, reused across test modules."""

from __future__ import annotations

import calendar
from decimal import Decimal

from hypothesis import strategies as st

from azukr.amounts import Money, Qualifier
from azukr.dates import DatePoint, PartialDate
from azukr.loader import RawData
from azukr.model import Actor, Aid, Citation, Event, Source

CITE = (Citation(source="src", claim="a claim in our own words"),)


@st.composite
def date_points(draw, *, qualifiers: bool = True) -> DatePoint:
    year = draw(st.integers(1980, 2035))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    month = draw(st.integers(1, 12)) if precision != "year" else None
    day = draw(st.integers(1, calendar.monthrange(year, month)[1])) if precision == "day" else None
    uncertain = draw(st.booleans()) if qualifiers else False
    approximate = draw(st.booleans()) if qualifiers else False
    return DatePoint(year, month, day, uncertain, approximate)


@st.composite
def partial_dates(draw, *, open_ends: bool = True) -> PartialDate:
    first = draw(date_points())
    if not draw(st.booleans()):
        return PartialDate(first)
    second = draw(date_points())
    if second.latest < first.earliest:
        first, second = second, first
    if open_ends and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from([PartialDate("..", second), PartialDate("", second),
                                     PartialDate(first, ".."), PartialDate(first, "")]))
    return PartialDate(first, second)


date_texts = partial_dates().map(str)

ACTOR_IDS = ("azerbaijan", "ukraine", "baku", "kyiv")
ACTORS = (
    Actor(id="azerbaijan", name="Azerbaijan", kind="state", aliases=("Republic of Azerbaijan",), country="AZ"),
    Actor(id="ukraine", name="Ukraine", kind="state", country="UA"),
    Actor(id="baku", name="Baku", kind="place", aliases=("Baki",)),
    Actor(id="kyiv", name="Kyiv", kind="place", aliases=("Kiev",)),
)
SOURCE = Source(id="src", title="A source", kind="news", url="https://example.org/a-source")


@st.composite
def events(draw, index: int) -> Event:
    return Event(
        id=f"event-{index}",
        date=draw(partial_dates()),
        title=f"Event {index}",
        kind=draw(st.sampled_from(["rally", "visit", "statement"])),
        actors=tuple(draw(st.lists(st.sampled_from(ACTOR_IDS), unique=True, max_size=3))),
        citations=CITE,
    )


@st.composite
def event_datasets(draw) -> RawData:
    """A small, valid dataset of generated events over fixed actors."""
    count = draw(st.integers(0, 25))
    return raw_data(events=[draw(events(i)) for i in range(count)])


def raw_data(*, events=(), aid=(), agreements=()) -> RawData:
    return RawData(
        "test",
        {"actors": ACTORS, "sources": (SOURCE,), "events": tuple(events), "agreements": tuple(agreements),
         "aid": tuple(aid)},
    )


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
qualifiers = st.sampled_from(list(Qualifier))
money = st.builds(lambda a, q: Money(amount=a, currency="USD", qualifier=q), amounts, qualifiers)


def aid(index: int, amount: Decimal | None, part_of: str | None = None, currency: str = "USD",
        qualifier: Qualifier = Qualifier.EXACT) -> Aid:
    return Aid(
        id=f"aid-{index}", title=f"Aid {index}", donor="azerbaijan", recipient="ukraine",
        date=PartialDate.parse("2022-03"), kind="humanitarian", status="delivered",
        amounts=() if amount is None else (Money(amount=amount, currency=currency, qualifier=qualifier),),
        part_of=part_of, citations=CITE,
    )


@st.composite
def exact_aid_forests(draw) -> tuple[list[Aid], Decimal]:
    """Aid records whose wholes (exact) are at least the sum of their parts; returns the
    records and the true total, which is the sum of the roots."""
    count = draw(st.integers(1, 12))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, count)]
    own = [draw(st.decimals(min_value=0, max_value=10**6, places=0)) for _ in range(count)]
    value = list(own)
    for i in reversed(range(count)):  # children have larger indexes: fold them up first
        value[i] = own[i] + sum((value[j] for j in range(count) if parents[j] == i), Decimal(0))
    records = [aid(i, value[i], None if parents[i] is None else f"aid-{parents[i]}") for i in range(count)]
    total = sum((value[i] for i in range(count) if parents[i] is None), Decimal(0))
    return records, total


def mini_data(folder):
    """Write a small, valid, canonical data folder at ``folder`` (a ``pathlib.Path``) and return
    it: four actors, a source with a URL and one with an archived text, two events (one quoting),
    an agreement, an aid record, a dispute and a tombstone. Fast to read, for tests that break it."""
    import datetime

    from azukr.amounts import Quantity
    from azukr.model import Agreement, Dispute, Position, Tombstone
    from azukr.versioning import record_text, retired_text

    claim = (Citation(source="paper", claim="A claim in our own words."),)
    records = {
        "actors": ACTORS,
        "sources": (
            Source(id="paper", title="A paper", kind="news", publisher="A publisher",
                   published=PartialDate.parse("2022-02-28"), url="https://example.org/paper", language="en"),
            Source(id="archived", title="An archived text", kind="government", archive="001.txt"),
        ),
        "events": (
            Event(id="rally", date=PartialDate.parse("2022-02-27"), title="A rally", kind="rally",
                  actors=("azerbaijan", "ukraine"), place="baku", citations=claim),
            Event(id="quoted", date=PartialDate.parse("2022-03"), title="A statement", kind="statement",
                  citations=(Citation(source="archived", quote="Words as printed."),)),
        ),
        "agreements": (
            Agreement(id="declaration", title="A declaration", kind="declaration",
                      signed=PartialDate.parse("2022-01-14"), parties=("azerbaijan", "ukraine"),
                      provisions=("Friendship",), citations=claim),
        ),
        "aid": (
            Aid(id="fuel", title="Fuel", donor="azerbaijan", recipient="ukraine", date=PartialDate.parse("2022-03"),
                kind="humanitarian", status="delivered", amounts=(Money(amount=Decimal(1_000_000), currency="USD"),),
                items=(Quantity(value=Decimal(50), unit="generators"),), citations=claim),
        ),
        "disputes": (
            Dispute(id="when", title="When was the rally", about=("rally",), field="date",
                    positions=(Position(value="2022-02-27", citations=claim),
                               Position(value="2022-02-28", citations=claim))),
        ),
    }
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text('__version__ = "2026.9"\n', "utf-8")
    for collection, found in records.items():
        (folder / collection).mkdir()
        for record in found:
            (folder / collection / f"{record.id}.toml").write_text(record_text(record), "utf-8")
    stone = Tombstone(id="gone", retired=datetime.date(2026, 1, 2), reason="merged", replaced_by="rally")
    (folder / "retired.toml").write_text(retired_text([stone]), "utf-8")
    return folder
