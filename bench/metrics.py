"""The extraction metric of the article-extraction benchmark (../shared/data/README.md).

Both texts are split into whitespace tokens (each Chinese, Japanese or Korean character a token
of its own, since those scripts put no spaces between words) and turned into *sets* of
``n``-token shingles (``n`` = 4). Precision = |pred ∩ gold| / |pred|, recall = |pred ∩ gold| /
|gold|, F1 is their harmonic mean, and a benchmark reports each of them averaged over pages. A
page whose output is empty scores 0 on all three. A non-empty text shorter than ``n`` tokens
counts as one shorter shingle (all its tokens), so a very short output is scored rather than
treated as empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

SHINGLE_SIZE = 4

Shingle = tuple[str, ...]


class Score(NamedTuple):
    precision: float
    recall: float
    f1: float


# Chinese, Japanese and Korean scripts write no spaces between words: each of their characters
# is a token of its own, or a whole paragraph would be one token and any difference in it would
# score the page 0. Text in other scripts is tokenised exactly as before (whitespace).
_CJK = re.compile(
    r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef])"
)


def tokens(text: str) -> list[str]:
    """Whitespace tokens, with each CJK character a token of its own."""
    if not _CJK.search(text):
        return text.split()
    return _CJK.sub(r" \1 ", text).split()


def shingles(text: str, n: int = SHINGLE_SIZE) -> set[Shingle]:
    """The set of ``n``-token shingles of ``text`` (``tokens``)."""
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, not {n}")
    tokens_ = tokens(text)
    if not tokens_:
        return set()
    if len(tokens_) < n:
        return {tuple(tokens_)}
    return {tuple(tokens_[i : i + n]) for i in range(len(tokens_) - n + 1)}


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
