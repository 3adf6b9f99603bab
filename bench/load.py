"""The site under load: `byline run --no-fetch` over a PostgreSQL database of ≥ 50,000
articles and ≥ 10,000 stories, against a Django hello-world view served the same way
(waitress, 8 threads, its own process), side by side in one run.

The database is built through the real pipeline and store: synthetic WARC archives
(bench/batch_synth.py: made-up events covered by 60 outlets with wire copies, scrapes and spins)
go through `byline batch --engine local --load`, which extracts, clusters, judges provenance
and loads the tables. Then a Python load generator (httpx, asyncio, in its own process) asks
each endpoint for a fixed time at 1 and at 50 concurrent clients: home, a story, an article
(random among 500 stored), a search, a JSON list, and the hello-world view. Two Byline
processes serve the same database: one with the page cache (BYLINE_PAGE_CACHE_SECONDS=30,
the default; the load generator sends no cookies, as signed-out readers and feed readers
do), one without it (0): every request rendered.

Run from the repository root (needs PostgreSQL at PG_URL, default
postgres://postgres@127.0.0.1:5432/test, where it creates and drops a scratch database):
``.venv/bin/python bench/load.py [--records 72000] [--seconds 30]``; ``--keep DIR`` reuses the
WARCs, batch tables and loaded database of an earlier run in DIR (drop the database
named in DIR/database when done).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HELLO = """
import sys
from django.conf import settings
settings.configure(
    DEBUG=False, SECRET_KEY="bench-only", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)
import django
django.setup()
from django.http import HttpResponse
from django.urls import path
def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")
urlpatterns = [path("", hello)]
from django.core.wsgi import get_wsgi_application
from waitress import serve
serve(get_wsgi_application(), host="127.0.0.1", port=int(sys.argv[1]), threads=8,
      ident="hello", _quiet=True)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} never answered")


async def _hammer(paths: list[str], base: str, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` loops asking for random ``paths`` for ``seconds``; latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one() -> None:
            while time.monotonic() < deadline:
                path = random.choice(paths)
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {path}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {path}")
                latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(clients)))
        elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "errors": len(errors),
        "error_sample": errors[:3],
    }


def _build(work: Path, records: int, env: dict[str, str]) -> None:
    warcs, tables = work / "warc", work / "tables"
    if not warcs.exists():
        print(f"writing {records} synthetic WARC records …", flush=True)
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "batch_synth.py"), str(warcs), "--records", str(records)],
            check=True,
        )
    subprocess.run([PYTHON, "-m", "byline", "migrate"], env=env, check=True)
    started = time.monotonic()
    if (tables / "articles").exists():  # a kept run's tables: load them only
        print("loading the kept batch tables …", flush=True)
        load = (
            "import argparse, sys; from byline.batch import cli; "
            "cli._load(argparse.Namespace(out=sys.argv[1]), None)"
        )
        subprocess.run([PYTHON, "-c", load, str(tables)], env=env, check=True)
        print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)
        return
    print("byline batch --engine local --load (extract, cluster, judge, load) …", flush=True)
    subprocess.run(
        [
            PYTHON,
            "-m",
            "byline",
            "batch",
            str(warcs),
            "--out",
            str(tables),
            "--engine",
            "local",
            "--load",
            "-q",
        ],
        env=env,
        check=True,
    )
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=72000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--keep", type=Path, help="work folder to keep and reuse")
    parser.add_argument(
        "--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args(argv)

    import psycopg

    work = args.keep or Path(tempfile.mkdtemp(prefix="byline-load-"))
    work.mkdir(parents=True, exist_ok=True)
    admin = psycopg.connect(args.pg, autocommit=True)
    kept = work / "database"  # with --keep, the loaded database is kept for the next run
    name = kept.read_text().strip() if args.keep and kept.exists() else ""
    built = bool(name)
    if not built:
        name = f"byline_load_{uuid.uuid4().hex[:8]}"
        admin.execute(f"CREATE DATABASE {name}")
    url = args.pg.rsplit("/", 1)[0] + f"/{name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update(DATABASE_URL=url, BYLINE_DATA_DIR=str(work / "data"), BYLINE_DEBUG="false")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        if not built:
            _build(work, args.records, env)
            if args.keep:
                kept.write_text(name)
        with psycopg.connect(url) as db:
            articles = db.execute("SELECT count(*) FROM news_article").fetchone()[0]
            stories = db.execute("SELECT count(*) FROM news_story").fetchone()[0]
            story_ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM news_story WHERE article_count >= 3 ORDER BY random() LIMIT 500"
                )
            ]
            article_ids = [
                r[0] for r in db.execute("SELECT id FROM news_article ORDER BY random() LIMIT 500")
            ]
            titles = [
                r[0]
                for r in db.execute("SELECT title FROM news_article ORDER BY random() LIMIT 200")
            ]
        words = sorted({w for t in titles for w in re.findall(r"[A-Za-z]{6,}", t)})[:100]
        byline_port, uncached_port, hello_port = _free_port(), _free_port(), _free_port()
        for port, cache_seconds in ((byline_port, "30"), (uncached_port, "0")):
            procs.append(
                subprocess.Popen(
                    [PYTHON, "-m", "byline", "run", "--no-fetch", "--port", str(port)],
                    env={**env, "BYLINE_PAGE_CACHE_SECONDS": cache_seconds},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        procs.append(
            subprocess.Popen(
                [PYTHON, "-c", HELLO, str(hello_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        byline_base = f"http://127.0.0.1:{byline_port}"
        uncached_base = f"http://127.0.0.1:{uncached_port}"
        hello_base = f"http://127.0.0.1:{hello_port}"
        _wait_up(byline_base + "/readyz")
        _wait_up(uncached_base + "/readyz")
        _wait_up(hello_base + "/")
        pages = {
            "home": ["/"],
            "story": [f"/story/{i}/" for i in story_ids],
            "article": [f"/article/{i}/" for i in article_ids],
            "search": [f"/search/?q={w}" for w in words],
            "JSON list (/index.json?page=2)": ["/index.json?page=2"],
        }
        endpoints = {"hello-world (Django, same server)": (hello_base, ["/"])}
        for label, paths in pages.items():
            endpoints[f"{label}, page cache"] = (byline_base, paths)
            endpoints[f"{label}, no cache"] = (uncached_base, paths)
        for base, paths in endpoints.values():  # warm up: imports, connections, templates
            asyncio.run(_hammer(paths[:5], base, 2, 1))
        results: dict[str, dict[int, dict[str, Any]]] = {}
        for label, (base, paths) in endpoints.items():
            for clients in (1, 50):
                print(f"{label}: {clients} clients …", flush=True)
                results.setdefault(label, {})[clients] = asyncio.run(
                    _hammer(paths, base, clients, args.seconds)
                )
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=60)
        if not args.keep:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()

    hello = results["hello-world (Django, same server)"]
    print(
        f"\nLoad, one run, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, PostgreSQL, "
        f"{articles:,} articles in {stories:,} stories; {args.seconds:g} s per row; the load "
        "generator shares the machine\n"
    )
    print("| Endpoint | clients | req/s | × hello-world | p50 ms | p99 ms | errors |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for label, by_clients in results.items():
        for clients, r in by_clients.items():
            ratio = r["rps"] / hello[clients]["rps"]
            print(
                f"| {label} | {clients} | {r['rps']:.1f} | ×{ratio:.2f} | {r['p50_ms']:.1f} | "
                f"{r['p99_ms']:.1f} | {r['errors']} |"
            )
    (work / "load.json").write_text(json.dumps(results, indent=2))
    print(f"\nCommand: `.venv/bin/python bench/load.py {' '.join(argv or sys.argv[1:])}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
