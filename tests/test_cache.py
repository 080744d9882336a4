"""The compiled-data cache: used only for unchanged, checked files; never trusted blindly."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

import azukr
from azukr import _cache
from azukr.loader import _cacheable
from azukr.model import COLLECTIONS
from azukr.queries import sort_key

RALLY = "events/baku-embassy-rally-2022-02-27.toml"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of this test's own, with the racy-file wait off (files here are new)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("AZUKR_CACHE_DIR", str(folder))
    monkeypatch.delenv("AZUKR_CACHE", raising=False)
    monkeypatch.setattr(_cache, "RACY_NS", -10**12)
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def _kept(data_dir: Path):
    root = _cacheable(data_dir)
    return _cache.read(root, _cache.signature(root))


def _touch_later(path: Path) -> None:
    """Move a file's modification time clearly past its old one (file clocks can be coarse)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


def test_a_second_load_comes_from_the_cache_and_equals_the_first(cache, data_dir):
    first = azukr.load(data_dir)
    assert len(_entries(cache)) == 1 and _kept(data_dir) is not None
    again = azukr.load(data_dir)
    uncached = azukr.load(data_dir, cache=False)
    assert again == first
    for name in COLLECTIONS:  # the entry's order is trusted, not sorted again: it must be date order
        assert list(getattr(again, name)) == list(getattr(first, name))
        assert list(_kept(data_dir).records[name]) == sorted(getattr(first, name), key=sort_key)
        assert again.raw.records[name] == first.raw.records[name] == uncached.raw.records[name]
    assert again.fingerprint == azukr.load(data_dir, cache=False).fingerprint


def test_an_edit_of_the_same_size_is_seen(cache, data_dir):
    azukr.load(data_dir)
    path = data_dir / RALLY
    text = path.read_text("utf-8")
    edited = text.replace('title = "', 'title = "X', 1)[:-1]  # one character in, one out: same size
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, "utf-8")
    _touch_later(path)
    assert _kept(data_dir) is None
    assert azukr.load(data_dir)["baku-embassy-rally-2022-02-27"].title.startswith("X")


def test_an_added_or_removed_file_changes_the_key(cache, data_dir):
    azukr.load(data_dir)
    (data_dir / RALLY).rename(data_dir / "events" / "renamed-rally-2022-02-27.toml")
    ds = azukr.load(data_dir)
    assert "renamed-rally-2022-02-27" in ds and "baku-embassy-rally-2022-02-27" not in ds
    assert len(_entries(cache)) == 1  # one entry per folder: the new state replaced the old


def test_a_folder_with_problems_is_never_cached(cache, data_dir):
    (data_dir / RALLY).write_text('title = "no date"\n', "utf-8")
    with pytest.raises(azukr.DataError):
        azukr.load(data_dir)
    assert _entries(cache) == []


def test_files_too_new_to_trust_their_times_are_not_cached(tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("AZUKR_CACHE_DIR", str(tmp_path / "cache"))
    (data_dir / RALLY).write_bytes((data_dir / RALLY).read_bytes())  # just written: racy
    azukr.load(data_dir)
    assert _entries(tmp_path / "cache") == []


@pytest.mark.parametrize("how", ["env", "argument"])
def test_the_cache_can_be_turned_off(cache, data_dir, monkeypatch, how):
    if how == "env":
        monkeypatch.setenv("AZUKR_CACHE", "off")
        azukr.load(data_dir)
    else:
        azukr.load(data_dir, cache=False)
    assert _entries(cache) == []


def test_validate_always_reads_the_files(cache, data_dir):
    azukr.load(data_dir)
    (data_dir / RALLY).write_text('title = "no date"\n', "utf-8")
    _touch_later(data_dir / RALLY)
    assert any(p.record == "baku-embassy-rally-2022-02-27" for p in azukr.validate(data_dir))


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo should-never-run",))


def _replace_entry(cache: Path, payload: object, mode: int = 0o600) -> None:
    [entry] = _entries(cache)
    entry.write_bytes(pickle.dumps(payload))
    entry.chmod(mode)


def test_an_entry_naming_anything_but_records_is_a_miss(cache, data_dir, capfd):
    azukr.load(data_dir)
    root = _cacheable(data_dir)
    _replace_entry(cache, (_cache.FORMAT, _cache.signature(root).text, "v", _Evil(), (), None))
    assert _kept(data_dir) is None
    assert "should-never-run" not in capfd.readouterr().out
    assert azukr.load(data_dir) == azukr.load(data_dir, cache=False)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="file ownership and modes are POSIX")
def test_an_entry_others_can_write_is_not_read(cache, data_dir):
    azukr.load(data_dir)
    [entry] = _entries(cache)
    entry.chmod(0o666)
    assert _kept(data_dir) is None


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_broken_entry_is_a_miss_and_is_replaced(cache, data_dir, damage):
    first = azukr.load(data_dir)
    [entry] = _entries(cache)
    entry.write_bytes(damage)
    assert _kept(data_dir) is None
    assert azukr.load(data_dir) == first and _kept(data_dir) is not None


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path, monkeypatch, data_dir):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("AZUKR_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(_cache, "RACY_NS", -10**12)
    assert azukr.load(data_dir) == azukr.load(data_dir, cache=False)


def test_the_shipped_data_is_cached_like_any_folder(cache):
    first = azukr.load()
    azukr.clear_cache()
    assert _kept(None) is not None
    assert azukr.load() == first


def test_a_json_export_is_cached_with_its_fingerprint_and_an_edit_is_seen(cache, tmp_path, data_dir):
    from azukr.export import export

    [path] = export(azukr.load(data_dir, cache=False), "json", tmp_path / "out")
    first = azukr.load(path)
    [entry] = [e for e in _entries(cache)]
    kept = _kept(path)
    assert kept is not None and kept.fingerprint == first.fingerprint
    again = azukr.load(path)
    assert again == first and again.fingerprint == first.fingerprint
    text = path.read_text("utf-8")
    path.write_text(text.replace('"title": "', '"title": "X', 1), "utf-8")
    _touch_later(path)
    assert _kept(path) is None
    with pytest.raises(azukr.DataError, match="fingerprint"):
        azukr.load(path)


def test_an_entry_made_by_other_code_is_a_miss(cache, data_dir, monkeypatch):
    azukr.load(data_dir)
    assert _kept(data_dir) is not None
    monkeypatch.setattr(_cache, "_code_state", lambda: ["code/model.py|1|2"])  # as after an edit of azukr
    assert _kept(data_dir) is None


def test_an_entry_holding_other_records_than_its_collections_is_a_miss(cache, data_dir):
    ds = azukr.load(data_dir)
    root = _cacheable(data_dir)
    records = dict(ds.raw.records)
    records["events"] = records["sources"][:1]  # a Source where events belong
    _replace_entry(cache, (_cache.FORMAT, _cache.signature(root).text, "v", records, (), None))
    assert _kept(data_dir) is None
