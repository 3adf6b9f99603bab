"""Reading the database for pages and the JSON API: stories, coverage, articles, related
articles, origins and full-text search. Writes live in ``store``; replies in ``replies``."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from byline.news.models import (
    Article,
    ArticleVersion,
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


def top_stories(limit: int = 20, section: Section | None = None) -> QuerySet[Story]:
    stories = Story.objects.select_related("section").filter(article_count__gt=0)
    if section is not None:
        stories = stories.filter(section=section)
    return stories.order_by("-source_count", "-last_published", "-id")[:limit]


def story(story_id: int) -> Story | None:
    return Story.objects.select_related("section").filter(pk=story_id).first()


def story_alias(old_id: int) -> int | None:
    """The id of the story that a merged story's old id now lives in."""
    alias = StoryAlias.objects.filter(old_id=old_id).first()
    return alias.story_id if alias else None


def story_coverage(story: Story) -> list[Article]:
    """The story's articles: originals first (earliest first), then independent reports, then
    copies."""
    order = {"original": 0, "independent": 1, "syndicated": 2, "scraped": 3, "spun": 4}
    articles = list(story.articles.select_related("source", "relation", "relation__origin__source"))
    articles.sort(
        key=lambda a: (order.get(a.relation_kind, 5), a.source.content_farm, a.published, a.pk)
    )
    return articles


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
            Article.objects.select_related("source", "relation")
            .filter(story=article.story)
            .exclude(pk=article.pk)
            .order_by("published")[:limit]
        )
    if len(found) < limit and article.section_id:
        others = Article.objects.select_related("source", "relation").filter(
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


def search_articles(query: str, limit: int = 50) -> list[Article]:
    """Full-text search: SQLite FTS5 or PostgreSQL tsvector, best matches first."""
    terms = [t for t in query.replace('"', " ").split() if t]
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
                [query, query, limit],
            )
        ids = [row[0] for row in cursor.fetchall()]
    by_id = Article.objects.select_related("source", "story", "relation").in_bulk(ids)
    found = [by_id[i] for i in ids if i in by_id]
    # A content farm's copy never ranks above the reporting it copies (a stable sort keeps
    # the text ranking within each group).
    found.sort(key=lambda a: a.source.content_farm)
    return found


def sources_by_reputation() -> list[Source]:
    """Sources, content farms first, then by the share of copies they publish."""
    sources = list(Source.objects.all())
    sources.sort(key=lambda s: (not s.content_farm, -s.copy_share, s.name.lower()))
    return sources


def counts() -> dict[str, int]:
    return {
        "sources": Source.objects.count(),
        "articles": Article.objects.count(),
        "stories": Story.objects.count(),
        "pages": Page.objects.count(),
    }
