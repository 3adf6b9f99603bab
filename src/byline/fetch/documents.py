"""What a source URL served, whatever it is (pure): sniff the document and parse it.

``parse_source_document`` tells a sitemap (news, plain or index) from a feed (RSS, Atom, JSON
Feed) from an HTML page by its bytes, not by its content type (servers mislabel both), and
dispatches: feeds to ``byline.fetch.feeds.parse_feed``, sitemaps to
``byline.fetch.sitemaps``, HTML pages to ``byline.fetch.discover.article_links`` when the
feed's kind is ``page`` (otherwise an HTML page is a clear ``FeedError``). Any XML document
that declares entities is refused before a parser expands anything.

``read_source_document`` does the same for a fetched response and then follows a sitemap
index's children through a fetch function it is given (this module opens no sockets).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from byline.errors import FeedError, FetchError, UnsafeXML
from byline.fetch import safexml, sitemaps
from byline.fetch.discover import article_links
from byline.fetch.feeds import parse_feed
from byline.records import FeedEntry, FetchResult, ParsedFeed

log = logging.getLogger(__name__)

KINDS = ("feed", "sitemap", "page")
MAX_CHILDREN = 20  # child sitemaps followed per index, newest first
MAX_DEPTH = 2  # an index of indexes is against the protocol, but found in the wild
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_SITEMAP_ROOT = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)\b")


def looks_like_sitemap_url(url: str) -> bool:
    """A guess from the URL alone (``sources add`` uses it when no --type is given)."""
    last = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].lower()
    return "sitemap" in last or last.endswith(".xml.gz")


def parse_source_document(
    body: bytes, url: str = "", content_type: str = "", kind: str = ""
) -> ParsedFeed:
    """Parse a feed, a sitemap, or (for ``kind="page"``) an HTML page's article links.

    A sitemap index comes back with no entries and its child sitemaps in ``children``."""
    if sitemaps.is_gzip(body):
        body = sitemaps.gunzip(body, url)
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return parse_feed(head, url, content_type)
    if _HTML_START.match(head[:4096]):
        return _html(body, url, kind)
    if safexml.declares_entities(body):
        raise UnsafeXML(f"{url or 'document'}: refused: entity declarations are not allowed")
    try:
        root = safexml.parse(body, strict=False)
    except safexml.XMLRefused as exc:
        raise UnsafeXML(f"{url or 'document'}: refused: {exc}") from None
    except safexml.XMLBroken:
        if _SITEMAP_ROOT.search(head[:4096]):
            sitemaps.parse_xml(body, url)  # raises the sitemap parser's own clear error
        return parse_feed(body, url, content_type)  # feedparser copes with sloppy feeds
    name = safexml.local(root.tag)
    if name in sitemaps.SITEMAP_ROOTS:
        try:
            safexml.refuse_doctype(root)  # a sitemap never needs one
        except safexml.XMLRefused as exc:
            raise UnsafeXML(f"{url or 'sitemap'}: refused: {exc}") from None
        return sitemaps.sitemap_from_root(root, url).to_parsed_feed(url)
    if name == "html":
        return _html(body, url, kind)
    return parse_feed(body, url, content_type)


def _html(body: bytes, url: str, kind: str) -> ParsedFeed:
    if kind != "page":
        raise FeedError(
            f"{url or 'document'}: an HTML page, not a feed or sitemap "
            f"(find its feeds with `byline sources discover {url or 'URL'}`)"
        )
    entries = article_links(body, url)
    if not entries:
        raise FeedError(f"{url or 'page'}: no links that look like articles")
    return ParsedFeed(title="", link=url, entries=entries, format="html-page")


def read_source_document(
    result: FetchResult,
    kind: str = "",
    fetch: Callable[[str], FetchResult] | None = None,
    max_children: int = MAX_CHILDREN,
) -> ParsedFeed:
    """Parse a fetched feed/sitemap/page; follow a sitemap index's children with ``fetch``
    (newest first, at most ``max_children``), merging their entries. A child that fails is
    named in the warning; only an index whose every child fails raises ``FeedError``."""
    url = result.final_url or result.url
    parsed = parse_source_document(result.body, url, result.content_type, kind)
    if not parsed.children or fetch is None:
        return parsed
    return _follow(parsed, url, fetch, max_children, depth=1)


def _follow(
    index: ParsedFeed,
    url: str,
    fetch: Callable[[str], FetchResult],
    max_children: int,
    depth: int,
) -> ParsedFeed:
    entries: dict[str, FeedEntry] = {}
    problems: list[str] = []
    titles: list[str] = []
    ok = 0
    for child_url in index.children[:max_children]:
        try:
            child = read_source_document(fetch(child_url), "sitemap")
            if child.children and depth < MAX_DEPTH:
                child = _follow(child, child_url, fetch, max_children, depth + 1)
        except (FetchError, FeedError) as exc:
            log.info("sitemap child failed url=%s reason=%s", child_url, exc)
            problems.append(str(exc))
            continue
        ok += 1
        titles.append(child.title)
        for entry in child.entries:
            entries.setdefault(entry.url, entry)
    if not ok and problems:
        raise FeedError(f"{url}: no child sitemap could be read ({problems[0]})")
    notes = [index.warning] if index.warning else []
    if len(index.children) > max_children:
        notes.append(f"{len(index.children)} child sitemaps; the newest {max_children} read")
    if problems:
        notes.append(f"{len(problems)} child sitemaps failed: {problems[0]}")
    floor = datetime.min.replace(tzinfo=UTC)
    merged = sorted(entries.values(), key=lambda e: e.published or floor, reverse=True)
    if len(merged) > sitemaps.MAX_ENTRIES:
        notes.append(f"{len(merged)} URLs listed; the newest {sitemaps.MAX_ENTRIES} kept")
    return replace(
        index,
        title=index.title or next((t for t in titles if t), ""),
        entries=tuple(merged[: sitemaps.MAX_ENTRIES]),
        warning="; ".join(notes),
        children=(),
    )
