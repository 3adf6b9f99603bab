"""Freshness: time from an outlet publishing an article to Byline's story page showing it,
for a feed whose hub pushes (WebSub) and for a feed that is only polled, side by side in one
run of a real `byline run` (SQLite, loopback).

Two loopback outlets (byline.demo.server.DemoServer over a folder this script writes) post a
new article every few seconds; one names a loopback WebSub hub (bench/websub_hub.py), which
is told of each post and pushes the feed to Byline. An article counts as shown when its story
page (/story/ID/) answers 200 with its headline. Polling uses the adaptive schedule with
BYLINE_FEED_MIN_INTERVAL=1 (minute), the floor a site that wants one-minute freshness for
busy feeds would set; Byline's default floor is 15 minutes, out of politeness.

Run from the repository root: ``.venv/bin/python bench/freshness.py [--minutes 5]``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.websub_hub import Hub  # noqa: E402
from byline.demo.server import DemoServer  # noqa: E402

WORDS = ["harbour", "bridge", "ferry", "school", "clinic", "library", "market", "tramway"]


def _page(title: str, word: str, topic: str, when: datetime, url: str) -> str:
    paragraphs = [
        f"Officials in {word} said on Monday that the {topic} would open after months of "
        "delay, ending a dispute that had divided the town council for a year.",
        f"The mayor of {word} told reporters the {topic} was approved by seven votes to four "
        "and that work would begin before the end of the month.",
        f'"This is a good day for {word}," the mayor said. "People here deserve an answer, '
        'and now they have one."',
        f"Opponents said the {topic} would cost too much for a town of its size, and that the "
        "money could have gone to schools and roads instead.",
    ]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f'</title><link rel="canonical" href="{url}"><meta property="article:published_time" '
        f'content="{when.isoformat()}"></head><body><main><article><h1>{escape(title)}</h1>'
        f"{body}</article></main></body></html>"
    )


class Outlet:
    def __init__(self, root: Path, name: str, hub: Hub | None) -> None:
        self.dir = root / name
        self.dir.mkdir(parents=True)
        self.name, self.hub = name, hub
        self.items: list[tuple[str, str, datetime]] = []
        self.base = ""

    def feed_url(self) -> str:
        return f"{self.base}/{self.name}/feed.xml"

    def _feed(self) -> str:
        links = ""
        if self.hub is not None:
            links = (
                f'<atom:link rel="hub" href="{self.hub.url}"/>'
                f'<atom:link rel="self" href="{self.feed_url()}"/>'
            )
        entries = "".join(
            f"<item><title>{escape(t)}</title><link>{u}</link><guid>{u}</guid>"
            f"<pubDate>{format_datetime(w)}</pubDate></item>"
            for t, u, w in reversed(self.items[-20:])
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{self.name}</title><link>{self.base}/</link><description>bench"
            f"</description>{links}{entries}</channel></rss>"
        )

    def publish(self, n: int, when: datetime) -> tuple[str, str]:
        word = f"{self.name.capitalize()}ton{n}"
        topic = WORDS[n % len(WORDS)]
        title = f"{word} council approves the {topic} number {n}"
        url = f"{self.base}/{self.name}/a{n}.html"
        (self.dir / f"a{n}.html").write_text(_page(title, word, topic, when, url))
        self.items.append((title, url, when))
        body = self._feed()
        (self.dir / "feed.xml.tmp").write_text(body)
        (self.dir / "feed.xml.tmp").replace(self.dir / "feed.xml")
        if self.hub is not None and self.hub.verified:
            self.hub.publish(self.feed_url(), body.encode())
        return url, title


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


class Watcher(threading.Thread):
    """Notes when each published article's story page first shows its headline."""

    def __init__(self, db: Path, base: str) -> None:
        super().__init__(daemon=True)
        self.db, self.base = db, base
        self.pending: dict[str, tuple[str, float, str]] = {}  # url → (title, published, kind)
        self.seen: dict[str, tuple[str, float]] = {}  # url → (kind, seconds)
        self.lock = threading.Lock()
        self.done = threading.Event()

    def add(self, url: str, title: str, kind: str) -> None:
        with self.lock:
            self.pending[url] = (title, time.monotonic(), kind)

    def run(self) -> None:
        while not self.done.is_set():
            with self.lock:
                waiting = dict(self.pending)
            if waiting:
                try:
                    with sqlite3.connect(self.db, timeout=5) as con:
                        marks = ",".join("?" * len(waiting))
                        rows = con.execute(
                            f"SELECT url, story_id FROM news_article WHERE url IN ({marks}) "
                            "AND story_id IS NOT NULL",
                            list(waiting),
                        ).fetchall()
                except sqlite3.Error:
                    rows = []
                for url, story in rows:
                    title, published, kind = waiting[url]
                    status, page = _get(f"{self.base}/story/{story}/")
                    if status == 200 and escape(title) in page:
                        with self.lock:
                            self.pending.pop(url, None)
                            self.seen[url] = (kind, time.monotonic() - published)
            time.sleep(0.1)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="publishing time")
    parser.add_argument("--push-every", type=float, default=10.0, help="seconds between posts")
    parser.add_argument("--poll-every", type=float, default=15.0, help="seconds between posts")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="byline-freshness-"))
    hub = Hub().start()
    outlets_root = work / "outlets"
    pushed, polled = Outlet(outlets_root, "pushed", hub), Outlet(outlets_root, "polled", None)
    server = DemoServer(outlets_root).start()
    pushed.base = polled.base = server.base_url
    # a history of frequent posts, so the adaptive schedule knows these feeds post often
    start = datetime.now(UTC)
    for n in range(6):
        for outlet, every in ((pushed, args.push_every), (polled, args.poll_every)):
            outlet.publish(n, start - timedelta(seconds=every * (6 - n)))

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update(
        BYLINE_DATA_DIR=str(work / "data"),
        BYLINE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
        BYLINE_HOST_DELAY="0",
        BYLINE_PUBLIC_URL=f"http://127.0.0.1:{port}",
        BYLINE_FEED_MIN_INTERVAL="1",
        BYLINE_RUN_IDLE_SECONDS="5",
    )
    env.pop("DATABASE_URL", None)
    byline = [sys.executable, "-m", "byline"]
    for outlet in (pushed, polled):
        subprocess.run(
            [*byline, "sources", "add", outlet.name, outlet.feed_url()],
            env=env,
            check=True,
            capture_output=True,
        )
    proc = subprocess.Popen(
        [*byline, "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert base, line
        if not hub.wait_verified(1, timeout=120):
            print("the hub never verified the subscription", file=sys.stderr)
            return 1
        watcher = Watcher(work / "data" / "byline.sqlite3", base.group(0))
        watcher.start()
        time.sleep(5)  # let the first fetch settle
        deadline = time.monotonic() + args.minutes * 60
        next_push = next_poll = time.monotonic()
        n_push = n_poll = 100
        while time.monotonic() < deadline:
            now = time.monotonic()
            if now >= next_push:
                url, title = pushed.publish(n_push, datetime.now(UTC))
                watcher.add(url, title, "WebSub push")
                n_push, next_push = n_push + 1, now + args.push_every
            if now >= next_poll:
                url, title = polled.publish(n_poll, datetime.now(UTC))
                watcher.add(url, title, "polled")
                n_poll, next_poll = n_poll + 1, now + args.poll_every
            time.sleep(0.05)
        settle = time.monotonic() + 150
        while watcher.pending and time.monotonic() < settle:
            time.sleep(0.5)
        watcher.done.set()
    finally:
        proc.terminate()
        proc.wait(timeout=90)
        server.stop()
        hub.stop()

    print(
        f"Freshness, one run, {datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} CPUs, SQLite, "
        f"{args.minutes:g} min of posting (push feed every {args.push_every:g} s, polled "
        f"feed every {args.poll_every:g} s), BYLINE_FEED_MIN_INTERVAL=1\n"
    )
    print("| Feed | articles | shown | median s | p95 s | max s |")
    print("|---|--:|--:|--:|--:|--:|")
    summary = {}
    for kind in ("WebSub push", "polled"):
        times = [s for k, s in watcher.seen.values() if k == kind]
        total = times and len(times) + sum(1 for v in watcher.pending.values() if v[2] == kind)
        if not times:
            print(f"| {kind} | {total} | 0 | – | – | – |")
            continue
        median, p95 = statistics.median(times), _percentile(times, 0.95)
        summary[kind] = (median, p95)
        print(f"| {kind} | {total} | {len(times)} | {median:.1f} | {p95:.1f} | {max(times):.1f} |")
    if len(summary) == 2:
        ratio = summary["polled"][0] / summary["WebSub push"][0]
        print(f"\nmedian polled / median pushed: ×{ratio:.1f}")
    print("\nCommand: `.venv/bin/python bench/freshness.py " + " ".join(argv or sys.argv[1:]) + "`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
