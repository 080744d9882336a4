import json
import subprocess
import sys

import pytest

import azukr
from azukr.cli import main

RALLY = "events/baku-embassy-rally-2022-02-27.toml"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_timeline_lists_every_dated_record_in_order(capsys, ds):
    code, out, _ = run(capsys, "timeline")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(ds.timeline()) + 2 and lines[-1].startswith("marks: 1 = ")
    ids = [line.rsplit("[", 1)[1].rstrip("]") for line in lines[:-2]]
    assert ids == list(ds.timeline().ids())


def test_timeline_filters(capsys):
    code, out, _ = run(capsys, "timeline", "--since", "2025-04-09", "--until", "2025-04-09", "--involving", "Aliyev")
    assert code == 0 and "2025-04-09               events     1O   Aliyev rejects asking Ukraine to cede territory for peace" \
        "  [aliyev-baku-conference-statement-2025-04-09]" in out.splitlines()


def test_show_prints_the_canonical_file(capsys, ds):
    code, out, _ = run(capsys, "show", "baku-embassy-rally-2022-02-27")
    assert code == 0 and out.startswith(f"# {RALLY}\n") and 'kind = "rally"' in out


def test_unknown_id_is_one_line_on_stderr_without_traceback(capsys):
    code, out, err = run(capsys, "show", "nope")
    assert (code, out, err) == (2, "", "azukr: no record with id 'nope'\n")


def test_search_aid_sources_cite(capsys):
    assert "[azerbaijan-aid-to-ukraine-2022-2025]" in run(capsys, "search", "generators")[1]
    code, out, _ = run(capsys, "aid", "--currency", "USD")
    assert code == 0 and "\ntotal: at least " in out and "[azerbaijan-aid-to-ukraine-2022-2025]" in out
    assert "(BGR Government Affairs, LLC, 2022-03-17; lobbying; own outlet of Azerbaijan)" in run(capsys, "sources")[1]
    code, out, _ = run(capsys, "cite", "baku-embassy-rally-2022-02-27")
    assert "“Hundreds gathered outside the Ukrainian embassy" in out and "[oc-media-2022-02-28]" in out


def test_validate_lists_every_problem_and_exits_1(capsys, data_dir):
    assert run(capsys, "validate", str(data_dir))[0] == 0
    path = data_dir / RALLY
    path.write_text(path.read_text("utf-8").replace('"2022-02-27"', '"2022-13-01"'))
    other = data_dir / "events/zelensky-invites-aliyev-2021-12-15.toml"
    other.write_text(other.read_text("utf-8").replace('place = "brussels"', 'place = "x"'))
    code, out, err = run(capsys, "validate", str(data_dir))
    assert code == 1 and "2 problems" in err
    assert "events[baku-embassy-rally-2022-02-27].date: '2022-13-01' is not a valid date" in err
    assert "events[zelensky-invites-aliyev-2021-12-15].place: 'x' is not an id in actors" in err


def test_export_creates_the_out_directory(capsys, tmp_path):
    out_dir = tmp_path / "new" / "dir"
    code, out, _ = run(capsys, "export", "--format", "json", "--out", str(out_dir))
    assert code == 0 and (out_dir / "azukr.json").is_file()
    assert azukr.load(out_dir / "azukr.json") == azukr.load()


def test_export_reads_another_dataset_with_data(capsys, tmp_path, data_dir):
    (data_dir / "actors/kharkiv.toml").write_text('name = "Kharkiv"\nkind = "place"\n', "utf-8")
    run(capsys, "export", "--format", "jsonl", "--out", str(tmp_path), "--data", str(data_dir))
    lines = (tmp_path / "actors.jsonl").read_text("utf-8").splitlines()
    assert any(json.loads(line)["id"] == "kharkiv" for line in lines)


def test_diff_and_fmt(capsys, data_dir, tmp_path):
    assert run(capsys, "diff", str(data_dir), str(data_dir))[1].endswith("no changes\n")
    path = data_dir / RALLY
    path.write_text(path.read_text("utf-8").replace('kind = "rally"', "kind='rally'"))
    code, out, err = run(capsys, "fmt", "--check", str(data_dir))
    assert code == 1 and out == f"not canonical: {RALLY}\n" and "not in canonical form" in err
    assert run(capsys, "fmt", str(data_dir))[0] == 0
    assert run(capsys, "fmt", "--check", str(data_dir))[:2] == (0, "")


def test_version_prints_code_and_data_versions_and_fingerprint(capsys, ds):
    code, out, _ = run(capsys, "version")
    assert out.splitlines() == [f"azukr {azukr.__version__}", f"data {ds.version}", f"fingerprint {ds.fingerprint}"]


def test_bad_date_argument_is_an_error_message(capsys):
    code, _, err = run(capsys, "timeline", "--since", "yesterday")
    assert code == 2 and err == "azukr: 'yesterday' is not a valid date\n"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "xml", "--out", "x"])
    assert info.value.code == 2


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run([sys.executable, "-m", "azukr", "version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith(f"azukr {azukr.__version__}\n")


def test_cite_names_the_voice_of_each_source(capsys):
    code, out, _ = run(capsys, "cite", "azerbaijan-humanitarian-aid-to-2022-03-17")
    assert code == 0 and "lobbying; own outlet of Azerbaijan" in out
    assert "independent voice(s): BGR Group" in out


def test_timeline_marks_records_resting_on_one_lobbying_voice(capsys):
    code, out, _ = run(capsys, "timeline", "--since", "2022-03-17", "--until", "2022-03-17", "--involving", "BGR")
    line = next(x for x in out.splitlines() if "[bgr-email-on-azerbaijans-support-for-ukraine-2022-03-17]" in x)
    assert " 1LAZ " in line and out.rstrip().endswith("(see `azukr corroborate SOURCE_ID`)")


def test_corroborate_groups_the_lobbying_emails_claims_by_who_backs_them(capsys, ds):
    code, out, _ = run(capsys, "corroborate", "bgr-email-2022-03-17")
    assert code == 0 and out.startswith("Azerbaijan's Support for Ukraine (BGR Government Affairs, LLC")
    assert f"{len(ds.timeline().citing('bgr-email-2022-03-17'))} records cite it" in out
    alone = out.split("Resting on this source alone:")[1]
    assert "[blinken-thanks-aliyev-2022]" in alone
    assert run(capsys, "corroborate", "nope")[0] == 2


def test_disputes_and_show_list_the_disputes_about_a_record(capsys):
    code, out, _ = run(capsys, "disputes", "--about", "aliyev-visit-to-kyiv-2022-01-14")
    assert code == 0 and "- working visit" in out and "- official visit" in out
    code, out, _ = run(capsys, "show", "aliyev-visit-to-kyiv-2022-01-14")
    assert "# disputed: Was Aliyev's January 2022 trip to Kyiv a working visit or an official visit?" in out


def test_aid_currency_is_case_insensitive_and_an_unknown_one_is_an_error(capsys):
    assert run(capsys, "aid", "--currency", "usd")[1] == run(capsys, "aid", "--currency", "USD")[1]
    code, out, err = run(capsys, "aid", "--currency", "GBP")
    assert code == 2 and out == "" and "no aid amount is in 'GBP'; the data uses " in err and "USD" in err


def test_json_output_for_scripts(capsys, ds):
    code, out, _ = run(capsys, "timeline", "--json", "--kind", "vote", "--limit", "3")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 3 and all(r["kind"] == "vote" and r["collection"] == "events" for r in rows)
    assert all({"voices", "disputes", "marks", "citations", "date"} <= set(r) for r in rows)
    code, out, _ = run(capsys, "show", "aliyev-visit-to-kyiv-2022-01-14", "--json")
    record = json.loads(out)
    assert record["disputes"] == [d.id for d in ds.disputes_about("aliyev-visit-to-kyiv-2022-01-14")]
    code, out, _ = run(capsys, "aid", "--json")
    total = json.loads(out)["total"]
    assert total["currency"] == "USD" and total["high"] is None and isinstance(total["low"], str)
    code, out, _ = run(capsys, "corroborate", "bgr-email-2022-03-17", "--json")
    verdicts = {r["id"]: r["verdict"] for r in json.loads(out)["records"]}
    assert verdicts["blinken-thanks-aliyev-2022"] == "alone"
    code, out, _ = run(capsys, "cite", "baku-embassy-rally-2022-02-27", "--json")
    assert json.loads(out)["citations"][0]["source"]["kind"] == "news"
    for command in (["disputes", "--json"], ["sources", "--json"], ["search", "Irpin", "--json"]):
        code, out, _ = run(capsys, *command)
        assert code == 0 and all(json.loads(line)["id"] for line in out.splitlines())


def test_search_exit_codes_and_diff_exit_code(capsys, data_dir):
    assert run(capsys, "search", "Irpin")[0] == 0
    assert run(capsys, "search", "no such words anywhere")[0] == 1
    assert run(capsys, "diff", str(data_dir), str(data_dir), "--exit-code")[0] == 0
    (data_dir / "events/zelensky-invites-aliyev-2021-12-15.toml").unlink()
    assert run(capsys, "diff", str(data_dir), str(data_dir.parent / "data"), "--exit-code")[0] == 0
    from azukr.loader import shipped_root

    assert run(capsys, "diff", str(shipped_root()), str(data_dir), "--exit-code")[0] == 1
    assert run(capsys, "diff", str(shipped_root()), str(data_dir))[0] == 0


def test_export_to_standard_output(capsys, ds):
    code, out, _ = run(capsys, "export", "--format", "json", "--out", "-")
    assert code == 0 and json.loads(out)["fingerprint"] == ds.fingerprint
    code, out, _ = run(capsys, "export", "--format", "csl-json", "--out", "-")
    assert code == 0 and len(json.loads(out)) == len(ds.sources)
    code, out, err = run(capsys, "export", "--format", "csv", "--out", "-")
    assert code == 2 and out == "" and "writes several files" in err


def test_limit_must_be_a_whole_number(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["timeline", "--limit", "-1"])
    assert exit_.value.code == 2
