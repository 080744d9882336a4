import json
import tomllib

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import given

import azukr
from azukr._convert import unstructure
from azukr.versioning import fmt, record_text

from .strategies import event_datasets

RALLY = "events/baku-embassy-rally-2022-02-27.toml"


def test_shipped_data_is_canonical(data_dir):
    assert fmt(data_dir, check=True) == []


def test_fmt_check_lists_and_fmt_rewrites_non_canonical_files(data_dir):
    path = data_dir / RALLY
    original = path.read_text("utf-8")
    moved = original.replace('kind = "rally"\n', "").replace("\n\n", "\n\n\n")
    path.write_text('kind = "rally"  # moved, with a comment\n' + moved, "utf-8")
    assert fmt(data_dir, check=True) == [RALLY]
    assert path.read_text("utf-8") != original  # check does not write
    assert fmt(data_dir) == [RALLY]
    assert path.read_text("utf-8") == original
    assert fmt(data_dir, check=True) == []


def test_reformatting_keeps_data_and_fingerprint(data_dir):
    before = azukr.load(data_dir)
    path = data_dir / RALLY
    path.write_text(path.read_text("utf-8").replace('kind = "rally"', "kind      =   'rally'"), "utf-8")
    assert azukr.load(data_dir).fingerprint == before.fingerprint
    fmt(data_dir)
    assert azukr.load(data_dir) == before


@given(event_datasets())
def test_canonical_text_round_trips_through_toml(raw):
    from azukr import _convert

    for event in raw.records["events"]:
        text = record_text(event)
        again = _convert.structure({**tomllib.loads(text), "id": event.id}, type(event))
        assert again == event and record_text(again) == text


def test_diff_reports_added_removed_and_changed_fields(data_dir, ds):
    (data_dir / "events/zelensky-invites-aliyev-2021-12-15.toml").unlink()
    path = data_dir / RALLY
    path.write_text(path.read_text("utf-8").replace('date = "2022-02-27"', 'date = "2022-02"'), "utf-8")
    (data_dir / "actors/zz-test-place.toml").write_text('name = "Test place"\nkind = "place"\n', "utf-8")
    diff = ds.diff(azukr.load(data_dir))
    assert [r.id for r in diff.added] == ["zz-test-place"]
    assert [r.id for r in diff.removed] == ["zelensky-invites-aliyev-2021-12-15"]
    assert [(c.id, c.field, c.old, c.new) for c in diff.changed] == [
        ("baku-embassy-rally-2022-02-27", "date", "2022-02-27", "2022-02")]
    report = str(diff)
    assert "+ actors/zz-test-place" in report and "- events/zelensky-invites-aliyev-2021-12-15" in report
    assert "~ baku-embassy-rally-2022-02-27.date: '2022-02-27' -> '2022-02'" in report


def test_equal_data_has_an_empty_falsy_diff(ds, data_dir):
    diff = ds.diff(azukr.load(data_dir))
    assert not diff and diff.added == diff.removed == diff.changed == ()
    assert str(diff).endswith("no changes")


# -- the fingerprint: from records, from an export's rows, and azukr 0.2's ------------------------


@given(event_datasets())
def test_fingerprint_of_rows_equals_fingerprint_of_records(raw):
    from azukr.versioning import fingerprint, fingerprint_rows

    rows = {c: [unstructure(r) for r in records] for c, records in raw.records.items()}
    assert fingerprint_rows(rows, []) == fingerprint(raw.records, ())


@given(event_datasets(), st.data())
def test_fingerprint_changes_with_any_event_and_not_with_order(raw, data):
    from azukr.versioning import fingerprint

    events = list(raw.records["events"])
    shuffled = data.draw(st.permutations(events))
    assert fingerprint({**raw.records, "events": shuffled}, ()) == fingerprint(raw.records, ())
    if events:
        changed = attrs.evolve(events[0], title=events[0].title + " (edited)")
        assert fingerprint({**raw.records, "events": [changed, *events[1:]]}, ()) != fingerprint(raw.records, ())


def _export_document(ds):
    from azukr.export.jsonfile import document

    return json.loads(json.dumps(document(ds)))


def test_an_export_written_by_azukr_0_2_still_loads_and_an_edited_one_does_not(tmp_path, ds):
    from azukr.versioning import fingerprint_0_2

    doc = _export_document(ds)
    doc["fingerprint"] = fingerprint_0_2(ds.raw.records, ds.raw.retired)
    path = tmp_path / "azukr.json"
    path.write_text(json.dumps(doc), "utf-8")
    again = azukr.load(path)
    assert again == ds and again.fingerprint == ds.fingerprint != doc["fingerprint"]
    doc["events"][0]["title"] = "Edited by hand"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(azukr.DataError, match="fingerprint"):
        azukr.load(path)


def test_an_export_with_rows_in_another_form_is_checked_against_its_records(tmp_path, ds):
    """Rows that structure to the same records (here: a default field left out) are not the
    rows the export wrote: the quick row hash misses, and the records decide."""
    doc = _export_document(ds)
    row = next(r for r in doc["events"] if r.get("place") is None and "place" in r)
    del row["place"]
    path = tmp_path / "azukr.json"
    path.write_text(json.dumps(doc), "utf-8")
    assert azukr.load(path).fingerprint == ds.fingerprint


@given(event_datasets(), st.randoms())
def test_rows_with_keys_out_of_order_never_pass_for_sorted_ones(raw, rng):
    """The quick row hash trusts an export's sorted keys: rows in that form hash as the records
    do; shuffled keys hash differently (so the records decide), and the full sort fixes them."""
    from azukr.versioning import fingerprint, fingerprint_rows

    expected = fingerprint(raw.records, ())
    rows = {c: [json.loads(json.dumps(unstructure(r), sort_keys=True)) for r in records]
            for c, records in raw.records.items()}
    assert fingerprint_rows(rows, [], keys_sorted=True) == expected
    shuffled = {c: [dict(rng.sample(list(row.items()), len(row))) for row in found] for c, found in rows.items()}
    in_order = all(list(row) == sorted(row) for found in shuffled.values() for row in found)
    assert (fingerprint_rows(shuffled, [], keys_sorted=True) == expected) == in_order
    assert fingerprint_rows(shuffled, []) == expected
