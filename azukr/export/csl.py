"""The sources as CSL-JSON, for citation managers (Zotero, Pandoc, citeproc)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import DatePoint
from ..model import Source
from .jsonfile import dumps

if TYPE_CHECKING:
    from ..dataset import Dataset

_TYPES = {
    "news": "article-newspaper",
    "opinion": "article-newspaper",
    "government": "report",
    "press-release": "report",
    "lobbying": "personal_communication",
    "encyclopedia": "entry-encyclopedia",
    "other": "document",
}


def csl_item(source: Source) -> dict[str, Any]:
    """One source as a CSL-JSON item; unknown fields are left out, never guessed."""
    item: dict[str, Any] = {"id": source.id, "type": _TYPES[source.kind], "title": source.title}
    if source.author:
        item["author"] = [{"literal": source.author}]
    if source.publisher:
        item["container-title" if source.kind in ("news", "opinion") else "publisher"] = source.publisher
    if source.published is not None and isinstance(source.published.start, DatePoint):
        point = source.published.start
        item["issued"] = {"date-parts": [[p for p in (point.year, point.month, point.day) if p is not None]]}
    if source.url:
        item["URL"] = source.url
    item["language"] = source.language
    note = f"azukr source kind: {source.kind}." + (f" {source.note}" if source.note else "")
    item["note"] = note
    return item


def write_csl_json(dataset: Dataset, out: Path) -> list[Path]:
    path = out / "sources.csl.json"
    path.write_text(dumps([csl_item(s) for s in dataset.sources]), encoding="utf-8", newline="\n")
    return [path]
