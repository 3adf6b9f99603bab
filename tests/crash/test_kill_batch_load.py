"""`byline batch … --load` killed with SIGKILL at random moments (reading, clustering,
writing its Parquet tables or loading them into PostgreSQL), each kill on top of what the last
left, a new WARC file arriving each time (the job runs over every file so far, into the same
--out folder); then one clean rerun. The load is one transaction, so after every kill the
articles stored must be whole rounds (all of a run's or none), and after the rerun every page
must be stored exactly once, with the stories and provenance of an unkilled reference run.
PostgreSQL only: loading needs COPY."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.crash import workload
from tests.crash.conftest import Db
from tests.crash.harness import KILLS, SEED, Outcome, Snapshot, kill_rounds, problems, run_clean

pytestmark = pytest.mark.postgres  # runs in both passes; skips on SQLite

EVENTS_PER_ROUND = 10  # about 25 pages a WARC file


def _batch(files: list[Path], out: Path) -> list[str]:
    return ["batch", *map(str, files), "--out", str(out), "--engine", "local", "--load", "-q"]


def test_batch_load_killed_at_random_moments_loads_each_article_once(
    new_db: Callable[[str], Db], tmp_path: Path
) -> None:
    reference, db = new_db("reference"), new_db("killed")
    if db.sqlite:
        pytest.skip("byline batch --load needs PostgreSQL; the PostgreSQL pass runs this")
    rng = random.Random(SEED + 4)
    rounds = workload.rounds(KILLS, EVENTS_PER_ROUND, SEED + 4)
    files: list[Path] = []
    urls: list[set[str]] = []
    for n, docs in enumerate(rounds):
        written, round_urls = workload.write_warc(docs, tmp_path / f"warc-{n:02d}")
        files += written
        urls.append(set(round_urls))
    expected = set().union(*urls)
    for one in (reference, db):
        run_clean(one.env, ["migrate"], tmp_path / "setup.log")

    def check(outcome: Outcome) -> None:
        found = problems(db.rows, db.sqlite)
        assert found == [], f"after {outcome.line()}: {found}"
        stored = {url for (url,) in db.rows("SELECT url FROM news_article")}
        loaded = [n for n, some in enumerate(urls) if some <= stored]
        # one transaction: whole rounds, the first ones, or nothing
        assert stored == set().union(*urls[: len(loaded)]), "a load was half done"
        assert loaded == list(range(len(loaded)))
        print(f"  {len(loaded)} of {len(urls)} rounds loaded ({len(stored)} articles)")

    # the same job over every file so far, each database's into its own --out folder
    out = {reference.name: tmp_path / "tables-reference", db.name: tmp_path / "tables-killed"}
    commands = [_batch(files[: n + 1], out[db.name]) for n in range(len(files))]
    theirs = [_batch(files[: n + 1], out[reference.name]) for n in range(len(files))]
    # A run that has the load of a killed run to redo takes longer than its reference, and
    # the load (one transaction) comes last: the kills are drawn from a span half as long
    # again, so that some land after its commit.
    kill_rounds(
        reference, db, commands, rng, tmp_path, check, reference_commands=theirs, stretch=1.5
    )

    for one in (reference, db):
        args = _batch(files, out[one.name])
        took, output = run_clean(one.env, args, tmp_path / "rerun.log")
        print(f"{one.name}, run again: {took:.1f} s: {output.strip().splitlines()[-1]}")
        found = problems(one.rows, one.sqlite, complete=True)
        assert found == [], found
    want = Snapshot.of(reference.rows)
    assert set(want.urls) == expected
    differences = Snapshot.of(db.rows).differences(want)
    assert differences == [], "\n".join(differences)
