"""Pausing the cyclic garbage collector while azukr builds many objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Keep the cyclic collector from running while a load or fingerprint makes hundreds of
    thousands of records, which hold no reference cycles: each collection it would start scans
    every object made so far, so a large load would cost more than linear time. The collector
    is switched back on after (unless it was off before), as ``pickle`` users and mypy do."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
