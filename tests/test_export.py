import csv
import json

import attrs
import pytest

from azukr import PartialDate
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
    assert [p.name for p in paths] == [*(f"{c}.jsonl" for c in COLLECTIONS), "retired.jsonl"]
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


# ---- exports other tools read fully (issue 18) -------------------------------------------------


def test_datapackage_has_licenses_dates_and_described_json_cells(ds, tmp_path):
    export(ds, "datapackage", tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    licenses = {entry["name"]: entry for entry in descriptor["licenses"]}
    assert set(licenses) == {"CC-BY-4.0", "MIT"}
    assert all(set(entry) == {"name", "path", "title"} for entry in licenses.values())
    assert "quotes are short excerpts kept for verification" in licenses["CC-BY-4.0"]["title"]
    schemas = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    assert schemas["retired"]["retired"]["type"] == "date"
    for collection, name in (("events", "date"), ("agreements", "signed"), ("aid", "date"), ("sources", "published")):
        field = schemas[collection][name]
        assert field["type"] == "string" and "format" not in field and "EDTF" in field["description"]
    for fields in schemas.values():
        for field in fields.values():
            if field["type"] == "array":
                assert "JSON array" in field["description"], field


def test_jsonl_carries_the_tombstones(ds, tmp_path):
    export(ds, "jsonl", tmp_path)
    rows = [json.loads(line) for line in (tmp_path / "retired.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == sorted(ds.retired)
    for row in rows:
        stone = ds.retired[row["id"]]
        assert row["retired"] == stone.retired.isoformat() and row["reason"] == stone.reason


def test_csv_retired_day_is_an_iso_date(ds, tmp_path):
    export(ds, "csv", tmp_path)
    with (tmp_path / "retired.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"]: r["retired"] for r in rows} == {k: v.retired.isoformat() for k, v in ds.retired.items()}


def test_csl_json_reads_people_urls_dates_and_publishers(ds, tmp_path):
    from azukr.export.csl import authors, csl_item

    [path] = export(ds, "csl-json", tmp_path)
    items = {i["id"]: i for i in json.loads(path.read_text("utf-8"))}
    email = items["bgr-email-2022-03-17"]
    assert email["author"] == [{"family": "Tavlarides", "given": "Mark J."}]
    assert email["publisher"] == ds.sources["bgr-email-2022-03-17"].publisher
    assert email["issued"] == {"date-parts": [[2022, 3, 17]]}
    oc = items["oc-media-2022-02-28"]
    assert oc.get("URL") == ds.sources["oc-media-2022-02-28"].url and oc["language"] == "en"
    linked = next(s for s in ds.sources if s.url)
    assert items[linked.id]["URL"] == linked.url
    assert oc["publisher"] == oc["container-title"] == "OC Media"
    for source in ds.sources:
        item = items[source.id]
        assert item.get("URL") == source.url and item["language"] == source.language
        if source.published is not None and source.published.precision == "year" and not source.published.is_interval:
            assert item["issued"]["date-parts"] == [[source.published.earliest.year]]
    assert authors("Editorial") == [{"literal": "Editorial"}]
    assert authors("Messenger Staff") == [{"literal": "Messenger Staff"}]
    assert authors("Ministry of Foreign Affairs of Ukraine") == [{"literal": "Ministry of Foreign Affairs of Ukraine"}]
    assert authors("Sevindzh Abdullayeva, Viktor Shulman") == [
        {"family": "Abdullayeva", "given": "Sevindzh"}, {"family": "Shulman", "given": "Viktor"}]
    assert authors("Чекаленко Л. Д.") == [{"family": "Чекаленко", "given": "Л. Д."}]
    assert authors("Ludwig van Beethoven") == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}]
    approximate = csl_item(attrs.evolve(ds.sources["oc-media-2022-02-28"], published=PartialDate.parse("2022~")))
    assert approximate["issued"] == {"date-parts": [[2022]], "circa": True}
    span = csl_item(attrs.evolve(ds.sources["oc-media-2022-02-28"], published=PartialDate.parse("2022-02/2022-03")))
    assert span["issued"] == {"date-parts": [[2022, 2], [2022, 3]]}


def _harvard() -> object:
    from citeproc import CitationStylesStyle

    for name in ("harvard1", "harvard-cite-them-right"):  # the bundled Harvard style, by release
        try:
            return CitationStylesStyle(name, validate=False)
        except ValueError:
            continue
    pytest.skip("citeproc-py bundles no Harvard style")


def test_csl_json_renders_with_citeproc_sorted_by_family_name(ds, tmp_path):
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    [path] = export(ds, "csl-json", tmp_path)
    items = json.loads(path.read_text("utf-8"))
    bibliography = citeproc.CitationStylesBibliography(_harvard(), CiteProcJSON(items), citeproc.formatter.plain)
    for item in items:
        bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    bibliography.sort()
    entries = [str(entry) for entry in bibliography.bibliography()]
    assert len(entries) == len(items)
    assert any(entry.startswith("Tavlarides, M.J. (2022)") for entry in entries), entries
    by_id = {item["id"]: item for item in items}
    families = [by_id[ref.key]["author"][0]["family"] for ref in bibliography.items
                if "family" in by_id[ref.key].get("author", [{}])[0]]
    assert len(families) > 10 and families == sorted(families)
