"""PostgreSQL restarted (``pg_ctl restart -m fast``) under a running `byline fetch`, on a
throwaway cluster of the test's own: the fetch must either recover and finish, or stop with
a one-line message naming the database connection (no traceback), and after a rerun every
article must be there exactly once, judged, with nothing half-written. And (BYLINE_LONG=1)
the server stopped for good under a fetch: it must stop with that one line, and once the
server is back a rerun must find every article.

Both found a defect: a page whose store failed because the server went was reported as a
problem of the page and counted as taken, so its feed's validators were stored and the next
poll, answered 304, never listed it again: the article was lost for good."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.crash import workload
from tests.crash.cluster import throwaway_cluster
from tests.crash.harness import LONG, SEED, problems, run_clean
from tests.integration.processes import byline_env

pytestmark = pytest.mark.postgres  # runs in both passes: the cluster is its own


def _one_line_naming_the_database(err: str, port: int) -> None:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip() and "WARNING" not in line]
    assert len(lines) == 1, err
    assert lines[0].startswith("byline: error: the database connection failed"), err
    assert f"127.0.0.1:{port}" in lines[0], err


def _fetch_under(loopback: Any, tmp_path: Path, seed: int, what: str) -> None:
    """Start a fetch, then do ``what`` (restart, stop) to its server after a few articles."""
    import psycopg

    (docs,) = workload.rounds(1, 24, seed)
    expected = {loopback.url(doc.path) for doc in docs}
    feeds = workload.serve(loopback, docs, delay=0.05, etag='"one"')
    opml = workload.opml(feeds, tmp_path / "feeds.opml")
    with throwaway_cluster() as cluster:
        url = cluster.create_database("crash")

        def rows(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(url, connect_timeout=5) as db:
                return list(db.execute(sql).fetchall())

        env = byline_env(tmp_path / "data", url)
        env["BYLINE_FARM_MIN_COPIES"] = "1000000"
        run_clean(env, ["sources", "import", str(opml)], tmp_path / "setup.log")
        fetch = subprocess.Popen(
            [sys.executable, "-m", "byline", "fetch", "--all", "-q"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            stored = 0
            deadline = time.monotonic() + 60
            while stored < 5 and fetch.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
                stored = rows("SELECT count(*) FROM news_article")[0][0]
            assert fetch.poll() is None, "the fetch must still be running when the server goes"
            if what == "restart":
                cluster.restart("fast")
            else:
                cluster.stop("fast")
            print(f"server {what}: {stored} of {len(expected)} articles stored")
            out, err = fetch.communicate(timeout=120)
        finally:
            if fetch.poll() is None:
                fetch.kill()
                fetch.wait(timeout=10)
        print(f"exit {fetch.returncode}\nstdout: {out.strip()}\nstderr: {err.strip()[:3000]}")
        if what == "stop":
            assert fetch.returncode == 2, err
            _one_line_naming_the_database(err, cluster.port)
            cluster.start()
        elif fetch.returncode != 0:  # it did not recover: it must say why, in one line
            _one_line_naming_the_database(err, cluster.port)
        assert problems(rows, sqlite=False) == []

        _, output = run_clean(env, ["fetch", "--all", "-q"], tmp_path / "rerun.log")
        print(f"rerun: {output.strip()}")
        assert problems(rows, sqlite=False, complete=True) == []
        urls = [u for (u,) in rows("SELECT url FROM news_article")]
        assert sorted(urls) == sorted(expected)  # every article, once
        assert rows("SELECT count(*) FROM news_page") == [(len(expected),)]

        # a command started while the server is down says so in one line too
        cluster.stop("fast")
        down = subprocess.run(
            [sys.executable, "-m", "byline", "fetch", "-q"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert down.returncode == 2, down.stderr
        _one_line_naming_the_database(down.stderr, cluster.port)
        cluster.start()


def test_postgres_restarted_under_a_fetch_loses_nothing(loopback: Any, tmp_path: Path) -> None:
    _fetch_under(loopback, tmp_path, SEED + 5, "restart")


@pytest.mark.skipif(not LONG, reason="about 25 s (retries for 15 s first): BYLINE_LONG=1")
def test_postgres_gone_for_good_under_a_fetch_stops_it_in_one_line_losing_nothing(
    loopback: Any, tmp_path: Path
) -> None:
    _fetch_under(loopback, tmp_path, SEED + 6, "stop")
