"""`byline rejudge` killed with SIGKILL at random moments, each kill on top of what the last
left, then one clean rerun.

The setup is an archive judged by an "older version": pages fetched from loopback outlets and
judged, then every provenance label overwritten as a version that knew no copies would have
left it (each article independent, no origin, no evidence; no source counted as a copier).
`rejudge` works through it a few articles a block, each block one transaction. After every
kill each label must be whole, old or new: the old one, or exactly the label an unkilled
reference run gives; and the database must pass every check of `harness.problems`. After the
rerun the database must match the reference, the sources' copy tallies included.
"""

from __future__ import annotations

import json
import random
from collections import Counter
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

from byline.judge.provenance import is_presumed

pytestmark = pytest.mark.postgres  # runs in both passes

OUTLETS = 8
EVENTS = 16  # about 5 pages an outlet
BLOCK = "3"  # articles a transaction: many blocks a run, so kills land between and inside
OLD = ("independent", "")  # (relation, origin URL) as the older version left every article
OLDER_VERSION = (
    "UPDATE news_relation SET relation = 'independent', origin_id = NULL, via_id = NULL, "
    "score = 0, evidence = '{}'",
    "UPDATE news_source SET spun_count = 0, scraped_count = 0",
)
TALLIES = "SELECT slug, judged_count, spun_count, scraped_count FROM news_source ORDER BY slug"


def _older_archive(db: Db, opml: Path, log: Path) -> None:
    run_clean(db.env, ["sources", "import", str(opml)], log)
    run_clean(db.env, ["fetch", "--all", "-q"], log)
    db.execute(*OLDER_VERSION)
    assert problems(db.rows, db.sqlite, complete=True) == []
    assert set(Snapshot.of(db.rows).labels.values()) == {OLD}


def _labels_whole(db: Db, fresh: dict[str, tuple[str, str]]) -> list[str]:
    """Each article's label old or new, never another: the older version's, or the one an
    unkilled run gives."""
    return [
        f"{url}: {label} (old {OLD}, fresh {fresh[url]})"
        for url, label in Snapshot.of(db.rows).labels.items()
        if label not in (OLD, fresh[url])
    ]


def _tallies_agree(db: Db) -> list[str]:
    """Each source's copy tallies as its labels stand: a block's labels and its sources'
    recount are one transaction, so no kill leaves them apart."""
    spun: Counter[str] = Counter()
    scraped: Counter[str] = Counter()
    for slug, relation, evidence in db.rows(
        "SELECT o.slug, r.relation, r.evidence FROM news_relation r "
        "JOIN news_article a ON a.id = r.article_id JOIN news_source o ON o.id = a.source_id"
    ):
        summary = (json.loads(evidence) if isinstance(evidence, str) else evidence or {}).get(
            "summary", ()
        )
        if relation == "spun" and not is_presumed(summary):
            spun[slug] += 1
        elif relation == "scraped":
            scraped[slug] += 1
    return [
        f"{slug}: tallies spun {s} scraped {c}, labels spun {spun[slug]} scraped {scraped[slug]}"
        for slug, _, s, c in db.rows(TALLIES)
        if (s, c) != (spun[slug], scraped[slug])
    ]


def test_rejudge_killed_at_random_moments_keeps_every_label_whole(
    new_db: Callable[[str], Db], loopback: Any, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 4)
    (docs,) = workload.rounds(1, EVENTS, SEED + 4, outlets=OUTLETS)
    feeds = workload.serve(loopback, docs, delay=0.0, etag='"one"', outlets=OUTLETS)
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    reference, db = new_db("reference"), new_db("killed")
    for one in (reference, db):
        _older_archive(one, opml, tmp_path / "setup.log")
    fresh: dict[str, tuple[str, str]] = {}

    def check(outcome: Outcome) -> None:
        if not fresh:  # the reference has run to its end once: its labels are the fresh ones
            fresh.update(Snapshot.of(reference.rows).labels)
        found = problems(db.rows, db.sqlite) + _labels_whole(db, fresh) + _tallies_agree(db)
        assert found == [], f"after {outcome.line()}: {found}"
        done = sum(1 for url, label in Snapshot.of(db.rows).labels.items() if label == fresh[url])
        print(f"  {done} of {len(fresh)} labels fresh")

    # The reference rejudges before each kill too: its later runs change nothing but take as
    # long (every block is judged again), so the kill lands inside the killed run.
    commands = [["rejudge", "-q", "--block", BLOCK] for _ in range(KILLS)]
    kill_rounds(reference, db, commands, rng, tmp_path, check)

    # And a kill the moment the first copy's label shows, in a run over the whole archive as
    # one block: its labels, stories and tallies are one transaction, so they show together.
    db.execute(*OLDER_VERSION)
    copies = "SELECT count(*) FROM news_relation WHERE relation IN ('spun', 'scraped')"
    outcome = kill_when(db.env, ["rejudge", "-q"], db.rows, copies, tmp_path / "k.log", "first")
    assert outcome.killed
    check(outcome)

    changed = sum(1 for label in fresh.values() if label != OLD)
    assert changed >= 10, f"the older version's labels must be wrong somewhere: {changed}"
    outputs = {}
    for one in (reference, db):
        took, outputs[one.name] = run_clean(one.env, ["rejudge", "-q"], tmp_path / "rerun.log")
        print(f"{one.name}, rerun: {took:.1f} s: {outputs[one.name].splitlines()[0]}")
        assert problems(one.rows, one.sqlite, complete=True) == []
    # A rejudged archive is judged again to the same labels: nothing left to change.
    assert outputs["reference"] == f"articles {len(fresh)}; labels changed 0\n"
    want = Snapshot.of(reference.rows)
    assert want.labels == fresh
    differences = Snapshot.of(db.rows).differences(want)
    assert differences == [], "\n".join(differences)
    assert db.rows(TALLIES) == reference.rows(TALLIES)
    assert _tallies_agree(db) == []
    assert any(spun or scraped for _, _, spun, scraped in reference.rows(TALLIES))
