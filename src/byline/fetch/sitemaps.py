"""Sitemap parsing (pure): news sitemaps, plain sitemaps and sitemap indexes.

* ``urlset`` with Google's News extension (``news:news``): each URL with its headline
  (``news:title``), publication date (``news:publication_date``), publication name and
  language, and ``news:keywords`` as categories;
* plain ``urlset``: each ``loc`` with its ``lastmod``;
* ``sitemapindex``: the child sitemaps to fetch next, newest first.

Gzip'd sitemaps (``.xml.gz``) are inflated here, with a cap on the inflated size. The XML is
parsed by ``byline.fetch.safexml``: entity declarations and DOCTYPEs are refused with
``UnsafeXML`` (a ``FeedError``), never expanded. Dates come out in UTC; a date without a
zone is taken as UTC.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from byline.errors import FeedError, UnsafeXML
from byline.fetch import safexml
from byline.records import FeedEntry, ParsedFeed

MAX_INFLATED = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
MAX_ENTRIES = 1000  # newest kept; a plain sitemap of a whole site can list 50,000 URLs
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_W3C_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class SitemapURL:
    """One ``<url>`` (or, in an index, one ``<sitemap>``) as the sitemap describes it."""

    loc: str
    lastmod: datetime | None = None
    title: str = ""
    published: datetime | None = None
    publication: str = ""
    language: str = ""
    keywords: tuple[str, ...] = ()

    def entry(self) -> FeedEntry:
        return FeedEntry(
            url=self.loc,
            title=self.title,
            published=self.published or self.lastmod,
            categories=self.keywords,
            guid=self.loc,
        )


@dataclass(frozen=True)
class Sitemap:
    kind: str  # "news-sitemap", "sitemap" or "sitemap-index"
    urls: tuple[SitemapURL, ...]
    skipped: int = 0  # <url> elements without a usable http(s) loc

    @property
    def publication(self) -> str:
        return next((u.publication for u in self.urls if u.publication), "")

    @property
    def language(self) -> str:
        return next((u.language for u in self.urls if u.language), "")

    def to_parsed_feed(self, url: str = "", limit: int = MAX_ENTRIES) -> ParsedFeed:
        """The sitemap as a ``ParsedFeed``: entries (newest first, at most ``limit``) for a
        urlset, ``children`` (newest first) for an index."""
        ordered = _newest_first(self.urls)
        warnings = []
        if self.skipped:
            warnings.append(f"{self.skipped} entries without a usable http(s) <loc> skipped")
        site = urlsplit(url)
        link = f"{site.scheme}://{site.netloc}/" if site.scheme and site.netloc else ""
        if self.kind == "sitemap-index":
            return ParsedFeed(
                title=self.publication,
                link=link,
                entries=(),
                format=self.kind,
                warning="; ".join(warnings),
                children=tuple(u.loc for u in ordered),
            )
        if len(ordered) > limit:
            warnings.append(f"{len(ordered)} URLs listed; the newest {limit} kept")
        return ParsedFeed(
            title=self.publication,
            link=link,
            entries=tuple(u.entry() for u in ordered[:limit]),
            format=self.kind,
            warning="; ".join(warnings),
        )


def _newest_first(urls: tuple[SitemapURL, ...]) -> list[SitemapURL]:
    """Dated URLs newest first, then undated ones in document order (a stable sort)."""
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(urls, key=lambda u: u.published or u.lastmod or floor, reverse=True)


# ── bytes → XML ───────────────────────────────────────────────────────────────────────────


def is_gzip(body: bytes) -> bool:
    return body[:2] == b"\x1f\x8b"


def gunzip(body: bytes, url: str = "", cap: int = MAX_INFLATED) -> bytes:
    """Inflate a gzip body, stopping at ``cap`` bytes (a small bomb cannot fill memory)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, cap + 1)
    except zlib.error as exc:
        raise FeedError(f"{url or 'sitemap'}: broken gzip data ({exc})") from None
    if len(data) > cap or inflater.unconsumed_tail:
        raise FeedError(f"{url or 'sitemap'}: inflates to more than {cap} bytes")
    return data


def parse_xml(body: bytes, url: str = "") -> etree._Element:
    """Safely parse (gunzipping first when needed) and return the root, or raise FeedError."""
    if is_gzip(body):
        body = gunzip(body, url)
    try:
        return safexml.parse(body, strict=True)
    except safexml.XMLRefused as exc:
        raise UnsafeXML(f"{url or 'sitemap'}: refused: {exc}") from None
    except safexml.XMLBroken as exc:
        raise FeedError(f"{url or 'sitemap'}: malformed XML ({exc})") from None


# ── XML → records ─────────────────────────────────────────────────────────────────────────


def parse_sitemap(body: bytes, url: str = "") -> Sitemap:
    """Parse a sitemap, news sitemap or sitemap index. Raises ``FeedError`` otherwise."""
    return sitemap_from_root(parse_xml(body, url), url)


def sitemap_from_root(root: etree._Element, url: str = "") -> Sitemap:
    name = safexml.local(root.tag)
    if name not in SITEMAP_ROOTS:
        raise FeedError(f"{url or 'document'}: not a sitemap (root element <{name}>)")
    child = "sitemap" if name == "sitemapindex" else "url"
    found: list[SitemapURL] = []
    skipped = 0
    for element in root:
        if safexml.local(element.tag) != child:
            continue
        item = _url(element, url)
        if item is None:
            skipped += 1
        else:
            found.append(item)
    if name == "sitemapindex":
        kind = "sitemap-index"
    else:
        kind = "news-sitemap" if any(u.publication or u.title for u in found) else "sitemap"
    return Sitemap(kind=kind, urls=tuple(found), skipped=skipped)


def _children(element: etree._Element) -> dict[str, etree._Element]:
    """The first child element of each local name."""
    out: dict[str, etree._Element] = {}
    for child in element:
        out.setdefault(safexml.local(child.tag), child)
    return out


def _url(element: etree._Element, base: str) -> SitemapURL | None:
    parts = _children(element)
    loc = _http_url(safexml.text_of(parts.get("loc")), base)
    if not loc:
        return None
    lastmod = parse_w3c_date(safexml.text_of(parts.get("lastmod")))
    news = parts.get("news")
    if news is None:
        return SitemapURL(loc=loc, lastmod=lastmod)
    fields = _children(news)
    publication = _children(fields["publication"]) if "publication" in fields else {}
    keywords = safexml.text_of(fields.get("keywords"))
    return SitemapURL(
        loc=loc,
        lastmod=lastmod,
        title=safexml.text_of(fields.get("title")),
        published=parse_w3c_date(safexml.text_of(fields.get("publication_date"))),
        publication=safexml.text_of(publication.get("name")),
        language=safexml.text_of(publication.get("language")).lower(),
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
    )


def _http_url(value: str, base: str) -> str:
    """An absolute http(s) URL, or "" (javascript:, file: and the like are dropped)."""
    if not value:
        return ""
    try:
        absolute = urljoin(base, value) if base else value
        parts = urlsplit(absolute)
    except ValueError:  # "http://[::1" and the like: urllib refuses to split it
        return ""
    return absolute if parts.scheme in {"http", "https"} and parts.netloc else ""


def parse_w3c_date(value: str) -> datetime | None:
    """A W3C datetime (YYYY, YYYY-MM, YYYY-MM-DD or a full timestamp) in UTC, or None."""
    value = value.strip()
    if not value:
        return None
    short = _W3C_DATE.match(value)
    try:
        if short:
            year, month, day = (int(g) if g else 1 for g in short.groups())
            return datetime(year, month, day, tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # not W3C, or out of range once in UTC (9999, 0001)
        return None
