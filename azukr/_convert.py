"""The one cattrs converter azukr uses (plain dicts <-> records) and its error flattening."""

from __future__ import annotations

import datetime
import functools
import re
import reprlib
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_structure_fn
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from .amounts import Qualifier
from .dates import PartialDate


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxlevel = 3


def show(value: Any) -> str:
    """A short repr for messages: a huge or deeply nested value is cut, never crashes."""
    return _SHORT.repr(value)


#: invisible characters that reorder or hide text (bidi embeddings, overrides, isolates; BOM)
_HIDING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


@functools.cache
def _deleting(chars: str) -> dict[int, None]:
    return dict.fromkeys(map(ord, chars))


def bad_character(text: str, allowed: str = "\n\t") -> str | None:
    """The first character that has no place in data text, or None: control characters
    (C0, DEL, C1) other than ``allowed``, line and paragraph separators, surrogates, and the
    invisible characters that reorder or hide text (U+202A-U+202E, U+2066-U+2069, U+FEFF)."""
    # Every character of _HIDING is of category Cf, which ``isprintable`` already refuses: a
    # printable text (once the allowed characters are taken out) holds none of them.
    if text.isprintable():
        return None
    if allowed and text.translate(_deleting(allowed)).isprintable():
        return None
    for char in text:
        if char in allowed:
            continue
        if char in _HIDING or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            return char
    return None


def _string(value: Any, _: type) -> str:
    if type(value) is str and value.isprintable():  # the usual case, in one C call
        return _intern(value) if len(value) <= _INTERNED_LENGTH and " " not in value else value
    if not isinstance(value, str):
        raise ValueError(f"{show(value)} is not a string")
    char = bad_character(value)
    if char is not None:
        raise ValueError(f"{show(value)} holds the control or invisible character U+{ord(char):04X}")
    if type(value) is str and len(value) <= _INTERNED_LENGTH and " " not in value:
        return _intern(value)  # ids, references, kinds, languages: one copy of each in memory
    return value


_intern = sys.intern
#: strings up to this long without a space (ids, references, kinds) are interned; prose is not
_INTERNED_LENGTH = 100


#: a plain decimal: ASCII digits, at most 18 before and 9 after the point, no exponent, no sign
_PLAIN_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,9})?", re.ASCII)


def _decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -9 and not value.is_signed() and value.adjusted() < 18:
            return value
        raise ValueError(f"{show(value)} is not a non-negative decimal below 10**18 with at most 9 places")
    if not isinstance(value, str):
        raise ValueError(f"{show(value)} must be a decimal string like \"5600000\", not {type(value).__name__}")
    if not _PLAIN_DECIMAL.fullmatch(value):
        raise ValueError(f"{show(value)} is not a plain decimal number like \"5600000\" or \"2.5\""
                         " (ASCII digits, at most 18 before the point and 9 after, no exponent)")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError(f"{show(value)} is not a decimal number") from None


def _qualifier(value: Any, _: type) -> Qualifier:
    try:
        return Qualifier(value)
    except ValueError:
        raise ValueError(f"{show(value)} is not one of {', '.join(q.value for q in Qualifier)}") from None


def _partial_date(value: Any, _: type) -> PartialDate:
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if isinstance(value, str):
        char = bad_character(value, allowed="")
        if char is not None:
            raise ValueError(f"{show(value)} holds the control or invisible character U+{ord(char):04X}")
        if type(value) is str:
            return _shared_date(value)
    return PartialDate.parse(value)


@functools.lru_cache(maxsize=8192)
def _shared_date(text: str) -> PartialDate:
    """One (immutable) PartialDate per EDTF text: records of the same day share it."""
    return PartialDate.parse(text)


def _calendar_date(value: Any, _: type) -> datetime.date:
    if type(value) is not datetime.date:
        raise ValueError(f"{show(value)} is not a date (write it as a bare TOML date: 2026-11-23)")
    return value


def _table_factory(cls: type, converter: cattrs.Converter):
    """Records from tables (dicts) only, so a stray string reads "must be a table"."""
    fields: Callable[[Any, type], Any] = make_dict_structure_fn(cls, converter)

    def structure(value: Any, _: type) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"{show(value)} must be a table")
        return fields(value, cls)

    return structure


def _is_tuple(type_: Any) -> bool:
    return get_origin(type_) is tuple


def _tuple_factory(type_: Any, converter: cattrs.Converter):
    """Homogeneous tuples from lists only: a bare string is not split into characters. Short
    tuples of strings (``supports``, ``actors``: the same few lists again and again) are shared."""
    elements = homogenous_tuple_structure_factory(type_, converter)
    share = _shared if get_args(type_) == (str, ...) else None

    def structure(value: Any, _: type) -> tuple:
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{show(value)} must be a list")
        found = elements(value, type_)
        return share(found) if share is not None else found

    return structure


#: short tuples of strings already made, each kept once, like ``sys.intern`` for strings
_SHARED_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_SHARED_MAX_ENTRIES, _SHARED_MAX_LENGTH = 1 << 16, 8


def _shared(found: tuple[str, ...]) -> tuple[str, ...]:
    """The one kept copy of a short tuple of strings (tuples are immutable: sharing is safe)."""
    if len(found) > _SHARED_MAX_LENGTH:
        return found
    kept = _SHARED_TUPLES.get(found)
    if kept is not None:
        return kept
    if len(_SHARED_TUPLES) < _SHARED_MAX_ENTRIES:
        _SHARED_TUPLES[found] = found
    return found


@functools.cache
def converter(detailed: bool = True) -> cattrs.Converter:
    """The converter: strict about types, refuses unknown keys, never produces floats.

    ``detailed=False`` gives the same checks without cattrs' per-field error bookkeeping: the
    fast first pass of ``structure``, which asks the detailed converter only to explain a failure.
    """
    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    c.register_structure_hook(str, _string)
    c.register_structure_hook(Decimal, _decimal)
    c.register_unstructure_hook(Decimal, str)
    c.register_structure_hook(Qualifier, _qualifier)  # before str would catch it: a StrEnum is a str
    c.register_unstructure_hook(Qualifier, str)
    c.register_structure_hook(PartialDate, _partial_date)
    c.register_unstructure_hook(PartialDate, str)
    c.register_structure_hook(datetime.date, _calendar_date)
    c.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    c.register_structure_hook_factory(_is_tuple, _tuple_factory)
    c.register_structure_hook_factory(attrs.has, _table_factory)
    return c


def structure(data: Any, cls: type) -> Any:
    """``data`` as a ``cls`` record. Valid data takes the fast converter; invalid data is
    structured again by the detailed one, whose error tree names every bad field."""
    try:
        return converter(detailed=False).structure(data, cls)
    except Exception:  # noqa: BLE001 - the detailed pass raises the error worth reporting
        return converter().structure(data, cls)


def unstructure(record: Any) -> dict[str, Any]:
    """A record as a plain, JSON-ready dict (dates and amounts as strings)."""
    return converter().unstructure(record)


_VALIDATOR_MESSAGE = re.compile(r"(?P<field>[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*): (?P<message>.*)", re.S)


def flatten(exc: BaseException, path: str) -> Iterator[tuple[str, str]]:
    """(field path, message) for every leaf of a cattrs error tree.

    Errors raised by attrs validators surface at the record, not at an attribute; their
    messages start with the field path (see ``model``), which is moved into the path here.
    """
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        noted, plain = exc.group_exceptions()
        for sub, note in noted:
            step = f".{note.name}" if isinstance(note, AttributeValidationNote) else f"[{note.index}]"
            if isinstance(sub, KeyError) and isinstance(note, AttributeValidationNote):
                yield path + step, "missing required field"
            else:
                yield from flatten(sub, path + step)
        for sub in plain:
            match = _VALIDATOR_MESSAGE.fullmatch(str(sub))
            if isinstance(sub, ValueError) and match:
                yield f"{path}.{match['field']}", match["message"]
            else:
                yield from flatten(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield f"{path}.{key}", "unknown field"
    else:
        yield path, str(exc) or type(exc).__name__
