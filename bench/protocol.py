"""The development protocol every benchmark follows (docs/evaluation.md).

Each data set is split once, by a fixed seed, into a **tuning** half and a **reporting** half.
Rules and thresholds are chosen by looking at the tuning half only; BENCHMARKS.md reports the
reporting half, beside the tuning half so over-fitting shows as a gap between the two. A rule
stays only when it helps (or is neutral on) both halves, and on every set it touches.

The split hashes each item's *group* key (a page id; a story id for clustering and provenance,
so an event's articles never straddle the halves) with the seed and sorts by the hash: the
first half of the sorted groups tunes, the rest reports. Hashing, not shuffling, keeps an
item's half stable when a set grows: an item's rank among the others never changes, only the
cut moves. A set that grows after rules were tuned on it pins its cut (``cut``): a group then
tunes when its hash sorts below the pinned prefix, so no old group changes half and the new
ones fall on either side by their hash.

Each figure on a half is an estimate from a few dozen pages or events: ``share_interval`` and
``difference_interval`` give bootstrap confidence intervals (scipy), resampling whole groups,
so that BENCHMARKS.md can say which differences a half can resolve.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

SEED = "byline-eval-2026"
TUNE: Literal["tune"] = "tune"
REPORT: Literal["report"] = "report"
Half = Literal["tune", "report"]
HALVES: tuple[Half, Half] = (TUNE, REPORT)

T = TypeVar("T")


def _rank(key: str, seed: str) -> str:
    return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest()


def assign(keys: Iterable[str], seed: str = SEED, cut: str | None = None) -> dict[str, Half]:
    """Each distinct key's half: the ⌈n/2⌉ keys with the lowest seeded hash tune, the rest
    report; or, with ``cut`` (a prefix of hexadecimal digits pinned when the set grew), the
    keys whose hash sorts below ``cut`` tune."""
    distinct = sorted(set(keys), key=lambda key: _rank(key, seed))
    if cut is not None:
        return {key: (TUNE if _rank(key, seed) < cut else REPORT) for key in distinct}
    middle = (len(distinct) + 1) // 2
    return {key: (TUNE if i < middle else REPORT) for i, key in enumerate(distinct)}


def split(
    items: Sequence[T], group: Callable[[T], str], seed: str = SEED, cut: str | None = None
) -> tuple[list[T], list[T]]:
    """``items`` as (tuning half, reporting half), whole groups at a time, order kept."""
    halves = assign((group(item) for item in items), seed, cut)
    tune = [item for item in items if halves[group(item)] == TUNE]
    report = [item for item in items if halves[group(item)] == REPORT]
    return tune, report


CONFIDENCE = 0.95
RESAMPLES = 2000


def _bootstrap(samples: tuple[Any, ...], statistic: Callable[..., Any]) -> tuple[float, float]:
    import numpy as np
    from scipy.stats import bootstrap

    result = bootstrap(
        samples,
        statistic,
        paired=True,
        vectorized=True,
        n_resamples=RESAMPLES,
        confidence_level=CONFIDENCE,
        method="percentile",
        rng=np.random.default_rng(0),
    )
    low, high = result.confidence_interval
    return float(low), float(high)


def share_interval(groups: Sequence[tuple[int, int]]) -> tuple[float, float] | None:
    """A 95 % interval for a share counted over groups — (hits, counted) per event — by a
    bootstrap over the groups: the pages of one event are judged together and err together,
    so resampling pages would claim more certainty than the set holds. None when fewer than
    two groups count anything."""
    counted = [(hits, n) for hits, n in groups if n]
    if len(counted) < 2:
        return None
    import numpy as np

    hits = np.array([h for h, _ in counted], dtype=float)
    totals = np.array([n for _, n in counted], dtype=float)

    def ratio(h: Any, n: Any, axis: int = -1) -> Any:
        return h.sum(axis=axis) / n.sum(axis=axis)

    return _bootstrap((hits, totals), ratio)


def difference_interval(a: Sequence[float], b: Sequence[float]) -> tuple[float, float] | None:
    """A 95 % interval for mean(a) − mean(b), the two scored on the same items (a paired
    bootstrap over the items): whether a half can tell two extractors apart. None for fewer
    than two items."""
    if len(a) != len(b):
        raise ValueError("difference_interval needs paired scores")
    if len(a) < 2:
        return None
    import numpy as np

    def mean_difference(x: Any, y: Any, axis: int = -1) -> Any:
        return x.mean(axis=axis) - y.mean(axis=axis)

    return _bootstrap((np.asarray(a, dtype=float), np.asarray(b, dtype=float)), mean_difference)


def bcubed_f1_interval(stories: Sequence[Sequence[float]]) -> tuple[float, float] | None:
    """A 95 % interval for a B³ F1 from each gold story's (sum of its articles' B³ precision,
    sum of their recall, number of articles), by a bootstrap over the stories. None for fewer
    than two stories."""
    if len(stories) < 2:
        return None
    import numpy as np

    precision, recall, count = (
        np.array(column, dtype=float) for column in zip(*stories, strict=True)
    )

    def f1(p: Any, r: Any, n: Any, axis: int = -1) -> Any:
        mean_p, mean_r = p.sum(axis=axis) / n.sum(axis=axis), r.sum(axis=axis) / n.sum(axis=axis)
        return 2 * mean_p * mean_r / (mean_p + mean_r)

    return _bootstrap((precision, recall, count), f1)
