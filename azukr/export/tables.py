"""CSV (one file per collection) and a Frictionless Data Package of those CSVs with a Table Schema.

Scalar fields are plain cells (dates as EDTF text, typed ``string`` with a description, since
Table Schema has no EDTF type; a tombstone's ``retired`` day is typed ``date``); lists and nested
records (actors, citations, amounts) are JSON in the cell, typed ``array`` in the schema, as
Table Schema allows, and each such field's description says so.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .. import _convert
from ..model import COLLECTIONS, Tombstone
from .jsonfile import dumps

if TYPE_CHECKING:
    from ..dataset import Dataset

_DESCRIPTIONS = {
    "date": "EDTF date or interval at the precision the source gives",
    "signed": "EDTF date or interval at the precision the source gives",
    "published": "EDTF date at the precision the document gives",
    "citations": "JSON array of {source, quote, claim, locator, supports, note}; a quote is verbatim from an"
                 " archived source, a claim is the source's statement in the dataset's own words",
    "positions": "JSON array of {value, citations}: each answer to the disputed question with its citations",
    "about": "JSON array of the ids of the events, agreements or aid records the dispute is about",
    "affiliation": "JSON array of actor ids whose own voice the source is (state outlets, paid agents' clients)",
    "relays": "JSON array of actor ids whose statement the source passes on",
    "amounts": "JSON array of {amount (decimal string), currency (ISO 4217), qualifier}",
    "items": "JSON array of {value (decimal string), unit, qualifier}",
    "actors": "JSON array of actor ids",
    "parties": "JSON array of actor ids",
    "signatories": "JSON array of actor ids",
    "channel": "JSON array of actor ids: through whom the aid went",
    "aliases": "JSON array of strings: every spelling and script the sources use",
    "provisions": "JSON array of strings",
    "retired": "the day the id was retired (ISO 8601 date)",
}
#: for an array field without a description of its own
_ARRAY = "JSON array in the cell"
#: the descriptor's ``licenses``: the data's first, then the code's
LICENSES = [
    {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
     "title": "Facts and claims: CC-BY-4.0; quotes are short excerpts kept for verification"},
    {"name": "MIT", "path": "https://opensource.org/license/mit", "title": "Code (the azukr package): MIT"},
]


def _columns(cls: type) -> list[tuple[str, str]]:
    hints = typing.get_type_hints(cls)
    return [
        (f.name, "array" if typing.get_origin(hints[f.name]) is tuple
         else "date" if hints[f.name] is datetime.date else "string")
        for f in attrs.fields(cls)
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _tables(dataset: Dataset) -> dict[str, tuple[type, list[dict[str, Any]]]]:
    tables = {c: (cls, getattr(dataset, c).to_records()) for c, cls in COLLECTIONS.items()}
    stones = sorted(dataset.retired.values(), key=lambda s: s.id)
    tables["retired"] = (Tombstone, [_convert.unstructure(s) for s in stones])
    return tables


def _csv_text(cls: type, rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [name for name, _ in _columns(cls)]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return buffer.getvalue()


def write_csv(dataset: Dataset, out: Path) -> list[Path]:
    return _write_csvs(_tables(dataset), out)


def _write_csvs(tables: dict[str, tuple[type, list[dict[str, Any]]]], out: Path) -> list[Path]:
    written = []
    for name, (cls, rows) in tables.items():
        path = out / f"{name}.csv"
        path.write_text(_csv_text(cls, rows), encoding="utf-8", newline="")
        written.append(path)
    return written


def _schema(cls: type) -> dict[str, Any]:
    fields = []
    for name, type_ in _columns(cls):
        field: dict[str, Any] = {"name": name, "type": type_}
        if name in _DESCRIPTIONS or type_ == "array":
            field["description"] = _DESCRIPTIONS.get(name, _ARRAY)
        if name == "id":
            field["constraints"] = {"required": True, "unique": True}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": ["id"]}
    keys = [
        {"fields": f.name, "reference": {"resource": f.metadata["ref"], "fields": "id"}}
        for f in attrs.fields(cls)
        if isinstance(f.metadata.get("ref"), str) and dict(_columns(cls))[f.name] == "string"
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def write_datapackage(dataset: Dataset, out: Path) -> list[Path]:
    """``datapackage.json`` and one CSV per collection, valid under ``frictionless validate``."""
    tables = _tables(dataset)
    written = _write_csvs(tables, out)
    descriptor = {
        "name": "azukr",
        "title": "azukr: Azerbaijan–Ukraine relations, with a verbatim citation for every fact",
        "version": dataset.version,
        "description": f"Data version {dataset.version}, fingerprint {dataset.fingerprint}.",
        "licenses": LICENSES,
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(cls),
            }
            for name, (cls, _) in tables.items()
        ],
    }
    path = out / "datapackage.json"
    path.write_text(dumps(descriptor), encoding="utf-8", newline="\n")
    return [path, *written]
