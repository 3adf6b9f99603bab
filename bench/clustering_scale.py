"""Story clustering at scale: articles per second (one core) and peak memory on synthetic
streams of 1k, 10k and 100k articles, with up to 100k stories live at once.

The articles are synthetic features, not text, so this measures the story engine alone
(``StoryIndex.assign``: candidate search, scoring, merges, splits, eviction), not feature
extraction. A stream is made like this (seeded): one article a second; each article starts a
new story with probability 0.7, else it joins one of the 2,000 most recent stories; a story
has 8 topic words, 3 entities and 3 names; an article takes 5 of its story's topic words, 2
entities and 2 names, plus 10 lead words and 40 body words drawn from a Zipf-like
vocabulary of 50,000 words (so common words are shared by thousands of articles). The window
is 96 hours, longer than the 100k-second stream, so no story ever leaves it and every story
stays live: 100k articles give about 70k live stories.

Each size runs in a fresh process so that its peak memory (``ru_maxrss``) is its own. The
cost per article is also read in slices as live stories grow: it must stay flat.
Run from the repository root: ``.venv/bin/python bench/clustering_scale.py``
(``--sizes 1000 10000`` for a quicker run).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from byline.judge.stories import Features, StoryIndex  # noqa: E402

START = datetime(2030, 1, 1, tzinfo=UTC)
VOCABULARY = 50_000
NEW_STORY = 0.7
RECENT_STORIES = 2_000
SLICES = 10


class Synthetic:
    """A seeded stream of article features."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        weights = [1.0 / (rank + 1) for rank in range(VOCABULARY)]  # Zipf, s = 1
        self.cumulative = list(_accumulate(weights))
        self.stories: list[tuple[list[str], list[str], list[str]]] = []

    def _common(self, n: int) -> list[str]:
        picks = self.rng.choices(range(VOCABULARY), cum_weights=self.cumulative, k=n)
        return [f"w{p}" for p in picks]

    def article(self) -> Features:
        rng = self.rng
        if not self.stories or rng.random() < NEW_STORY:
            k = len(self.stories)
            self.stories.append(
                (
                    [f"t{k}_{i}" for i in range(8)],
                    [f"PERSON:e{k}_{i}" for i in range(3)],
                    [f"@n{k}_{i}" for i in range(3)],
                )
            )
            story = self.stories[-1]
        else:
            story = self.stories[-rng.randrange(1, min(RECENT_STORIES, len(self.stories)) + 1)]
        topic, entities, names = story
        lead = rng.sample(topic, 5) + self._common(10)
        body = lead + self._common(40)
        return Features(
            lead={w: 1.0 for w in lead},
            names=tuple(rng.sample(names, 2)),
            body={w: 1.0 for w in body},
            entities=tuple(rng.sample(entities, 2)),
        )


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


def measure(size: int, seed: int = 1) -> dict[str, object]:
    """Cluster ``size`` synthetic articles; time each slice of the stream."""
    stream = Synthetic(seed)
    articles = [stream.article() for _ in range(size)]
    index = StoryIndex(window=timedelta(hours=96))
    slices = []
    step = max(1, size // SLICES)
    started = total_start = time.process_time()
    for i, features in enumerate(articles, start=1):
        index.assign(f"a{i}", None, START + timedelta(seconds=i), features=features)
        if i % step == 0:
            now = time.process_time()
            slices.append((index.live_stories, (now - started) / step * 1e6))
            started = now
    seconds = time.process_time() - total_start
    return {
        "size": size,
        "seconds": seconds,
        "rate": size / seconds,
        "live_stories": index.live_stories,
        "live_articles": index.live_articles,
        "events": len(index.events),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "slices": slices,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    results = []
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout))
    print("Story clustering at scale (synthetic features, one core)\n")
    print("| Articles | Live stories at the end | Articles/s | µs per article | Peak memory |")
    print("|--:|--:|--:|--:|--:|")
    for r in results:
        print(
            f"| {r['size']:,} | {r['live_stories']:,} | {r['rate']:.0f} | "
            f"{1e6 / r['rate']:.0f} | {r['peak_mib']:.0f} MiB |"
        )
    largest = results[-1]
    print(f"\nCost per article as live stories grow ({largest['size']:,}-article stream):\n")
    print("| Live stories | µs per article (last slice) |")
    print("|--:|--:|")
    for live, micros in largest["slices"]:
        print(f"| {live:,} | {micros:.0f} |")
    print("\nCommand: `.venv/bin/python bench/clustering_scale.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
