"""Where the thresholds of machine-translated links come from (docs/provenance.md, "Across
languages"): BASIL, never the real provenance set.

Each sampled event's articles are put into Spanish with Apertium (``eng-spa``) and read back
through Byline's translator (``spa-eng``), as a Spanish copy would be. Read against its own
English article, a round trip is a translation; read against the same event's other
outlets' articles, it is an independent report in another language. The script prints, for
several sentence overlaps (Dice of stemmed content words), the coverage and order of both
kinds: a threshold pair separates them when the translations' low quantile stays above the
independent reports' maximum. Seed 1 set the thresholds; seed 2 checks them on other events.

Needs Apertium's Spanish-English pair (``make translator``) and ``../shared/data/basil``.
Run from the repository root: ``.venv/bin/python bench/translation.py --seed 2``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.clustering_streams import DEFAULT_DATA, load_basil  # noqa: E402
from byline.judge import provenance  # noqa: E402
from byline.judge.align import align_translation  # noqa: E402
from byline.judge.translation import _translate, translator  # noqa: E402

OVERLAPS = (0.3, 0.35, 0.4, 0.45)
CHARS = 6000  # the start of each article, as the translator reads long texts


def to_spanish(text: str) -> str:
    """The text in Spanish, one sentence a line (Apertium's eng-spa, through the same runner
    as Byline's translator)."""
    translated = _translate(text, "eng-spa")
    if translated is None:
        raise RuntimeError("Apertium's eng-spa mode failed")
    return "\n".join(spanish for _, spanish in translated if spanish)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/translation.py",
        description="Coverage and order of Apertium round trips of BASIL articles against "
        "themselves (translations) and against the same event's other outlets (independent "
        "reports), at several sentence overlaps: where the translation thresholds come from.",
    )
    parser.add_argument("--seed", type=int, default=1, help="which events are sampled")
    parser.add_argument("--events", type=int, default=40, help="how many events")
    parser.add_argument("--basil", type=Path, default=DEFAULT_DATA, help="BASIL's folder")
    args = parser.parse_args(argv)
    reader = translator()
    if reader is None or "es" not in reader.languages():
        print("skipped: Apertium's Spanish-English pair is not installed (make translator)")
        return 0
    if not args.basil.is_dir():
        print(f"skipped: no BASIL data in {args.basil}")
        return 0
    items, gold, _ = load_basil(args.basil)
    events: dict[str, list] = {}
    for item, story in zip(items, gold, strict=True):
        events.setdefault(story, []).append(item)
    keys = sorted(k for k, members in events.items() if len(members) >= 2)
    random.Random(args.seed).shuffle(keys)
    found: dict[tuple[bool, float], list[tuple[float, float]]] = {}
    for key in keys[: args.events]:
        members = events[key]
        spanish = {m.id: to_spanish(m.text[:CHARS]) for m in members}
        for english in members:
            for copy in members:
                translated = reader.to_english(spanish[copy.id])
                if not translated:
                    continue
                for overlap in OVERLAPS:
                    a = align_translation(english.text[:CHARS], translated, overlap)
                    found.setdefault((english.id == copy.id, overlap), []).append(
                        (a.copy_coverage, a.in_order)
                    )
    print(
        f"BASIL, {args.events} events (seed {args.seed}), articles put into Spanish and back "
        "with Apertium.\n"
    )
    print("| overlap | kind | pairs | coverage q05 | median | max | passes the thresholds |")
    print("|--:|---|--:|--:|--:|--:|--:|")
    for overlap in OVERLAPS:
        for own, kind in ((True, "translation"), (False, "independent report")):
            rows = found.get((own, overlap), [])
            if not rows:
                continue
            cover = [c for c, _ in rows]
            passes = sum(
                c >= provenance.TRANSLATED_COVERAGE and o >= provenance.TRANSLATED_MIN_IN_ORDER
                for c, o in rows
            )
            print(
                f"| {overlap} | {kind} | {len(rows)} | {_quantile(cover, 0.05):.2f} | "
                f"{_quantile(cover, 0.5):.2f} | {max(cover):.2f} | {passes} |"
            )
    print(
        f"\nThresholds in force: overlap {provenance.TRANSLATED_MIN_OVERLAP}, coverage "
        f"{provenance.TRANSLATED_COVERAGE}, in order {provenance.TRANSLATED_MIN_IN_ORDER} "
        "('passes' counts pairs meeting coverage and order at that overlap)."
    )
    print(f"\nCommand: `.venv/bin/python bench/translation.py --seed {args.seed}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
