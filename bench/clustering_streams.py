"""Harder clustering streams built from BASIL (100 events, 3 outlets each, 2010-2019).

BASIL's events lie months or years apart, so a time window alone separates them. These
builders keep every article and its gold story and change only the publication times:

``squeezed``
    All 100 events squeezed into ``days`` (10) days: each event gets a random start time in
    that span (seeded), and its articles keep their day offsets from the event's first
    article, plus a random hour of the day. About 40 events share any 96-hour window, so only
    the words can tell them apart, and they are all US politics (Trump, Obama, Congress …).

``paired``
    The same squeeze, but events are first paired with their most similar other event and
    both events of a pair start within the same hours: several stories of one topic on one day
    (two Mueller stories, two shutdown stories, two Michael Flynn stories …). Events are
    paired greedily by the overlap of their *annotations* (BASIL's ``main-event`` sentence
    and ``main-entities`` list, written by the annotators), not by any feature the clusterer
    uses, so the pairing does not flatter the method under test.

Both are deterministic for a seed. Run ``.venv/bin/python bench/clustering_streams.py`` to
print the pairs.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "basil"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from byline.demo.corpus import load_corpus  # noqa: E402
from byline.extract.metadata import parse_datetime  # noqa: E402
from byline.judge.text import content_words  # noqa: E402
from byline.records import JudgeInput  # noqa: E402

START = datetime(2030, 1, 1, tzinfo=UTC)
SEED = 7


@dataclass(frozen=True)
class Event:
    """A gold story and its annotations."""

    id: str
    description: str
    entities: tuple[str, ...]


@dataclass(frozen=True)
class Stream:
    name: str
    items: list[JudgeInput]
    gold: list[str]


def load_basil(folder: Path) -> tuple[list[JudgeInput], list[str], dict[str, Event]]:
    """Article records, their gold story ids (in file order), and each story's annotations."""
    items: list[JudgeInput] = []
    gold: list[str] = []
    events: dict[str, Event] = {}
    for path in sorted(folder.glob("articles/*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = data["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = json.loads(paragraphs)
        text = "\n".join(p if isinstance(p, str) else " ".join(p) for p in paragraphs)
        items.append(
            JudgeInput(
                id=path.stem,
                url=str(data.get("url") or ""),
                source=str(data.get("source") or ""),
                title=str(data.get("title") or ""),
                text=text,
                published=parse_datetime(str(data.get("date") or "")),
            )
        )
        story = str(data["triplet-uuid"])
        gold.append(story)
        if story not in events or not events[story].description:
            events[story] = Event(
                story,
                str(data.get("main-event") or ""),
                tuple(str(e) for e in data.get("main-entities") or ()),
            )
    return items, gold, events


def _members(gold: Sequence[str]) -> dict[str, list[int]]:
    members: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(gold):
        members[story].append(i)
    return members


def _place(
    items: Sequence[JudgeInput], members: list[int], start: datetime, rng: random.Random
) -> dict[int, datetime]:
    """Times for one event's articles: their day offsets kept, a random hour each."""
    days = [items[i].published for i in members]
    first = min((d for d in days if d is not None), default=None)
    times = {}
    for i, day in zip(members, days, strict=True):
        offset = (day - first) if day is not None and first is not None else timedelta()
        times[i] = start + offset + timedelta(minutes=rng.randrange(0, 16 * 60))
    return times


def _restamp(items: Sequence[JudgeInput], times: dict[int, datetime]) -> list[JudgeInput]:
    return [replace(item, published=times[i]) for i, item in enumerate(items)]


def squeezed(
    items: Sequence[JudgeInput], gold: Sequence[str], days: int = 10, seed: int = SEED
) -> list[JudgeInput]:
    """Every event starts at a random time within ``days`` days."""
    rng = random.Random(seed)
    times: dict[int, datetime] = {}
    for story in sorted(_members(gold)):
        start = START + timedelta(minutes=rng.randrange(0, days * 24 * 60))
        times.update(_place(items, _members(gold)[story], start, rng))
    return _restamp(items, times)


def _annotation_words(event: Event) -> set[str]:
    return set(content_words(event.description + " " + " ".join(event.entities)))


def pair_events(events: dict[str, Event]) -> list[tuple[str, str]]:
    """Greedy pairs of the most similar events by annotation-word Jaccard (ties by id)."""
    words = {story: _annotation_words(event) for story, event in events.items()}
    stories = sorted(events)
    scored = []
    for i, a in enumerate(stories):
        for b in stories[i + 1 :]:
            union = words[a] | words[b]
            score = len(words[a] & words[b]) / len(union) if union else 0.0
            scored.append((-score, a, b))
    scored.sort()
    used: set[str] = set()
    pairs = []
    for _, a, b in scored:
        if a not in used and b not in used:
            pairs.append((a, b))
            used.update((a, b))
    return pairs


def paired(
    items: Sequence[JudgeInput],
    gold: Sequence[str],
    events: dict[str, Event],
    days: int = 10,
    seed: int = SEED,
) -> list[JudgeInput]:
    """Like ``squeezed``, but the two events of each pair start within the same hours."""
    rng = random.Random(seed)
    members = _members(gold)
    times: dict[int, datetime] = {}
    for a, b in pair_events({s: events[s] for s in members}):
        start = START + timedelta(minutes=rng.randrange(0, days * 24 * 60))
        for story in (a, b):
            times.update(_place(items, members[story], start, rng))
    return _restamp(items, times)


def demo_stream() -> Stream:
    """Byline's own fictional sample corpus (``byline.demo``): 14 events of about seven
    articles each (an original, wire copies, independent reports, a scrape and a spun copy).
    It was written for Byline, so it is a check on larger stories with copies, not a
    measure."""
    corpus = load_corpus()
    articles = sorted(corpus.articles, key=lambda a: a.id)
    items = [
        JudgeInput(
            id=a.id,
            url="",
            source=a.outlet,
            title=a.headline,
            text="\n".join(a.paragraphs),
            published=a.published,
            standfirst=a.standfirst,
        )
        for a in articles
    ]
    return Stream("demo", items, [a.event_id for a in articles])


def streams(folder: Path) -> list[Stream]:
    """BASIL as published, squeezed into 10 days, squeezed with same-topic pairs; and the
    demo corpus."""
    items, gold, events = load_basil(folder)
    return [
        Stream("BASIL", items, gold),
        Stream("squeezed", squeezed(items, gold), gold),
        Stream("paired", paired(items, gold, events), gold),
        demo_stream(),
    ]


def main() -> int:
    if not (DEFAULT_DATA / "articles").is_dir():
        print(f"skipped: BASIL data {DEFAULT_DATA} not found")
        return 0
    _, _, events = load_basil(DEFAULT_DATA)
    for a, b in pair_events(events):
        print(f"{events[a].description[:60]:<60} | {events[b].description[:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
