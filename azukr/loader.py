"""Files -> records. Reads a data directory (or a JSON export), collects every Problem,
then checks what no single record can know: unique ids, retired ids, references, cycles."""

from __future__ import annotations

import datetime
import importlib.resources
import json
import re
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, cast

import attrs

from . import _convert
from .errors import DataError, Problem
from .model import COLLECTIONS, ID_PATTERN, Actor, Aid, Record, Source, Tombstone, actor_names, references

RETIRED_FILE = "retired.toml"
UNVERSIONED = "unversioned"
_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.M)


@attrs.frozen
class RawData:
    """What a data directory or export holds: records by collection, tombstones, version."""

    version: str
    records: dict[str, tuple[Record, ...]]
    retired: tuple[Tombstone, ...] = ()


def shipped_root() -> Traversable:
    """The data directory of the installed ``azukr_data`` package (wheel, zip or checkout)."""
    return importlib.resources.files("azukr_data")


def _structure(data: Any, cls: type, file: str, path: str, record_id: str | None) -> tuple[Any, list[Problem]]:
    try:
        return _convert.structure(data, cls), []
    except Exception as exc:  # cattrs raises groups of anything a hook or validator raised
        return None, [Problem(file=file, record=record_id, field=f, message=m) for f, m in _convert.flatten(exc, path)]


def _read_toml(entry: Traversable, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return tomllib.loads(entry.read_bytes().decode("utf-8")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return None, [Problem(file=file, message=f"cannot be read as UTF-8 TOML: {exc}")]


def _toml_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name)


def _read_record(entry: Traversable, collection: str) -> tuple[Record | None, list[Problem]]:
    file = f"{collection}/{entry.name}"
    record_id = entry.name.removesuffix(".toml")
    data, problems = _read_toml(entry, file)
    if data is None:
        return None, problems
    if not ID_PATTERN.fullmatch(record_id):
        return None, [Problem(file=file, record=record_id, message="file name is not a valid id (lowercase slug)")]
    if "id" in data:
        return None, [Problem(file=file, record=record_id, field=f"{collection}[{record_id}].id",
                              message="the file name is the id; remove the id field")]
    return _structure({**data, "id": record_id}, COLLECTIONS[collection], file, f"{collection}[{record_id}]", record_id)


def _read_retired(root: Traversable) -> tuple[list[Tombstone], list[Problem]]:
    entry = root / RETIRED_FILE
    if not entry.is_file():
        return [], []
    data, problems = _read_toml(entry, RETIRED_FILE)
    tombstones = []
    for record_id, table in (data or {}).items():
        if not isinstance(table, dict):
            problems.append(Problem(file=RETIRED_FILE, record=record_id, message="must be a table"))
            continue
        stone, found = _structure({**table, "id": record_id}, Tombstone, RETIRED_FILE, f"retired[{record_id}]", record_id)
        problems += found
        if stone:
            tombstones.append(stone)
    return tombstones, problems


def _read_version(root: Traversable) -> str:
    entry = root / "__init__.py"
    match = _VERSION.search(entry.read_text("utf-8")) if entry.is_file() else None
    return match[1] if match else UNVERSIONED


def read_directory(root: Traversable) -> tuple[RawData, list[Problem]]:
    """Every record file under ``root`` and its problems; files are read in name order."""
    problems: list[Problem] = []
    records: dict[str, tuple[Record, ...]] = {}
    for collection in COLLECTIONS:
        found = []
        for entry in _toml_files(root / collection):
            record, issues = _read_record(entry, collection)
            problems += issues
            if record is not None:
                found.append(record)
        records[collection] = tuple(found)
    retired, issues = _read_retired(root)
    return RawData(_read_version(root), records, tuple(retired)), problems + issues


def _empty() -> RawData:
    return RawData(UNVERSIONED, {c: () for c in COLLECTIONS})


def _structure_rows(
    document: dict[str, Any], name: str, cls: type, file: str, prepare: Callable[[Any], Any] = lambda row: row
) -> tuple[list[Any], list[Problem]]:
    """Structure the list ``document[name]`` of a JSON export into ``cls`` records, each row
    passed through ``prepare`` first."""
    rows = document.get(name, [])
    if not isinstance(rows, list):
        return [], [Problem(file=file, field=name, message="must be a list of records")]
    found, problems = [], []
    for index, data in enumerate(rows):
        row_id = data.get("id") if isinstance(data, dict) else None
        row_id = row_id if isinstance(row_id, str) else None
        item, issues = _structure(prepare(data), cls, file, f"{name}[{row_id or index}]", row_id)
        problems += issues
        if item is not None:
            found.append(item)
    return found, problems


def read_json(path: Path) -> tuple[RawData, list[Problem]]:
    """A file written by ``azukr export --format json``."""
    file = path.name
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _empty(), [Problem(file=file, message=f"cannot be read as JSON: {exc}")]
    if not isinstance(document, dict):
        return _empty(), [Problem(file=file, message="must be a JSON object")]
    problems: list[Problem] = []
    records: dict[str, tuple[Record, ...]] = {}
    for collection, cls in COLLECTIONS.items():
        found, issues = _structure_rows(document, collection, cls, file)
        records[collection] = tuple(found)
        problems += issues
    retired, issues = _structure_rows(document, "retired", Tombstone, file, prepare=_with_date)
    return RawData(str(document.get("version", UNVERSIONED)), records, tuple(retired)), problems + issues


def _with_date(data: Any) -> Any:
    """JSON has no date type: a tombstone's ISO date string becomes a date before structuring."""
    try:
        return {**data, "retired": datetime.date.fromisoformat(data["retired"])}
    except (KeyError, TypeError, ValueError):
        return data


def _file_of(collection: str, record_id: str) -> str:
    return f"{collection}/{record_id}.toml"


def check(raw: RawData) -> Iterator[Problem]:
    """What no single record can know: unique ids, no live retired id, references, part_of cycles."""
    owner: dict[str, str] = {}
    for collection, records in raw.records.items():
        for record in records:
            if record.id in owner:
                yield Problem(file=_file_of(collection, record.id), record=record.id,
                              message=f"id is already used in {owner[record.id]}")
            owner.setdefault(record.id, collection)
    retired = {stone.id: stone for stone in raw.retired}
    for stone in raw.retired:
        if stone.id in owner:
            yield Problem(file=_file_of(owner[stone.id], stone.id), record=stone.id,
                          message=f"id was retired ({stone.reason}) and may not be reused")
        if stone.replaced_by and owner.get(stone.replaced_by) is None:
            yield Problem(file=RETIRED_FILE, record=stone.id, field=f"retired[{stone.id}].replaced_by",
                          message=f"{stone.replaced_by!r} is not a record id")
    for collection, records in raw.records.items():
        for record in records:
            for field, target, ref_id in references(record):
                targets = (target,) if isinstance(target, str) else target
                if owner.get(ref_id) in targets:
                    continue
                if ref_id in retired:
                    why = f"refers to retired id {ref_id!r}" + (
                        f"; use {retired[ref_id].replaced_by!r}" if retired[ref_id].replaced_by else "")
                else:
                    why = f"{ref_id!r} is not an id in {' or '.join(targets)}"
                yield Problem(file=_file_of(collection, record.id), record=record.id,
                              field=f"{collection}[{record.id}].{field}", message=why)
    yield from _quotes_without_archive(raw)
    yield from _part_of_cycles(cast("tuple[Aid, ...]", raw.records.get("aid", ())))
    yield from _name_clashes(cast("tuple[Actor, ...]", raw.records.get("actors", ())))


def _quotes_without_archive(raw: RawData) -> Iterator[Problem]:
    """A quote is checked word for word against the source's archived text; a source that
    keeps none can only be cited by a claim in our own words."""
    archived = {s.id for s in cast("tuple[Source, ...]", raw.records.get("sources", ())) if s.archive}
    for collection, records in raw.records.items():
        for record in records:
            for field, _, source_id in references(record):
                if not field.endswith(".source") or source_id in archived:
                    continue
                citation = _at_path(record, field.removesuffix(".source"))
                if citation.quote:
                    yield Problem(file=_file_of(collection, record.id), record=record.id,
                                  field=f"{collection}[{record.id}].{field.removesuffix('.source')}.quote",
                                  message="write a claim: this source keeps no archived text to check a quote against")


def _at_path(record: Any, path: str) -> Any:
    """The nested record at a field path such as ``positions[1].citations[0]``."""
    node = record
    for step in path.split("."):
        name, _, index = step.partition("[")
        node = getattr(node, name)
        if index:
            node = node[int(index.rstrip("]"))]
    return node


def _name_clashes(actors: Iterable[Actor]) -> Iterator[Problem]:
    """A name or alias must lead to one actor, or ``resolve`` and ``involving`` would guess."""
    claimed: dict[str, str] = {}
    for actor in actors:
        for name in actor_names(actor):
            key = name.casefold()
            if claimed.setdefault(key, actor.id) != actor.id:
                yield Problem(file=_file_of("actors", actor.id), record=actor.id, field=f"actors[{actor.id}].aliases",
                              message=f"{name!r} already names actor {claimed[key]!r}")


def _part_of_cycles(aid: Iterable[Aid]) -> Iterator[Problem]:
    parent = {a.id: a.part_of for a in aid}
    for start in sorted(parent):
        seen = [start]
        node = parent[start]
        while node is not None and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node == start:
            yield Problem(file=_file_of("aid", start), record=start, field=f"aid[{start}].part_of",
                          message="part_of forms a cycle: " + " -> ".join([*seen, start]))


def read(path: str | Path | Traversable | None = None) -> tuple[RawData, list[Problem]]:
    """Read and check a data directory, a JSON export, or (None) the shipped data."""
    if path is None:
        root: Traversable = shipped_root()
    elif isinstance(path, (str, Path)):
        root = Path(path)
        if root.is_file():
            raw, problems = read_json(root)
            return raw, problems + list(check(raw))
        if not root.is_dir():
            return _empty(), [Problem(file=str(path), message="no such data directory or JSON export")]
    else:
        root = path
    raw, problems = read_directory(root)
    return raw, problems + list(check(raw))


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the data at ``path`` (default: the shipped data), without raising."""
    return read(path)[1]


_lock = threading.Lock()
_shipped: Any = None


def load(path: str | Path | None = None):
    """The dataset at ``path``; with no path, the shipped dataset, loaded once and cached."""
    from .dataset import Dataset

    global _shipped
    if path is not None:
        return Dataset(_valid(path))
    with _lock:
        if _shipped is None:
            _shipped = Dataset(_valid(None))
        return _shipped


def _valid(path: str | Path | None) -> RawData:
    raw, problems = read(path)
    if problems:
        raise DataError(problems)
    return raw


def clear_cache() -> None:
    """Forget the cached shipped dataset; the next ``load()`` reads the files again."""
    global _shipped
    with _lock:
        _shipped = None
