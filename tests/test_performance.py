"""The faster paths of issue 19 give exactly the answers of the plain ones they replace."""

from __future__ import annotations

import datetime as dt

import hypothesis.strategies as st
from hypothesis import given

import azukr
from azukr.dates import PartialDate
from azukr.model import Actor, Citation, Event, references
from azukr.queries import Collection, _search_text, sort_key

from .strategies import partial_dates

_UNDATED = PartialDate.parse("0001")


def old_key(record):
    """The order key before issue 19, PartialDate objects compared by (earliest, latest, text),
    with an open start ("../X") placed at its latest day, as a reader of a timeline expects."""
    date = record.date
    if date is not None and date.earliest == dt.date.min:
        return (False, PartialDate.parse(date.latest.isoformat()), date, record.id)
    return (date is None, date or _UNDATED, date or _UNDATED, record.id)


def test_sort_key_orders_the_shipped_data_as_before():
    ds = azukr.load()
    records = [*ds.actors, *ds.sources, *ds.events, *ds.agreements, *ds.aid, *ds.disputes]
    assert sorted(records, key=sort_key) == sorted(records, key=old_key)


def _event(i: int, date: PartialDate, kind: str = "meeting", actors=(), title: str = "x") -> Event:
    return Event(id=f"e-{i}", date=date, title=title, kind=kind, actors=actors,
                 citations=(Citation(source="s", claim="c"),))


@given(st.lists(partial_dates(), max_size=40), st.randoms())
def test_sort_key_orders_generated_dates_as_before(dates, rng):
    records = [_event(i, d) for i, d in enumerate(dates)]
    rng.shuffle(records)
    assert sorted(records, key=sort_key) == sorted(records, key=old_key)


WORDS = ("Baku", "kyiv", "tribunal", "AID", "fuel", "\u00df")


@given(st.lists(st.tuples(partial_dates(open_ends=False), st.sampled_from(("meeting", "visit", "call")),
                          st.lists(st.sampled_from(("a", "b", "c")), max_size=3, unique=True),
                          st.lists(st.sampled_from(WORDS), max_size=3)), max_size=30),
       st.sampled_from((*WORDS, "ss", "", "ku\nky")), st.sampled_from(("meeting", "visit")), st.sampled_from("abc"))
def test_indexed_and_chained_queries_answer_as_scans(rows, word, kind, actor):
    events = Collection([_event(i, d, k, tuple(a), " ".join(w) or "x") for i, (d, k, a, w) in enumerate(rows)])
    needle = word.casefold()

    def named(r):
        return actor in {ref for _, target, ref in references(r) if target == "actors"}

    for col in (events, events.between("1000", "2999"), events.of_kind(kind)):  # a root and derived ones
        assert col.search(word).ids() == tuple(r.id for r in col if needle in _search_text(r))
        assert col.of_kind(kind).ids() == tuple(r.id for r in col if r.kind == kind)
        assert col.involving(actor).ids() == tuple(r.id for r in col if named(r))
        low, high = PartialDate.parse("2000").earliest, PartialDate.parse("2010").latest
        assert col.between("2000", "2010").ids() == tuple(
            r.id for r in col if r.date.earliest <= high and low <= r.date.latest)
        assert col.involving(actor).between("2000", "2010").search(word) == col.filter(
            lambda r: named(r) and r.date.overlaps(low, high) and needle in _search_text(r))


def test_actors_name_themselves_in_derived_collections():
    actors = Collection([Actor(id="a", name="A", kind="state"), Actor(id="b", name="B", kind="state")])
    assert actors.of_kind("state").involving("a").ids() == ("a",)


def _old_string(text: str) -> str:
    """The canonical writer's string escaping before issue 19, one character at a time."""
    escapes = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@given(st.text())
def test_canonical_strings_are_escaped_as_before(text):
    from azukr import _toml

    assert _toml._string(text) == _old_string(text)


TOML_SAMPLES = ('a = "x"\n', 'a = "\\x41"\n', 'a = "\\e"\n', 'a = {b = 1,}\n', 'a = {b = 1,\n c = 2}\n', "t = 10:30\n",
                "a = " + "[" * 600 + "]" * 600 + "\n", 'a = 1\na = 2\n', 'd = 2022-02-30\n')


def test_the_fast_toml_parser_reads_and_refuses_as_tomllib():
    """The optional compiled parser (``tomli``, the ``fast`` extra) gives tomllib's results and
    tomllib's errors, TOML 1.1 syntax included (refused, as tomllib refuses it)."""
    import tomllib

    from azukr import loader

    def outcome(parse, text):
        try:
            return parse(text)
        except Exception as exc:  # noqa: BLE001
            return type(exc), str(exc)

    root = loader.shipped_root()
    texts = [f.read_text("utf-8") for folder in root.iterdir() if folder.is_dir()
             for f in folder.iterdir() if f.name.endswith(".toml")]
    for text in (*TOML_SAMPLES, *texts):
        assert outcome(loader._toml_loads, text) == outcome(tomllib.loads, text)


def _old_too_deep(data, limit):
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


_NESTED = st.recursive(st.one_of(st.integers(), st.text(max_size=2), st.just([]), st.just({})),
                       lambda inner: st.one_of(st.lists(inner, max_size=3),
                                               st.dictionaries(st.text(max_size=2), inner, max_size=3)),
                       max_leaves=30)


@given(_NESTED, st.integers(-1, 8))
def test_the_depth_check_answers_as_before(data, limit):
    from azukr.loader import too_deep

    assert too_deep(data, limit) == _old_too_deep(data, limit)


def test_an_open_start_is_placed_at_its_latest_day_not_at_the_beginning_of_time():
    early = _event(1, PartialDate.parse("2018-10-02"))
    by_then = _event(2, PartialDate.parse("../2018-10-03"))
    same_day = _event(3, PartialDate.parse("2018-10-03"))
    later = _event(4, PartialDate.parse("2018-10-04"))
    assert Collection([later, same_day, by_then, early]).ids() == ("e-1", "e-2", "e-3", "e-4")
    assert by_then.date.placed == dt.date(2018, 10, 3) and early.date.placed == dt.date(2018, 10, 2)


@given(st.lists(st.lists(st.sampled_from(["date", "actors", "summary", "title", "amount"]), max_size=4),
                min_size=1, max_size=12))
def test_equal_short_string_lists_become_one_shared_tuple_and_keep_their_values(lists):
    from azukr import _convert

    made = [_convert.structure({"source": "s", "claim": "c", "supports": found}, Citation) for found in lists]
    assert [c.supports for c in made] == [tuple(found) for found in lists]
    for first in made:
        for second in made:
            assert (first.supports is second.supports) == (first.supports == second.supports)


@given(st.sampled_from([PartialDate.parse("2022-03-01"), PartialDate.parse("../2018-10-03"),
                        PartialDate.parse("2022-02-24/2022-03%")]))
def test_date_point_text_round_trips_through_every_precision_and_mark(date):
    assert str(PartialDate.parse(str(date))) == str(date)
    for text in ("2022", "2022-03", "2022-03-01", "2022?", "2022-03~", "2022-03-01%"):
        assert str(PartialDate.parse(text)) == text
