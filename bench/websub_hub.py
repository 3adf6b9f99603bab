"""A small WebSub hub on loopback, for the freshness benchmark and the WebSub tests.

It follows the W3C WebSub Recommendation where a subscriber can tell: a subscription request
is answered 202 and then verified asynchronously (a GET to the callback with a challenge that
must be echoed); content is delivered as a POST of the topic's body with
``X-Hub-Signature: sha256=…`` (HMAC with the subscriber's secret) and ``Link`` headers naming
the hub and the topic. It keeps everything in memory and serves 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Subscription:
    topic: str
    callback: str
    secret: str
    lease_seconds: int


@dataclass
class Hub:
    """``start()``, give ``url`` to a feed as its hub, ``publish(topic, body)``, ``stop()``."""

    verified: list[Subscription] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # callbacks that failed verification
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self._changed = threading.Condition(self._lock)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """No request log."""

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                hub.requests += 1
                if form.get("hub.mode") != "subscribe" or not form.get("hub.callback"):
                    self.send_response(400)
                    self.end_headers()
                    return
                self.send_response(202)
                self.end_headers()
                threading.Thread(target=hub._verify, args=(form,), daemon=True).start()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Hub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _verify(self, form: dict[str, str]) -> None:
        challenge = secrets.token_urlsafe(16)
        lease = int(form.get("hub.lease_seconds") or 86400)
        query = urllib.parse.urlencode(
            {
                "hub.mode": "subscribe",
                "hub.topic": form["hub.topic"],
                "hub.challenge": challenge,
                "hub.lease_seconds": str(lease),
            }
        )
        callback = form["hub.callback"]
        url = callback + ("&" if "?" in callback else "?") + query
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                ok = response.status == 200 and response.read().decode() == challenge
        except (urllib.error.URLError, OSError):
            ok = False
        with self._changed:
            if ok:
                self.verified = [s for s in self.verified if s.callback != callback]
                self.verified.append(
                    Subscription(form["hub.topic"], callback, form.get("hub.secret", ""), lease)
                )
            else:
                self.refused.append(callback)
            self._changed.notify_all()

    def wait_verified(self, count: int = 1, timeout: float = 30) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.verified) >= count, timeout)

    def publish(
        self,
        topic: str,
        body: bytes,
        content_type: str = "application/rss+xml",
        secret: str | None = None,
    ) -> list[int]:
        """Deliver ``body`` to every verified subscriber of ``topic``; returns their
        answers' status codes. ``secret`` overrides the subscriber's (to forge a push)."""
        with self._lock:
            subscribers = [s for s in self.verified if s.topic == topic]
        statuses = []
        for sub in subscribers:
            key = (sub.secret if secret is None else secret).encode()
            signature = hmac.new(key, body, hashlib.sha256).hexdigest()
            request = urllib.request.Request(
                sub.callback,
                data=body,
                method="POST",
                headers={
                    "Content-Type": content_type,
                    "X-Hub-Signature": f"sha256={signature}",
                    "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
        return statuses
