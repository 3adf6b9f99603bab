"""`byline import` of JSONL records killed with SIGKILL at random moments, each kill on top
of what the last left, a new file arriving each time (the command names it and the file
before, whose import was killed, as a retry would); then one clean rerun of every file.
Every record must be stored exactly once and judged, with the stories, provenance and names
of an unkilled reference import; after every kill the database must be whole
(``harness.problems``)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.crash import workload
from tests.crash.conftest import Db
from tests.crash.harness import KILLS, SEED, Outcome, Snapshot, kill_rounds, problems, run_clean

pytestmark = pytest.mark.postgres  # runs in both passes

EVENTS_PER_ROUND = 12  # about 35 records a file


def test_import_killed_at_random_moments_stores_every_record_once(
    new_db: Callable[[str], Db], tmp_path: Path
) -> None:
    rng = random.Random(SEED + 2)
    rounds = workload.rounds(KILLS, EVENTS_PER_ROUND, SEED + 2)
    files = []
    expected: set[str] = set()
    for n, docs in enumerate(rounds):
        path = tmp_path / f"records-{n:02d}.jsonl"
        expected.update(workload.write_jsonl(docs, path))
        files.append(str(path))

    reference, db = new_db("reference"), new_db("killed")
    for one in (reference, db):
        run_clean(one.env, ["migrate"], tmp_path / "setup.log")

    def check(outcome: Outcome) -> None:
        found = problems(db.rows, db.sqlite)
        assert found == [], f"after {outcome.line()}: {found}"
        stored = {url for (url,) in db.rows("SELECT url FROM news_article")}
        assert stored <= expected
        print(f"  {len(stored)} of {len(expected)} records stored")

    # a new file each round, named with the one before, whose import was killed (a retry)
    commands = [["import", *files[max(0, n - 1) : n + 1], "-q"] for n in range(len(files))]
    kill_rounds(reference, db, commands, rng, tmp_path, check)

    for one in (reference, db):
        took, output = run_clean(one.env, ["import", *files, "-q"], tmp_path / "rerun.log")
        print(f"{one.name}, run again: {took:.1f} s: {output.strip()}")
        found = problems(one.rows, one.sqlite, complete=True)
        assert found == [], found
    want = Snapshot.of(reference.rows)
    assert set(want.urls) == expected
    differences = Snapshot.of(db.rows).differences(want)
    assert differences == [], "\n".join(differences)
