"""Measure the engine as it was at an earlier commit, on this checkout's data.

A sealed measurement (docs/evaluation.md) is taken at the commit that was frozen before a new
part of a set was read: the part is gathered later, so it exists only in the working tree,
while the engine to measure is an older commit's. ``run_at`` checks that commit out into a
temporary ``git worktree``, runs the benchmark script of that commit with that commit's
``src/`` first on the import path, and hands it this checkout's data folder; the worktree is
removed afterwards. Nothing of the current checkout changes.

    .venv/bin/python bench/real_provenance.py --at 170eacc --parts copies8,wire6
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class FrozenError(RuntimeError):
    """The commit could not be checked out (not a git checkout, an unknown commit)."""


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise FrozenError("--at needs git on the PATH") from error
    if done.returncode != 0:
        raise FrozenError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout.strip()


def run_at(commit: str, script: str, argv: Sequence[str], repo: Path = REPO) -> int:
    """Run ``script`` (a path relative to the repository) as it was at ``commit``, with that
    commit's ``src/`` on the import path, and return its exit status. Paths in ``argv`` are
    passed as given, so give data folders as absolute paths."""
    try:
        full = _git(repo, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")
    except FrozenError as error:
        raise FrozenError(f"no commit {commit!r} in {repo} ({error})") from error
    with tempfile.TemporaryDirectory(prefix="byline-frozen-") as folder:
        tree = Path(folder) / "tree"
        _git(repo, "worktree", "add", "--detach", "--quiet", str(tree), full)
        try:
            if not (tree / script).exists():
                raise FrozenError(f"{script} does not exist at {commit}")
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(tree / "src"), str(tree), env.get("PYTHONPATH", "")) if p
            )
            print(f"Engine at {full[:12]} ({commit}), from a temporary worktree.", flush=True)
            done = subprocess.run([sys.executable, str(tree / script), *argv], cwd=tree, env=env)
            return done.returncode
        finally:
            _git(repo, "worktree", "remove", "--force", str(tree))


def add_at_option(parser: argparse.ArgumentParser) -> None:
    """The ``--at COMMIT`` option, as the benchmarks that take sealed measurements offer it."""
    parser.add_argument(
        "--at",
        metavar="COMMIT",
        help="measure the engine as it was at COMMIT on this checkout's data (a sealed "
        "measurement: the commit frozen before a new part was read); runs this script from a "
        "temporary git worktree of COMMIT with its src/, then removes the worktree",
    )


def split_at(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """``--at COMMIT`` (or ``--at=COMMIT``) taken out of a command line, and the rest."""
    rest: list[str] = []
    commit = None
    items = iter(argv)
    for item in items:
        if item == "--at":
            commit = next(items, None)
            if not commit:
                raise FrozenError("--at needs a commit")
        elif item.startswith("--at="):
            commit = item.removeprefix("--at=")
        else:
            rest.append(item)
    return commit, rest


def rerun_at(commit: str, script: str, argv: Sequence[str], data: Path) -> int:
    """Run ``script`` at ``commit`` with this command line less ``--at``, its ``--data``
    made absolute (the data stays this checkout's), and print a clear error instead of a
    traceback when the commit cannot be checked out."""
    _, rest = split_at(argv)
    out: list[str] = []
    items = iter(rest)
    for item in items:
        if item == "--data":
            next(items, None)
        elif not item.startswith("--data="):
            out.append(item)
    out += ["--data", str(data.resolve())]
    try:
        return run_at(commit, script, out)
    except FrozenError as error:
        print(f"--at {commit}: {error}", file=sys.stderr)
        return 2
