"""The JSON API's response models: the shape of each page's data (``pages.*``), as pydantic
models that django-ninja turns into the OpenAPI 3.1 schema at /api/openapi.json.

These names are the API's contract: a field is added, never renamed or removed. Every model
forbids fields it does not document, so a page that grows a field the schema lacks fails its
test (tests/site/test_api.py) instead of slipping out undocumented.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

DateTime = Annotated[
    str, Field(json_schema_extra={"format": "date-time"}, description="ISO 8601, with offset.")
]
Path = Annotated[str, Field(description="A path on this site, e.g. /article/12/.")]
Relation = Literal["", "original", "independent", "syndicated", "scraped", "spun"]
RELATION = (
    "What the article is: original, independent (its own reporting), syndicated (a licensed "
    "copy), scraped (a verbatim copy), spun (a machine paraphrase), or empty before judging."
)


class Out(Schema):
    model_config = ConfigDict(extra="forbid")


class Problem(Out):
    """An error: 404 for an unknown id or slug, 400 for a bad parameter."""

    detail: str | list[dict[str, object]] = Field(
        description="What went wrong (for 400: one entry per bad parameter)."
    )


class Pagination(Out):
    """Where this page sits in its list. Follow ``next`` until it is null to read every item
    exactly once."""

    page: int = Field(description="This page's number, from 1.")
    per_page: int = Field(description="The most items a page holds (1–100).")
    next_page: int | None = Field(description="The next page's number; null on the last page.")
    previous_page: int | None = Field(description="The previous page's number; null on page 1.")
    next: str | None = Field(description="The next page's absolute URL; null on the last page.")
    previous: str | None = Field(description="The previous page's absolute URL; null on page 1.")


class FeedLinks(Out):
    """Outgoing feeds of a page: the newest articles, each labelled, as RSS, Atom and JSON."""

    rss: Path
    atom: Path
    json_: Path = Field(alias="json", description="The JSON Feed 1.1 (a path on this site).")


class SourceSummary(Out):
    """An outlet, wire agency or aggregator Byline follows."""

    name: str
    slug: str = Field(description="Its stable short name (the source feeds use it).")
    kind: Literal["outlet", "wire", "aggregator"]
    content_farm: bool = Field(description="Flagged a content farm by its record of copies.")


class SourceRecord(SourceSummary):
    """A source with its provenance record."""

    home_url: str
    country: str
    language: str
    judged: int = Field(description="Its articles judged so far.")
    spun: int = Field(description="Of those, spun copies of others' reporting.")
    scraped: int = Field(description="Of those, verbatim scraped copies.")
    copy_share: float = Field(description="(spun + scraped) / judged, rounded to 3 places.")
    feeds: FeedLinks


class ArticleSummary(Out):
    """An article: its headline, outlet and provenance label; ``url`` is the original."""

    id: int
    title: str
    standfirst: str
    url: str = Field(description="The article at its outlet.")
    path: Path = Field(description="Its page on this site.")
    published: DateTime
    published_estimated: bool = Field(
        description="No believable date was found; when its page was fetched stands in."
    )
    source: SourceSummary
    relation: Relation = Field(description=RELATION)
    relation_label: str = Field(description='The badge shown, e.g. "Spun copy".')
    origin_id: int | None = Field(description="The article it copies, if any.")
    common_source: str | None = Field(
        description="For wire copy whose agency page Byline lacks: the agency named."
    )
    carrier: bool = Field(description="It carries a common source's text (wire copy).")


class Excerpted(ArticleSummary):
    """An article with a short excerpt (never the full text)."""

    excerpt: str


class AlignedRun(Out):
    text: str
    changed: bool = Field(description="These words differ from the other side.")


class AlignedPair(Out):
    """One aligned sentence pair, split into runs of kept and substituted words."""

    origin: list[AlignedRun]
    copy_: list[AlignedRun] = Field(alias="copy")
    identical: bool


class Evidence(Schema):
    """Why a copy is judged one (empty for originals and independent reports)."""

    model_config = ConfigDict(extra="allow")

    summary: list[str] = Field(default=[], description="The judgement's reasons, one a line.")
    substitutions: list[list[str]] = Field(
        default=[], description="[original words, substituted words] pairs."
    )
    aligned: list[list[str]] = Field(
        default=[], description="A few [origin sentence, copy sentence] pairs (never all)."
    )
    pairs: list[AlignedPair] = Field(default=[], description="The aligned pairs, word by word.")


class OriginRef(Out):
    id: int
    title: str
    source: str


class CoverageItem(Excerpted):
    """One outlet's article in a story's coverage."""

    score: float | None = Field(description="How closely it matches its origin (0–1).")
    evidence: Evidence
    origin: OriginRef | None


class StorySummary(Out):
    """A story: one event's coverage by every outlet."""

    id: int
    title: str
    path: Path
    section: str = Field(description="Its section's name, or empty.")
    first_published: DateTime
    last_published: DateTime
    articles: int = Field(description="Articles in the story.")
    sources: int = Field(description="Outlets that covered it.")


class StoryCard(StorySummary):
    """A story as listed: its lead article, an excerpt and the outlets."""

    lead: ArticleSummary | None
    excerpt: str
    outlets: list[str]


class EntitySummary(Out):
    """A person, place or organisation named in the news."""

    name: str
    kind: Literal["PERSON", "PLACE", "ORG"]
    kind_label: str
    slug: str
    path: Path


class EntityCount(EntitySummary):
    articles: int = Field(description="The story's articles that name it.")


class EntityStoryCard(StoryCard):
    mentioning: int = Field(description="The story's articles that name the entity.")


class Counts(Out):
    sources: int
    articles: int
    stories: int
    pages: int = Field(description="Raw pages stored.")


class SectionRef(Out):
    name: str
    slug: str


class HomeSection(SectionRef):
    stories: list[StoryCard] = Field(description="The section's top six stories.")


class HomePage(Out):
    """The front page: top stories (paginated; the first page also previews each section)."""

    top_stories: list[StoryCard]
    sections: list[HomeSection] = Field(description="Section previews; empty after page 1.")
    counts: Counts
    pagination: Pagination
    feeds: FeedLinks


class SectionPage(Out):
    """A section's stories, most widely covered first."""

    section: SectionRef
    stories: list[StoryCard]
    pagination: Pagination
    feeds: FeedLinks


class Carrier(Out):
    id: int
    path: Path
    source: str


class CommonSource(Out):
    """Outlets carrying one agency text whose own page Byline lacks."""

    name: str
    carriers: list[Carrier]


class BreakdownRow(Out):
    name: str
    count: int


class Breakdown(Out):
    dimension: Literal["outlets", "kinds", "countries", "languages"]
    title: str
    rows: list[BreakdownRow]


class TimelineEvent(Out):
    """A publication, or a later change to an article's headline or text."""

    time: DateTime
    kind: Literal["published", "changed"]
    article_id: int
    path: Path
    source: str
    title: str
    relation: Relation | None = Field(default=None, description="Only for publications.")
    relation_label: str | None = Field(default=None, description="Only for publications.")
    change: str | None = Field(default=None, description="Only for changes: what changed.")
    title_before: str | None = Field(default=None, description="Only for changes.")


class StoryPage(Out):
    """A story: every outlet's coverage (paginated), originals first, copies with evidence;
    the first report, breakdown and timeline cover all of its articles."""

    story: StorySummary
    first_reported: ArticleSummary | None
    coverage: list[CoverageItem]
    pagination: Pagination
    common_sources: list[CommonSource]
    breakdown: list[Breakdown]
    timeline: list[TimelineEvent]
    entities: list[EntityCount]
    feeds: FeedLinks


class ArticleDetail(ArticleSummary):
    author: str
    language: str
    section: str
    section_slug: str
    excerpt: str = Field(description="About 55 words; never the full text.")
    word_count: int


class SourceLink(Out):
    """The prominent link to the original reporting, through any chain of copies."""

    url: str
    source: str
    title: str
    is_this_article: bool
    via_wire: bool


class Provenance(Out):
    relation: Relation = Field(description=RELATION)
    label: str
    common_source: str | None
    carrier: bool
    score: float | None
    evidence: Evidence
    origin: ArticleSummary | None = Field(description="The article it copies.")
    via: ArticleSummary | None = Field(description="The copy it was taken from, if not the origin.")


class RelatedStory(StorySummary):
    shared: list[EntitySummary] = Field(description="The names it shares with this story.")
    reason: str


class Reply(Out):
    """A reader's reply, with its answers."""

    id: int
    author: str = Field(description="The account's user name, or the name a guest gave.")
    guest: bool = Field(description="Posted without an account (when the site allows it).")
    body: str = Field(description="Plain text, exactly as written: never markup.")
    created_at: DateTime
    parent_id: int | None
    children: list[Reply]


class Version(Out):
    """What an article said before a change."""

    recorded_at: DateTime
    change: str
    title: str
    standfirst: str
    word_count: int
    published: DateTime


class ArticlePage(Out):
    """An article: headline, excerpt, the Source link, provenance with evidence, related
    coverage and stories, replies and earlier versions."""

    article: ArticleDetail
    source_link: SourceLink
    provenance: Provenance
    story: StorySummary | None
    related: list[ArticleSummary]
    related_stories: list[RelatedStory]
    replies: list[Reply]
    versions: list[Version]


class SearchPage(Out):
    """Articles matching every word, best first (a content farm's copies after the rest)."""

    query: str
    results: list[Excerpted]
    pagination: Pagination
    feeds: FeedLinks | None = Field(description="Feeds of the search; null without a query.")


class Thresholds(Out):
    min_copies: int
    share: float


class SourcesPage(Out):
    """Every source with its record (paginated): content farms first, then by copy share."""

    sources: list[SourceRecord]
    farms: int = Field(description="Sources flagged content farms (of all, not this page).")
    thresholds: Thresholds = Field(description="What flags a content farm.")
    pagination: Pagination


class EntityPage(Out):
    """The stories that name a person, place or organisation, latest first."""

    entity: EntitySummary
    stories: list[EntityStoryCard]
    pagination: Pagination
    feeds: FeedLinks


class JsonFeedAuthor(Out):
    name: str


class JsonFeedItem(Out):
    """An article: ``url`` is its Byline page, ``external_url`` the original."""

    id: str
    url: str
    external_url: str
    title: str
    content_text: str = Field(description="Outlet, label and a short excerpt.")
    summary: str
    date_published: DateTime
    authors: list[JsonFeedAuthor]
    tags: list[str]


class JsonFeed(Out):
    """A JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), newest item first."""

    version: Literal["https://jsonfeed.org/version/1.1"]
    title: str
    home_page_url: str
    feed_url: str
    description: str
    language: str
    items: list[JsonFeedItem]
