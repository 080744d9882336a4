import tomllib

from hypothesis import given

import azukr
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
