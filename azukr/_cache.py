"""The compiled form of a data folder or JSON export: its checked records, kept in the user's
cache so that a load whose files have not changed skips parsing and checking them again.

Like Python's own bytecode cache, an entry is keyed by what ``os.stat`` says of every file
(name, size, inode, modification and change times, in nanoseconds) together with the azukr and
Python versions and the state of azukr's own modules; any edit, added or removed file gives
another key, and the files are read again. An entry is written only for data that passed every
check, and not while a file is so new that a second change within the clock's resolution could
go unseen (git's "racy clean" rule). Entries are pickles of the records, read back by an
unpickler that can build nothing but azukr's own record types, dates and decimals, and only from
a file of the current user that no one else can write. ``AZUKR_CACHE=off`` turns the cache off;
``AZUKR_CACHE_DIR`` moves it. Any failure to read or write an entry only means the files are
read.
"""

from __future__ import annotations

import datetime
import decimal
import io
import os
import pickle
import stat
import sys
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__, amounts, dates, model

#: bump when the pickled layout changes
FORMAT = 2
#: a file changed less than this long ago may change again unseen in the same clock tick
RACY_NS = 2_000_000_000
#: entries at a data folder's root that are not data: written by Python itself on import
_NOT_DATA = ("__pycache__",)


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off (``AZUKR_CACHE=off``)."""
    if os.environ.get("AZUKR_CACHE", "").strip().lower() in ("off", "0", "no", "false"):
        return None
    chosen = os.environ.get("AZUKR_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "azukr", "Cache") if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "azukr"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "azukr")


class Signature:
    """What ``os.stat`` says of every file of a data folder, as one text, and its newest time."""

    __slots__ = ("text", "newest_ns")

    def __init__(self, text: str, newest_ns: int) -> None:
        self.text = text
        self.newest_ns = newest_ns


def signature(root: Path) -> Signature | None:
    """The state of ``root``'s data files (or of ``root``, an export), or None if it cannot be
    taken. The text is kept whole in the entry and compared whole: no hash to collide."""
    lines = [f"{FORMAT}|{__version__}|{sys.version}|{root}", *_code_state()]
    newest = 0
    try:
        if not root.is_dir():
            info = os.stat(root, follow_symlinks=False)
            lines.append(_stat_text(info))
            return Signature("\n".join(lines), max(info.st_mtime_ns, info.st_ctime_ns))
        for folder in (root, *(root / name for name in model.COLLECTIONS)):
            if folder is not root and not folder.is_dir():
                lines.append(f"no {folder.name}")
                continue
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
            for entry in entries:
                if folder is root and entry.name in _NOT_DATA:
                    continue
                info = entry.stat(follow_symlinks=False)
                newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
                lines.append(f"{folder.name}/{entry.name}|{_stat_text(info)}")
    except OSError:
        return None
    return Signature("\n".join(lines), newest)


def _stat_text(info: os.stat_result) -> str:
    """The parts of a file's ``stat`` that change when it is edited, replaced or retouched."""
    return f"{info.st_mode}|{info.st_size}|{info.st_ino}|{info.st_mtime_ns}|{info.st_ctime_ns}"


def _code_state() -> list[str]:
    """What ``os.stat`` says of azukr's own modules: records checked by other code (a checkout
    edited without a version bump) are never served as if this code had checked them."""
    package = Path(__file__).parent
    try:
        with os.scandir(package) as scan:
            return sorted(f"code/{e.name}|{e.stat().st_size}|{e.stat().st_mtime_ns}"
                          for e in scan if e.name.endswith(".py"))
    except OSError:
        return ["code unknown"]


def _entry_path(directory: Path, root: Path) -> Path:
    """One entry per data folder and Python: a new state of the folder replaces the old one.
    (Two folders sharing a name only take turns: the signature inside says whose it is.)"""
    key = f"{root}|{sys.version}".encode()
    return directory / f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}.pickle"


#: the only callables an entry may name: azukr's record types and the values inside them
_ALLOWED = {
    **{(module.__name__, cls.__name__): cls for module in (model, dates, amounts) for cls in vars(module).values()
       if isinstance(cls, type) and cls.__module__ == module.__name__},
    ("decimal", "Decimal"): decimal.Decimal,
    ("datetime", "date"): datetime.date,
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} has no place in an azukr cache entry") from None


def _private(fd: int) -> bool:
    """Whether an open entry is a regular file of the current user that no one else can write."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return False
    if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o022):
        return False
    return True


class Entry(NamedTuple):
    """What an entry keeps: the data version, records by collection, tombstones, and the
    fingerprint where the load worked it out (an export's)."""

    version: str
    records: Mapping[str, tuple[Any, ...]]
    retired: tuple[Any, ...]
    fingerprint: str | None = None


def read(root: Path, sig: Signature) -> Entry | None:
    """The entry kept for ``root`` in the state ``sig``, or None."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        fd = os.open(_entry_path(directory, root), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not _private(fd):
            return None
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read()
        entry = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - a broken entry is a miss, never an error
        return None
    finally:
        os.close(fd)
    if not (isinstance(entry, tuple) and len(entry) == 6 and entry[:2] == (FORMAT, sig.text)):
        return None
    _, _, version, records, retired, fingerprint = entry
    if not (isinstance(version, str) and isinstance(records, dict) and isinstance(retired, tuple)
            and set(records) == set(model.COLLECTIONS) and isinstance(fingerprint, (str, type(None)))
            and all(isinstance(found, tuple) and all(type(r) is model.COLLECTIONS[name] for r in found)
                    for name, found in records.items())
            and all(type(stone) is model.Tombstone for stone in retired)):
        return None
    return Entry(version, records, retired, fingerprint)


def write(root: Path, sig: Signature, entry: Entry) -> bool:
    """Keep checked records for ``root``; False (and nothing written) where the cache is off,
    a file is too new to trust its times, the folder changed while it was read, or the cache
    cannot be written."""
    directory = cache_dir()
    if directory is None or sig.newest_ns >= time.time_ns() - RACY_NS:
        return False
    again = signature(root)
    if again is None or again.text != sig.text:
        return False
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = pickle.dumps((FORMAT, sig.text, entry.version, dict(entry.records), tuple(entry.retired),
                             entry.fingerprint), protocol=pickle.HIGHEST_PROTOCOL)
        import tempfile  # here, not at the top: a start that only reads entries never needs it

        fd, temp = tempfile.mkstemp(dir=directory, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temp, _entry_path(directory, root))
        except BaseException:
            os.unlink(temp)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        return False
    return True
