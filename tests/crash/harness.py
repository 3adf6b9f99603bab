"""Killing real `byline` processes with SIGKILL and checking what they leave.

``kill_at`` starts a command in its own process group and sends SIGKILL to the group after a
delay (its children die with it, as under the OOM killer or a pulled plug). ``Checks`` reads
the database with plain SQL (the same queries on SQLite and PostgreSQL) and says what is
wrong with it: duplicates, orphans, half-written versions, stories whose counts disagree
with their articles, a search index out of step; ``snapshot`` is what a killed-and-rerun
database must share with an unkilled reference run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LONG = os.environ.get("BYLINE_LONG", "").lower() not in {"", "0", "no", "false"}
KILLS = 20 if LONG else 4  # kills per command per engine
SEED = int(os.environ.get("BYLINE_CRASH_SEED", "1313"))

Rows = Callable[[str], list[tuple[Any, ...]]]


@dataclass
class Outcome:
    label: str
    delay: float  # seconds after the start at which SIGKILL was sent (or would have been)
    killed: bool  # False: the command had ended before its kill
    returncode: int | None
    elapsed: float
    stderr: str = ""

    def line(self) -> str:
        what = "killed" if self.killed else f"had ended (exit {self.returncode}) before"
        return f"{self.label}: SIGKILL at {self.delay:.2f} s: {what} ({self.elapsed:.2f} s)"


def start(env: dict[str, str], args: Sequence[str], log: Path) -> subprocess.Popen[bytes]:
    """`byline ARGS` in a process group of its own, stdout and stderr to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "byline", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_at(
    env: dict[str, str], args: Sequence[str], delay: float, log: Path, label: str
) -> Outcome:
    """Run `byline ARGS` and SIGKILL it (its whole process group) ``delay`` s after start."""
    began = time.monotonic()
    proc = start(env, args, log)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        outcome = Outcome(label, delay, True, proc.returncode, time.monotonic() - began)
    else:
        outcome = Outcome(label, delay, False, proc.returncode, time.monotonic() - began)
        outcome.stderr = log.read_text(errors="replace")[-3000:]
        # a run that ended by itself must have ended well
        assert proc.returncode == 0, f"{label}: exit {proc.returncode}\n{outcome.stderr}"
    print(outcome.line(), flush=True)
    return outcome


def kill_when(
    env: dict[str, str],
    args: Sequence[str],
    rows: Rows,
    sql: str,
    log: Path,
    label: str,
    timeout: float = 120,
) -> Outcome:
    """Run `byline ARGS` and SIGKILL it the moment ``sql`` (a count) reads above zero,
    polling every 10 ms: a kill at a chosen point rather than a random one."""
    began = time.monotonic()
    proc = start(env, args, log)
    try:
        while proc.poll() is None and time.monotonic() - began < timeout:
            try:
                if int(rows(sql)[0][0]) > 0:
                    break
            except Exception:  # the schema is not there yet: the command is migrating
                pass
            time.sleep(0.01)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            outcome = Outcome(label, time.monotonic() - began, True, proc.returncode, 0.0)
        else:
            outcome = Outcome(label, time.monotonic() - began, False, proc.returncode, 0.0)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    outcome.elapsed = time.monotonic() - began
    print(outcome.line(), flush=True)
    return outcome


def run_clean(
    env: dict[str, str], args: Sequence[str], log: Path, timeout: float = 300
) -> tuple[float, str]:
    """Run `byline ARGS` to completion; returns (seconds, output). It must exit 0."""
    began = time.monotonic()
    proc = start(env, args, log)
    try:
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    output = log.read_text(errors="replace")
    assert proc.returncode == 0, f"byline {' '.join(args)}: exit {proc.returncode}\n{output}"
    return time.monotonic() - began, output


def kill_points(rng: random.Random, kills: int) -> list[float]:
    """``kills`` points in a run, as shares of its length: one drawn from each of ``kills``
    equal slices of (0, 1), in shuffled order, so that every part of a run is hit, its
    start as its end."""
    points = [(n + rng.random()) / kills for n in range(kills)]
    rng.shuffle(points)
    return points


def kill_rounds(
    reference: Any,
    db: Any,
    commands: Sequence[Sequence[str]],
    rng: random.Random,
    logs: Path,
    check: Callable[[Outcome], None],
    before: Callable[[int], None] = lambda n: None,
    reference_commands: Sequence[Sequence[str]] | None = None,
    stretch: float = 1.0,
) -> list[Outcome]:
    """For each command: ``before(n)``, then the command run to its end on ``reference`` (its
    length measured), then on ``db`` killed at a point of that length (``kill_points``),
    then ``check``. The reference runs the same commands (or ``reference_commands``, where
    they must differ, in an output folder say), unkilled, in the same order, just before each
    kill, so that the kill lands inside the run however busy the machine is. ``stretch``
    widens the span the points are drawn from: a run that lags behind its reference (it has
    the work of a killed run to redo) takes longer than the reference did."""
    outcomes = []
    points = kill_points(rng, len(commands))
    for n, (args, point) in enumerate(zip(commands, points, strict=True)):
        before(n)
        own = reference_commands[n] if reference_commands is not None else args
        took, _ = run_clean(reference.env, own, logs / f"reference-{n}.log")
        span = took * stretch
        label = f"{' '.join(args[:1])} #{n} ({100 * point:.0f}% of {span:.2f} s)"
        outcome = kill_at(db.env, args, point * span, logs / f"killed-{n}.log", label)
        check(outcome)
        outcomes.append(outcome)
    killed = sum(o.killed for o in outcomes)
    print(f"{killed} of {len(outcomes)} runs killed mid-run")
    assert killed >= len(outcomes) // 2, "most kills must land while the command runs"
    return outcomes


# ── what a database must look like at any moment ───────────────────────────────────────────

# (what, query that returns the offending rows): every query must return nothing.
ALWAYS = [
    (
        "duplicate article URLs",
        "SELECT url, count(*) FROM news_article GROUP BY url HAVING count(*) > 1",
    ),
    (
        "duplicate pages (URL and body)",
        "SELECT url, sha256, count(*) FROM news_page GROUP BY url, sha256 HAVING count(*) > 1",
    ),
    (
        "two provenance rows for one article",
        "SELECT article_id FROM news_relation GROUP BY article_id HAVING count(*) > 1",
    ),
    (
        "duplicate entities",
        "SELECT kind, name FROM news_entity GROUP BY kind, name HAVING count(*) > 1",
    ),
    (
        "duplicate entity mentions",
        "SELECT article_id, entity_id FROM news_articleentity GROUP BY article_id, entity_id "
        "HAVING count(*) > 1",
    ),
    (
        "duplicate feeds or sources",
        "SELECT url FROM news_feed GROUP BY url HAVING count(*) > 1 UNION ALL "
        "SELECT slug FROM news_source GROUP BY slug HAVING count(*) > 1",
    ),
    (
        "articles of a missing story, source or page",
        "SELECT a.id FROM news_article a "
        "LEFT JOIN news_story s ON s.id = a.story_id "
        "LEFT JOIN news_source o ON o.id = a.source_id "
        "LEFT JOIN news_page p ON p.id = a.page_id "
        "WHERE (a.story_id IS NOT NULL AND s.id IS NULL) OR o.id IS NULL "
        "OR (a.page_id IS NOT NULL AND p.id IS NULL)",
    ),
    (
        "a page of no article and no version",
        "SELECT p.id FROM news_page p WHERE NOT EXISTS "
        "(SELECT 1 FROM news_article a WHERE a.page_id = p.id) AND NOT EXISTS "
        "(SELECT 1 FROM news_articleversion v WHERE v.page_id = p.id)",
    ),
    (
        "provenance, version or mention of a missing article",
        "SELECT 'relation', r.id FROM news_relation r "
        "LEFT JOIN news_article a ON a.id = r.article_id WHERE a.id IS NULL UNION ALL "
        "SELECT 'origin', r.id FROM news_relation r LEFT JOIN news_article a "
        "ON a.id = r.origin_id WHERE r.origin_id IS NOT NULL AND a.id IS NULL UNION ALL "
        "SELECT 'version', v.id FROM news_articleversion v "
        "LEFT JOIN news_article a ON a.id = v.article_id WHERE a.id IS NULL UNION ALL "
        "SELECT 'mention', m.id FROM news_articleentity m "
        "LEFT JOIN news_article a ON a.id = m.article_id WHERE a.id IS NULL",
    ),
    (
        "a story in one half of a judgement: story without provenance, or provenance without story",
        "SELECT a.id FROM news_article a LEFT JOIN news_relation r ON r.article_id = a.id "
        "WHERE (a.story_id IS NULL) <> (r.id IS NULL)",
    ),
    (
        "an empty story",
        "SELECT s.id FROM news_story s WHERE s.article_count = 0 OR NOT EXISTS "
        "(SELECT 1 FROM news_article a WHERE a.story_id = s.id)",
    ),
    (
        "a story whose counts or dates disagree with its articles",
        "SELECT s.id, s.article_count, agg.n, s.source_count, agg.sources FROM news_story s "
        "JOIN (SELECT story_id, count(*) AS n, count(DISTINCT source_id) AS sources, "
        "min(published) AS first, max(published) AS last FROM news_article "
        "WHERE story_id IS NOT NULL GROUP BY story_id) agg ON agg.story_id = s.id "
        "WHERE s.article_count <> agg.n OR s.source_count <> agg.sources "
        "OR s.first_published <> agg.first OR s.last_published <> agg.last",
    ),
    (
        "a story named by none of its articles",
        "SELECT s.id, s.title FROM news_story s WHERE NOT EXISTS "
        "(SELECT 1 FROM news_article a WHERE a.story_id = s.id AND a.title = s.title)",
    ),
    (
        "a source whose reputation tally disagrees with its judged articles",
        "SELECT o.id, o.judged_count, count(r.id) FROM news_source o "
        "LEFT JOIN news_article a ON a.source_id = o.id "
        "LEFT JOIN news_relation r ON r.article_id = a.id "
        "GROUP BY o.id, o.judged_count HAVING o.judged_count <> count(r.id)",
    ),
    (
        "a story alias of a missing story",
        "SELECT l.id FROM news_storyalias l LEFT JOIN news_story s ON s.id = l.story_id "
        "WHERE s.id IS NULL",
    ),
]

SQLITE_ONLY = [
    (
        "search index out of step with the articles",
        "SELECT a.id FROM news_article a LEFT JOIN news_article_fts f ON f.rowid = a.id "
        "WHERE f.rowid IS NULL OR f.title <> a.title OR f.text <> a.text UNION ALL "
        "SELECT f.rowid FROM news_article_fts f LEFT JOIN news_article a ON a.id = f.rowid "
        "WHERE a.id IS NULL",
    ),
]

# once a command has run to completion every article is judged
AFTER_RERUN = [
    ("an unjudged article", "SELECT id, url FROM news_article WHERE story_id IS NULL"),
    (
        "a feed still claimed",
        "SELECT id, url FROM news_feed WHERE claimed_until IS NOT NULL",
    ),
]


def problems(rows: Rows, sqlite: bool, complete: bool = False) -> list[str]:
    """Everything wrong with the database (``complete``: after a run that ended well)."""
    found = []
    if sqlite:
        integrity = rows("PRAGMA integrity_check")
        if integrity != [("ok",)]:
            found.append(f"PRAGMA integrity_check: {integrity[:5]}")
        foreign = rows("PRAGMA foreign_key_check")
        if foreign:
            found.append(f"PRAGMA foreign_key_check: {foreign[:5]}")
    checks = ALWAYS + (SQLITE_ONLY if sqlite else []) + (AFTER_RERUN if complete else [])
    for what, sql in checks:
        bad = rows(sql)
        if bad:
            found.append(f"{what}: {len(bad)} rows, e.g. {bad[:3]}")
    return found


@dataclass
class Snapshot:
    """What a run leaves that does not depend on row ids or timing: the articles by URL, the
    stories as sets of URLs, each article's provenance (relation, origin URL), and counts."""

    urls: Counter[str]
    stories: set[tuple[str, frozenset[str]]]  # (title, URLs of its articles)
    labels: dict[str, tuple[str, str]]
    mentions: set[tuple[str, str, str]]
    versions: int
    texts: dict[str, tuple[str, str, str]]  # URL → (title, text hash, published)

    @classmethod
    def of(cls, rows: Rows) -> Snapshot:
        members: dict[int, set[str]] = {}
        for story, url in rows("SELECT story_id, url FROM news_article WHERE story_id IS NOT NULL"):
            members.setdefault(int(story), set()).add(url)
        titles = dict(rows("SELECT id, title FROM news_story"))
        return cls(
            urls=Counter(url for (url,) in rows("SELECT url FROM news_article")),
            stories={(titles[pk], frozenset(urls)) for pk, urls in members.items()},
            labels={
                url: (relation, origin or "")
                for url, relation, origin in rows(
                    "SELECT a.url, r.relation, o.url FROM news_relation r "
                    "JOIN news_article a ON a.id = r.article_id "
                    "LEFT JOIN news_article o ON o.id = r.origin_id"
                )
            },
            mentions=set(
                rows(
                    "SELECT a.url, e.kind, e.name FROM news_articleentity m "
                    "JOIN news_article a ON a.id = m.article_id "
                    "JOIN news_entity e ON e.id = m.entity_id"
                )
            ),
            versions=int(rows("SELECT count(*) FROM news_articleversion")[0][0]),
            texts={
                url: (title, text_hash, str(published)[:19])
                for url, title, text_hash, published in rows(
                    "SELECT url, title, text_hash, published FROM news_article"
                )
            },
        )

    def differences(self, reference: Snapshot) -> list[str]:
        out = []
        missing = set(reference.urls) - set(self.urls)
        extra = set(self.urls) - set(reference.urls)
        twice = [u for u, n in self.urls.items() if n > 1]
        if missing:
            out.append(f"{len(missing)} articles lost, e.g. {sorted(missing)[:3]}")
        if extra:
            out.append(f"{len(extra)} articles the reference lacks, e.g. {sorted(extra)[:3]}")
        if twice:
            out.append(f"{len(twice)} articles stored twice, e.g. {twice[:3]}")
        texts = [u for u, t in self.texts.items() if reference.texts.get(u, t) != t]
        if texts:
            out.append(
                f"{len(texts)} articles extracted otherwise, e.g. "
                f"{[(u, self.texts[u], reference.texts[u]) for u in texts[:2]]}"
            )
        if self.stories != reference.stories:
            out.append(
                f"stories differ: {len(self.stories)} after the kills, "
                f"{len(reference.stories)} in the reference run; "
                f"{len(self.stories - reference.stories)} not in the reference, e.g. "
                f"{[(t, sorted(u)[:2]) for t, u in list(self.stories - reference.stories)[:2]]}"
            )
        labels = {
            url: (label, reference.labels.get(url))
            for url, label in self.labels.items()
            if reference.labels.get(url) != label
        }
        if labels or len(self.labels) != len(reference.labels):
            out.append(
                f"provenance of {len(labels)} articles differs (after the kills, reference), "
                f"e.g. {sorted(labels.items())[:3]}; {len(self.labels)} labelled, "
                f"{len(reference.labels)} in the reference"
            )
        if self.mentions != reference.mentions:
            out.append(
                f"entity mentions: {len(self.mentions)} after the kills, "
                f"{len(reference.mentions)} in the reference; missing e.g. "
                f"{sorted(reference.mentions - self.mentions)[:3]}, extra e.g. "
                f"{sorted(self.mentions - reference.mentions)[:3]}"
            )
        if self.versions != reference.versions:
            out.append(f"versions: {self.versions} after the kills, {reference.versions} before")
        return out
