"""Canonical TOML text for records and tombstones: one writer, so every change is a clean diff.

The shapes azukr writes are few (strings, lists of strings, arrays of tables of those, and
the dates of ``retired.toml``), so this small writer keeps runtime dependencies to three.
Rules: fields in the record class's order; empty and unknown values left out; tables after
plain keys; a list inline when its line fits in 100 characters, else one item per line; UTF-8,
LF, one trailing newline.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

WIDTH = 100
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


#: every character a basic string escapes: the named escapes, then the other control characters as \uXXXX
_TRANSLATION = {ord(char): escape for char, escape in _ESCAPES.items()} | {
    code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F) if chr(code) not in _ESCAPES}


#: a string that holds none of these is written as it is, between quotes
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')


def _string(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + text.translate(_TRANSLATION) + '"'


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as canonical TOML")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple)) and not value)


def _assignment(key: str, value: Any) -> str:
    if not isinstance(value, (list, tuple)):
        return f"{key} = {_scalar(value)}"
    items = [_scalar(v) for v in value]
    inline = f"{key} = [{', '.join(items)}]"
    if len(inline) <= WIDTH:
        return inline
    return "\n".join([f"{key} = [", *(f"    {item}," for item in items), "]"])


def _is_table_array(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and _is_table(value[0])


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) or isinstance(value, Mapping)


def _body(data: Mapping[str, Any]) -> list[str]:
    return [_assignment(k, v) for k, v in data.items() if not _is_empty(v) and not _is_table_array(v)]


def _table_arrays(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Arrays of tables after the plain keys, nested ones (``[[positions.citations]]``)
    right after the table that holds them."""
    lines: list[str] = []
    _write_table_arrays(data, prefix, lines)
    return lines


def _write_table(data: Mapping[str, Any], prefix: str, lines: list[str]) -> None:
    """``_body(data)`` then ``_table_arrays(data, prefix)`` onto ``lines``, in one pass over the keys."""
    arrays = []
    for key, value in data.items():
        if value is None or value == "":
            continue
        if isinstance(value, (list, tuple)):
            if not value:
                continue
            if _is_table(value[0]):
                arrays.append((key, value))
                continue
        lines.append(_assignment(key, value))
    for key, rows in arrays:
        header = f"[[{prefix}{key}]]"
        for row in rows:
            lines += ("", header)
            _write_table(row, f"{prefix}{key}.", lines)


def _write_table_arrays(data: Mapping[str, Any], prefix: str, lines: list[str]) -> None:
    for key, rows in data.items():
        if _is_table_array(rows):
            header = f"[[{prefix}{key}]]"
            for row in rows:
                lines += ("", header)
                _write_table(row, f"{prefix}{key}.", lines)


def dumps_record(data: Mapping[str, Any]) -> str:
    """Canonical text of one record file (``data`` without its id)."""
    lines: list[str] = []
    _write_table(data, "", lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def dumps_tables(tables: Mapping[str, Mapping[str, Any]]) -> str:
    """Canonical text of a file of named tables (``retired.toml``), sorted by name."""
    blocks = ["\n".join([f"[{name}]", *_body(tables[name])]) for name in sorted(tables)]
    return "\n\n".join(blocks) + "\n" if blocks else ""
