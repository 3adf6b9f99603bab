"""Feed discovery from a home page, and article links of a section page."""

from __future__ import annotations

from byline.fetch.discover import (
    FoundFeed,
    article_links,
    discover_feeds,
    looks_like_article,
    suggestions,
)

HOME = """<!DOCTYPE html>
<html><head>
<title>The Meridian Herald</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Herald &amp; friends: all news"
      href="/feeds/all.rss">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://cdn.herald.example/atom.xml">
<link rel="alternate" type="application/feed+json" title="JSON" href="feed.json">
<link rel="alternate" type="application/json" href="//api.herald.example/feed.json">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="text/html" href="/mobile/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="/feeds/all.rss#dup">
<link rel="alternate feed" type="application/rss+xml" title=" Comments " href="/comments/feed">
</head><body><p>Welcome</p></body></html>
"""


def test_link_alternates_are_found_and_resolved() -> None:
    feeds = discover_feeds(HOME, "https://herald.example/news/index.html")
    assert feeds == [
        FoundFeed("https://herald.example/feeds/all.rss", "Herald & friends: all news", "rss"),
        FoundFeed("https://cdn.herald.example/atom.xml", "", "atom"),
        FoundFeed("https://herald.example/news/feed.json", "JSON", "json"),
        FoundFeed("https://api.herald.example/feed.json", "", "json"),
        FoundFeed("https://herald.example/comments/feed", "Comments", "rss"),
    ]


def test_base_href_and_bytes_input() -> None:
    page = (
        b'<html><head><base href="https://static.example/site/">'
        b'<link rel="alternate" type="application/rss+xml" href="rss.xml"></head></html>'
    )
    assert [f.url for f in discover_feeds(page, "https://www.example/")] == [
        "https://static.example/site/rss.xml"
    ]


def test_nothing_to_find() -> None:
    assert discover_feeds("", "https://x.example/") == []
    assert discover_feeds(b"\x00\x01\x02", "https://x.example/") == []
    assert discover_feeds("<html><body>No feeds</body></html>", "https://x.example/") == []


def test_suggestions_are_on_the_pages_site_and_not_fetched() -> None:
    found = suggestions("https://herald.example/section/world?x=1")
    assert found[0] == "https://herald.example/feed"
    assert "https://herald.example/sitemap.xml" in found
    assert all(url.startswith("https://herald.example/") for url in found)


def test_article_links_keep_same_site_article_shaped_links() -> None:
    page = """<html><body>
    <a href="/">Home</a> <a href="/world/">World</a> <a href="/tag/harbour">harbour</a>
    <a href="/world/2025/03/02/harbour-vote">Vote</a>
    <a href="https://www.herald.example/world/2025/03/02/harbour-vote">
        Harbour vote passes after long dispute</a>
    <a href="/business/bank-holds-rates-again.html">Bank holds rates</a>
    <a href="/story/12345678">Numbered story</a>
    <a href="/images/big-harbour-photo-today.jpg">photo</a>
    <a href="https://other.example/world/2025/03/02/copy-of-vote">copy</a>
    <a href="mailto:desk@herald.example">mail</a>
    </body></html>"""
    entries = article_links(page, "https://herald.example/")
    assert [(e.url, e.title) for e in entries] == [
        ("https://herald.example/world/2025/03/02/harbour-vote", "Vote"),
        (
            "https://www.herald.example/world/2025/03/02/harbour-vote",
            "Harbour vote passes after long dispute",
        ),
        ("https://herald.example/business/bank-holds-rates-again.html", "Bank holds rates"),
        ("https://herald.example/story/12345678", "Numbered story"),
    ]
    assert len(article_links(page, "https://herald.example/", limit=2)) == 2


def test_article_shapes() -> None:
    assert looks_like_article("https://x.example/2025/03/02/vote")
    assert looks_like_article("https://x.example/news/a-long-article-slug")
    assert not looks_like_article("https://x.example/world/")
    assert not looks_like_article("https://x.example/author/jane-q-public")
    assert not looks_like_article("https://x.example/feed.xml")
