"""Eval gate for story clustering on BASIL (skips when ../shared/data is absent). Floors only
move up, and only on purpose."""

from __future__ import annotations

from datetime import timedelta

from bench.clustering import bcubed, load_basil, title_jaccard
from tests.conftest import shared_data

from byline.judge.fingerprint import fingerprint
from byline.judge.stories import cluster

BASIL_BCUBED_F1_FLOOR = 0.97  # measured 0.980 on 2026-11-28


def test_bcubed_scores_known_cases() -> None:
    assert bcubed(["a", "a", "b"], ["x", "x", "y"]) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(["a", "a", "a"], ["x", "x", "y"])
    assert round(precision, 4) == round((2 / 3 + 2 / 3 + 1 / 3) / 3, 4)
    assert recall == 1.0


def test_byline_clusters_basil_above_the_floor_and_the_baseline() -> None:
    items, gold = load_basil(shared_data("basil"))
    fps = [fingerprint(item.title, item.text) for item in items]
    stories = [a.story for a in cluster(items, fps, timedelta(hours=96), 0.15)]
    _, _, f1 = bcubed(stories, gold)
    _, _, baseline_f1 = bcubed(title_jaccard(items, 0.05), gold)
    print(f"[eval] BASIL B-cubed F1: byline {f1:.3f}, title-word Jaccard {baseline_f1:.3f}")
    assert f1 >= BASIL_BCUBED_F1_FLOOR
    assert f1 > baseline_f1
