"""Archive batch throughput: ``byline batch``'s local engine (one process) against its Spark
engine (``--master local[2]``), side by side over the same synthetic WARC archives
(``bench/batch_synth.py``) at several sizes, in one run.

For each size the archive is generated once (not timed), then the local engine runs and
writes its tables (with pyarrow, no Spark), then the Spark engine
runs and writes its own; both tables are compared row for row (sizes up to ``--check-up-to``)
and by count. The Spark session is started once, before the first size; its start-up time
is reported on its own and added back in the "with start-up" ratio, which is what a
one-off `byline batch` run pays.

Run from the repository root: ``.venv/bin/python bench/batch.py --sizes 2000,20000``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.batch_synth import WIRES, generate  # noqa: E402


def _comparable(frame: Any) -> Any:
    """Maps cannot go through EXCEPT: compare them as their sorted entries."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import MapType

    return frame.select(
        *[
            F.array_sort(F.map_entries(f.name)).alias(f.name)
            if isinstance(f.dataType, MapType)
            else F.col(f.name)
            for f in frame.schema.fields
        ]
    )


def _tables_equal(spark: Any, a: Path, b: Path, full: bool) -> bool:
    for name in ("articles", "relations", "stories"):
        left, right = spark.read.parquet(str(a / name)), spark.read.parquet(str(b / name))
        if full:
            if sorted(map(tuple, left.collect())) != sorted(map(tuple, right.collect())):
                return False
            continue
        left, right = _comparable(left), _comparable(right)
        if left.count() != right.count() or left.exceptAll(right).count():
            return False
    return True


def run(
    sizes: list[int], master: str, work: Path, check_up_to: int, memory: str = ""
) -> dict[str, Any]:
    from byline.batch.local import run_local
    from byline.batch.parquet import write_tables
    from byline.batch.spark import run_spark, session
    from byline.batch.stages import MapOptions
    from byline.batch.steps import BatchParams

    params = BatchParams()
    options = MapOptions(wire_hosts=frozenset(f"wire{i}.example" for i in range(WIRES)))
    start = time.perf_counter()
    spark = session(master, memory=memory)
    spark.range(1).count()
    startup = time.perf_counter() - start
    results = []
    for size in sizes:
        archive = work / f"archive-{size}"
        if not archive.exists():
            generate(archive, size)
        files = sorted(str(p) for p in archive.glob("*.warc.gz"))
        clock, cpu = time.perf_counter(), time.process_time()
        tables, local = run_local(files, params, options)
        local_cpu = time.process_time() - cpu  # one process: its CPU time is its core-seconds
        with local.stage("write"):
            write_tables(str(work / f"local-{size}"), tables)
        local_s = time.perf_counter() - clock
        clock = time.perf_counter()
        distributed = run_spark(spark, files, str(work / f"spark-{size}"), params, options)
        spark_s = time.perf_counter() - clock
        same = _tables_equal(
            spark, work / f"local-{size}", work / f"spark-{size}", size <= check_up_to
        )
        row = {
            "size": size,
            "files": len(files),
            "records": local.records,
            "articles": local.articles,
            "copy_groups": local.copy_groups,
            "stories": local.stories,
            "local_s": round(local_s, 1),
            "local_cpu_ms_per_record": round(1000 * local_cpu / local.records, 1),
            "spark_s": round(spark_s, 1),
            "local_rps": round(local.records / local_s, 1),
            "spark_rps": round(distributed.records / spark_s, 1),
            "speedup": round(local_s / spark_s, 2),
            "speedup_with_startup": round(local_s / (spark_s + startup), 2),
            "local_stages": local.seconds,
            "spark_stages": distributed.seconds,
            "same_tables": same,
            "same_counts": (local.records, local.articles, local.copy_groups, local.stories)
            == (
                distributed.records,
                distributed.articles,
                distributed.copy_groups,
                distributed.stories,
            ),
        }
        results.append(row)
        print(json.dumps(row), flush=True)
    spark.stop()
    return {
        "master": master,
        "driver_memory": memory,
        "startup_s": round(startup, 1),
        "results": results,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Spark session start-up ({report['master']}): {report['startup_s']} s",
        "",
        "| Records | Articles | Copy groups | Stories | local s | local rec/s | "
        "spark s | spark rec/s | Spark / local | with start-up | same tables |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['records']:,} | {r['articles']:,} | {r['copy_groups']:,} | "
            f"{r['stories']:,} | {r['local_s']} | {r['local_rps']} | {r['spark_s']} | "
            f"{r['spark_rps']} | ×{r['speedup']} | ×{r['speedup_with_startup']} | "
            f"{'yes' if r['same_tables'] else 'NO'} |"
        )
    lines += [
        "",
        "| Records | engine | " + " | ".join(STAGES) + " |",
        "|--:|:--" + "|--:" * len(STAGES) + "|",
    ]
    for r in report["results"]:
        for engine in ("local", "spark"):
            stages = r[f"{engine}_stages"]
            cells = [f"{stages.get(s, 0.0):.1f}" for s in STAGES]
            lines.append(f"| {r['records']:,} | {engine} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


STAGES = ("read+extract", "stories", "copies", "labels", "write", "labels+write")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000", help="records per archive, comma list")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, help="folder for archives and tables (kept)")
    parser.add_argument("--check-up-to", type=int, default=20000, help="row-by-row check")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--driver-memory", default="4g", help="Spark driver memory (local mode)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="byline-batch-bench-"))
    print(f"work folder {work}; load average {os.getloadavg()}", flush=True)
    report = run(sizes, args.master, work, args.check_up_to, args.driver_memory)
    report["load_after"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(report))
    print(f"load average after: {report['load_after']}")


if __name__ == "__main__":
    main()
