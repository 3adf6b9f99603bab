"""`byline fetch` killed with SIGKILL at random moments, each kill on top of what the last
left, while its outlets keep publishing; then one clean rerun. Every article must be there
exactly once, judged, with the same stories as an unkilled reference run; after every kill
the database must be whole (see ``harness.problems``)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.crash import workload
from tests.crash.conftest import Db
from tests.crash.harness import (
    KILLS,
    SEED,
    Snapshot,
    kill_at,
    kill_delays,
    kill_when,
    problems,
    run_clean,
)

pytestmark = pytest.mark.postgres  # runs in both passes

EVENTS_PER_ROUND = 10  # about 25 pages a round


def test_fetch_killed_at_random_moments_loses_and_duplicates_nothing(
    new_db: Callable[[str], Db], loopback: Any, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    rounds = workload.rounds(KILLS, EVENTS_PER_ROUND, SEED)
    every = [doc for docs in rounds for doc in docs]
    expected = {loopback.url(doc.path) for doc in every}

    # The reference: every round served at once, one fetch that nobody kills.
    reference = new_db("reference")
    feeds = workload.serve(loopback, every, delay=0.0, etag='"all"')
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    startup, _ = run_clean(reference.env, ["sources", "import", str(opml)], tmp_path / "ref.log")
    took, output = run_clean(reference.env, ["fetch", "--all", "-q"], tmp_path / "ref.log")
    print(f"reference: {len(every)} pages in {took:.1f} s: {output.strip()}")
    assert problems(reference.rows, reference.sqlite, complete=True) == []
    want = Snapshot.of(reference.rows)
    assert set(want.urls) == expected

    # The same outlets, publishing a round at a time; a fetch per round, each killed.
    db = new_db("killed")
    run_clean(db.env, ["sources", "import", str(opml)], tmp_path / "setup.log")
    per_round = (took - startup) / len(rounds)
    delays = kill_delays(rng, KILLS, 0.2, startup + 1.5 * per_round)
    published: list[workload.Doc] = []
    killed = 0
    for n, (docs, delay) in enumerate(zip(rounds, delays, strict=True)):
        published += docs
        loopback.routes.clear()
        workload.serve(loopback, published, delay=0.0, etag=f'"round-{n}"')
        outcome = kill_at(
            db.env, ["fetch", "--all", "-q"], delay, tmp_path / f"kill{n}.log", f"fetch #{n}"
        )
        killed += outcome.killed
        found = problems(db.rows, db.sqlite)
        assert found == [], f"after {outcome.line()}: {found}"
        stored = {url for (url,) in db.rows("SELECT url FROM news_article")}
        assert stored <= expected
        print(f"  {len(stored)} of {len(expected)} articles stored")
    assert killed >= KILLS // 2, "most kills must land while the fetch runs"

    took, output = run_clean(db.env, ["fetch", "--all", "-q"], tmp_path / "rerun.log")
    print(f"rerun: {took:.1f} s: {output.strip()}")
    found = problems(db.rows, db.sqlite, complete=True)
    assert found == [], found
    got = Snapshot.of(db.rows)
    differences = got.differences(want)
    print("\n".join(differences))
    assert differences == []
    # no page was fetched and stored twice, and nothing was edited: no versions
    assert db.rows("SELECT count(*) FROM news_page") == [(len(expected),)]
    assert got.versions == 0


def test_fetch_killed_the_moment_its_judgement_commits_still_finds_every_name(
    new_db: Callable[[str], Db], loopback: Any, tmp_path: Path
) -> None:
    """The kill that found a defect, made certain: `byline fetch` judged the new articles,
    committed, and only then found their named entities, so a kill between the two left the
    articles judged without names for good (the next run judges unjudged articles only).
    Now the names are stored in the judging transaction."""
    (docs,) = workload.rounds(1, 12, SEED + 1)
    feeds = workload.serve(loopback, docs, delay=0.0, etag='"one"')
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    reference = new_db("reference")
    run_clean(reference.env, ["sources", "import", str(opml)], tmp_path / "ref.log")
    run_clean(reference.env, ["fetch", "--all", "-q"], tmp_path / "ref.log")
    want = Snapshot.of(reference.rows)
    assert len(want.mentions) > len(docs), "the workload names people and places"

    db = new_db("killed")
    run_clean(db.env, ["sources", "import", str(opml)], tmp_path / "setup.log")
    judged = "SELECT count(*) FROM news_article WHERE story_id IS NOT NULL"
    outcome = kill_when(
        db.env, ["fetch", "--all", "-q"], db.rows, judged, tmp_path / "k.log", "fetch"
    )
    assert outcome.killed
    assert problems(db.rows, db.sqlite) == []
    run_clean(db.env, ["fetch", "--all", "-q"], tmp_path / "rerun.log")
    assert problems(db.rows, db.sqlite, complete=True) == []
    assert Snapshot.of(db.rows).differences(want) == []
