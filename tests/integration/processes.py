"""Running real `byline` processes against a real database, for the tests that kill, stop
or race them (test_workers, test_service)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.conftest import require

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith(("postgres://", "postgresql://"))


def byline_env(data_dir: Path, database_url: str) -> dict[str, str]:
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


def database_fixture(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(DATABASE_URL, a function running one SQL query and returning its rows): a SQLite
    file in the SQLite pass, a scratch PostgreSQL database in the PostgreSQL pass. Used by
    the ``database`` fixture (conftest)."""
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


def serve_outlets(
    loopback: Any, kit: Any, outlets: int, pages: int, delay: float, etag: str = ""
) -> list[str]:
    """Outlets with distinct stories; every page answers after ``delay`` seconds. With
    ``etag``, each feed sends that ETag and answers 304 to a request that names it."""
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
            etag=etag,
        )
        feeds.append(feed)
    return feeds


def count(rows: Any, sql: str) -> int:
    return int(rows(sql)[0][0])


@contextmanager
def running(
    env: dict[str, str], *args: str, port: int = 0
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`byline run --port PORT …` started (any free port by default); yields the process and
    its base URL (read from the line it prints). Killed at the end if a test left it
    running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "byline", "run", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, f"no address in {line!r}: {proc.stderr.read() if proc.stderr else ''}"
        yield proc, f"http://127.0.0.1:{found.group(1)}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")
