"""Hostile and broken sources, all in one batch on a loopback server: each case is recorded
against its feed or page with a clear reason, and the good feed's articles are stored.

The server's port is the only private address the run may reach (the allow-list names
127.0.0.1:PORT); ``intranet.example`` is made to resolve to a LAN address at the resolver's
edge (``socket.getaddrinfo``), the one mock in this file.
"""

from __future__ import annotations

import gzip
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from byline.config import Config
from byline.ingest import fetch_feeds
from byline.news import registry
from byline.news.models import Article, Feed

pytestmark = pytest.mark.django_db

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title>
<item><title>x</title><link>http://127.0.0.1/x</link></item></channel></rss>"""
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'.encode()
        for n in range(1, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)
BOMB = gzip.compress(b"\0" * 20_000_000)  # about 20 KB on the wire, 20 MB inflated
CAP = 200_000
LATIN1_WORDS = "Zürich Müller café façade"


@pytest.fixture
def intranet(monkeypatch: pytest.MonkeyPatch) -> str:
    """``intranet.example`` resolves to 10.20.30.40, as a LAN name would."""
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name == "intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", int(port or 80)))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return "intranet.example"


def _hostile_config(kit: Any, tmp_path: Path, port: int, **extra: Any) -> Config:
    config: Config = kit.make_config(
        tmp_path / "data",
        allow_private_hosts=f"127.0.0.1:{port}",
        fetch_timeout=1,
        read_timeout=1,
        max_page_bytes=CAP,
        fetch_retries=1,
        retry_backoff=0.01,
        max_retry_after=2,
        **extra,
    )
    return config


def _latin1_page(kit: Any, url: str) -> bytes:
    paragraphs = [
        p.replace("Monday", f"Monday in {LATIN1_WORDS}")
        for p in kit.story_paragraphs("Quillhaven", "ferry")
    ]
    html = kit.article_html("Quillhaven ferry approved", paragraphs, kit.BASE_TIME, url)
    return html.replace('<meta charset="utf-8">', "").encode("latin-1")


def _feed(kit: Any, server: Any, slug: str, links: list[str]) -> str:
    items = [
        (f"{slug} item {n}", link, kit.BASE_TIME + timedelta(hours=n))
        for n, link in enumerate(links)
    ]
    return server.add(
        f"/{slug}/feed.xml",
        kit.rss_feed(f"{slug} news", items),
        content_type="application/rss+xml; charset=utf-8",
    )


def test_every_hostile_case_is_recorded_and_the_rest_stored(
    loopback: Any, kit: Any, tmp_path: Path, intranet: str
) -> None:
    s = loopback
    s.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    good_feed, good_urls = kit.serve_outlet(
        s, "good", [("Larkmoor", "tram line"), ("Fennick", "sea wall")]
    )
    # feeds that fail as a whole
    feeds: dict[str, str] = {"good": good_feed}
    feeds["slow"] = _feed(kit, s, "slow", [s.url("/good/x.html")])
    s.routes["/slow/feed.xml"].delay = 3
    feeds["e500"] = s.add("/e500/feed.xml", b"oops", status=500, content_type="text/plain")
    feeds["e429"] = s.add(
        "/e429/feed.xml",
        b"slow down",
        status=429,
        content_type="text/plain",
        headers={"Retry-After": "7200"},
    )
    feeds["loop"] = s.add("/loop/feed.xml", b"", status=302, headers={"Location": "/loop/b"})
    s.add("/loop/b", b"", status=302, headers={"Location": "/loop/feed.xml"})
    feeds["to-private"] = s.add(
        "/to-private/feed.xml",
        b"",
        status=302,
        headers={"Location": "http://169.254.169.254/latest/meta-data/"},
    )
    feeds["to-lan-name"] = s.add(
        "/to-lan-name/feed.xml",
        b"",
        status=301,
        headers={"Location": f"http://{intranet}:{s.port}/good/feed.xml"},
    )
    feeds["wrong-type"] = s.add(
        "/wrong-type/feed.xml", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"
    )
    feeds["malformed"] = s.add(
        "/malformed/feed.xml", b"<<<not xml &&& <rss", content_type="application/rss+xml"
    )
    feeds["xxe"] = s.add("/xxe/feed.xml", XXE, content_type="application/rss+xml")
    feeds["laughs"] = s.add("/laughs/feed.xml", LAUGHS, content_type="application/rss+xml")
    feeds["robots"] = _feed(kit, s, "private", [s.url("/good/x.html")])
    # a feed whose pages fail one by one (and one that decodes right)
    pages = {
        "bomb": s.add("/pages/bomb.html", BOMB, headers={"Content-Encoding": "gzip"}),
        "huge": s.add("/pages/huge.html", b"<p>" + b"x" * (CAP * 5) + b"</p>"),
        "binary": s.add("/pages/blob.html", b"\0\x01" * 500, content_type="application/zip"),
        "disallowed": s.add("/private/secret.html", b"<p>secret</p>"),
        "lan": f"http://{intranet}:{s.port}/good/x.html",
        # allowed: 2130706433 is 127.0.0.1, and the allow-list names 127.0.0.1:PORT
        "numeric": f"http://2130706433:{s.port}{urlsplit(good_urls[0]).path}",
    }
    mojibake_url = s.url("/pages/latin1.html")
    s.add(
        mojibake_url[len(s.base_url) :], _latin1_page(kit, mojibake_url), content_type="text/html"
    )
    feeds["pages"] = _feed(kit, s, "pages", [*pages.values(), mojibake_url])
    registry.ensure_sections()
    by_name = {name: registry.add_source(f"{name} source", url) for name, url in feeds.items()}

    config = _hostile_config(kit, tmp_path, s.port)
    started = time.monotonic()
    report = fetch_feeds(config, list(by_name.values()))
    took = time.monotonic() - started
    print(f"hostile run in {took:.1f}s: {report}")
    assert took < 20, "a hostile case held up the run"

    problems = "\n".join(report.problems)
    expected = {
        feeds["slow"]: "timed out",
        feeds["e500"]: "HTTP 500",
        feeds["e429"]: "HTTP 429",
        feeds["loop"]: "redirects",
        feeds["to-private"]: "redirected to http://169.254.169.254/latest/meta-data/: refusing "
        "to fetch from 169.254.169.254: a cloud metadata address",
        feeds["to-lan-name"]: "redirected to http://intranet.example:",
        feeds["wrong-type"]: "image/png",
        feeds["malformed"]: "not a feed",
        feeds["xxe"]: "entit",
        feeds["laughs"]: "entit",
        feeds["robots"]: "robots.txt",
        pages["bomb"]: f"larger than {CAP}",
        pages["huge"]: f"larger than {CAP}",
        pages["binary"]: "application/zip",
        pages["disallowed"]: "robots.txt",
        pages["lan"]: "a private address",
    }
    for url, reason in expected.items():
        mine = [p for p in report.problems if p.startswith(url + ":")]
        assert mine, f"{url} is not named in:\n{problems}"
        assert reason in mine[0], f"{url}: expected {reason!r} in {mine[0]!r}"
    assert len(report.problems) == len(expected), problems

    stored = set(Article.objects.values_list("url", flat=True))
    assert set(good_urls) <= stored
    assert mojibake_url in stored
    assert pages["numeric"] in stored  # the numeric form reached the allowed server
    latin = Article.objects.get(url=mojibake_url)
    assert "Zürich Müller café façade" in latin.text, latin.text[:300]
    assert "Ã" not in latin.text

    failing = {
        "slow",
        "e500",
        "e429",
        "loop",
        "to-private",
        "to-lan-name",
        "wrong-type",
        "malformed",
        "xxe",
        "laughs",
        "robots",
    }
    assert report.feeds_failed == len(failing)
    assert report.feeds_ok == len(feeds) - len(failing)
    for name, feed in by_name.items():
        feed.refresh_from_db()
        if name in failing:
            assert feed.last_status.startswith("error"), (name, feed.last_status)
            assert feed.consecutive_failures == 1
        else:
            assert feed.last_status.startswith("ok"), (name, feed.last_status)
    # 500 and 429 were retried once; the 429's Retry-After (2 h) is past what a run waits
    # for, so the feed is not fetched again before it.
    assert loopback.hits.count("/e500/feed.xml") == 2
    assert loopback.hits.count("/e429/feed.xml") == 1
    assert by_name["e429"].next_fetch_at >= timezone.now() + timedelta(seconds=7000)
    # robots.txt was read once per host for the whole run (127.0.0.1:PORT, and the same
    # server under its numeric name), and no disallowed path was requested
    assert loopback.hits.count("/robots.txt") == 2
    assert "/private/secret.html" not in loopback.hits
    assert "/private/feed.xml" not in loopback.hits


def test_loopback_is_refused_without_an_allow_list(loopback: Any, kit: Any, tmp_path: Path) -> None:
    feed_url, _ = kit.serve_outlet(loopback, "home", [("Corrow", "bus depot")])
    feed = registry.add_source("Home Herald", feed_url)
    config = kit.make_config(tmp_path / "data", allow_private_hosts="")
    report = fetch_feeds(config, [feed])
    assert report.feeds_failed == 1
    assert "loopback" in report.problems[0], report.problems
    assert loopback.hits == []  # refused before any connection


def test_a_host_resolving_to_a_private_address_is_refused_at_connect(
    loopback: Any, kit: Any, tmp_path: Path, intranet: str
) -> None:
    """The name passes the URL check (it is not an IP); the connect-time check refuses it."""
    feed = registry.add_source("LAN Ledger", f"http://{intranet}:{loopback.port}/feed.xml")
    config = _hostile_config(kit, tmp_path, loopback.port)
    report = fetch_feeds(config, [feed])
    assert report.feeds_failed == 1
    assert "intranet.example: it resolves to 10.20.30.40, a private address" in (report.problems[0])
    Feed.objects.filter(pk=feed.pk).delete()


def test_the_next_fetch_follows_how_often_a_feed_posts(
    loopback: Any, kit: Any, tmp_path: Path
) -> None:
    now = timezone.now()
    items = [
        (f"item {n}", loopback.url(f"/two-hourly/{n}.html"), now - timedelta(hours=2 * n))
        for n in range(6)
    ]
    url = loopback.add(
        "/two-hourly/feed.xml",
        kit.rss_feed("Two-hourly", items),
        content_type="application/rss+xml",
    )
    feed = registry.add_source("Two-hourly Times", url)
    config = _hostile_config(
        kit, tmp_path, loopback.port, feed_min_interval=15, feed_max_interval=600
    )
    fetch_feeds(config, [feed])
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None and feed.next_fetch_at is not None
    interval = feed.next_fetch_at - feed.last_fetched_at
    assert timedelta(hours=1, minutes=55) <= interval <= timedelta(hours=2, minutes=5)

    capped = _hostile_config(kit, tmp_path, loopback.port, feed_max_interval=30)
    fetch_feeds(capped, [feed])
    feed.refresh_from_db()
    assert feed.next_fetch_at - feed.last_fetched_at == timedelta(minutes=30)
