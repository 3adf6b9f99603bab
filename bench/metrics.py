"""The extraction metric of the article-extraction benchmark (../shared/data/README.md).

Both texts are split into whitespace tokens and turned into *sets* of ``n``-token shingles
(``n`` = 4). Precision = |pred ∩ gold| / |pred|, recall = |pred ∩ gold| / |gold|, F1 is their
harmonic mean, and a benchmark reports each of them averaged over pages. A page whose output is
empty scores 0 on all three. A non-empty text shorter than ``n`` tokens counts as one shorter
shingle (all its tokens), so a very short output is scored rather than treated as empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

SHINGLE_SIZE = 4

Shingle = tuple[str, ...]


class Score(NamedTuple):
    precision: float
    recall: float
    f1: float


def shingles(text: str, n: int = SHINGLE_SIZE) -> set[Shingle]:
    """The set of ``n``-token shingles of ``text`` (whitespace tokens)."""
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, not {n}")
    tokens = text.split()
    if not tokens:
        return set()
    if len(tokens) < n:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def prf(predicted: str, gold: str, n: int = SHINGLE_SIZE) -> Score:
    """Precision, recall and F1 of ``predicted`` against ``gold`` (0 when either is empty)."""
    pred_set = shingles(predicted, n)
    gold_set = shingles(gold, n)
    if not pred_set or not gold_set:
        return Score(0.0, 0.0, 0.0)
    common = len(pred_set & gold_set)
    precision = common / len(pred_set)
    recall = common / len(gold_set)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Score(precision, recall, f1)


def mean(values: Iterable[float]) -> float:
    """The arithmetic mean; raises ``ValueError`` on no values (an average of nothing is
    a bug in the caller, not a score of 0)."""
    items = list(values)
    if not items:
        raise ValueError("mean of no values")
    return sum(items) / len(items)


def mean_score(scores: Sequence[Score]) -> Score:
    """Precision, recall and F1 each averaged over pages (macro average)."""
    return Score(
        mean(s.precision for s in scores),
        mean(s.recall for s in scores),
        mean(s.f1 for s in scores),
    )
