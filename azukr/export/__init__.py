"""Exporters: one module per format, and the registry ``{name: writer}`` the CLI uses.

A writer takes a dataset and an existing directory and returns the paths it wrote. In every
format dates are EDTF strings and amounts decimal strings, never floats.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..dataset import Dataset

Writer = Callable[["Dataset", Path], list[Path]]


def _writers() -> dict[str, Writer]:
    from . import csl, html, jsonfile, tables

    return {
        "json": jsonfile.write_json,
        "jsonl": jsonfile.write_jsonl,
        "csv": tables.write_csv,
        "datapackage": tables.write_datapackage,
        "csl-json": csl.write_csl_json,
        "html": html.write_html,
    }


FORMATS = ("json", "jsonl", "csv", "datapackage", "csl-json", "html")


#: the file an export leaves in its folder, listing what azukr wrote there: a later export may
#: replace those files, and only those, without ``force``
MARKER = ".azukr-export"
_STAGING = ".azukr-export-"


def _listed(target: Path) -> set[str] | None:
    """The files an earlier export wrote into ``target`` (from its marker), or None if the
    folder holds no earlier export."""
    marker = target / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def _real_folder(folder: Path, target: Path) -> None:
    """Make ``folder`` (inside ``target``) as real folders, refusing any link on the way."""
    for part in reversed([folder, *folder.parents]):
        if part == target or target not in part.parents:
            continue
        if part.is_symlink():
            raise ValueError(f"{part}: is a symbolic link; an export never writes through links")
        part.mkdir(exist_ok=True)


def export(dataset: Dataset, fmt: str, out: str | Path, *, force: bool = False) -> list[Path]:
    """Write ``dataset`` in format ``fmt`` into directory ``out`` (created if missing).

    A file already in ``out`` is replaced only if an earlier azukr export wrote it (the folder's
    ``.azukr-export`` lists those); any other file of the same name is an error, unless
    ``force``. Files are written into a
    temporary folder inside ``out`` and moved into place with ``os.replace``: a link in ``out``
    is replaced, never written through, and an export that fails leaves ``out`` as it was.
    """
    import shutil  # here, not at the top: the CLI imports this module for FORMATS alone
    import tempfile

    writers = _writers()
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if not str(out).strip():
        raise ValueError("--out: an empty path names no folder")
    target = Path(out)
    if target.is_symlink():
        raise ValueError(f"{out}: is a symbolic link; an export writes into a real folder, never through links")
    if target.exists() and not target.is_dir():
        raise ValueError(f"{out}: is not a folder")
    target.mkdir(parents=True, exist_ok=True)
    listed = _listed(target)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=target))
    try:
        written = writers[fmt](dataset, staging)
        files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file() and not p.is_symlink())
        for rel in files:
            destination = target / rel
            if not force and os.path.lexists(destination) and (listed is None or rel.as_posix() not in listed):
                raise ValueError(f"{destination}: exists and was not written by an earlier azukr export"
                                 f" (listed in {MARKER}); choose an empty folder, or pass --force to replace it")
        for rel in files:
            _real_folder((target / rel).parent, target)
            os.replace(staging / rel, target / rel)
        record = {"azukr": "export", "files": sorted((listed or set()) | {rel.as_posix() for rel in files})}
        marker = staging / MARKER
        marker.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        os.replace(marker, target / MARKER)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / p.relative_to(staging) for p in written]


def _single_file_texts() -> dict[str, Callable[["Dataset"], str]]:
    from . import csl, html, jsonfile

    return {
        "json": lambda ds: jsonfile.dumps(jsonfile.document(ds)),
        "csl-json": lambda ds: jsonfile.dumps([csl.csl_item(s) for s in ds.sources]),
        "html": html.render,
    }


def export_text(dataset: Dataset, fmt: str) -> str:
    """The export as one string, for the formats that are one file (``export --out -``)."""
    texts = _single_file_texts()
    if fmt not in texts:
        raise ValueError(f"{fmt!r} writes several files; give --out a folder (one-file formats: {', '.join(texts)})")
    return texts[fmt](dataset)

