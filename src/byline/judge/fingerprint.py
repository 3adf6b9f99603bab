"""Fingerprints (pure), computed once per article and shared by story clustering and
provenance: a normalised text hash, a MinHash of word shingles, per-sentence hashes, the
"immutables" (names, numbers and quotations that paraphrasers leave alone), and weighted
terms for similarity."""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter
from typing import Any

from datasketch import MinHash

from byline.judge.text import content_words, sentences, words
from byline.records import Fingerprint

NUM_PERM = 64
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored MinHashes depend on it
MIN_SENTENCE_WORDS = 5
LEAD_WORDS = 120

_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*(?:\s?%|\s?per\s?cent)?")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+(?:of\s+|de\s+)?[A-Z][a-z]+)+)")
_QUOTE = re.compile(r"[\"“]([^\"”]{12,300})[\"”]")


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@functools.cache
def _permutations(num_perm: int) -> Any:
    """The hash permutations for a MinHash size: the same as datasketch derives from its
    default seed, computed once instead of for every article."""
    return MinHash(num_perm=num_perm, scheme=SCHEME).permutations


def text_hash(text: str, tokens: list[str] | None = None) -> str:
    return _hash(" ".join(words(text) if tokens is None else tokens))


def minhash(text: str, num_perm: int = NUM_PERM, tokens: list[str] | None = None) -> MinHash:
    tokens = words(text) if tokens is None else tokens
    sketch = MinHash(num_perm=num_perm, scheme=SCHEME, permutations=_permutations(num_perm))
    shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
    sketch.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return sketch


def sentence_hashes(text: str) -> tuple[str, ...]:
    hashes = []
    for sentence in sentences(text):
        tokens = words(sentence)
        if len(tokens) >= MIN_SENTENCE_WORDS:
            hashes.append(_hash(" ".join(tokens)))
    return tuple(hashes)


def immutables(text: str) -> tuple[str, ...]:
    """Names, numbers and quotations, normalised and de-duplicated, in order of appearance."""
    found: dict[str, None] = {}
    for match in _NUMBER.finditer(text):
        value = match.group(0).rstrip(".,")
        if len(value.strip("0")) > 0:
            found[f"#{value}"] = None
    for match in _NAME.finditer(text):
        found[f"@{match.group(1)}"] = None
    for match in _QUOTE.finditer(text):
        found['"' + " ".join(words(match.group(1)))] = None
    return tuple(found)


def terms(title: str, text: str) -> dict[str, float]:
    """Sub-linear term weights over the headline (counted twice) and the lead."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    counts = Counter(content_words(title) * 2 + content_words(lead))
    return {term: round(1.0 + math.log(count), 4) for term, count in counts.items()}


def fingerprint(title: str, text: str) -> Fingerprint:
    tokens = words(text)  # normalised once, shared by the hash and the MinHash
    return Fingerprint(
        text_hash=text_hash(text, tokens),
        minhash=tuple(int(v) for v in minhash(text, tokens=tokens).hashvalues),
        sentence_hashes=sentence_hashes(text),
        immutables=immutables(text),
        terms=terms(title, text),
    )


def minhash_of(fp: Fingerprint) -> MinHash:
    num_perm = len(fp.minhash)
    return MinHash(
        num_perm=num_perm,
        hashvalues=list(fp.minhash),
        scheme=SCHEME,
        permutations=_permutations(num_perm),  # not re-derived for every article
    )
