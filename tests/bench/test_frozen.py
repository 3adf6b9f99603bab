"""``--at COMMIT`` (bench/frozen.py): a benchmark run with an earlier commit's engine on the
current checkout's data, in a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bench.frozen import FrozenError, rerun_at, run_at, split_at

SCRIPT = """\
import sys
from engine import VERSION
data = sys.argv[sys.argv.index("--data") + 1]
print(f"engine {VERSION} on {open(data + '/part.txt').read().strip()}")
"""


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose engine said "v1" at its first commit and says "v2" now."""
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "bench").mkdir()
    (root / "bench" / "measure.py").write_text(SCRIPT)
    (root / "src" / "engine.py").write_text('VERSION = "v1"\n')
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "v1")
    first = _git(root, "rev-parse", "HEAD")
    (root / "src" / "engine.py").write_text('VERSION = "v2"\n')
    _git(root, "commit", "-q", "-am", "v2")
    return root, first


def test_an_earlier_commit_measures_this_checkouts_data(
    repo: tuple[Path, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root, first = repo
    data = tmp_path / "data"
    data.mkdir()
    (data / "part.txt").write_text("a part gathered later")  # never committed
    assert run_at(first[:7], "bench/measure.py", ["--data", str(data)], repo=root) == 0
    out = capfd.readouterr().out
    assert "engine v1 on a part gathered later" in out
    assert _git(root, "worktree", "list").count("\n") == 0  # the worktree is gone
    assert (root / "src" / "engine.py").read_text() == 'VERSION = "v2"\n'


def test_an_unknown_commit_is_a_clear_error(repo: tuple[Path, str]) -> None:
    root, _ = repo
    with pytest.raises(FrozenError, match="no commit 'nosuch'"):
        run_at("nosuch", "bench/measure.py", [], repo=root)


def test_the_command_line_loses_at_and_keeps_the_rest() -> None:
    assert split_at(["--parts", "wire6", "--at", "170eacc", "--confusion"]) == (
        "170eacc",
        ["--parts", "wire6", "--confusion"],
    )
    assert split_at(["--at=abc"]) == ("abc", [])
    with pytest.raises(FrozenError):
        split_at(["--at"])


def test_rerun_at_reports_a_bad_commit_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert rerun_at("no-such-commit-anywhere", "bench/real_provenance.py", [], tmp_path) == 2
    assert "no commit 'no-such-commit-anywhere'" in capsys.readouterr().err
