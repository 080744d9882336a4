import csv
import json

import pytest

from azukr.export import FORMATS, export
from azukr.model import COLLECTIONS


def _no_floats(value):
    if isinstance(value, float):
        raise AssertionError(f"float in export: {value!r}")
    if isinstance(value, dict):
        for v in value.values():
            _no_floats(v)
    if isinstance(value, list):
        for v in value:
            _no_floats(v)


def test_json_has_no_floats_and_edtf_dates(ds, tmp_path):
    [path] = export(ds, "json", tmp_path)
    doc = json.loads(path.read_text("utf-8"))
    _no_floats(doc)
    assert doc["version"] == ds.version and doc["fingerprint"] == ds.fingerprint
    whole = next(a for a in doc["aid"] if a["id"] == "azerbaijan-aid-to-ukraine-2022-2025")
    assert whole["date"] == "2022-02/2025-04" and whole["amounts"][0]["amount"] == "40000000"


def test_jsonl_writes_one_line_per_record(ds, tmp_path):
    paths = export(ds, "jsonl", tmp_path)
    assert [p.name for p in paths] == [f"{c}.jsonl" for c in COLLECTIONS]
    assert len((tmp_path / "events.jsonl").read_text("utf-8").splitlines()) == len(ds.events)


def test_csv_has_a_header_and_a_row_per_record(ds, tmp_path):
    export(ds, "csv", tmp_path)
    with (tmp_path / "aid.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == list(ds.aid.ids())
    whole = next(r for r in rows if r["id"] == "azerbaijan-aid-to-ukraine-2022-2025")
    assert json.loads(whole["amounts"]) == [{"amount": "40000000", "currency": "USD", "qualifier": "at_least"}]


def test_datapackage_describes_every_csv_with_a_schema(ds, tmp_path):
    export(ds, "datapackage", tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert descriptor["version"] == ds.version
    for resource in descriptor["resources"]:
        header = (tmp_path / resource["path"]).read_text("utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert resource["schema"]["primaryKey"] == ["id"]
    types = {f["name"]: f["type"] for f in descriptor["resources"][2]["schema"]["fields"]}
    assert types["actors"] == "array" and types["date"] == "string"


def test_csl_json_lists_sources_without_guessing(ds, tmp_path):
    [path] = export(ds, "csl-json", tmp_path)
    items = {i["id"]: i for i in json.loads(path.read_text("utf-8"))}
    assert set(items) == set(ds.sources.ids())
    oc = items["oc-media-2022-02-28"]
    assert (oc["type"], oc["container-title"], oc["issued"]) == ("article-newspaper", "OC Media", {"date-parts": [[2022, 2, 28]]})
    assert items["bgr-email-2022-03-17"]["type"] == "personal_communication"
    assert "lobbying" in items["bgr-email-2022-03-17"]["note"]
    unknown = items["joint-declaration-signing-report"]
    assert "issued" not in unknown and "container-title" not in unknown and "author" not in unknown


def test_unknown_format_is_refused(ds, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export(ds, "xml", tmp_path)
    assert "csl-json" in FORMATS


def test_datapackage_passes_frictionless_validation(ds, tmp_path):
    import frictionless  # in the [test] extra: this is the contract's acceptance check

    export(ds, "datapackage", tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
