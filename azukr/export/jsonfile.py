"""JSON (one document that ``azukr.load`` reads back to an equal dataset) and JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _convert
from ..model import COLLECTIONS

if TYPE_CHECKING:
    from ..dataset import Dataset

JSON_NAME = "azukr.json"


def dumps(value: Any) -> str:
    """The one JSON style of the exports: sorted keys, UTF-8 kept, two-space indent."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def document(dataset: Dataset) -> dict[str, Any]:
    """The whole dataset as one JSON-ready dict."""
    doc: dict[str, Any] = {"version": dataset.version, "fingerprint": dataset.fingerprint}
    for collection in COLLECTIONS:
        doc[collection] = getattr(dataset, collection).to_records()
    doc["retired"] = document_retired(dataset)
    return doc


def document_retired(dataset: Dataset) -> list[dict[str, Any]]:
    """The tombstones in id order, as JSON-ready dicts."""
    return [_convert.unstructure(s) for s in sorted(dataset.retired.values(), key=lambda s: s.id)]


def write_json(dataset: Dataset, out: Path) -> list[Path]:
    path = out / JSON_NAME
    path.write_text(dumps(document(dataset)), encoding="utf-8", newline="\n")
    return [path]


def write_jsonl(dataset: Dataset, out: Path) -> list[Path]:
    """One file per collection, one record per line, and ``retired.jsonl`` with the tombstones
    (``retired`` as an ISO date), as the JSON and CSV exports carry them."""
    tables = {c: getattr(dataset, c).to_records() for c in COLLECTIONS}
    tables["retired"] = document_retired(dataset)
    written = []
    for name, rows in tables.items():
        path = out / f"{name}.jsonl"
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
        written.append(path)
    return written
