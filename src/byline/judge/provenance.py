"""Provenance (pure): which article is the original, and which are copies of it.

For each article, in publication order, candidate origins are the earlier articles that
share MinHash LSH buckets, sentence hashes or several immutables with it (never all pairs).
The best candidate is aligned sentence by sentence; when enough of the article aligns, it is
a copy, labelled:

- ``syndicated`` — near-verbatim, and credited (a credit line the origin lacks, or a licensed
  outlet carrying a wire agency's text);
- ``scraped``    — near-verbatim and uncredited;
- ``spun``       — aligned, but with many single-word substitutions while names, numbers and
  quotations survive.

An article that copies nothing is ``original`` when it is the first of its story and
``independent`` otherwise. Thresholds are module constants, documented in docs/provenance.md.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from datasketch import MinHashLSH

from byline.judge.align import Alignment, Similarity, align
from byline.judge.fingerprint import minhash_of
from byline.judge.stories import publication_order
from byline.judge.text import content_words
from byline.records import Fingerprint, JudgeInput, Provenance, Relation

COPY_COVERAGE = 0.5  # share of the copy's sentences aligned with the origin
# Spun versus verbatim, measured on the development set (docs/provenance.md): verbatim
# copies substitute at most 0.8 % of aligned words and alter at most 12 % of aligned
# sentences; spun copies substitute at least 6 % and alter at least 47 %.
SPUN_MIN_SUBSTITUTION = 0.03  # share of aligned words substituted
SPUN_MIN_ALTERED = 0.25  # share of aligned sentences with any change
SPUN_MIN_IMMUTABLES = 0.3  # share of the origin's immutables kept by a spun copy
# Verbatim copies (scraped, syndicated) align at a mean word-level similarity of at least
# 0.955 on the development set; text that aligns, is not spun, and stays below this has
# been rewritten from shared material (a press release, a wire story rewritten in house):
# the same event in the outlet's own words, not a copy.
VERBATIM_MIN_RATIO = 0.9
LSH_THRESHOLD = 0.3
MIN_SHARED_IMMUTABLES = 3
MAX_CANDIDATES = 8
EVIDENCE_PAIRS = 3  # aligned pairs kept as evidence: enough to show, never the whole text
# A copy shares at least this much of `copy_coverage` of its content words with its origin
# (a cheap check before alignment): below 1, because a heavy spin replaces content words.
PREFILTER_FACTOR = 0.8
TIE_MARGIN = 0.05  # candidates this close to the best match count as equally good
WINDOW = timedelta(days=7)  # how far back a copy's origin is looked for (setting)

# Credit lines: "(AFP) —", a line ending "— Reuters" (a dash after a space, never a hyphen
# inside a word such as "Chick-fil-A"), and phrases such as "Reporting by …", "This article
# originally appeared in …", "Republished with permission from …".
CREDIT = re.compile(
    r"(?:\((?P<paren>[A-Z][A-Za-z]{1,12})\)\s*[-—–]"
    r"|(?:^|(?<=\s))[—–-]\s*(?P<dash>[A-Z][\w .&]{2,60})\s*$"
    r"|\b(?:Reporting by|Source:|Credit:|Via|Distributed by|Courtesy of"
    r"|(?:originally |first )?(?:appeared|published) (?:in|on|by)"
    r"|Republished (?:with permission )?(?:from|by))\s+(?P<by>(?:[Tt]he )?[A-Z][\w .&]{1,60}))",
    re.MULTILINE,
)


@dataclass(frozen=True)
class _Item:
    index: int
    record: JudgeInput
    fp: Fingerprint
    index_order: int = 0  # position in publication order
    vocabulary: frozenset[str] = frozenset()  # content words, for a cheap pre-check


def credit_lines(text: str) -> set[str]:
    """Credit lines such as "(CPA) —", "— Continental Press Agency" or "Reporting by …"."""
    found = set()
    for match in CREDIT.finditer(text):
        value = match.group("paren") or match.group("dash") or match.group("by") or ""
        if value.strip():
            found.add(value.strip().rstrip("."))
    return found


@functools.cache
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's (bands, rows per band) for a Jaccard threshold. Working them out
    integrates two curves (~3 ms), so it is done once per process, not per index."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


class _Candidates:
    """Sub-linear lookup of earlier articles: LSH buckets, sentence hashes, immutables.

    Items older than the window are evicted as the stream moves on, so memory is bounded by
    the number of articles published within one window, not by the length of the stream."""

    def __init__(self, num_perm: int, window: timedelta = WINDOW) -> None:
        self.lsh = MinHashLSH(num_perm=num_perm, params=lsh_params(LSH_THRESHOLD, num_perm))
        self.sentences: dict[str, set[int]] = defaultdict(set)
        self.immutables: dict[str, set[int]] = defaultdict(set)
        self.window = window
        self.live: dict[int, _Item] = {}  # insertion (publication) order
        self.by_id: dict[str, _Item] = {}

    def add(self, item: _Item) -> None:
        self.live[item.index] = item
        self.by_id[item.record.id] = item
        if item.fp.minhash:
            self.lsh.insert(str(item.index), minhash_of(item.fp))
        for h in item.fp.sentence_hashes:
            self.sentences[h].add(item.index)
        for key in item.fp.immutables:
            self.immutables[key].add(item.index)

    def evict_before(self, published: datetime | None) -> list[str]:
        """Forget items published more than one window before ``published``; returns their
        ids."""
        evicted: list[str] = []
        if published is None:
            return evicted
        horizon = published - self.window
        while self.live:
            index, oldest = next(iter(self.live.items()))
            if oldest.record.published is None or oldest.record.published >= horizon:
                break
            del self.live[index]
            if self.by_id.get(oldest.record.id) is oldest:
                del self.by_id[oldest.record.id]
            evicted.append(oldest.record.id)
            if oldest.fp.minhash:
                self.lsh.remove(str(index))
            for table, keys in (
                (self.sentences, oldest.fp.sentence_hashes),
                (self.immutables, oldest.fp.immutables),
            ):
                for key in keys:
                    holders = table.get(key)
                    if holders is not None:
                        holders.discard(index)
                        if not holders:
                            del table[key]
        return evicted

    def find(self, item: _Item) -> list[_Item]:
        votes: dict[int, int] = defaultdict(int)
        if item.fp.minhash:
            for key in self.lsh.query(minhash_of(item.fp)):
                votes[int(key)] += 10
        for h in item.fp.sentence_hashes:
            for index in self.sentences.get(h, ()):
                votes[index] += 3
        for key in item.fp.immutables:
            holders = self.immutables.get(key, ())
            if len(holders) <= 50:
                for index in holders:
                    votes[index] += 1
        ranked = sorted(votes, key=lambda i: (-votes[i], i))
        chosen = [i for i in ranked if votes[i] >= MIN_SHARED_IMMUTABLES][:MAX_CANDIDATES]
        return [self.live[i] for i in chosen]


def _kept_immutables(copy: Fingerprint, origin: Fingerprint) -> float:
    if not origin.immutables:
        return 0.0
    return len(set(copy.immutables) & set(origin.immutables)) / len(origin.immutables)


def _altered_share(alignment: Alignment) -> float:
    """Share of aligned sentence pairs that differ at all: a spinner touches most sentences,
    a scraper or a subeditor few."""
    if not alignment.pairs:
        return 0.0
    return sum(1 for _, _, ratio in alignment.pairs if ratio < 1.0) / len(alignment.pairs)


def _copy_label(item: _Item, origin: _Item, alignment: Alignment) -> Relation:
    spun = (
        alignment.substitution_rate >= SPUN_MIN_SUBSTITUTION
        and _altered_share(alignment) >= SPUN_MIN_ALTERED
        and _kept_immutables(item.fp, origin.fp) >= SPUN_MIN_IMMUTABLES
    )
    if spun:
        return "spun"
    if alignment.mean_ratio < VERBATIM_MIN_RATIO:
        return "independent"
    added_credit = credit_lines(item.record.text) - credit_lines(origin.record.text)
    licensed = origin.record.source_kind == "wire" and item.record.source_kind == "outlet"
    if item.record.source_kind != "aggregator" and (added_credit or licensed):
        return "syndicated"
    return "scraped"


def _evidence(item: _Item, origin: _Item, alignment: Alignment, relation: Relation) -> list[str]:
    evidence = [
        f"{len(alignment.pairs)} of {alignment.copy_sentences} sentences align with the "
        f"origin ({alignment.copy_coverage:.0%} of the words); "
        f"{alignment.origin_coverage:.0%} of the origin is covered",
        f"word-level similarity of aligned sentences: {alignment.mean_ratio:.0%}; "
        f"{_altered_share(alignment):.0%} of them changed",
    ]
    if alignment.substitutions:
        shown = "; ".join(f"{a} → {b}" for a, b in alignment.substitutions[:10])
        evidence.append(f"substituted words ({alignment.substitution_rate:.0%}): {shown}")
    kept = _kept_immutables(item.fp, origin.fp)
    evidence.append(f"names, numbers and quotes kept: {kept:.0%}")
    credits = credit_lines(item.record.text)
    if relation == "syndicated" and credits:
        evidence.append("credit line: " + ", ".join(sorted(credits)))
    return evidence


def _evidence_pairs(alignment: Alignment) -> tuple[tuple[str, str], ...]:
    """The few aligned pairs that show most: changed sentences first, in text order."""
    ranked = sorted(range(len(alignment.pairs)), key=lambda i: (alignment.pairs[i][2], i))
    # At most a fifth of the text, so the evidence never republishes it.
    limit = max(1, min(EVIDENCE_PAIRS, alignment.copy_sentences // 5))
    chosen = sorted(ranked[:limit])
    return tuple((alignment.pairs[i][0], alignment.pairs[i][1]) for i in chosen)


def _shared_vocabulary(item: _Item, origin: _Item) -> float:
    """Share of the item's content words that the candidate also uses."""
    if not item.vocabulary:
        return 0.0
    return len(item.vocabulary & origin.vocabulary) / len(item.vocabulary)


class EmbeddingSimilarity:
    """Cosines between sentence embeddings (``byline.judge.embeddings``), each sentence
    encoded once and kept for the next ``limit`` sentences seen."""

    def __init__(self, encoder: Any, limit: int = 50_000) -> None:
        self.encoder = encoder
        self.limit = limit
        self.cache: dict[str, Any] = {}

    def __call__(self, origin: list[str], copy: list[str]) -> Any:
        import numpy as np

        missing = [s for s in dict.fromkeys(origin + copy) if s not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.encoder.encode(missing), strict=True))
        a = np.stack([self.cache[s] for s in origin])
        b = np.stack([self.cache[s] for s in copy])
        while len(self.cache) > self.limit:
            del self.cache[next(iter(self.cache))]
        return a @ b.T


def _best_origin(
    item: _Item, candidates: list[_Item], copy_coverage: float, similarity: Similarity | None
) -> tuple[_Item, Alignment] | None:
    """The candidate the item copies. Among near-equal matches the earliest wins, so a copy
    of a wire story points at the wire rather than at another paper's copy of it."""
    scored: list[tuple[float, _Item, Alignment]] = []
    for origin in candidates:
        if _shared_vocabulary(item, origin) < copy_coverage * PREFILTER_FACTOR:
            continue  # too few of its words are in the candidate for a copy: skip alignment
        alignment = align(origin.record.text, item.record.text, similarity)
        if alignment.copy_coverage < copy_coverage:
            continue
        scored.append((alignment.copy_coverage * alignment.mean_ratio, origin, alignment))
    if not scored:
        return None
    top = max(score for score, _, _ in scored)
    close = [entry for entry in scored if entry[0] >= top - TIE_MARGIN]
    _, origin, alignment = min(close, key=lambda entry: entry[1].index_order)
    return origin, alignment


def _judge_one(
    item: _Item,
    candidates: list[_Item],
    copy_coverage: float,
    root_of: dict[str, str],
    live: dict[str, _Item],
    similarity: Similarity | None = None,
) -> Provenance | None:
    """The item's provenance, or None when it copies nothing. A copy of a copy names the
    first origin of the chain (``root_of``) as its origin and the copy it was taken from as
    ``via``; its label is judged against that origin whenever enough of it still aligns
    there (a scrape of a spun copy is, against the original, spun)."""
    found = _best_origin(item, candidates, copy_coverage, similarity)
    if found is None:
        return None
    parent, alignment = found
    root_id = root_of.get(parent.record.id, parent.record.id)
    compared = parent
    if root_id != parent.record.id and (root := live.get(root_id)) is not None:
        against_root = align(root.record.text, item.record.text, similarity)
        if against_root.copy_coverage >= copy_coverage:
            compared, alignment = root, against_root
    relation = _copy_label(item, compared, alignment)
    if relation == "independent":
        return None  # rewritten, not copied
    evidence = _evidence(item, compared, alignment, relation)
    via = parent.record.id if parent.record.id != root_id else None
    if via is not None:
        evidence.append(f"taken from another copy ({parent.record.source or via}) of the original")
    return Provenance(
        id=item.record.id,
        relation=relation,
        origin_id=root_id,
        score=min(1.0, alignment.copy_coverage * alignment.mean_ratio),
        evidence=tuple(evidence),
        substitutions=alignment.substitutions[:40],
        aligned=_evidence_pairs(alignment),
        via_id=via,
    )


class ProvenanceIndex:
    """Streaming provenance: feed articles in publication order with ``judge_next``; each
    is labelled against the earlier ones still inside the window, then indexed. Memory is
    bounded by the articles of one window (plus one story id per story seen)."""

    def __init__(
        self,
        copy_coverage: float = COPY_COVERAGE,
        window: timedelta = WINDOW,
        similarity: Similarity | None = None,
        num_perm: int = 64,
    ) -> None:
        self.copy_coverage = copy_coverage
        self.similarity = similarity
        self._index = _Candidates(num_perm, window)
        self._root_of: dict[str, str] = {}  # copy id → the first origin of its chain
        self._stories_seen: set[str] = set()
        self._position = 0

    def _arrive(self, record: JudgeInput, fp: Fingerprint) -> _Item:
        """The next article in publication order, ready to index; articles it leaves more
        than a window behind are forgotten."""
        item = _Item(
            self._position,
            record,
            fp,
            index_order=self._position,
            vocabulary=frozenset(content_words(record.text)),
        )
        self._position += 1
        for gone in self._index.evict_before(record.published):
            self._root_of.pop(gone, None)
        return item

    def judge_next(
        self, record: JudgeInput, fp: Fingerprint, story: str | None = None
    ) -> Provenance:
        """Label one article (later in publication order than every article before it).
        ``story`` decides original versus independent for an article that copies nothing:
        the first of its story is the original."""
        item = self._arrive(record, fp)
        found = _judge_one(
            item,
            self._index.find(item),
            self.copy_coverage,
            self._root_of,
            self._index.by_id,
            self.similarity,
        )
        if found is not None and found.origin_id is not None:
            self._root_of[record.id] = found.origin_id
        story = record.id if story is None else story
        if found is None:
            relation: Relation = "independent" if story in self._stories_seen else "original"
            found = Provenance(
                id=record.id,
                relation=relation,
                origin_id=None,
                score=0.0,
                evidence=("no earlier article shares its text",),
            )
        self._stories_seen.add(story)
        self._index.add(item)
        return found

    def remember(
        self, record: JudgeInput, fp: Fingerprint, story: str, origin_id: str | None = None
    ) -> None:
        """Index an article already judged (its stored ``origin_id``, when it is a copy)
        without judging it again: what later articles are compared with."""
        item = self._arrive(record, fp)
        if origin_id is not None:
            self._root_of[record.id] = origin_id
        self._stories_seen.add(story)
        self._index.add(item)

    @property
    def live(self) -> int:
        """Articles currently indexed (those inside the window)."""
        return len(self._index.live)


def judge(
    items: Sequence[JudgeInput],
    fingerprints: Sequence[Fingerprint],
    stories: Sequence[str] | None = None,
    copy_coverage: float = COPY_COVERAGE,
    window: timedelta = WINDOW,
    similarity: Similarity | None = None,
) -> list[Provenance]:
    """Label every item; the result is in input order. ``stories`` (one story id per item)
    decides original versus independent for articles that copy nothing. An origin is looked
    for among the articles published at most ``window`` earlier. ``similarity`` (sentence
    embeddings, optional) lets alignment pair sentences reworded beyond word matching."""
    if len(items) != len(fingerprints):
        raise ValueError("judge() needs one fingerprint per item")
    num_perm = len(fingerprints[0].minhash) if fingerprints and fingerprints[0].minhash else 64
    index = ProvenanceIndex(copy_coverage, window, similarity, num_perm)
    result: dict[int, Provenance] = {}
    for i in publication_order(items):
        result[i] = index.judge_next(items[i], fingerprints[i], stories[i] if stories else None)
    return [result[i] for i in range(len(items))]


def judge_against(
    known: Sequence[tuple[JudgeInput, Fingerprint, str, str | None]],
    new: Sequence[tuple[JudgeInput, Fingerprint, str]],
    copy_coverage: float = COPY_COVERAGE,
    window: timedelta = WINDOW,
    similarity: Similarity | None = None,
) -> list[Provenance]:
    """Label only the ``new`` articles (record, fingerprint, story), against articles judged
    before (``known``: record, fingerprint, story and stored origin id), all taken in
    publication order: the known ones are indexed, never judged again, so the cost grows
    with the new articles, not with the window. Results are in the order of ``new``."""
    records = [entry[0] for entry in known] + [entry[0] for entry in new]
    fps = [entry[1] for entry in known] + [entry[1] for entry in new]
    num_perm = next((len(fp.minhash) for fp in fps if fp.minhash), 64)
    index = ProvenanceIndex(copy_coverage, window, similarity, num_perm)
    result: dict[int, Provenance] = {}
    for i in publication_order(records):
        if i < len(known):
            record, fp, story, origin_id = known[i]
            index.remember(record, fp, story, origin_id)
        else:
            record, fp, story = new[i - len(known)]
            result[i - len(known)] = index.judge_next(record, fp, story)
    return [result[i] for i in range(len(new))]


def root_origin(article_id: str, origin_of: dict[str, str | None], limit: int = 20) -> str:
    """Follow copy links back to the first origin (a spun copy of a syndicated copy leads to
    the wire). Cycles and very long chains stop at ``limit``."""
    current, seen = article_id, {article_id}
    for _ in range(limit):
        parent = origin_of.get(current)
        if not parent or parent in seen:
            break
        seen.add(parent)
        current = parent
    return current
