"""Collections: immutable, sorted sequences of records with chainable, indexed queries.

Costs: date queries bisect, in each group of records of similar span, a sorted array of
earliest days built once per collection (so a query reads only a narrow window); actor
queries use an actor -> positions index built once per collection; id lookup is a dict.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast, overload

import attrs

from .amounts import Qualifier
from .dates import PartialDate
from .model import SOURCE_KINDS, Actor, Aid, Record, Source, actor_names, all_citations, references
from .voices import Voice, parties_of, voice_of, voices_of

R = TypeVar("R", bound=Record)
T = TypeVar("T")
DateLike = PartialDate | datetime.date | str


_UNDATED = PartialDate.parse("0001")


_UNDATED_KEY = (_UNDATED.earliest, _UNDATED.latest, str(_UNDATED))


def sort_key(record: Record) -> tuple:
    """Date order, undated records last, ties broken by id: the order of every collection.

    A flat tuple of plain values (undated?, the day the date is placed at, latest, EDTF text,
    id), worked out once per record, so that sorting compares no date objects. A date is placed
    at its earliest day; an open start ("no later than ...") at its latest."""
    date = record.date
    if date is None:
        return (True, *_UNDATED_KEY, record.id)
    return (False, date.placed, date.latest, str(date), record.id)


def _close(word: str, candidates: Iterable[str]) -> list[str]:
    """Up to three of ``candidates`` close to ``word`` (difflib, imported only to explain a miss)."""
    import difflib

    return difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)


def did_you_mean(names: Iterable[str]) -> str:
    """``"; did you mean 'a', 'b'?"`` for close matches (each once), or ``""`` when there are none."""
    unique = dict.fromkeys(names)
    return f"; did you mean {', '.join(map(repr, unique))}?" if unique else ""


class ActorIndex:
    """Actors by id, name or alias, case-insensitively; one normalisation (casefold) for
    indexing and querying."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self._by_key: dict[str, Actor] = {}
        states: dict[str, list[Actor]] = {}
        for actor in actors:
            for name in actor_names(actor):
                self._by_key.setdefault(name.casefold(), actor)
            if actor.kind == "state" and actor.country:
                states.setdefault(actor.country.casefold(), []).append(actor)
        # ISO 3166-1 alpha-2 codes ("AZ", "UA") name the one state of that country, for
        # ``resolve`` only, and only where no id, name or alias already claims the string
        self._states: dict[str, Actor] = {code: found[0] for code, found in states.items() if len(found) == 1}
        self._by_code: dict[str, Actor] = {code: s for code, s in self._states.items() if code not in self._by_key}

    def __len__(self) -> int:
        return len(self._by_key)

    def find(self, name: str) -> Actor | None:
        """The actor with this id, name or alias, or None."""
        return self._by_key.get(name.casefold())

    def state(self, country: str) -> Actor | None:
        """The one actor of kind ``state`` of this ISO 3166-1 alpha-2 code, or None."""
        return self._states.get(country.casefold())

    def resolve(self, name: str) -> Actor:
        """The actor with this id, name or alias, or the state with this ISO 3166-1 alpha-2
        code (``"AZ"``); ``KeyError`` with close matches otherwise."""
        try:
            key = name.casefold()
            return self._by_key[key] if key in self._by_key else self._by_code[key]
        except KeyError:
            close = _close(name.casefold(), self._by_key)
            hint = did_you_mean(self._by_key[c].name for c in close)
            raise KeyError(f"no actor named {name!r}{hint}") from None


@attrs.frozen
class Context:
    """What a collection needs from its dataset: actor names, the full part_of chain, the
    sources and their voices, and which records disputes are about."""

    actors: ActorIndex = attrs.field(factory=ActorIndex)
    part_of: Mapping[str, str | None] = attrs.field(factory=dict)
    sources: Mapping[str, Source] = attrs.field(factory=dict)
    disputed: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @functools.cached_property
    def voices(self) -> dict[str, Voice]:
        """Source id -> its voice."""
        return {source_id: voice_of(s, self.actors.find) for source_id, s in self.sources.items()}

    @functools.cached_property
    def parties(self) -> dict[str, frozenset[str]]:
        """Source id -> the states whose voice it carries (see ``voices.parties_of``)."""
        return {source_id: parties_of(s, self.actors) for source_id, s in self.sources.items()}

    @functools.cached_property
    def _memos(self) -> dict[str, dict[str, tuple[Any, Any]]]:
        return {}

    def per_record(self, what: str, record: Record, compute: Callable[[Any], T]) -> T:
        """``compute(record)``, computed once per record and shared by every collection of this
        context, so that a derived collection never recomputes what its parent did. Keyed by
        id, checked by identity: a different record under the same id is computed afresh."""
        memo = self._memos.setdefault(what, {})
        hit = memo.get(record.id)
        if hit is not None and hit[0] is record:
            return cast(T, hit[1])
        value = compute(record)
        memo[record.id] = (record, value)
        return value


def _actors_named(record: Record) -> frozenset[str]:
    """The ids of the actors a record names (an actor names itself)."""
    named = {ref for _, target, ref in references(record) if target == "actors"}
    if isinstance(record, Actor):
        named.add(record.id)
    return frozenset(named)


def _span(record: Record) -> tuple[datetime.date, datetime.date] | None:
    date = record.date
    return None if date is None else (date.earliest, date.latest)


#: a word of a search text: a needle made of these characters only is looked up in the word index
_WORD = re.compile(r"\w+")


def _search_text(record: Record) -> str:
    """The text ``search`` looks in: titles, names, summaries, provisions, item units, quotes."""
    parts: list[str] = []
    for name in ("title", "name", "summary", "description", "note", "publisher", "author"):
        value = getattr(record, name, None)
        if value:
            parts.append(value)
    parts += getattr(record, "aliases", ())
    parts += getattr(record, "provisions", ())
    parts += [item.unit for item in getattr(record, "items", ())]
    parts += [c.text for c in all_citations(record)]
    parts += [p.value for p in getattr(record, "positions", ())]
    return "\n".join(parts).casefold()


@attrs.frozen
class _SpanBucket:
    """Records whose spans are at most ``reach`` long (None: open-ended), sorted by earliest day."""

    reach: datetime.timedelta | None
    earliest: list[datetime.date]
    positions: list[int]

    def overlapping(self, low: datetime.date, high: datetime.date, items: Sequence[Record]) -> Iterator[int]:
        """Positions of records overlapping ``[low, high]``: only those starting in
        ``[low - reach, high]`` can, since none of them is longer than ``reach``."""
        stop = bisect.bisect_right(self.earliest, high)
        if self.reach is None:
            start = 0
        else:
            floor = datetime.date.min + self.reach
            start = bisect.bisect_left(self.earliest, low - self.reach if low >= floor else datetime.date.min)
        return (i for i in self.positions[start:stop] if cast(PartialDate, items[i].date).latest >= low)


class Collection(Sequence[R], Generic[R]):
    """An immutable sequence of records sorted by (date, id); every query returns a new one."""

    __slots__ = ("_items", "_context", "__dict__")

    #: True for a query's result: it answers further queries by a scan of the per-record data
    #: its context has already computed, and builds no index of its own
    _derived = False

    def __init__(self, records: Iterable[R] = (), *, context: Context | None = None, presorted: bool = False) -> None:
        items = tuple(records)
        self._items: tuple[R, ...] = items if presorted else tuple(sorted(items, key=sort_key))
        self._context = context or Context()

    def _new(self, positions: Iterable[int]) -> Collection[R]:
        new = type(self)(tuple(map(self._items.__getitem__, sorted(positions))), context=self._context, presorted=True)
        new._derived = True
        return new

    # -- sequence protocol ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[R]:
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> R: ...
    @overload
    def __getitem__(self, index: str) -> R: ...
    @overload
    def __getitem__(self, index: slice) -> Collection[R]: ...
    def __getitem__(self, index: int | str | slice) -> R | Collection[R]:
        """A record by position, by id (``KeyError`` with close matches), or a slice."""
        if isinstance(index, str):
            found = self._by_id.get(index)
            if found is None:
                hint = did_you_mean(_close(index, self._by_id))
                raise KeyError(f"no record with id {index!r} in this collection{hint}")
            return found
        if isinstance(index, slice):
            return type(self)(self._items[index], context=self._context, presorted=True)
        return self._items[index]

    @overload
    def get(self, record_id: str) -> R | None: ...
    @overload
    def get(self, record_id: str, default: T) -> R | T: ...
    def get(self, record_id: str, default: object = None) -> object:
        """The record with this id, or ``default``."""
        return self._by_id.get(record_id, default)

    def __contains__(self, value: object) -> bool:
        """An id (a string) or a record."""
        if isinstance(value, str):
            return value in self._by_id
        return value in self._items

    def to_pandas(self, table: str = "records") -> Any:
        """This collection as a pandas ``DataFrame`` (see ``azukr.frames``); needs ``azukr[pandas]``."""
        from . import frames

        return frames.to_pandas(self, table)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Collection):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        shown = ", ".join(r.id for r in self._items[:5]) + (", ..." if len(self) > 5 else "")
        return f"<{type(self).__name__} of {len(self)}: {shown}>"

    # -- indexes, built on first use -----------------------------------------------------
    @functools.cached_property
    def _by_id(self) -> dict[str, R]:
        return {r.id: r for r in self._items}

    @functools.cached_property
    def _by_span(self) -> list[_SpanBucket]:
        """Dated records grouped by how long their span is (powers of two of days), each group
        sorted by earliest day: an overlap query then bisects each group to a narrow window."""
        groups: dict[int, list[tuple[datetime.date, int]]] = {}
        for i, record in enumerate(self._items):
            date = record.date
            if date is None:
                continue
            bounded = date.earliest != datetime.date.min and date.latest != datetime.date.max
            key = ((date.latest - date.earliest).days + 1).bit_length() if bounded else -1
            groups.setdefault(key, []).append((date.earliest, i))
        buckets = []
        for key, members in sorted(groups.items()):
            members.sort()
            reach = None if key < 0 else datetime.timedelta(days=(1 << key) - 1)
            buckets.append(_SpanBucket(reach, [d for d, _ in members], [i for _, i in members]))
        return buckets

    @functools.cached_property
    def _by_actor(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        per_record = self._context.per_record
        for i, record in enumerate(self._items):
            for actor_id in per_record("actors", record, _actors_named):
                index.setdefault(actor_id, []).append(i)
        return index

    @functools.cached_property
    def _by_kind(self) -> dict[object, list[int]]:
        index: dict[object, list[int]] = {}
        for i, record in enumerate(self._items):
            index.setdefault(getattr(record, "kind", None), []).append(i)
        return index

    @functools.cached_property
    def _of_kind(self) -> dict[str, Collection[R]]:
        """The answers of ``of_kind`` given so far, by kind."""
        return {}

    @functools.cached_property
    def _search_index(self) -> tuple[str, list[int]] | None:
        """Every record's search text in one string, NUL-separated, and where each starts; None
        where a text holds a NUL itself (then ``search`` scans the texts one by one)."""
        per_record = self._context.per_record
        texts = [per_record("search", r, _search_text) for r in self._items]
        starts, offset = [], 0
        for text in texts:
            if "\0" in text:
                return None
            starts.append(offset)
            offset += len(text) + 1
        return "\0".join(texts), starts

    @functools.cached_property
    def _word_index(self) -> dict[str, list[int]]:
        """Each word (a maximal run of ``\\w`` characters) of the search texts -> the positions of
        the records whose text holds it. A needle of word characters only can occur only inside
        one such word, so the records whose text contains it are those of the words that do:
        ``search`` scans the vocabulary, not the text, and answers exactly as a substring scan."""
        index: dict[str, list[int]] = {}
        per_record = self._context.per_record
        findall = _WORD.findall
        for i, record in enumerate(self._items):
            for word in set(findall(per_record("search", record, _search_text))):
                index.setdefault(word, []).append(i)
        return index

    def _texts(self) -> Iterator[str]:
        per_record = self._context.per_record
        return (per_record("search", r, _search_text) for r in self._items)

    # -- queries -------------------------------------------------------------------------
    def between(self, start: DateLike, end: DateLike, *, contained: bool = False) -> Collection[R]:
        """Records whose date overlaps ``[start, end]``, both ends inclusive at their precision:
        ``between("2022-02", "2022-03")`` runs from 1 February to 31 March.

        With ``contained=True``, only records whose whole span lies inside the window, so that
        a window total does not count a three-year aggregate that merely overlaps it."""
        low, high = PartialDate.coerce(start).earliest, PartialDate.coerce(end).latest
        if low > high:
            raise ValueError(f"between: start {start!s} is after end {end!s}")
        found: list[int] = []
        if self._derived and "_by_span" not in self.__dict__:
            per_record = self._context.per_record
            for i, record in enumerate(self._items):
                span = per_record("span", record, _span)
                if span is not None and span[0] <= high and span[1] >= low:
                    found.append(i)
        else:
            for bucket in self._by_span:
                found += bucket.overlapping(low, high, self._items)
        if contained:
            dates = [cast(PartialDate, self._items[i].date) for i in found]
            found = [i for i, date in zip(found, dates) if date.earliest >= low and date.latest <= high]
        return self._new(found)

    def on(self, day: DateLike) -> Collection[R]:
        """Records whose date could be ``day``."""
        return self.between(day, day)

    def involving(self, actor: str) -> Collection[R]:
        """Records naming the actor (an id, a name or any alias, case-insensitive).

        An unknown name raises ``KeyError`` with close matches rather than silently matching nothing.
        A collection made without a dataset knows no names: there ``actor`` is taken as an id.
        """
        names = self._context.actors
        actor_id = names.resolve(actor).id if names else actor
        if self._derived and "_by_actor" not in self.__dict__:
            per_record = self._context.per_record
            return self._new(i for i, r in enumerate(self._items) if actor_id in per_record("actors", r, _actors_named))
        return self._new(self._by_actor.get(actor_id, ()))

    def of_kind(self, kind: str) -> Collection[R]:
        if isinstance(kind, str) and not (self._derived and "_by_kind" not in self.__dict__):
            found = self._of_kind.get(kind)
            if found is None:  # each kind's answer is made once: collections never change
                found = self._of_kind[kind] = self._new(self._by_kind.get(kind, ()))
            return found
        return self._new(i for i, r in enumerate(self._items) if getattr(r, "kind", None) == kind)

    def citing(self, source_id: str) -> Collection[R]:
        """Records with at least one citation of ``source_id``."""
        return self._new(
            i for i, r in enumerate(self._items) if any(c.source == source_id for c in getattr(r, "citations", ()))
        )

    def search(self, text: str) -> Collection[R]:
        """Case-insensitive substring match over titles, summaries, provisions, item units and quotes."""
        needle = text.casefold()
        if not self._derived and _WORD.fullmatch(needle):
            found_in = [positions for word, positions in self._word_index.items() if needle in word]
            return self._new(found_in[0] if len(found_in) == 1 else set().union(*found_in))
        index = None if self._derived or not needle or "\0" in needle else self._search_index
        if index is None:
            return self._new(i for i, t in enumerate(self._texts()) if needle in t)
        blob, starts = index
        found: list[int] = []
        at = blob.find(needle)
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1  # the record whose text the match starts in
            found.append(i)
            if i + 1 == len(starts):
                break
            at = blob.find(needle, starts[i + 1])
        return self._new(found)

    def corroborated(self, n: int = 2) -> Collection[R]:
        """Records backed by at least ``n`` independent voices. A voice is the first actor a
        source relays, else its publisher, else the source: two outlets reprinting one
        ministry release are one voice."""
        if n < 1:
            raise ValueError(f"corroborated: n must be at least 1, not {n}")
        voices = self._context.voices
        return self._new(i for i, r in enumerate(self._items) if len(voices_of(r, voices)) >= n)

    def resting_on(self, kind: str | Iterable[str] | None = None, affiliation: str | None = None) -> Collection[R]:
        """Records every citation of which comes from sources of ``kind`` (one kind or several)
        and/or carrying the voice of ``affiliation`` (a state's id, name or alias: its own
        outlets, and pages relaying its bodies; see ``voices.parties_of``): e.g. the claims only
        a lobbying email makes, or that only one state's voice makes."""
        if kind is None and affiliation is None:
            raise ValueError("resting_on: give a source kind, an affiliation, or both")
        kinds = None if kind is None else ({kind} if isinstance(kind, str) else set(kind))
        unknown = sorted((kinds or set()) - set(SOURCE_KINDS))
        if unknown:
            raise ValueError(f"resting_on: {', '.join(map(repr, unknown))} is not a source kind "
                             f"({', '.join(SOURCE_KINDS)})")
        party = None
        if affiliation is not None:
            party = self._context.actors.resolve(affiliation).id if self._context.actors else affiliation
        sources = self._context.sources

        def matches(source_id: str) -> bool:
            source = sources.get(source_id)
            return source is not None and (kinds is None or source.kind in kinds) and (
                party is None or party in self._context.parties.get(source_id, ()))

        def rests(record: Record) -> bool:
            cited = all_citations(record)
            return bool(cited) and all(matches(c.source) for c in cited)

        return self._new(i for i, r in enumerate(self._items) if rests(r))

    def disputed(self) -> Collection[R]:
        """Records that a dispute is about."""
        disputed = self._context.disputed
        return self._new(i for i, r in enumerate(self._items) if r.id in disputed)

    def filter(self, predicate: Callable[[R], bool]) -> Collection[R]:
        return self._new(i for i, r in enumerate(self._items) if predicate(r))

    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self._items)

    def to_records(self) -> list[dict[str, Any]]:
        """Plain, JSON-ready dicts: dates as EDTF strings, amounts as decimal strings."""
        from ._convert import unstructure  # cattrs is imported by the commands that need it

        return [unstructure(r) for r in self._items]


class ActorCollection(Collection[Actor]):
    """Actors, with ``resolve`` by id, name or alias."""

    __slots__ = ()

    def resolve(self, name_or_alias: str) -> Actor:
        return self._context.actors.resolve(name_or_alias)


@attrs.frozen(kw_only=True)
class Total:
    """The sum of aid in one currency, as honest bounds.

    ``low``/``high`` bound the total: ``high`` is None (unbounded) when a counted record is a
    lower bound such as "over $40 million", or when a record was skipped that no counted
    record includes (its amount in this currency is unknown, so nothing caps the total). ``approximate`` is True when an
    approximate figure was taken at face value. ``records`` were counted; ``skipped`` have no
    amount in ``currency``; ``source_kinds`` are the kinds of the sources the counted records
    cite, so a reader sees whether a total rests on lobbying or opinion.
    """

    currency: str
    low: Decimal
    high: Decimal | None
    approximate: bool
    records: tuple[Aid, ...] = attrs.field(repr=False)
    skipped: tuple[Aid, ...] = attrs.field(repr=False)
    source_kinds: tuple[str, ...] = ()

    @property
    def span(self) -> str:
        """The bounds in words: ``~5,000,000``, ``at least 40,000,000``, ``1 to 2``."""
        if self.high == self.low:
            return f"{'~' if self.approximate else ''}{self.low:,}"
        if self.high is None:
            return f"at least {self.low:,}"
        return f"{self.low:,} to {self.high:,}"

    def __str__(self) -> str:
        rests = f"; resting on {', '.join(self.source_kinds)} sources" if self.source_kinds else ""
        return (f"{self.span} {self.currency} from {len(self.records)} record(s){rests}; "
                f"{len(self.skipped)} without an amount in {self.currency}")

    def __repr__(self) -> str:
        return (f"Total({self.currency}: {self.span} from {len(self.records)} records; "
                f"{len(self.skipped)} skipped)")


class AidCollection(Collection[Aid]):
    """Aid records, with ``total`` that never counts a part and its whole twice."""

    __slots__ = ()

    def currencies(self) -> tuple[str, ...]:
        """The currency codes the amounts of these records use, sorted."""
        return tuple(sorted({m.currency for a in self._items for m in a.amounts}))

    def total(self, currency: str) -> Total:
        """Bounds on the total in ``currency`` (an ISO 4217 code, any case). Parts whose whole is
        counted add nothing beyond the whole, except to raise its lower bound; running totals
        (status ``reported``) are never added to one another or to shipments; no currency
        conversion is made; anything skipped leaves the upper bound open."""
        currency = currency.upper()
        amounts = {a.id: [m for m in a.amounts if m.currency == currency] for a in self._items}
        counted = {aid_id for aid_id, found in amounts.items() if found}
        parent = {**self._context.part_of, **{a.id: a.part_of for a in self._items}}

        def counted_whole(aid_id: str) -> str | None:
            seen = {aid_id}
            node = parent.get(aid_id)
            while node is not None and node not in seen:
                if node in counted:
                    return node
                seen.add(node)
                node = parent.get(node)
            return None

        parts: dict[str | None, list[str]] = {}
        for aid_id in sorted(counted):
            parts.setdefault(counted_whole(aid_id), []).append(aid_id)

        folded: dict[str, tuple[Decimal, Decimal | None]] = {}

        def bounds(aid_id: str) -> tuple[Decimal, Decimal | None]:
            """The bounds of a counted record, its parts folded in: iterative (parts first), so a
            part_of chain of any length works; a recursive fold hit the recursion limit."""
            stack = [(aid_id, False)]
            while stack:
                node, ready = stack.pop()
                if node in folded:
                    continue
                if not ready:
                    stack.append((node, True))
                    stack.extend((p, False) for p in parts.get(node, []))
                    continue
                reported = [m.bounds() for m in amounts[node]]
                low = max(lo for lo, _ in reported)
                highs = [hi for _, hi in reported if hi is not None]
                high = min(highs) if highs else None
                inner = _sum([folded[p] for p in parts.get(node, [])])
                low = max(low, inner[0])
                folded[node] = (low, (None if high is None else max(high, low)))
            return folded[aid_id]

        # Running totals (status "reported") overlap one another and the shipments they include:
        # the lower bound takes the largest of them or the sum of the distinct shipments, never
        # their sum; the upper bound adds every upper bound, which overlap can only make too high.
        status = {a.id: a.status for a in self._items}
        roots = parts.get(None, [])
        shipments = _sum([bounds(i) for i in roots if status[i] != "reported"])
        claims = [bounds(i) for i in roots if status[i] == "reported"]
        low = max([shipments[0], *(lo for lo, _ in claims)])
        high = _sum([shipments, *claims])[1]
        records = tuple(a for a in self._items if a.id in counted)
        skipped = tuple(a for a in self._items if a.id not in counted)
        sources = self._context.sources
        kinds = {sources[c.source].kind for a in records for c in a.citations if c.source in sources}
        return Total(
            currency=currency,
            low=low,
            high=None if any(counted_whole(a.id) is None for a in skipped) else high,
            approximate=any(m.qualifier is Qualifier.APPROXIMATELY for i in counted for m in amounts[i]),
            records=records,
            skipped=skipped,
            source_kinds=tuple(k for k in SOURCE_KINDS if k in kinds),
        )


def _sum(bounds: Sequence[tuple[Decimal, Decimal | None]]) -> tuple[Decimal, Decimal | None]:
    low = sum((lo for lo, _ in bounds), Decimal(0))
    highs = [hi for _, hi in bounds if hi is not None]
    return low, (sum(highs, Decimal(0)) if len(highs) == len(bounds) else None)
