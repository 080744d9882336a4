"""The records: frozen, slotted attrs classes that know nothing about files.

Fields that hold ids of other records carry ``metadata={"ref": <collection>}``; the loader
checks every such reference in one pass, so the rule is stated here once.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any, Union

import attrs

from .amounts import Money, Quantity
from .dates import PartialDate

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_KINDS = ("news", "government", "opinion", "lobbying", "press-release", "encyclopedia", "other")
ACTOR_KINDS = ("state", "person", "organization", "company", "group", "place")
AID_STATUSES = ("committed", "dispatched", "delivered", "reported")


def _slug(_: object, attribute: attrs.Attribute, value: str) -> None:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise ValueError(f"{attribute.name}: {value!r} is not a lowercase slug like 'baku-rally-2022'")


def _one_of(choices: tuple[str, ...]):
    def check(_: object, attribute: attrs.Attribute, value: str) -> None:
        if value not in choices:
            raise ValueError(f"{attribute.name}: {value!r} is not one of {', '.join(choices)}")

    return check


def _not_blank(_: object, attribute: attrs.Attribute, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name}: must not be empty")


def _one_line(_: object, attribute: attrs.Attribute, value: str | None) -> None:
    if value is not None and ("\n" in value or "\t" in value):
        raise ValueError(f"{attribute.name}: must be one line (no line breaks or tabs)")


def _text(_: object, attribute: attrs.Attribute, value: str) -> None:
    """A required one-line text: a title, a name."""
    _not_blank(_, attribute, value)
    _one_line(_, attribute, value)


def _optional_text(_: object, attribute: attrs.Attribute, value: str | None) -> None:
    """Absent (None) or a one-line text: an empty string is neither, so it is refused
    rather than read as absent."""
    if value is not None:
        _text(_, attribute, value)


def _texts(_: object, attribute: attrs.Attribute, values: tuple[str, ...]) -> None:
    """Each item a one-line text (aliases)."""
    for index, value in enumerate(values):
        if not value.strip():
            raise ValueError(f"{attribute.name}[{index}]: must not be empty")
        if "\n" in value or "\t" in value:
            raise ValueError(f"{attribute.name}[{index}]: must be one line (no line breaks or tabs)")


def _non_empty_items(_: object, attribute: attrs.Attribute, values: tuple[str, ...]) -> None:
    """Each item holds text (provisions may run over lines)."""
    for index, value in enumerate(values):
        if not value.strip():
            raise ValueError(f"{attribute.name}[{index}]: must not be empty")


#: a BCP 47 language tag, simplified: language, extlang, script, region, variants, extensions,
#: private use ("en", "az-Latn", "zh-Hant-TW", "de-CH-1996", "x-private")
LANGUAGE_TAG = re.compile(
    r"[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+",
    re.ASCII | re.IGNORECASE,
)


def _language(_: object, attribute: attrs.Attribute, value: str) -> None:
    if not isinstance(value, str) or not LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"{attribute.name}: {value!r} is not a BCP 47 language tag like 'en' or 'az-Latn'")


#: the name of a file in the seeds folder: no folder, no hidden file, no "..", ASCII
ARCHIVE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,200}", re.ASCII)


def _archive(_: object, attribute: attrs.Attribute, value: str | None) -> None:
    if value is not None and (not ARCHIVE_NAME.fullmatch(value) or ".." in value):
        raise ValueError(f"{attribute.name}: {value!r} is not a plain file name of the seeds folder"
                         " (letters, digits, '_', '-', '.'; no folders)")


def _optional_slug(_: object, attribute: attrs.Attribute, value: str | None) -> None:
    if value is not None:
        _slug(_, attribute, value)


def _country(_: object, attribute: attrs.Attribute, value: str | None) -> None:
    if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(f"{attribute.name}: {value!r} is not an ISO 3166-1 alpha-2 code")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


@functools.cache
def _supportable(cls: type) -> frozenset[str]:
    """The fields of ``cls`` a citation can support (all but the id and the citations)."""
    return frozenset(f.name for f in attrs.fields(cls)) - {"id", "citations"}


def _supports_known_fields(record: Any, attribute: attrs.Attribute, citations: tuple[Citation, ...]) -> None:
    """``supports`` names fields of the record that hold a value: a citation cannot back a
    place the record leaves empty."""
    names = _supportable(record.__class__)
    for index, citation in enumerate(citations):
        for name in citation.supports:
            if name not in names:
                raise ValueError(
                    f"{attribute.name}[{index}].supports: {name!r} is not a field of "
                    f"{type(record).__name__} ({', '.join(sorted(names))})"
                )
            if _is_empty(getattr(record, name)):
                raise ValueError(f"{attribute.name}[{index}].supports: {name!r} holds no value in this record")


def _units(_: object, attribute: attrs.Attribute, items: tuple[Quantity, ...]) -> None:
    """A quantity counts something: its unit is one line of text (an empty unit would be
    dropped by ``fmt`` and the record would no longer load)."""
    for index, item in enumerate(items):
        if not item.unit.strip():
            raise ValueError(f"{attribute.name}[{index}].unit: must not be empty")
        if "\n" in item.unit or "\t" in item.unit:
            raise ValueError(f"{attribute.name}[{index}].unit: must be one line (no line breaks or tabs)")


def ref(collection: str, **kwargs: Any) -> Any:
    """A field holding the id (or ids) of records in ``collection``."""
    return attrs.field(metadata={"ref": collection}, **kwargs)


def _at_least_one(_: object, attribute: attrs.Attribute, citations: tuple) -> None:
    if not citations:
        raise ValueError(f"{attribute.name}: at least one citation is required")


def _at_least_one_about(_: object, attribute: attrs.Attribute, about: tuple) -> None:
    if not about:
        raise ValueError(f"{attribute.name}: name at least one record the dispute is about")


def _citations() -> Any:
    return attrs.field(default=(), validator=[_at_least_one, _supports_known_fields])


def _quote_or_claim(citation: Citation, _: attrs.Attribute, __: str) -> None:
    if not citation.quote.strip() and not citation.claim.strip():
        raise ValueError("claim: a citation needs a quote (archived sources only) or a claim in our own words")


@attrs.frozen(kw_only=True)
class Citation:
    """Where a statement comes from: a source id and what that source says.

    ``quote`` is a verbatim excerpt, allowed only where the source keeps an archived text that
    the tests check it against; ``claim`` is what the source states in our own words (names,
    figures and dates as printed), the only form for a source without an archive. A citation
    has a quote, a claim or both. ``locator`` says where in the source; ``supports`` names the
    fields of the record it backs (empty: the whole record); ``note`` says how a value was read,
    e.g. a weekday resolved to a date.
    """

    source: str = ref("sources")
    quote: str = ""
    claim: str = attrs.field(default="", validator=_quote_or_claim)
    locator: str = attrs.field(default="", validator=_one_line)
    supports: tuple[str, ...] = ()
    note: str = ""

    @property
    def text(self) -> str:
        """The quote where there is one, else the claim."""
        return self.quote or self.claim


@attrs.frozen(kw_only=True)
class Source:
    """A document facts are drawn from, and in whose voice it speaks (``kind``, ``note``).

    ``archive`` names the archived plain-text copy of the document that quotes are checked
    against (a file in the project's seeds directory), where one is kept; a source without one
    needs a ``url``. ``affiliation`` names the actors whose own voice the source is (a state's
    presidential site, ministry or news agency; a paid agent's client), empty for an
    independent outlet; ``relays`` names the actors whose statement it passes on.
    """

    id: str = attrs.field(validator=_slug)
    title: str = attrs.field(validator=_text)
    kind: str = attrs.field(validator=_one_of(SOURCE_KINDS))
    publisher: str | None = attrs.field(default=None, validator=_optional_text)
    author: str | None = attrs.field(default=None, validator=_optional_text)
    published: PartialDate | None = None
    url: str | None = attrs.field(default=None, validator=_optional_text)
    language: str = attrs.field(default="en", validator=_language)
    note: str = ""
    archive: str | None = attrs.field(default=None, validator=_archive)
    affiliation: tuple[str, ...] = ref("actors", default=())
    relays: tuple[str, ...] = ref("actors", default=())

    def __attrs_post_init__(self) -> None:
        if not self.archive and not self.url:
            raise ValueError("url: required where the source keeps no archived text")

    @property
    def date(self) -> PartialDate | None:
        return self.published


@attrs.frozen(kw_only=True)
class Actor:
    """A state, person, organization, company or place, with every spelling the sources use."""

    id: str = attrs.field(validator=_slug)
    name: str = attrs.field(validator=_text)
    kind: str = attrs.field(validator=_one_of(ACTOR_KINDS))
    aliases: tuple[str, ...] = attrs.field(default=(), validator=_texts)
    country: str | None = attrs.field(default=None, validator=_country)
    description: str = ""

    @property
    def date(self) -> None:
        return None


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened, at the precision its sources give."""

    id: str = attrs.field(validator=_slug)
    date: PartialDate
    title: str = attrs.field(validator=_text)
    kind: str = attrs.field(validator=_slug)
    actors: tuple[str, ...] = ref("actors", default=())
    place: str | None = ref("actors", default=None)
    summary: str = ""
    citations: tuple[Citation, ...] = _citations()


@attrs.frozen(kw_only=True)
class Agreement:
    """A signed document: a declaration, a memorandum; who signed it, where, at which event."""

    id: str = attrs.field(validator=_slug)
    title: str = attrs.field(validator=_text)
    kind: str = attrs.field(validator=_slug)
    signed: PartialDate
    place: str | None = ref("actors", default=None)
    parties: tuple[str, ...] = ref("actors", default=())
    signatories: tuple[str, ...] = ref("actors", default=())
    event: str | None = ref("events", default=None)
    provisions: tuple[str, ...] = attrs.field(default=(), validator=_non_empty_items)
    summary: str = ""
    citations: tuple[Citation, ...] = _citations()

    @property
    def date(self) -> PartialDate:
        return self.signed


@attrs.frozen(kw_only=True)
class Aid:
    """Aid from a donor to a recipient: amounts and goods as reported, and its status.

    ``part_of`` names an aggregate aid record that already includes this one, so that a
    total never counts a part and its whole twice.
    """

    id: str = attrs.field(validator=_slug)
    title: str = attrs.field(validator=_text)
    donor: str = ref("actors")
    recipient: str = ref("actors")
    date: PartialDate
    kind: str = attrs.field(validator=_slug)
    status: str = attrs.field(validator=_one_of(AID_STATUSES))
    amounts: tuple[Money, ...] = ()
    items: tuple[Quantity, ...] = attrs.field(default=(), validator=_units)
    channel: tuple[str, ...] = ref("actors", default=())
    part_of: str | None = ref("aid", default=None)
    summary: str = ""
    citations: tuple[Citation, ...] = _citations()


def _at_least_two(_: object, attribute: attrs.Attribute, positions: tuple) -> None:
    if len(positions) < 2:
        raise ValueError(f"{attribute.name}: a dispute needs at least two positions")


@attrs.frozen(kw_only=True)
class Position:
    """One answer to a disputed question, as its sources state it (an EDTF date, a decimal
    number or short text), with the citations that give it."""

    value: str = attrs.field(validator=_text)
    citations: tuple[Citation, ...] = attrs.field(default=(), validator=_at_least_one)


#: the collections a dispute may be about: the cited records
DISPUTABLE = ("events", "agreements", "aid")


@attrs.frozen(kw_only=True)
class Dispute:
    """Where sources disagree (a date, an amount, the kind of a visit, a count): each position
    with its own citations. The records it is ``about`` keep the best-supported value, or one
    covering every position, and say so in their summaries."""

    id: str = attrs.field(validator=_slug)
    title: str = attrs.field(validator=_text)
    about: tuple[str, ...] = attrs.field(
        default=(), validator=_at_least_one_about, metadata={"ref": DISPUTABLE})
    field: str | None = attrs.field(default=None, validator=_optional_text)
    summary: str = ""
    positions: tuple[Position, ...] = attrs.field(default=(), validator=_at_least_two)

    @property
    def date(self) -> None:
        return None

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation of every position, in order."""
        return tuple(c for p in self.positions for c in p.citations)


Record = Union[Actor, Source, Event, Agreement, Aid, Dispute]
CITED = (Event, Agreement, Aid)

#: collection name -> record class, in the order collections are loaded and listed
COLLECTIONS: dict[str, type] = {
    "actors": Actor,
    "sources": Source,
    "events": Event,
    "agreements": Agreement,
    "aid": Aid,
    "disputes": Dispute,
}


def collection_of(record: Record) -> str:
    """The name of the collection a record belongs to."""
    return next(name for name, cls in COLLECTIONS.items() if isinstance(record, cls))


def label(record: Record) -> str:
    """A one-line human name: a title, or an actor's name."""
    return record.name if isinstance(record, Actor) else record.title


def actor_names(actor: Actor) -> tuple[str, ...]:
    """Every string that names an actor: its id, its name and its aliases (deduplicated)."""
    return tuple(dict.fromkeys((actor.id, actor.name, *actor.aliases)))


Target = Union[str, tuple[str, ...]]


def references(record: Any) -> list[tuple[str, Target, str]]:
    """Every (field path, target collection(s), id) that ``record`` refers to, nested records
    (citations, positions) included."""
    found: list[tuple[str, Target, str]] = []
    for name, target in _reference_plan(record.__class__):
        value = getattr(record, name)
        if target and isinstance(value, str):
            found.append((name, target, value))
        elif target and isinstance(value, tuple):
            found.extend((f"{name}[{i}]", target, v) for i, v in enumerate(value))
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            for i, nested in enumerate(value):
                found.extend((f"{name}[{i}].{p}", t, v) for p, t, v in references(nested))
    return found


def referenced_ids(record: Any, found: list[tuple[Target, str]] | None = None) -> list[tuple[Target, str]]:
    """Every (target collection(s), id) that ``record`` refers to, as ``references`` without
    the field paths: the quick pass of the reference check, which asks ``references`` for the
    paths only of a record with a broken reference."""
    if found is None:
        found = []
    for name, target in _reference_plan(record.__class__):
        value = getattr(record, name)
        if target and isinstance(value, str):
            found.append((target, value))
        elif target and isinstance(value, tuple):
            found.extend((target, v) for v in value)
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            for nested in value:
                referenced_ids(nested, found)
    return found


@functools.cache
def _reference_plan(cls: type) -> tuple[tuple[str, Any], ...]:
    """(field name, ``ref`` target or None) of every field of ``cls``, in order, looked up once
    per class; fields that can hold neither an id nor nested records are left out."""
    plan = []
    for field in attrs.fields(cls):
        target = field.metadata.get("ref")
        if target or not _plain(field.type):
            plan.append((field.name, target))
    return tuple(plan)


#: field types that hold neither an id (ids are marked ``ref``) nor nested records
_PLAIN_TYPES = frozenset({"str", "str | None", "tuple[str, ...]", "PartialDate", "PartialDate | None",
                          "datetime.date", "int", "bool"})


def _plain(annotation: Any) -> bool:
    return isinstance(annotation, str) and annotation in _PLAIN_TYPES


def all_citations(record: Any) -> tuple[Citation, ...]:
    """Every citation a record holds (a dispute's: those of its positions)."""
    return tuple(getattr(record, "citations", ()))


@attrs.frozen(kw_only=True)
class Tombstone:
    """A retired id: when, why, and what replaced it. A retired id is never reused."""

    id: str = attrs.field(validator=_slug)
    retired: datetime.date
    reason: str = attrs.field(validator=_not_blank)
    replaced_by: str | None = attrs.field(default=None, validator=_optional_slug)
