"""Eval gate for story clustering on BASIL and the harder streams built from it (skips when
../shared/data is absent). Floors only move up, and only on purpose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bench.clustering import bcubed, exact_title, tfidf_centroid, title_jaccard
from bench.clustering_streams import (
    Event,
    load_basil,
    pair_events,
    paired,
    squeezed,
    streams,
)
from tests.conftest import shared_data

from byline.judge.fingerprint import fingerprint
from byline.judge.stories import cluster
from byline.records import JudgeInput

# measured 2026-12-05 with the default engine (headline + lead, body, names; threshold 0.17,
# 300 background documents under the IDF); 2026-11-30 (0.13, no background): 0.978, 0.950,
# 0.944, 1.000. 2026-12-07, the split threshold 0.18 (0.1 before): squeezed 0.962 → 0.972,
# paired 0.962 → 0.973, the rest unchanged. Floors only rise.
FLOORS = {"BASIL": 0.985, "squeezed": 0.965, "paired": 0.965, "demo": 0.99}
MEASURED = {"BASIL": 0.996, "squeezed": 0.972, "paired": 0.973, "demo": 1.000}


def test_bcubed_scores_known_cases() -> None:
    assert bcubed(["a", "a", "b"], ["x", "x", "y"]) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(["a", "a", "a"], ["x", "x", "y"])
    assert round(precision, 4) == round((2 / 3 + 2 / 3 + 1 / 3) / 3, 4)
    assert recall == 1.0


def _item(key: str, title: str, day: int, text: str = "") -> JudgeInput:
    published = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(days=day)
    return JudgeInput(key, "", "", title, text or title, published)


def test_baselines_on_a_tiny_stream() -> None:
    items = [
        _item("a", "Port strike halts harbour", 0),
        _item("b", "Port strike halts harbour", 1),
        _item("c", "Harbour strike spreads along the coast", 1),
        _item("d", "Central bank raises rates", 1),
        _item("e", "Port strike halts harbour", 30),  # outside the window
    ]
    assert exact_title(items) == ["a", "a", "c", "d", "e"]
    assert title_jaccard(items, 0.2) == ["a", "a", "a", "d", "e"]
    assert tfidf_centroid(items, 0.2)[:2] == ["a", "a"]
    assert tfidf_centroid(items, 0.2)[3] == "d"


def test_streams_keep_articles_and_gold_but_squeeze_time() -> None:
    items = [
        _item(f"{s}{n}", f"story {s}", 400 * i + n) for i, s in enumerate("abcd") for n in (0, 1)
    ]
    gold = [item.id[0] for item in items]
    pressed = squeezed(items, gold, days=10)
    assert [i.id for i in pressed] == [i.id for i in items]
    times = [i.published for i in pressed if i.published]
    assert max(times) - min(times) <= timedelta(days=11)
    assert squeezed(items, gold, days=10) == pressed  # seeded


def test_paired_events_start_together() -> None:
    events = {
        "a": Event("a", "Senate votes on budget", ("Senate",)),
        "b": Event("b", "Senate budget vote fails", ("Senate",)),
        "c": Event("c", "Storm hits coast", ()),
        "d": Event("d", "Coast storm damage", ()),
    }
    assert sorted(pair_events(events)) == [("a", "b"), ("c", "d")]
    items = [_item(k, k, 300 * i) for i, k in enumerate("abcd")]
    result = {i.id: i.published for i in paired(items, list("abcd"), events)}
    assert result["a"] and result["b"] and abs(result["a"] - result["b"]) < timedelta(days=1)


@pytest.mark.slow
def test_byline_clusters_every_stream_above_its_floor_and_the_baselines() -> None:
    folder = shared_data("basil")
    found = {}
    for stream in streams(folder):
        fps = [fingerprint(item.title, item.text) for item in stream.items]
        stories = [a.story for a in cluster(stream.items, fps)]
        _, _, f1 = bcubed(stories, stream.gold)
        _, _, jaccard = bcubed(title_jaccard(stream.items, 0.05), stream.gold)
        found[stream.name] = f1
        print(f"[eval] {stream.name} B-cubed F1: byline {f1:.3f}, title Jaccard {jaccard:.3f}")
        assert f1 > jaccard
    for name, floor in FLOORS.items():
        assert found[name] >= floor, f"{name}: {found[name]:.3f} < floor {floor}"
    assert found["BASIL"] >= 0.95 and found["squeezed"] >= 0.90  # the targets


def test_basil_loads_with_gold_and_annotations() -> None:
    items, gold, events = load_basil(shared_data("basil"))
    assert len(items) == 300 and len(set(gold)) == 100
    assert set(events) == set(gold)
    assert all(item.published is not None for item in items)
