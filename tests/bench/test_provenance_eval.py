"""Eval gate for provenance on the development set of bench/provenance_devset.py
(docs/provenance-devset.md). The demo part needs no shared data and always runs; the BASIL
part skips when ../shared/data is absent. Floors sit just under what the engine measured when
they were set; they only move up, and only on purpose (targets: spun P and R >= 0.95, origin
>= 0.97, false-copy rate <= 2 %)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bench.provenance import (
    Run,
    exact_hash_baseline,
    minhash_baseline,
    run_methods,
    score,
)
from bench.provenance_devset import DevItem, basil_devset, demo_devset
from tests.conftest import shared_data

from byline.records import COPY_RELATIONS, JudgeInput, Provenance

# Floors: (precision, recall) per copy relation, origin accuracy (predicted origin_id is the
# gold root), and the ceiling of the false-copy rate (independent reports labelled copies).
# Measured on 2026-11-30 with byline.pipeline.judge (BENCHMARKS.md, "Provenance"), engine
# v2: every copy relation 1.000/1.000 and origin 1.000 on both parts, false-copy 0/39 and
# 0/200. The floors sit at or above the targets, with room for a few misses.
DEMO_FLOORS = {"syndicated": (0.97, 0.97), "scraped": (0.97, 0.95), "spun": (0.97, 0.97)}
DEMO_ORIGIN_FLOOR = 0.97
DEMO_FALSE_COPY_CEILING = 0.02
BASIL_FLOORS = {"syndicated": (0.98, 0.98), "scraped": (0.98, 0.98), "spun": (0.98, 0.98)}
BASIL_ORIGIN_FLOOR = 0.98
BASIL_FALSE_COPY_CEILING = 0.02

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEXT = (
    "The harbour authority said on Monday that 31 ships were waiting at anchor.\n"
    "Talks between the union and the employers collapsed late on Friday night.\n"
    '"We did not want this strike," the union leader Bruno Halvik told reporters.'
)


def _item(record_id: str, text: str, minutes: int, relation: str, root: str | None) -> DevItem:
    record = JudgeInput(record_id, "", "s", "t", text, T0 + timedelta(minutes=minutes))
    return DevItem(record, relation, root, root, "e1", "test", "test")


def test_score_counts_labels_origins_and_false_copies() -> None:
    gold = [
        _item("a", TEXT, 0, "original", None),
        _item("b", TEXT, 5, "scraped", "a"),
        _item("c", "other words", 9, "independent", None),
        _item("d", TEXT, 12, "spun", "a"),
    ]
    predicted = [
        Provenance("a", "original", None, 0.0),
        Provenance("b", "scraped", "a", 1.0),
        Provenance("c", "scraped", "a", 0.6),  # an independent report labelled a copy
        Provenance("d", "scraped", "b", 0.9),  # wrong label; origin b leads to a via the chain
    ]
    scores = score(gold, predicted)
    assert scores.relations["scraped"].predicted == 3
    assert scores.relations["scraped"].precision == pytest.approx(1 / 3)
    assert scores.relations["spun"].recall == 0.0
    assert scores.relations["spun"].precision is None  # never predicted
    assert scores.origin_accuracy == pytest.approx(1 / 2)
    assert scores.origin_chain_accuracy == 1.0
    assert scores.false_copy_rate == 1.0
    assert scores.non_copy_false_rate == pytest.approx(1 / 2)


def test_baselines_find_verbatim_copies_only() -> None:
    records = [
        JudgeInput("a", "", "s", "t", TEXT, T0),
        JudgeInput("b", "", "s", "t", TEXT.upper(), T0 + timedelta(minutes=3)),  # same words
        JudgeInput("c", "", "s", "t", TEXT + "\nSource link", T0 + timedelta(minutes=4)),
        JudgeInput("d", "", "s", "t", "A different report of the day.", T0 + timedelta(hours=1)),
    ]
    stories = ["e1", "e1", "e1", "e1"]
    exact = exact_hash_baseline(records, stories)
    assert [(p.relation, p.origin_id) for p in exact] == [
        ("original", None),
        ("scraped", "a"),
        ("independent", None),  # one line of chrome breaks an exact hash
        ("independent", None),
    ]
    near = minhash_baseline(records, stories)
    assert [(p.relation, p.origin_id) for p in near][:3] == [
        ("original", None),
        ("scraped", "a"),
        ("scraped", "a"),
    ]
    assert near[3].relation == "independent"


def test_devset_is_deterministic_and_consistent() -> None:
    items = demo_devset()
    again = demo_devset()
    assert [i.to_json() for i in items] == [i.to_json() for i in again]
    assert [i.to_json() for i in demo_devset(seed=1)] != [i.to_json() for i in items]
    by_id = {i.record.id: i for i in items}
    assert len(by_id) == len(items)
    for item in items:
        if item.relation in COPY_RELATIONS:
            parent = by_id[item.origin or ""]
            root = by_id[item.root or ""]
            assert item.record.published > parent.record.published
            assert root.relation not in COPY_RELATIONS
            assert parent.story == item.story
        else:
            assert item.origin is None and item.root is None
    relations = {i.relation for i in items}
    assert relations == {"original", "independent", "syndicated", "scraped", "spun"}
    assert any(i.origin != i.root for i in items if i.relation in COPY_RELATIONS)  # chains


def _check(
    runs: list[Run], floors: dict[str, tuple[float, float]], origin: float, false_copy: float
) -> None:
    byline, exact, near = runs
    s = byline.scores
    print(
        "[eval] "
        + ", ".join(
            f"{rel} P {s.relations[rel].precision or 0:.3f} R {s.relations[rel].recall or 0:.3f}"
            for rel in floors
        )
        + f", origin {s.origin_accuracy:.3f}, false-copy {s.false_copy_rate:.3f}"
        + f" (MinHash origin {near.scores.origin_accuracy:.3f})"
    )
    for rel, (precision, recall) in floors.items():
        assert (s.relations[rel].precision or 0.0) >= precision, rel
        assert (s.relations[rel].recall or 0.0) >= recall, rel
    assert s.origin_accuracy >= origin
    assert s.false_copy_rate <= false_copy
    # the engine must beat both baselines at naming origins
    assert s.origin_accuracy > max(exact.scores.origin_accuracy, near.scores.origin_accuracy)


def test_provenance_on_the_demo_devset_is_above_the_floors() -> None:
    _check(run_methods(demo_devset()), DEMO_FLOORS, DEMO_ORIGIN_FLOOR, DEMO_FALSE_COPY_CEILING)


def test_provenance_on_the_basil_devset_is_above_the_floors() -> None:
    folder = shared_data("basil")
    _check(
        run_methods(basil_devset(folder)),
        BASIL_FLOORS,
        BASIL_ORIGIN_FLOOR,
        BASIL_FALSE_COPY_CEILING,
    )
