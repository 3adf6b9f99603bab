"""Each page's data, built once as plain values (dicts, lists, strings) from ``queries``
functions. The HTML templates and the JSON API render the same dicts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

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

T = TypeVar("T")

MAX_PER_PAGE = 100  # the most items one page of a list may hold
MAX_PAGE = 10_000  # the highest page number asked for (page × size stays a sane offset)
FEED_ITEMS = 50  # items in each outgoing feed, newest first
FEED_FORMATS = ("rss", "atom", "json")


@dataclass(frozen=True)
class Paging:
    """Which page of a list to show: ``page`` (from 1) of ``per_page`` items. A bad value
    raises ValueError (the web layer answers 400); a page past the end is simply empty."""

    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        if not 1 <= self.page <= MAX_PAGE:
            raise ValueError(f"page must be a whole number from 1 to {MAX_PAGE}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be a whole number from 1 to {MAX_PER_PAGE}")

    @classmethod
    def parse(cls, query: Mapping[str, str], per_page: int) -> Paging:
        """From a request's query (``page``, ``per_page``); ``per_page`` is the default."""

        def number(name: str, default: int) -> int:
            if name not in query:
                return default
            text = query[name].strip()
            if not text.isascii() or not text.isdigit() or len(text) > 9:
                raise ValueError(f"{name} must be a whole number, not {text[:20]!r}")
            return int(text)

        return cls(number("page", 1), number("per_page", per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def fetch(self) -> int:
        """How many rows to read: one more than the page holds, to know if another follows."""
        return self.per_page + 1

    def cut(self, rows: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
        """This page's items from ``rows`` (read from ``offset``, at most ``fetch`` of them),
        and the page's ``pagination`` (the web layer adds its ``next``/``previous`` links)."""
        items = list(rows[: self.per_page])
        more = len(rows) > self.per_page
        return items, {
            "page": self.page,
            "per_page": self.per_page,
            "next_page": self.page + 1 if more else None,
            "previous_page": self.page - 1 if self.page > 1 else None,
        }

    def window(self, rows: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
        """``cut`` for a list held whole in memory."""
        return self.cut(rows[self.offset : self.offset + self.fetch])


def feed_links(name: str, *args: Any, query: str = "") -> dict[str, str]:
    """The paths of a page's outgoing RSS, Atom and JSON feeds (``name``: the URL name of its
    RSS/Atom route; the JSON Feed is served by the API under the same name)."""
    suffix = "?" + urlencode({"q": query}) if query else ""
    links = {kind: reverse(name, args=[*args, kind]) + suffix for kind in ("rss", "atom")}
    links["json"] = reverse(f"api:{name}", args=list(args)) + suffix
    return links


RELATION_LABELS = {
    "original": "Original report",
    "independent": "Independent report",
    "syndicated": "Syndicated copy",
    "scraped": "Scraped copy",
    "spun": "Spun copy",
}


def text_start(article: Article) -> str:
    """The start of an article's text: ``text_start`` when it was read as a light row
    (``queries.light``, the text itself never loaded), else the text."""
    start = getattr(article, "text_start", None)
    return start if start is not None else article.text


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
        feeds=feed_links("source_feed", source.slug),
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
    leads = queries.story_leads(stories)
    return [_story_card(story, *leads[story.pk]) for story in stories]


def _story_card(story: Story, lead: Article | None, outlets: list[str]) -> dict[str, Any]:
    data = story_summary(story)
    data["lead"] = article_summary(lead) if lead else None
    data["excerpt"] = excerpt(text_start(lead), 35, lead.standfirst) if lead else ""
    data["outlets"] = outlets
    return data


HOME_PER_PAGE = 5  # top stories on the front page (each section shows its own 6 below)


def home_page(paging: Paging | None = None) -> dict[str, Any]:
    """The top stories, a page at a time; the first page also previews each section."""
    paging = paging or Paging(per_page=HOME_PER_PAGE)
    top, pagination = paging.cut(list(queries.top_stories(paging.fetch, offset=paging.offset)))
    by_section = []
    if paging.page == 1:
        for section in queries.sections():
            cards = _story_cards(queries.top_stories(6, section))
            if cards:
                by_section.append({"name": section.name, "slug": section.slug, "stories": cards})
    return {
        "top_stories": _story_cards(top),
        "sections": by_section,
        "counts": queries.counts(),
        "pagination": pagination,
        "feeds": feed_links("feed"),
    }


def section_page(slug: str, paging: Paging | None = None) -> dict[str, Any] | None:
    section = queries.section_by_slug(slug)
    if section is None:
        return None
    paging = paging or Paging()
    rows = list(queries.top_stories(paging.fetch, section, paging.offset))
    stories, pagination = paging.cut(rows)
    return {
        "section": {"name": section.name, "slug": section.slug},
        "stories": _story_cards(stories),
        "pagination": pagination,
        "feeds": feed_links("section_feed", section.slug),
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


STORY_PER_PAGE = 100  # a story's coverage shown on one page


def story_page(story_id: int, paging: Paging | None = None) -> dict[str, Any] | None:
    """A story: its coverage (a page of it: originals first, then copies) with evidence, and,
    over all of its articles, the first report, common sources, breakdown and timeline."""
    paging = paging or Paging(per_page=STORY_PER_PAGE)
    story = queries.story(story_id)
    if story is None:
        return None
    articles = queries.story_coverage(story)
    coverage = []
    for article in articles:
        item = article_summary(article)
        relation = article.provenance
        item["excerpt"] = excerpt(text_start(article), 30, article.standfirst)
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
    shown, pagination = paging.window(coverage)
    return {
        "story": story_summary(story),
        "first_reported": article_summary(first) if first else None,
        "coverage": shown,
        "pagination": pagination,
        # Outlets carrying one text whose own page Byline does not have (a wire story): one
        # group per common source, never a chain of copies of one another.
        "common_sources": [{"name": name, "carriers": group} for name, group in carried.items()],
        "breakdown": _breakdown(articles),
        "timeline": _timeline(articles, queries.story_versions(story)),
        "entities": [entity_summary(e, n) for e, n in queries.story_entities(story)],
        "feeds": feed_links("story_feed", story.pk),
    }


def _reply_tree(replies: list[Reply], *, personal: bool = False) -> list[dict[str, Any]]:
    """Replies as a thread. ``personal`` (one reader's HTML page): each says whether it is
    ``held`` for moderation (only its author is ever shown a held reply)."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for reply in replies:
        nodes[reply.pk] = {
            "id": reply.pk,
            "author": reply.display_name,
            "guest": reply.author_id is None,
            "body": reply.body,
            "created_at": reply.created_at.isoformat(),
            "parent_id": reply.parent_id,
            "children": [],
        }
        if personal:
            nodes[reply.pk]["held"] = reply.state != Reply.State.PUBLISHED
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


def article_page(
    article_id: int, *, viewer: Any = None, own_replies: Iterable[int] = ()
) -> dict[str, Any] | None:
    """The article's page. With ``viewer`` (the signed-in user) or ``own_replies`` (the ids a
    guest's session posted), that reader's replies awaiting moderation are shown too."""
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
        "replies": _reply_tree(
            replies.replies_for(article, viewer=viewer, own=own_replies),
            personal=viewer is not None or bool(own_replies),
        ),
        "versions": [_version(v) for v in queries.article_versions(article)],
    }


def entity_page(slug: str, paging: Paging | None = None) -> dict[str, Any] | None:
    entity = queries.entity_by_slug(slug)
    if entity is None:
        return None
    paging = paging or Paging()
    found, pagination = paging.cut(queries.entity_stories(entity, paging.fetch, paging.offset))
    stories = _story_cards(story for story, _ in found)
    for card, (_, articles) in zip(stories, found, strict=True):
        card["mentioning"] = articles
    return {
        "entity": entity_summary(entity),
        "stories": stories,
        "pagination": pagination,
        "feeds": feed_links("entity_feed", entity.slug),
    }


SOURCES_PER_PAGE = 50


def sources_page(paging: Paging | None = None) -> dict[str, Any]:
    """Every source with its provenance tally (a page of them); content farms first, then by
    copy share."""
    paging = paging or Paging(per_page=SOURCES_PER_PAGE)
    ranked = queries.sources_by_reputation()
    shown, pagination = paging.window(ranked)
    return {
        "sources": [source_reputation(s) for s in shown],
        "farms": sum(1 for s in ranked if s.content_farm),
        "thresholds": {
            "min_copies": int(settings.BYLINE.farm_min_copies),
            "share": float(settings.BYLINE.farm_share),
        },
        "pagination": pagination,
    }


def _with_excerpt(article: Article) -> dict[str, Any]:
    item = article_summary(article)
    item["excerpt"] = excerpt(text_start(article), 30, article.standfirst)
    return item


def search_page(query: str, paging: Paging | None = None) -> dict[str, Any]:
    paging = paging or Paging()
    found = queries.search_articles(query, paging.fetch, paging.offset) if query.strip() else []
    results, pagination = paging.cut(found)
    return {
        "query": query,
        "results": [_with_excerpt(a) for a in results],
        "pagination": pagination,
        "feeds": feed_links("search_feed", query=query) if query.strip() else None,
    }


# ── outgoing feeds ────────────────────────────────────────────────────────────────────────


def _feed(
    title: str, description: str, path: str, links: dict[str, str], items: Iterable[Article]
) -> dict[str, Any]:
    """A feed's data, for RSS, Atom and JSON Feed alike: each item an article's headline,
    outlet, label, a short excerpt and its Byline page (never the full text)."""
    return {
        "title": title,
        "description": description,
        "path": path,
        "feeds": links,
        "items": [_with_excerpt(article) for article in items],
    }


def home_feed() -> dict[str, Any]:
    return _feed(
        "Latest articles",
        "The newest articles from every source, each labelled and traced to its origin.",
        reverse("home"),
        feed_links("feed"),
        queries.latest_articles(FEED_ITEMS),
    )


def section_feed(slug: str) -> dict[str, Any] | None:
    section = queries.section_by_slug(slug)
    if section is None:
        return None
    return _feed(
        section.name,
        f"The newest articles in {section.name}, each labelled and traced to its origin.",
        reverse("section", args=[section.slug]),
        feed_links("section_feed", section.slug),
        queries.latest_articles(FEED_ITEMS, section=section),
    )


def source_feed(slug: str) -> dict[str, Any] | None:
    source = queries.source_by_slug(slug)
    if source is None:
        return None
    return _feed(
        source.name,
        f"The newest articles from {source.name}, each labelled and traced to its origin.",
        reverse("sources") + f"#source-{source.slug}",
        feed_links("source_feed", source.slug),
        queries.latest_articles(FEED_ITEMS, source=source),
    )


def entity_feed(slug: str) -> dict[str, Any] | None:
    entity = queries.entity_by_slug(slug)
    if entity is None:
        return None
    return _feed(
        entity.name,
        f"The newest articles naming {entity.name}, each labelled and traced to its origin.",
        reverse("entity", args=[entity.slug]),
        feed_links("entity_feed", entity.slug),
        queries.latest_articles(FEED_ITEMS, entity=entity),
    )


def search_feed(query: str) -> dict[str, Any]:
    """The best matches of a search, newest first (an empty feed for an empty query)."""
    found = queries.search_articles(query, FEED_ITEMS) if query.strip() else []
    found.sort(key=lambda a: (a.published, a.pk), reverse=True)
    return _feed(
        f"Search: {query.strip()}",
        f"The newest articles matching “{query.strip()}”.",
        reverse("search") + "?" + urlencode({"q": query}),
        feed_links("search_feed", query=query),
        found,
    )


def story_feed(story_id: int) -> dict[str, Any] | None:
    story = queries.story(story_id)
    if story is None:
        return None
    articles = sorted(queries.story_coverage(story), key=lambda a: (a.published, a.pk))
    return _feed(
        story.title,
        "Every outlet's coverage of this story, traced to the original report.",
        reverse("story", args=[story.pk]),
        feed_links("story_feed", story.pk),
        reversed(articles[-FEED_ITEMS:]),
    )
