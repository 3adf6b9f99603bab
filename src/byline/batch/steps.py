"""The global steps of a batch run, as pure functions over small groups of rows. Each engine
decides how rows reach a group (a dict here, a shuffle on Spark); given the same group, every
function returns the same answer, so both engines produce the same tables.

Graph vertices (stories and copy groups) are named by ``rows.order_key`` — publication time,
then id — so the smallest vertex of a connected component is its earliest article, whose id
names the story or group.

- **Duplicates**: one row per article id (a URL in WARC input); the earliest fetch is kept.
- **Stories**: ``stories.cluster`` runs over each time block (``block`` long), and again over
  each block edge (``margin`` either side of it). An edge story with members on both sides
  links the blocks' stories that most of those members belong to; linked stories are one.
  An undated article is first asked of the ``PLACING_BLOCKS`` blocks that hold most of its
  keys' weight (``candidate_blocks``); the dated article of those blocks its text is most
  similar to gives it a date (``place_block``, ``best_placement``), and it is clustered in
  that date's block and edges, as ``pipeline.judge`` places it (``stories.placed_dates``).
- **Copies**: articles with the same text hash pair with the first of them; the others share
  MinHash LSH bands or sentence hashes (``candidate_keys``), and each pairs with the
  ``NEIGHBOURS`` articles before it in each. A pair is a copy edge when ``align()`` finds at
  least the copy threshold (``provenance.COPY_COVERAGE`` by default) of either article's
  words in the other (``verify_pair``).
- **Undated articles**: time blocks keep them out of every dated story, so each is also
  paired with the articles that share at least ``provenance.MIN_SHARED_IMMUTABLES`` of its
  names, numbers and quotes (``immutable_keys``, ``immutable_pairs``); a pair that
  ``provenance.linked`` links (a rewording too) is a copy edge (``verify_link``).
- **Judging groups**: connected components of the copy edges and of each story's articles
  (``story_edges``). ``provenance.judge`` labels each group's members, finding among them
  what ``pipeline.judge`` finds (rewordings sentence by sentence, retellings that name their
  reporter), not only the copies the edges confirmed. A member that shares no text, and an
  article in no group, is ``independent``, or ``syndicated`` when it signs agency copy
  (``lone_relation``); ``original`` means others copy it. Every copy moves to its root
  origin's story, and only members that share text carry the group's id as ``copy_group``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from byline.judge import provenance, stories
from byline.judge.align import align
from byline.judge.text import content_words
from byline.pipeline import JudgeParams
from byline.records import JudgeInput

from .rows import ArticleRow, RelationRow, StoryRow

NEIGHBOURS = 8  # earlier articles each article is paired with per LSH band
SENTENCE_KEY = "s:"  # a sentence hash's bucket, beside the LSH bands
IMMUTABLE_KEY = "i:"  # a name's, number's or quote's bucket, for undated articles
UNDATED_BLOCK = "b:undated"
# An undated article is asked of the time blocks that share most of its rarer words and
# names (``candidate_blocks``), not of every block: the look-ups, and on Spark the rows
# shipped to block tasks, grow with the undated articles rather than with undated × blocks.
PLACING_BLOCKS = 5
# a key held by more than 1 in 10 dated articles (and by more than 50) weighs nothing
PLACING_COMMON = 10
PLACING_COMMON_MIN = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_JUDGE = JudgeParams()  # the settings' defaults


@dataclass(frozen=True)
class BatchParams:
    """The judge settings (as ``pipeline.JudgeParams``) plus the story blocks."""

    window: timedelta = _JUDGE.window
    threshold: float = _JUDGE.threshold
    copy_threshold: float = _JUDGE.copy_threshold
    # Story blocks as long as the story window, stitched over as much either side of each
    # edge (since 2026-12-07; 24 and 12 hours before): on the real stream's reporting half
    # this groups as ``pipeline.judge`` does (B³ 0.976 against its 0.971), where 24-hour
    # blocks cut long-running stories at edges no article linked (0.853; docs/scale.md).
    block: timedelta = _JUDGE.window
    margin: timedelta = _JUDGE.window
    # read copies in other languages through Apertium where the workers have it installed
    # (``JudgeParams.translate``); a group's translations are made where it is labelled
    translation: bool = _JUDGE.translation
    # stories by headline-and-lead embeddings too (BYLINE_STORY_EMBEDDINGS; the workers need
    # the ``ml`` extra, and each encodes the texts of the blocks it clusters)
    story_embeddings: bool = _JUDGE.story_embeddings
    # an undated article joins the blocks of the date its text places it at (``place_block``)
    # rather than a block of its own: what ``pipeline.judge`` does (``stories.placed_dates``)
    place_undated: bool = True

    def translate(self) -> provenance.Translate | None:
        return self.judge().translate()

    def judge(self) -> JudgeParams:
        """The judge settings as ``pipeline.JudgeParams``."""
        return JudgeParams(
            window=self.window,
            threshold=self.threshold,
            copy_threshold=self.copy_threshold,
            translation=self.translation,
            story_embeddings=self.story_embeddings,
        )


# ── duplicates ────────────────────────────────────────────────────────────────────────────


def fetch_order(row: ArticleRow) -> tuple[str, str, int]:
    when = row.fetched_at.isoformat() if row.fetched_at is not None else "~"
    return when, row.input_file, row.input_offset


def earlier(a: ArticleRow, b: ArticleRow) -> ArticleRow:
    """Of two rows with one id, the one fetched first (then by file and offset)."""
    return a if fetch_order(a) <= fetch_order(b) else b


# ── stories ───────────────────────────────────────────────────────────────────────────────


def story_groups(item: ArticleRow, params: BatchParams) -> list[str]:
    """The groups an article is clustered in: its time block ``b:K`` and the block edges
    ``e:K`` (between blocks K and K+1) it lies within ``margin`` of, by its date or, for an
    undated article, the date it was placed at (``place_block``); an undated article not
    placed is clustered in a block of its own."""
    when = item.when
    if when is None:
        return [UNDATED_BLOCK]
    size = params.block.total_seconds()
    margin = params.margin.total_seconds()
    t = (when - EPOCH).total_seconds()
    groups = [f"b:{math.floor(t / size)}"]
    for edge in range(math.floor((t - margin) / size) - 1, math.floor((t + margin) / size) + 1):
        boundary = (edge + 1) * size
        if boundary - margin <= t < boundary + margin:
            groups.append(f"e:{edge}")
    return groups


@dataclass(frozen=True)
class Placement:
    """Where one time block would place an undated article: the date of the block's dated
    article its text is most similar to, and that similarity."""

    id: str
    date: datetime
    score: float


def placing_keys(row: ArticleRow) -> tuple[str, ...]:
    """The keys that say which time blocks an undated article may belong to: the content
    words of its headline and lead (``Fingerprint.terms``) and its names, numbers and
    quotes (``Fingerprint.immutables``)."""
    return tuple(dict.fromkeys([*row.terms, *row.immutables]))


def placing_weight(holders: int, dated: int) -> int:
    """A key's weight toward a block that holds it, from how many of the archive's ``dated``
    articles hold it: its IDF in thousandths (an integer, so that both engines sum it
    exactly), or 0 when more than a tenth of them (and more than ``PLACING_COMMON_MIN``) do:
    it says nothing of where."""
    if holders <= 0 or (holders * PLACING_COMMON > dated and holders > PLACING_COMMON_MIN):
        return 0
    return math.floor(1000 * math.log(dated / holders))


def candidate_blocks(scores: dict[str, int]) -> list[str]:
    """The ``PLACING_BLOCKS`` blocks an undated article is asked of: those whose dated
    articles hold most of its keys' weight (``placing_weight`` summed over the keys a block
    holds), ties to the earlier block key."""
    ranked = sorted((-score, block) for block, score in scores.items() if score > 0)
    return [block for _, block in ranked[:PLACING_BLOCKS]]


def place_block(
    dated: Iterable[ArticleRow],
    undated: Sequence[tuple[str, stories.Features]],
    params: BatchParams,
) -> list[Placement]:
    """The placements one time block's dated articles give the undated articles asked of it
    (``candidate_blocks``), as (id, story features: ``undated_features``), those that reach
    the story threshold (``stories.nearest_dated``, under the block's IDF). Each engine keeps
    each undated article's best (``best_placement``): the batch's counterpart of
    ``stories.placed_dates``, which ``pipeline.judge`` runs over the whole batch at once."""
    rows = sorted(dated, key=lambda item: item.order)
    if not rows or not undated:
        return []
    inputs = [item.judge_input() for item in rows]
    judge = params.judge()
    features = judge.story_features(inputs, [item.fingerprint() for item in rows])
    probes = sorted(undated, key=lambda probe: probe[0])
    found = stories.nearest_dated(
        [*inputs, *(_undated_input(article_id) for article_id, _ in probes)],
        [*features, *(f for _, f in probes)],
        window=params.window,
        threshold=params.threshold,
        weights=judge.story_weights(),
    )
    return [
        Placement(probes[i - len(rows)][0], when, score)
        for i, (when, score) in sorted(found.items())
        if score >= params.threshold
    ]


def undated_features(
    rows: Sequence[ArticleRow], params: BatchParams
) -> list[tuple[str, stories.Features]]:
    """(id, story features) of undated articles, computed once and handed to the
    ``place_block`` of each block they are asked of (``candidate_blocks``)."""
    inputs = [row.judge_input() for row in rows]
    features = params.judge().story_features(inputs, [row.fingerprint() for row in rows])
    return [(row.id, f) for row, f in zip(rows, features, strict=True)]


def _undated_input(article_id: str) -> JudgeInput:
    """An undated article as ``stories.nearest_dated`` needs it: its features say the rest."""
    return JudgeInput(id=article_id, url="", source="", title="", text="", published=None)


def placement_rank(placement: Placement) -> tuple[float, datetime]:
    """Sorts an undated article's placements best first: the most similar, then the earliest
    date (the Spark engine orders its window the same way)."""
    return -placement.score, placement.date


def best_placement(placements: Iterable[Placement]) -> dict[str, datetime]:
    """Each undated article's date from its placements over the blocks it was asked of: the
    best one's (``placement_rank``)."""
    best: dict[str, Placement] = {}
    for placement in placements:
        known = best.get(placement.id)
        if known is None or placement_rank(placement) < placement_rank(known):
            best[placement.id] = placement
    return {article_id: placement.date for article_id, placement in best.items()}


def cluster_group(
    group: str, items: Iterable[ArticleRow], params: BatchParams
) -> list[tuple[str, str, str]]:
    """Cluster one block or edge. For a block: (``"node"``, article id, story vertex) where
    the vertex is the order key of the story's first article. For an edge: (``"edge"``,
    article id, ``group|story|side``) with side L or R of the boundary."""
    ordered = sorted(items, key=lambda item: item.order)
    inputs = [item.judge_input() for item in ordered]
    fps = [item.fingerprint() for item in ordered]
    judge = params.judge()
    assigned = stories.cluster(
        inputs,
        fps,
        window=params.window,
        threshold=params.threshold,
        features=judge.story_features(inputs, fps),
        weights=judge.story_weights(),
    )
    order_of = {item.id: item.order for item in ordered}
    if not group.startswith("e:"):
        return [("node", a.id, order_of[a.story]) for a in assigned]
    boundary = (int(group[2:]) + 1) * params.block.total_seconds()
    result = []
    for item, a in zip(ordered, assigned, strict=True):
        when = item.when
        assert when is not None  # edges hold dated (or placed) articles only
        side = "L" if (when - EPOCH).total_seconds() < boundary else "R"
        result.append(("edge", item.id, f"{group}|{a.story}|{side}"))
    return result


def stitch_link(members: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """One edge story's members as (side, block story vertex): the link between the block
    stories most of its members on each side belong to (ties: the earliest), or None when
    the edge story stays on one side."""
    sides: dict[str, Counter[str]] = {"L": Counter(), "R": Counter()}
    for side, vertex in members:
        sides[side][vertex] += 1
    if not sides["L"] or not sides["R"]:
        return None
    left, right = (min(c, key=lambda v: (-c[v], v)) for c in (sides["L"], sides["R"]))
    return (left, right) if left != right else None


# ── copies ────────────────────────────────────────────────────────────────────────────────


def exact_pairs(members: Sequence[str]) -> list[tuple[str, str]]:
    """Articles with one text hash (order keys): each later one pairs with the first."""
    ordered = sorted(members)
    return [(key, ordered[0]) for key in ordered[1:]]


def candidate_keys(row: ArticleRow) -> tuple[str, ...]:
    """The buckets an article is paired in: its LSH bands, and each sentence hash (``s:``…),
    as ``provenance``'s candidate index looks up both: a scrape that kept a few of the
    text's sentences word for word shares too few shingles for a band."""
    return (*row.bands, *(SENTENCE_KEY + h for h in row.sentence_hashes))


def band_pairs(members: Sequence[str], neighbours: int = NEIGHBOURS) -> list[tuple[str, str]]:
    """Articles sharing one LSH band (order keys): each pairs with the ``neighbours``
    articles just before it, as (later, earlier)."""
    ordered = sorted(members)
    return [
        (key, ordered[j]) for i, key in enumerate(ordered) for j in range(max(0, i - neighbours), i)
    ]


def verify_pair(copy_text: str, origin_text: str, threshold: float) -> bool:
    """Whether two articles share a body of text, in either direction (a paper that adds
    its own paragraphs to agency copy holds all of the agency text, but the agency text is
    only part of the paper's): enough content words in common (a cheap test first), and
    ``align`` finds enough of either one's words in sentences of the other."""
    a, b = set(content_words(copy_text)), set(content_words(origin_text))
    if not a or not b:
        return False
    if len(a & b) / min(len(a), len(b)) < threshold * provenance.PREFILTER_FACTOR:
        return False
    return (
        align(origin_text, copy_text).copy_coverage >= threshold
        or align(copy_text, origin_text).copy_coverage >= threshold
    )


def immutable_keys(row: ArticleRow) -> tuple[str, ...]:
    """The buckets where an undated article meets the articles it may have reworded or
    been reworded from: its names, numbers and quotes (``i:``…), as ``provenance``'s
    candidate index looks them up. Time blocks never put an undated article in a dated
    story, and a rewording shares no LSH band or sentence hash."""
    return tuple(sorted({IMMUTABLE_KEY + key for key in row.immutables}))


def immutable_pairs(members: Sequence[tuple[str, bool]]) -> list[tuple[str, str]]:
    """One bucket's articles as (order key, undated): each pair with an undated article in
    it, as (earlier, later) order keys; none when more than
    ``provenance.MAX_IMMUTABLE_HOLDERS`` articles hold the key (it says nothing)."""
    if len(members) > provenance.MAX_IMMUTABLE_HOLDERS:
        return []
    ordered = sorted(set(members))
    return [
        (a, b)
        for i, (a, undated_a) in enumerate(ordered)
        for b, undated_b in ordered[i + 1 :]
        if undated_a or undated_b
    ]


def verify_link(a: ArticleRow, b: ArticleRow, params: BatchParams) -> bool:
    """Whether a pair that shares at least ``provenance.MIN_SHARED_IMMUTABLES`` names and
    numbers is linked as ``provenance.judge`` links articles (shared text, a spin, a
    rewording sentence by sentence, a translation): an edge of the judging groups."""
    return provenance.linked(
        a.judge_input(),
        a.fingerprint(),
        b.judge_input(),
        b.fingerprint(),
        params.copy_threshold,
        params.translate(),
    )


def story_edges(members: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(article, its story's first article), as order keys, for every article that is not
    its story's first: edges that put a story's articles in one judging group. Provenance
    judges a story's articles together, as ``pipeline.judge`` does, so that it finds the
    links no shared text shows — a rewording sentence by sentence, a retelling that names its
    reporter — and not only the copies LSH bands and ``verify_pair`` confirm."""
    return [(article, first) for article, first in members if article != first]


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected components of an undirected graph: each vertex → the smallest vertex of its
    component (the answer the Spark engine's min-label propagation reaches)."""
    parent: dict[str, str] = {}

    def find(vertex: str) -> str:
        root = vertex
        while parent[root] != root:
            root = parent[root]
        while parent[vertex] != root:
            parent[vertex], vertex = root, parent[vertex]
        return root

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {vertex: find(vertex) for vertex in parent}


# ── labels ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Labelled:
    relation: RelationRow
    story: str  # the article's final story: its root origin's
    # The story (from clustering) of a member that shares text within its group; None for
    # one that shares none, whose relation ``lone_relation`` settles once every group of
    # its story is known.
    grouped_story: str | None = None


def label_group(members: Iterable[tuple[ArticleRow, str]], params: BatchParams) -> list[Labelled]:
    """One copy group — (row, story from clustering) per member — labelled by the
    provenance engine. Copies move to their root origin's story. A member the engine finds
    sharing no text after all gets a provisional lone relation (``grouped_story`` None)."""
    ordered = sorted(members, key=lambda m: m[0].order)
    rows = [row for row, _ in ordered]
    story_of = {row.id: story for row, story in ordered}
    rows_by_id = {row.id: row for row in rows}
    labels = provenance.judge(
        [row.judge_input() for row in rows],
        [row.fingerprint() for row in rows],
        copy_coverage=params.copy_threshold,
        translate=params.translate(),
    )
    origin_of = {label.id: label.origin_id for label in labels}
    result = []
    for label in labels:
        grouped = not provenance.is_lone(label)  # a copy, a carrier or an origin
        if grouped:
            relation = RelationRow(
                label.id,
                label.relation,
                label.origin_id,
                round(label.score, 6),
                tuple(label.evidence),
                tuple(label.substitutions),
                tuple(label.aligned),
                label.via_id,
            )
        else:
            row = rows_by_id[label.id]
            relation = lone_relation(row.id, row.source, row.text, row.source_kind, row.url)
        story = story_of[provenance.root_origin(label.id, origin_of)]
        result.append(Labelled(relation, story, story_of[label.id] if grouped else None))
    return result


def lone_relation(
    article_id: str, source: str, text: str, source_kind: str = "outlet", url: str = ""
) -> RelationRow:
    """An article that shares no text, as ``provenance.judge`` labels it
    (``provenance.lone``): independent, syndicated when it signs its text as an agency's, or
    spun when it is an aggregator's (``original`` means others copy it, never only that it
    came first)."""
    label = provenance.lone(article_id, source, text, source_kind, url)
    return RelationRow(label.id, label.relation, None, 0.0, label.evidence)


# ── stories table ─────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class StoryMember:
    order: str
    title: str
    relation: str
    source: str
    section: str
    published: datetime | None

    @classmethod
    def of(cls, row: ArticleRow, relation: str) -> StoryMember:
        return cls(row.order, row.title, relation, row.source, row.section, row.published)


def story_row(story: str, members: Iterable[StoryMember]) -> StoryRow:
    """A story's headline (its first original's, else its first article's), most common
    section, dates and counts — as ``news.store.refresh_story`` computes them."""
    ordered = sorted(members, key=lambda m: m.order)
    lead = next((m for m in ordered if m.relation == "original"), ordered[0])
    sections = Counter(m.section for m in ordered if m.section)
    dates = [m.published for m in ordered if m.published is not None]
    return StoryRow(
        story=story,
        title=lead.title,
        section=sections.most_common(1)[0][0] if sections else "",
        first_published=min(dates) if dates else None,
        last_published=max(dates) if dates else None,
        article_count=len(ordered),
        source_count=len({m.source for m in ordered}),
    )
