"""Shared fixtures: a writable copy of the shipped data, and a clean cache around each test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings


import azukr
from azukr.loader import shipped_root

REPO = Path(__file__).resolve().parent.parent

# No per-example deadline: a loaded CI machine must not turn slowness into failures.
settings.register_profile("azukr", deadline=None, print_blob=True)
settings.load_profile("azukr")

# The compiled-data cache of the tests lives in a folder of their own, never the user's.
_CACHE_DIR = tempfile.mkdtemp(prefix="azukr-test-cache-")
os.environ["AZUKR_CACHE_DIR"] = _CACHE_DIR
os.environ.pop("AZUKR_CACHE", None)


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    azukr.clear_cache()
    yield
    azukr.clear_cache()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data directory that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(Path(str(shipped_root())), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="session")
def ds():
    return azukr.load()
