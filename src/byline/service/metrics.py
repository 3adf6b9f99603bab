"""Byline's metrics in the Prometheus text format (``/metrics``), kept with prometheus_client.

One registry per process. The fetch loop counts what it does (``record_run``, ``count_pages``);
the database's state (feeds due, articles, stories) is read when the metrics are scraped, so
every process serving the site reports it, fetching or not.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from byline.ingest import IngestReport

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
RATE_WINDOW = 300.0  # seconds over which pages per minute is averaged

disable_created_metrics()  # no *_created series: Byline's counters start with the process
REGISTRY = CollectorRegistry()

FETCH_RUNS = Counter("byline_fetch_runs", "Fetch runs finished by this process.", registry=REGISTRY)
FEEDS_FETCHED = Counter(
    "byline_feeds_fetched",
    "Feeds fetched by this process, by outcome (ok also counts 304 not modified).",
    ["outcome"],
    registry=REGISTRY,
)
PAGES_FETCHED = Counter(
    "byline_pages_fetched",
    "Article pages taken (fetched, extracted, stored or refused).",
    registry=REGISTRY,
)
ARTICLES_ADDED = Counter(
    "byline_articles_added", "New articles stored by this process.", registry=REGISTRY
)
FETCH_ERRORS = Counter(
    "byline_fetch_errors",
    "Feeds and pages that failed, by reason (http_404, network, too_large, extraction, …).",
    ["reason"],
    registry=REGISTRY,
)
JUDGE_SECONDS = Histogram(
    "byline_judge_seconds",
    "Time to judge a fetch run's new articles (stories, provenance and names).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge(
    "byline_queue_depth",
    "Article pages listed by the fetch run in progress and not yet taken.",
    registry=REGISTRY,
)
LOOP_UP = Gauge(
    "byline_fetch_loop_up", "1 while this process's fetch loop is running.", registry=REGISTRY
)
LAST_RUN = Gauge(
    "byline_last_fetch_run_timestamp_seconds",
    "When this process last finished a fetch run (Unix time).",
    registry=REGISTRY,
)
WEBSUB_REQUESTS = Counter(
    "byline_websub_requests",
    "WebSub subscription requests sent to hubs, by outcome (accepted, failed).",
    ["outcome"],
    registry=REGISTRY,
)
WEBSUB_PUSHES = Counter(
    "byline_websub_pushes",
    "Content pushed by WebSub hubs, by outcome (accepted, bad_signature).",
    ["outcome"],
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "byline_http_requests",
    "Requests answered by the site, by route and status class.",
    ["route", "status"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "byline_http_request_seconds",
    "Time to answer a request, by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    registry=REGISTRY,
)


class _PageRate:
    """Pages taken per minute over the last ``RATE_WINDOW`` seconds."""

    def __init__(self) -> None:
        self._events: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        if count <= 0:
            return
        now = time.monotonic()
        with self._lock:
            self._events.append((now, count))
            self._trim(now)

    def per_minute(self) -> float:
        now = time.monotonic()
        with self._lock:
            self._trim(now)
            return sum(count for _, count in self._events) * 60.0 / RATE_WINDOW

    def _trim(self, now: float) -> None:
        while self._events and self._events[0][0] < now - RATE_WINDOW:
            self._events.popleft()


PAGE_RATE = _PageRate()


class _Database(Collector):
    """Gauges read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from byline.news import queries

        state = queries.service_state()
        yield GaugeMetricFamily(
            "byline_pages_per_minute",
            f"Article pages taken per minute by this process, over the last {int(RATE_WINDOW)} s.",
            value=PAGE_RATE.per_minute(),
        )
        yield GaugeMetricFamily(
            "byline_feeds_due", "Unpaused feeds due for a fetch now.", value=state["feeds_due"]
        )
        yield GaugeMetricFamily(
            "byline_feeds_paused",
            "Feeds paused after repeated failures.",
            value=state["feeds_paused"],
        )
        yield GaugeMetricFamily("byline_feeds", "Feeds followed.", value=state["feeds"])
        yield GaugeMetricFamily(
            "byline_websub_subscriptions",
            "Feeds with a verified WebSub subscription.",
            value=state["websub_active"],
        )
        yield GaugeMetricFamily(
            "byline_articles_unjudged",
            "Stored articles not yet placed in a story.",
            value=state["unjudged"],
        )
        yield GaugeMetricFamily("byline_articles", "Articles stored.", value=state["articles"])
        yield GaugeMetricFamily("byline_stories", "Stories.", value=state["stories"])


REGISTRY.register(_Database())


def count_pages(done: int) -> None:
    PAGES_FETCHED.inc(done)
    PAGE_RATE.add(done)


def record_run(report: IngestReport) -> None:
    """Count one finished fetch run."""
    FETCH_RUNS.inc()
    FEEDS_FETCHED.labels("ok").inc(report.feeds_ok)
    FEEDS_FETCHED.labels("failed").inc(report.feeds_failed)
    ARTICLES_ADDED.inc(report.articles_added)
    for reason, count in report.errors.items():
        FETCH_ERRORS.labels(reason).inc(count)
    if not report.pages_left:
        JUDGE_SECONDS.observe(report.judge_seconds)
    LAST_RUN.set_to_current_time()


def exposition() -> bytes:
    return generate_latest(REGISTRY)
