"""Exporters: one module per format, and the registry ``{name: writer}`` the CLI uses.

A writer takes a dataset and an existing directory and returns the paths it wrote. In every
format dates are EDTF strings and amounts decimal strings, never floats.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..dataset import Dataset

Writer = Callable[["Dataset", Path], list[Path]]


def _writers() -> dict[str, Writer]:
    from . import csl, jsonfile, tables

    return {
        "json": jsonfile.write_json,
        "jsonl": jsonfile.write_jsonl,
        "csv": tables.write_csv,
        "datapackage": tables.write_datapackage,
        "csl-json": csl.write_csl_json,
    }


FORMATS = ("json", "jsonl", "csv", "datapackage", "csl-json")


def export(dataset: Dataset, fmt: str, out: str | Path) -> list[Path]:
    """Write ``dataset`` in format ``fmt`` into directory ``out`` (created if missing)."""
    writers = _writers()
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    return writers[fmt](dataset, target)
