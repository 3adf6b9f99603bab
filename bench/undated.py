"""Undated pages: what date the judge is given for a page that carries none, and what it costs.

Real pages often carry no date (44 % of the real provenance set's pages: farms and
aggregators, mostly). Byline stores such a page with an estimate, ``published_estimated``,
and the judge reads the estimate as the page's date: it decides which stories and copy
groups the page can meet (the story window, ``BYLINE_STORY_WINDOW_HOURS``; the copy window,
``BYLINE_PROVENANCE_WINDOW_HOURS``). Three ways to date an undated page are compared, on the
two real sets (bench/realdata), through ``byline.pipeline.judge``, the path of ``byline
cluster`` and ``byline provenance``:

- **no date** — the judge is given none (what the JSONL tools do, and what
  bench/real_stream.py and bench/real_provenance.py measure): provenance compares the page
  with every article, and story clustering places it at the date of the dated article it
  matches best (``stories.placed_dates``);
- **crawl time** — the page is dated when it was fetched: its true date (on the stream) or its
  event's median dated page (on the provenance set, whose undated pages have no true date)
  plus a crawl lag drawn uniformly from 0 to ``--lag-hours`` (a fixed seed). This is what
  Byline stores since 2026-12-07: the fetch time (a WARC record's WARC-Date, a saved file's
  modification time, a live fetch's moment), ``store.first_seen``; the batch engines always
  did (``batch.stages.plausible_date``);
- **import time** — the page is dated on the day it was imported (the stream's last date plus
  ``--import-days``): what ``byline import`` stored before, for an archive imported after it
  was crawled.

The stream's articles are all dated, so ``--share`` of them (a fixed seed) lose their dates;
the provenance set's undated pages are its own. Figures on the tuning and reporting halves
(bench/protocol.py): B-cubed F1 for stories, relation exact and origin found for provenance.

Run from the repository root: ``.venv/bin/python bench/undated.py`` (``--help``).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench import protocol, real_provenance, real_stream  # noqa: E402
from bench.clustering import bcubed  # noqa: E402
from byline.pipeline import judge  # noqa: E402
from byline.records import JudgeInput  # noqa: E402

SEED = 7
MODES = ("no date", "crawl time", "import time")
EVERY_DATE = "(the stream as gathered: every date it has kept)"
# A date for an undated page, given the date it stands in for (its true date, or its event's
# median) and the import day.
Dater = Callable[[datetime, datetime], datetime | None]


def daters(lag_hours: float, seed: int) -> dict[str, Dater]:
    rng = random.Random(seed)
    return {
        "no date": lambda true, imported: None,
        "crawl time": lambda true, imported: true + timedelta(hours=rng.uniform(0, lag_hours)),
        "import time": lambda true, imported: imported,
    }


def stream_figures(
    share: float, lag_hours: float, import_days: int, seed: int
) -> dict[str, dict[str, float]]:
    """B³ F1 per mode and half, with ``share`` of the stream's articles undated (the articles
    ``bench/real_stream.py --undate`` takes the dates from, for the same seed)."""
    stream = real_stream.load_stream()
    if not stream.items:
        return {}
    gone = real_stream.undate(stream, share, seed)
    newest = max(item.published for item in stream.items if item.published is not None)
    imported = newest + timedelta(days=import_days)
    figures: dict[str, dict[str, float]] = {}
    for mode, date in [(EVERY_DATE, None), *daters(lag_hours, seed).items()]:
        items = [
            replace(item, published=date(item.published, imported))
            if date is not None and after.published is None and item.published is not None
            else item
            for item, after in zip(stream.items, gone.items, strict=True)
        ]
        dated = replace(stream, items=items)
        figures[mode] = {}
        for half in protocol.HALVES:
            chosen, gold = dated.half(half)
            predicted = [a.story for a in judge(chosen).stories]
            figures[mode][half] = bcubed(predicted, gold)[2]
    return figures


def provenance_figures(
    lag_hours: float, import_days: int, seed: int
) -> tuple[dict[str, dict[str, tuple[float, float]]], int, int]:
    """(relation exact, origin found) per mode and half, the provenance set's undated pages
    dated each way; and how many of its pages are undated, of how many."""
    pages = real_provenance.load_pages()
    if not pages:
        return {}, 0, 0
    random.Random(real_provenance.SEED).shuffle(pages)
    by_event: dict[str, list[datetime]] = {}
    for page in pages:
        if page.record.published is not None:
            by_event.setdefault(page.story, []).append(page.record.published)
    everything = sorted(d for dates in by_event.values() for d in dates)
    imported = everything[-1] + timedelta(days=import_days)

    def stands_for(story: str) -> datetime:
        dates = sorted(by_event.get(story) or everything)
        return dates[len(dates) // 2]

    undated = sum(page.record.published is None for page in pages)
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    for mode, date in daters(lag_hours, seed).items():
        dated = [
            replace(page, record=_dated(page.record, date(stands_for(page.story), imported)))
            if page.record.published is None
            else page
            for page in pages
        ]
        figures[mode] = {}
        for half, chosen in zip(protocol.HALVES, real_provenance.halves(dated), strict=True):
            found = real_provenance.scores(chosen, judge([p.record for p in chosen]).provenance)
            figures[mode][half] = (found["relation exact"][0], found["origin found"][0])
    return figures, undated, len(pages)


def _dated(record: JudgeInput, when: datetime | None) -> JudgeInput:
    return replace(record, published=when)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="bench/undated.py",
        description="Undated pages on the real stream and the real provenance set: the judge "
        "given no date, the crawl time, or the import time for them (stories B³ F1; "
        "provenance relation exact and origin found), as Markdown for BENCHMARKS.md.",
    )
    parser.add_argument(
        "--share",
        type=float,
        default=0.44,
        help="share of the stream's articles that lose their dates (default 0.44: the real "
        "provenance set's share of undated pages)",
    )
    parser.add_argument(
        "--lag-hours",
        type=float,
        default=48.0,
        help="a crawl comes up to this many hours after publication (default 48)",
    )
    parser.add_argument(
        "--import-days",
        type=int,
        default=365,
        help="the archive is imported this many days after its last date (default 365)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="the undating and lag seed")
    args = parser.parse_args(argv)
    if not 0 <= args.share <= 1:
        parser.error("--share is a share of the articles, from 0 to 1")
    stream = stream_figures(args.share, args.lag_hours, args.import_days, args.seed)
    provenance, undated, total = provenance_figures(args.lag_hours, args.import_days, args.seed)
    if not stream and not provenance:
        print("skipped: no real sets in bench/realdata")
        return 0
    print(
        f"Undated pages: the real stream with {args.share:.0%} of its articles undated (seed "
        f"{args.seed}), and the real provenance set's own {undated} undated pages of {total}; "
        f"crawl lag 0–{args.lag_hours:g} h, import {args.import_days} days after the last "
        "date.\n"
    )
    print(
        "| Date given to an undated page | stories B³ F1 tune | report | "
        "provenance relation exact tune | report | origin found tune | report |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|")
    for mode in (EVERY_DATE, *MODES) if stream else MODES:
        cells = []
        if stream:
            cells += [f"{stream[mode][half]:.4f}" for half in protocol.HALVES]
        else:
            cells += ["—", "—"]
        if provenance and mode in provenance:
            cells += [f"{provenance[mode][half][0]:.3f}" for half in protocol.HALVES]
            cells += [f"{provenance[mode][half][1]:.3f}" for half in protocol.HALVES]
        else:
            cells += ["—"] * 4
        print(f"| {mode} | " + " | ".join(cells) + " |")
    print(f"\nCommand: `.venv/bin/python bench/undated.py {' '.join(argv)}`".rstrip("` ") + "`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
