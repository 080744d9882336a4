"""Canonical form, fingerprint, diff and fmt: the canonical TOML text of a record (fmt, diff) and
the canonical plain form of the JSON export (the fingerprint)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from . import _convert, _gc, _toml
from .errors import DataError, Problem
from .loader import RETIRED_FILE, RawData, read, read_bytes
from .model import COLLECTIONS, Record, Tombstone, collection_of, label


def _fields(record: Record) -> dict[str, Any]:
    data = _convert.unstructure(record)
    del data["id"]
    return data


def record_text(record: Record) -> str:
    """The canonical TOML text of a record's file (the id is the file name, not a field)."""
    return _toml.dumps_record(_fields(record))


def retired_text(tombstones: Iterable[Tombstone]) -> str:
    """The canonical text of ``retired.toml``."""
    return _toml.dumps_tables(
        {stone.id: {k: v for k, v in attrs.asdict(stone).items() if k != "id"} for stone in tombstones}
    )


@_gc.paused()
def fingerprint(records: Mapping[str, Iterable[Record]], retired: Iterable[Tombstone]) -> str:
    """``sha256:<hex>`` of the canonical content: every record and tombstone as the plain dict
    the JSON export writes, in id order. Equal data, equal fingerprint, whatever the file order
    or formatting it was read from."""
    return fingerprint_rows(
        {collection: [_convert.unstructure(r) for r in records.get(collection, ())] for collection in COLLECTIONS},
        [_convert.unstructure(stone) for stone in retired],
    )


def fingerprint_rows(rows: Mapping[str, Iterable[Mapping[str, Any]]], retired: Iterable[Mapping[str, Any]],
                     *, keys_sorted: bool = False) -> str:
    """The fingerprint of records already in their plain form (the rows of a JSON export):
    equal to ``fingerprint`` of the records they structure to, when they are what the export
    wrote. Each collection, then the tombstones, as compact ASCII JSON with sorted keys, rows in
    id order; the C encoder does the work. ``keys_sorted``: the caller knows every row's keys
    are in order already (an export writes them so), which spares the encoder sorting them;
    where they are not, the text, and so the fingerprint, differs."""
    encode = (_IN_ORDER if keys_sorted else _CANONICAL).encode
    digest = hashlib.sha256()
    update = digest.update
    for name in (*COLLECTIONS, "retired"):
        found = retired if name == "retired" else rows.get(name, ())
        update(f"{name}\n[".encode())
        for index, row in enumerate(sorted(found, key=_row_id)):  # the JSON array, a row at a time
            if index:
                update(b",")
            update(encode(row).encode())
        update(b"]\0")
    return f"sha256:{digest.hexdigest()}"


def fingerprint_0_2(records: Mapping[str, Iterable[Record]], retired: Iterable[Tombstone]) -> str:
    """The fingerprint azukr 0.2 wrote into its JSON exports (a hash of the canonical TOML
    text), so that an export made by it is still recognised as unchanged."""
    digest = hashlib.sha256()
    for collection in COLLECTIONS:
        for record in sorted(records.get(collection, ()), key=lambda r: r.id):
            digest.update(f"{collection}/{record.id}\n{record_text(record)}\0".encode())
    digest.update(retired_text(sorted(retired, key=lambda s: s.id)).encode())
    return f"sha256:{digest.hexdigest()}"


def _row_id(row: Mapping[str, Any]) -> str:
    return row["id"]


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), allow_nan=False)
_IN_ORDER = json.JSONEncoder(sort_keys=False, separators=(",", ":"), allow_nan=False)


@attrs.frozen
class Change:
    """One field of one record that differs: ``old`` and ``new`` as plain values (None: absent)."""

    id: str
    field: str
    old: Any
    new: Any


@attrs.frozen(kw_only=True)
class Diff:
    """What changed from one dataset to another; falsy when the data is equal."""

    old_version: str
    new_version: str
    added: tuple[Record, ...] = ()
    removed: tuple[Record, ...] = ()
    changed: tuple[Change, ...] = ()
    retired: tuple[Tombstone, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.retired)

    def __str__(self) -> str:
        lines = [f"data {self.old_version} -> {self.new_version}"]
        if not self:
            return lines[0] + ": no changes"
        sections = [
            ("added", [f"  + {collection_of(r)}/{r.id}  {label(r)}" for r in self.added]),
            ("removed", [f"  - {collection_of(r)}/{r.id}  {label(r)}" for r in self.removed]),
            ("changed", [f"  ~ {c.id}.{c.field}: {c.old!r} -> {c.new!r}" for c in self.changed]),
            ("retired", [f"  x {s.id}: {s.reason}" for s in self.retired]),
        ]
        for title, rows in sections:
            if rows:
                lines += [f"{title} ({len(rows)}):", *rows]
        return "\n".join(lines)


def diff(old: RawData, new: RawData) -> Diff:
    """Records added, removed and changed (field by field) from ``old`` to ``new``."""
    before = {(c, r.id): r for c, rs in old.records.items() for r in rs}
    after = {(c, r.id): r for c, rs in new.records.items() for r in rs}
    changed = []
    for key in sorted(before.keys() & after.keys(), key=lambda k: k[1]):
        a, b = _fields(before[key]), _fields(after[key])
        for name in a.keys() | b.keys():
            if a.get(name) != b.get(name):
                changed.append(Change(key[1], name, a.get(name), b.get(name)))
    retired_before = {s.id for s in old.retired}
    return Diff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(after[k] for k in sorted(after.keys() - before.keys(), key=lambda k: k[1])),
        removed=tuple(before[k] for k in sorted(before.keys() - after.keys(), key=lambda k: k[1])),
        changed=tuple(sorted(changed, key=lambda c: (c.id, c.field))),
        retired=tuple(s for s in sorted(new.retired, key=lambda s: s.id) if s.id not in retired_before),
    )


def _expected_files(raw: RawData) -> dict[str, tuple[str, Any]]:
    """Canonical text of every file, with what it must read back as (a record, or the tombstones)."""
    texts: dict[str, tuple[str, Any]] = {
        f"{c}/{r.id}.toml": (record_text(r), r) for c, rs in raw.records.items() for r in rs}
    if raw.retired:
        texts[RETIRED_FILE] = (retired_text(raw.retired), sorted(raw.retired, key=lambda s: s.id))
    return texts


def _reads_back(name: str, text: str, meaning: Any) -> bool:
    """Whether canonical ``text`` reads back as ``meaning``: what fmt writes must mean what
    the file meant (an empty string dropped, a default filled in would not)."""
    try:
        data = tomllib.loads(text)
        if name == RETIRED_FILE:
            stones = [_convert.structure({**table, "id": key}, Tombstone) for key, table in data.items()]
            return sorted(stones, key=lambda s: s.id) == meaning
        collection, _, file = name.partition("/")
        return bool(_convert.structure({**data, "id": file.removesuffix(".toml")}, COLLECTIONS[collection]) == meaning)
    except Exception:  # noqa: BLE001 - anything that does not read back is a change of meaning
        return False


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, synced, then
    ``os.replace``d over it. An interrupted write or a full disk leaves the old file whole; a
    link at ``path`` is replaced, never followed."""
    mode = stat.S_IMODE(os.lstat(path).st_mode)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def fmt(root: str | Path, *, check: bool = False) -> list[str]:
    """Rewrite every data file under ``root`` in canonical form (``check``: only list them).

    Returns the files (relative to ``root``) that were, or would be, rewritten. Data that
    does not validate raises ``DataError``: it cannot be formatted without losing something;
    so does a file whose canonical form would read back differently. Each file is replaced
    atomically, never written through a link.
    """
    base = Path(root)
    if not base.is_dir():
        raise ValueError(f"{root}: fmt works on a data directory, not on a file or a missing path")
    raw, problems = read(base)
    if problems:
        raise DataError(problems)
    expected = _expected_files(raw)
    changed = []
    for name, (text, meaning) in sorted(expected.items()):
        if read_bytes(base / name) != text.encode("utf-8"):
            changed.append(name)
            if not _reads_back(name, text, meaning):
                problems.append(Problem(file=name, message=(
                    "its canonical form would not read back the same: fix the file by hand")))
    if problems:
        raise DataError(problems)
    if not check:
        for name in changed:
            _replace(base / name, expected[name][0].encode("utf-8"))
    return changed
