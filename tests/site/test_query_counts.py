"""The number of database queries behind each page must not grow with the database. The
bundled sample outlets are ingested through fetch → extract → judge → store in two steps:
three outlets first (every section, entities, copies: each feature the pages query for is
there), then the other six (more than twice the articles, bigger stories, more entities). Every
page type is read at its largest instance after each step, and its query count must be the
same. A page whose count grows has a query per item (an N+1) that would sink it on a site of
50,000 articles."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from byline.demo.run import register_outlets
from byline.ingest import fetch_feeds
from byline.news import registry
from byline.news.models import Article, Entity, Section, Source, Story

pytestmark = pytest.mark.django_db


def _biggest_story() -> int:
    story = Story.objects.annotate(n=Count("articles")).order_by("-n").first()
    return int(story.n) if story else 0  # type: ignore[attr-defined]


def _largest() -> dict[str, str]:
    """The address of the biggest instance of every page type in the database now."""
    story = Story.objects.annotate(n=Count("articles")).order_by("-n", "id").first()
    assert story is not None
    article = Article.objects.filter(story=story).order_by("id").first()
    section = Section.objects.annotate(n=Count("story")).order_by("-n", "id").first()
    entity = Entity.objects.annotate(n=Count("mentions")).order_by("-n", "id").first()
    source = Source.objects.annotate(n=Count("articles")).order_by("-n", "id").first()
    assert article and section and source
    pages = {
        "home": "/",
        "home json": "/index.json",
        "home page 2": "/?page=2",
        "section": f"/section/{section.slug}/",
        "section json": f"/section/{section.slug}.json",
        "story": f"/story/{story.pk}/",
        "story json": f"/story/{story.pk}.json",
        "story feed": f"/story/{story.pk}/feed.atom",
        "article": f"/article/{article.pk}/",
        "article json": f"/article/{article.pk}.json",
        "search": "/search/?q=the",
        "search json": "/search.json?q=the",
        "sources": "/sources/",
        "sources json": "/sources.json",
        "home feed": "/feed.rss",
        "source feed": f"/source/{source.slug}/feed.json",
    }
    if entity is not None:
        pages["entity"] = f"/entity/{entity.slug}/"
        pages["entity json"] = f"/entity/{entity.slug}.json"
    return pages


def _counts(client: Client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, path in pages.items():
        client.get(path)  # warm: sessions, sections and other once-per-process reads
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        counts[name] = len(queries)
    return counts


def test_queries_per_page_do_not_grow_with_the_database(client: Client, demo_site: Any) -> None:
    server, manifest = demo_site
    registry.ensure_sections()
    register_outlets(manifest)
    config = settings.BYLINE.replace(allow_private_hosts=f"127.0.0.1:{server.port}", host_delay=0)
    feeds = registry.feeds_due(force=True)
    first = fetch_feeds(config, feeds[:3])
    assert first.articles_added and not first.problems, first.problems
    small = _counts(client, _largest())
    articles, stories, biggest = Article.objects.count(), Story.objects.count(), _biggest_story()

    rest = fetch_feeds(config, feeds[3:])
    assert first.articles_added + rest.articles_added == len(manifest.articles), rest.problems
    assert Article.objects.count() > 2 * articles and Story.objects.count() > stories
    assert _biggest_story() > biggest, "the story page must be read over a bigger story"
    large = _counts(client, _largest())
    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grown, f"queries per page grew with the database (before, after): {grown}"
