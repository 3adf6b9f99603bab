"""Articles over time: when a stored URL's page changes, Byline keeps the old values as a
version of the same article (never a duplicate article) and shows the history.

A real loopback server serves an outlet; between two ``fetch_feeds`` runs the test edits a
page and its feed entry on the server, as an outlet editing a headline would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from byline.config import Config
from byline.ingest import fetch_feeds
from byline.news import queries, registry
from byline.news.models import Article, ArticleVersion, Feed, Page, Relation
from byline.reprocess import reprocess

OLD = "Pellworth council approves the ferry terminal"
NEW = "Pellworth council halts the ferry terminal after Quarvish audit"


@dataclass
class Outlet:
    feed: Feed
    urls: list[str]
    paths: list[str]


@pytest.fixture
def outlet(loopback: Any, kit: Any) -> Outlet:
    feed_url, urls = kit.serve_outlet(
        loopback, "vers", [("Pellworth", "ferry terminal"), ("Quenby", "river bridge")]
    )
    registry.ensure_sections()
    feed = registry.add_source("Versions Gazette", feed_url)
    return Outlet(feed, urls, [u.removeprefix(loopback.base_url) for u in urls])


def _edit_first_page(loopback: Any, kit: Any, outlet: Outlet, title: str, hours: int = 0) -> None:
    """The outlet edits its first article's headline, on the page and in the feed; ``hours``
    moves the feed entry's date later."""
    when = kit.BASE_TIME
    loopback.add(
        outlet.paths[0],
        kit.article_html(
            title, kit.story_paragraphs("Pellworth", "ferry terminal"), when, outlet.urls[0]
        ),
    )
    items = [
        (title, outlet.urls[0], when + timedelta(hours=hours)),
        ("Quenby council approves the river bridge", outlet.urls[1], when + timedelta(hours=1)),
    ]
    loopback.add(
        "/vers/feed.xml",
        kit.rss_feed("vers news", items),
        content_type="application/rss+xml; charset=utf-8",
    )


def _page_hits(loopback: Any, outlet: Outlet, since: int) -> list[str]:
    return [h for h in loopback.hits[since:] if h in outlet.paths]


@pytest.mark.django_db
def test_an_edited_headline_becomes_a_version_of_the_same_article(
    loopback: Any, kit: Any, config: Config, outlet: Outlet
) -> None:
    first = fetch_feeds(config, [outlet.feed])
    assert first.articles_added == 2 and first.problems == []
    article = Article.objects.get(url=outlet.urls[0])
    assert article.title == OLD
    old_page, old_hash = article.page_id, article.text_hash

    _edit_first_page(loopback, kit, outlet, NEW)
    before = len(loopback.hits)
    second = fetch_feeds(config, [outlet.feed])

    assert second.problems == []
    assert second.articles_added == 0 and second.articles_updated == 1
    assert second.pages_fetched == 1
    assert _page_hits(loopback, outlet, before) == [outlet.paths[0]]  # only the edited one
    assert Article.objects.count() == 2  # no duplicate article
    updated = Article.objects.get(url=outlet.urls[0])
    assert updated.pk == article.pk
    assert updated.title == NEW
    assert updated.text_hash == old_hash  # only the headline was edited
    assert Page.objects.filter(url=outlet.urls[0]).count() == 2  # the old page is kept
    assert updated.page_id != old_page

    (version,) = ArticleVersion.objects.filter(article=article)
    assert version.title == OLD
    assert version.page_id == old_page
    assert version.text_hash == old_hash
    assert version.change == "headline changed"
    assert version.published == article.published

    # Judged again, and found by its new headline, once (the index row was replaced).
    assert updated.story_id is not None
    assert Relation.objects.filter(article=updated).exists()
    assert [a.pk for a in queries.search_articles("halts Quarvish")] == [article.pk]
    assert [a.pk for a in queries.search_articles("Pellworth")].count(article.pk) == 1

    # The feed now says what was stored: nothing is fetched again.
    before = len(loopback.hits)
    third = fetch_feeds(config, [outlet.feed])
    assert third.pages_fetched == 0 and third.articles_updated == 0
    assert _page_hits(loopback, outlet, before) == []
    assert ArticleVersion.objects.count() == 1


@pytest.mark.django_db
def test_an_unchanged_feed_fetches_no_page_and_writes_no_version(
    loopback: Any, config: Config, outlet: Outlet
) -> None:
    fetch_feeds(config, [outlet.feed])
    pages = Page.objects.count()
    before = len(loopback.hits)
    again = fetch_feeds(config, [outlet.feed])
    assert again.pages_fetched == 0
    assert again.articles_added == 0 and again.articles_updated == 0
    assert _page_hits(loopback, outlet, before) == []
    assert ArticleVersion.objects.count() == 0
    assert Page.objects.count() == pages


@pytest.mark.django_db
def test_a_later_date_with_an_unchanged_page_is_fetched_but_writes_nothing(
    loopback: Any, kit: Any, config: Config, outlet: Outlet
) -> None:
    fetch_feeds(config, [outlet.feed])
    stored = Article.objects.get(url=outlet.urls[0])
    pages = Page.objects.count()
    _edit_first_page(loopback, kit, outlet, OLD, hours=5)  # same page, a later feed date
    before = len(loopback.hits)
    report = fetch_feeds(config, [outlet.feed])
    assert _page_hits(loopback, outlet, before) == [outlet.paths[0]]
    assert report.articles_updated == 0 and report.problems == []
    assert ArticleVersion.objects.count() == 0
    assert Page.objects.count() == pages
    now = Article.objects.get(pk=stored.pk)
    assert (now.title, now.text_hash, now.page_id) == (
        stored.title,
        stored.text_hash,
        stored.page_id,
    )
    # Noted: the same feed entry does not send it to be fetched again.
    before = len(loopback.hits)
    fetch_feeds(config, [outlet.feed])
    assert _page_hits(loopback, outlet, before) == []


@pytest.mark.django_db
def test_the_history_is_shown_on_the_article_page_and_in_its_json(
    client: Client, loopback: Any, kit: Any, config: Config, outlet: Outlet
) -> None:
    fetch_feeds(config, [outlet.feed])
    pk = Article.objects.get(url=outlet.urls[0]).pk
    unchanged = client.get(reverse("article", args=[pk])).content.decode()
    assert 'class="history"' not in unchanged
    assert client.get(reverse("api:article", args=[pk])).json()["versions"] == []

    _edit_first_page(loopback, kit, outlet, NEW)
    fetch_feeds(config, [outlet.feed])

    html = client.get(reverse("article", args=[pk])).content.decode()
    assert '<details class="history">' in html
    assert "Updated 1 time<" in html
    assert OLD in html and NEW in html
    assert "headline" in html.split('class="history"')[1]
    data = client.get(reverse("api:article", args=[pk])).json()
    assert data["article"]["title"] == NEW
    (version,) = data["versions"]
    assert version["title"] == OLD
    assert version["change"].startswith("headline")
    assert version["recorded_at"]


@pytest.mark.django_db
def test_reprocess_records_a_version_when_it_changes_an_article(
    config: Config, outlet: Outlet
) -> None:
    fetch_feeds(config, [outlet.feed])
    article = Article.objects.get(url=outlet.urls[0])
    Article.objects.filter(pk=article.pk).update(title="A headline an old extractor got wrong")
    report = reprocess(config)
    assert report.changed == 1
    (version,) = ArticleVersion.objects.filter(article=article)
    assert version.title == "A headline an old extractor got wrong"
    assert version.change == "re-extracted: headline changed"
    assert Article.objects.get(pk=article.pk).title == OLD
