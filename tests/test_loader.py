import json
import subprocess
import sys
from pathlib import Path

import pytest

import azukr
from azukr import DataError, Event, PartialDate, Problem

RALLY = "events/baku-embassy-rally-2022-02-27.toml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_import_reads_nothing_and_imports_no_submodule():
    code = (
        "import sys, builtins; opened = []; real = builtins.open\n"
        "builtins.open = lambda *a, **k: (opened.append(a[0]), real(*a, **k))[1]\n"
        "import azukr\n"
        "print(sorted(m for m in sys.modules if m.startswith('azukr')), len(opened))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['azukr'] 0"


def test_load_gives_typed_records(ds):
    assert ds.version == azukr.load().version
    assert all(isinstance(e, Event) and isinstance(e.date, PartialDate) for e in ds.events)
    assert len(ds.events) > 0 and len(ds.aid) > 0 and len(ds.agreements) > 0


def test_shipped_dataset_is_cached_and_paths_are_loaded_fresh(data_dir):
    assert azukr.load() is azukr.load()
    assert azukr.load(data_dir) is not azukr.load(data_dir)
    assert azukr.load(data_dir) == azukr.load()


def test_clear_cache_reloads():
    first = azukr.load()
    azukr.clear_cache()
    assert azukr.load() is not first and azukr.load() == first


def test_bad_date_names_file_record_and_field(data_dir):
    _edit(data_dir / RALLY, 'date = "2022-02-27"', 'date = "2022-13-01"')
    with pytest.raises(DataError) as info:
        azukr.load(data_dir)
    [problem] = info.value.errors
    assert problem == Problem(
        file=RALLY, record="baku-embassy-rally-2022-02-27",
        field="events[baku-embassy-rally-2022-02-27].date", message="'2022-13-01' is not a valid date",
    )
    assert str(problem) == f"{RALLY}: events[baku-embassy-rally-2022-02-27].date: '2022-13-01' is not a valid date"
    assert isinstance(info.value, ValueError)


def test_every_problem_is_collected_not_only_the_first(data_dir):
    _edit(data_dir / RALLY, 'date = "2022-02-27"', 'date = "someday"\nmood = "angry"')
    _edit(data_dir / "aid/azerbaijan-aid-to-ukraine-2022-2025.toml", 'amount = "40000000"', "amount = 40000000.0")
    (data_dir / "events/broken.toml").write_text("title = [unclosed", "utf-8")
    problems = azukr.validate(data_dir)
    fields = {(p.file, p.field) for p in problems}
    assert (RALLY, "events[baku-embassy-rally-2022-02-27].date") in fields
    assert (RALLY, "events[baku-embassy-rally-2022-02-27].mood") in fields
    assert ("aid/azerbaijan-aid-to-ukraine-2022-2025.toml",
            "aid[azerbaijan-aid-to-ukraine-2022-2025].amounts[0].amount") in fields
    assert any(p.file == "events/broken.toml" and "TOML" in p.message for p in problems)
    with pytest.raises(DataError) as info:
        azukr.load(data_dir)
    assert info.value.errors == problems


def test_missing_required_field_is_named(data_dir):
    _edit(data_dir / RALLY, 'kind = "rally"\n', "")
    [problem] = azukr.validate(data_dir)
    assert (problem.field, problem.message) == ("events[baku-embassy-rally-2022-02-27].kind", "missing required field")


def test_a_bare_string_is_not_split_into_a_list(data_dir):
    _edit(data_dir / RALLY, 'actors = ["azerbaijani-activists", "embassy-of-ukraine-in-azerbaijan"]',
          'actors = "azerbaijani-activists"')
    [problem] = azukr.validate(data_dir)
    assert problem.field.endswith(".actors") and "must be a list" in problem.message


def test_unresolved_references_are_reported(data_dir):
    _edit(data_dir / RALLY, 'place = "baku"', 'place = "bakuu"')
    _edit(data_dir / RALLY, 'source = "oc-media-2022-02-28"', 'source = "oc-media"')
    messages = {(p.field, p.message) for p in azukr.validate(data_dir)}
    assert ("events[baku-embassy-rally-2022-02-27].place", "'bakuu' is not an id in actors") in messages
    assert ("events[baku-embassy-rally-2022-02-27].citations[0].source", "'oc-media' is not an id in sources") in messages


def test_a_reference_to_the_wrong_collection_is_reported(data_dir):
    _edit(data_dir / RALLY, 'place = "baku"', 'place = "oc-media-2022-02-28"')
    [problem] = azukr.validate(data_dir)
    assert problem.message == "'oc-media-2022-02-28' is not an id in actors"


def test_file_must_not_repeat_its_id(data_dir):
    _edit(data_dir / RALLY, 'date = ', 'id = "baku-embassy-rally-2022-02-27"\ndate = ')
    [problem] = azukr.validate(data_dir)
    assert "file name is the id" in problem.message


def test_ids_are_unique_across_collections(data_dir):
    (data_dir / "actors/baku-embassy-rally-2022-02-27.toml").write_text('name = "X"\nkind = "place"\n', "utf-8")
    assert any("already used" in p.message for p in azukr.validate(data_dir))


def test_bad_file_name_is_reported(data_dir):
    (data_dir / RALLY).rename(data_dir / "events/Baku_Rally.toml")
    problems = azukr.validate(data_dir)
    assert any(p.file == "events/Baku_Rally.toml" and "not a valid id" in p.message for p in problems)


def test_part_of_cycle_is_reported(data_dir):
    whole = data_dir / "aid/azerbaijan-aid-to-ukraine-2022-2025.toml"
    _edit(whole, 'status = "reported"', 'status = "reported"\npart_of = "azerbaijan-humanitarian-aid-to-2022-03-17"')
    assert any("cycle" in p.message for p in azukr.validate(data_dir))


def test_alias_naming_two_actors_is_reported(data_dir):
    _edit(data_dir / "actors/baku.toml", 'name = "Baku"', 'name = "Baku"\naliases = ["Kiev"]')
    assert any("already names actor" in p.message for p in azukr.validate(data_dir))


def test_retired_ids_are_not_reused_and_references_to_them_say_so(data_dir):
    (data_dir / "retired.toml").write_text(
        '[baku]\nretired = 2026-11-23\nreason = "merged"\nreplaced_by = "kyiv"\n', "utf-8")
    messages = [p.message for p in azukr.validate(data_dir)]
    assert any("was retired (merged) and may not be reused" in m for m in messages)
    (data_dir / "actors/baku.toml").unlink()
    messages = [p.message for p in azukr.validate(data_dir)]
    assert "refers to retired id 'baku'; use 'kyiv'" in messages


def test_unknown_kind_and_status_are_refused(data_dir):
    _edit(data_dir / "sources/oc-media-2022-02-28.toml", 'kind = "news"', 'kind = "blog"')
    _edit(data_dir / "aid/azerbaijan-aid-to-ukraine-2022-2025.toml", 'status = "reported"', 'status = "promised"')
    messages = {p.field: p.message for p in azukr.validate(data_dir)}
    assert "'blog' is not one of news" in messages["sources[oc-media-2022-02-28].kind"]
    assert "'promised' is not one of committed" in messages["aid[azerbaijan-aid-to-ukraine-2022-2025].status"]


def test_supports_must_name_fields_of_the_record(data_dir):
    _edit(data_dir / RALLY, 'supports = ["date", "place"]', 'supports = ["dat", "place"]')
    [problem] = azukr.validate(data_dir)
    assert problem.field == "events[baku-embassy-rally-2022-02-27].citations[0].supports"
    assert problem.message.startswith("'dat' is not a field of Event")


def test_cited_records_need_a_citation(data_dir):
    path = data_dir / "events/zelensky-invites-aliyev-2021-12-15.toml"
    path.write_text(path.read_text("utf-8").split("[[citations]]")[0], "utf-8")
    [problem] = azukr.validate(data_dir)
    assert problem.message == "at least one citation is required"


def test_missing_directory_is_a_problem_not_a_traceback(tmp_path):
    [problem] = azukr.validate(tmp_path / "nowhere")
    assert "no such data directory" in problem.message


def test_json_export_loads_back_to_an_equal_dataset(ds, tmp_path):
    from azukr.export import export

    [path] = export(ds, "json", tmp_path)
    again = azukr.load(path)
    assert again == ds and again.fingerprint == ds.fingerprint
    assert again.events.to_records() == ds.events.to_records()


def test_json_export_keeps_tombstones(data_dir, tmp_path):
    from azukr.export import export

    (data_dir / "retired.toml").write_text('[old-id]\nretired = 2026-11-23\nreason = "split"\n', "utf-8")
    ds = azukr.load(data_dir)
    [path] = export(ds, "json", tmp_path)
    again = azukr.load(path)
    assert again == ds and again.retired == ds.retired


def test_a_record_that_is_not_a_table_is_reported(data_dir):
    path = data_dir / "events/zelensky-invites-aliyev-2021-12-15.toml"
    path.write_text(path.read_text("utf-8").split("[[citations]]")[0] + 'citations = ["oc-media"]\n', "utf-8")
    messages = {p.field: p.message for p in azukr.validate(data_dir)}
    assert messages["events[zelensky-invites-aliyev-2021-12-15].citations[0]"] == "'oc-media' must be a table"


def test_bad_json_export_is_reported(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"events": [{"id": "e", "date": 2022}]}), "utf-8")
    problems = azukr.validate(path)
    assert {p.field for p in problems} >= {"events[e].date", "events[e].title"}
    path.write_text(json.dumps({"events": {"e": {}}}), "utf-8")
    assert [(p.field, p.message) for p in azukr.validate(path)] == [("events", "must be a list of records")]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_load_leaves_the_garbage_collector_as_it_found_it(tmp_path, enabled):
    import gc

    broken = tmp_path / "not-data"
    broken.mkdir()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        azukr.load(cache=False)
        with pytest.raises(azukr.DataError):
            azukr.load(broken)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
