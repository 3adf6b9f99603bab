"""The rows a batch run passes between its steps, and the three output tables' schemas.

Rows are plain frozen dataclasses (picklable, so Spark can ship them between processes);
``*_values`` turn them into tuples in schema order, the form both engines write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from byline.records import Fingerprint, JudgeInput

UNDATED = "~"  # sorts after every ISO date: undated articles come last, as in publication_order


@dataclass(frozen=True)
class Skip:
    """A record that did not become an article, and why (a short phrase to count by)."""

    reason: str
    where: str = ""


@dataclass(frozen=True)
class ArticleRow:
    """One article after the per-record stages: extraction, fingerprints, section."""

    id: str
    url: str
    canonical_url: str
    source: str
    source_kind: str
    title: str
    standfirst: str
    author: str
    published: datetime | None
    published_estimated: bool
    language: str
    text: str
    image: str
    section: str
    word_count: int
    text_hash: str
    minhash: tuple[int, ...]
    sentence_hashes: tuple[str, ...]
    immutables: tuple[str, ...]
    terms: dict[str, float] = field(default_factory=dict)
    fetched_at: datetime | None = None
    input_file: str = ""
    input_offset: int = 0
    bands: tuple[str, ...] = ()
    entities: tuple[tuple[str, int], ...] = ()  # (``KIND:Name``, mentions), when asked for
    # an undated article's date as its text places it among the dated ones, for the story
    # blocks only (``steps.place_block``); never written out
    placed: datetime | None = None

    @property
    def order(self) -> str:
        return order_key(self.published, self.id)

    @property
    def when(self) -> datetime | None:
        """The date the story blocks go by: the article's own, else where it was placed."""
        return self.published if self.published is not None else self.placed

    def judge_input(self) -> JudgeInput:
        return JudgeInput(
            id=self.id,
            url=self.url,
            source=self.source,
            title=self.title,
            text=self.text,
            published=self.published,
            source_kind=self.source_kind,
            standfirst=self.standfirst,
        )

    def fingerprint(self) -> Fingerprint:
        return Fingerprint(
            text_hash=self.text_hash,
            minhash=self.minhash,
            sentence_hashes=self.sentence_hashes,
            immutables=self.immutables,
            terms=dict(self.terms),
        )


def order_key(published: datetime | None, article_id: str) -> str:
    """A string that sorts articles in publication order (undated last), ties by id. It is
    also how a story or a copy group is named before it gets its first article's id."""
    when = published.strftime("%Y-%m-%dT%H:%M:%S.%f") if published is not None else UNDATED
    return f"{when}|{article_id}"


def id_of(key: str) -> str:
    return key.split("|", 1)[1]


@dataclass(frozen=True)
class RelationRow:
    id: str
    relation: str
    origin_id: str | None
    score: float
    evidence: tuple[str, ...]
    substitutions: tuple[tuple[str, str], ...] = ()
    aligned: tuple[tuple[str, str], ...] = ()
    via_id: str | None = None  # the copy it was taken from, when not the origin itself


@dataclass(frozen=True)
class StoryRow:
    story: str
    title: str
    section: str
    first_published: datetime | None
    last_published: datetime | None
    article_count: int
    source_count: int


# ── output tables ─────────────────────────────────────────────────────────────────────────

ARTICLES_SCHEMA = (
    "id string, url string, canonical_url string, source string, source_kind string, "
    "title string, standfirst string, author string, published timestamp, "
    "published_estimated boolean, language string, text string, image string, "
    "section string, word_count int, text_hash string, minhash array<long>, "
    "sentence_hashes array<string>, immutables array<string>, terms map<string,double>, "
    "fetched_at timestamp, input_file string, input_offset long, entities map<string,int>, "
    "story string, copy_group string"
)
RELATIONS_SCHEMA = (
    "id string, relation string, origin_id string, score double, evidence array<string>, "
    "substitutions array<array<string>>, aligned array<array<string>>, via_id string"
)
STORIES_SCHEMA = (
    "story string, title string, section string, first_published timestamp, "
    "last_published timestamp, article_count int, source_count int"
)
TABLES = {"articles": ARTICLES_SCHEMA, "relations": RELATIONS_SCHEMA, "stories": STORIES_SCHEMA}


def columns(schema: str) -> list[str]:
    return [part.strip().split(" ", 1)[0] for part in split_schema(schema)]


def split_schema(schema: str) -> list[str]:
    """Split a DDL schema on the commas that are not inside <…>."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(schema):
        depth += char == "<"
        depth -= char == ">"
        if char == "," and depth == 0:
            parts.append(schema[start:i])
            start = i + 1
    parts.append(schema[start:])
    return parts


def article_values(row: ArticleRow, story: str, copy_group: str | None) -> tuple[Any, ...]:
    return (
        row.id,
        row.url,
        row.canonical_url,
        row.source,
        row.source_kind,
        row.title,
        row.standfirst,
        row.author,
        row.published,
        row.published_estimated,
        row.language,
        row.text,
        row.image,
        row.section,
        row.word_count,
        row.text_hash,
        list(row.minhash),
        list(row.sentence_hashes),
        list(row.immutables),
        dict(row.terms),
        row.fetched_at,
        row.input_file,
        row.input_offset,
        dict(row.entities),
        story,
        copy_group,
    )


def relation_values(row: RelationRow) -> tuple[Any, ...]:
    return (
        row.id,
        row.relation,
        row.origin_id,
        row.score,
        list(row.evidence),
        [list(pair) for pair in row.substitutions],
        [list(pair) for pair in row.aligned],
        row.via_id,
    )


def story_values(row: StoryRow) -> tuple[Any, ...]:
    return (
        row.story,
        row.title,
        row.section,
        row.first_published,
        row.last_published,
        row.article_count,
        row.source_count,
    )
