"""Each page's data, built once as plain values (dicts, lists, strings) from ``queries``
functions. The HTML templates and the JSON API render the same dicts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

from byline.judge import provenance
from byline.judge.align import word_diff
from byline.news import queries, replies
from byline.news.models import (
    Article,
    ArticleVersion,
    Entity,
    Relation,
    Reply,
    Source,
    Story,
)

RELATION_LABELS = {
    "original": "Original report",
    "independent": "Independent report",
    "syndicated": "Syndicated copy",
    "scraped": "Scraped copy",
    "spun": "Spun copy",
}


def excerpt(text: str, words: int | None = None, standfirst: str = "") -> str:
    """The first sentences of a text, at most ``words`` words — never the full text. When the
    text opens with the standfirst (shown beside the excerpt already), the excerpt starts after
    it."""
    limit = words or int(settings.BYLINE.excerpt_words)
    tokens = text.split()
    lead = standfirst.split()
    if lead and tokens[: len(lead)] == lead and len(tokens) > len(lead):
        tokens = tokens[len(lead) :]
    if len(tokens) <= limit // 2:
        return " ".join(tokens[: limit // 2]) + (" …" if tokens else "")
    cut = " ".join(tokens[:limit])
    end = max(cut.rfind(". "), cut.rfind(".” "), cut.rfind('." '))
    if end > len(cut) // 2:
        cut = cut[: end + 1]
    return cut + " …"


def source_summary(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "slug": source.slug,
        "kind": source.kind,
        "content_farm": source.content_farm,
    }


def source_reputation(source: Source) -> dict[str, Any]:
    data = source_summary(source)
    data.update(
        home_url=source.home_url,
        country=source.country,
        language=source.language,
        judged=source.judged_count,
        spun=source.spun_count,
        scraped=source.scraped_count,
        copy_share=round(source.copy_share, 3),
    )
    return data


def evidence(relation: Relation | None) -> dict[str, Any]:
    """A relation's stored evidence, with each aligned sentence pair also split into runs of
    kept and substituted words (``pairs``) so the page can highlight what the copy changed."""
    if relation is None or not relation.evidence:
        return {}
    data = dict(relation.evidence)
    pairs = []
    for origin_sentence, copy_sentence in data.get("aligned", []):
        origin_runs, copy_runs = word_diff(origin_sentence, copy_sentence)
        pairs.append(
            {
                "origin": [{"text": t, "changed": c} for t, c in origin_runs],
                "copy": [{"text": t, "changed": c} for t, c in copy_runs],
                "identical": origin_sentence == copy_sentence,
            }
        )
    data["pairs"] = pairs
    return data


def common_source(relation: Relation | None) -> str | None:
    """The common source a carrier carries ("Reuters"; ``provenance.UNNAMED`` when no credit
    names it), or None when the article carries none."""
    if relation is None or not relation.evidence:
        return None
    return provenance.common_source_of(relation.evidence.get("summary", []))


def relation_label(relation: Relation | None) -> str:
    """The badge: "Wire copy (Reuters)" for a carrier of a named common source, "Wire copy
    (source not named)" for an unnamed one, else the relation's own label."""
    if relation is None:
        return ""
    carried = common_source(relation)
    if carried is not None:
        return f"Wire copy ({'source not named' if carried == provenance.UNNAMED else carried})"
    return RELATION_LABELS.get(relation.relation, "")


def article_summary(article: Article) -> dict[str, Any]:
    relation = article.provenance
    kind = relation.relation if relation else ""
    carried = common_source(relation)
    return {
        "id": article.pk,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": article.url,
        "path": reverse("article", args=[article.pk]),
        "published": article.published.isoformat(),
        "published_estimated": article.published_estimated,
        "source": source_summary(article.source),
        "relation": kind,
        "relation_label": relation_label(relation),
        "origin_id": relation.origin_id if relation else None,
        "common_source": None if carried == provenance.UNNAMED else carried,
        "carrier": carried is not None,
    }


def entity_summary(entity: Entity, articles: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": entity.name,
        "kind": entity.kind,
        "kind_label": str(Entity.Kind(entity.kind).label),
        "slug": entity.slug,
        "path": reverse("entity", args=[entity.slug]),
    }
    if articles is not None:
        data["articles"] = articles
    return data


def story_summary(story: Story) -> dict[str, Any]:
    return {
        "id": story.pk,
        "title": story.title,
        "path": reverse("story", args=[story.pk]),
        "section": story.section.name if story.section else "",
        "first_published": story.first_published.isoformat(),
        "last_published": story.last_published.isoformat(),
        "articles": story.article_count,
        "sources": story.source_count,
    }


def _story_cards(stories: Iterable[Story]) -> list[dict[str, Any]]:
    """Cards for a page of stories, their articles fetched in one query."""
    stories = list(stories)
    coverage = queries.stories_coverage(stories)
    return [_story_card(story, coverage[story.pk]) for story in stories]


def _story_card(story: Story, coverage: list[Article]) -> dict[str, Any]:
    data = story_summary(story)
    lead = coverage[0] if coverage else None
    data["lead"] = article_summary(lead) if lead else None
    data["excerpt"] = excerpt(lead.text, 35, lead.standfirst) if lead else ""
    data["outlets"] = sorted({a.source.name for a in coverage})
    return data


def home_page() -> dict[str, Any]:
    by_section = []
    for section in queries.sections():
        cards = _story_cards(queries.top_stories(6, section))
        if cards:
            by_section.append({"name": section.name, "slug": section.slug, "stories": cards})
    return {
        "top_stories": _story_cards(queries.top_stories(5)),
        "sections": by_section,
        "counts": queries.counts(),
    }


def section_page(slug: str) -> dict[str, Any] | None:
    section = queries.section_by_slug(slug)
    if section is None:
        return None
    return {
        "section": {"name": section.name, "slug": section.slug},
        "stories": _story_cards(queries.top_stories(50, section)),
    }


def _breakdown(coverage: list[Article]) -> list[dict[str, Any]]:
    """How many articles each outlet, outlet kind, country and language contributed."""
    kinds = dict(Source.Kind.choices)

    def count(values: list[str]) -> list[dict[str, Any]]:
        tally = Counter(v for v in values if v)
        ranked = sorted(tally.items(), key=lambda entry: (-entry[1], entry[0]))
        return [{"name": name, "count": n} for name, n in ranked]

    dimensions = [
        ("outlets", "Outlets", [a.source.name for a in coverage]),
        (
            "kinds",
            "Kinds of outlet",
            [str(kinds.get(a.source.kind, a.source.kind)) for a in coverage],
        ),
        ("countries", "Countries", [a.source.country for a in coverage]),
        ("languages", "Languages", [a.language or a.source.language for a in coverage]),
    ]
    return [{"dimension": d, "title": t, "rows": count(v)} for d, t, v in dimensions]


def _timeline(coverage: list[Article], versions: list[ArticleVersion]) -> list[dict[str, Any]]:
    """The story as it unfolded: each article's publication, and each later change to an
    article's headline or text (from its stored versions), in time order."""
    events: list[dict[str, Any]] = []
    for article in coverage:
        events.append(
            {
                "time": article.published.isoformat(),
                "kind": "published",
                "article_id": article.pk,
                "path": reverse("article", args=[article.pk]),
                "source": article.source.name,
                "title": article.title,
                "relation": article.relation_kind,
                "relation_label": relation_label(article.provenance),
            }
        )
    current_title = {a.pk: a.title for a in coverage}
    for version in versions:
        events.append(
            {
                "time": version.recorded_at.isoformat(),
                "kind": "changed",
                "article_id": version.article_id,
                "path": reverse("article", args=[version.article_id]),
                "source": version.article.source.name,
                "title": current_title.get(version.article_id, version.article.title),
                "change": version.change,
                "title_before": version.title,
            }
        )
    events.sort(key=lambda e: (e["time"], e["kind"] != "published", e["article_id"]))
    return events


def story_page(story_id: int) -> dict[str, Any] | None:
    story = queries.story(story_id)
    if story is None:
        return None
    articles = queries.story_coverage(story)
    coverage = []
    for article in articles:
        item = article_summary(article)
        relation = article.provenance
        item["excerpt"] = excerpt(article.text, 30, article.standfirst)
        item["score"] = round(relation.score, 3) if relation else None
        item["evidence"] = evidence(relation)
        item["origin"] = (
            {
                "id": relation.origin.pk,
                "title": relation.origin.title,
                "source": relation.origin.source.name,
            }
            if relation and relation.origin
            else None
        )
        coverage.append(item)
    first = min(
        (a for a in articles if a.relation_kind == "original"),
        key=lambda a: (a.published, a.pk),
        default=min(articles, key=lambda a: (a.published, a.pk), default=None),
    )
    carried: dict[str, list[dict[str, Any]]] = {}
    for item in coverage:
        if item["carrier"]:
            name = item["common_source"] or "a source not named"
            carried.setdefault(name, []).append(
                {"id": item["id"], "path": item["path"], "source": item["source"]["name"]}
            )
    return {
        "story": story_summary(story),
        "first_reported": article_summary(first) if first else None,
        "coverage": coverage,
        # Outlets carrying one text whose own page Byline does not have (a wire story): one
        # group per common source, never a chain of copies of one another.
        "common_sources": [{"name": name, "carriers": group} for name, group in carried.items()],
        "breakdown": _breakdown(articles),
        "timeline": _timeline(articles, queries.story_versions(story)),
        "entities": [entity_summary(e, n) for e, n in queries.story_entities(story)],
        "feeds": {
            "rss": reverse("story_feed", args=[story.pk, "rss"]),
            "atom": reverse("story_feed", args=[story.pk, "atom"]),
        },
    }


def _reply_tree(replies: list[Reply]) -> list[dict[str, Any]]:
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for reply in replies:
        nodes[reply.pk] = {
            "id": reply.pk,
            "author": reply.author.get_username(),
            "body": reply.body,
            "created_at": reply.created_at.isoformat(),
            "parent_id": reply.parent_id,
            "children": [],
        }
    for reply in replies:
        parent = nodes.get(reply.parent_id) if reply.parent_id else None
        (parent["children"] if parent else roots).append(nodes[reply.pk])
    return roots


def _version(version: ArticleVersion) -> dict[str, Any]:
    return {
        "recorded_at": version.recorded_at.isoformat(),
        "change": version.change,
        "title": version.title,
        "standfirst": version.standfirst,
        "word_count": version.word_count,
        "published": version.published.isoformat(),
    }


def article_page(article_id: int) -> dict[str, Any] | None:
    article = queries.article(article_id)
    if article is None:
        return None
    origin = queries.origin_of(article)
    data = article_summary(article)
    data.update(
        author=article.author,
        language=article.language,
        section=article.section.name if article.section else "",
        section_slug=article.section.slug if article.section else "",
        excerpt=excerpt(article.text, standfirst=article.standfirst),
        word_count=article.word_count,
    )
    relation = article.provenance
    return {
        "article": data,
        "source_link": {
            "url": origin.url,
            "source": origin.source.name,
            "title": origin.title,
            "is_this_article": origin.pk == article.pk,
            "via_wire": origin.source.kind == "wire",
        },
        "provenance": {
            "relation": relation.relation if relation else "",
            "label": relation_label(relation),
            "common_source": data["common_source"],
            "carrier": data["carrier"],
            "score": round(relation.score, 3) if relation else None,
            "evidence": evidence(relation),
            "origin": article_summary(origin) if origin.pk != article.pk else None,
            "via": article_summary(relation.via) if relation and relation.via else None,
        },
        "story": story_summary(article.story) if article.story else None,
        "related": [article_summary(a) for a in queries.related_articles(article)],
        "related_stories": [
            {
                **story_summary(story),
                "shared": [entity_summary(e) for e in shared],
                "reason": "also about " + ", ".join(e.name for e in shared[:3]),
            }
            for story, shared in queries.related_stories(article)
        ],
        "replies": _reply_tree(replies.replies_for(article)),
        "versions": [_version(v) for v in queries.article_versions(article)],
    }


def entity_page(slug: str) -> dict[str, Any] | None:
    entity = queries.entity_by_slug(slug)
    if entity is None:
        return None
    found = queries.entity_stories(entity)
    stories = _story_cards(story for story, _ in found)
    for card, (_, articles) in zip(stories, found, strict=True):
        card["mentioning"] = articles
    return {"entity": entity_summary(entity), "stories": stories}


def sources_page() -> dict[str, Any]:
    """Every source with its provenance tally; content farms first, then by copy share."""
    sources = [source_reputation(s) for s in queries.sources_by_reputation()]
    return {
        "sources": sources,
        "farms": sum(1 for s in sources if s["content_farm"]),
        "thresholds": {
            "min_copies": int(settings.BYLINE.farm_min_copies),
            "share": float(settings.BYLINE.farm_share),
        },
    }


def search_page(query: str) -> dict[str, Any]:
    results = queries.search_articles(query) if query.strip() else []
    items = []
    for article in results:
        item = article_summary(article)
        item["excerpt"] = excerpt(article.text, 30, article.standfirst)
        items.append(item)
    return {"query": query, "results": items}
