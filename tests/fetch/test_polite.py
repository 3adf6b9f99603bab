"""Politeness and decoding: per-host limits and delay, Retry-After and backoff, charset
detection, URL canonicalisation and the adaptive schedule."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from byline.errors import HTTPStatusError
from byline.fetch.charset import decode_html, text_of
from byline.fetch.http import Fetcher, FetchPolicy
from byline.fetch.polite import HostGates, backoff_seconds, retry_after_seconds
from byline.fetch.schedule import posting_interval
from byline.fetch.urls import canonical_url
from byline.records import FetchResult

# ── admission ─────────────────────────────────────────────────────────────────────────────


def test_host_gates_limit_concurrency_and_space_out_starts() -> None:
    gates = HostGates(total=3, per_host=2, delay=0.05)
    in_flight: dict[str, int] = {"a": 0, "b": 0}
    peak: dict[str, int] = {"a": 0, "b": 0, "total": 0}
    starts: dict[str, list[float]] = {"a": [], "b": []}

    async def request(host: str) -> None:
        async with gates.slot(host):
            starts[host].append(time.monotonic())
            in_flight[host] += 1
            peak[host] = max(peak[host], in_flight[host])
            peak["total"] = max(peak["total"], sum(in_flight.values()))
            await asyncio.sleep(0.02)
            in_flight[host] -= 1

    async def main() -> None:
        await asyncio.gather(*(request(h) for h in "aaaaabbbbb"))

    asyncio.run(main())
    assert peak["a"] <= 2 and peak["b"] <= 2 and peak["total"] <= 3
    for host in "ab":
        gaps = [y - x for x, y in zip(starts[host], starts[host][1:], strict=False)]
        assert all(gap >= 0.045 for gap in gaps), gaps


def test_retry_after_forms() -> None:
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 01 Jan 2025 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_backoff_grows_exponentially_with_jitter() -> None:
    rng = random.Random(7)
    for attempt in range(5):
        wait = backoff_seconds(attempt, 1.0, rng)
        assert 0.5 * 2**attempt <= wait <= 1.5 * 2**attempt
    assert len({round(backoff_seconds(0, 1.0, rng), 6) for _ in range(20)}) > 1  # jittered


# ── retries against a real server ─────────────────────────────────────────────────────────

COUNTS: dict[str, int] = {}


class Flaky(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        n = COUNTS[self.path] = COUNTS.get(self.path, 0) + 1
        status, extra = 200, {}
        if self.path == "/503-twice" and n <= 2:
            status = 503
        elif self.path == "/429-once" and n == 1:
            status, extra = 429, {"Retry-After": "1"}
        elif self.path == "/429-long":
            status, extra = 429, {"Retry-After": "3600"}
        elif self.path == "/always-502":
            status = 502
        elif self.path == "/404":
            status = 404
        body = b"<p>ok</p>" if status == 200 else b"no"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    COUNTS.clear()
    policy = FetchPolicy(
        user_agent="Byline/test",
        allow=("127.0.0.1",),
        retries=2,
        retry_backoff=0.01,
        max_retry_after=2,
        timeout=5,
    )
    with Fetcher(policy) as client:
        yield client


def test_5xx_is_retried_with_backoff(fetcher: Fetcher, base_url: str) -> None:
    assert fetcher.get(f"{base_url}/503-twice").body == b"<p>ok</p>"
    assert COUNTS["/503-twice"] == 3


def test_retries_are_bounded(fetcher: Fetcher, base_url: str) -> None:
    with pytest.raises(HTTPStatusError, match="HTTP 502"):
        fetcher.get(f"{base_url}/always-502")
    assert COUNTS["/always-502"] == 3


def test_a_404_is_not_retried(fetcher: Fetcher, base_url: str) -> None:
    with pytest.raises(HTTPStatusError):
        fetcher.get(f"{base_url}/404")
    assert COUNTS["/404"] == 1


def test_retry_after_is_waited_for(fetcher: Fetcher, base_url: str) -> None:
    started = time.monotonic()
    assert fetcher.get(f"{base_url}/429-once").status == 200
    assert time.monotonic() - started >= 0.95
    assert COUNTS["/429-once"] == 2


def test_a_retry_after_beyond_the_limit_fails_at_once(fetcher: Fetcher, base_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.get(f"{base_url}/429-long")
    assert caught.value.status == 429 and caught.value.retry_after == 3600
    assert time.monotonic() - started < 1
    assert COUNTS["/429-long"] == 1


def test_fetch_all_returns_every_result_and_error(fetcher: Fetcher, base_url: str) -> None:
    requests = [(path, f"{base_url}{path}", None) for path in ("/a", "/b", "/404", "/c")]
    outcomes = dict(fetcher.fetch_all(requests))
    assert set(outcomes) == {"/a", "/b", "/404", "/c"}
    assert isinstance(outcomes["/404"], HTTPStatusError)
    assert all(isinstance(outcomes[p], FetchResult) for p in ("/a", "/b", "/c"))


# ── charset ───────────────────────────────────────────────────────────────────────────────

FRENCH = (
    "<html><head><title>Le café</title></head><body><p>Le maire de Zürich a annoncé que la "
    "façade du musée serait rénovée avant l'été. « C'est une décision très attendue », a "
    "déclaré Müller, président de l'association des riverains, devant la presse réunie.</p>"
    "</body></html>"
)


def test_a_latin1_page_without_a_charset_is_decoded_right() -> None:
    text, codec = decode_html(FRENCH.encode("latin-1"), "text/html")
    assert "Zürich" in text and "façade" in text and "« C'est" in text
    assert codec in {"cp1252", "iso8859-15", "latin-1", "iso8859-1"}


def test_header_then_meta_then_detection() -> None:
    meta = FRENCH.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252")
    assert decode_html(meta, "text/html")[1] == "cp1252"
    utf8 = FRENCH.encode("utf-8")
    assert decode_html(utf8, "text/html; charset=utf-8") == (FRENCH, "utf-8")
    # A header that cannot decode the bytes is passed over for the meta tag.
    assert "Zürich" in decode_html(meta, "text/html; charset=utf-8")[0]
    koi8 = "<p>Привет, мир! Это страница в кодировке KOI8-R, без заголовка.</p>" * 5
    assert decode_html(koi8.encode("koi8-r"), "text/html; charset=koi8-r")[0] == koi8


def test_text_of_drops_an_xml_declaration() -> None:
    body = b'<?xml version="1.0" encoding="iso-8859-1"?>\n<html><p>caf\xe9</p></html>'
    result = FetchResult(
        "u", "u", 200, {"content-type": "application/xhtml+xml"}, body, datetime.now(UTC)
    )
    assert text_of(result) == "\n<html><p>café</p></html>"


# ── URLs ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://News.Example.com/a/story.html?utm_source=rss&utm_medium=feed",
            "https://news.example.com/a/story.html",
        ),
        (
            "https://news.example.com/a?id=4&fbclid=XYZ&gclid=1#comments",
            "https://news.example.com/a?id=4",
        ),
        ("http://news.example.com:80/b?z=1&a=2", "http://news.example.com/b?a=2&z=1"),
        ("http://127.0.0.1:8001/outlet/world/x.html", "http://127.0.0.1:8001/outlet/world/x.html"),
        ("mailto:editor@example.com", "mailto:editor@example.com"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


# ── the adaptive schedule ─────────────────────────────────────────────────────────────────

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
LOW, HIGH = timedelta(minutes=15), timedelta(hours=24)


def test_an_hourly_feed_is_polled_hourly() -> None:
    times = [NOW - timedelta(hours=n, minutes=5) for n in range(10)]
    assert posting_interval(times, LOW, HIGH, NOW) == timedelta(hours=1)


def test_a_busy_feed_is_polled_at_the_floor_and_a_quiet_one_at_the_ceiling() -> None:
    busy = [NOW - timedelta(minutes=2 * n) for n in range(20)]
    assert posting_interval(busy, LOW, HIGH, NOW) == LOW
    weekly = [NOW - timedelta(days=7 * n) for n in range(5)]
    assert posting_interval(weekly, LOW, HIGH, NOW) == HIGH


def test_a_feed_gone_quiet_is_polled_less() -> None:
    old = [NOW - timedelta(hours=10 + n) for n in range(10)]  # hourly, but not for 10 h
    assert posting_interval(old, LOW, HIGH, NOW) == timedelta(hours=5)


def test_too_few_dates_use_the_fallback_and_future_dates_are_ignored() -> None:
    assert posting_interval([None, NOW + timedelta(days=1)], LOW, HIGH, NOW) == timedelta(hours=1)
