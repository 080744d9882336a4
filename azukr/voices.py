"""Whose voice a source is, and which records other voices back.

A *voice* is who is really speaking: the first actor a source relays ("Trend, citing the
foreign ministry" is the ministry's voice), else its publisher, else the source itself. Two
outlets reprinting one ministry release are one voice, not two. A publisher that is also an
actor of the dataset (AZERTAC) is that actor's voice, so an outlet relaying AZERTAC and
AZERTAC itself count once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import attrs

from .model import Actor, Dispute, Record, Source, all_citations, label

#: finds an actor by id, name or alias (case-insensitive), or None
Finder = Callable[[str], "Actor | None"]


def _no_actors(_: str) -> Actor | None:
    return None


@attrs.frozen(order=True)
class Voice:
    """One independent speaker: ``key`` identifies it (``actor:<id>``, ``publisher:<name>`` or
    ``source:<id>``), ``label`` names it for people."""

    key: str
    label: str = attrs.field(eq=False, order=False)

    def __str__(self) -> str:
        return self.label


def voice_of(source: Source, find: Finder = _no_actors) -> Voice:
    """The voice of ``source``: the first actor it relays, else its publisher (the actor of
    that name where there is one), else the source itself."""
    if source.relays:
        actor = find(source.relays[0])
        return Voice(f"actor:{source.relays[0]}", actor.name if actor else source.relays[0])
    if source.publisher:
        actor = find(source.publisher)
        if actor:
            return Voice(f"actor:{actor.id}", actor.name)
        return Voice(f"publisher:{source.publisher.casefold()}", source.publisher)
    return Voice(f"source:{source.id}", source.title)


class _Actors(Protocol):
    def find(self, name: str) -> Actor | None: ...
    def state(self, country: str) -> Actor | None: ...


def parties_of(source: Source, actors: _Actors) -> frozenset[str]:
    """The states whose own voice a source carries: its ``affiliation``, and the state of each
    actor it relays (a ministry, an agency, an official of that country). Conservative by
    design: relaying any Azerbaijani actor makes a page Azerbaijan's voice, so a claim is never
    called independently confirmed by the party's own statement passed on by another outlet."""
    found = set(source.affiliation)
    for actor_id in source.relays:
        actor = actors.find(actor_id)
        if actor is None:
            continue
        state = actor if actor.kind == "state" else actors.state(actor.country) if actor.country else None
        if state is not None:
            found.add(state.id)
    return frozenset(found)


def voices_of(record: Record, voice_by_source: Mapping[str, Voice]) -> dict[Voice, tuple[str, ...]]:
    """The voices backing a record, each with the ids of its sources that the record cites."""
    found: dict[Voice, dict[str, None]] = {}
    for citation in all_citations(record):
        voice = voice_by_source.get(citation.source) or Voice(f"source:{citation.source}", citation.source)
        found.setdefault(voice, {})[citation.source] = None
    return {voice: tuple(ids) for voice, ids in found.items()}


@attrs.frozen(kw_only=True)
class Backing:
    """Another voice backing a record: its sources, and whether it is independent of the
    source asked about (it carries none of that source's parties: see ``parties_of``)."""

    voice: Voice
    sources: tuple[Source, ...]
    independent: bool

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.kind for s in self.sources))


@attrs.frozen(kw_only=True)
class Corroboration:
    """For one record citing a source: the other voices that back it and the disputes about it.

    ``verdict`` reads: ``disputed`` (a dispute is about the record), ``corroborated`` (an
    independent voice backs it), ``same party only`` (only voices sharing the source's
    affiliation back it), or ``alone`` (no other voice)."""

    record: Record
    source: Source
    backing: tuple[Backing, ...]
    disputes: tuple[Dispute, ...]

    @property
    def independent(self) -> tuple[Backing, ...]:
        return tuple(b for b in self.backing if b.independent)

    @property
    def verdict(self) -> str:
        if self.disputes:
            return "disputed"
        if self.independent:
            return "corroborated"
        return "same party only" if self.backing else "alone"

    def __str__(self) -> str:
        return f"{self.verdict}: {label(self.record)} [{self.record.id}]"


def backing(record: Record, source: Source, sources: Mapping[str, Source],
            voice_by_source: Mapping[str, Voice], parties: Mapping[str, frozenset[str]]) -> tuple[Backing, ...]:
    """The voices other than ``source``'s own that back ``record``, independent ones first: a
    voice is independent when one of its sources carries none of the parties ``source`` does."""
    own = voice_by_source.get(source.id)
    party = parties.get(source.id, frozenset(source.affiliation))
    found = []
    for voice, ids in voices_of(record, voice_by_source).items():
        if voice == own:
            continue
        cited = tuple(sources[i] for i in ids if i in sources)
        independent = any(not (party & parties.get(s.id, frozenset(s.affiliation))) for s in cited)
        found.append(Backing(voice=voice, sources=cited, independent=independent))
    return tuple(sorted(found, key=lambda b: (not b.independent, b.voice.label.casefold())))
