"""The public API is typed: a user's script passes ``mypy --strict``, and a wrong annotation in
one is reported (so ``azukr.load()`` returning ``Any`` again would fail here)."""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

BAD = '''\
import azukr
from azukr import Aid

ds = azukr.load()
bad: int = ds.version
wrong: Aid = ds.events["baku-embassy-rally-2022-02-27"]
'''


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int, Path]:
    """One strict mypy run over the user script and a wrong one; imports of azukr's own modules
    are followed silently (their own errors are ``mypy azukr``'s business)."""
    folder = tmp_path_factory.mktemp("typing")
    bad = folder / "bad_script.py"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MYPYPATH", str(REPO))
        out, err, status = api.run([
            "--strict", "--follow-imports=silent", "--no-error-summary", "--hide-error-context",
            "--cache-dir", str(folder / "cache"), str(HERE / "typing" / "user_script.py"), str(bad),
        ])
    assert not err, err
    return out, status, bad


def test_a_correct_user_script_passes_mypy_strict(mypy_report):
    out, _, _ = mypy_report
    assert "user_script.py" not in out, out


def test_a_wrong_annotation_is_reported(mypy_report):
    out, status, bad = mypy_report
    lines = [line for line in out.splitlines() if line.startswith(str(bad))]
    assert status == 1
    assert any(':5: error: Incompatible types in assignment (expression has type "str", variable has type "int")'
               in line for line in lines), out
    assert any(':6: error: Incompatible types in assignment (expression has type "Event", variable has type "Aid")'
               in line for line in lines), out
    assert len(lines) == 2, out
