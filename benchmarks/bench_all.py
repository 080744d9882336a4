"""Every performance measure of issue 19, as ratios from one run.

    python -m benchmarks.bench_all [--sizes 1000,10000[,100000]] [--repeat 20]

The data is the shipped data with its events cloned (new ids, same content) up to each size,
written once to a temporary directory. Each row compares two ways of doing the same work on the
same machine at the same moment (azukr against the parser floor, an index against a scan, one
size against ten times less), so the ratios mean something on any machine; the seconds shown
beside some rows are for orientation only. Nothing here is asserted by the test suite (tests
only check that it runs, at a small size).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import attrs

from azukr import loader
from azukr.model import COLLECTIONS
from azukr.export.jsonfile import write_json
from azukr.queries import _search_text


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The best of ``repeat`` timings of one call, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def per_call(fn: Callable[[], object], calls: int) -> float:
    """The best of three timings of ``calls`` calls, per call."""
    return best(lambda: [fn() for _ in range(calls)]) / calls


def snapshot(root: Path) -> Path:
    """A copy of the shipped data, so that files others are editing cannot change mid-run."""
    source = Path(str(loader.shipped_root()))
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def make_data(base: Path, size: int, out: Path) -> Path:
    """``base`` with its events cloned (``<id>-c<n>``) until there are ``size`` of them."""
    shutil.copytree(base, out)
    events = sorted((base / "events").glob("*.toml"))
    for n in range(max(0, size - len(events))):
        original = events[n % len(events)]
        (out / "events" / f"{original.stem}-c{n}.toml").write_bytes(original.read_bytes())
    return out


def floor_toml(folder: Path) -> None:
    """What no loader of these files can avoid: reading them and parsing the TOML."""
    for path in sorted(folder.glob("*/*.toml")):
        tomllib.loads(path.read_bytes().decode("utf-8"))
    retired = folder / "retired.toml"
    if retired.is_file():
        tomllib.loads(retired.read_text("utf-8"))


def _rebuild(value: Any) -> Any:
    if attrs.has(type(value)):
        cls = type(value)
        return cls(**{f.name: _rebuild(getattr(value, f.name)) for f in attrs.fields(cls) if f.init})
    if type(value) is tuple:
        return tuple(map(_rebuild, value))
    return value


def rebuild_records(ds: Any) -> None:
    """What no loader returning attrs records can avoid: calling each record class (and the
    classes nested in it) once per value, with validators off and the values already typed."""
    with attrs.validators.disabled():
        for name in COLLECTIONS:
            for record in getattr(ds, name):
                _rebuild(record)


def _interpreter_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh interpreter as a user's: bytecode cached (as ``pip install``
    leaves it), whatever this shell says; azukr and its dependencies found on ``PYTHONPATH``."""
    import azukr

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    paths = [str(Path(azukr.__file__).resolve().parent.parent), *site.getsitepackages()]
    return {**env, "PYTHONPATH": os.pathsep.join(paths), **extra}


def _fresh(args: list[str], repeat: int, env: dict[str, str]) -> float:
    """The best time of ``python -S ARGS`` in a fresh interpreter, after one warm-up run (which
    writes bytecode, and the data cache where it is on). ``-S`` (no ``site``): the ``.pth``
    hooks of the environment (an editable install's finder costs more than ``python -c pass``
    itself) would otherwise weigh on the floor and flatter every ratio."""
    def once() -> None:
        subprocess.run([sys.executable, "-S", *args], check=True, stdout=subprocess.DEVNULL, env=env)
    once()
    return best(once, repeat)


def import_ratio(repeat: int = 15) -> float:
    """``import azukr`` in a fresh interpreter against ``python -c pass``."""
    env = _interpreter_env()
    return _fresh(["-c", "import azukr"], repeat, env) / _fresh(["-c", "pass"], repeat, env)


def startup_ratios(cache_dir: Path, repeat: int = 7) -> dict[str, float]:
    """Fresh interpreters against ``python -c pass``: ``azukr timeline`` on the shipped data from
    the compiled-data cache and without it, ``import attrs`` (the runtime's own floor) and
    ``import azukr.model`` (attrs and the record classes, before any data is read)."""
    cached = _interpreter_env(AZUKR_CACHE_DIR=str(cache_dir))
    uncached = _interpreter_env(AZUKR_CACHE="off")
    floor = _fresh(["-c", "pass"], repeat, cached)
    return {
        "timeline": _fresh(["-m", "azukr", "timeline"], repeat, cached) / floor,
        "uncached": _fresh(["-m", "azukr", "timeline"], repeat, uncached) / floor,
        "attrs": _fresh(["-c", "import attrs"], repeat, cached) / floor,
        "model": _fresh(["-c", "import azukr.model"], repeat, cached) / floor,
    }


def memory_per_event(folder: Path, events: int, cache: bool = False) -> float:
    """Bytes held by a loaded dataset of ``folder``, per event."""
    gc.collect()
    tracemalloc.start()
    ds = loader.load(folder, cache=cache)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del ds
    return held / events


@contextmanager
def _private_cache(folder: Path) -> Iterator[None]:
    """The compiled-data cache in a folder of the run's own, never the user's. The files here
    are new, so the wait for "racy" files (edited in the clock tick the cache would record) is
    waived: nothing edits them during the run."""
    from azukr import _cache

    saved = {k: os.environ.get(k) for k in ("AZUKR_CACHE_DIR", "AZUKR_CACHE")}
    racy, _cache.RACY_NS = _cache.RACY_NS, -10**12
    os.environ["AZUKR_CACHE_DIR"] = str(folder)
    os.environ.pop("AZUKR_CACHE", None)
    try:
        yield
    finally:
        _cache.RACY_NS = racy
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run(sizes: list[int], repeat: int = 20, out: Any = sys.stdout) -> dict[str, Any]:
    """Print every row; return the ratios by name (and size) for tests and scripts."""
    results: dict[str, Any] = {}

    def row(name: str, value: float, unit: str = "x", note: str = "") -> None:
        results[name] = value
        print(f"  {name:<52} {value:10.2f}{unit}{('   ' + note) if note else ''}", file=out)

    with tempfile.TemporaryDirectory() as tmp, _private_cache(Path(tmp) / "cache"):
        base = snapshot(Path(tmp) / "shipped")
        loads: dict[int, float] = {}
        floors: dict[int, float] = {}
        largest = max(sizes)
        largest_ds = None
        print("load:", file=out)
        for size in sorted(sizes):
            folder = make_data(base, size, Path(tmp) / f"data-{size}")
            rounds = 3 if size <= 10_000 else 1
            floors[size] = best(lambda: floor_toml(folder), rounds)
            loads[size] = best(lambda: loader.load(folder, cache=False), rounds)
            row(f"load(folder) / read+tomllib.loads @{size}", loads[size] / floors[size],
                note=f"({loads[size]:.3f} s)")
            ds = loader.load(folder)  # writes the folder's compiled form
            cached = best(lambda: loader.load(folder), rounds)
            row(f"load(folder), compiled cache / read+tomllib.loads @{size}", cached / floors[size],
                note=f"({cached:.3f} s)")
            (Path(tmp) / f"export-{size}").mkdir()
            export = write_json(ds, Path(tmp) / f"export-{size}")[0]
            text = export.read_text("utf-8")
            json_floor = best(lambda: json.loads(text), rounds)
            json_load = best(lambda: loader.load(export, cache=False), rounds)
            row(f"load(export.json) / json.loads @{size}", json_load / json_floor)
            built = best(lambda: rebuild_records(ds), rounds)
            row(f"load(export.json) / (json.loads + making the records) @{size}", json_load / (json_floor + built),
                note="the floor of any loader that returns attrs records")
            loader.load(export)  # writes the export's compiled form
            json_cached = best(lambda: loader.load(export), rounds)
            row(f"load(export.json), compiled cache / json.loads @{size}", json_cached / json_floor)
            sink = io.StringIO()
            from azukr import cli

            def sources() -> None:
                sink.seek(0)
                with redirect_stdout(sink):
                    cli.cmd_sources(argparse.Namespace(data=str(folder), json=False))
            original = loader.load
            loader.load = lambda path=None: ds  # time the command, not the load
            try:
                results[f"sources@{size}"] = best(sources, rounds)
            finally:
                loader.load = original
            if size == largest:
                largest_ds = ds
            else:
                del ds
        ordered = sorted(sizes)
        for small, big in zip(ordered, ordered[1:]):
            factor = big / small
            row(f"load growth {small} -> {big} (x{factor:g} data)", loads[big] / loads[small],
                note=f"floor: {floors[big] / floors[small]:.2f}x")
        for small, big in zip(ordered, ordered[1:]):
            row(f"azukr sources growth {small} -> {big} (x{big / small:g} data)",
                results[f"sources@{big}"] / results[f"sources@{small}"], note="linear: the data factor")

        print(f"queries @{largest}:", file=out)
        assert largest_ds is not None
        events = largest_ds.events
        word, kind = "tribunal", "meeting"
        events.search(word), events.of_kind(kind)  # the first query builds what is built once
        assert events.search(word).ids() == tuple(e.id for e in events if word in _search_text(e))
        assert events.of_kind(kind).ids() == tuple(e.id for e in events if e.kind == kind)
        calls = max(1, repeat)
        scan_search = per_call(lambda: [e for e in events if word in _search_text(e)], max(1, calls // 10))
        row("search(word): naive scan / azukr", scan_search / per_call(lambda: events.search(word), calls))
        try:
            import pandas as pd
        except ImportError:
            pass
        else:
            frame = pd.DataFrame({"text": [_search_text(e) for e in events]})
            pandas_search = per_call(lambda: frame["text"].str.contains(word, regex=False), max(1, calls // 10))
            row("search(word): pandas str.contains / azukr", pandas_search / per_call(lambda: events.search(word), calls))
        scan_kind = per_call(lambda: [e for e in events if e.kind == kind], max(1, calls // 10))
        row("of_kind(k): scan / azukr", scan_kind / per_call(lambda: events.of_kind(kind), calls))
        window = ("2022-02-26", "2022-02-27")
        actor = "ilham-aliyev"
        events.between(*window).involving(actor)
        step = per_call(lambda: events.between(*window), calls)
        chained = per_call(lambda: events.between(*window).involving(actor), calls)
        row("between(2-day).involving() / between(2-day) alone", chained / step,
            note=f"{len(events.between(*window))} records in the window; ~2 or less: no index rebuilt")
        fresh = loader.load(folder, cache=False)
        fingerprint = best(lambda: fresh.fingerprint, 1)
        row("fingerprint / load(folder)", fingerprint / loads[largest], note=f"({fingerprint:.2f} s)")
        row("memory per event", memory_per_event(folder, len(events)), unit=" B")
        row("memory per event, compiled cache", memory_per_event(folder, len(events), cache=True), unit=" B")
        print("import:", file=out)
        row("import azukr / python -c pass", import_ratio())
        startup = startup_ratios(Path(tmp) / "cache")
        row("azukr timeline (shipped data) / python -c pass", startup["timeline"], note="compiled cache")
        row("azukr timeline, no cache / python -c pass", startup["uncached"])
        row("import attrs / python -c pass", startup["attrs"], note="the runtime's floor")
        row("import azukr.model / python -c pass", startup["model"], note="attrs + the record classes")
        row("azukr timeline (shipped data) / import azukr.model", startup["timeline"] / startup["model"],
            note="what reading the data and printing it adds")
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="event counts, comma-separated (100000 optional)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    print(f"azukr benchmarks, sizes {', '.join(map(str, sizes))} events; ratios from one run:")
    return run(sizes, args.repeat)


if __name__ == "__main__":
    main()
