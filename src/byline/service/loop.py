"""The fetch loop of ``byline run``: a supervised thread that claims due feeds, fetches them,
and sleeps until the next one falls due. It never dies of one bad run: a failure (the
database gone, say) is logged and counted, and the loop tries again after a pause.

Several processes may run this loop against one PostgreSQL database: each feed is claimed by
one of them at a time (``registry.claim_due_feeds``), so every feed is fetched once.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from byline.config import Config
from byline.service import metrics

log = logging.getLogger(__name__)

MIN_WAIT = 1.0  # seconds: never look for due feeds more often than this


class FetchLoop:
    """Start with ``start()``; ``stop(timeout)`` asks it to finish the page in hand and waits.
    ``wake()`` makes it look for due feeds now (a WebSub push, a new source)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.idle = float(config.run_idle_seconds)
        self.runs = 0
        self.last_error = ""
        self.last_run_at: datetime | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        # A daemon: past ``shutdown_timeout`` the process exits anyway; a page half-stored is
        # rolled back with its transaction, and its feed is fetched again.
        self._thread = threading.Thread(target=self._run, name="byline-fetch", daemon=True)
        self._pages_seen = 0

    def start(self) -> FetchLoop:
        self._thread.start()
        return self

    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float) -> bool:
        """Ask the loop to stop after the page in hand; True when it ended within
        ``timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # ── the thread ───────────────────────────────────────────────────────────────────────

    def _run(self) -> None:
        metrics.LOOP_UP.set(1)
        failures = 0
        try:
            while not self._stop.is_set():
                close_old_connections()
                try:
                    wait = self._once()
                    failures, self.last_error = 0, ""
                except Exception as exc:  # the loop outlives any one failure
                    failures += 1
                    reason = "database" if isinstance(exc, DatabaseError) else "unexpected"
                    metrics.FETCH_ERRORS.labels(reason).inc()
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    log.exception(
                        "fetch loop failed (%s); trying again",
                        self.last_error,
                        extra={"event": "fetch_loop_error", "reason": reason},
                    )
                    connection.close()  # a broken connection is not reused
                    wait = min(self.idle, MIN_WAIT * 2**failures)
                self._wake.wait(wait)
                self._wake.clear()
        finally:
            metrics.LOOP_UP.set(0)
            metrics.QUEUE_DEPTH.set(0)
            connection.close()
            log.info("fetch loop stopped", extra={"event": "fetch_loop_stopped"})

    def _once(self) -> float:
        """One look: fetch what is due; returns how long to wait before the next look."""
        from byline.ingest import fetch_feeds, judge_new
        from byline.news import changes, queries, registry
        from byline.service import websub

        websub.subscribe_due(self.config)
        feeds = registry.claim_due_feeds()
        if feeds:
            self._pages_seen = 0
            started = time.perf_counter()
            report = fetch_feeds(self.config, feeds, self._progress, stop=self._stop.is_set)
            changes.bump()  # stories and labels changed in bulk: cached pages are stale
            metrics.QUEUE_DEPTH.set(0)
            metrics.record_run(report)
            self.runs += 1
            self.last_run_at = timezone.now()
            log.info(
                "fetched %d feeds (%d failed): %d pages, %d new articles, %d new stories",
                report.feeds_ok + report.feeds_failed,
                report.feeds_failed,
                report.pages_fetched,
                report.articles_added,
                report.stories_created,
                extra={
                    "event": "fetch_run",
                    "feeds_ok": report.feeds_ok,
                    "feeds_failed": report.feeds_failed,
                    "pages": report.pages_fetched,
                    "articles_added": report.articles_added,
                    "articles_updated": report.articles_updated,
                    "stories_created": report.stories_created,
                    "pages_left": report.pages_left,
                    "errors": dict(report.errors),
                    "judge_seconds": round(report.judge_seconds, 3),
                    "seconds": round(time.perf_counter() - started, 3),
                },
            )
            return 0.0  # more feeds may have fallen due meanwhile: look again at once
        state = queries.service_state()
        if state["unjudged"]:  # left by a stopped run or an import: judge them now
            started = time.perf_counter()
            created = judge_new(self.config)
            changes.bump()
            metrics.JUDGE_SECONDS.observe(time.perf_counter() - started)
            log.info("judged waiting articles: %d new stories", created)
        next_due: datetime | None = state["next_due"]
        if next_due is None:
            return self.idle
        return max(MIN_WAIT, min(self.idle, (next_due - timezone.now()).total_seconds()))

    def _progress(self, stage: str, done: int, total: int) -> None:
        if stage != "pages":
            return
        metrics.QUEUE_DEPTH.set(total - done)
        metrics.count_pages(done - self._pages_seen)
        self._pages_seen = done
