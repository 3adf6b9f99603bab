"""Feed discovery and article links from a site's HTML (pure).

``discover_feeds`` reads ``<link rel="alternate" type="application/rss+xml|atom+xml|
feed+json|json">`` from a home page, resolving each ``href`` against the page URL (or its
``<base href>``). ``suggestions`` names the common feed and sitemap paths to try by hand when
a page links none; nothing here fetches them. ``article_links`` lists the same-site links of
a home or section page that look like articles, for sites with neither feed nor sitemap
(a feed of kind ``page``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from byline.records import FeedEntry

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
}
COMMON_PATHS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
    "/sitemap.xml",
    "/sitemap_index.xml",
)
_NOT_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "topic",
        "topics",
        "author",
        "authors",
        "about",
        "contact",
        "login",
        "signin",
        "register",
        "search",
        "page",
        "subscribe",
        "newsletter",
        "privacy",
        "terms",
        "feed",
        "rss",
        "cdn-cgi",
        "wp-admin",
        "wp-login.php",
    }
)
_NOT_ARTICLE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".pdf",
    ".xml",
    ".json",
    ".css",
    ".js",
    ".zip",
    ".mp3",
    ".mp4",
)
_DATE_IN_PATH = re.compile(r"/(19|20)\d{2}/[01]?\d/|/(19|20)\d{2}-[01]\d-[0-3]\d")
_LONG_ID = re.compile(r"\d{6,}")


@dataclass(frozen=True)
class FoundFeed:
    url: str
    title: str
    format: str  # rss, atom or json


def _document(html: bytes | str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _base(doc: etree._Element, page_url: str) -> str:
    for href in doc.xpath("//base/@href"):
        return urljoin(page_url, str(href).strip())
    return page_url


def _absolute(href: str, base: str) -> str:
    url = urldefrag(urljoin(base, href.strip()))[0]
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.netloc else ""


def discover_feeds(html: bytes | str, page_url: str) -> list[FoundFeed]:
    """The feeds a page advertises with ``<link rel="alternate">``, in page order."""
    doc = _document(html)
    if doc is None:
        return []
    base = _base(doc, page_url)
    found: dict[str, FoundFeed] = {}
    for link in doc.iter("link"):
        rels = str(link.get("rel", "")).lower().split()
        kind = FEED_TYPES.get(str(link.get("type", "")).split(";")[0].strip().lower())
        href = str(link.get("href", "")).strip()
        if "alternate" not in rels or kind is None or not href:
            continue
        url = _absolute(href, base)
        if url and url not in found:
            found[url] = FoundFeed(url, " ".join(str(link.get("title", "")).split()), kind)
    return list(found.values())


def suggestions(page_url: str) -> list[str]:
    """Common feed and sitemap locations on the page's site: to try, never fetched here."""
    parts = urlsplit(page_url)
    root = f"{parts.scheme}://{parts.netloc}"
    return [root + path for path in COMMON_PATHS]


def _host(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def looks_like_article(url: str) -> bool:
    """A path shaped like an article's: a date, a long numeric id, or a long slug."""
    path = urlsplit(url).path
    lowered = path.lower()
    segments = [s for s in lowered.split("/") if s]
    if not segments or lowered.endswith(_NOT_ARTICLE_SUFFIXES):
        return False
    if any(s in _NOT_ARTICLE_SEGMENTS for s in segments):
        return False
    if _DATE_IN_PATH.search(lowered) or _LONG_ID.search(segments[-1]):
        return True
    slug = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1])
    return len(re.split(r"[-_]+", slug)) >= 3


def article_links(html: bytes | str, page_url: str, limit: int = 200) -> tuple[FeedEntry, ...]:
    """Same-site links of a home or section page that look like articles, in page order,
    each titled with its (longest) link text."""
    doc = _document(html)
    if doc is None:
        return ()
    base, host = _base(doc, page_url), _host(page_url)
    titles: dict[str, str] = {}
    for anchor in doc.iter("a"):
        url = _absolute(str(anchor.get("href", "")), base)
        if not url or _host(url) != host or url == page_url or not looks_like_article(url):
            continue
        text = " ".join(anchor.text_content().split())
        if url not in titles and len(titles) >= limit:
            continue
        if len(text) > len(titles.get(url, "")):
            titles[url] = text
        else:
            titles.setdefault(url, "")
    return tuple(FeedEntry(url=url, title=title, guid=url) for url, title in titles.items())
