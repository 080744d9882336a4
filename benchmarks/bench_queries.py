"""Indexed queries against the naive scans they replace, as ratios measured in one run.

    python -m benchmarks.bench_queries [--size 20000] [--repeat 200]

Ratios, not seconds, are the result: they compare two ways of answering the same question on
the same machine at the same moment, so they mean something on any machine. Nothing here is
asserted by the test suite (tests only check that the benchmark runs).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from azukr import Dataset
from azukr.dates import DatePoint, PartialDate
from azukr.loader import RawData
from azukr.model import Actor, Citation, Event, Source

ACTORS = tuple(Actor(id=f"actor-{i}", name=f"Actor {i}", kind="person") for i in range(200))


def synthetic(size: int, seed: int = 0) -> Dataset:
    """A dataset of ``size`` events spread over 1990-2030, each naming one to three of 200 actors."""
    rng = random.Random(seed)
    events = []
    for i in range(size):
        year, month, day = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        date = PartialDate(DatePoint(year, month, day if rng.random() < 0.7 else None))
        events.append(Event(
            id=f"event-{i}", date=date, title=f"Event {i}", kind="meeting",
            actors=tuple(a.id for a in rng.sample(ACTORS, rng.randint(1, 3))),
            citations=(Citation(source="src", claim="c"),),
        ))
    return Dataset(RawData("bench", {"actors": ACTORS, "sources": (Source(id="src", title="S", kind="news", url="https://example.org/s"),),
                                     "events": tuple(events), "agreements": (), "aid": ()}))


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        times.append(time.perf_counter() - start)
    return min(times) / repeat


def run(size: int, repeat: int) -> list[tuple[str, float, float]]:
    ds = synthetic(size)
    events = ds.events
    day = PartialDate.parse("2022-02-27")
    low, high = day.earliest, day.latest
    target = f"event-{size // 2}"
    events.between(day, day), events.involving("actor-7")  # build the lazy indexes once, as a user's first query would
    cases = [
        ("id lookup: ds[id] vs scan", lambda: ds[target], lambda: next(e for e in events if e.id == target)),
        ("between(day) vs filter", lambda: events.between(day, day),
         lambda: [e for e in events if e.date.earliest <= high and low <= e.date.latest]),
        ("involving(name) vs filter", lambda: events.involving("Actor 7"),
         lambda: [e for e in events if "actor-7" in e.actors]),
    ]
    return [(name, best_of(fast, repeat), best_of(slow, max(1, repeat // 10))) for name, fast, slow in cases]


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    results = run(args.size, args.repeat)
    print(f"{args.size} events; speed-up of the indexed query over the naive scan, same run:")
    for name, fast, slow in results:
        print(f"  {name:<28} {slow / fast:8.1f}x")
    return results


if __name__ == "__main__":
    main()
