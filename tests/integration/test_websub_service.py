"""WebSub end to end: a real `byline run` subscribes to a loopback hub named by a loopback
outlet's feed, the hub verifies the subscription at the callback, and a push brings a new
article in within seconds, though the feed is not due for a poll for 15 minutes. A forged
push is ignored."""

from __future__ import annotations

import socket
import time
import urllib.parse
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from bench.websub_hub import Hub
from tests.integration.processes import byline, byline_env, count, get, running

pytestmark = pytest.mark.postgres  # runs in both passes


def _feed(hub: str, self_url: str, items: list[tuple[str, str, Any]]) -> str:
    entries = "\n".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><guid>{escape(u)}</guid>"
        f"<pubDate>{format_datetime(w)}</pubDate></item>"
        for t, u, w in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Hubbed Outlet</title><link>http://127.0.0.1/</link><description>fixture</description>
<atom:link rel="hub" href="{escape(hub)}"/><atom:link rel="self" href="{escape(self_url)}"/>
{entries}
</channel></rss>"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(what: str, check: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_push_brings_a_new_article_in_and_a_forged_push_is_ignored(
    tmp_path: Path, loopback: Any, kit: Any, database: tuple[str, Any]
) -> None:
    url, rows = database
    hub = Hub().start()
    try:
        feed_url = loopback.url("/feed.xml")
        items = []
        for n in range(2):
            path = f"/a{n}.html"
            title = f"Harbourtown{n} council approves the ferry"
            when = kit.BASE_TIME + timedelta(hours=n)
            loopback.add(
                path,
                kit.article_html(
                    title,
                    kit.story_paragraphs(f"Harbourtown{n}", "ferry"),
                    when,
                    loopback.url(path),
                ),
            )
            items.append((title, loopback.url(path), when))
        loopback.add(
            "/feed.xml", _feed(hub.url, feed_url, items), content_type="application/rss+xml"
        )

        port = _free_port()
        env = byline_env(tmp_path / "data", url)
        env.update(BYLINE_PUBLIC_URL=f"http://127.0.0.1:{port}", BYLINE_RUN_IDLE_SECONDS="30")
        byline(env, "sources", "add", "Hubbed Outlet", feed_url)
        with running(env, port=port) as (proc, base):
            _wait(
                "the first articles", lambda: count(rows, "SELECT count(*) FROM news_article") == 2
            )
            assert hub.wait_verified(1), f"not verified; refused: {hub.refused}"
            _wait(
                "the subscription",
                lambda: rows("SELECT websub_state FROM news_feed")[0][0] == "active",
            )
            sub = hub.verified[0]
            assert sub.topic == feed_url and sub.secret
            assert sub.callback.startswith(f"http://127.0.0.1:{port}/websub/")

            # the outlet publishes, the hub pushes: in well under the 15-minute poll
            path, title = "/late.html", "Quillmouth lighthouse relit after a century"
            when = kit.BASE_TIME + timedelta(days=1)
            loopback.add(
                path,
                kit.article_html(
                    title,
                    kit.story_paragraphs("Quillmouth", "lighthouse"),
                    when,
                    loopback.url(path),
                ),
            )
            body = _feed(hub.url, feed_url, [(title, loopback.url(path), when), *items])
            loopback.add("/feed.xml", body, content_type="application/rss+xml")
            pushed = time.monotonic()
            assert hub.publish(feed_url, body.encode()) == [202]
            _wait(
                "the pushed article", lambda: count(rows, "SELECT count(*) FROM news_article") == 3
            )
            assert time.monotonic() - pushed < 20

            # a forged push (wrong secret) is acknowledged and ignored
            path2, title2 = "/forged.html", "Forgedville mayor resigns over the forged push"
            loopback.add(
                path2,
                kit.article_html(
                    title2, kit.story_paragraphs("Forgedville", "mayor"), when, loopback.url(path2)
                ),
            )
            forged = _feed(hub.url, feed_url, [(title2, loopback.url(path2), when), *items])
            loopback.add("/feed.xml", forged, content_type="application/rss+xml")
            assert hub.publish(feed_url, forged.encode(), secret="not-the-secret") == [202]
            time.sleep(3)
            assert count(rows, "SELECT count(*) FROM news_article") == 3

            # verifications the subscriber never asked for, and unknown callbacks, say no
            callback = urllib.parse.urlsplit(sub.callback)
            wrong = urllib.parse.urlencode(
                {"hub.mode": "subscribe", "hub.topic": "http://x/", "hub.challenge": "c"}
            )
            assert get(f"{base}{callback.path}?{wrong}")[0] == 404
            assert get(f"{base}/websub/1/not-the-token?{wrong}")[0] == 410

            status, text = get(base + "/metrics")
            assert status == 200
            assert 'byline_websub_pushes_total{outcome="accepted"} 1.0' in text
            assert 'byline_websub_pushes_total{outcome="bad_signature"} 1.0' in text
            assert "byline_websub_subscriptions 1.0" in text
            proc.terminate()
            assert proc.wait(timeout=30) == 0
        listing = byline(env, "sources", "list")
        assert f"WebSub: {hub.url}: subscribed until" in listing
    finally:
        hub.stop()


@pytest.mark.django_db
def test_subscriptions_are_asked_renewed_before_the_lease_ends_and_retried(
    tmp_path: Path, kit: Any
) -> None:
    from django.utils import timezone

    from byline.news.models import Feed, Source
    from byline.news.registry import websub_to_subscribe

    now = timezone.now()
    source = Source.objects.create(name="Hubbed", slug="hubbed")

    def feed(name: str, **fields: Any) -> Feed:
        return Feed.objects.create(
            source=source,
            url=f"https://o.example/{name}",
            websub_hub="https://h.example/",
            websub_topic=f"https://o.example/{name}",
            **fields,
        )

    never = feed("never")
    ending = feed("ending", websub_state="active", websub_lease_until=now + timedelta(hours=2))
    feed("lasting", websub_state="active", websub_lease_until=now + timedelta(days=9))
    failed = feed("failed", websub_state="failed", websub_requested_at=now - timedelta(hours=2))
    feed("just-failed", websub_state="failed", websub_requested_at=now - timedelta(minutes=5))
    feed("paused", paused=True)
    Feed.objects.create(source=source, url="https://o.example/plain")  # no hub
    due = websub_to_subscribe(timedelta(days=1))
    assert [f.pk for f in due] == [never.pk, ending.pk, failed.pk]


@pytest.mark.django_db
def test_an_unreachable_hub_is_recorded_as_failed(tmp_path: Path, kit: Any) -> None:
    from byline.news.models import Feed, Source
    from byline.service.websub import subscribe_due

    dead = f"http://127.0.0.1:{_free_port()}/"  # nothing listens there
    source = Source.objects.create(name="Hubbed", slug="hubbed")
    Feed.objects.create(
        source=source,
        url="https://o.example/f",
        websub_hub=dead,
        websub_topic="https://o.example/f",
    )
    config = kit.make_config(
        tmp_path, public_url="http://127.0.0.1:9", allow_private_hosts="127.0.0.1"
    )
    assert subscribe_due(config) == 0
    feed = Feed.objects.get()
    assert feed.websub_state == "failed" and feed.websub_status.startswith("hub unreachable")
    assert feed.websub_secret and feed.websub_token  # kept for the retry's callback
