"""`byline run` as a service: real processes serving on loopback and fetching loopback
outlets, stopped with real signals, against a real database (SQLite file, or a scratch
PostgreSQL database in the PostgreSQL pass)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.integration.processes import (
    byline,
    byline_env,
    count,
    get,
    running,
    serve_outlets,
)

pytestmark = pytest.mark.postgres  # runs in both passes


def metric_values(base: str) -> dict[str, float]:
    """Every sample of /metrics by name and labels, parsed with prometheus_client's parser."""
    status, text = get(base + "/metrics")
    assert status == 200, text
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            values[sample.name + (f"{{{labels}}}" if labels else "")] = sample.value
    return values


def wait_for(what: str, check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def stop(proc: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def test_run_serves_keeps_fetching_reports_health_and_metrics_and_stops_cleanly(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    env = byline_env(tmp_path / "data", url)
    # poll often, so the test sees the loop come back for a new article
    env.update(BYLINE_FEED_MIN_INTERVAL="0.02", BYLINE_FEED_MAX_INTERVAL="0.03")
    env.update(BYLINE_RUN_IDLE_SECONDS="1", BYLINE_LOG_FORMAT="json")
    feeds = serve_outlets(loopback, kit, outlets=2, pages=3, delay=0)
    for n, feed in enumerate(feeds):
        byline(env, "sources", "add", f"Outlet {n}", feed)

    with running(env) as (proc, base):
        assert get(base + "/healthz") == (200, '{"status": "ok"}')
        status, body = wait_for("readiness", lambda: (r := get(base + "/readyz"))[0] == 200 and r)
        assert json.loads(body)["checks"] == {"database": "ok", "fetch_loop": "ok"}
        wait_for("6 articles", lambda: count(rows, "SELECT count(*) FROM news_article") == 6)
        values = wait_for(
            "the run's metrics",
            lambda: (m := metric_values(base))["byline_articles_added_total"] == 6 and m,
        )
        assert values["byline_articles"] == 6
        assert values["byline_pages_fetched_total"] == 6
        assert values["byline_articles_added_total"] == 6
        assert values["byline_feeds_fetched_total{outcome=ok}"] >= 2
        assert values["byline_fetch_loop_up"] == 1
        assert values["byline_pages_per_minute"] == pytest.approx(6 * 60 / 300)
        assert values["byline_judge_seconds_count"] >= 1
        assert values["byline_http_requests_total{route=readyz,status=2xx}"] >= 1

        # an outlet publishes: the running service finds it without being asked
        word = "Quillhaven"
        path = "/o0/late.html"
        title = f"{word} harbour reopens after the storm"
        when = kit.BASE_TIME + timedelta(days=1)
        loopback.add(
            path,
            kit.article_html(
                title, kit.story_paragraphs(word, "harbour"), when, loopback.url(path)
            ),
        )
        items = [(title, loopback.url(path), when)] + [
            (
                f"Town0x{p} council approves the bridge number {p}",
                loopback.url(f"/o0/p{p}.html"),
                kit.BASE_TIME + timedelta(hours=p),
            )
            for p in range(3)
        ]
        loopback.add(
            "/o0/feed.xml",
            kit.rss_feed("Outlet 0", items),
            content_type="application/rss+xml; charset=utf-8",
        )
        wait_for("the new article", lambda: count(rows, "SELECT count(*) FROM news_article") == 7)
        story = wait_for(
            "the new article's story",
            lambda: rows(f"SELECT story_id FROM news_article WHERE title LIKE '{word}%'")[0][0],
        )
        status, page = get(f"{base}/story/{story}/")
        assert status == 200 and word in page

        code, out, err = stop(proc)
    assert code == 0, err
    assert "stopped cleanly" in out
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    names = [e.get("event") for e in events]
    assert "serving" in names and "fetch_run" in names and names[-1] == "stopped"
    run = next(e for e in events if e.get("event") == "fetch_run")
    assert {"feeds_ok", "pages", "articles_added", "judge_seconds", "level", "time"} <= set(run)
    assert count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0


def test_sigterm_mid_fetch_finishes_the_page_in_hand_and_the_next_run_loses_nothing(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    """The feed answers 304 to its ETag: had the stopped run stored the ETag, the next
    fetch would never list the pages it left."""
    url, rows = database
    env = byline_env(tmp_path / "data", url)
    feeds = serve_outlets(loopback, kit, outlets=1, pages=30, delay=0.3, etag='"v1"')
    byline(env, "sources", "add", "Outlet 0", feeds[0])

    with running(env, "--log-format", "json") as (proc, _):
        wait_for("3 articles", lambda: count(rows, "SELECT count(*) FROM news_article") >= 3)
        started = time.monotonic()
        code, _, err = stop(proc)
        assert time.monotonic() - started < 20, "stopping must not wait for the whole run"
    assert code == 0, err
    stored = count(rows, "SELECT count(*) FROM news_article")
    assert 3 <= stored < 30, "the stop must land mid-run"
    if not url:
        assert rows("PRAGMA integrity_check") == [("ok",)]
    assert count(rows, "SELECT count(*) FROM news_article WHERE page_id IS NULL") == 0
    etag, due = rows("SELECT etag, next_fetch_at FROM news_feed")[0]
    if isinstance(due, str):  # SQLite keeps datetimes as UTC text
        due = datetime.fromisoformat(due).replace(tzinfo=UTC)
    assert etag == "" and due <= datetime.now(UTC), "the unfinished feed is due again, in full"
    stopped = [json.loads(line) for line in err.splitlines() if '"fetch stopped"' in line]
    assert stopped and stopped[0]["pages_left"] == 30 - stored

    byline(env, "fetch", "-q")  # no --all: the feed must be due by itself
    assert count(rows, "SELECT count(*) FROM news_article") == 30
    assert count(rows, "SELECT count(DISTINCT url) FROM news_article") == 30
    assert count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0
    assert rows("SELECT etag FROM news_feed") == [('"v1"',)], "validators kept once finished"


def test_kill_9_mid_fetch_of_a_feed_with_an_etag_loses_nothing(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    """SIGKILL leaves no chance to tidy up: the feed's ETag is only stored once all its pages
    are taken, so the rerun is not answered 304 and fetches the rest."""
    url, rows = database
    env = byline_env(tmp_path / "data", url)
    feeds = serve_outlets(loopback, kit, outlets=1, pages=20, delay=0.25, etag='"v1"')
    byline(env, "sources", "add", "Outlet 0", feeds[0])
    worker = subprocess.Popen(
        [sys.executable, "-m", "byline", "fetch", "--all", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for("3 articles", lambda: count(rows, "SELECT count(*) FROM news_article") >= 3)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert count(rows, "SELECT count(*) FROM news_article") < 20, "the kill must land mid-run"
    assert rows("SELECT etag FROM news_feed") == [("",)]

    byline(env, "fetch", "--all", "-q")
    assert count(rows, "SELECT count(*) FROM news_article") == 20
    assert loopback.conditional.count('"v1"') == 0, "no 304 could hide the rest"


def test_two_services_on_one_database_fetch_each_feed_and_page_once(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    env = byline_env(tmp_path / "data", url)
    env.update(BYLINE_RUN_IDLE_SECONDS="1")
    feeds = serve_outlets(loopback, kit, outlets=12, pages=2, delay=0.05)
    for n, feed in enumerate(feeds):
        byline(env, "sources", "add", f"Outlet {n}", feed)
    loopback.hits.clear()

    with running(env) as (first, base1), running(env) as (second, base2):
        wait_for("24 articles", lambda: count(rows, "SELECT count(*) FROM news_article") == 24)
        wait_for(
            "judging",
            lambda: count(rows, "SELECT count(*) FROM news_article WHERE story_id IS NULL") == 0,
        )
        wait_for(
            "the fetch runs to finish",
            lambda: (
                all(
                    metric_values(base)["byline_queue_depth"] == 0
                    and metric_values(base)["byline_articles_unjudged"] == 0
                    for base in (base1, base2)
                )
                and sum(metric_values(base)["byline_fetch_runs_total"] for base in (base1, base2))
            ),
        )
        results = [stop(first), stop(second)]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    hits = Counter(path for path in loopback.hits if not path.endswith("robots.txt"))
    assert set(hits) == {f"/o{o}/feed.xml" for o in range(12)} | {
        f"/o{o}/p{p}.html" for o in range(12) for p in range(2)
    }
    assert all(n == 1 for n in hits.values()), hits.most_common(3)
    assert count(rows, "SELECT count(*) FROM news_relation") == 24
