"""Full-ingest throughput: Byline's per-page pipeline (extract, fingerprint, section, store in
SQLite) against trafilatura's ``extract()`` alone and newspaper4k, over the same pages, pinned
to one core, in one run; plus the cost of each Byline stage.

Pages: the 181 real article pages of ../shared/data/extraction (skipped with a message when
absent). The database is a fresh SQLite file in a temporary folder. Judging (stories and
provenance over the whole batch) is a global step, timed and reported on its own line.
Run from the repository root: ``.venv/bin/python bench/ingest.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

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

STAGES = ("extract", "fingerprint", "section", "store")


def _django(data_dir: Path) -> None:
    os.environ["BYLINE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "byline.web.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def byline_ingest(cases: Sequence[Case]) -> tuple[float, dict[str, float], float, int]:
    """Run every page through Byline's stages; returns (total seconds, seconds per stage,
    judge seconds, articles stored)."""
    from django.conf import settings

    from byline.errors import ExtractionError
    from byline.extract.article import extract_article
    from byline.ingest import judge_new
    from byline.judge.fingerprint import fingerprint
    from byline.judge.sections import assign_section
    from byline.news import registry, store
    from byline.pipeline import Processed
    from byline.records import FetchResult

    registry.ensure_sections()
    source = registry.source_named("Benchmark pages")
    spent = dict.fromkeys(STAGES, 0.0)
    stored = 0
    for case in cases:
        clock = time.perf_counter()
        try:
            article = extract_article(case.html, case.url)
        except ExtractionError:
            spent["extract"] += time.perf_counter() - clock
            continue
        now = time.perf_counter()
        spent["extract"] += now - clock
        fp = fingerprint(article.title, article.text)
        spent["fingerprint"] += time.perf_counter() - now
        now = time.perf_counter()
        section = assign_section(article.categories, article.url, article.title, article.text)
        spent["section"] += time.perf_counter() - now
        now = time.perf_counter()
        result = FetchResult(
            case.url, case.url, 200, {"content-type": "text/html"}, case.html, datetime.now(UTC)
        )
        stored += bool(store.save_article(Processed(article, fp, section), source, result))
        spent["store"] += time.perf_counter() - now
    clock = time.perf_counter()
    judge_new(settings.BYLINE)
    judge_seconds = time.perf_counter() - clock
    return sum(spent.values()), spent, judge_seconds, stored


def timed(func: Callable[[bytes, str], str], cases: Sequence[Case]) -> float:
    clock = time.perf_counter()
    for case in cases:
        # a failing page still costs its time; the benchmark goes on
        with contextlib.suppress(Exception):
            func(case.html, case.url)
    return time.perf_counter() - clock


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file():
        print(f"skipped: extraction data {args.data} not found")
        return 0
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cases = load_cases(args.data, args.limit)
    with tempfile.TemporaryDirectory() as folder:
        _django(Path(folder))
        trafilatura_text(cases[0].html, cases[0].url)  # warm-up: imports and caches
        total, spent, judge_seconds, stored = byline_ingest(cases)
        rows = [("Byline ingest (extract, fingerprint, section, store)", total)]
        rows.append(("trafilatura.extract() alone", timed(trafilatura_text, cases)))
        newspaper = newspaper_extractor()
        if newspaper is not None:
            newspaper(cases[0].html, cases[0].url)
            rows.append(("newspaper4k alone", timed(newspaper, cases)))
    n = len(cases)
    print(f"Full ingest, {n} pages of {args.data.name}, one core, one run ({stored} stored)\n")
    print("| Pipeline | Pages/s | Byline / this |")
    print("|---|--:|--:|")
    for name, seconds in rows:
        print(f"| {name} | {n / seconds:.1f} | ×{seconds / total:.2f} |")
    print("\n| Byline stage | Seconds | Share |")
    print("|---|--:|--:|")
    for stage in STAGES:
        print(f"| {stage} | {spent[stage]:.2f} | {spent[stage] / total:.0%} |")
    print(f"| judge (stories + provenance over the batch, global) | {judge_seconds:.2f} | — |")
    print("\nCommand: `.venv/bin/python bench/ingest.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
