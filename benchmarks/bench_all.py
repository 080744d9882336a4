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
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from azukr import loader
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


def import_ratio(repeat: int = 15) -> float:
    """``import azukr`` in a fresh interpreter against ``python -c pass``."""
    def run(code: str) -> float:
        return best(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat)
    return run("import azukr") / run("pass")


def timeline_ratio(repeat: int = 5) -> float:
    """``azukr timeline`` on the shipped data in a fresh interpreter against ``python -c pass``."""
    def run(args: list[str]) -> float:
        return best(lambda: subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL), repeat)
    return run(["-m", "azukr", "timeline"]) / run(["-c", "pass"])


def memory_per_event(folder: Path, events: int) -> float:
    """Bytes held by a loaded dataset of ``folder``, per event."""
    gc.collect()
    tracemalloc.start()
    ds = loader.load(folder)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del ds
    return held / events


def run(sizes: list[int], repeat: int = 20, out: Any = sys.stdout) -> dict[str, Any]:
    """Print every row; return the ratios by name (and size) for tests and scripts."""
    results: dict[str, Any] = {}

    def row(name: str, value: float, unit: str = "x", note: str = "") -> None:
        results[name] = value
        print(f"  {name:<52} {value:10.2f}{unit}{('   ' + note) if note else ''}", file=out)

    with tempfile.TemporaryDirectory() as tmp:
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
            loads[size] = best(lambda: loader.load(folder), rounds)
            row(f"load(folder) / read+tomllib.loads @{size}", loads[size] / floors[size],
                note=f"({loads[size]:.3f} s)")
            ds = loader.load(folder)
            (Path(tmp) / f"export-{size}").mkdir()
            export = write_json(ds, Path(tmp) / f"export-{size}")[0]
            text = export.read_text("utf-8")
            json_floor = best(lambda: json.loads(text), rounds)
            json_load = best(lambda: loader.load(export), rounds)
            row(f"load(export.json) / json.loads @{size}", json_load / json_floor)
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
        fresh = loader.load(folder)
        fingerprint = best(lambda: fresh.fingerprint, 1)
        row("fingerprint / load(folder)", fingerprint / loads[largest], note=f"({fingerprint:.2f} s)")
        row("memory per event", memory_per_event(folder, len(events)), unit=" B")
    print("import:", file=out)
    row("import azukr / python -c pass", import_ratio())
    row("azukr timeline (shipped data) / python -c pass", timeline_ratio())
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
