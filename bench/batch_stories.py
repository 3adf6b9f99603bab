"""Story clustering of the batch engine (``byline batch --engine local``) on the real 2023+
news stream, beside ``pipeline.judge`` (what the service does), on each half
(bench/protocol.py), for the story blocks and margins given: how far time blocks cut
long-running stories (docs/scale.md, "Story blocks").

Each half is written as the JSONL records ``byline batch`` reads and run through the local
engine's every step (extraction of records, stories per block and edge, stitching); the
articles table's ``story`` column is scored with B-cubed F1 against the gold.

Run from the repository root: ``.venv/bin/python bench/batch_stories.py`` (``--help``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench import protocol  # noqa: E402
from bench.clustering import bcubed  # noqa: E402
from bench.real_stream import DEFAULT_DATA, load_stream, parse_parts, undate  # noqa: E402
from byline.batch.local import run_local  # noqa: E402
from byline.batch.rows import ARTICLES_SCHEMA, columns  # noqa: E402
from byline.batch.stages import MapOptions  # noqa: E402
from byline.batch.steps import BatchParams  # noqa: E402
from byline.pipeline import judge  # noqa: E402
from byline.records import JudgeInput  # noqa: E402


def batch_stories(
    items: Sequence[JudgeInput], block: float, margin: float, place_undated: bool = True
) -> list[str]:
    """Each item's story as the local batch engine gives it, blocks and margins in hours."""
    names = columns(ARTICLES_SCHEMA)
    key, story = names.index("id"), names.index("story")
    params = BatchParams(
        block=timedelta(hours=block),
        margin=timedelta(hours=margin),
        place_undated=place_undated,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "items.jsonl"
        path.write_text("".join(json.dumps(i.to_json()) + "\n" for i in items), "utf-8")
        tables, _ = run_local([str(path)], params, MapOptions())
    found = {row[key]: row[story] for row in tables.articles}
    return [found[item.id] for item in items]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    default = BatchParams()
    parser = argparse.ArgumentParser(
        prog="bench/batch_stories.py",
        description="The batch engine's stories on the real stream's halves, beside "
        "pipeline.judge's, for each block/margin setting (B-cubed P/R/F1), as Markdown.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the stream folder")
    parser.add_argument(
        "--blocks",
        default=f"24/12,{default.block.total_seconds() / 3600:g}/"
        f"{default.margin.total_seconds() / 3600:g}",
        metavar="B/M,…",
        help="block/margin hours to run (default: 24/12, the default before 2026-12-07, and "
        "today's default, the story window)",
    )
    parser.add_argument(
        "--parts",
        metavar="P,P,…",
        help="only these parts of the stream (file names without .jsonl), scored on every "
        "article rather than by halves: a sealed pair's measurement",
    )
    parser.add_argument(
        "--undate",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="take the dates of this share of the articles away (seed 7, as "
        "bench/real_stream.py --undate), and run each block setting with undated articles "
        "placed by their text (the default) and in a block of their own (before 2026-12-08)",
    )
    args = parser.parse_args(argv)
    if not any(args.data.glob("*.jsonl")):
        print(f"skipped: no stream in {args.data}")
        return 0
    stream = load_stream(args.data, parse_parts(args.parts))
    if args.undate:
        stream = undate(stream, args.undate)
    if args.parts:
        halves = {"all": (stream.items, stream.gold)}
    else:
        halves = {h: stream.half(h) for h in protocol.HALVES}
    undated = sum(1 for item in stream.items if item.published is None)
    print(f"{len(stream.items)} articles, {undated} undated\n")
    print("| method | " + " | ".join(f"{h} P / R / F1" for h in halves) + " | seconds |")
    print("|---|" + "--:|" * (len(halves) + 1))
    for setting in args.blocks.split(","):
        block, margin = (float(v) for v in setting.split("/"))
        for place in (True, False) if undated else (True,):
            cells, seconds = [], 0.0
            for items, gold in halves.values():
                started = time.perf_counter()
                predicted = batch_stories(items, block, margin, place)
                seconds += time.perf_counter() - started
                cells.append("{:.3f} / {:.3f} / **{:.3f}**".format(*bcubed(predicted, gold)))
            how = "" if not undated else ", undated placed" if place else ", undated apart"
            print(
                f"| byline batch, blocks {block:g} h, margins {margin:g} h{how} | "
                f"{' | '.join(cells)} | {seconds:.1f} |"
            )
    cells, seconds = [], 0.0
    for items, gold in halves.values():
        started = time.perf_counter()
        predicted = [a.story for a in judge(items).stories]
        seconds += time.perf_counter() - started
        cells.append("{:.3f} / {:.3f} / **{:.3f}**".format(*bcubed(predicted, gold)))
    print(f"| pipeline.judge (the service) | {' | '.join(cells)} | {seconds:.1f} |")
    print(f"\nCommand: `.venv/bin/python bench/batch_stories.py {' '.join(argv)}`".rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
