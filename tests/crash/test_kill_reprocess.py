"""`byline reprocess` killed with SIGKILL at random moments, each kill on top of what the
last left, then one clean rerun.

The setup is an archive an older extractor got wrong: pages fetched from loopback outlets,
then half the articles given a stale headline and everything judged again with it (so stories
are named by stale headlines, as they would have been). Reprocessing puts each right headline
back, keeps the stale one as a version, and judges the article again. After every kill each
article must be whole, old or new: the stale headline and no version, or the right headline
and exactly one version holding the stale one; nothing judged by a headline it no longer has.
After the rerun the database must match an unkilled reference reprocess."""

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
    Outcome,
    Snapshot,
    kill_rounds,
    kill_when,
    problems,
    run_clean,
)

pytestmark = pytest.mark.postgres  # runs in both passes

OUTLETS = max(8, KILLS)  # each killed run reprocesses one outlet's pages (--source)
EVENTS = 2 * OUTLETS  # about 5 pages an outlet


def _stale_archive(db: Db, opml: Path, stale: dict[str, str], log: Path) -> None:
    """Fetch every page, then give the ``stale`` articles (URL → headline) their stale
    headline and judge everything again with it."""
    run_clean(db.env, ["sources", "import", str(opml)], log)
    run_clean(db.env, ["fetch", "--all", "-q"], log)
    updates = [
        f"UPDATE news_article SET title = '{title}' WHERE url = '{url}'"
        for url, title in stale.items()
    ]
    fts = (
        [
            "UPDATE news_article_fts SET title = (SELECT title FROM news_article a "
            "WHERE a.id = news_article_fts.rowid)"
        ]
        if db.sqlite
        else []
    )
    db.execute(
        *updates,
        *fts,
        "DELETE FROM news_articleentity",
        "DELETE FROM news_relation",
        "UPDATE news_article SET story_id = NULL",
        "DELETE FROM news_storyalias",
        "DELETE FROM news_story",
        "UPDATE news_source SET judged_count = 0, spun_count = 0, scraped_count = 0",
    )
    # the feeds answer 304 now: this fetch only judges the unjudged articles
    _, output = run_clean(db.env, ["fetch", "--all", "-q"], log)
    assert "pages 0" in output, output
    assert problems(db.rows, db.sqlite, complete=True) == []
    titles = dict(db.rows("SELECT url, title FROM news_article"))
    assert all(titles[url] == title for url, title in stale.items())
    named = {t for (t,) in db.rows("SELECT title FROM news_story")}
    assert named & set(stale.values()), "some stories are named by a stale headline"


def _versions_whole(db: Db, stale: dict[str, str], right: dict[str, str]) -> list[str]:
    """Each article old or new, never half: (stale headline, no version) or (right headline,
    one version holding the stale headline)."""
    titles = dict(db.rows("SELECT url, title FROM news_article"))
    versions: dict[str, list[str]] = {}
    for url, title in db.rows(
        "SELECT a.url, v.title FROM news_articleversion v "
        "JOIN news_article a ON a.id = v.article_id"
    ):
        versions.setdefault(url, []).append(title)
    bad = []
    for url, title in titles.items():
        kept = versions.get(url, [])
        if url not in stale:
            if kept or title != right[url]:
                bad.append(f"{url}: untouched, yet {title!r} with versions {kept}")
        elif not (title == stale[url] and not kept) and not (
            title == right[url] and kept == [stale[url]]
        ):
            bad.append(f"{url}: {title!r} with versions {kept}")
    return bad


def test_reprocess_killed_at_random_moments_keeps_every_article_whole(
    new_db: Callable[[str], Db], loopback: Any, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 3)
    (docs,) = workload.rounds(1, EVENTS, SEED + 3, outlets=OUTLETS)
    feeds = workload.serve(loopback, docs, delay=0.0, etag='"one"', outlets=OUTLETS)
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    # Every report of half the events: their stories are named by a stale headline, which
    # no article has once they are put right, unless they are judged again.
    events = sorted({d.event for d in docs})
    picked = set(rng.sample(events, k=len(events) // 2))
    stale = {
        loopback.url(d.path): f"Stale headline {n}" for n, d in enumerate(docs) if d.event in picked
    }

    reference, db = new_db("reference"), new_db("killed")
    for one in (reference, db):
        _stale_archive(one, opml, stale, tmp_path / "setup.log")
    right = {loopback.url(d.path): d.title for d in docs}

    def check(outcome: Outcome) -> None:
        found = problems(db.rows, db.sqlite) + _versions_whole(db, stale, right)
        assert found == [], f"after {outcome.line()}: {found}"
        done = db.rows("SELECT count(*) FROM news_articleversion")[0][0]
        print(f"  {done} of {len(stale)} stale headlines put right")

    # Each killed run reprocesses another outlet's pages, so that each has work to do; the
    # leftovers of the runs before it wait for the rerun (or for a later run's judging).
    commands = [["reprocess", "--source", f"outlet-o{n % OUTLETS}", "-q"] for n in range(KILLS)]
    kill_rounds(reference, db, commands, rng, tmp_path, check)
    # And a kill the moment a run over every page has put the last stale headline right: each
    # article it changed must still be judged again, by a run to which none of them is new.
    run_clean(reference.env, ["reprocess", "-q"], tmp_path / "reference.log")
    right_now = f"SELECT count(*) - {len(stale) - 1} FROM news_articleversion"
    outcome = kill_when(db.env, ["reprocess", "-q"], db.rows, right_now, tmp_path / "k.log", "all")
    assert outcome.killed
    check(outcome)

    for one in (reference, db):
        took, output = run_clean(one.env, ["reprocess", "-q"], tmp_path / "rerun.log")
        print(f"{one.name}, all pages: {took:.1f} s: {output.splitlines()[0]}")
        found = problems(one.rows, one.sqlite, complete=True) + _versions_whole(one, stale, right)
        assert found == [], found
        assert dict(one.rows("SELECT url, title FROM news_article")) == right
    want = Snapshot.of(reference.rows)
    assert want.versions == len(stale)
    assert not {title for title, _ in want.stories} & set(stale.values())
    differences = Snapshot.of(db.rows).differences(want)
    assert differences == [], "\n".join(differences)
