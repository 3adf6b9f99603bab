"""Reading the database for pages and the JSON API: stories, coverage, articles, related
articles, origins and full-text search. Writes live in ``store``; replies in ``replies``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from byline.news.models import (
    Article,
    ArticleEntity,
    ArticleVersion,
    Entity,
    Feed,
    Page,
    Section,
    Source,
    Story,
    StoryAlias,
)


def sections() -> list[Section]:
    return list(Section.objects.all())


def section_by_slug(slug: str) -> Section | None:
    return Section.objects.filter(slug=slug).first()


def top_stories(
    limit: int = 20, section: Section | None = None, offset: int = 0
) -> QuerySet[Story]:
    """Stories with articles, most widely covered first (then the latest); ``offset`` skips
    that many (a later page of the same order)."""
    stories = Story.objects.select_related("section").filter(article_count__gt=0)
    if section is not None:
        stories = stories.filter(section=section)
    return stories.order_by("-source_count", "-last_published", "-id")[offset : offset + limit]


def story(story_id: int) -> Story | None:
    return Story.objects.select_related("section").filter(pk=story_id).first()


def story_alias(old_id: int) -> int | None:
    """The id of the story that a merged story's old id now lives in."""
    alias = StoryAlias.objects.filter(old_id=old_id).first()
    return alias.story_id if alias else None


_COVERAGE_ORDER = {"original": 0, "independent": 1, "syndicated": 2, "scraped": 3, "spun": 4}
_COVERAGE_RELATED = ("source", "relation", "relation__origin__source")


TEXT_START_CHARS = 4000  # what an excerpt reads: the standfirst and a few dozen words after it


def light(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Articles for lists and cards, without their heavy columns: ``text`` is replaced by its
    start (``text_start``, all an excerpt needs) and fingerprints are not read, nor the
    origin's. A story of 50 articles then costs its card kilobytes, not megabytes."""
    return articles.defer(
        "text", "fingerprints", "relation__origin__text", "relation__origin__fingerprints"
    ).annotate(text_start=Substr("text", 1, TEXT_START_CHARS))


def _coverage_key(article: Article) -> tuple[Any, ...]:
    kind = _COVERAGE_ORDER.get(article.relation_kind, 5)
    return kind, article.source.content_farm, article.published, article.pk


def story_coverage(story: Story) -> list[Article]:
    """The story's articles: originals first (earliest first), then independent reports, then
    copies."""
    articles = list(light(story.articles.select_related(*_COVERAGE_RELATED)))
    articles.sort(key=_coverage_key)
    return articles


def story_leads(stories: Iterable[Story]) -> dict[int, tuple[Article | None, list[str]]]:
    """For story cards: each story's lead article (the first of ``story_coverage``'s order)
    and its outlets' names, in two light queries for any number of stories: the ordering reads
    plain tuples, and only the leads are read as articles (``light``)."""
    ids = [story.pk for story in stories]
    rows = Article.objects.filter(story_id__in=ids).values_list(
        "story_id", "pk", "relation__relation", "source__content_farm", "published", "source__name"
    )
    best: dict[int, tuple[Any, ...]] = {}
    outlets: dict[int, set[str]] = {pk: set() for pk in ids}
    for story_id, pk, kind, farm, published, outlet in rows:
        key = (_COVERAGE_ORDER.get(kind or "", 5), farm, published, pk)
        if story_id not in best or key < best[story_id]:
            best[story_id] = key
        outlets[story_id].add(outlet)
    leads = light(Article.objects.select_related(*_COVERAGE_RELATED)).in_bulk(
        [key[-1] for key in best.values()]
    )
    return {
        pk: (leads.get(best[pk][-1]) if pk in best else None, sorted(outlets[pk])) for pk in ids
    }


def story_versions(story: Story) -> list[ArticleVersion]:
    """Earlier versions of the story's articles (headline and text changes), oldest first."""
    return list(
        ArticleVersion.objects.select_related("article__source")
        .filter(article__story=story)
        .order_by("recorded_at", "id")
    )


def article(article_id: int) -> Article | None:
    return (
        Article.objects.select_related(
            "source",
            "section",
            "story",
            "relation",
            "relation__origin__source",
            "relation__via__source",
        )
        .filter(pk=article_id)
        .first()
    )


def article_versions(article: Article) -> list[ArticleVersion]:
    """The article's earlier versions, latest first: what it said before each change."""
    return list(article.versions.order_by("-recorded_at", "-id"))


def origin_of(article: Article, limit: int = 20) -> Article:
    """The root origin of an article's text: follows copy links to the first report (a spun
    copy of a syndicated copy leads to the wire). Cycles and long chains stop at ``limit``."""
    current, seen = article, {article.pk}
    while (row := current.provenance) and row.origin_id and row.origin_id not in seen:
        if len(seen) >= limit:
            break
        seen.add(row.origin_id)
        current = Article.objects.select_related("source", "relation").get(pk=row.origin_id)
    return current


def related_articles(article: Article, limit: int = 8) -> list[Article]:
    """The same story's other coverage first, then recent articles of the same section."""
    found: list[Article] = []
    if article.story_id:
        found = list(
            light(Article.objects.select_related("source", "relation"))
            .filter(story=article.story)
            .exclude(pk=article.pk)
            .order_by("published")[:limit]
        )
    if len(found) < limit and article.section_id:
        others = light(Article.objects.select_related("source", "relation")).filter(
            section_id=article.section_id
        )
        if article.story_id:
            others = others.exclude(story_id=article.story_id)
        others = others.exclude(pk=article.pk).order_by("-published")
        seen_stories: set[int | None] = set()
        for other in others[: limit * 4]:
            if other.story_id not in seen_stories:
                seen_stories.add(other.story_id)
                found.append(other)
            if len(found) >= limit:
                break
    found.sort(key=lambda a: a.source.content_farm)  # farms after everyone else
    return found


SEARCH_MATCHES = 1000  # the most matches a search ranks (and pages through)
SEARCH_TERMS = 32  # the most words of a query searched for; the rest are left out


def _search_ids(query: str, limit: int) -> list[int]:
    """Ids of the articles matching every word of the query, best matches first."""
    # Quotes go (each word is quoted for FTS5 below), and NUL with them: SQLite ends the
    # MATCH string at a NUL ("unterminated string") and PostgreSQL refuses one outright.
    query = query.replace("\x00", " ")
    # The first words only, each once: a 100 kB query of 14,000 words took FTS5 12 s.
    terms = list(dict.fromkeys(t for t in query.replace('"', " ").split() if t))[:SEARCH_TERMS]
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " ".join(f'"{t}"' for t in terms)
            cursor.execute(
                "SELECT rowid FROM news_article_fts WHERE news_article_fts MATCH %s "
                "ORDER BY rank LIMIT %s",
                [match, limit],
            )
        else:
            cursor.execute(
                "SELECT id FROM news_article WHERE "
                "to_tsvector('english', title || ' ' || standfirst || ' ' || text) "
                "@@ plainto_tsquery('english', %s) ORDER BY ts_rank("
                "to_tsvector('english', title || ' ' || standfirst || ' ' || text), "
                "plainto_tsquery('english', %s)) DESC LIMIT %s",
                [" ".join(terms), " ".join(terms), limit],
            )
        return [row[0] for row in cursor.fetchall()]


def search_articles(query: str, limit: int = 50, offset: int = 0) -> list[Article]:
    """Full-text search: SQLite FTS5 or PostgreSQL tsvector, best matches first; ``offset``
    skips that many (a later page). A content farm's copy never ranks above the reporting it
    copies: farms' matches come after every other match (the text ranking kept within each
    group), the same order on every page."""
    ids = _search_ids(query, SEARCH_MATCHES)
    if not ids:
        return []
    farms = set(
        Article.objects.filter(pk__in=ids, source__content_farm=True).values_list("pk", flat=True)
    )
    ordered = [i for i in ids if i not in farms] + [i for i in ids if i in farms]
    wanted = ordered[offset : offset + limit]
    by_id = light(Article.objects.select_related("source", "story", "relation")).in_bulk(wanted)
    return [by_id[i] for i in wanted if i in by_id]


def sources_by_reputation() -> list[Source]:
    """Sources, content farms first, then by the share of copies they publish."""
    sources = list(Source.objects.all())
    sources.sort(key=lambda s: (not s.content_farm, -s.copy_share, s.name.lower()))
    return sources


def source_by_slug(slug: str) -> Source | None:
    return Source.objects.filter(slug=slug).first()


def latest_articles(
    limit: int = 50,
    *,
    section: Section | None = None,
    source: Source | None = None,
    entity: Entity | None = None,
) -> list[Article]:
    """The newest articles (of a section, a source, or naming an entity), newest first: what
    the outgoing feeds list."""
    articles = light(Article.objects.select_related(*_COVERAGE_RELATED))
    if section is not None:
        articles = articles.filter(section=section)
    if source is not None:
        articles = articles.filter(source=source)
    if entity is not None:
        articles = articles.filter(mentions__entity=entity)  # one row per article and entity
    return list(articles.order_by("-published", "-id")[:limit])


ESTIMATE_FROM = 20_000  # rows: above this, PostgreSQL's own estimate stands in for COUNT(*)


def _count(model: Any) -> int:
    """The rows of a table: exact, except on PostgreSQL for a table the planner estimates at
    ``ESTIMATE_FROM`` rows or more, where COUNT(*) reads the whole table (45 ms at 70,000
    articles, on every front page) and the estimate (kept by ANALYZE and autovacuum) is
    close enough for "about N articles"."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
            row = cursor.fetchone()
        if row and row[0] >= ESTIMATE_FROM:
            return int(row[0])
    return int(model.objects.count())


def counts() -> dict[str, int]:
    return {
        "sources": _count(Source),
        "articles": _count(Article),
        "stories": _count(Story),
        "pages": _count(Page),
    }


def service_state() -> dict[str, Any]:
    """What a running service reports: feeds due now and paused, stored totals, and the
    earliest time any unpaused feed falls due (None when none is followed)."""
    from django.db.models import Min, Q
    from django.utils import timezone

    now = timezone.now()
    live = Feed.objects.filter(paused=False)
    due = live.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
    return {
        "feeds": Feed.objects.count(),
        "feeds_due": due.count(),
        "feeds_paused": Feed.objects.filter(paused=True).count(),
        "websub_active": Feed.objects.filter(websub_state="active").count(),
        "articles": Article.objects.count(),
        "unjudged": Article.objects.filter(story__isnull=True).count(),
        "stories": Story.objects.count(),
        "next_due": live.aggregate(at=Min("next_fetch_at"))["at"],
    }


# ── entities ──────────────────────────────────────────────────────────────────────────────


def entity_by_slug(slug: str) -> Entity | None:
    return Entity.objects.filter(slug=slug).first()


def story_entities(story: Story, limit: int = 12) -> list[tuple[Entity, int]]:
    """The people, places and organisations a story's articles name, most named first (by
    the number of its articles naming each)."""
    rows = (
        ArticleEntity.objects.filter(article__story=story)
        .values("entity")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n", "entity")[:limit]
    )
    counts = {row["entity"]: row["n"] for row in rows}
    entities = Entity.objects.in_bulk(list(counts))
    return [(entities[i], n) for i, n in counts.items() if i in entities]


def entity_stories(entity: Entity, limit: int = 50, offset: int = 0) -> list[tuple[Story, int]]:
    """Stories whose articles name the entity, latest first, with how many articles do;
    ``offset`` skips that many (a later page)."""
    rows = (
        ArticleEntity.objects.filter(entity=entity, article__story__isnull=False)
        .values("article__story")
        .annotate(n=Count("article", distinct=True))
    )
    counts = {row["article__story"]: row["n"] for row in rows}
    stories = Story.objects.select_related("section").filter(pk__in=list(counts))
    ordered = sorted(stories, key=lambda s: (s.last_published, s.pk), reverse=True)
    ordered = ordered[offset : offset + limit]
    return [(story, counts[story.pk]) for story in ordered]


def related_stories(
    article: Article, limit: int = 5, window_days: int = 14
) -> list[tuple[Story, list[Entity]]]:
    """Other stories that name the same people, places or organisations as the article's
    story, published near it in time: most shared names first, then the latest. Each comes
    with the names it shares (the reason it is related)."""
    if not article.story_id:
        return []
    mine = set(
        ArticleEntity.objects.filter(article__story_id=article.story_id).values_list(
            "entity_id", flat=True
        )
    )
    if not mine:
        return []
    near = (
        article.published - timedelta(days=window_days),
        article.published + timedelta(days=window_days),
    )
    rows = (
        ArticleEntity.objects.filter(
            entity_id__in=mine,
            article__story__isnull=False,
            article__story__last_published__gte=near[0],
            article__story__first_published__lte=near[1],
        )
        .exclude(article__story_id=article.story_id)
        .values_list("article__story_id", "entity_id")
        .distinct()
    )
    shared: dict[int, set[int]] = {}
    for story_id, entity_id in rows:
        shared.setdefault(story_id, set()).add(entity_id)
    stories = Story.objects.select_related("section").in_bulk(list(shared))
    ranked = sorted(
        (stories[i] for i in shared if i in stories),
        key=lambda s: (-len(shared[s.pk]), -s.last_published.timestamp(), s.pk),
    )[:limit]
    names = Entity.objects.in_bulk(list({e for i in shared for e in shared[i]}))
    return [
        (story, sorted((names[e] for e in shared[story.pk]), key=lambda e: e.name))
        for story in ranked
    ]
