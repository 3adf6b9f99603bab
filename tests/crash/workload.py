"""The crash tests' workload: made-up news events, always the same for a seed, in rounds.

Each event has its own place, people, numbers and topic words (``bench.batch_synth``'s
generator) and one to five articles from different outlets: an original report, verbatim
copies with a credit line, spun copies and independent reports, so that judging has stories
to form and copies to trace. The same documents are served on a loopback server (``fetch``),
written as JSONL records (``import``) or as a WARC file (``batch``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.batch_synth import Generator, page

from byline.fetch.warc import WarcWriter
from byline.records import FetchResult

START = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)
ROUND_DAYS = 14  # rounds lie further apart than any judging window (7 days by default)
OUTLETS = 8


@dataclass(frozen=True)
class Doc:
    outlet: str  # "o3"
    event: int  # which event it reports, counted across rounds
    path: str  # "/o3/r1-0042-tabeku.html"
    title: str
    paragraphs: tuple[str, ...]
    published: datetime

    def html(self, url: str) -> bytes:
        return page(self.outlet, self.title, list(self.paragraphs), self.published, url)


class _Event:
    """One made-up event: its place, people, numbers and a small vocabulary of its own, so
    that events share no words and every report of one shares most of its words: each story
    is plain to see, whatever else is judged with it. (Judging weighs words by how rare they
    are among the articles judged together, so a story on the edge of the threshold could
    form otherwise when a kill changes which articles are judged together; none is here.)"""

    def __init__(self, gen: Generator) -> None:
        rng = gen.rng
        self.rng = rng
        self.place = gen.word(3).capitalize() + " " + rng.choice(["Bay", "Vale", "Port"])
        self.people = (gen.name(), gen.name())
        self.numbers = tuple(str(rng.randint(11, 9999)) for _ in range(4))
        self.words = [gen.word(rng.randint(2, 4)) for _ in range(16)]
        self.synonyms = {w: gen.word(3) for w in self.words}

    def sentences(self, count: int) -> list[str]:
        facts = [*self.people, self.place, *self.numbers]
        out = []
        for _ in range(count):
            words = [self.rng.choice(self.words) for _ in range(self.rng.randint(9, 15))]
            for fact in self.rng.sample(facts, k=2):
                words.insert(self.rng.randrange(len(words) + 1), fact)
            out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        return out

    def spin(self, text: str) -> str:
        """Most of the event's words swapped for others; names and numbers kept."""
        swap = self.synonyms
        return " ".join(swap.get(w, w) if self.rng.random() < 0.6 else w for w in text.split(" "))


def rounds(count: int, events_per_round: int, seed: int, outlets: int = OUTLETS) -> list[list[Doc]]:
    """``count`` rounds of documents; each round's events are its own (no copy of an event
    crosses rounds), and every round lies ``ROUND_DAYS`` after the one before. An outlet
    publishes one spun copy at most: two mark it a spinner among the articles judged
    together, and its verbatim copies scrapes, so its labels would hang on which articles a
    kill left to be judged together."""
    gen = Generator(seed)
    rng = gen.rng
    out: list[list[Doc]] = []
    serial = 0
    events = 0
    spinners: set[int] = set()
    for r in range(count):
        docs: list[Doc] = []
        for e in range(events_per_round):
            when = START + timedelta(days=ROUND_DAYS * r, minutes=97 * e)
            event = _Event(gen)
            events += 1
            carriers = rng.sample(range(outlets), k=rng.randint(1, 5))
            lead = event.sentences(7)
            for k, o in enumerate(carriers):
                roll = rng.random()
                if k == 0:
                    paragraphs = lead
                elif roll < 0.35:
                    paragraphs = [*lead, f"Source: Outlet o{carriers[0]}"]
                elif roll < 0.6 and o not in spinners:
                    spinners.add(o)
                    paragraphs = [event.spin(p) for p in lead]
                else:
                    paragraphs = event.sentences(rng.randint(5, 8))
                serial += 1
                title = f"{event.place}: {event.words[0]} {event.words[1]} {k}"
                docs.append(
                    Doc(
                        outlet=f"o{o}",
                        event=events,
                        path=f"/o{o}/r{r}-{serial:04d}-{event.words[0]}.html",
                        title=title,
                        paragraphs=tuple(paragraphs),
                        published=when + timedelta(minutes=13 * k),  # never two alike
                    )
                )
        out.append(docs)
    return out


# ── fetch: a loopback outlet per outlet, an RSS feed each ───────────────────────────────────


def rss(title: str, items: list[tuple[str, str, datetime]]) -> str:
    from tests.integration.conftest import rss_feed

    return rss_feed(title, items)


def serve(
    loopback: Any, docs: list[Doc], delay: float, etag: str, outlets: int = OUTLETS
) -> list[str]:
    """Serve ``docs`` (pages answer after ``delay`` s) and one RSS feed per outlet listing
    every doc of that outlet; each feed sends ``etag`` and answers 304 to a request naming it.
    Returns the feed URLs, in outlet order. Serving more docs later grows the feeds."""
    by_outlet: dict[str, list[tuple[str, str, datetime]]] = {f"o{o}": [] for o in range(outlets)}
    for doc in docs:
        url = loopback.url(doc.path)
        loopback.add(doc.path, doc.html(url), delay=delay)
        by_outlet[doc.outlet].append((doc.title, url, doc.published))
    feeds = []
    for outlet, items in by_outlet.items():
        feeds.append(
            loopback.add(
                f"/{outlet}/feed.xml",
                rss(f"Outlet {outlet}", items),
                content_type="application/rss+xml; charset=utf-8",
                etag=etag,
            )
        )
    return feeds


def opml(feeds: list[str], path: Path) -> Path:
    """An OPML file following every feed (one `byline sources import` instead of a process
    per feed)."""
    outlines = "\n".join(
        f'<outline type="rss" text="Outlet o{n}" title="Outlet o{n}" xmlUrl="{url}"/>'
        for n, url in enumerate(feeds)
    )
    path.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>crash</title></head>'
        f"<body>{outlines}</body></opml>",
        encoding="utf-8",
    )
    return path


# ── import: JSONL records ───────────────────────────────────────────────────────────────────

JSONL_BASE = "https://crash.example"


def write_jsonl(docs: list[Doc], path: Path) -> list[str]:
    """One record per doc, its source the outlet; returns the URLs."""
    urls = []
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            url = JSONL_BASE + doc.path
            urls.append(url)
            record = {
                "url": url,
                "title": doc.title,
                "text": "\n\n".join(doc.paragraphs),
                "published": doc.published.isoformat(),
                "source": f"Outlet {doc.outlet}",
            }
            out.write(json.dumps(record) + "\n")
    return urls


# ── batch: a WARC file of the pages ─────────────────────────────────────────────────────────


def write_warc(docs: list[Doc], folder: Path) -> tuple[list[Path], list[str]]:
    """The docs' pages as WARC response records (one host per outlet); returns the files and
    the URLs."""
    urls = []
    with WarcWriter(folder, prefix="crash", max_bytes=1 << 62) as writer:
        for doc in docs:
            url = f"https://{doc.outlet}.example{doc.path}"
            urls.append(url)
            writer.write(
                FetchResult(
                    url,
                    url,
                    200,
                    {"content-type": "text/html; charset=utf-8"},
                    doc.html(url),
                    doc.published + timedelta(hours=2),
                )
            )
    return list(writer.files), urls
