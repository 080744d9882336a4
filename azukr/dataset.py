"""Dataset: the five collections, lookup by id, actor resolution, timeline, sources, diff."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn, cast

from .errors import RetiredError
from .loader import RawData
from .model import Actor, Agreement, Aid, Dispute, Event, Record, Source, Tombstone
from .queries import ActorCollection, ActorIndex, AidCollection, Collection, Context
from .voices import Corroboration, Voice, backing, voices_of

if TYPE_CHECKING:
    from .versioning import Diff

_MISSING: Any = object()


def _id_of(record: Record | str) -> str:
    return record if isinstance(record, str) else record.id


class Dataset:
    """A loaded, checked dataset. Immutable: its attributes cannot be set or deleted and every
    mapping it gives out is read-only, so the cached ``azukr.load()`` cannot be changed by one
    user under another. Indexes are built once, when it is made."""

    __slots__ = ("_raw", "version", "actors", "sources", "events", "agreements", "aid", "disputes",
                 "_context", "_by_id", "retired", "_fingerprint", "_fingerprint_lock")

    version: str
    actors: ActorCollection
    sources: Collection[Source]
    events: Collection[Event]
    agreements: Collection[Agreement]
    aid: AidCollection
    disputes: Collection[Dispute]
    retired: Mapping[str, Tombstone]
    _raw: RawData
    _context: Context
    _by_id: Mapping[str, Record]
    _fingerprint: str | None
    _fingerprint_lock: threading.Lock

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"a Dataset is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a Dataset is immutable: cannot delete {name!r}")

    def __init__(self, raw: RawData, *, _presorted: bool = False) -> None:
        """``_presorted`` (the loader's, for a cache entry): each of ``raw``'s collections is
        already in date order, so no collection sorts it again."""
        init = functools.partial(object.__setattr__, self)
        init("_raw", raw)
        init("_fingerprint", None)
        init("_fingerprint_lock", threading.Lock())
        init("version", raw.version)
        records = raw.records
        actors = cast("tuple[Actor, ...]", records["actors"])
        aid = cast("tuple[Aid, ...]", records["aid"])
        sources = cast("tuple[Source, ...]", records["sources"])
        disputes = cast("tuple[Dispute, ...]", records.get("disputes", ()))
        about: dict[str, list[str]] = {}
        for dispute in disputes:
            for record_id in dispute.about:
                about.setdefault(record_id, []).append(dispute.id)
        context = Context(actors=ActorIndex(actors), part_of=MappingProxyType({a.id: a.part_of for a in aid}),
                          sources=MappingProxyType({s.id: s for s in sources}),
                          disputed=MappingProxyType({k: tuple(v) for k, v in about.items()}))
        made: dict[str, Any] = {"context": context, "presorted": _presorted}
        init("actors", ActorCollection(actors, **made))
        init("sources", Collection(sources, **made))
        init("events", Collection(cast("tuple[Event, ...]", records["events"]), **made))
        init("agreements", Collection(cast("tuple[Agreement, ...]", records["agreements"]), **made))
        init("aid", AidCollection(aid, **made))
        init("disputes", Collection(disputes, **made))
        init("_context", context)
        init("_by_id", MappingProxyType({r.id: r for records in raw.records.values() for r in records}))
        init("retired", MappingProxyType({stone.id: stone for stone in raw.retired}))

    @property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of the canonical content: equal data, equal fingerprint."""
        if self._fingerprint is None:
            with self._fingerprint_lock:
                if self._fingerprint is None:
                    from .versioning import fingerprint

                    object.__setattr__(self, "_fingerprint", fingerprint(self._raw.records, self._raw.retired))
        return cast(str, self._fingerprint)

    def __getitem__(self, record_id: str) -> Record:
        """Any record by id; a retired id raises ``RetiredError``, an unknown one ``KeyError``."""
        found = self.get(record_id, _MISSING)
        if found is _MISSING:
            raise KeyError(f"no record with id {record_id!r}")
        return found

    def get(self, record_id: str, default: Any = None) -> Any:
        """The record with this id, or ``default``; a retired id still raises ``RetiredError``."""
        if record_id in self.retired:
            stone = self.retired[record_id]
            raise RetiredError(stone.id, stone.reason, stone.replaced_by)
        return self._by_id.get(record_id, default)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def __iter__(self) -> Iterator[Record]:
        """Every record: actors, sources, events, agreements, aid, disputes."""
        for collection in (self.actors, self.sources, self.events, self.agreements, self.aid, self.disputes):
            yield from collection

    def __len__(self) -> int:
        return len(self._by_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self.version == other.version and self.fingerprint == other.fingerprint

    def __hash__(self) -> int:
        return hash((self.version, self.fingerprint))

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(getattr(self, c))} {c}"
                           for c in ("events", "agreements", "aid", "disputes", "actors", "sources"))
        return f"<azukr.Dataset {self.version}: {counts}>"

    def _record(self, record: Record | str) -> Record:
        """A record given as itself or by id (an unknown id: ``KeyError``)."""
        return self[record] if isinstance(record, str) else record

    def timeline(self) -> Collection[Event | Agreement | Aid]:
        """Events, agreements and aid merged in date order."""
        return Collection([*self.events, *self.agreements, *self.aid], context=self._context)

    def sources_for(self, record: Record | str) -> tuple[Source, ...]:
        """The sources a record cites, in citation order, each once."""
        ids = dict.fromkeys(c.source for c in getattr(self._record(record), "citations", ()))
        return tuple(self._by_id[i] for i in ids)  # type: ignore[misc]

    def voices(self, record: Record | str) -> tuple[Voice, ...]:
        """The independent voices backing a record (see ``azukr.voices``), in label order."""
        return tuple(sorted(voices_of(self._record(record), self._context.voices), key=lambda v: v.label.casefold()))

    def voice(self, source: Source | str) -> Voice:
        """The voice a source speaks in (see ``azukr.voices``)."""
        return self._context.voices[_id_of(source)]

    def parties_of(self, source: Source | str) -> frozenset[str]:
        """The states whose voice a source carries: its affiliation and the states of the actors
        it relays (see ``voices.parties_of``)."""
        return self._context.parties[_id_of(source)]

    def disputes_about(self, record: Record | str) -> tuple[Dispute, ...]:
        """The disputes about a record (given as a record or an id), in id order."""
        record_id = _id_of(record)
        self[record_id]  # an unknown id is a KeyError, a retired one a RetiredError
        return tuple(self._by_id[i] for i in self._context.disputed.get(record_id, ()))  # type: ignore[misc]

    def corroboration(self, source_id: str) -> tuple[Corroboration, ...]:
        """For each record citing ``source_id``: the other voices that back it (independent
        ones first) and the disputes about it. Answers "which claims of this lobbying email
        does anyone independent confirm?"."""
        source = self[source_id]
        if not isinstance(source, Source):
            raise KeyError(f"{source_id!r} is not a source id")
        sources, voices = self._context.sources, self._context.voices
        return tuple(
            Corroboration(record=record, source=source,
                          backing=backing(record, source, sources, voices, self._context.parties),
                          disputes=self.disputes_about(record))
            for record in self.timeline().citing(source_id)
        )

    def diff(self, other: Dataset) -> Diff:
        """What changed from this dataset to ``other``."""
        from .versioning import diff

        return diff(self._raw, other._raw)

    @property
    def raw(self) -> RawData:
        """The records by collection and the tombstones, as loaded (for exporters)."""
        return self._raw

