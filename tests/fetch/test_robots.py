"""robots.txt: obeyed, cached per host, Crawl-delay honoured (Protego)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import pytest

from byline.errors import FetchError, HTTPStatusError, RobotsDisallowed
from byline.fetch.http import Fetcher, FetchPolicy
from byline.fetch.robots import MAX_CRAWL_DELAY, RobotsCache

ROBOTS = """User-agent: *
Disallow: /private/

User-agent: Byline
Disallow: /no-byline/
Crawl-delay: 0.3
"""


def cache_for(answers: dict[str, Any], ttl: float = 3600) -> tuple[RobotsCache, list[str]]:
    asked: list[str] = []

    async def fetch(url: str) -> tuple[int, str]:
        asked.append(url)
        answer = answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return RobotsCache(fetch, "Byline", ttl), asked


def check(cache: RobotsCache, url: str) -> float:
    return anyio.run(cache.check, url)


def test_rules_for_byline_are_obeyed_and_cached_per_host() -> None:
    cache, asked = cache_for({"https://a.example/robots.txt": (200, ROBOTS)})
    assert check(cache, "https://a.example/news/1.html") == pytest.approx(0.3)
    with pytest.raises(RobotsDisallowed, match=r"disallowed by https://a\.example/robots\.txt"):
        check(cache, "https://a.example/no-byline/x.html")
    # The Byline group replaces the * group for Byline, so /private/ is allowed here.
    check(cache, "https://a.example/private/x.html")
    assert asked == ["https://a.example/robots.txt"]


def test_star_rules_apply_when_there_is_no_byline_group() -> None:
    cache, _ = cache_for({"http://b.example/robots.txt": (200, "User-agent: *\nDisallow: /\n")})
    with pytest.raises(RobotsDisallowed) as caught:
        check(cache, "http://b.example/story")
    assert caught.value.url == "http://b.example/story"


def test_missing_robots_allows_everything_and_5xx_disallows_everything() -> None:
    cache, _ = cache_for(
        {
            "http://gone.example/robots.txt": HTTPStatusError("x", 404),
            "http://down.example/robots.txt": HTTPStatusError("x", 503),
        }
    )
    assert check(cache, "http://gone.example/anything") == 0.0
    with pytest.raises(RobotsDisallowed, match="HTTP 503"):
        check(cache, "http://down.example/anything")


def test_an_unreachable_robots_is_not_cached() -> None:
    cache, asked = cache_for({"http://c.example/robots.txt": FetchError("x", "refused")})
    assert check(cache, "http://c.example/a") == 0.0
    check(cache, "http://c.example/b")
    assert len(asked) == 2


def test_the_cache_expires() -> None:
    cache, asked = cache_for({"http://d.example/robots.txt": (200, "")}, ttl=0.05)
    check(cache, "http://d.example/a")
    check(cache, "http://d.example/b")
    time.sleep(0.06)
    check(cache, "http://d.example/c")
    assert len(asked) == 2


def test_a_huge_crawl_delay_is_capped() -> None:
    cache, _ = cache_for(
        {"http://e.example/robots.txt": (200, "User-agent: *\nCrawl-delay: 86400")}
    )
    assert check(cache, "http://e.example/a") == MAX_CRAWL_DELAY


def test_concurrent_requests_fetch_robots_once() -> None:
    cache, asked = cache_for({"http://f.example/robots.txt": (200, "")})

    async def many() -> None:
        async with anyio.create_task_group() as group:
            for n in range(10):
                group.start_soon(cache.check, f"http://f.example/{n}")

    anyio.run(many)
    assert asked == ["http://f.example/robots.txt"]


# ── through the fetcher, against a loopback server ────────────────────────────────────────

STARTS: list[tuple[str, float]] = []


class Site(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        STARTS.append((self.path, time.monotonic()))
        if self.path == "/robots.txt":
            body, ctype = ROBOTS.encode(), "text/plain"
        else:
            body, ctype = b"<p>page</p>", "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetcher_obeys_robots_and_its_crawl_delay(base_url: str) -> None:
    STARTS.clear()
    policy = FetchPolicy(
        user_agent="Byline/test",
        allow=("127.0.0.1",),
        obey_robots=True,
        per_host=4,
        max_connections=4,
    )
    with Fetcher(policy) as fetcher:
        with pytest.raises(RobotsDisallowed) as caught:
            fetcher.get(f"{base_url}/no-byline/secret.html")
        assert caught.value.url == f"{base_url}/no-byline/secret.html"
        urls = [(n, f"{base_url}/page/{n}", None) for n in range(3)]
        results = list(fetcher.fetch_all(urls))
    assert all(not isinstance(r, Exception) for _, r in results)
    paths = [p for p, _ in STARTS]
    assert paths.count("/robots.txt") == 1
    assert "/no-byline/secret.html" not in paths
    pages = sorted(t for p, t in STARTS if p.startswith("/page/"))
    gaps = [b - a for a, b in itertools.pairwise(pages)]
    assert all(gap >= 0.25 for gap in gaps), gaps  # Crawl-delay 0.3 s between requests
