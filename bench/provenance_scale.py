"""Provenance at scale: time per article and memory of ``byline.judge.provenance.judge`` on
synthetic streams of growing size (default 1k, 10k and 100k articles).

A stream is a realistic mix at a fixed rate (``--per-day`` articles a day, so a longer
stream covers more days): many events, each reported independently by 1-5 outlets (own
words, shared names and numbers, sometimes one shared quotation), and about a fifth copies
of earlier articles published minutes to two days later (syndicated wire copy with a credit
line, scraped farm copies with chrome, spun copies from ``bench/provenance_spinner.py``).
Texts are made from a Zipf-distributed vocabulary (real news words and made-up ones), about
300 words each. Everything is seeded.

Each size runs in its own subprocess (so peak memory is its own): the stream is made and
fingerprinted outside the clock, then judged in one call of ``provenance.judge`` (the
copy-group engine; gold stories, so story clustering is not timed). Memory: the process's peak RSS
(``resource.getrusage`` ``ru_maxrss``) after judging, minus its RSS just before (what
judging added at its peak). ``--profile N`` prints cProfile's top entries for one size.

Run from the repository root: ``.venv/bin/python bench/provenance_scale.py`` (``--help``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.provenance_spinner import THESAURUS, spin  # noqa: E402
from byline.judge import provenance  # noqa: E402
from byline.judge.fingerprint import fingerprint  # noqa: E402
from byline.judge.text import STOPWORDS  # noqa: E402
from byline.records import JudgeInput  # noqa: E402

SEED = 7
START = datetime(2026, 1, 5, tzinfo=UTC)
SYLLABLES = ("ka", "lo", "mer", "ti", "van", "dor", "el", "sa", "rin", "bo", "tu", "pel", "gar")
CHROME = ("Source link", "Related Articles", "Leave a Reply", "Back to top button")


class Vocabulary:
    """Zipf-distributed words: stopwords, the thesaurus's news words, and made-up words."""

    def __init__(self, rng: random.Random, size: int = 12000) -> None:
        real = sorted(w for w in THESAURUS if " " not in w)
        made = sorted(
            {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
        )
        self.function = sorted(STOPWORDS)
        self.content = real + made
        rng.shuffle(self.content)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.content))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def words(self, rng: random.Random, n: int, topic: list[str]) -> list[str]:
        chosen = rng.choices(self.content, cum_weights=self.cumulative, k=n)
        out = []
        for word in chosen:
            roll = rng.random()
            if roll < 0.45:
                out.append(rng.choice(self.function))
            elif roll < 0.6 and topic:
                out.append(rng.choice(topic))
            else:
                out.append(word)
        return out


def _name(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(2)
    )


def _article(
    rng: random.Random, vocab: Vocabulary, event: dict[str, Any], words: int = 300
) -> tuple[str, list[str]]:
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(1, 3)):
            tokens = vocab.words(rng, rng.randint(12, 26), event["topic"])
            if rng.random() < 0.5:
                tokens.insert(rng.randrange(len(tokens)), rng.choice(event["names"]))
            if rng.random() < 0.3:
                tokens.insert(rng.randrange(len(tokens)), rng.choice(event["numbers"]))
            sentence = " ".join(tokens)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            count += len(tokens)
        paragraphs.append(" ".join(sentences))
    if event["quote"] and rng.random() < 0.5:
        paragraphs.insert(1, f"{event['names'][0]} said: “{event['quote']}”")
    title = " ".join(vocab.words(rng, 9, event["topic"])).capitalize()
    return title, paragraphs


def make_stream(n: int, per_day: int, seed: int = SEED) -> tuple[list[JudgeInput], list[str]]:
    """``n`` articles (records and gold story ids), in publication order."""
    rng = random.Random(f"{seed}:{n}")
    vocab = Vocabulary(rng)
    minutes_per_article = 24 * 60 / per_day
    items: list[JudgeInput] = []
    stories: list[str] = []
    bodies: dict[str, tuple[str, list[str], str]] = {}
    event_no = 0
    while len(items) < n:
        event_no += 1
        at = START + timedelta(minutes=len(items) * minutes_per_article)
        event = {
            "names": [_name(rng) for _ in range(rng.randint(3, 6))],
            "numbers": [str(rng.randint(2, 9999)) for _ in range(rng.randint(2, 4))],
            "topic": [rng.choice(vocab.content[:4000]) for _ in range(30)],
            "quote": " ".join(vocab.words(rng, 14, [])) if rng.random() < 0.3 else "",
        }
        story = f"e{event_no}"
        reports = rng.randint(1, 5)
        for r in range(reports):
            wire = r == 0 and rng.random() < 0.3
            published = at + timedelta(minutes=rng.randint(0, 36 * 60))
            title, paragraphs = _article(rng, vocab, event)
            record_id = f"a{len(items)}"
            items.append(
                JudgeInput(
                    id=record_id,
                    url=f"https://outlet{rng.randrange(300)}.example/{record_id}",
                    source=f"outlet {rng.randrange(300)}",
                    title=title,
                    text="\n".join(paragraphs),
                    published=published,
                    source_kind="wire" if wire else "outlet",
                )
            )
            stories.append(story)
            bodies[record_id] = (title, paragraphs, "wire" if wire else "outlet")
            for _ in range(_copies(rng)):
                items.append(_copy(rng, record_id, bodies[record_id], published, len(items)))
                stories.append(story)
    items, stories = items[:n], stories[:n]
    order = sorted(range(len(items)), key=lambda i: (items[i].published, i))
    return [items[i] for i in order], [stories[i] for i in order]


def _copies(rng: random.Random) -> int:
    """About 0.25 copies per report: a fifth of the stream are copies."""
    roll = rng.random()
    return 0 if roll < 0.82 else 1 if roll < 0.95 else 2


def _copy(
    rng: random.Random,
    parent: str,
    body: tuple[str, list[str], str],
    published: datetime,
    number: int,
) -> JudgeInput:
    title, paragraphs, kind = body
    roll = rng.random()
    if kind == "wire" and roll < 0.5:
        text, source_kind = "\n".join([*paragraphs, "— Reuters"]), "outlet"
    elif roll < 0.45:
        text, source_kind = "\n".join([*paragraphs, *CHROME]), "aggregator"
    else:
        result, _ = spin(rng, title, paragraphs)
        text, title, source_kind = result.text, result.title, "aggregator"
    record_id = f"c{number}-of-{parent}"
    # A licensed outlet carries wire copy; farms scrape and spin.
    site = f"outlet{rng.randrange(300)}" if source_kind == "outlet" else f"farm{rng.randrange(40)}"
    return JudgeInput(
        id=record_id,
        url=f"https://{site}.example/{record_id}",
        source=site.replace("outlet", "outlet ").replace("farm", "farm "),
        title=title,
        text=text,
        published=published + timedelta(minutes=rng.randint(5, 2 * 24 * 60)),
        source_kind=source_kind,
    )


def _rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() // 1024


def measure(n: int, per_day: int, profile: bool) -> dict[str, Any]:
    """Make, fingerprint and judge one stream (call in a fresh process)."""
    items, _stories = make_stream(n, per_day)  # provenance needs no stories
    start = time.perf_counter()
    fps = [fingerprint(i.title, i.text) for i in items]
    fingerprint_s = time.perf_counter() - start
    before = _rss_kib()
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    # The copy-group engine over the whole stream (dated articles further apart than its
    # window are never compared); only the label counts are kept.
    labels = provenance.judge(items, fps)
    relations: Counter[str] = Counter(label.relation for label in labels)
    labelled_copies = sum(label.origin_id is not None for label in labels)
    del labels
    if profiler:
        profiler.disable()
    judge_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    days = (items[-1].published - items[0].published).total_seconds() / 86400
    result: dict[str, Any] = {
        "n": n,
        "days": round(days, 1),
        "copies_in_stream": sum(1 for i in items if i.id.startswith("c")),
        "labelled_copies": labelled_copies,
        "relations": dict(relations),
        "fingerprint_s": fingerprint_s,
        "judge_s": judge_s,
        "ms_per_article": 1000 * judge_s / n,
        "rss_before_mib": before / 1024,
        "peak_growth_mib": max(0, peak - before) / 1024,
    }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        result["profile"] = out.getvalue()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--per-day", type=int, default=5000, help="articles a day in a stream")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per size")
    parser.add_argument("--profile", type=int, help="print cProfile's top entries for this size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.per_day, args.one == args.profile)))
        return 0
    rows = []
    for n in args.sizes:
        command = [sys.executable, __file__, "--one", str(n), "--per-day", str(args.per_day)]
        if args.profile == n:
            command += ["--profile", str(n)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=args.timeout, check=True
            )
        except subprocess.TimeoutExpired:
            print(f"{n}: did not finish within {args.timeout:.0f} s")
            continue
        except subprocess.CalledProcessError as exc:
            print(f"{n}: failed\n{exc.stderr}")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        if "profile" in row:
            print(row.pop("profile"))
        print(json.dumps(row), flush=True)
    print()
    print(
        "| Articles | Days | Copies in stream | Labelled copies | Judge s | ms / article "
        "| Fingerprint s | RSS before MiB | Peak growth MiB |"
    )
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['days']} | {r['copies_in_stream']:,} | {r['labelled_copies']:,} "
            f"| {r['judge_s']:.1f} | {r['ms_per_article']:.2f} | {r['fingerprint_s']:.1f} "
            f"| {r['rss_before_mib']:.0f} | {r['peak_growth_mib']:.0f} |"
        )
    if len(rows) > 1 and rows[0]["ms_per_article"]:
        growth = rows[-1]["ms_per_article"] / rows[0]["ms_per_article"]
        print(f"\ntime per article, largest / smallest stream: ×{growth:.2f}")
    return 0 if rows else 2


if __name__ == "__main__":
    raise SystemExit(main())
