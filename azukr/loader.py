"""Files -> records. Reads a data directory (or a JSON export), collects every Problem,
then checks what no single record can know: unique ids, retired ids, references, cycles."""

from __future__ import annotations

import datetime
import os
import re
import stat
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import attrs

from . import _gc
from .errors import DataError, Problem
from .model import (
    COLLECTIONS, ID_PATTERN, Actor, Aid, Record, Source, Tombstone, actor_names, all_citations, referenced_ids,
    references,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from .dataset import Dataset

RETIRED_FILE = "retired.toml"
UNVERSIONED = "unversioned"
_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.M)


def _read_only(records: Mapping[str, Iterable[Record]]) -> Mapping[str, tuple[Record, ...]]:
    return MappingProxyType({name: tuple(found) for name, found in records.items()})


def _tombstones(retired: Iterable[Tombstone]) -> tuple[Tombstone, ...]:
    return tuple(retired)


@attrs.frozen
class RawData:
    """What a data directory or export holds: records by collection, tombstones, version.
    Read-only: ``records`` is a mapping proxy of tuples."""

    version: str
    records: Mapping[str, tuple[Record, ...]] = attrs.field(converter=_read_only)
    retired: tuple[Tombstone, ...] = attrs.field(default=(), converter=_tombstones)


#: a record file larger than this is refused unread (a record is a few kilobytes)
MAX_FILE_BYTES = 4 * 1024 * 1024
#: parsed data nested deeper than this is refused before it is structured (records nest ~8)
MAX_DEPTH = 24
#: files at the root of a data folder that are not data: the package around it
_PACKAGE_DIRS = ("__pycache__",)


class _Unreadable(Exception):
    """A file that is not read: not a regular file, too large; the message says why."""


def _describe(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _scan_modes(folder: Traversable) -> dict[str, int]:
    """The file type of every entry of a folder from one ``os.scandir`` (the types come with the
    listing, no ``lstat`` per file; links are never followed); empty where it cannot be scanned."""
    if not isinstance(folder, Path):
        return {}
    modes: dict[str, int] = {}
    try:
        with os.scandir(folder) as scan:
            for item in scan:
                try:
                    if item.is_symlink():
                        modes[item.name] = stat.S_IFLNK
                    elif item.is_file(follow_symlinks=False):
                        modes[item.name] = stat.S_IFREG
                    elif item.is_dir(follow_symlinks=False):
                        modes[item.name] = stat.S_IFDIR
                    else:  # a pipe, socket or device: only these cost a stat call
                        modes[item.name] = item.stat(follow_symlinks=False).st_mode
                except OSError:
                    continue
    except OSError:
        return {}
    return modes


def _mode(entry: Traversable) -> int | None:
    """The entry's file type without following links (a stand-in for other Traversables)."""
    if isinstance(entry, Path):
        try:
            return entry.lstat().st_mode
        except OSError:
            return None
    if entry.is_dir():
        return stat.S_IFDIR
    return stat.S_IFREG if entry.is_file() else None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(entry: Traversable, limit: int = MAX_FILE_BYTES, *, mode: int | None = None) -> bytes:
    """The bytes of a regular file, never following a link or blocking on a pipe or device;
    raises ``_Unreadable`` or ``OSError``. ``mode``: the file type, where the caller already
    has it from a listing (saves an ``lstat``; the type is checked again on the open file)."""
    if not isinstance(entry, Path):
        data = entry.read_bytes()
        if len(data) > limit:
            raise _Unreadable(f"is larger than {limit} bytes")
        return data
    if mode is None:
        mode = _mode(entry)
    if mode is None:
        raise _Unreadable("cannot be found")
    if not stat.S_ISREG(mode):
        raise _Unreadable(f"is {_describe(mode)}: data files are regular files inside the data folder")
    fd = os.open(entry, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            raise _Unreadable(f"is {_describe(info.st_mode)}: data files are regular files inside the data folder")
        if info.st_size > limit:
            raise _Unreadable(f"is larger than {limit} bytes")
        # one read of the whole file in the usual case: a short read of a regular file is its end
        first = os.read(fd, info.st_size + 1)
        if len(first) <= info.st_size:
            return first
        chunks, size = [first], len(first)
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _Unreadable(f"is larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc)


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and tables in ``data`` nest deeper than ``limit`` (checked without recursion)."""
    if limit < 0:
        return True
    stack = [(data, 0)]  # only lists and tables are pushed: a scalar has nothing below it
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        below = depth + 1
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if below > limit:
            if children:  # any value below this depth, a scalar too, is too deep
                return True
            continue
        for child in children:
            if isinstance(child, (dict, list)):
                push((child, below))
    return False


def shipped_root() -> Traversable:
    """The data directory of the installed ``azukr_data`` package (wheel, zip or checkout):
    a plain folder is found without importing it; anything else through ``importlib.resources``."""
    import importlib.util

    spec = importlib.util.find_spec("azukr_data")
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if spec is not None and spec.origin and len(locations) == 1 and os.path.isfile(spec.origin):
        return Path(locations[0])
    import importlib.resources

    return importlib.resources.files("azukr_data")


def _converter_module() -> Any:
    """The converter module, imported with cattrs on the first record structured: a load from
    the cache needs neither."""
    from . import _convert as module

    return module


def _structure(data: Any, cls: type, file: str, path: str, record_id: str | None) -> tuple[Any, list[Problem]]:
    try:
        return _converter_module().structure(data, cls), []
    except Exception as exc:  # cattrs raises groups of anything a hook or validator raised
        return None, [Problem(file=file, record=record_id, field=f, message=m)
                      for f, m in _converter_module().flatten(exc, path)]


_fast_loads: Callable[[str], dict[str, Any]] | None = None


def _toml_loads(text: str) -> dict[str, Any]:
    """``tomllib.loads``, through the compiled ``tomli`` where it is installed (the ``fast``
    extra; versions before 2.4, which read TOML 1.0 as ``tomllib`` does). Anything ``tomli``
    refuses is read again by ``tomllib``, so results and error messages are ``tomllib``'s.
    (Imported here: a load from the compiled cache parses no TOML.)"""
    import tomllib

    global _fast_loads
    if _fast_loads is None:
        try:
            import tomli
        except ImportError:
            _fast_loads = tomllib.loads
        else:
            version = tuple(int(p) for p in re.findall(r"\d+", getattr(tomli, "__version__", "0"))[:2])
            _fast_loads = tomli.loads if (2, 1) <= version < (2, 4) else tomllib.loads
    if _fast_loads is not tomllib.loads:
        try:
            parsed = _fast_loads(text)
        except Exception:  # noqa: BLE001 - tomllib says what is wrong, in its own words
            pass
        else:
            if not too_deep(parsed):  # tomllib may hit the recursion limit on deep nesting: ask it
                return parsed
    return tomllib.loads(text)


def _read_toml(entry: Traversable, file: str, mode: int | None = None) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        data = read_bytes(entry, mode=mode)
    except _Unreadable as exc:
        return None, [Problem(file=file, message=str(exc))]
    except OSError as exc:
        return None, [Problem(file=file, message=f"cannot be read: {_why(exc)}")]
    try:
        parsed = _toml_loads(data.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError) as exc:  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        return None, [Problem(file=file, message=f"cannot be read as UTF-8 TOML: {_why(exc)}")]
    if too_deep(parsed):
        return None, [Problem(file=file, message=f"lists or tables nest deeper than {MAX_DEPTH} levels")]
    return parsed, []


def _toml_files(folder: Traversable, collection: str, problems: list[Problem]) -> list[tuple[Traversable, int | None]]:
    """The record files of a collection folder, each with its file type; anything else in it is
    a problem. The types come from one ``os.scandir`` of the folder, not an ``lstat`` per file."""
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(file=f"{collection}/", message=f"cannot be listed: {_why(exc)}"))
        return []
    modes = _scan_modes(folder)
    found: list[tuple[Traversable, int | None]] = []
    for entry in entries:
        name = entry.name
        mode = modes.get(name)
        if mode is None:  # not a Path, or gone from the scan: ask the entry itself
            mode = _mode(entry)
        if name.endswith(".toml"):
            if mode is not None and stat.S_ISREG(mode):
                found.append((entry, mode))
                continue
            file = f"{collection}/{name}"
            what = "cannot be found" if mode is None else f"is {_describe(mode)}"
            problems.append(Problem(file=file, message=(
                f"{what}: record files are regular files inside the data folder")))
        elif name.casefold().endswith(".toml"):
            problems.append(Problem(file=f"{collection}/{name}",
                                    message="is not read: a record file ends in lowercase '.toml'"))
        elif mode is not None and stat.S_ISDIR(mode):
            problems.append(Problem(file=f"{collection}/{name}/", message=(
                "is not read: a collection folder holds record files, no subfolders")))
        elif not name.startswith("."):  # hidden files (.gitkeep) are not data
            problems.append(Problem(file=f"{collection}/{name}", message=(
                "is not read: a collection folder holds only record files (ID.toml)")))
    return found


def _read_record(entry: Traversable, collection: str, mode: int | None = None) -> tuple[Record | None, list[Problem]]:
    name = entry.name
    file = f"{collection}/{name}"
    record_id = name.removesuffix(".toml")
    data, problems = _read_toml(entry, file, mode)
    if data is None:
        return None, problems
    if not ID_PATTERN.fullmatch(record_id):
        return None, [Problem(file=file, record=record_id, message="file name is not a valid id (lowercase slug)")]
    if "id" in data:
        return None, [Problem(file=file, record=record_id, field=f"{collection}[{record_id}].id",
                              message="the file name is the id; remove the id field")]
    data["id"] = record_id  # the parsed table is ours alone: no copy
    return _structure(data, COLLECTIONS[collection], file, f"{collection}[{record_id}]", record_id)


def _read_retired(root: Traversable) -> tuple[list[Tombstone], list[Problem]]:
    entry = root / RETIRED_FILE
    mode = _mode(entry)
    if mode is None:
        return [], []
    data, problems = _read_toml(entry, RETIRED_FILE)
    tombstones = []
    for record_id, table in (data or {}).items():
        if not isinstance(table, dict):
            problems.append(Problem(file=RETIRED_FILE, record=record_id, message="must be a table"))
            continue
        stone, found = _structure({**table, "id": record_id}, Tombstone, RETIRED_FILE,
                                  f"retired[{record_id}]", record_id)
        problems += found
        if stone:
            tombstones.append(stone)
    return tombstones, problems


def _read_version(root: Traversable) -> tuple[str, list[Problem]]:
    entry = root / "__init__.py"
    if _mode(entry) is None:
        return UNVERSIONED, []
    try:
        text = read_bytes(entry).decode("utf-8")
    except _Unreadable as exc:
        return UNVERSIONED, [Problem(file="__init__.py", message=str(exc))]
    except (OSError, UnicodeDecodeError) as exc:
        return UNVERSIONED, [Problem(file="__init__.py", message=f"cannot be read as UTF-8: {_why(exc)}")]
    match = _VERSION.search(text)
    return (match[1] if match else UNVERSIONED), []


def _layout(root: Traversable, where: str) -> tuple[list[str], list[Problem]]:
    """The collection folders present at ``root``; anything there that would be skipped
    without a word (a stray TOML file, an unknown folder, a collection that is a file) is a
    problem. Package files (``__init__.py``, ``py.typed``, ``__pycache__``) are not data."""
    try:
        entries = sorted(root.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        return [], [Problem(file=where, message=f"cannot be listed: {_why(exc)}")]
    present, problems = [], []
    for entry in entries:
        name, mode = entry.name, _mode(entry)
        is_dir = mode is not None and stat.S_ISDIR(mode)
        if name in COLLECTIONS:
            if is_dir:
                present.append(name)
            else:
                what = "cannot be found" if mode is None else f"is {_describe(mode)}"
                problems.append(Problem(file=name, message=f"{what}: a collection is a folder inside the data folder"))
        elif name == RETIRED_FILE:
            if mode is None or not stat.S_ISREG(mode):
                what = "cannot be found" if mode is None else f"is {_describe(mode)}"
                problems.append(Problem(file=name, message=f"{what}: {RETIRED_FILE} is a regular file"))
        elif name.casefold().endswith(".toml"):
            problems.append(Problem(file=name, message=(
                f"is not read: record files go in a collection folder ({', '.join(COLLECTIONS)});"
                f" only {RETIRED_FILE} sits at the root")))
        elif name.startswith(".") or name in _PACKAGE_DIRS:
            continue
        elif mode is not None and stat.S_ISLNK(mode):
            problems.append(Problem(file=name, message="is a symbolic link: a data folder holds no links"))
        elif is_dir:
            import difflib  # only to explain a mistake

            close = difflib.get_close_matches(name, COLLECTIONS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (collections: {', '.join(COLLECTIONS)})"
            problems.append(Problem(file=name, message=f"is not read: unknown collection folder{hint}"))
    if not present:  # one problem, not one per file of (say) a collection folder given by mistake
        hint = f"; {root.name}/ is itself a collection folder: give the folder that holds it" if (
            root.name in COLLECTIONS) else ""
        return [], [Problem(file=where, message=(
            f"not an azukr data folder: it holds none of the collection folders {', '.join(COLLECTIONS)}{hint}"))]
    return present, problems


def read_directory(root: Traversable, where: str | None = None) -> tuple[RawData, list[Problem]]:
    """Every record file under ``root`` and its problems; files are read in name order.
    ``where`` names the folder in problems about the folder itself."""
    present, problems = _layout(root, where or str(root))
    records: dict[str, tuple[Record, ...]] = {}
    for collection in COLLECTIONS:
        found = []
        entries = _toml_files(root / collection, collection, problems) if collection in present else []
        for entry, mode in entries:
            record, issues = _read_record(entry, collection, mode)
            problems += issues
            if record is not None:
                found.append(record)
        records[collection] = tuple(found)
    retired, issues = _read_retired(root)
    version, version_issues = _read_version(root)
    return RawData(version, records, tuple(retired)), problems + issues + version_issues


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


_JSON_KEYS = ("version", "fingerprint", *COLLECTIONS, "retired")


def read_json(path: Path) -> tuple[RawData, list[Problem]]:
    """A file written by ``azukr export --format json``. Its stored fingerprint must match
    its content: an export edited by hand is refused, not loaded as if it were the release."""
    file = path.name
    try:
        import json

        document = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError, MemoryError) as exc:  # JSONDecodeError, UnicodeDecodeError, digits
        return _empty(), [Problem(file=file, message=f"cannot be read as JSON: {_why(exc)}")]
    if not isinstance(document, dict):
        return _empty(), [Problem(file=file, message="must be a JSON object")]
    if not any(collection in document for collection in COLLECTIONS):
        return _empty(), [Problem(file=file, message=(
            f"not an azukr JSON export: it holds none of the collections {', '.join(COLLECTIONS)}"))]
    # No depth check here: the parser refuses what would overflow it, and structuring descends
    # only as deep as the record classes do (a nested value where text belongs "is not a string").
    problems = [Problem(file=file, field=key, message="unknown key")
                for key in sorted(document) if key not in _JSON_KEYS]
    version = document.get("version", UNVERSIONED)
    if not isinstance(version, str):
        problems.append(Problem(file=file, field="version", message="must be a string"))
        version = UNVERSIONED
    records: dict[str, tuple[Record, ...]] = {}
    for collection, cls in COLLECTIONS.items():
        found, issues = _structure_rows(document, collection, cls, file)
        records[collection] = tuple(found)
        problems += issues
    retired, issues = _structure_rows(document, "retired", Tombstone, file, prepare=_with_date)
    raw = RawData(version, records, tuple(retired))
    problems += issues
    stored = document.get("fingerprint")
    if stored is not None and not isinstance(stored, str):
        problems.append(Problem(file=file, field="fingerprint", message="must be a string"))
    elif stored is not None and not problems:
        actual, unchanged = _export_fingerprint(document, raw, stored)
        _remember_fingerprint(raw, actual)
        if not unchanged:
            problems.append(Problem(file=file, field="fingerprint", message=(
                f"the stored fingerprint {stored[:80]!r} does not match the content ({actual}):"
                " the export was changed after it was written")))
    return raw, problems


def _export_fingerprint(document: dict[str, Any], raw: RawData, stored: str) -> tuple[str, bool]:
    """The fingerprint of an export's records. Rows just as the export wrote them hash to the
    stored value straight from the parsed JSON (structuring them round-trips); anything else
    is worked out from the records, so an edited export never passes for the release. An export
    written by azukr 0.2, whose fingerprint hashed the TOML text, is recognised by that hash.
    Returns the fingerprint and whether the stored one vouches for the content."""
    from .versioning import fingerprint, fingerprint_0_2, fingerprint_rows

    try:
        quick = fingerprint_rows({c: document.get(c, ()) for c in COLLECTIONS}, document.get("retired", ()),
                                 keys_sorted=True)  # as the export wrote them; if not, the records decide
    except (KeyError, TypeError, ValueError):  # rows the records were made of despite odd keys
        quick = None
    if quick == stored:
        return quick, True
    actual = fingerprint(raw.records, raw.retired)
    return actual, stored == actual or stored == fingerprint_0_2(raw.records, raw.retired)


#: id(RawData) -> the fingerprint computed while reading it, so that a dataset made from it
#: does not compute it again; an entry leaves with its RawData
_fingerprints: dict[int, str] = {}


def _remember_fingerprint(raw: RawData, value: str) -> None:
    key = id(raw)
    _fingerprints[key] = value
    weakref.finalize(raw, _fingerprints.pop, key, None)


def _known_fingerprint(raw: RawData) -> str | None:
    return _fingerprints.get(id(raw))


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
            if all(_points_to(owner.get(ref_id), target) for target, ref_id in referenced_ids(record)):
                continue
            for field, target, ref_id in references(record):  # the paths, for the broken ones
                if _points_to(owner.get(ref_id), target):
                    continue
                targets = (target,) if isinstance(target, str) else target
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


def _points_to(collection: str | None, target: str | tuple[str, ...]) -> bool:
    """Whether an id found in ``collection`` (None: nowhere) is one a reference to ``target`` may name."""
    return collection == target if isinstance(target, str) else collection in target


def _quotes_without_archive(raw: RawData) -> Iterator[Problem]:
    """A quote is checked word for word against the source's archived text; a source that
    keeps none can only be cited by a claim in our own words."""
    archived = {s.id for s in cast("tuple[Source, ...]", raw.records.get("sources", ())) if s.archive}
    for collection, records in raw.records.items():
        for record in records:
            if all(not c.quote or c.source in archived for c in all_citations(record)):
                continue
            for field, _, source_id in references(record):  # the paths, for the quoting ones
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
    """Each record on a part_of cycle, with the cycle from it; linear in the records (every
    record is walked once: a chain met again is either done or the cycle just closed)."""
    parent = {a.id: a.part_of for a in aid}
    done: set[str] = set()
    cycle_of: dict[str, tuple[list[str], int]] = {}
    for start in parent:
        path: list[str] = []
        position: dict[str, int] = {}
        node = parent.get(start) if start in done else start
        while node is not None and node in parent and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = parent[node]
        if node is not None and node in position:
            cycle = path[position[node]:]
            for index, member in enumerate(cycle):
                cycle_of[member] = (cycle, index)
        done.update(path)
    for start in sorted(cycle_of):
        cycle, index = cycle_of[start]
        order = [*cycle[index:], *cycle[:index], start]
        if len(order) > 12:
            order = [*order[:5], f"... ({len(order) - 7} more)", *order[-2:]]
        yield Problem(file=_file_of("aid", start), record=start, field=f"aid[{start}].part_of",
                      message="part_of forms a cycle: " + " -> ".join(order))


def read(path: str | Path | Traversable | None = None) -> tuple[RawData, list[Problem]]:
    """Read and check a data directory, a JSON export, or (None) the shipped data."""
    if path is None:
        root: Traversable = shipped_root()
    elif isinstance(path, (str, Path)):
        if str(path) == "" or (isinstance(path, str) and not path.strip()):
            return _empty(), [Problem(file=repr(str(path)),
                                      message="an empty path names no data directory or JSON export")]
        root = Path(path)
        try:
            is_file, is_dir = root.is_file(), root.is_dir()
        except OSError as exc:
            return _empty(), [Problem(file=str(path), message=f"cannot be read: {_why(exc)}")]
        if is_file:
            raw, problems = read_json(root)
            return raw, problems + list(check(raw))
        if not is_dir:
            return _empty(), [Problem(file=str(path), message="no such data directory or JSON export")]
    else:
        root = path
    raw, problems = read_directory(root, str(path) if path is not None else None)
    return raw, problems + list(check(raw))


@_gc.paused()
def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the data at ``path`` (default: the shipped data), without raising."""
    return read(path)[1]


_lock = threading.Lock()
_shipped: Any = None


@_gc.paused()
def load(path: str | Path | None = None, *, cache: bool = True) -> Dataset:
    """The dataset at ``path``; with no path, the shipped dataset, loaded once and cached.

    A data folder whose files have not changed since an earlier load comes from its compiled
    form in the user's cache (see ``azukr._cache``); ``cache=False`` reads the files."""
    from .dataset import Dataset

    global _shipped
    if path is not None:
        return _dataset(Dataset, _valid(path, cache))
    with _lock:
        if _shipped is None:
            _shipped = _dataset(Dataset, _valid(None, cache))
        return _shipped


def _dataset(make: type[Dataset], raw: RawData) -> Dataset:
    """A dataset of ``raw`` (each collection already in date order), with the fingerprint
    computed while reading it, if one was."""
    dataset = make(raw, _presorted=True)
    known = _known_fingerprint(raw)
    if known is not None:
        object.__setattr__(dataset, "_fingerprint", known)
    return dataset


def _valid(path: str | Path | None, cache: bool = False) -> RawData:
    """The checked records at ``path``, each collection in date order: sorted once here, and
    kept so in a cache entry, which spares every later start the sort."""
    where = _cacheable(path) if cache else None
    sig = None
    if where is not None:
        from . import _cache

        sig = _cache.signature(where)
        kept = _cache.read(where, sig) if sig is not None else None
        if kept is not None:
            raw = RawData(kept.version, kept.records, kept.retired)
            if kept.fingerprint is not None:
                _remember_fingerprint(raw, kept.fingerprint)
            return raw
    raw, problems = read(path)
    if problems:
        raise DataError(problems)
    raw = _in_date_order(raw)
    if where is not None and sig is not None:
        _cache.write(where, sig, _cache.Entry(raw.version, raw.records, raw.retired, _known_fingerprint(raw)))
    return raw


def _in_date_order(raw: RawData) -> RawData:
    """``raw`` with each collection sorted as collections are (``queries.sort_key``)."""
    from .queries import sort_key

    ordered = RawData(raw.version, {name: sorted(found, key=sort_key) for name, found in raw.records.items()},
                      raw.retired)
    known = _known_fingerprint(raw)
    if known is not None:
        _remember_fingerprint(ordered, known)
    return ordered


def _cacheable(path: str | Path | None) -> Path | None:
    """The absolute data folder or JSON export a load may take from the cache."""
    if path is None:
        root: Traversable = shipped_root()
    elif isinstance(path, (str, Path)) and str(path).strip():
        root = Path(path)
    else:
        return None
    if not isinstance(root, Path):  # the shipped data inside a zip: nothing on disk to key
        return None
    try:
        return root.resolve(strict=True) if root.is_dir() or root.is_file() else None
    except (OSError, RuntimeError):
        return None


def clear_cache() -> None:
    """Forget the cached shipped dataset; the next ``load()`` reads the files again."""
    global _shipped
    with _lock:
        _shipped = None
