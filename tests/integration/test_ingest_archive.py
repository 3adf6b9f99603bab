"""What ingestion keeps besides articles: every fetched response in rotating WARC files, and
each source's boilerplate, learnt from its stored pages and stripped from new ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from byline.config import Config
from byline.fetch.warc import WarcItem, read_warc
from byline.ingest import fetch_feeds
from byline.news import registry
from byline.news.models import Article

pytestmark = pytest.mark.django_db

CHROME = "Leave a Reply: comments are moderated by the Harbour Gazette team."


def _outlet(loopback: Any, kit: Any, topics: list[tuple[str, str]], hours: int) -> list[str]:
    """Serve pages that end with the same boilerplate line, and a feed listing them."""
    items = []
    for n, (word, topic) in enumerate(topics):
        when = kit.BASE_TIME + timedelta(hours=hours + n)
        path = f"/gazette/{word.lower()}.html"
        url = loopback.url(path)
        title = f"{word} council approves the {topic}"
        paragraphs = [*kit.story_paragraphs(word, topic), CHROME]
        loopback.add(path, kit.article_html(title, paragraphs, when, url))
        items.append((title, url, when))
    loopback.add(
        "/gazette/feed.xml",
        kit.rss_feed("Harbour Gazette", items),
        content_type="application/rss+xml; charset=utf-8",
    )
    return [url for _, url, _ in items]


def test_every_fetched_response_is_archived_in_warc(
    loopback: Any, kit: Any, config: Config
) -> None:
    urls = _outlet(loopback, kit, [("Ardley", "bridge"), ("Bexmoor", "school")], 0)
    feed = registry.add_source("Harbour Gazette", loopback.url("/gazette/feed.xml"))
    fetch_feeds(config, [feed])
    archived = set()
    for path in sorted((config.data_path / "warc").glob("*.warc.gz")):
        archived |= {item.result.url for item in read_warc(path) if isinstance(item, WarcItem)}
    assert set(urls) <= archived  # the HTML pages; the feed is archived too, but not HTML


def test_boilerplate_learnt_from_stored_pages_is_stripped_from_new_ones(
    loopback: Any, kit: Any, config: Config
) -> None:
    first = [("Ardley", "bridge"), ("Bexmoor", "school"), ("Cray", "harbour"), ("Dunn", "park")]
    first_urls = _outlet(loopback, kit, first, 0)
    feed = registry.add_source("Harbour Gazette", loopback.url("/gazette/feed.xml"))
    fetch_feeds(config, [feed])
    stored = Article.objects.filter(url__in=first_urls)
    assert stored.count() == 4
    assert all(CHROME in article.text for article in stored)  # nothing learnt yet

    later = [*first, ("Elmstead", "library"), ("Fenby", "museum")]
    urls = _outlet(loopback, kit, later, 0)
    fetch_feeds(config, [feed])
    new = Article.objects.filter(url__in=urls[4:])
    assert new.count() == 2
    for article in new:
        assert CHROME not in article.text, "the learnt boilerplate line was kept"
        assert "council" in article.text  # the story itself is intact


def test_a_single_url_fetch_is_archived_and_decoded_like_a_feed_page(
    loopback: Any, kit: Any, config: Config
) -> None:
    from byline.adhoc import fetch_urls

    path = "/one/latin.html"
    url = loopback.url(path)
    paragraphs = kit.story_paragraphs("Gérardmer", "bridge")
    html = kit.article_html("Café council approves the bridge", paragraphs, kit.BASE_TIME, url)
    # latin-1 bytes, declared only in the HTTP header
    loopback.add(path, html.encode("latin-1"), content_type="text/html; charset=iso-8859-1")
    report = fetch_urls(config, [url], "One Off")
    assert report.added == [url], report.problems
    article = Article.objects.get(url=url)
    assert "Gérardmer" in article.text  # decoded by the declared charset
    archived = set()
    for path in sorted((config.data_path / "warc").glob("*.warc.gz")):
        archived |= {item.result.url for item in read_warc(path) if isinstance(item, WarcItem)}
    assert url in archived
