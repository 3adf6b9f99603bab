"""The records that flow between pipeline stages.

They are plain, frozen dataclasses: the fetch stage produces ``FetchResult`` and
``FeedEntry``; extraction produces ``Article``; fingerprinting produces ``Fingerprint``; the
judge stage produces ``StoryAssignment`` and ``Provenance``. ``JudgeInput`` is the JSONL
interchange record read by ``byline cluster`` and ``byline provenance``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Relation = Literal["original", "syndicated", "scraped", "spun", "independent"]
RELATIONS: tuple[Relation, ...] = ("original", "syndicated", "scraped", "spun", "independent")
COPY_RELATIONS: frozenset[str] = frozenset({"syndicated", "scraped", "spun"})


@dataclass(frozen=True)
class FetchResult:
    """One HTTP response (or archived response), body bytes as received after decoding
    any content-encoding."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the feed describes it."""

    url: str
    title: str = ""
    summary: str = ""
    author: str = ""
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    content_html: str = ""
    guid: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    entries: tuple[FeedEntry, ...]
    format: str
    warning: str = ""
    children: tuple[str, ...] = ()  # a sitemap index's child sitemaps, for the caller to fetch
    hub: str = ""  # a WebSub hub the feed names (<link rel="hub">, JSON Feed "hubs")
    self_url: str = ""  # the feed's own address as it names it (the WebSub topic)


@dataclass(frozen=True)
class Article:
    """What extraction makes of one page. ``text`` is kept for judgement only; pages show an
    excerpt, never the full text."""

    url: str
    canonical_url: str
    title: str
    standfirst: str
    author: str
    published: datetime | None
    language: str
    text: str
    image: str = ""
    categories: tuple[str, ...] = ()
    site_name: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["categories"] = list(self.categories)
        return data


@dataclass(frozen=True)
class Fingerprint:
    """Text fingerprints shared by story clustering and provenance."""

    text_hash: str
    minhash: tuple[int, ...]
    sentence_hashes: tuple[str, ...]
    immutables: tuple[str, ...]
    terms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "text_hash": self.text_hash,
            "minhash": list(self.minhash),
            "sentence_hashes": list(self.sentence_hashes),
            "immutables": list(self.immutables),
            "terms": self.terms,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        return cls(
            text_hash=str(data.get("text_hash", "")),
            minhash=tuple(int(v) for v in data.get("minhash", ())),
            sentence_hashes=tuple(str(v) for v in data.get("sentence_hashes", ())),
            immutables=tuple(str(v) for v in data.get("immutables", ())),
            terms={str(k): float(v) for k, v in dict(data.get("terms", {})).items()},
        )


@dataclass(frozen=True)
class JudgeInput:
    """An article as the judge stage sees it: the JSONL record of `byline cluster` and
    `byline provenance`, and what the store hands to the judge."""

    id: str
    url: str
    source: str
    title: str
    text: str
    published: datetime | None
    source_kind: str = "outlet"
    standfirst: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSONL record ``tools.read_judge_inputs`` reads back."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass(frozen=True)
class StoryAssignment:
    id: str
    story: str
    score: float


@dataclass(frozen=True)
class Provenance:
    id: str
    relation: Relation
    origin_id: str | None
    score: float
    evidence: tuple[str, ...] = ()
    substitutions: tuple[tuple[str, str], ...] = ()
    aligned: tuple[tuple[str, str], ...] = ()
    via_id: str | None = None  # the copy it was taken from, when not the origin itself

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "relation": self.relation,
            "origin_id": self.origin_id,
            "score": round(self.score, 4),
            "evidence": list(self.evidence),
        }
