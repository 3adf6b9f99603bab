"""Sitemaps: news, plain and index; gzip; hostile XML; and the source-document sniffer."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest

from byline.errors import FeedError, UnsafeXML
from byline.fetch import sitemaps
from byline.fetch.documents import (
    looks_like_sitemap_url,
    parse_source_document,
    read_source_document,
)
from byline.fetch.sitemaps import parse_sitemap, parse_w3c_date
from byline.records import FetchResult

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://herald.example/world/2025/03/02/harbour-vote</loc>
    <news:news>
      <news:publication>
        <news:name>The Meridian Herald</news:name>
        <news:language>EN</news:language>
      </news:publication>
      <news:publication_date>2025-03-02T10:30:00+01:00</news:publication_date>
      <news:title>Harbour &amp; quay vote &lt;passes&gt;</news:title>
      <news:keywords>harbour, council ,vote</news:keywords>
    </news:news>
  </url>
  <url>
    <loc>https://herald.example/business/2025/03/03/bank-rates</loc>
    <news:news>
      <news:publication><news:name>The Meridian Herald</news:name>
        <news:language>en</news:language></news:publication>
      <news:publication_date>2025-03-03</news:publication_date>
      <news:title>Bank holds rates</news:title>
    </news:news>
  </url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>
"""

PLAIN_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://plain.example/a-first-story</loc><lastmod>2024-11-05</lastmod></url>
  <url><loc>https://plain.example/no-date</loc></url>
  <url><loc>https://plain.example/a-later-story</loc>
       <lastmod>2024-11-06T08:15:30Z</lastmod><changefreq>daily</changefreq></url>
</urlset>
"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://site.example/sitemap-2024-01.xml</loc><lastmod>2024-01-31</lastmod></sitemap>
  <sitemap><loc>https://site.example/sitemap-2024-03.xml.gz</loc><lastmod>2024-03-31</lastmod></sitemap>
  <sitemap><loc>/sitemap-news.xml</loc></sitemap>
</sitemapindex>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&lol3;</loc></url></urlset>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&xxe;</loc></url></urlset>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE urlset SYSTEM "http://169.254.169.254/latest/meta-data/">
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/a</loc></url></urlset>
"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Quay news</title>
<link>https://quay.example/</link><description>d</description>
<item><title>Fish market opens</title><link>https://quay.example/fish</link>
<pubDate>Sun, 02 Mar 2025 09:00:00 GMT</pubDate></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
<link href="https://atom.example/"/><id>urn:x</id><updated>2025-03-02T09:00:00Z</updated>
<entry><title>An atom entry</title><link href="https://atom.example/entry"/>
<id>urn:y</id><updated>2025-03-02T09:00:00Z</updated></entry></feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON news",
        "items": [{"id": "1", "url": "https://json.example/one", "title": "One"}],
    }
).encode()


def test_news_sitemap_gives_titles_utc_dates_and_publication() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://herald.example/news-sitemap.xml")
    assert sitemap.kind == "news-sitemap"
    assert sitemap.publication == "The Meridian Herald"
    assert sitemap.language == "en"
    assert sitemap.skipped == 1  # the javascript: loc
    first = sitemap.urls[0]
    assert first.title == "Harbour & quay vote <passes>"
    assert first.published == datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    assert first.keywords == ("harbour", "council", "vote")

    parsed = parse_source_document(NEWS_SITEMAP, "https://herald.example/news-sitemap.xml")
    assert parsed.format == "news-sitemap"
    assert parsed.title == "The Meridian Herald"
    assert parsed.link == "https://herald.example/"
    assert parsed.children == ()
    # newest first; every date in UTC
    assert [e.url for e in parsed.entries] == [
        "https://herald.example/business/2025/03/03/bank-rates",
        "https://herald.example/world/2025/03/02/harbour-vote",
    ]
    assert parsed.entries[0].published == datetime(2025, 3, 3, tzinfo=UTC)
    assert all(e.published and e.published.tzinfo == UTC for e in parsed.entries)
    assert parsed.entries[1].title == "Harbour & quay vote <passes>"
    assert "skipped" in parsed.warning


def test_plain_sitemap_uses_lastmod() -> None:
    parsed = parse_source_document(PLAIN_SITEMAP, "https://plain.example/sitemap.xml")
    assert parsed.format == "sitemap"
    assert [(e.url, e.published, e.title) for e in parsed.entries] == [
        ("https://plain.example/a-later-story", datetime(2024, 11, 6, 8, 15, 30, tzinfo=UTC), ""),
        ("https://plain.example/a-first-story", datetime(2024, 11, 5, tzinfo=UTC), ""),
        ("https://plain.example/no-date", None, ""),
    ]


def test_plain_sitemap_keeps_the_newest_when_huge() -> None:
    rows = "".join(
        f"<url><loc>https://big.example/p{n}</loc><lastmod>2024-01-{1 + n % 28:02d}</lastmod></url>"
        for n in range(60)
    )
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
    parsed = sitemaps.parse_sitemap(body.encode()).to_parsed_feed("https://big.example/", 10)
    assert len(parsed.entries) == 10
    # days 1-28 repeat, so each of the five latest days is listed twice
    assert [e.published.day for e in parsed.entries if e.published] == [
        28,
        28,
        27,
        27,
        26,
        26,
        25,
        25,
        24,
        24,
    ]
    assert "newest 10 kept" in parsed.warning


def test_sitemap_index_gives_children_newest_first() -> None:
    parsed = parse_source_document(INDEX, "https://site.example/sitemap_index.xml")
    assert parsed.format == "sitemap-index"
    assert parsed.entries == ()
    assert parsed.children == (
        "https://site.example/sitemap-2024-03.xml.gz",
        "https://site.example/sitemap-2024-01.xml",
        "https://site.example/sitemap-news.xml",  # relative loc resolved; undated last
    )


def test_gzipped_sitemap_is_inflated() -> None:
    parsed = parse_source_document(gzip.compress(NEWS_SITEMAP), "https://h.example/s.xml.gz")
    assert parsed.format == "news-sitemap"
    assert len(parsed.entries) == 2


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 2_000_000)
    with pytest.raises(FeedError, match="inflates to more than 1000 bytes"):
        sitemaps.gunzip(bomb, "https://h.example/bomb.xml.gz", cap=1000)
    with pytest.raises(FeedError, match="broken gzip"):
        parse_source_document(b"\x1f\x8b" + b"not gzip at all", "https://h.example/x.gz")


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, EXTERNAL_DTD])
def test_hostile_xml_is_refused_never_expanded(payload: bytes) -> None:
    with pytest.raises(UnsafeXML, match="refused") as caught:
        parse_sitemap(payload, "https://x.example/sitemap.xml")
    assert "lol" not in str(caught.value)
    assert "root:" not in str(caught.value)
    with pytest.raises(UnsafeXML, match="refused"):
        parse_source_document(payload, "https://x.example/sitemap.xml")
    with pytest.raises(UnsafeXML, match="refused"):
        parse_source_document(gzip.compress(payload), "https://x.example/sitemap.xml.gz")


def test_entity_declarations_in_a_feed_are_refused_too() -> None:
    feed = RSS.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss')
    with pytest.raises(UnsafeXML, match="entity declarations are not allowed"):
        parse_source_document(feed, "https://quay.example/feed.xml")
    utf16 = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(UnsafeXML, match="refused"):
        parse_source_document(utf16.encode("utf-16"), "https://x.example/s.xml")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\x01\x02 binary",
        b"<urlset><url><loc>https://x.example/a</loc></url>",  # cut short
        b"just some text",
        b'{"not": "a feed"}',
    ],
)
def test_garbage_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_source_document(body, "https://x.example/thing")


def test_sitemap_parser_refuses_other_xml() -> None:
    with pytest.raises(FeedError, match="not a sitemap"):
        parse_sitemap(RSS, "https://quay.example/feed.xml")
    with pytest.raises(FeedError, match="malformed XML"):
        parse_sitemap(b"<urlset><url>", "https://x.example/s.xml")


@pytest.mark.parametrize(
    ("body", "fmt", "title", "url"),
    [
        (RSS, "rss20", "Quay news", "https://quay.example/fish"),
        (ATOM, "atom10", "Atom news", "https://atom.example/entry"),
        (JSON_FEED, "json1.1", "JSON news", "https://json.example/one"),
    ],
)
def test_feeds_go_to_parse_feed(body: bytes, fmt: str, title: str, url: str) -> None:
    parsed = parse_source_document(body, "https://feeds.example/feed", "application/xml")
    assert (parsed.format, parsed.title) == (fmt, title)
    assert [e.url for e in parsed.entries] == [url]
    assert parsed.children == ()


def test_html_page_is_an_error_unless_kind_is_page() -> None:
    page = b"""<!DOCTYPE html><html><head><title>Home</title></head><body>
    <a href="/world/2025/03/02/harbour-vote-passes">Harbour vote passes</a>
    <a href="/about">About us</a>
    <a href="https://elsewhere.example/2025/03/02/other-site-story">Elsewhere</a>
    </body></html>"""
    with pytest.raises(FeedError, match="sources discover"):
        parse_source_document(page, "https://herald.example/")
    parsed = parse_source_document(page, "https://herald.example/", "text/html", kind="page")
    assert parsed.format == "html-page"
    assert [(e.url, e.title) for e in parsed.entries] == [
        ("https://herald.example/world/2025/03/02/harbour-vote-passes", "Harbour vote passes")
    ]


def test_read_source_document_follows_an_index() -> None:
    child_news = NEWS_SITEMAP
    child_plain = gzip.compress(PLAIN_SITEMAP)
    served = {
        "https://site.example/sitemap-2024-03.xml.gz": child_plain,
        "https://site.example/sitemap-2024-01.xml": child_news,
    }
    asked: list[str] = []

    def fetch(url: str) -> FetchResult:
        from byline.errors import HTTPStatusError

        asked.append(url)
        if url not in served:
            raise HTTPStatusError(url, 404)
        return FetchResult(url, url, 200, {}, served[url], datetime.now(UTC))

    index = FetchResult(
        "https://site.example/sitemap_index.xml",
        "https://site.example/sitemap_index.xml",
        200,
        {"content-type": "application/xml"},
        INDEX,
        datetime.now(UTC),
    )
    parsed = read_source_document(index, "sitemap", fetch)
    assert asked == [
        "https://site.example/sitemap-2024-03.xml.gz",
        "https://site.example/sitemap-2024-01.xml",
        "https://site.example/sitemap-news.xml",
    ]
    assert parsed.children == ()
    assert parsed.title == "The Meridian Herald"  # the index has none; its first child does
    assert len(parsed.entries) == 5
    assert parsed.entries[0].url == "https://herald.example/business/2025/03/03/bank-rates"
    assert "1 child sitemaps failed" in parsed.warning and "HTTP 404" in parsed.warning

    only = read_source_document(index, "sitemap", fetch, max_children=1)
    assert len(only.entries) == 3 and "the newest 1 read" in only.warning

    def always_fails(url: str) -> FetchResult:
        from byline.errors import FetchError

        raise FetchError(url, "timed out")

    with pytest.raises(FeedError, match="no child sitemap could be read"):
        read_source_document(index, "sitemap", always_fails)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-03", datetime(2025, 3, 1, tzinfo=UTC)),
        ("2025-03-02", datetime(2025, 3, 2, tzinfo=UTC)),
        ("2025-03-02T10:30+01:00", datetime(2025, 3, 2, 9, 30, tzinfo=UTC)),
        ("2025-03-02T10:30:15.25Z", datetime(2025, 3, 2, 10, 30, 15, 250000, tzinfo=UTC)),
        ("2025-03-02T10:30:00", datetime(2025, 3, 2, 10, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        ("2025-13-40", None),
    ],
)
def test_w3c_dates(value: str, expected: datetime | None) -> None:
    assert parse_w3c_date(value) == expected


def test_sitemap_url_guess() -> None:
    assert looks_like_sitemap_url("https://x.example/news-sitemap.xml")
    assert looks_like_sitemap_url("https://x.example/sitemaps/2024.xml.gz")
    assert not looks_like_sitemap_url("https://x.example/feed.xml")
