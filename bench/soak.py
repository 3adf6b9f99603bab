"""The soak: the whole system on loopback for 15 minutes, sampled every 30 s.

What runs, all real processes and sockets on 127.0.0.1:

- a publisher: several outlets (a wire and newspapers; RSS feeds and article pages served by
  byline.demo.server.DemoServer from a folder this script writes) post a new article every
  few seconds. Most are new reports of made-up events (bench/batch_synth.py's generator);
  some are verbatim copies of another outlet's article (a wire story with a credit line) and
  some are spun copies (words swapped for synonyms), so clustering and provenance work
  happens all along. Every URL posted is logged.
- ``byline run``: the site (waitress) and the fetch loop in one process, with a short feed
  interval (BYLINE_FEED_MIN_INTERVAL / MAX_INTERVAL, in minutes) so it keeps fetching. With
  ``--engine postgres`` a second fetcher, a loop of ``byline fetch`` processes, shares the
  database (feeds are claimed, so each is fetched once).
- readers: threads browsing the home page, sections, stories, articles, their JSON twins,
  JSON lists, RSS/Atom/JSON feeds, sources and searches (without cookies, so the page cache
  serves them as it serves signed-out readers), and one signed-in reader (no cache);
- a replier: signs up through the real form (CSRF token, the signed time-trap token, the
  honeypot left empty), then posts replies as that account and as a guest through the real
  article form. The reply rate limits are raised for the soak (BYLINE_REPLIES_PER_HOUR and
  BYLINE_REPLIES_PER_IP_HOUR = 100000) and guests may reply (BYLINE_REPLIES_REQUIRE_ACCOUNT=
  false; their replies are held for moderation, the default); the time trap is kept.

Every ``--sample`` seconds (30): RSS, open file descriptors and threads of the byline
process(es) (psutil, children included), database size (SQLite file + WAL + SHM, or
pg_database_size), articles/stories/replies stored, requests made, 5xx, and the interval's
latency p50/p99.

At the end publishing stops, readers stop, the fetcher gets a grace period to catch up
(until every posted URL is stored, at most ``--grace`` s), ``byline run`` is stopped with
SIGTERM, and the checks are:

- zero 5xx answers and zero failed requests (connection errors, timeouts);
- every article the publisher posted is stored exactly once (its URL in news_article once,
  no stored article that the publisher did not post), and every one is judged (has a story);
- every reply the site accepted is stored;
- memory growth after warm-up < 10 %: the mean RSS of the samples in the last 2/15 of the run
  (minutes 13–15 of 15) against the mean of those in 3/15–5/15 (minutes 3–5);
- ``byline run`` stops cleanly (exit 0) and logged no ERROR or traceback.

Writes to ``--out`` (default: a new temporary folder): samples.csv, result.json, soak.svg
(RSS, open files, database size and articles over time), byline.log (the service's log),
and prints a markdown table for BENCHMARKS.md. Exit status 0 when every check passed.

Run from the repository root: ``.venv/bin/python bench/soak.py`` (``make soak``);
``--minutes 3 --sample 10`` for a quick look; ``--engine postgres`` uses
postgres://postgres@127.0.0.1:5432/ (``--pg``), in a throwaway database it creates and drops.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.batch_synth import FILLER, Event, Generator, page  # noqa: E402
from byline.demo.server import DemoServer  # noqa: E402

PYTHON = sys.executable
GROWTH_LIMIT = 10.0  # per cent


@dataclass
class Settings:
    minutes: float = 15.0
    engine: str = "sqlite"
    out: Path | None = None
    pg: str = "postgres://postgres@127.0.0.1:5432/postgres"
    outlets: int = 5
    post_every: float = 3.0  # seconds between two posts, over all outlets
    readers: int = 3
    reply_every: float = 8.0
    sample: float = 30.0
    feed_interval: float = 0.25  # minutes: BYLINE_FEED_MIN_INTERVAL
    feed_max_interval: float = 0.5  # minutes: BYLINE_FEED_MAX_INTERVAL
    grace: float = 180.0
    fetch_workers: int = -1  # extra `byline fetch` loops; -1: 1 on PostgreSQL, 0 on SQLite
    seed: int = 13
    quiet: bool = False
    env: list[str] = field(default_factory=list)  # extra KEY=VALUE for the byline processes


# ── the publisher ─────────────────────────────────────────────────────────────────────────


@dataclass
class Posted:
    url: str
    outlet: str
    kind: str  # report, verbatim, spun
    at: float  # seconds since the soak began
    title: str
    paragraphs: list[str]
    words: list[str]


class Outlet:
    def __init__(self, root: Path, slug: str, name: str, kind: str) -> None:
        self.dir = root / slug
        self.dir.mkdir(parents=True)
        self.slug, self.name, self.kind = slug, name, kind
        self.items: list[tuple[str, str, datetime]] = []
        self.base = ""
        self.count = 0

    def feed_url(self) -> str:
        return f"{self.base}/{self.slug}/feed.xml"

    def post(self, title: str, paragraphs: list[str], when: datetime) -> str:
        self.count += 1
        name = f"a{self.count}.html"
        url = f"{self.base}/{self.slug}/{name}"
        (self.dir / f"{name}.tmp").write_bytes(page(self.name, title, paragraphs, when, url))
        (self.dir / f"{name}.tmp").replace(self.dir / name)  # never half a page
        self.items.append((title, url, when))
        entries = "".join(
            f"<item><title>{escape(t)}</title><link>{u}</link><guid>{u}</guid>"
            f"<pubDate>{format_datetime(w)}</pubDate></item>"
            for t, u, w in reversed(self.items[-30:])
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(self.name)}</title><link>{self.base}/{self.slug}/</link>"
            f"<description>soak</description>{entries}</channel></rss>"
        )
        (self.dir / "feed.xml.tmp").write_text(body)
        (self.dir / "feed.xml.tmp").replace(self.dir / "feed.xml")
        return url


class Publisher:
    """Outlets that post a new article every ``every`` seconds between them: 60 % new reports
    of an event (a new event half the time, else a recent one), 20 % verbatim copies of a
    recent article by another outlet (a credit line added), 20 % spun copies."""

    def __init__(self, root: Path, outlets: int, seed: int) -> None:
        self.gen = Generator(seed)
        self.rng = random.Random(seed + 1)
        self.outlets = [Outlet(root, "wire", "Loopback Wire", "wire")] + [
            Outlet(root, f"paper{n}", f"The Loopback Paper {n}", "outlet")
            for n in range(1, outlets)
        ]
        self.events: list[Event] = []
        self.vocab: dict[int, list[str]] = {}
        self.posted: list[Posted] = []
        self.lock = threading.Lock()
        self.started = time.monotonic()

    def search_words(self) -> list[str]:
        with self.lock:
            events = self.events[-30:]
        words = [e.place.split()[0] for e in events] + [t for e in events for t in e.topics[:2]]
        return words or ["harbour"]

    def _sentences(self, event: Event, count: int) -> list[str]:
        """A report of ``event``: its facts and its own vocabulary (batch_synth's shared
        filler alone makes every report alike until thousands of articles weigh it down)."""
        rng = self.rng
        if id(event) not in self.vocab:
            self.vocab[id(event)] = [self.gen.word(rng.randint(2, 4)) for _ in range(14)]
        words_of_event = self.vocab[id(event)]
        facts = [*event.people, event.place, *event.numbers[:3], *event.topics]
        out = []
        for _ in range(count):
            words = rng.sample(words_of_event, k=rng.randint(4, 6))
            words += [rng.choice(FILLER) for _ in range(rng.randint(3, 6))]
            rng.shuffle(words)
            for fact in rng.sample(facts, k=3):
                words.insert(rng.randrange(len(words) + 1), fact)
            out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        return out

    def post_one(self, outlet: Outlet | None = None) -> Posted:
        rng, now = self.rng, datetime.now(UTC)
        outlet = outlet or rng.choice(self.outlets)
        others = [p for p in self.posted[-40:] if p.outlet != outlet.slug and p.kind == "report"]
        roll = rng.random()
        if others and roll < 0.2:
            original = rng.choice(others)
            kind, title = "verbatim", original.title
            paragraphs = [
                *original.paragraphs,
                f"This story was first reported by {original.outlet}.",
            ]
            words = original.words
        elif others and roll < 0.4:
            original = rng.choice(others)
            kind, title = "spun", self.gen.spin(original.title)
            paragraphs = [self.gen.spin(p) for p in original.paragraphs]
            words = original.words
        else:
            if not self.events or rng.random() < 0.5:
                self.events.append(self.gen.event(now))
            event = rng.choice(self.events[-8:])
            kind = "report"
            sentences = self._sentences(event, rng.randint(8, 14))
            paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
            title = f"{event.place}: {event.people[0]} and the {event.topics[0]} {event.topics[1]}"
            words = [event.place.split()[0], *event.topics[:2]]
        url = outlet.post(title, paragraphs, now)
        item = Posted(
            url, outlet.slug, kind, time.monotonic() - self.started, title, paragraphs, words
        )
        with self.lock:
            self.posted.append(item)
        return item


# ── readers and the replier ───────────────────────────────────────────────────────────────


@dataclass
class Hit:
    at: float
    seconds: float
    status: int  # 0: no answer (connection error, timeout)
    path: str


@dataclass
class Traffic:
    """Every request the readers and the replier made, for the sampler and the checks."""

    started: float = field(default_factory=time.monotonic)
    hits: list[Hit] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # 5xx and no-answer samples
    refusals: list[str] = field(default_factory=list)  # 4xx samples
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, client: httpx.Client, path: str, **kw: Any) -> httpx.Response | None:
        return self.request(client, "GET", path, **kw)

    def request(
        self, client: httpx.Client, method: str, path: str, **kw: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        response: httpx.Response | None
        try:
            response = client.request(method, path, **kw)
            status = response.status_code
        except httpx.HTTPError as exc:
            response, status = None, 0
            detail = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        with self.lock:
            self.hits.append(Hit(time.monotonic() - self.started, elapsed, status, path))
            if status >= 500 or status == 0:
                if status:
                    assert response is not None
                    detail = response.text[:300]
                if len(self.failures) < 50:
                    self.failures.append(f"{status} {method} {path}: {detail}")
            elif status >= 400 and len(self.refusals) < 50:
                self.refusals.append(f"{status} {method} {path}")
        return response


@dataclass
class Catalog:
    """Ids and slugs the readers pick from, refreshed from the database by the sampler."""

    stories: list[int] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _reader_paths(rng: random.Random, catalog: Catalog, words: list[str]) -> str:
    story = rng.choice(catalog.stories) if catalog.stories else 1
    article = rng.choice(catalog.articles) if catalog.articles else 1
    section = rng.choice(catalog.sections) if catalog.sections else "world"
    source = rng.choice(catalog.sources) if catalog.sources else "loopback-wire"
    word = rng.choice(words)
    choices = [
        (8, "/"),
        (2, "/?page=2"),
        (3, f"/section/{section}/"),
        (8, f"/story/{story}/"),
        (8, f"/article/{article}/"),
        (3, f"/story/{story}.json"),
        (3, f"/article/{article}.json"),
        (3, "/index.json"),
        (1, "/index.json?page=2&per_page=50"),
        (5, f"/search/?q={word}"),
        (2, f"/search.json?q={word}"),
        (1, f"/search/?q={word}+{rng.choice(words)}"),
        (2, "/feed.rss"),
        (1, "/feed.atom"),
        (1, "/feed.json"),
        (1, f"/story/{story}/feed.atom"),
        (1, f"/source/{source}/feed.rss"),
        (1, f"/section/{section}/feed.rss"),
        (1, "/sources/"),
        (1, "/sources.json"),
        (1, "/healthz"),
    ]
    weights = [w for w, _ in choices]
    return rng.choices([p for _, p in choices], weights)[0]


def reader(
    base: str,
    traffic: Traffic,
    catalog: Catalog,
    words: Callable[[], list[str]],
    stop: threading.Event,
    seed: int,
    client: httpx.Client | None = None,
) -> None:
    rng = random.Random(seed)
    with client or httpx.Client(base_url=base, timeout=30, follow_redirects=True) as own:
        while not stop.is_set():
            traffic.get(own, _reader_paths(rng, catalog, words()))
            stop.wait(rng.uniform(0.05, 0.4))  # a reader's pause between clicks


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


@dataclass
class Replies:
    accepted: int = 0  # posted (or held for moderation) by the site's own message
    refused: list[str] = field(default_factory=list)
    signed_in: bool = False


def _sign_up(client: httpx.Client, traffic: Traffic, stop: threading.Event) -> bool:
    response = traffic.get(client, "/accounts/signup/")
    if response is None or response.status_code != 200:
        return False
    csrf, started = CSRF.search(response.text), STARTED.search(response.text)
    if not (csrf and started):
        return False
    stop.wait(3.5)  # BYLINE_FORM_MIN_SECONDS: a person takes a moment to fill it in
    password = "soak " + uuid.uuid4().hex
    form = {
        "csrfmiddlewaretoken": csrf.group(1),
        "username": "soak_reader",
        "password1": password,
        "password2": password,
        "started": started.group(1),
        "website": "",
    }
    response = traffic.request(client, "POST", "/accounts/signup/", data=form)
    return response is not None and response.status_code == 200 and "Welcome" in response.text


def replier(
    base: str,
    traffic: Traffic,
    catalog: Catalog,
    words: Callable[[], list[str]],
    stop: threading.Event,
    every: float,
    replies: Replies,
    seed: int,
) -> None:
    """Signs up, then alternately browses signed in and posts a reply as the account, and
    as a guest (a fresh client, no account, waits out the form's time trap)."""
    rng = random.Random(seed)
    member = httpx.Client(base_url=base, timeout=30, follow_redirects=True)
    replies.signed_in = _sign_up(member, traffic, stop)
    if not replies.signed_in:
        replies.refused.append("sign-up failed")
    n, next_reply = 0, time.monotonic()
    try:
        while not stop.is_set():
            if time.monotonic() < next_reply or not catalog.articles:
                if replies.signed_in:  # a signed-in reader: pages are never cached for them
                    traffic.get(member, _reader_paths(rng, catalog, words()))
                stop.wait(rng.uniform(0.2, 0.6))
                continue
            next_reply = time.monotonic() + every
            n += 1
            guest = n % 3 == 0 or not replies.signed_in
            client = (
                httpx.Client(base_url=base, timeout=30, follow_redirects=True) if guest else member
            )
            article = rng.choice(catalog.articles[-200:])
            try:
                response = traffic.get(client, f"/article/{article}/")
                if response is None or response.status_code != 200:
                    continue
                csrf = CSRF.search(response.text)
                form = {"body": f"Reply {n} of the soak ({uuid.uuid4().hex[:12]}): "
                        f"{rng.choice(words())} matters.", "website": ""}  # fmt: skip
                if csrf is None:
                    replies.refused.append(f"no form on /article/{article}/")
                    continue
                form["csrfmiddlewaretoken"] = csrf.group(1)
                if guest:
                    started = STARTED.search(response.text)
                    form.update(name=f"Guest {n}", started=started.group(1) if started else "")
                    stop.wait(3.5)  # the time trap (BYLINE_FORM_MIN_SECONDS, 3 s)
                response = traffic.request(client, "POST", f"/article/{article}/reply", data=form)
                if response is None:
                    continue
                text = response.text
                if "Your reply is posted" in text or "awaiting moderation" in text:
                    replies.accepted += 1
                else:
                    message = re.search(r'class="message message-\w+">([^<]*)<', text)
                    replies.refused.append(
                        message.group(1) if message else str(response.status_code)
                    )
            finally:
                if guest:
                    client.close()
    finally:
        member.close()


# ── the database and the processes ────────────────────────────────────────────────────────


class Database:
    """The soak's database: a SQLite file under the data folder, or a throwaway PostgreSQL
    database (created here, dropped by ``close``)."""

    def __init__(self, engine: str, data: Path, pg: str) -> None:
        self.engine, self.data = engine, data
        self.url, self.name, self._admin = "", "", None
        if engine == "postgres":
            import psycopg

            self._admin = psycopg.connect(pg, autocommit=True, connect_timeout=5)
            self.name = f"byline_soak_{uuid.uuid4().hex[:8]}"
            self._admin.execute(f"CREATE DATABASE {self.name}")
            self.url = pg.rsplit("/", 1)[0] + f"/{self.name}"

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.engine == "postgres":
            import psycopg

            with psycopg.connect(self.url) as db:
                return list(db.execute(sql).fetchall())
        path = self.data / "byline.sqlite3"
        if not path.exists():
            return []
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            return list(db.execute(sql).fetchall())
        finally:
            db.close()

    def size(self) -> int:
        if self.engine == "postgres":
            assert self._admin is not None
            row = self._admin.execute("SELECT pg_database_size(%s)", [self.name]).fetchone()
            return int(row[0]) if row else 0
        files = [self.data / f"byline.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]
        return sum(f.stat().st_size for f in files if f.exists())

    def close(self) -> None:
        if self._admin is not None:
            self._admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self._admin.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _usage(pid: int) -> tuple[float, int, int]:
    """(RSS in MiB, open file descriptors, threads) of a process and its children."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0, 0, 0
    rss = fds = threads = 0
    for proc in procs:
        try:
            with proc.oneshot():
                rss += proc.memory_info().rss
                fds += proc.num_fds()
                threads += proc.num_threads()
        except psutil.NoSuchProcess:
            pass
    return rss / 2**20, fds, threads


def fetch_worker_loop(
    env: dict[str, str], stop: threading.Event, pause: float, outcomes: list[int]
) -> None:
    """A second fetcher: ``byline fetch -q`` again and again (each a fresh process)."""
    while not stop.is_set():
        done = subprocess.run(
            [PYTHON, "-m", "byline", "fetch", "-q"], env=env, capture_output=True, timeout=600
        )
        outcomes.append(done.returncode)
        stop.wait(pause)


def _versions(db: Database) -> str:
    from importlib.metadata import version

    import django

    engine = f"SQLite {sqlite3.sqlite_version}"
    if db.engine == "postgres":
        engine = "PostgreSQL " + str(db.rows("SHOW server_version")[0][0]).split()[0]
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, waitress "
        f"{version('waitress')}, {engine}, Byline {version('byline')}"
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


# ── the soak ──────────────────────────────────────────────────────────────────────────────

SAMPLE_FIELDS = [
    "t_s", "posted", "articles", "stories", "replies", "rss_mib", "fds", "threads", "db_mib",
    "requests", "requests_interval", "rps", "http_5xx", "failed", "p50_ms", "p99_ms",
]  # fmt: skip


def run(settings: Settings, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the soak; returns the samples, the figures and the checks (``result["ok"]``)."""
    out = settings.out or Path(tempfile.mkdtemp(prefix="byline-soak-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="byline-soak-work-"))
    data = work / "data"
    workers = settings.fetch_workers
    if workers < 0:
        workers = 1 if settings.engine == "postgres" else 0
    db = Database(settings.engine, data, settings.pg)
    publisher = Publisher(work / "outlets", settings.outlets, settings.seed)
    server = DemoServer(work / "outlets").start()
    for outlet in publisher.outlets:
        outlet.base = server.base_url
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.pop("DATABASE_URL", None)
    env.update(
        BYLINE_DATA_DIR=str(data),
        BYLINE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
        BYLINE_HOST_DELAY="0",
        BYLINE_PER_HOST_CONNECTIONS="4",
        BYLINE_FEED_MIN_INTERVAL=f"{settings.feed_interval:g}",
        BYLINE_FEED_MAX_INTERVAL=f"{settings.feed_max_interval:g}",
        BYLINE_RUN_IDLE_SECONDS="5",
        BYLINE_REPLIES_PER_HOUR="100000",
        BYLINE_REPLIES_PER_IP_HOUR="100000",
        BYLINE_REPLIES_REQUIRE_ACCOUNT="false",
    )
    if db.url:
        env["DATABASE_URL"] = db.url
    env.update(item.split("=", 1) for item in settings.env)
    byline = [PYTHON, "-m", "byline"]
    stop = threading.Event()
    threads: list[threading.Thread] = []
    proc: subprocess.Popen[str] | None = None
    logfile = (out / "byline.log").open("w")
    samples: list[dict[str, Any]] = []
    traffic = Traffic()
    catalog = Catalog()
    replies = Replies()
    worker_outcomes: list[int] = []
    result: dict[str, Any] = {}
    try:
        subprocess.run([*byline, "migrate"], env=env, check=True, capture_output=True)
        for outlet in publisher.outlets:
            publisher.post_one(outlet)  # a first article, so the feed is a feed
            subprocess.run(
                [*byline, "sources", "add", outlet.name, outlet.feed_url(), "--kind", outlet.kind],
                env=env,
                check=True,
                capture_output=True,
            )
        port = _free_port()
        proc = subprocess.Popen(
            [*byline, "run", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=logfile,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if f":{port}/" not in line:
            raise RuntimeError(f"byline run did not start: {line!r} (see {out / 'byline.log'})")
        base = f"http://127.0.0.1:{port}"
        log(f"byline run (pid {proc.pid}) serving {base}; outlets at {server.base_url}; out {out}")

        def refresh_catalog() -> None:
            catalog.stories = [r[0] for r in db.rows("SELECT id FROM news_story ORDER BY id")]
            catalog.articles = [r[0] for r in db.rows("SELECT id FROM news_article ORDER BY id")]
            catalog.sections = [r[0] for r in db.rows("SELECT slug FROM news_section")]
            catalog.sources = [r[0] for r in db.rows("SELECT slug FROM news_source")]

        started = time.monotonic()
        publisher.started = traffic.started = started
        deadline = started + settings.minutes * 60

        def publish() -> None:
            next_post = time.monotonic()
            while not stop.is_set() and time.monotonic() < deadline:
                if time.monotonic() >= next_post:
                    publisher.post_one()
                    next_post += settings.post_every
                stop.wait(0.05)

        spawn: list[tuple[Callable[..., None], tuple[Any, ...]]] = [(publish, ())]
        for n in range(settings.readers):
            spawn.append(
                (reader, (base, traffic, catalog, publisher.search_words, stop, settings.seed + n))
            )
        spawn.append(
            (
                replier,
                (
                    base,
                    traffic,
                    catalog,
                    publisher.search_words,
                    stop,
                    settings.reply_every,
                    replies,
                    settings.seed + 99,
                ),
            )
        )
        for _ in range(workers):
            spawn.append((fetch_worker_loop, (env, stop, 5.0, worker_outcomes)))
        refresh_catalog()
        for target, args in spawn:
            threads.append(threading.Thread(target=target, args=args, daemon=True))
            threads[-1].start()

        seen = 0

        def take_sample(now: float) -> dict[str, Any]:
            nonlocal seen
            rss, fds, nthreads = _usage(proc.pid) if proc else (0.0, 0, 0)
            with traffic.lock:
                hits = traffic.hits[seen:]
                total = len(traffic.hits)
                errors = sum(1 for h in traffic.hits if h.status >= 500)
                failed = sum(1 for h in traffic.hits if h.status == 0)
                seen = total
            latencies = [h.seconds * 1000 for h in hits]
            span = samples[-1]["t_s"] if samples else 0.0
            counts = db.rows(
                "SELECT (SELECT count(*) FROM news_article), (SELECT count(*) FROM news_story), "
                "(SELECT count(*) FROM news_reply)"
            ) or [(0, 0, 0)]
            sample = {
                "t_s": round(now, 1),
                "posted": len(publisher.posted),
                "articles": counts[0][0],
                "stories": counts[0][1],
                "replies": counts[0][2],
                "rss_mib": round(rss, 1),
                "fds": fds,
                "threads": nthreads,
                "db_mib": round(db.size() / 2**20, 2),
                "requests": total,
                "requests_interval": len(hits),
                "rps": round(len(hits) / max(now - span, 0.001), 1),
                "http_5xx": errors,
                "failed": failed,
                "p50_ms": round(_percentile(latencies, 0.5), 1),
                "p99_ms": round(_percentile(latencies, 0.99), 1),
            }
            samples.append(sample)
            if not settings.quiet:
                log(
                    f"  {sample['t_s']:7.0f} s  posted {sample['posted']:4d}  stored "
                    f"{sample['articles']:4d}  stories {sample['stories']:4d}  replies "
                    f"{sample['replies']:3d}  RSS {sample['rss_mib']:6.1f} MiB  fds "
                    f"{sample['fds']:3d}  threads {sample['threads']:3d}  db "
                    f"{sample['db_mib']:6.2f} MiB  {sample['rps']:5.1f} req/s  p50 "
                    f"{sample['p50_ms']:6.1f} ms  p99 {sample['p99_ms']:7.1f} ms  5xx "
                    f"{errors}  failed {failed}"
                )
            return sample

        take_sample(0.0)
        next_sample = started + settings.sample
        while time.monotonic() < deadline - 0.5:
            time.sleep(max(0.0, min(next_sample, deadline) - time.monotonic()))
            if time.monotonic() >= next_sample:
                take_sample(time.monotonic() - started)
                next_sample += settings.sample
                refresh_catalog()
            if proc.poll() is not None:
                raise RuntimeError(f"byline run exited ({proc.returncode}) during the soak")
        if time.monotonic() - started - samples[-1]["t_s"] > 1:
            take_sample(time.monotonic() - started)
        publishing_seconds = time.monotonic() - started
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

        # ── catch up, stop, check ──
        posted = {p.url for p in publisher.posted}
        caught_up_at = time.monotonic()
        limit = time.monotonic() + settings.grace
        while time.monotonic() < limit:
            stored = {r[0] for r in db.rows("SELECT url FROM news_article")}
            unjudged = db.rows("SELECT count(*) FROM news_article WHERE story_id IS NULL")
            if posted <= stored and unjudged and unjudged[0][0] == 0:
                break
            time.sleep(2)
        catch_up = time.monotonic() - caught_up_at
        proc.send_signal(signal.SIGTERM)
        exit_code = proc.wait(timeout=120)
        rows = db.rows("SELECT url, canonical_url, story_id FROM news_article")
        by_url: dict[str, int] = {}
        for url, canonical, _story in rows:
            by_url[url] = by_url.get(url, 0) + 1
            if canonical and canonical != url:
                by_url[canonical] = by_url.get(canonical, 0) + 1
        lost = sorted(posted - set(by_url))
        duplicated = sorted(u for u, n in by_url.items() if n > 1)
        unexpected = sorted(r[0] for r in rows if r[0] not in posted)
        unjudged_n = sum(1 for r in rows if r[2] is None)
        replies_stored = int(db.rows("SELECT count(*) FROM news_reply")[0][0])
        logfile.flush()
        log_text = (out / "byline.log").read_text(errors="replace")
        log_errors = [
            ln
            for ln in log_text.splitlines()
            if " ERROR " in ln or " CRITICAL " in ln or ln.startswith("Traceback")
        ]

        growth = memory_growth(samples, publishing_seconds)
        with traffic.lock:
            hits = list(traffic.hits)
        latencies = [h.seconds * 1000 for h in hits]
        result = {
            "settings": {**asdict(settings), "out": str(out), "fetch_workers": workers},
            "work": str(work),
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
            "python": platform.python_version(),
            "versions": _versions(db),
            "seconds": round(publishing_seconds, 1),
            "posted": len(posted),
            "posted_kinds": {
                k: sum(1 for p in publisher.posted if p.kind == k)
                for k in ("report", "verbatim", "spun")
            },
            "stored": len(rows),
            "lost": lost[:20],
            "lost_count": len(lost),
            "duplicated": duplicated[:20],
            "unexpected": unexpected[:20],
            "unjudged": unjudged_n,
            "stories": samples[-1]["stories"],
            "catch_up_s": round(catch_up, 1),
            "requests": len(hits),
            "http_5xx": sum(1 for h in hits if h.status >= 500),
            "http_4xx": sum(1 for h in hits if 400 <= h.status < 500),
            "failed_requests": sum(1 for h in hits if h.status == 0),
            "failures": traffic.failures[:10],
            "refusals_4xx": traffic.refusals[:10],
            "p50_ms": round(_percentile(latencies, 0.5), 1),
            "p99_ms": round(_percentile(latencies, 0.99), 1),
            "replies_accepted": replies.accepted,
            "replies_stored": replies_stored,
            "replies_refused": replies.refused[:10],
            "signed_up": replies.signed_in,
            "fetch_worker_runs": len(worker_outcomes),
            "fetch_worker_failures": sum(1 for c in worker_outcomes if c not in (0,)),
            "exit_code": exit_code,
            "log_errors": log_errors[:10],
            "log_error_count": len(log_errors),
            "memory": growth,
            "samples": samples,
        }
        result["checks"] = {
            "zero 5xx": result["http_5xx"] == 0,
            "zero failed requests": result["failed_requests"] == 0,
            "no article lost": not lost,
            "no article duplicated": not duplicated and not unexpected,
            "every article judged": unjudged_n == 0,
            "every accepted reply stored": replies_stored == replies.accepted
            and replies.accepted > 0,
            "clean stop, no errors logged": exit_code == 0 and not log_errors,
            "fetch workers ok": result["fetch_worker_failures"] == 0,
        }
        if growth["growth_pct"] is not None:
            result["checks"]["memory growth < 10 %"] = growth["growth_pct"] < GROWTH_LIMIT
        result["ok"] = all(result["checks"].values())
        write_outputs(out, result)
        return result
    finally:
        stop.set()
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        logfile.close()
        server.stop()
        db.close()
        if result.get("ok"):  # else keep the outlets and the SQLite file to look into
            shutil.rmtree(work, ignore_errors=True)


def memory_growth(samples: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """Growth of the mean RSS in the last 2/15 of the run over its mean in 3/15–5/15 (for
    15 minutes: minutes 13–15 against minutes 3–5), and the least-squares slope of RSS over
    every sample from 3/15 on (MiB a minute). None when a window has no sample."""
    slack = 1.0  # second: a sample due at minute 3 may be taken a moment after
    after = [s for s in samples if s["t_s"] >= seconds * 3 / 15 - slack]
    warm = [s["rss_mib"] for s in after if s["t_s"] <= seconds * 5 / 15 + slack]
    last = [s["rss_mib"] for s in after if s["t_s"] >= seconds * 13 / 15 - slack]
    if not warm or not last:
        return {"warm_mib": None, "last_mib": None, "growth_pct": None, "windows": "",
                "slope_mib_per_min": None}  # fmt: skip
    warm_mean, last_mean = statistics.fmean(warm), statistics.fmean(last)
    slope = None
    if len(after) >= 3:
        fit = statistics.linear_regression(
            [s["t_s"] / 60 for s in after], [s["rss_mib"] for s in after]
        )
        slope = round(fit.slope, 2)
    return {
        "warm_mib": round(warm_mean, 1),
        "last_mib": round(last_mean, 1),
        "growth_pct": round(100 * (last_mean - warm_mean) / warm_mean, 2),
        "windows": f"{len(warm)} samples in minutes {seconds * 3 / 15 / 60:.1f}–"
        f"{seconds * 5 / 15 / 60:.1f}, {len(last)} in the last {seconds * 2 / 15 / 60:.1f}",
        "slope_mib_per_min": slope,
    }


def write_outputs(out: Path, result: dict[str, Any]) -> None:
    samples = result["samples"]
    with (out / "samples.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SAMPLE_FIELDS)
        writer.writeheader()
        writer.writerows(samples)
    (out / "result.json").write_text(json.dumps(result, indent=2, default=str))
    plot(samples, result, out / "soak.svg")


def plot(samples: list[dict[str, Any]], result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text as text: a small file
    minutes = [s["t_s"] / 60 for s in samples]
    fig, axes = plt.subplots(2, 2, figsize=(9, 5.2), sharex=True)
    panels = [
        (axes[0][0], "rss_mib", "RSS of byline run (MiB); grey: the windows compared", None),
        (axes[0][1], "fds", "open file descriptors and threads", "threads"),
        (axes[1][0], "db_mib", "database size (MiB)", None),
        (axes[1][1], "articles", "articles stored", "posted"),
    ]
    for ax, key, title, second in panels:
        ax.plot(minutes, [s[key] for s in samples], marker=".", lw=1.2, label=key)
        if second:
            ax.plot(minutes, [s[second] for s in samples], lw=1, ls="--", label=second)
            ax.legend(fontsize=7, frameon=False)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    memory = result["memory"]
    if memory["growth_pct"] is not None:
        seconds = result["seconds"]
        ax = axes[0][0]
        for lo, hi in ((3, 5), (13, 15)):
            ax.axvspan(seconds * lo / 15 / 60, seconds * hi / 15 / 60, color="grey", alpha=0.15)
        ax.set_ylim(bottom=0)
    for ax in axes[1]:
        ax.set_xlabel("minutes", fontsize=8)
    settings = result["settings"]
    fig.suptitle(
        f"Byline soak, {settings['engine']}, {result['date']}: {result['posted']} articles "
        f"posted, {result['requests']} requests, {result['http_5xx']} × 5xx, memory growth "
        f"{memory['growth_pct']} %",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)


def table(result: dict[str, Any]) -> str:
    """The markdown table for BENCHMARKS.md: each target, the figure, pass or fail."""
    memory, checks = result["memory"], result["checks"]

    def mark(name: str) -> str:
        return "yes" if checks.get(name) else ("–" if name not in checks else "**no**")

    kinds = result["posted_kinds"]
    first, last = result["samples"][0], result["samples"][-1]
    rows = [
        ("Target", "Figure", "Met"),
        ("zero 5xx", f"{result['http_5xx']} of {result['requests']:,} requests "
         f"({result['http_4xx']} 4xx, {result['failed_requests']} without an answer)",
         mark("zero 5xx")),
        ("zero lost articles", f"{result['lost_count']} lost of {result['posted']} posted "
         f"({kinds['report']} reports, {kinds['verbatim']} verbatim copies, {kinds['spun']} "
         f"spun); caught up {result['catch_up_s']} s after posting stopped",
         mark("no article lost")),
        ("zero duplicated articles", f"{len(result['duplicated'])} duplicated, "
         f"{len(result['unexpected'])} not posted; {result['stored']} stored",
         mark("no article duplicated")),
        ("every article judged", f"{result['unjudged']} without a story; "
         f"{result['stories']} stories", mark("every article judged")),
        ("memory growth < 10 % after warm-up",
         f"{memory['growth_pct']} % ({memory['warm_mib']} → {memory['last_mib']} MiB; "
         f"{memory['windows']}); after minute {result['seconds'] * 3 / 15 / 60:.0f}: "
         f"{memory['slope_mib_per_min']} MiB a minute", mark("memory growth < 10 %")),
        ("replies stored", f"{result['replies_stored']} stored of {result['replies_accepted']} "
         "accepted", mark("every accepted reply stored")),
        ("clean stop", f"exit {result['exit_code']}, {result['log_error_count']} ERROR lines "
         "logged", mark("clean stop, no errors logged")),
        ("(open files)", f"{first['fds']} → {last['fds']} fds; threads {first['threads']} → "
         f"{last['threads']}", ""),
        ("(database)", f"{first['db_mib']} → {last['db_mib']} MiB", ""),
        ("(latency, all requests)", f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms",
         ""),
    ]  # fmt: skip
    if result["settings"]["fetch_workers"]:
        rows.append(
            (
                "(second fetcher)",
                f"{result['fetch_worker_runs']} `byline fetch` runs, "
                f"{result['fetch_worker_failures']} failed",
                mark("fetch workers ok"),
            )
        )
    lines = [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.insert(1, "|---|---|---|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    class Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
        """The docstring as written, and each option's default."""

    parser = argparse.ArgumentParser(
        prog="bench/soak.py",
        description=__doc__,
        epilog="Results and how to read them: BENCHMARKS.md, section 'Soak'.",
        formatter_class=Formatter,
    )
    d = Settings()
    parser.add_argument("--minutes", type=float, default=d.minutes, help="publishing time")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default=d.engine)
    parser.add_argument("--out", type=Path, default=argparse.SUPPRESS,
                        help="folder for samples.csv, result.json, soak.svg and byline.log "
                        "(default: a new temporary folder)")  # fmt: skip
    parser.add_argument("--pg", default=d.pg, help="PostgreSQL server (with --engine postgres); "
                        "a throwaway database is created there and dropped")  # fmt: skip
    parser.add_argument("--outlets", type=int, default=d.outlets, help="a wire and N-1 papers")
    parser.add_argument("--post-every", type=float, default=d.post_every,
                        help="seconds between two new articles, over all outlets")  # fmt: skip
    parser.add_argument("--readers", type=int, default=d.readers, help="reader threads")
    parser.add_argument("--reply-every", type=float, default=d.reply_every, help="seconds")
    parser.add_argument("--sample", type=float, default=d.sample, help="seconds between samples")
    parser.add_argument("--feed-interval", type=float, default=d.feed_interval,
                        help="BYLINE_FEED_MIN_INTERVAL, minutes")  # fmt: skip
    parser.add_argument("--feed-max-interval", type=float, default=d.feed_max_interval,
                        help="BYLINE_FEED_MAX_INTERVAL, minutes")  # fmt: skip
    parser.add_argument("--grace", type=float, default=d.grace,
                        help="most seconds to let fetching catch up after posting")  # fmt: skip
    parser.add_argument("--fetch-workers", type=int, default=d.fetch_workers,
                        help="loops of `byline fetch` beside `byline run`; -1: 1 on PostgreSQL, "
                        "0 on SQLite")  # fmt: skip
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting for the byline processes, over the soak's own "
                        "(e.g. BYLINE_PAGE_CACHE_SECONDS=0); repeatable")  # fmt: skip
    args = parser.parse_args(argv)
    settings = Settings(**{k: v for k, v in vars(args).items()})
    print(
        f"Soak: {settings.minutes:g} min on {settings.engine}, a new article every "
        f"{settings.post_every:g} s from {settings.outlets} outlets, {settings.readers} readers "
        f"and a replier; sampling every {settings.sample:g} s",
        flush=True,
    )
    result = run(settings, log=lambda s: print(s, flush=True))
    out = result["settings"]["out"]
    print(
        f"\nSoak, one run, {result['date']}, {result['machine']}; {result['versions']}; "
        f"{result['seconds'] / 60:.1f} min of publishing\n"
    )
    print(table(result))
    failed = [name for name, ok in result["checks"].items() if not ok]
    print(f"\nsamples.csv, result.json, soak.svg and byline.log in {out}")
    for key in (
        "failures",
        "refusals_4xx",
        "lost",
        "duplicated",
        "unexpected",
        "log_errors",
        "replies_refused",
    ):
        if result[key]:
            print(f"{key}: {result[key][:5]}")
    print("every check passed" if not failed else f"FAILED: {', '.join(failed)}")
    print(f"\nCommand: `.venv/bin/python bench/soak.py {' '.join(argv or sys.argv[1:])}`")
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
