"""Never lose data: a `byline fetch` killed with SIGKILL mid-run and restarted loses no page
and stores no duplicate; three `byline fetch` workers at once fetch every feed and every page
exactly once. These run real `byline` processes against a real database: a SQLite file in the
SQLite pass, a scratch PostgreSQL database in the PostgreSQL pass."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tests.integration.processes import byline, byline_env, count, serve_outlets

pytestmark = pytest.mark.postgres  # runs in both passes


def _opml(feeds: list[str], path: Path) -> Path:
    outlines = "\n".join(
        f'<outline type="rss" text="Outlet {n}" title="Outlet {n}" xmlUrl="{url}"/>'
        for n, url in enumerate(feeds)
    )
    path.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
        f"<body>{outlines}</body></opml>",
        encoding="utf-8",
    )
    return path


def test_kill_9_mid_fetch_then_restart_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    env = byline_env(tmp_path / "data", url)
    feeds = serve_outlets(loopback, kit, outlets=1, pages=40, delay=0.25)
    byline(env, "sources", "add", "Outlet 0", feeds[0])

    worker = subprocess.Popen(
        [sys.executable, "-m", "byline", "fetch", "--all", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 5:
        time.sleep(0.1)
        stored = count(rows, "SELECT count(*) FROM news_article")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    killed_at = count(rows, "SELECT count(*) FROM news_article")
    assert 5 <= killed_at < 40, "the kill must land mid-run"
    if not url:
        assert rows("PRAGMA integrity_check") == [("ok",)]
    # every stored article is whole: its raw page is there too
    assert count(rows, "SELECT count(*) FROM news_article WHERE page_id IS NULL") == 0

    byline(env, "fetch", "--all", "-q")
    assert count(rows, "SELECT count(*) FROM news_article") == 40
    assert count(rows, "SELECT count(DISTINCT url) FROM news_article") == 40
    assert count(rows, "SELECT count(*) FROM news_page") == 40
    assert count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0
    assert count(rows, "SELECT count(*) FROM news_relation") == 40


def test_three_workers_fetch_every_feed_and_page_exactly_once(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    env = byline_env(tmp_path / "data", url)
    feeds = serve_outlets(loopback, kit, outlets=24, pages=2, delay=0.05)
    byline(env, "sources", "import", str(_opml(feeds, tmp_path / "feeds.opml")))
    loopback.hits.clear()

    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "byline", "fetch", "-q"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [w.communicate(timeout=180) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err

    hits = Counter(path for path in loopback.hits if not path.endswith("robots.txt"))
    feed_paths = {f"/o{o}/feed.xml" for o in range(24)}
    page_paths = {f"/o{o}/p{p}.html" for o in range(24) for p in range(2)}
    assert set(hits) == feed_paths | page_paths
    assert all(count == 1 for count in hits.values()), hits.most_common(3)
    assert count(rows, "SELECT count(*) FROM news_article") == 48
    assert count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0
    assert count(rows, "SELECT count(*) FROM news_relation") == 48
