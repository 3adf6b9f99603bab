"""Shared fixtures for the integration tests: real loopback HTTP servers, real databases.

``LoopbackServer`` serves canned responses (any status, content type, body or delay) from a
daemon thread on 127.0.0.1, for the failure cases the demo outlets never produce. Page and
feed builders make small, extractable news articles with distinctive words, so that tests can
find exactly what they stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from byline import config as byline_config
from byline.config import Config
from byline.news.models import Article, Feed, Page, Relation, Section, Source, Story


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    etag: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # sent as they are (Location, …)


class LoopbackServer:
    """A tiny HTTP server on 127.0.0.1 that answers from ``routes`` (path → Route)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.conditional: list[str] = []  # If-None-Match of each request, "" when absent
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """No request log."""

            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(b"not found", 404, "text/plain")
                server.conditional.append(self.headers.get("If-None-Match", ""))
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    if route.etag:
                        self.send_header("ETag", route.etag)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except OSError:  # the client gave up waiting
                    pass

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                """No tracebacks for clients that hang up."""

        self._httpd = Quiet(("127.0.0.1", 0), Handler)
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, body: bytes | str, **kwargs: Any) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **kwargs)
        return self.url(path)

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(DATABASE_URL, rows(sql)) of a database for real `byline` processes (processes.py)."""
    from tests.integration.processes import database_fixture

    yield from database_fixture(tmp_path)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


# ── fixture documents ─────────────────────────────────────────────────────────────────────

BASE_TIME = datetime(2025, 3, 2, 9, 0, tzinfo=UTC)


def article_html(title: str, paragraphs: list[str], published: datetime, url: str) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)}</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{published.isoformat()}">
<meta property="article:section" content="World News">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world/">World</a></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By Test Reporter</p>
<time datetime="{published.isoformat()}">{published:%d %B %Y}</time>
{body}
</article></main>
<footer><p>Fixture outlet for Byline's integration tests.</p></footer>
</body></html>
"""


def story_paragraphs(word: str, topic: str) -> list[str]:
    """Six paragraphs of plausible news text about ``topic``, carrying the marker ``word``."""
    return [
        f"Officials in the coastal town of {word} said on Monday that the {topic} would go "
        "ahead after months of delay, ending a dispute that had divided the council.",
        f"The mayor told reporters that the {topic} had been approved by a vote of seven to "
        "four, and that work would begin before the end of the month.",
        f'"This is a good day for {word}," the mayor said. "We have waited long enough, and '
        'the people who live here deserve an answer."',
        f"Opponents of the {topic} argued that the cost, estimated at 48 million marks, was "
        "too high for a town of its size and that the money could be spent on schools.",
        f"A spokesperson for the regional government said the {topic} would be reviewed "
        "again next spring, once the first phase had been completed and audited.",
        f"Residents of {word} gathered outside the town hall on Monday evening, some to "
        "celebrate the decision and others to protest against it, witnesses said.",
    ]


def match_paragraphs(word: str) -> list[str]:
    """A sports report, unlike ``story_paragraphs`` in every sentence, carrying ``word``."""
    return [
        f"{word} Rovers came from two goals down to beat the league leaders 3-2 on Saturday, "
        "with their captain scoring twice in the final ten minutes of a bruising match.",
        "The visitors had looked comfortable at the interval after a header from a corner and "
        "a penalty awarded for handball, and their fans sang loudly behind the north goal.",
        f'"Nobody gave us a chance," the {word} manager said afterwards. "The players refused '
        'to accept defeat, and I could not be prouder of them tonight."',
        "The win lifts the club to fourth in the table, three points behind the automatic "
        "promotion places, with eleven matches of the season left to play.",
        "A crowd of 9,412, the largest at the ground for six years, saw the hosts finish with "
        "ten men after their goalkeeper was sent off for a second booking in stoppage time.",
    ]


def rss_feed(title: str, items: list[tuple[str, str, datetime]]) -> str:
    """An RSS 2.0 feed of (title, link, published) items."""
    entries = "\n".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
        for t, link, when in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>fixture</description>
{entries}
</channel></rss>
"""


def serve_outlet(
    server: LoopbackServer, slug: str, topics: list[tuple[str, str]], hours: int = 0
) -> tuple[str, list[str]]:
    """Serve an outlet at /<slug>/: one article page per (word, topic) and an RSS feed
    listing them. Returns the feed URL and the article URLs."""
    items = []
    for n, (word, topic) in enumerate(topics):
        when = BASE_TIME + timedelta(hours=hours + n)
        path = f"/{slug}/{word.lower()}-{n}.html"
        url = server.url(path)
        title = f"{word} council approves the {topic}"
        server.add(path, article_html(title, story_paragraphs(word, topic), when, url))
        items.append((title, url, when))
    feed_url = server.add(
        f"/{slug}/feed.xml",
        rss_feed(f"{slug} news", items),
        content_type="application/rss+xml; charset=utf-8",
    )
    return feed_url, [url for _, url, _ in items]


# ── settings and database helpers ─────────────────────────────────────────────────────────


# The fixture servers listen on 127.0.0.1, which fetching refuses unless allowed; tests of the
# refusal itself build a narrower config. No politeness delay or long backoff against them.
LOOPBACK_FETCHING = {"allow_private_hosts": "127.0.0.1", "host_delay": 0, "retry_backoff": 0.01}


def make_config(data_dir: Path, **overrides: Any) -> Config:
    """A Config from defaults plus ``overrides`` only: the caller's environment is ignored."""
    return byline_config.load(
        env={"BYLINE_DATA_DIR": str(data_dir)},
        overrides={"fetch_workers": 4, **LOOPBACK_FETCHING, **overrides},
    )


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path / "data", fetch_timeout=5)


def wipe_news(keep_sections: set[str] | None = None) -> None:
    """Delete everything the news app stores (a module fixture's committed data)."""
    Relation.objects.all().delete()
    Article.objects.all().delete()
    Story.objects.all().delete()
    Page.objects.all().delete()
    Feed.objects.all().delete()
    Source.objects.all().delete()
    if keep_sections is not None:
        Section.objects.exclude(slug__in=keep_sections).delete()


class Kit:
    """The helpers above, handed to tests as the ``kit`` fixture (test modules cannot import
    a conftest by name when several folders have one)."""

    article_html = staticmethod(article_html)
    story_paragraphs = staticmethod(story_paragraphs)
    match_paragraphs = staticmethod(match_paragraphs)
    rss_feed = staticmethod(rss_feed)
    serve_outlet = staticmethod(serve_outlet)
    make_config = staticmethod(make_config)
    wipe_news = staticmethod(wipe_news)
    BASE_TIME = BASE_TIME


@pytest.fixture(scope="session")
def kit() -> type[Kit]:
    return Kit
