"""`byline fetch` killed with SIGKILL at random moments, each kill on top of what the last
left, while its outlets keep publishing; then one clean rerun. Every article must be there
exactly once, judged, with the same stories as an unkilled reference run; after every kill
the database must be whole (see ``harness.problems``)."""

from __future__ import annotations

import dataclasses
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
    Outcome,
    Snapshot,
    kill_rounds,
    kill_when,
    problems,
    run_clean,
)

from byline.fetch.warc import WarcSkip, read_warc

pytestmark = pytest.mark.postgres  # runs in both passes

EVENTS_PER_ROUND = 10  # about 25 pages a round


def test_fetch_killed_at_random_moments_loses_and_duplicates_nothing(
    new_db: Callable[[str], Db], loopback: Any, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    rounds = workload.rounds(KILLS, EVENTS_PER_ROUND, SEED)
    expected = {loopback.url(doc.path) for docs in rounds for doc in docs}
    reference, db = new_db("reference"), new_db("killed")
    feeds = workload.serve(loopback, [], delay=0.0, etag='"none"')
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    for one in (reference, db):
        run_clean(one.env, ["sources", "import", str(opml)], tmp_path / "setup.log")

    published: list[workload.Doc] = []

    def publish(n: int) -> None:  # the outlets publish another round
        published.extend(rounds[n])
        loopback.routes.clear()
        workload.serve(loopback, published, delay=0.0, etag=f'"round-{n}"')

    def check(outcome: Outcome) -> None:
        found = problems(db.rows, db.sqlite)
        assert found == [], f"after {outcome.line()}: {found}"
        stored = {url for (url,) in db.rows("SELECT url FROM news_article")}
        assert stored <= expected
        print(f"  {len(stored)} of {len(published)} published articles stored")

    fetch = ["fetch", "--all", "-q"]
    kill_rounds(reference, db, [fetch] * KILLS, rng, tmp_path, check, before=publish)

    for one in (reference, db):
        took, output = run_clean(one.env, fetch, tmp_path / "rerun.log")
        print(f"{one.name}, run again: {took:.1f} s: {output.strip()}")
        found = problems(one.rows, one.sqlite, complete=True)
        assert found == [], found
    want, got = Snapshot.of(reference.rows), Snapshot.of(db.rows)
    assert set(want.urls) == expected
    differences = got.differences(want)
    assert differences == [], "\n".join(differences)
    # no page was fetched and stored twice, and nothing was edited: no versions
    assert db.rows("SELECT count(*) FROM news_page") == [(len(expected),)]
    assert got.versions == 0
    # The raw archive (DATA_DIR/warc) reads back: every stored page is in it (its record is
    # flushed before the article is stored), and a kill tore at most the record in hand.
    archived: set[str] = set()
    torn = []
    for path in sorted((db.folder / "data" / "warc").glob("*.warc.gz")):
        for item in read_warc(path):
            if isinstance(item, WarcSkip):
                if item.broken:
                    torn.append(f"{path.name}: {item.where} {item.reason}")
            else:
                archived.add(item.result.url)
    assert expected <= archived
    assert len(torn) <= KILLS, torn


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


def test_fetch_killed_after_storing_new_versions_judges_them_again(
    new_db: Callable[[str], Db], loopback: Any, tmp_path: Path
) -> None:
    """Outlets edit the headline of every report of half their events; the fetch that finds
    the edits keeps the old headlines as versions, updates the articles and must judge them
    again. Killed the moment the last edit is stored (a new article, slow to answer, keeps
    the run going), the articles must not stay judged by headlines they no longer have: the
    next run does not fetch them again (their feed entries are as stored)."""
    rng = random.Random(SEED + 7)
    (docs,) = workload.rounds(1, 10, SEED + 7)
    events = sorted({d.event for d in docs})
    edited = set(rng.sample(events, k=len(events) // 2))
    changed = [
        dataclasses.replace(d, title=f"Edited headline {n}") if d.event in edited else d
        for n, d in enumerate(docs)
    ]
    (late,) = workload.rounds(1, 1, SEED + 8)[0][:1]
    late = dataclasses.replace(late, outlet=docs[0].outlet, path=f"/{docs[0].outlet}/late.html")
    feeds = workload.serve(loopback, docs, delay=0.0, etag='"before"')
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    reference, db = new_db("reference"), new_db("killed")
    for one in (reference, db):
        run_clean(one.env, ["sources", "import", str(opml)], tmp_path / "setup.log")
        run_clean(one.env, ["fetch", "--all", "-q"], tmp_path / "setup.log")
    loopback.routes.clear()
    workload.serve(loopback, [*changed, late], delay=0.0, etag='"after"')
    loopback.routes[late.path].delay = 3.0
    versions = sum(d.event in edited for d in docs)

    run_clean(reference.env, ["fetch", "--all", "-q"], tmp_path / "reference.log")
    all_stored = f"SELECT count(*) - {versions - 1} FROM news_articleversion"
    outcome = kill_when(
        db.env, ["fetch", "--all", "-q"], db.rows, all_stored, tmp_path / "k.log", "fetch"
    )
    assert outcome.killed
    assert problems(db.rows, db.sqlite) == []
    for one in (reference, db):
        run_clean(one.env, ["fetch", "--all", "-q"], tmp_path / "rerun.log")
        assert problems(one.rows, one.sqlite, complete=True) == []
    want = Snapshot.of(reference.rows)
    assert want.versions == versions
    assert not {title for title, _ in want.stories} & {d.title for d in docs if d.event in edited}
    differences = Snapshot.of(db.rows).differences(want)
    assert differences == [], "\n".join(differences)
