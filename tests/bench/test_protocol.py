"""The development protocol's split (bench/protocol.py, docs/evaluation.md)."""

from __future__ import annotations

from bench import protocol


def test_halves_are_balanced_disjoint_and_cover_everything() -> None:
    keys = [f"page-{i}" for i in range(101)]
    halves = protocol.assign(keys)
    tune = [k for k in keys if halves[k] == protocol.TUNE]
    report = [k for k in keys if halves[k] == protocol.REPORT]
    assert len(tune) == 51 and len(report) == 50
    assert set(tune).isdisjoint(report) and set(tune) | set(report) == set(keys)
    # not the id order: hashing mixes the pages
    assert tune != keys[:51]


def test_split_keeps_whole_groups_together_and_order() -> None:
    items = [("a1", "a"), ("b1", "b"), ("a2", "a"), ("c1", "c"), ("b2", "b"), ("d1", "d")]
    tune, report = protocol.split(items, group=lambda item: item[1])
    for half in (tune, report):
        groups = {g for _, g in half}
        assert all(g not in {g2 for _, g2 in (report if half is tune else tune)} for g in groups)
        assert half == [item for item in items if item in half]  # order kept
    assert len(tune) + len(report) == len(items)


def test_growing_a_set_moves_no_old_item_to_the_other_half_more_than_the_cut_allows() -> None:
    # The rank is a seeded hash, so an item's place among the others never changes; growing
    # the set only moves the cut. Items far from the cut keep their half.
    old = protocol.assign(f"k{i}" for i in range(200))
    new = protocol.assign(f"k{i}" for i in range(220))
    moved = [k for k in old if old[k] != new[k]]
    assert len(moved) <= 10


def test_the_seed_decides_the_split() -> None:
    keys = [str(i) for i in range(50)]
    assert protocol.assign(keys) == protocol.assign(keys)
    assert protocol.assign(keys) != protocol.assign(keys, seed="another")
