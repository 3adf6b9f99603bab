"""Story clustering benchmark: Byline's streaming clusterer against a title-word Jaccard
baseline (the approach NewsBlur shipped), side by side, on BASIL.

BASIL (../shared/data/basil) holds 100 events from 2010-2019, each reported by three outlets;
the gold story of an article is its ``triplet-uuid``. Articles are fed in publication order.
Score: B-cubed precision, recall and F1 (averaged over articles). BASIL is small and its events
are far apart in time, so this is a development check, not a measure of a real stream.
Run from the repository root: ``.venv/bin/python bench/clustering.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "basil"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from byline.extract.metadata import parse_datetime  # noqa: E402
from byline.judge.fingerprint import fingerprint  # noqa: E402
from byline.judge.stories import cluster, publication_order  # noqa: E402
from byline.judge.text import content_words  # noqa: E402
from byline.records import JudgeInput  # noqa: E402

WINDOW = timedelta(hours=96)


def load_basil(folder: Path) -> tuple[list[JudgeInput], list[str]]:
    """Article records and their gold story ids, in file order."""
    items: list[JudgeInput] = []
    gold: list[str] = []
    for path in sorted(folder.glob("articles/*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = data["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = json.loads(paragraphs)
        text = "\n".join(p if isinstance(p, str) else " ".join(p) for p in paragraphs)
        items.append(
            JudgeInput(
                id=path.stem,
                url=str(data.get("url") or ""),
                source=str(data.get("source") or ""),
                title=str(data.get("title") or ""),
                text=text,
                published=parse_datetime(str(data.get("date") or "")),
            )
        )
        gold.append(str(data["triplet-uuid"]))
    return items, gold


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for i in range(len(predicted)):
        same_pred, same_gold = by_pred[predicted[i]], by_gold[gold[i]]
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision, recall = precision / len(predicted), recall / len(predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def title_jaccard(items: Sequence[JudgeInput], threshold: float) -> list[str]:
    """Baseline: join the story of the most similar earlier headline (word-set Jaccard) inside
    the same time window, else start a new story."""
    seen: list[tuple[set[str], str, JudgeInput]] = []
    story_of: dict[int, str] = {}
    for i in publication_order(items):
        words = set(content_words(items[i].title))
        best, best_score = items[i].id, 0.0
        for other_words, story, other in seen:
            mine, theirs = items[i].published, other.published
            if mine and theirs and abs(mine - theirs) > WINDOW:
                continue
            union = words | other_words
            score = len(words & other_words) / len(union) if union else 0.0
            if score > best_score:
                best, best_score = story, score
        story = best if best_score >= threshold else items[i].id
        story_of[i] = story
        seen.append((words, story, items[i]))
    return [story_of[i] for i in range(len(items))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the BASIL folder")
    parser.add_argument("--threshold", type=float, default=0.15, help="Byline's story threshold")
    parser.add_argument(
        "--baseline-threshold",
        type=float,
        default=0.05,
        help="title-word Jaccard needed to join a story (0.05: the baseline's best on BASIL)",
    )
    args = parser.parse_args(argv)
    if not (args.data / "articles").is_dir():
        print(f"skipped: BASIL data {args.data} not found")
        return 0
    items, gold = load_basil(args.data)
    started = time.perf_counter()
    fps = [fingerprint(item.title, item.text) for item in items]
    byline = [a.story for a in cluster(items, fps, WINDOW, args.threshold)]
    byline_s = time.perf_counter() - started
    started = time.perf_counter()
    baseline = title_jaccard(items, args.baseline_threshold)
    baseline_s = time.perf_counter() - started
    rows = [
        (f"Byline stories (threshold {args.threshold})", byline, byline_s),
        (f"title-word Jaccard (threshold {args.baseline_threshold})", baseline, baseline_s),
    ]
    print(f"Story clustering, BASIL: {len(items)} articles, {len(set(gold))} gold stories\n")
    print("| Method | Stories | B³ precision | B³ recall | B³ F1 | Articles/s |")
    print("|---|--:|--:|--:|--:|--:|")
    scores = []
    for name, predicted, seconds in rows:
        p, r, f1 = bcubed(predicted, gold)
        scores.append(f1)
        rate = len(items) / seconds if seconds else float("inf")
        print(f"| {name} | {len(set(predicted))} | {p:.3f} | {r:.3f} | {f1:.3f} | {rate:.0f} |")
    print(f"\nByline / baseline: B³ F1 ×{scores[0] / scores[1]:.3f}")
    print("\nCommand: `.venv/bin/python bench/clustering.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
