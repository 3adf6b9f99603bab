"""WebSub's pure parts: hub discovery in feeds, verification of intent, push signatures."""

from __future__ import annotations

import hashlib
import hmac
import json

from byline.fetch.feeds import parse_feed
from byline.fetch.websub import signature_ok, subscription_form, verify_intent

RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Outlet</title><link>https://outlet.example/</link>
<atom:link rel="self" href="https://outlet.example/feed.xml"/>
<atom:link rel="hub" href="https://hub.example/"/>
<item><title>A</title><link>https://outlet.example/a</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet</title><id>urn:x</id>
<updated>2024-05-01T00:00:00Z</updated>
<link rel="hub" href="https://pubsubhubbub.appspot.com/"/>
<link rel="self" href="https://outlet.example/atom.xml"/>
<entry><title>A</title><id>urn:a</id><updated>2024-05-01T00:00:00Z</updated>
<link href="https://outlet.example/a"/></entry></feed>"""


def test_hub_and_topic_are_found_in_rss_atom_and_json_feed() -> None:
    rss = parse_feed(RSS, "https://outlet.example/feed.xml")
    assert (rss.hub, rss.self_url) == ("https://hub.example/", "https://outlet.example/feed.xml")
    atom = parse_feed(ATOM, "https://outlet.example/atom.xml")
    assert atom.hub == "https://pubsubhubbub.appspot.com/"
    assert atom.self_url == "https://outlet.example/atom.xml"
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Outlet",
        "feed_url": "https://outlet.example/feed.json",
        "hubs": [
            {"type": "rssCloud", "url": "https://cloud.example/"},
            {"type": "WebSub", "url": "https://hub.example/"},
        ],
        "items": [{"id": "1", "url": "https://outlet.example/a", "title": "A"}],
    }
    parsed = parse_feed(json.dumps(feed).encode(), "https://outlet.example/feed.json")
    assert (parsed.hub, parsed.self_url) == (
        "https://hub.example/",
        "https://outlet.example/feed.json",
    )


def test_a_feed_without_a_hub_or_with_a_non_http_one_has_none() -> None:
    assert parse_feed(RSS.replace(b'rel="hub"', b'rel="alternate"')).hub == ""
    assert parse_feed(RSS.replace(b"https://hub.example/", b"javascript:alert(1)")).hub == ""


def test_the_subscription_form_names_topic_callback_secret_and_lease() -> None:
    form = subscription_form("https://o.example/feed", "https://b.example/websub/1/t", "s3", 600)
    assert form == {
        "hub.mode": "subscribe",
        "hub.topic": "https://o.example/feed",
        "hub.callback": "https://b.example/websub/1/t",
        "hub.secret": "s3",
        "hub.lease_seconds": "600",
    }


def test_verification_echoes_the_challenge_only_for_what_was_asked() -> None:
    topic = "https://o.example/feed"
    ask = {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "c1"}
    ok = verify_intent({**ask, "hub.lease_seconds": "3600"}, topic, {"subscribe"}, 86400)
    assert (ok.status, ok.body, ok.lease_seconds) == (200, "c1", 3600)
    assert verify_intent(ask, topic, {"subscribe"}, 86400).lease_seconds == 86400
    assert verify_intent(ask, "https://o.example/other", {"subscribe"}, 86400).status == 404
    assert verify_intent(ask, topic, set(), 86400).status == 404  # never asked
    unsub = {**ask, "hub.mode": "unsubscribe"}
    assert verify_intent(unsub, topic, {"subscribe"}, 86400).status == 404
    assert verify_intent({**ask, "hub.challenge": ""}, topic, {"subscribe"}, 86400).status == 404
    denied = verify_intent(
        {"hub.mode": "denied", "hub.topic": topic, "hub.reason": "no"}, topic, set(), 86400
    )
    assert (denied.status, denied.denied) == (200, "no")


def test_push_signatures_are_checked_with_every_allowed_method() -> None:
    body = b"<rss>new</rss>"
    for method in ("sha1", "sha256", "sha384", "sha512"):
        digest = hmac.new(b"k", body, getattr(hashlib, method)).hexdigest()
        assert signature_ok("k", body, f"{method}={digest}")
        assert not signature_ok("other", body, f"{method}={digest}")
        assert not signature_ok("k", body + b" ", f"{method}={digest}")
    digest = hmac.new(b"k", body, hashlib.md5).hexdigest()
    assert not signature_ok("k", body, f"md5={digest}")
    assert not signature_ok("k", body, "")
    assert not signature_ok("", body, "sha1=" + hmac.new(b"", body, hashlib.sha1).hexdigest())
