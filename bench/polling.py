"""Feed polling throughput: Byline's `fetch_feeds` over 1,000 feeds on a loopback server,
against a bare `httpx.AsyncClient` fetching the same 1,000 URLs (the ceiling: no parsing, no
database, no politeness), side by side in one run, plus CPU seconds per feed poll.

The feeds are served by a separate process (so its CPU is not counted), every feed on
127.0.0.1. Because they share one host, the politeness limits meant for real sites (2
connections and a 1 s delay per host) are lifted for the run — it measures Byline's own cost
per poll, not its courtesy. Two rounds: a first poll (200, parse, store feed state) and a
second poll answered 304 Not Modified through the stored ETags.
Run from the repository root: ``.venv/bin/python bench/polling.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

ITEMS = 10


def _feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {n} item {i}</title><link>http://127.0.0.1/known/{n}/{i}</link>"
        f"<pubDate>Mon, 0{1 + i % 9} Nov 2026 10:00:00 GMT</pubDate></item>"
        for i in range(ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
        f"<link>http://127.0.0.1/</link><description>bench</description>{items}</channel></rss>"
    ).encode()


def _serve(port_queue: Any) -> None:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

        def do_GET(self) -> None:
            if not self.path.startswith("/feed/"):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            n = int(self.path.split("/")[2].split(".")[0])
            etag = f'"feed-{n}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            body = _feed(n)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _bare(urls: Sequence[str], concurrency: int) -> None:
    import httpx

    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient() as client:

        async def one(url: str) -> None:
            async with limit:
                (await client.get(url)).raise_for_status()

        await asyncio.gather(*(one(url) for url in urls))


def _setup(data_dir: Path, concurrency: int) -> Any:
    os.environ.update(
        BYLINE_DATA_DIR=str(data_dir),
        BYLINE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
        BYLINE_HOST_DELAY="0",
        BYLINE_PER_HOST_CONNECTIONS=str(concurrency),
        BYLINE_FETCH_WORKERS=str(concurrency),
        BYLINE_OBEY_ROBOTS="false",
        DJANGO_SETTINGS_MODULE="byline.web.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    return settings.BYLINE


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    args = parser.parse_args(argv)
    ports: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=10)}"
    urls = [f"{base}/feed/{n}.xml" for n in range(args.feeds)]
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = _setup(Path(folder), args.concurrency)
            from byline.ingest import fetch_feeds
            from byline.news import registry

            for n, url in enumerate(urls):
                registry.add_source(f"Bench feed {n}", url)
            rows = []
            for label in ("first poll (200, parse, store)", "second poll (304 via ETag)"):
                feeds = registry.feeds_due(force=True)
                known = [
                    f"http://127.0.0.1/known/{n}/{i}"
                    for n in range(args.feeds)
                    for i in range(ITEMS)
                ]
                _mark_known(known)
                cpu, wall = _cpu(), time.perf_counter()
                report = fetch_feeds(config, feeds)
                wall, cpu = time.perf_counter() - wall, _cpu() - cpu
                assert report.feeds_ok == args.feeds, report.problems[:3]
                rows.append((f"Byline fetch_feeds, {label}", wall, cpu))
            cpu, wall = _cpu(), time.perf_counter()
            asyncio.run(_bare(urls, args.concurrency))
            rows.append(
                (
                    "bare httpx.AsyncClient GET (no parse, no DB)",
                    time.perf_counter() - wall,
                    _cpu() - cpu,
                )
            )
    finally:
        server.terminate()
    n = args.feeds
    bare_rate = n / rows[-1][1] * 60
    print(
        f"Feed polling, {n} RSS feeds of {ITEMS} items on one loopback host, "
        f"{args.concurrency} requests in flight, one run\n"
    )
    print("| Poller | Feeds/min | CPU ms per poll | Byline / bare |")
    print("|---|--:|--:|--:|")
    for name, wall, cpu in rows:
        rate = n / wall * 60
        print(f"| {name} | {rate:,.0f} | {cpu / n * 1000:.1f} | ×{rate / bare_rate:.2f} |")
    print("\nCommand: `.venv/bin/python bench/polling.py`")
    return 0


def _mark_known(urls: list[str]) -> None:
    """Store the feeds' items as known, already-judged articles, so a poll fetches no pages
    and judges nothing: the benchmark measures polling alone."""
    from django.utils import timezone

    from byline.news import registry
    from byline.news.models import Article, Story

    if Article.objects.exists():
        return
    source = registry.source_named("Bench items")
    now = timezone.now()
    story = Story.objects.create(title="bench", first_published=now, last_published=now)
    Article.objects.bulk_create(
        Article(
            source=source, url=url, title=url, text="x", published=now, text_hash="x", story=story
        )
        for url in urls
    )


if __name__ == "__main__":
    raise SystemExit(main())
