"""`byline rejudge` against the judging it repeats, over the same archive, in one run.

The archive: the real provenance set's pages (bench/realdata/provenance, 1,905 real pages of
2023–2025) written as JSONL article records and stored with `byline import` into a fresh
SQLite database, which judges them as it stores them (stories and provenance). Then, on that
database: `byline rejudge --dry-run` (judge every article's provenance again, write nothing)
and `byline rejudge` (the same, writing what changed), each a real `byline` process, and
each at the default block and at `--block 200`. Wall time of each process is the measure, and
the figure that matters is its ratio to the import's. A just-imported archive is judged by
this version's rules already, so `rejudge` should find nothing to change: the number of
labels it would change is the disagreement between judging articles as they arrive and
judging them a block at a time with their window as context.

Run from the repository root: ``.venv/bin/python bench/rejudge.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.real_provenance import DEFAULT_DATA  # noqa: E402
from bench.real_stream import records  # noqa: E402

BYLINE = [sys.executable, "-m", "byline"]


def write_records(folder: Path, path: Path) -> int:
    """The set's pages as `byline import` JSONL records (source = the page's host)."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in records(folder):
            record = {
                "url": row["url"],
                "title": row.get("title") or "",
                "text": row["text"],
                "published": row.get("published"),
                "source": row["source"],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def run(args: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run([*BYLINE, *args], env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"byline {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return took, done.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/rejudge.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the provenance set")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found")
        return 0
    with tempfile.TemporaryDirectory(prefix="byline-rejudge-") as tmp:
        env = {**os.environ, "BYLINE_DATA_DIR": tmp}
        env.pop("DATABASE_URL", None)
        pages = write_records(args.data, Path(tmp) / "pages.jsonl")
        rows = [
            ("byline import (stores and judges)", *run(["import", "-q", f"{tmp}/pages.jsonl"], env))
        ]
        for label, extra in (("", []), (", --block 200", ["--block", "200"])):
            rows.append(
                (
                    f"byline rejudge --dry-run{label}",
                    *run(["rejudge", "-q", "--dry-run", *extra], env),
                )
            )
            rows.append((f"byline rejudge{label}", *run(["rejudge", "-q", *extra], env)))
        base = rows[0][1]
        print(
            f"Archive: {pages} real pages (bench/realdata/provenance) in a fresh SQLite database.\n"
        )
        print("| Command | Seconds | × import | Output (first line) |")
        print("|---|--:|--:|---|")
        for label, took, output in rows:
            first = output.splitlines()[0] if output else ""
            print(f"| {label} | {took:.1f} | {took / base:.2f} | {first} |")
        changes = rows[1][2].splitlines()[1:]
        if changes:
            print("\nWhat `rejudge --dry-run` would change on the imported archive:\n")
            print("\n".join(f"    {line.strip()}" for line in changes))
        print("\nCommand: `.venv/bin/python bench/rejudge.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
