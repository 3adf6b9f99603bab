"""The development protocol every benchmark follows (docs/evaluation.md).

Each data set is split once, by a fixed seed, into a **tuning** half and a **reporting** half.
Rules and thresholds are chosen by looking at the tuning half only; BENCHMARKS.md reports the
reporting half, beside the tuning half so over-fitting shows as a gap between the two. A rule
stays only when it helps (or is neutral on) both halves, and on every set it touches.

The split hashes each item's *group* key (a page id; a story id for clustering and provenance,
so an event's articles never straddle the halves) with the seed and sorts by the hash: the
first half of the sorted groups tunes, the rest reports. Hashing, not shuffling, keeps an
item's half stable when a set grows: adding pages moves no old page to the other half.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeVar

SEED = "byline-eval-2026"
TUNE: Literal["tune"] = "tune"
REPORT: Literal["report"] = "report"
Half = Literal["tune", "report"]
HALVES: tuple[Half, Half] = (TUNE, REPORT)

T = TypeVar("T")


def _rank(key: str, seed: str) -> str:
    return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest()


def assign(keys: Iterable[str], seed: str = SEED) -> dict[str, Half]:
    """Each distinct key's half: the ⌈n/2⌉ keys with the lowest seeded hash tune, the rest
    report."""
    distinct = sorted(set(keys), key=lambda key: _rank(key, seed))
    cut = (len(distinct) + 1) // 2
    return {key: (TUNE if i < cut else REPORT) for i, key in enumerate(distinct)}


def split(
    items: Sequence[T], group: Callable[[T], str], seed: str = SEED
) -> tuple[list[T], list[T]]:
    """``items`` as (tuning half, reporting half), whole groups at a time, order kept."""
    halves = assign((group(item) for item in items), seed)
    tune = [item for item in items if halves[group(item)] == TUNE]
    report = [item for item in items if halves[group(item)] == REPORT]
    return tune, report
