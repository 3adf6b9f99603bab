"""Story assignment (pure, streaming).

Articles arrive one at a time in publication order. Each is compared with the articles seen
within the time window that share at least one of its terms (an inverted index keeps this
sub-linear), by TF-IDF cosine over headline and lead plus the overlap of names and numbers.
It joins the story of its best match when the score passes the threshold, and otherwise
starts a new story.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from byline.records import Fingerprint, JudgeInput, StoryAssignment

NAME_WEIGHT = 0.35
MAX_CANDIDATES = 200


@dataclass
class _Seen:
    key: str
    story: str
    published: datetime | None
    terms: dict[str, float]
    names: frozenset[str]


def _names(fp: Fingerprint) -> frozenset[str]:
    return frozenset(i for i in fp.immutables if i[0] in "@#")


@dataclass
class StoryIndex:
    """The clustering state. Seed it with ``add`` (articles already in stories), then call
    ``assign`` for each new article in publication order."""

    window: timedelta = timedelta(hours=96)
    threshold: float = 0.15
    _seen: dict[str, _Seen] = field(default_factory=dict)
    _postings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _df: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _new_story_count: int = 0

    def add(self, key: str, fp: Fingerprint, published: datetime | None, story: str) -> None:
        seen = _Seen(key, story, published, fp.terms, _names(fp))
        self._seen[key] = seen
        for term in fp.terms:
            self._postings[term].add(key)
            self._df[term] += 1

    def _idf(self, term: str) -> float:
        return math.log((1 + len(self._seen)) / (1 + self._df.get(term, 0))) + 1.0

    def _vector(self, terms: dict[str, float]) -> dict[str, float]:
        vector = {t: w * self._idf(t) for t, w in terms.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _in_window(self, seen: _Seen, published: datetime | None) -> bool:
        if seen.published is None or published is None:
            return True
        return abs(published - seen.published) <= self.window

    def _candidates(self, terms: dict[str, float], published: datetime | None) -> list[_Seen]:
        hits: dict[str, int] = defaultdict(int)
        for term in terms:
            postings = self._postings.get(term, ())
            if len(postings) > len(self._seen) // 2 + 5:
                continue  # too common to tell stories apart
            for key in postings:
                hits[key] += 1
        ranked = sorted(hits, key=lambda k: -hits[k])[:MAX_CANDIDATES]
        return [self._seen[k] for k in ranked if self._in_window(self._seen[k], published)]

    def score(self, vector: dict[str, float], names: frozenset[str], other: _Seen) -> float:
        other_vector = self._vector(other.terms)
        cosine = sum(w * other_vector.get(t, 0.0) for t, w in vector.items())
        union = names | other.names
        overlap = len(names & other.names) / len(union) if union else 0.0
        return (1 - NAME_WEIGHT) * cosine + NAME_WEIGHT * overlap

    def assign(self, key: str, fp: Fingerprint, published: datetime | None) -> StoryAssignment:
        vector = self._vector(fp.terms)
        names = _names(fp)
        best_story, best_score = "", 0.0
        for other in self._candidates(fp.terms, published):
            similarity = self.score(vector, names, other)
            if similarity > best_score:
                best_story, best_score = other.story, similarity
        if best_score < self.threshold:
            self._new_story_count += 1
            best_story = f"new-{self._new_story_count}"
        self.add(key, fp, published, best_story)
        return StoryAssignment(id=key, story=best_story, score=round(best_score, 4))


def publication_order(items: Sequence[JudgeInput]) -> list[int]:
    """Indexes of ``items`` by publication time; undated items keep input order at the end."""
    dated = [i for i, item in enumerate(items) if item.published is not None]
    undated = [i for i, item in enumerate(items) if item.published is None]
    dated.sort(key=lambda i: (items[i].published, i))
    return dated + undated


def cluster(
    items: Sequence[JudgeInput],
    fingerprints: Sequence[Fingerprint],
    window: timedelta = timedelta(hours=96),
    threshold: float = 0.15,
) -> list[StoryAssignment]:
    """Assign every item to a story; the result is in input order. Story ids are the id of
    the story's first article."""
    index = StoryIndex(window=window, threshold=threshold)
    result: dict[int, StoryAssignment] = {}
    first_of: dict[str, str] = {}
    for i in publication_order(items):
        assignment = index.assign(items[i].id, fingerprints[i], items[i].published)
        story = first_of.setdefault(assignment.story, items[i].id)
        result[i] = StoryAssignment(items[i].id, story, assignment.score)
    return [result[i] for i in range(len(items))]


def story_members(assignments: Iterable[StoryAssignment]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for assignment in assignments:
        members[assignment.story].append(assignment.id)
    return dict(members)
