"""The development protocol's split (bench/protocol.py, docs/evaluation.md)."""

from __future__ import annotations

import pytest

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


def test_a_pinned_cut_keeps_every_old_group_in_its_half_when_the_set_grows() -> None:
    old = protocol.assign(f"k{i}" for i in range(200))
    ranked = sorted(old, key=lambda k: protocol._rank(k, protocol.SEED))
    last_tune, first_report = ranked[99], ranked[100]
    # any prefix between the two hashes reproduces the split, then holds it
    cut = protocol._rank(first_report, protocol.SEED)[:8]
    assert protocol._rank(last_tune, protocol.SEED) < cut
    assert protocol.assign(old, cut=cut) == old
    grown = protocol.assign([*old, *(f"n{i}" for i in range(100))], cut=cut)
    assert all(grown[k] == old[k] for k in old)
    new_tune = sum(grown[f"n{i}"] == protocol.TUNE for i in range(100))
    assert 20 < new_tune < 80  # the new groups fall on both sides by their hash


def test_the_provenance_sets_pinned_cut_reproduces_the_split_it_was_pinned_on() -> None:
    from bench.real_provenance import HALF_CUT

    # the first 21 events' halves, as the unpinned split gave them before the set grew
    first = [
        "pc-atomic-wallet", "pc-cz-downfall", "pc-cz-letter", "pc-cz-normal-guy",
        "pc-foxhunt-wife", "pc-lazarus-warship", "pc-may2024-hacks", "pc-prigozhin-crash",
        "pc-titan-implosion", "pc-zhu-yong-sentence", "pw-balasore", "pw-fentstrips",
        "pw-isrocall", "pw-kffdebt", "pw-maui", "pw-morocco", "pw-pkcpi", "pw-slim",
        "pw-southpole", "pw-starship", "pw-titan",
    ]  # fmt: skip
    assert protocol.assign(first, cut=HALF_CUT) == protocol.assign(first)


def test_the_streams_pinned_cut_reproduces_the_split_it_was_pinned_on() -> None:
    from bench.real_stream import FIRST_PARTS, HALF_CUT, load_stream

    first = load_stream(parts=FIRST_PARTS).gold  # the first 175 events
    assert len(set(first)) == 175
    assert protocol.assign(first, cut=HALF_CUT) == protocol.assign(first)


def test_a_real_set_can_be_read_one_part_at_a_time() -> None:
    from bench.real_stream import load_stream

    world = load_stream(parts=("world",))
    assert world.items and all(story.startswith("w-") for story in world.gold)
    assert set(world.events) == set(world.gold)  # its events file, and no other part's
    assert not load_stream(parts=("no-such-part",)).items


def test_a_share_interval_resamples_whole_groups() -> None:
    low, high = protocol.share_interval([(9, 10), (1, 10), (5, 10), (5, 10)]) or (0, 0)
    assert low < 0.5 < high
    assert high - low > 0.1  # groups that disagree leave a wide interval
    steady = protocol.share_interval([(5, 10)] * 4)
    assert steady == (0.5, 0.5)  # groups that agree leave none
    assert protocol.share_interval([(3, 4), (0, 0)]) is None  # one group counts: no interval


def test_a_difference_interval_is_paired() -> None:
    # b is a shifted by 0.01 on every item: pairing sees a sure, tiny difference
    a = [0.2, 0.9, 0.5, 0.7, 0.3, 0.8]
    b = [x - 0.01 for x in a]
    low, high = protocol.difference_interval(a, b) or (0, 0)
    assert abs(low - 0.01) < 1e-9 and abs(high - 0.01) < 1e-9
    with pytest.raises(ValueError, match="paired"):
        protocol.difference_interval(a, b[:-1])


def test_a_bcubed_interval_holds_the_streams_f1_and_narrows_with_agreement() -> None:
    from bench.clustering import bcubed, bcubed_interval

    gold = [f"s{i // 3}" for i in range(30)]  # ten stories of three
    perfect = list(gold)
    assert bcubed_interval(perfect, gold) == (1.0, 1.0)
    split = [g if i % 3 else f"x{i}" for i, g in enumerate(gold)]  # one article split off each
    low, high = bcubed_interval(split, gold) or (0, 0)
    assert low == pytest.approx(high) == pytest.approx(bcubed(split, gold)[2])  # all err alike
    uneven = [g if i >= 15 or i % 3 else f"x{i}" for i, g in enumerate(gold)]
    low, high = bcubed_interval(uneven, gold) or (0, 0)
    assert low < bcubed(uneven, gold)[2] < high
