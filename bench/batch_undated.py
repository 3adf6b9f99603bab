"""Undated articles in ``byline batch``: both engines on the real 2023+ news stream with a
share of its dates taken away, each with undated articles placed by their text (the default)
and in a block of their own (``--no-place-undated``), in one run.

The whole stream (both halves: the engines are compared here, the quality is read in
``bench/batch_stories.py``) is written as the JSONL records ``byline batch`` reads, with
``--undate`` of the articles' dates taken away by the seed ``bench/real_stream.py`` uses.
Each run writes its tables; the two engines' tables are compared row for row, and the
stories are scored with B-cubed F1 against the gold. Times are the ``stories`` stage of
each engine's summary (where the placing runs) and the whole run; the Spark session is
started once, before the first run, and its start-up is not counted.

Run from the repository root: ``.venv/bin/python bench/batch_undated.py`` (needs the spark
extra and Java 17).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.batch import _tables_equal  # noqa: E402
from bench.clustering import bcubed  # noqa: E402
from bench.real_stream import DEFAULT_DATA, load_stream, undate  # noqa: E402


def run(share: float, master: str, data: Path, work: Path) -> list[dict[str, Any]]:
    from byline.batch.local import run_local
    from byline.batch.parquet import read_rows, write_tables
    from byline.batch.spark import run_spark, session
    from byline.batch.stages import MapOptions
    from byline.batch.steps import BatchParams

    stream = undate(load_stream(data), share)
    path = work / "stream.jsonl"
    path.write_text("".join(json.dumps(i.to_json()) + "\n" for i in stream.items), "utf-8")
    gold = {item.id: story for item, story in zip(stream.items, stream.gold, strict=True)}
    spark = session(master)
    spark.range(1).count()
    rows = []
    for place in (True, False):
        params = BatchParams(place_undated=place)
        out_local, out_spark = work / f"local-{place}", work / f"spark-{place}"
        clock = time.perf_counter()
        tables, local = run_local([str(path)], params, MapOptions())
        local_s = time.perf_counter() - clock
        write_tables(str(out_local), tables)
        clock = time.perf_counter()
        distributed = run_spark(spark, [str(path)], str(out_spark), params, MapOptions())
        spark_s = time.perf_counter() - clock
        story = {r["id"]: r["story"] for r in read_rows(out_local / "articles")}
        ids = sorted(gold)
        rows.append(
            {
                "placed": place,
                "articles": local.articles,
                "undated": local.undated,
                "placed_local": local.placed,
                "placed_spark": distributed.placed,
                "b3_f1": round(bcubed([story[i] for i in ids], [gold[i] for i in ids])[2], 4),
                "local_stories_s": local.seconds.get("stories", 0.0),
                "spark_stories_s": distributed.seconds.get("stories", 0.0),
                "local_s": round(local_s, 1),
                "spark_s": round(spark_s, 1),
                "same_tables": _tables_equal(spark, out_local, out_spark, True),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    spark.stop()
    return rows


def markdown(rows: Sequence[dict[str, Any]], argv: Sequence[str]) -> str:
    lines = [
        f"Real stream, {rows[0]['articles']} articles, {rows[0]['undated']} undated; both "
        "halves; one run.",
        "",
        "| undated articles | placed (local / Spark) | B³ F1 | stories stage, local | "
        "stories stage, Spark | whole run, local | whole run, Spark | same tables |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {'placed by their text' if row['placed'] else 'in a block of their own'} "
            f"| {row['placed_local']} / {row['placed_spark']} | {row['b3_f1']:.4f} "
            f"| {row['local_stories_s']:.1f} s | {row['spark_stories_s']:.1f} s "
            f"| {row['local_s']:.1f} s | {row['spark_s']:.1f} s "
            f"| {'yes' if row['same_tables'] else '**no**'} |"
        )
    placed, apart = rows
    for engine in ("local", "spark"):
        ratio = placed[f"{engine}_stories_s"] / max(apart[f"{engine}_stories_s"], 1e-9)
        lines.append("")
        lines.append(f"Stories stage placed / apart, {engine}: ×{ratio:.2f}")
    lines.append("")
    command = f".venv/bin/python bench/batch_undated.py {' '.join(argv)}".rstrip()
    lines.append(f"Command: `{command}`")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="bench/batch_undated.py",
        description="Undated articles in byline batch: the local and Spark engines on the real "
        "stream with a share of its dates taken away, placed and apart, tables compared row "
        "for row, as Markdown.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the stream folder")
    parser.add_argument(
        "--undate",
        type=float,
        default=0.44,
        metavar="SHARE",
        help="share of the articles whose dates are taken away (default 0.44, the real "
        "provenance set's share of undated pages; seed 7)",
    )
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    args = parser.parse_args(argv)
    if not any(args.data.glob("*.jsonl")):
        print(f"skipped: no stream in {args.data}")
        return 0
    try:
        from byline.batch.spark import check_spark

        check_spark()
    except Exception as exc:  # pyspark or Java missing
        print(f"skipped: {exc}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        rows = run(args.undate, args.master, args.data, Path(folder))
    print(markdown(rows, argv))
    return 0 if all(row["same_tables"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
