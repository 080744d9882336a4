"""Issue 17: input that passed validation and then crashed, writers that lost data, data that
was skipped or accepted without a word, a cached dataset its users could change, CLI details.

Each case is one parameter of a test per class: syntax, schema, references, file system,
writers, immutability, CLI; then a mutation fuzz over a small data folder."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import azukr
from azukr import DataError, PartialDate, Problem
from azukr import cli, loader
from azukr.dataset import Dataset
from azukr.export import MARKER, export
from azukr.versioning import fmt

from .strategies import mini_data

EVENT = "events/rally.toml"
SOURCE = "sources/paper.toml"
ARCHIVED = "sources/archived.toml"
AID = "aid/fuel.toml"
AGREEMENT = "agreements/declaration.toml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _problems(path: Path | str) -> list[Problem]:
    """The problems ``validate`` reports; ``load`` must raise DataError with the same ones."""
    problems = azukr.validate(path)
    if problems:
        with pytest.raises(DataError) as info:
            azukr.load(path)
        assert info.value.errors == problems
    return problems


def _one(problems: list[Problem], file: str, text: str) -> Problem:
    found = [p for p in problems if p.file == file and text in str(p)]
    assert found, f"no problem in {file} mentioning {text!r}: {[str(p) for p in problems]}"
    return found[0]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small valid data folder: fast to read, and every file a test may break."""
    return mini_data(tmp_path / "mini")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_mini_folder_is_valid_and_canonical(mini):
    assert azukr.validate(mini) == []
    assert fmt(mini, check=True) == []
    assert len(azukr.load(mini)) == 11


# -- syntax: dates, decimals, nesting ------------------------------------------------------

BAD_DATES = ["2022-00", "2022-00-00", "2022-01-00", "２０２２-０２-２７", "2022-02-2٧", "2022-02-27/2022-00",
             "0000", "2022-02-27\x00", "\u202e2022"]


@pytest.mark.parametrize("text", BAD_DATES)
def test_syntax_partial_date_refuses(text):
    with pytest.raises(ValueError, match="is not a valid date"):
        PartialDate.parse(text)


@pytest.mark.parametrize(("file", "field", "old"), [
    (EVENT, "date", 'date = "2022-02-27"'),
    (SOURCE, "published", 'published = "2022-02-28"'),
    (AGREEMENT, "signed", 'signed = "2022-01-14"'),
])
@pytest.mark.parametrize("text", ["2022-00", "2022-00-00", "2022-01-00", "２０２２-０２-２７"])
def test_syntax_every_date_field_refuses_month_or_day_00_and_non_ascii_digits(mini, file, field, old, text):
    _edit(mini / file, old, f'{field} = "{text}"')
    problem = _one(_problems(mini), file, "valid date")
    assert problem.field is not None and problem.field.endswith(f".{field}")


@pytest.mark.parametrize("command", ["validate", "fmt"])
def test_syntax_deeply_nested_toml_is_a_problem_not_a_recursion_error(capsys, mini, command):
    (mini / EVENT).write_text((mini / EVENT).read_text("utf-8") + "x = " + "[" * 500 + "]" * 500 + "\n", "utf-8")
    _one(_problems(mini), EVENT, "")
    argv = ["fmt", "--check", str(mini)] if command == "fmt" else ["validate", str(mini)]
    code, _, err = run(capsys, *argv)
    assert code == 1 and EVENT in err and "Traceback" not in err


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    '{"version": "x", "actors": ' + "[" * 500 + "]" * 500 + "}",
    '{"version": "x", "actors": [], "n": ' + "1" * 5000 + "}",
    '{"version": "x", "actors": [{"id": "a", "name": ' + "[" * 60 + "]" * 60 + "}]}",
    b'{"version": "\xff"}',
])
def test_syntax_hostile_json_export_is_a_problem(tmp_path, body):
    path = tmp_path / "azukr.json"
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    problems = _problems(path)
    assert problems and all(p.file == "azukr.json" for p in problems)


@pytest.mark.parametrize("amount", ["1E+1000000", "NaN", "Infinity", "-5", "١٢", "1e3", " 5", "5.", "0x10",
                                    "1" * 19, "0.0000000001"])
def test_syntax_amount_must_be_a_plain_decimal(capsys, mini, amount):
    _edit(mini / AID, 'amount = "1000000"', f'amount = "{amount}"')
    _one(_problems(mini), AID, "amounts[0].amount")
    code, _, err = run(capsys, "aid", "--data", str(mini))
    assert code == 1 and AID in err


# -- schema: empty, control and hidden characters, language, archive ------------------------

@pytest.mark.parametrize(("file", "old", "new", "field"), [
    (EVENT, 'title = "A rally"', 'title = ""', "title"),
    (SOURCE, 'title = "A paper"', 'title = ""', "title"),
    (SOURCE, 'publisher = "A publisher"', 'publisher = ""', "publisher"),
    (SOURCE, 'publisher = "A publisher"', 'publisher = "A publisher"\nauthor = " "', "author"),
    (SOURCE, 'language = "en"', 'language = ""', "language"),
    (SOURCE, 'language = "en"', 'language = "english"', "language"),
    (SOURCE, 'language = "en"', 'language = "e n"', "language"),
    (ARCHIVED, 'archive = "001.txt"', 'archive = "../../../etc/passwd"', "archive"),
    (ARCHIVED, 'archive = "001.txt"', 'archive = "/etc/passwd"', "archive"),
    (ARCHIVED, 'archive = "001.txt"', 'archive = "sub/001.txt"', "archive"),
    (ARCHIVED, 'archive = "001.txt"', 'archive = ".hidden"', "archive"),
    (ARCHIVED, 'archive = "001.txt"', 'archive = ""', "archive"),
    ("actors/baku.toml", 'aliases = ["Baki"]', 'aliases = ["Baki", ""]', "aliases[1]"),
    ("actors/baku.toml", 'name = "Baku"', 'name = "Ba\\u0000ku"', "name"),
    ("actors/baku.toml", 'name = "Baku"', 'name = "Baku\\nkyiv"', "name"),
    ("actors/baku.toml", 'aliases = ["Baki"]', 'aliases = ["Ba\u202eki"]', "aliases[0]"),
    (EVENT, 'title = "A rally"', 'title = "A \\u001b[31mrally"', "title"),
    (EVENT, 'title = "A rally"', 'title = "A rally\\n2022-01-01  events  forged"', "title"),
    (EVENT, 'title = "A rally"', 'title = "A\\u0085rally"', "title"),
    (EVENT, 'title = "A rally"', 'title = "A\u2028rally"', "title"),
    (EVENT, 'claim = "A claim in our own words."', 'claim = "\ufeffA claim."', "citations[0].claim"),
    (ARCHIVED, 'title = "An archived text"', 'title = "An \u202earchived text"', "title"),
    ("events/quoted.toml", 'quote = "Words as printed."', 'quote = "Words\\u0000 as printed."', "citations[0].quote"),
    (AID, 'unit = "generators"', 'unit = ""', "items[0].unit"),
    ("disputes/when.toml", 'field = "date"', 'field = ""', "field"),
    (AGREEMENT, 'provisions = ["Friendship"]', 'provisions = [""]', "provisions[0]"),
])
def test_schema_refuses(mini, file, old, new, field):
    _edit(mini / file, old, new)
    problem = _one(_problems(mini), file, "")
    assert problem.field is not None and problem.field.endswith(f"].{field}"), problem


@pytest.mark.parametrize("tag", ["en", "az", "az-Latn", "az-Cyrl-AZ", "zh-Hant-TW", "de-CH-1996", "en-GB", "es-419",
                                 "x-klingon", "sr-Latn-RS"])
def test_schema_accepts_bcp47_language_tags(mini, tag):
    _edit(mini / SOURCE, 'language = "en"', f'language = "{tag}"')
    assert _problems(mini) == []


def test_schema_json_export_goes_through_the_same_checks(tmp_path, mini):
    [path] = export(azukr.load(mini), "json", tmp_path / "out")
    document = json.loads(path.read_text("utf-8"))
    document["events"][0]["title"] = "A \x1b[2Jrally"
    path.write_text(json.dumps(document), "utf-8")
    _one(_problems(path), "azukr.json", "U+001B")


# -- references: part_of chains and cycles ---------------------------------------------------

def _aid_chain(folder: Path, count: int, *, cycle: bool = False) -> None:
    template = (folder / AID).read_text("utf-8")
    for i in range(count):
        parent = f"chain-{i + 1}" if i + 1 < count else ("chain-0" if cycle else None)
        text = template.replace('amount = "1000000"', f'amount = "{i + 1}"')
        (folder / f"aid/chain-{i}.toml").write_text(
            text.replace("[[amounts]]", f'part_of = "{parent}"\n\n[[amounts]]', 1) if parent else text, "utf-8")


def test_references_a_long_part_of_chain_loads_and_totals(mini):
    _aid_chain(mini, 800)
    total = azukr.load(mini).aid.total("USD")
    assert total.low == Decimal(1_000_000) + 800  # the whole of the chain is its last record, plus fuel


def test_references_the_cycle_check_is_linear(mini):
    _aid_chain(mini, 3000)
    started = time.perf_counter()
    assert _problems(mini) == []
    assert time.perf_counter() - started < 10  # was 13.7 s for 2,000 records on the cubic check


def test_references_cycles_are_reported_from_each_member(mini):
    _aid_chain(mini, 3, cycle=True)
    problems = _problems(mini)
    assert [p.message for p in problems] == [
        "part_of forms a cycle: chain-0 -> chain-1 -> chain-2 -> chain-0",
        "part_of forms a cycle: chain-1 -> chain-2 -> chain-0 -> chain-1",
        "part_of forms a cycle: chain-2 -> chain-0 -> chain-1 -> chain-2",
    ]


def test_references_a_long_cycle_is_reported_short(mini):
    _aid_chain(mini, 2000, cycle=True)
    problems = _problems(mini)
    assert len(problems) == 2000 and all(len(p.message) < 200 for p in problems)


# -- file system -----------------------------------------------------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


FILE_SYSTEM = {
    "symlink out of the folder": (lambda d, out: (out.write_text('name = "X"\nkind = "place"\n'),
                                                  (d / "actors/x.toml").symlink_to(out)),
                                  "actors/x.toml", "symbolic link"),
    "fifo": (lambda d, out: _fifo(d / "actors/x.toml"), "actors/x.toml", "named pipe"),
    "link to /dev/zero": (lambda d, out: (d / "actors/x.toml").symlink_to("/dev/zero"),
                          "actors/x.toml", "symbolic link"),
    "upper-case extension": (lambda d, out: (d / "actors/x.TOML").write_text('name = "X"\nkind = "place"\n'),
                             "actors/x.TOML", "lowercase"),
    "toml at the root": (lambda d, out: (d / "x.toml").write_text('name = "X"\n'), "x.toml", "collection folder"),
    "toml in a subfolder": (lambda d, out: ((d / "actors/more").mkdir(), (d / "actors/more/x.toml").write_text("")),
                            "actors/more/", "no subfolders"),
    "unknown collection": (lambda d, out: (d / "evnets").mkdir(), "evnets", "did you mean 'events'"),
    "collection is a file": (lambda d, out: (shutil.rmtree(d / "disputes"), (d / "disputes").write_text("")),
                             "disputes", "is a folder"),
    "retired.toml is a folder": (lambda d, out: ((d / "retired.toml").unlink(), (d / "retired.toml").mkdir()),
                                 "retired.toml", "regular file"),
    "stray file in a collection": (lambda d, out: (d / "events/notes.txt").write_text("x"),
                                   "events/notes.txt", "only record files"),
    "huge file": (lambda d, out: (d / "actors/x.toml").write_bytes(b"#" * (loader.MAX_FILE_BYTES + 1)),
                  "actors/x.toml", "larger than"),
    "non-UTF-8 __init__.py": (lambda d, out: (d / "__init__.py").write_bytes(b'__version__ = "\xff"\n'),
                              "__init__.py", "UTF-8"),
    "__init__.py is a fifo": (lambda d, out: ((d / "__init__.py").unlink(), _fifo(d / "__init__.py")),
                              "__init__.py", "named pipe"),
}


@pytest.mark.parametrize("case", sorted(FILE_SYSTEM))
def test_file_system_problems_are_reported(capsys, mini, tmp_path, case):
    make, file, text = FILE_SYSTEM[case]
    outside = tmp_path / "outside.toml"
    make(mini, outside)
    _one(_problems(mini), file, text)
    code, _, err = run(capsys, "validate", str(mini))
    assert code == 1 and file in err
    if outside.exists():
        assert outside.read_text() == 'name = "X"\nkind = "place"\n'


def test_file_system_package_files_at_the_root_are_not_data(mini):
    (mini / "py.typed").write_text("")
    (mini / "__pycache__").mkdir()
    (mini / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (mini / ".gitignore").write_text("*.pyc\n")
    (mini / "events" / ".gitkeep").write_text("")
    assert _problems(mini) == []


@pytest.mark.parametrize("where", ["folder", "__init__.py"])
def test_file_system_unreadable_is_a_data_error_naming_the_file(capsys, mini, monkeypatch, where):
    blocked = mini / ("events" if where == "folder" else "__init__.py")
    real_open, real_iterdir = os.open, Path.iterdir

    def deny_open(path, *args, **kwargs):
        if Path(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def deny_iterdir(self):
        if self == blocked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(os, "open", deny_open)
    monkeypatch.setattr(Path, "iterdir", deny_iterdir)
    problem = _one(_problems(mini), "events/" if where == "folder" else "__init__.py", "Permission denied")
    code, _, err = run(capsys, "validate", str(mini))
    assert code == 1 and problem.file in err


def _wrong_folders(root: Path, mini: Path) -> dict[str, str]:
    (root / "empty").mkdir()
    export(azukr.load(mini), "csv", root / "csv")
    export(azukr.load(mini), "datapackage", root / "package")
    return {"a collection folder": str(mini / "events"), "an empty folder": str(root / "empty"),
            "a CSV export": str(root / "csv"), "datapackage.json": str(root / "package" / "datapackage.json"),
            "an empty path": "", "a blank path": "  "}


@pytest.mark.parametrize("case", ["a collection folder", "an empty folder", "a CSV export", "datapackage.json",
                                  "an empty path", "a blank path"])
def test_file_system_a_wrong_or_empty_folder_is_an_error(capsys, tmp_path, mini, case):
    path = _wrong_folders(tmp_path, mini)[case]
    assert _problems(path)
    code, out, err = run(capsys, "validate", path)
    assert code == 1 and "ok:" not in out
    assert run(capsys, "timeline", "--data", path)[0] == 1


# -- writers: fmt and export -------------------------------------------------------------------

def _uncanonical(mini: Path) -> tuple[Path, bytes]:
    path = mini / EVENT
    _edit(path, 'kind = "rally"', "kind='rally'")
    return path, path.read_bytes()


def test_writers_fmt_is_atomic_when_the_disk_is_full(mini, monkeypatch):
    path, before = _uncanonical(mini)

    def full(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        fmt(mini)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["quoted.toml", "rally.toml"]  # no temporary left


def test_writers_fmt_is_atomic_under_a_file_size_limit(mini):
    path, before = _uncanonical(mini)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    done = subprocess.run([sys.executable, "-m", "azukr", "fmt", str(mini)], preexec_fn=limit,
                          capture_output=True, text=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_writers_fmt_rewrites_atomically_keeping_the_mode(mini):
    path, _ = _uncanonical(mini)
    path.chmod(0o640)
    assert fmt(mini) == [EVENT]
    assert "kind = \"rally\"" in path.read_text("utf-8") and (path.stat().st_mode & 0o777) == 0o640
    assert fmt(mini, check=True) == []


@pytest.mark.parametrize(("old", "new"), [
    ('title = "A rally"', 'title = ""'),
    ('kind = "rally"', "kind='rally'\nsummary = 5"),
    ('title = "A rally"', 'title = "A\\u0000rally"'),
])
def test_writers_fmt_refuses_a_folder_that_does_not_validate(mini, old, new):
    path = mini / EVENT
    _edit(path, old, new)
    before = path.read_bytes()
    with pytest.raises(DataError):
        fmt(mini)
    assert path.read_bytes() == before


def test_writers_fmt_never_writes_through_a_symlink(mini, tmp_path):
    outside = tmp_path / "outside.toml"
    outside.write_text("name='Kharkiv'\nkind='place'\n")
    (mini / "actors/kharkiv.toml").symlink_to(outside)
    with pytest.raises(DataError, match="symbolic link"):
        fmt(mini)
    assert outside.read_text() == "name='Kharkiv'\nkind='place'\n"


def test_writers_fmt_needs_a_path(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["fmt"])
    assert info.value.code == 2
    assert "dir" in capsys.readouterr().err


def test_writers_export_refuses_to_replace_a_users_file(tmp_path, mini):
    out = tmp_path / "out"
    out.mkdir()
    (out / "azukr.json").write_text("my own notes")
    with pytest.raises(ValueError, match="not written by an earlier azukr export"):
        export(azukr.load(mini), "json", out)
    assert (out / "azukr.json").read_text() == "my own notes"
    assert sorted(p.name for p in out.iterdir()) == ["azukr.json"]
    export(azukr.load(mini), "json", out, force=True)
    assert azukr.load(out / "azukr.json") == azukr.load(mini)


def test_writers_export_writes_beside_other_files_and_again_over_its_own(tmp_path, mini):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    export(azukr.load(mini), "csv", out)
    export(azukr.load(mini), "csv", out)  # an earlier export: its files are replaced
    export(azukr.load(mini), "json", out)
    listed = set(json.loads((out / MARKER).read_text())["files"])
    assert "azukr.json" in listed and "events.csv" in listed and "notes.txt" not in listed
    assert (out / "notes.txt").read_text() == "mine"


def test_writers_export_never_follows_links(tmp_path, mini):
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    victim.write_text("precious")
    export(azukr.load(mini), "json", out)
    (out / "azukr.json").unlink()
    (out / "azukr.json").symlink_to(victim)
    export(azukr.load(mini), "json", out)  # listed in the marker: the link is replaced, not followed
    assert victim.read_text() == "precious" and not (out / "azukr.json").is_symlink()
    (tmp_path / "link").symlink_to(out, target_is_directory=True)
    with pytest.raises(ValueError, match="symbolic link"):
        export(azukr.load(mini), "json", tmp_path / "link")


def test_writers_cli_export_force(capsys, tmp_path, mini):
    out = tmp_path / "out"
    out.mkdir()
    (out / "azukr.json").write_text("mine")
    code, _, err = run(capsys, "export", "--format", "json", "--out", str(out), "--data", str(mini))
    assert code == 2 and "--force" in err and (out / "azukr.json").read_text() == "mine"
    code, _, _ = run(capsys, "export", "--format", "json", "--out", str(out), "--data", str(mini), "--force")
    assert code == 0 and azukr.load(out / "azukr.json") == azukr.load(mini)


@pytest.mark.parametrize("change", ["content", "fingerprint", "not a string"])
def test_writers_a_json_export_must_match_its_fingerprint(tmp_path, mini, change):
    [path] = export(azukr.load(mini), "json", tmp_path / "out")
    document = json.loads(path.read_text("utf-8"))
    if change == "content":
        document["events"][0]["title"] = "Edited by hand"
    else:
        document["fingerprint"] = "sha256:0" if change == "fingerprint" else 5
    path.write_text(json.dumps(document), "utf-8")
    _one(_problems(path), "azukr.json", "fingerprint")


# -- immutability --------------------------------------------------------------------------------

MUTATIONS = {
    "retired item": lambda ds: ds.retired.__setitem__("baku", ds.retired["gone"]),
    "retired clear": lambda ds: ds.retired.clear(),
    "raw records item": lambda ds: ds.raw.records.__setitem__("events", ()),
    "raw records pop": lambda ds: ds.raw.records.pop("events"),
    "raw retired": lambda ds: setattr(ds.raw, "retired", ()),
    "version": lambda ds: setattr(ds, "version", "x"),
    "events": lambda ds: setattr(ds, "events", ds.actors),
    "fingerprint": lambda ds: setattr(ds, "fingerprint", "sha256:0"),
    "delete events": lambda ds: delattr(ds, "events"),
    "new attribute": lambda ds: setattr(ds, "extra", 1),
    "index": lambda ds: ds._by_id.__setitem__("x", None),
    "context sources": lambda ds: ds._context.sources.__setitem__("x", None),
}


@pytest.fixture
def shipped_mini(mini, monkeypatch) -> Path:
    """``azukr.load()`` (the cached one) reading the mini folder."""
    monkeypatch.setattr(loader, "shipped_root", lambda: mini)
    azukr.clear_cache()
    return mini


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_immutability_the_cached_dataset_cannot_be_changed(shipped_mini, case):
    ds = azukr.load()
    before = (ds.version, ds.fingerprint, dict(ds.retired), len(ds), list(ds.events))
    with pytest.raises((TypeError, AttributeError)):
        MUTATIONS[case](ds)
    again = azukr.load()
    assert again is ds
    assert (again.version, again.fingerprint, dict(again.retired), len(again), list(again.events)) == before
    with pytest.raises(azukr.RetiredError):
        again["gone"]


def test_immutability_loads_from_threads_share_one_object_per_round(shipped_mini):
    for _ in range(20):
        azukr.clear_cache()
        found: list[Dataset] = []
        threads = [threading.Thread(target=lambda: found.append(azukr.load())) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(found) == 16 and all(d is found[0] for d in found)
        assert found[0].fingerprint == azukr.load(shipped_mini).fingerprint


# -- CLI ------------------------------------------------------------------------------------------

def test_cli_broken_pipe_exits_quietly(mini):
    process = subprocess.Popen([sys.executable, "-m", "azukr", "sources", "--data", str(mini)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before anything was written, as with `| head -0`
    with process.stderr:
        err = process.stderr.read()
    assert process.wait() == 141 and err == b""


@pytest.mark.parametrize("argv", [
    ["timeline", "--since", "2022-00"],
    ["timeline", "--since", "2022-01-00"],
    ["timeline", "--until", "２０２２"],
    ["timeline", "--since", ""],
    ["timeline", "--involving", ""],
    ["timeline", "--involving", "  "],
    ["disputes", "--about", ""],
    ["timeline", "--data", ""],
])
def test_cli_refuses_empty_or_invalid_options(capsys, mini, argv):
    if "--data" not in argv:
        argv = [*argv, "--data", str(mini)]
    code, out, err = run(capsys, *argv)
    assert code in (1, 2) and out == "" and err.startswith("azukr: ")


def test_cli_escapes_what_it_prints(capsys, mini, monkeypatch):
    title = "A \x1b[2Jrally\n2099-01-01               event          forged  [x]\u202e"
    real = loader.read

    def tampered(path):  # data the checks would refuse, as if it came from elsewhere
        raw, problems = real(path)
        events = tuple(attrs.evolve(e) for e in raw.records["events"])
        for event in events:
            object.__setattr__(event, "title", title)  # past the validators, on a copy
        return loader.RawData(raw.version, {**raw.records, "events": events}, raw.retired), problems

    monkeypatch.setattr(loader, "read", tampered)
    code, out, _ = run(capsys, "timeline", "--data", str(mini))
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[2Jrally\\n2099" in out and not any(line.startswith("2099") for line in out.splitlines())
    assert cli._clean("tab\there\u2028") == "tab\\there\\u2028"


def test_cli_a_data_error_names_the_file(capsys, mini):
    (mini / "__init__.py").write_bytes(b"\xff\xfe")
    code, _, err = run(capsys, "timeline", "--data", str(mini))
    assert code == 1 and "__init__.py: cannot be read as UTF-8" in err


# -- fuzz: mutate a valid folder; only a DataError naming the file, or data that validates ---------

SNIPPETS = ['"', "'", "[", "]", "[[", "]]", "{", "}", "=", ",", ".", "\n", "\\", "\\u0000", "\x00", "\x1b", "\u202e",
            "\ufeff", "00", "-00", "２", "1E+1000000", '""', "../", "#", "[" * 40, "= []", "= {}", "= 1",
            '= "2022-00"', "true", "\r\n", "\xa0", '"""', "part_of = \"fuel\"\n", "[[citations]]\n", "é", "𝔸"]


@st.composite
def mutations(draw) -> tuple[int, list[tuple[str, int, int, str]]]:
    file = draw(st.integers(0, 10_000))
    edits = draw(st.lists(st.tuples(
        st.sampled_from(["insert", "delete", "replace", "truncate", "duplicate"]),
        st.integers(0, 10_000), st.integers(1, 40),
        st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6))), min_size=1, max_size=4))
    return file, edits


def _mutate(text: str, edits: list[tuple[str, int, int, str]]) -> str:
    for op, at, length, snippet in edits:
        at = at % (len(text) + 1)
        if op == "insert":
            text = text[:at] + snippet + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + length:]
        elif op == "replace":
            text = text[:at] + snippet + text[at + len(snippet):]
        elif op == "truncate":
            text = text[:at]
        else:
            text = text[:at] + text[at:at + length] + text[at:]
    return text


@settings(max_examples=250, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations())
def test_fuzz_mutated_data_gives_a_data_error_naming_the_file_or_valid_data(tmp_path_factory, mutation):
    root = mini_data(tmp_path_factory.mktemp("fuzz") / "data")
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    index, edits = mutation
    target = root / files[index % len(files)]
    target.write_bytes(_mutate(target.read_bytes().decode("utf-8"), edits).encode("utf-8", "surrogatepass"))
    try:
        ds = azukr.load(root)
    except DataError as exc:
        assert exc.errors and all(isinstance(p, Problem) for p in exc.errors)
        named = {str(p.relative_to(root)) for p in root.rglob("*")} | {f"{c}/" for c in loader.COLLECTIONS} | {
            str(root)}
        assert all(p.file in named for p in exc.errors), [str(p) for p in exc.errors]
        assert all(p.file for p in exc.errors)
        return
    assert azukr.validate(root) == []
    assert isinstance(ds, Dataset)
    list(ds.timeline()), ds.fingerprint, [ds.aid.total(c) for c in ds.aid.currencies()]
    fmt(root, check=True)  # valid data always has a canonical form that reads back the same
    fmt(root)
    assert azukr.load(root) == ds
