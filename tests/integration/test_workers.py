"""Never lose data: a `byline fetch` killed with SIGKILL mid-run and restarted loses no page
and stores no duplicate; three `byline fetch` workers at once fetch every feed and every page
exactly once. These run real `byline` processes against a real database: a SQLite file in the
SQLite pass, a scratch PostgreSQL database in the PostgreSQL pass."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import require

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith(("postgres://", "postgresql://"))
pytestmark = pytest.mark.postgres  # runs in both passes


def _byline_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update(
        BYLINE_DATA_DIR=str(data_dir),
        BYLINE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
        BYLINE_HOST_DELAY="0",
        BYLINE_RETRY_BACKOFF="0.01",
        DATABASE_URL=database_url,
    )
    return env


def byline(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "byline", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"byline {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(DATABASE_URL, a function running one SQL query and returning its rows)."""
    if not ON_POSTGRES:
        path = tmp_path / "data" / "byline.sqlite3"

        def sqlite_rows(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=30) as db:
                return list(db.execute(sql).fetchall())

        yield "", sqlite_rows
        return
    import psycopg

    name = f"byline_workers_{uuid.uuid4().hex[:10]}"
    admin_url = PG_URL.replace("postgresql://", "postgres://")
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        require(False, f"PostgreSQL is not reachable ({exc})", "start PostgreSQL")
    admin.execute(f"CREATE DATABASE {name}")
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"

    def pg_rows(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url) as db:
            return list(db.execute(sql).fetchall())

    try:
        yield url, pg_rows
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def _serve_outlets(loopback: Any, kit: Any, outlets: int, pages: int, delay: float) -> list[str]:
    """Outlets with distinct stories; every page answers after ``delay`` seconds."""
    feeds = []
    for o in range(outlets):
        items = []
        for p in range(pages):
            word = f"Town{o}x{p}"
            when = kit.BASE_TIME + timedelta(hours=o * pages + p)
            path = f"/o{o}/p{p}.html"
            url = loopback.url(path)
            title = f"{word} council approves the bridge number {o * pages + p}"
            html = kit.article_html(title, kit.story_paragraphs(word, "bridge"), when, url)
            loopback.add(path, html, delay=delay)
            items.append((title, url, when))
        feed = loopback.add(
            f"/o{o}/feed.xml",
            kit.rss_feed(f"Outlet {o}", items),
            content_type="application/rss+xml; charset=utf-8",
        )
        feeds.append(feed)
    return feeds


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


def _count(rows: Any, sql: str) -> int:
    return int(rows(sql)[0][0])


def test_kill_9_mid_fetch_then_restart_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    env = _byline_env(tmp_path / "data", url)
    feeds = _serve_outlets(loopback, kit, outlets=1, pages=40, delay=0.25)
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
        stored = _count(rows, "SELECT count(*) FROM news_article")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    killed_at = _count(rows, "SELECT count(*) FROM news_article")
    assert 5 <= killed_at < 40, "the kill must land mid-run"
    if not url:
        assert rows("PRAGMA integrity_check") == [("ok",)]
    # every stored article is whole: its raw page is there too
    assert _count(rows, "SELECT count(*) FROM news_article WHERE page_id IS NULL") == 0

    byline(env, "fetch", "--all", "-q")
    assert _count(rows, "SELECT count(*) FROM news_article") == 40
    assert _count(rows, "SELECT count(DISTINCT url) FROM news_article") == 40
    assert _count(rows, "SELECT count(*) FROM news_page") == 40
    assert _count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0
    assert _count(rows, "SELECT count(*) FROM news_relation") == 40


def test_three_workers_fetch_every_feed_and_page_exactly_once(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    env = _byline_env(tmp_path / "data", url)
    feeds = _serve_outlets(loopback, kit, outlets=24, pages=2, delay=0.05)
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
    assert _count(rows, "SELECT count(*) FROM news_article") == 48
    assert _count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0
    assert _count(rows, "SELECT count(*) FROM news_relation") == 48
