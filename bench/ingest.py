"""Full-ingest throughput: Byline's per-page pipeline against trafilatura's ``extract()`` alone
and newspaper4k, over the same pages, pinned to one core, interleaved page by page, in
several rounds of one run; plus the cost of each Byline stage.

Byline's pipeline per page is what every importer and the feed ingester run:
``pipeline.process_fetched`` (decode by charset, parse, extract, fingerprint, section) on a
``FetchResult``, then ``store.save_article`` (raw page and article, one transaction, in a fresh
SQLite file). trafilatura alone and newspaper4k get the page bytes. Each page goes through
every pipeline before the next page (in a rotating order), so load from other processes on the
machine hits them alike; a warm-up round (every pipeline over every page, untimed) pays the
one-time costs (imports, lazily built tables such as jusText's stop lists) before the timed
rounds. Each timed round starts from an empty database. Wall time is the measure; CPU time of
the process is printed beside it. Judging (stories and provenance over the whole batch) is a
global step, timed once after the last round and reported on its own line.

Pages: the 181 real article pages of ../shared/data/extraction (skipped with a message when
absent). Run from the repository root: ``.venv/bin/python bench/ingest.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.extraction import (  # noqa: E402
    DEFAULT_DATA,
    Case,
    load_cases,
    newspaper_extractor,
    trafilatura_text,
)

BYLINE = "Byline ingest (process_fetched + save_article)"
TRAFILATURA = "trafilatura.extract() alone"
NEWSPAPER = "newspaper4k alone"
STAGES = ("decode + extract", "fingerprint", "section", "store")

PagePipeline = Callable[[Case], Any]


def _django(data_dir: Path) -> None:
    os.environ["BYLINE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "byline.web.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


@dataclass
class Timing:
    """Seconds one pipeline spent in one round: wall clock and this process's CPU."""

    wall: float = 0.0
    cpu: float = 0.0


@dataclass
class Round:
    timings: dict[str, Timing] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    stored: int = 0


class BylinePipeline:
    """The per-page pipeline as the importers run it, with the stage costs measured apart."""

    def __init__(self) -> None:
        from byline.news import registry

        self.registry = registry
        self.source: Any = None
        self.round: Round | None = None

    def reset(self, into: Round) -> None:
        """An empty database for the next round (not timed)."""
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        self.registry.ensure_sections()
        self.source = self.registry.source_named("Benchmark pages")
        self.round = into

    def __call__(self, case: Case) -> Any:
        from byline.errors import ExtractionError
        from byline.news import store
        from byline.pipeline import process_fetched
        from byline.records import FetchResult

        result = FetchResult(
            case.url, case.url, 200, {"content-type": "text/html"}, case.html, datetime.now(UTC)
        )
        start = time.perf_counter()
        try:
            processed = process_fetched(result)
        except ExtractionError:
            return None
        middle = time.perf_counter()
        saved = store.save_article(processed, self.source, result)
        if self.round is not None:
            self.round.stages["decode + extract"] += middle - start
            self.round.stages["store"] += time.perf_counter() - middle
            self.round.stored += saved is not None
        return processed

    def apportion(self, processed: Any) -> None:
        """Move the fingerprint and section share of ``process_fetched`` out of "decode +
        extract", by timing those two stages again on the same article (outside the
        pipelines' clocks)."""
        from byline.judge.fingerprint import fingerprint
        from byline.judge.sections import assign_section

        if processed is None or self.round is None:
            return
        article = processed.article
        start = time.perf_counter()
        fingerprint(article.title, article.text)
        middle = time.perf_counter()
        assign_section(article.categories, article.url, article.title, article.text)
        end = time.perf_counter()
        stages = self.round.stages
        stages["fingerprint"] += middle - start
        stages["section"] += end - middle
        stages["decode + extract"] -= end - start


def _extractor(func: Callable[[bytes, str], str]) -> PagePipeline:
    return lambda case: func(case.html, case.url)


def run_round(
    cases: Sequence[Case], pipelines: dict[str, PagePipeline], byline: BylinePipeline | None
) -> Round:
    """Every page through every pipeline, in a rotating order; per-pipeline times."""
    result = Round({name: Timing() for name in pipelines})
    if byline is not None:
        byline.reset(result)
    names = list(pipelines)
    for index, case in enumerate(cases):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            wall, cpu = time.perf_counter(), time.process_time()
            output = None
            with contextlib.suppress(Exception):  # a failing page still costs its time
                output = pipelines[name](case)
            timing = result.timings[name]
            timing.wall += time.perf_counter() - wall
            timing.cpu += time.process_time() - cpu
            if byline is not None and name == BYLINE:
                byline.apportion(output)
    return result


def _spread(values: Sequence[float]) -> str:
    if len(values) == 1:
        return f"×{values[0]:.2f}"
    return f"×{statistics.median(values):.2f} (×{min(values):.2f}–×{max(values):.2f})"


def report(rounds: Sequence[Round], pages: int, judge_seconds: float, argv: Sequence[str]) -> str:
    names = list(rounds[0].timings)
    lines = [
        f"Full ingest, {pages} pages of extraction, one core, {len(rounds)} timed rounds "
        f"interleaved page by page after a warm-up round ({rounds[-1].stored} stored per round)",
        "",
        "| Round | "
        + " | ".join(f"{name}, pages/s" for name in names)
        + " | "
        + " | ".join(f"Byline / {name.split()[0]} (wall, CPU)" for name in names[1:])
        + " |",
        "|--:|" + "--:|" * (2 * len(names) - 1),
    ]
    for number, one in enumerate(rounds, 1):
        speeds = [f"{pages / one.timings[name].wall:.1f}" for name in names]
        mine = one.timings[names[0]]
        ratios = [
            f"×{theirs.wall / mine.wall:.2f}, ×{theirs.cpu / mine.cpu:.2f}"
            for theirs in (one.timings[name] for name in names[1:])
        ]
        lines.append(f"| {number} | " + " | ".join(speeds + ratios) + " |")
    lines.append("")
    for name in names[1:]:
        wall = [one.timings[name].wall / one.timings[names[0]].wall for one in rounds]
        cpu = [one.timings[name].cpu / one.timings[names[0]].cpu for one in rounds]
        lines.append(f"Byline / {name}: wall {_spread(wall)}, CPU {_spread(cpu)} (median, min–max)")
    total = {stage: statistics.median(one.stages[stage] for one in rounds) for stage in STAGES}
    whole = sum(total.values())
    lines += ["", "| Byline stage (median round) | Seconds | Share |", "|---|--:|--:|"]
    lines += [f"| {stage} | {total[stage]:.2f} | {total[stage] / whole:.0%} |" for stage in STAGES]
    lines.append(
        f"| judge (stories + provenance over the batch, global) | {judge_seconds:.2f} | — |"
    )
    shown = " ".join([".venv/bin/python bench/ingest.py", *argv])
    lines += ["", f"Command: `{shown}`"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="bench/ingest.py", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up round")
    parser.add_argument(
        "--extra", choices=("auto", "none"), default="auto", help="'none' leaves newspaper4k out"
    )
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not (args.data / "ground-truth.json").is_file():
        print(f"skipped: extraction data {args.data} not found")
        return 0
    logging.basicConfig(level=logging.ERROR)  # extractors' per-page warnings are noise here
    warnings.simplefilter("ignore")
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cases = load_cases(args.data, args.limit)
    with tempfile.TemporaryDirectory() as folder:
        _django(Path(folder))
        logging.getLogger("trafilatura").setLevel(logging.ERROR)  # after Django's logging setup
        from django.conf import settings

        from byline.ingest import judge_new

        byline = BylinePipeline()
        pipelines: dict[str, PagePipeline] = {
            BYLINE: byline,
            TRAFILATURA: _extractor(trafilatura_text),
        }
        newspaper = newspaper_extractor() if args.extra == "auto" else None
        if newspaper is not None:
            pipelines[NEWSPAPER] = _extractor(newspaper)
        if not args.no_warmup:
            run_round(cases, pipelines, byline)
        rounds = [run_round(cases, pipelines, byline) for _ in range(args.rounds)]
        clock = time.perf_counter()
        judge_new(settings.BYLINE)
        judge_seconds = time.perf_counter() - clock
    print(report(rounds, len(cases), judge_seconds, argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
