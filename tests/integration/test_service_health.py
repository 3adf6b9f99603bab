"""The service endpoints through Django's test client, and the fetch loop's supervision."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from byline.config import Config
from byline.service import metrics
from byline.service.loop import FetchLoop
from byline.service.run import RUNNING

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_with_a_migrated_database_and_no_loop(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok"}}


def test_readyz_says_503_and_why_when_the_fetch_loop_is_dead(
    client: Client, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RUNNING, "loop", FetchLoop(config))  # never started
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["fetch_loop"] == "not running"


def test_readyz_says_503_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from byline.service import views

    class Down:
        def __enter__(self) -> Any:
            raise OperationalError("connection refused")

        def __exit__(self, *exc: Any) -> None:
            return None

    monkeypatch.setattr(views.connection, "cursor", lambda: Down())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("database unreachable")


def test_metrics_are_prometheus_text_for_loopback_only(client: Client) -> None:
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(response.content.decode())}
    for name in (
        "byline_feeds_due",
        "byline_fetch_errors",
        "byline_pages_per_minute",
        "byline_judge_seconds",
        "byline_queue_depth",
        "byline_http_requests",
    ):
        assert name in families, name
    healthz = [
        s for s in families["byline_http_requests"].samples if s.labels.get("route") == "healthz"
    ]
    assert healthz and healthz[0].value >= 1
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_the_fetch_loop_outlives_a_failed_run_and_counts_it(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    done = threading.Event()
    loop = FetchLoop(config)

    def once() -> float:
        calls.append(loop.last_error)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        done.set()
        return 30.0

    monkeypatch.setattr(loop, "_once", once)
    before = metrics.FETCH_ERRORS.labels("database")._value.get()
    loop.start()
    assert done.wait(10), "the loop did not try again after the failure"
    assert loop.alive()
    assert metrics.FETCH_ERRORS.labels("database")._value.get() == before + 1
    assert "OperationalError" in calls[1], "the failure is on record while it lasts"
    assert loop.stop(5)
    assert not loop.alive()
    assert loop.last_error == "", "and cleared once a look succeeds"
