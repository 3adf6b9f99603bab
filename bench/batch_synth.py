"""Synthetic WARC archives for the batch benchmark: news pages about made-up events, written
with Byline's own WARC writer, at any size and always the same for a seed.

Each event has its own place, people, numbers and topic words, and about eight articles over
a day or two from different outlets: independent reports (the event's facts in the outlet's
own sentences), verbatim copies (wire text with a credit line, or scraped), spun copies
(words swapped for synonyms, names and numbers kept) and one-off articles. About 3% of the
records are junk (images, JSON, 404s) and 1% re-fetches of a page already in the archive.
Density is fixed at about ``PER_DAY`` records a day, so a bigger archive spans more days (as
a longer stretch of CC-NEWS does) rather than packing more into each story block.

Run: ``.venv/bin/python bench/batch_synth.py OUT_DIR --records 2000``.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from byline.fetch.warc import WarcWriter
from byline.records import FetchResult

START = datetime(2026, 3, 1, tzinfo=UTC)
PER_DAY = 1000
PER_FILE = 1000
OUTLETS = 60
WIRES = 3
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "el", "or", "un", "ix"]
FILLER = (  # noqa: SIM905  (a paragraph of words reads better than a list)
    "the officials said on that after talks would next week before announced statement "
    "people city government plan local residents many report further public meeting data "
    "earlier expected response new support agency decision region cost council services "
    "minister market workers police school hospital river bridge road price trade union "
    "vote court law budget energy water storm fire health talks deal company staff board "
    "week month year morning evening under over against across during while because"
).split()
SYNONYMS = {
    "said": "stated", "announced": "declared", "people": "individuals", "city": "town",
    "plan": "scheme", "expected": "anticipated", "meeting": "gathering", "cost": "price",
    "residents": "inhabitants", "decision": "ruling", "support": "backing", "report": "account",
    "earlier": "previously", "further": "additional", "statement": "declaration",
}  # fmt: skip


@dataclass
class Event:
    place: str
    people: tuple[str, str]
    numbers: tuple[str, ...]
    topics: tuple[str, ...]
    start: datetime


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def word(self, syllables: int = 3) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(syllables))

    def name(self) -> str:
        return f"{self.word(2).capitalize()} {self.word(3).capitalize()}"

    def event(self, when: datetime) -> Event:
        return Event(
            place=self.word(3).capitalize() + " " + self.rng.choice(["Bay", "Vale", "Port"]),
            people=(self.name(), self.name()),
            numbers=tuple(str(self.rng.randint(11, 9999)) for _ in range(6)),
            topics=tuple(self.word(3) for _ in range(6)),
            start=when,
        )

    def sentences(self, event: Event, count: int) -> list[str]:
        """An outlet's own report: the event's facts (people, place, numbers, topic words)
        in its own words, so two reports share terms and names but few sentences."""
        facts = [*event.people, event.place, *event.numbers[:3], *event.topics]
        out = []
        for _ in range(count):
            words = [self.rng.choice(FILLER) for _ in range(self.rng.randint(7, 13))]
            for fact in self.rng.sample(facts, k=3):
                words.insert(self.rng.randrange(len(words) + 1), fact)
            out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        return out

    def spin(self, text: str) -> str:
        words = text.split(" ")
        return " ".join(SYNONYMS.get(w, w) if self.rng.random() < 0.9 else w for w in words)


def page(outlet: str, title: str, paragraphs: list[str], published: datetime, url: str) -> bytes:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {outlet}</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{published.isoformat()}">
</head><body>
<header><nav><a href="/">{outlet}</a> <a href="/news/">News</a> <a href="/sport/">Sport</a>
</nav></header>
<main><article><h1>{escape(title)}</h1>
<p class="byline">By {outlet} staff</p>
{body}
</article></main>
<footer><p>Copyright {outlet}. All rights reserved. Terms. Privacy.</p></footer>
</body></html>
""".encode()


def generate(folder: Path, records: int, seed: int = 7) -> list[Path]:
    """Write about ``records`` WARC records under ``folder``; returns the files."""
    gen = Generator(seed)
    rng = gen.rng
    outlets = [f"outlet{i:02d}.example" for i in range(OUTLETS)]
    wires = [f"wire{i}.example" for i in range(WIRES)]
    seconds_per_record = 86400 / PER_DAY
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    stored: list[FetchResult] = []
    with WarcWriter(folder, prefix="synth", max_bytes=1 << 62) as writer:
        while written < records:
            when = START + timedelta(seconds=written * seconds_per_record)
            event = gen.event(when)
            wire_text: list[str] | None = None
            for k in range(rng.randint(1, 14)):
                published = when + timedelta(minutes=rng.randint(0, 36 * 60) if k else 0)
                kind = rng.random()
                host = rng.choice(outlets)
                if k == 0 and kind < 0.4:
                    host = rng.choice(wires)
                    wire_text = gen.sentences(event, 8)
                    paragraphs = wire_text
                elif wire_text and kind < 0.35:
                    paragraphs = [*wire_text, f"Source: {wires[0].split('.')[0].title()} News"]
                elif wire_text and kind < 0.45:
                    paragraphs = [gen.spin(p) for p in wire_text]
                else:
                    paragraphs = gen.sentences(event, rng.randint(5, 9))
                title = f"{event.place}: {event.topics[0]} {event.topics[1]} {k}"
                url = f"https://{host}/news/{written:07d}-{event.topics[0]}.html"
                result = FetchResult(
                    url,
                    url,
                    200,
                    {"content-type": "text/html; charset=utf-8"},
                    page(host, title, paragraphs, published, url),
                    published + timedelta(hours=2),
                )
                written += _write(writer, rng, result, stored)
                if written >= records:
                    break
            if (written // PER_FILE) > len(writer.files) - 1:
                writer.close()
    return list(writer.files)


def _write(
    writer: WarcWriter, rng: random.Random, result: FetchResult, stored: list[FetchResult]
) -> int:
    """Write one page, and now and then junk or a re-fetch beside it; returns records."""
    writer.write(result)
    stored.append(result)
    count = 1
    roll = rng.random()
    if roll < 0.02:
        url = result.url.replace(".html", ".png")
        junk = FetchResult(
            url, url, 200, {"content-type": "image/png"}, b"\x89PNG", result.fetched_at
        )
        writer.write(junk)
        count += 1
    elif roll < 0.03:
        url = result.url.replace(".html", "-missing.html")
        gone = FetchResult(
            url, url, 404, {"content-type": "text/html"}, b"<html>no</html>", result.fetched_at
        )
        writer.write(gone)
        count += 1
    elif roll < 0.04 and len(stored) > 10:
        again = stored[rng.randrange(len(stored) - 10)]
        writer.write(
            FetchResult(again.url, again.url, 200, again.headers, again.body, result.fetched_at)
        )
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = generate(args.out, args.records, args.seed)
    print(f"{len(files)} files in {args.out}")


if __name__ == "__main__":
    main()
