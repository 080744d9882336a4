"""Claims, voices, corroboration, disputes and contained windows: on small hand-made datasets and
generated ones, so the rules hold whatever the shipped data says."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import azukr
from azukr.dataset import Dataset
from azukr.loader import RawData, check
from azukr.model import Actor, Citation, Dispute, Event, Position, Source
from azukr.queries import ActorIndex
from azukr.voices import voice_of

from .strategies import ACTORS, partial_dates

MFA = Actor(id="mfa-az", name="Ministry of Foreign Affairs of Azerbaijan", kind="organization", country="AZ")
AZERTAC = Actor(id="azertac", name="AZERTAC", kind="organization", country="AZ")
ALL_ACTORS = (*ACTORS, MFA, AZERTAC)


def source(source_id: str, *, kind: str = "news", publisher: str | None = None, relays: tuple[str, ...] = (),
           affiliation: tuple[str, ...] = ()) -> Source:
    return Source(id=source_id, title=source_id.title(), kind=kind, publisher=publisher, relays=relays,
                  affiliation=affiliation, url=f"https://example.org/{source_id}")


SOURCES = (
    source("trend-1", publisher="Trend", relays=("mfa-az",)),
    source("report-1", publisher="Report", relays=("mfa-az",)),
    source("azertac-1", publisher="AZERTAC", affiliation=("azerbaijan",)),
    source("apa-1", publisher="APA", relays=("azertac",)),
    source("ocmedia-1", publisher="OC Media"),
    source("ocmedia-2", publisher="oc media"),
    source("lobby-1", kind="lobbying", publisher="BGR", affiliation=("azerbaijan",)),
    source("anon-1"),
)


def event(event_id: str, *sources: str, date: str = "2022-03-12") -> Event:
    return Event(id=event_id, date=azukr.PartialDate.parse(date), title=event_id, kind="statement",
                 citations=tuple(Citation(source=s, claim=f"{s} says so") for s in sources))


def dataset(*events: Event, disputes: tuple[Dispute, ...] = ()) -> Dataset:
    raw = RawData("test", {"actors": ALL_ACTORS, "sources": SOURCES, "events": events, "agreements": (), "aid": (),
                           "disputes": disputes})
    assert list(check(raw)) == []
    return Dataset(raw)


# ---- voices --------------------------------------------------------------------------------

def test_outlets_relaying_one_ministry_are_one_voice():
    ds = dataset(event("e", "trend-1", "report-1"))
    assert [v.label for v in ds.voices("e")] == ["Ministry of Foreign Affairs of Azerbaijan"]
    assert ds.events.corroborated(2).ids() == ()
    assert ds.events.corroborated(1).ids() == ("e",)


def test_a_publisher_that_is_an_actor_is_the_same_voice_as_an_outlet_relaying_it():
    ds = dataset(event("e", "azertac-1", "apa-1"))
    assert len(ds.voices("e")) == 1


def test_publisher_names_compare_case_insensitively_and_unknown_publishers_fall_back_to_the_source():
    assert voice_of(SOURCES[4]) == voice_of(SOURCES[5])
    assert voice_of(SOURCES[7]).key == "source:anon-1"


def test_independent_voices_corroborate():
    ds = dataset(event("e", "trend-1", "ocmedia-1"), event("f", "lobby-1"))
    assert ds.events.corroborated().ids() == ("e",)
    with pytest.raises(ValueError):
        ds.events.corroborated(0)


def test_resting_on_kind_and_affiliation():
    ds = dataset(event("e", "lobby-1"), event("f", "lobby-1", "ocmedia-1"), event("g", "azertac-1", "lobby-1"))
    assert ds.events.resting_on(kind="lobbying").ids() == ("e",)
    assert ds.events.resting_on(affiliation="Azerbaijan").ids() == ("e", "g")
    assert ds.events.resting_on(kind=["lobbying", "news"], affiliation="azerbaijan").ids() == ("e", "g")
    with pytest.raises(ValueError, match="not a source kind"):
        ds.events.resting_on(kind="rumour")
    with pytest.raises(ValueError, match="give a source kind"):
        ds.events.resting_on()


def test_corroboration_tells_independent_from_same_party_voices():
    dispute = Dispute(id="d", title="When?", about=("g",), field="date", positions=(
        Position(value="2022-03-12", citations=(Citation(source="ocmedia-1", claim="the 12th"),)),
        Position(value="2022-03-13", citations=(Citation(source="lobby-1", claim="the 13th"),)),
    ))
    ds = dataset(event("e", "lobby-1", "ocmedia-1"), event("f", "lobby-1", "azertac-1"), event("g", "lobby-1"),
                 event("h", "lobby-1"), disputes=(dispute,))
    verdicts = {c.record.id: c.verdict for c in ds.corroboration("lobby-1")}
    assert verdicts == {"e": "corroborated", "f": "same party only", "g": "disputed", "h": "alone"}
    assert ds.disputes_about("g") == (dispute,) and ds.events.disputed().ids() == ("g",)
    with pytest.raises(KeyError):
        ds.corroboration("e")


# ---- generated: voices and windows -----------------------------------------------------------

source_ids = st.sampled_from([s.id for s in SOURCES])


@st.composite
def cited_events(draw):
    count = draw(st.integers(0, 12))
    return [Event(id=f"e-{i}", date=draw(partial_dates(open_ends=False)), title=f"e {i}", kind="statement",
                  citations=tuple(Citation(source=s, claim="c") for s in
                                  draw(st.lists(source_ids, min_size=1, max_size=4))))
            for i in range(count)]


@given(cited_events(), st.integers(1, 4))
def test_corroborated_equals_counting_distinct_voices(events, n):
    ds = dataset(*events)
    voices = {s.id: voice_of(s, ActorIndex(ALL_ACTORS).find) for s in SOURCES}
    naive = tuple(e.id for e in ds.events if len({voices[c.source] for c in e.citations}) >= n)
    assert ds.events.corroborated(n).ids() == naive


@given(cited_events(), st.sampled_from(["news", "lobbying"]))
def test_a_record_of_one_voice_is_never_corroborated(events, kind):
    ds = dataset(*events)
    corroborated = set(ds.events.corroborated(2).ids())
    for record in ds.events:
        if len(ds.voices(record)) == 1:
            assert record.id not in corroborated
    resting = ds.events.resting_on(kind=kind)
    assert all(all(ds[c.source].kind == kind for c in r.citations) for r in resting)


@given(cited_events(), st.tuples(partial_dates(open_ends=False), partial_dates(open_ends=False)).map(sorted))
def test_a_contained_window_never_holds_a_record_reaching_past_it(events, span):
    ds = dataset(*events)
    low, high = span[0].earliest, span[1].latest
    inside = ds.events.between(span[0], span[1], contained=True)
    assert set(inside.ids()) <= set(ds.events.between(span[0], span[1]).ids())
    assert all(low <= r.date.earliest and r.date.latest <= high for r in inside)
    naive = [r.id for r in ds.events if low <= r.date.earliest and r.date.latest <= high]
    assert list(inside.ids()) == naive


# ---- validation of the new fields -------------------------------------------------------------

def _problems(data_dir: Path, relative: str, text: str) -> list[str]:
    path = data_dir / relative
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    return [str(p) for p in azukr.validate(data_dir)]


def test_a_quote_needs_an_archived_source(data_dir):
    problems = _problems(data_dir, "events/zz-quoted.toml", 'date = "2022"\ntitle = "t"\nkind = "statement"\n'
                         '[[citations]]\nsource = "zz-web"\nquote = "copied words"\n')
    assert problems  # the source is missing too; add it and see the quote refused
    _problems(data_dir, "sources/zz-web.toml", 'title = "t"\nkind = "news"\nurl = "https://example.org/x"\n')
    problems = [str(p) for p in azukr.validate(data_dir)]
    assert problems == ["events/zz-quoted.toml: events[zz-quoted].citations[0].quote: write a claim: this source"
                        " keeps no archived text to check a quote against"]


def test_a_citation_needs_a_quote_or_a_claim_and_a_source_a_url_or_an_archive(data_dir):
    problems = _problems(data_dir, "sources/zz-nowhere.toml", 'title = "t"\nkind = "news"\n')
    assert "sources/zz-nowhere.toml: sources[zz-nowhere].url: required where the source keeps no archived text" in problems
    problems = _problems(data_dir, "events/zz-empty.toml", 'date = "2022"\ntitle = "t"\nkind = "statement"\n'
                         '[[citations]]\nsource = "oc-media-2022-02-28"\nlocator = "para 2"\n')
    assert any("events[zz-empty].citations[0].claim: a citation needs a quote" in p for p in problems)


def test_supports_must_name_a_field_that_holds_a_value(data_dir):
    problems = _problems(data_dir, "events/zz-noplace.toml", 'date = "2022"\ntitle = "t"\nkind = "statement"\n'
                         '[[citations]]\nsource = "oc-media-2022-02-28"\nclaim = "c"\nsupports = ["place"]\n')
    assert "events/zz-noplace.toml: events[zz-noplace].citations[0].supports: 'place' holds no value in this record" \
        in problems


def test_disputes_are_validated_like_records(data_dir):
    problems = _problems(data_dir, "disputes/zz-thin.toml", 'title = "t"\nabout = ["baku", "nope"]\n'
                         '[[positions]]\nvalue = "a"\n[[positions.citations]]\nsource = "oc-media-2022-02-28"\n'
                         'claim = "c"\n')
    assert "disputes/zz-thin.toml: disputes[zz-thin].positions: a dispute needs at least two positions" in problems
    problems = _problems(data_dir, "disputes/zz-thin.toml", 'title = "t"\nabout = ["baku", "nope"]\n' + (
        '[[positions]]\nvalue = "a"\n[[positions.citations]]\nsource = "oc-media-2022-02-28"\nclaim = "c"\n') * 2)
    assert "disputes/zz-thin.toml: disputes[zz-thin].about[0]: 'baku' is not an id in events or agreements or aid" \
        in problems
    assert any("disputes[zz-thin].about[1]: 'nope' is not an id" in p for p in problems)


def test_an_outlet_relaying_a_ministry_carries_its_states_voice():
    ds = dataset(event("e", "lobby-1", "trend-1"), event("f", "trend-1", "report-1"), event("g", "ocmedia-1"))
    assert ds.parties_of("trend-1") == {"azerbaijan"} and ds.parties_of("ocmedia-1") == frozenset()
    assert [c.verdict for c in ds.corroboration("lobby-1")] == ["same party only"]
    assert ds.events.resting_on(affiliation="AZ").ids() == ("e", "f")
