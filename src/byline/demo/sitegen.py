"""Render the fictional demo corpus as static websites: home pages, feeds and article pages.

``build_site(out_dir, base_url)`` writes one site per outlet under ``out_dir/{slug}/`` plus a
root directory page, ``robots.txt`` and ``manifest.json`` (the gold labels). The output is
deterministic: the same corpus and base URL always give byte-identical files.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from byline.demo import layouts
from byline.demo import templates as tpl
from byline.demo.corpus import Corpus, DemoArticle, Outlet, load_corpus

SECTION_SLUGS: dict[str, str] = {
    "World News": "world",
    "Business": "business",
    "Science & Technology": "science-technology",
}
# feed format -> (file name, MIME type)
FEED_FILES: dict[str, tuple[str, str]] = {
    "rss2": ("feed.xml", "application/rss+xml"),
    "rss1": ("rss.rdf", "application/rdf+xml"),
    "atom": ("atom.xml", "application/atom+xml"),
    "jsonfeed": ("feed.json", "application/feed+json"),
}
RELATED_COUNT = 4
LATEST_COUNT = 5


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ManifestOutlet:
    slug: str
    name: str
    kind: str
    country: str
    language: str
    home_url: str
    feed_url: str
    feed_format: str


@dataclass(frozen=True)
class ManifestArticle:
    id: str
    event_id: str
    outlet: str
    section: str
    url: str
    relation: str
    origin_id: str
    origin_url: str
    published: datetime
    headline: str = ""


@dataclass
class SiteManifest:
    base_url: str
    outlets: list[ManifestOutlet] = field(default_factory=list)
    articles: list[ManifestArticle] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "notice": tpl.NOTICE,
            "base_url": self.base_url,
            "outlets": [asdict(o) for o in self.outlets],
            "articles": [{**asdict(x), "published": tpl.iso(x.published)} for x in self.articles],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteManifest:
        return cls(
            base_url=data["base_url"],
            outlets=[ManifestOutlet(**o) for o in data["outlets"]],
            articles=[
                ManifestArticle(**{**x, "published": datetime.fromisoformat(x["published"])})
                for x in data["articles"]
            ],
        )

    def article(self, article_id: str) -> ManifestArticle:
        for art in self.articles:
            if art.id == article_id:
                return art
        raise KeyError(article_id)

    def outlet(self, slug: str) -> ManifestOutlet:
        for outlet in self.outlets:
            if outlet.slug == slug:
                return outlet
        raise KeyError(slug)


def load_manifest(path: Path) -> SiteManifest:
    """Read a ``manifest.json`` written by :func:`build_site`."""
    return SiteManifest.from_dict(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- URLs


def section_slug(section: str) -> str:
    if section in SECTION_SLUGS:
        return SECTION_SLUGS[section]
    return re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-") or "news"


def article_path(art: DemoArticle) -> str:
    """Site-relative path, e.g. ``/cpa/world/2026/10/03/dockworkers-strike.html``."""
    d = art.published
    return (
        f"/{art.outlet}/{section_slug(art.section)}/"
        f"{d.year:04d}/{d.month:02d}/{d.day:02d}/{art.slug}.html"
    )


def feed_path(outlet: Outlet) -> str:
    return f"/{outlet.slug}/{FEED_FILES[outlet.feed][0]}"


def home_path(outlet: Outlet) -> str:
    return f"/{outlet.slug}/"


def section_path(outlet: Outlet, section: str) -> str:
    return f"/{outlet.slug}/{section_slug(section)}/"


# --------------------------------------------------------------------------- building


def build_site(out_dir: Path, base_url: str, corpus: Corpus | None = None) -> SiteManifest:
    """Write the demo websites under ``out_dir`` for serving at ``base_url``.

    ``base_url`` is the server root without a trailing slash, e.g. ``http://127.0.0.1:8765``.
    Existing files are overwritten; nothing else in ``out_dir`` is removed.
    """
    corpus = corpus if corpus is not None else load_corpus()
    builder = _Builder(Path(out_dir), base_url.rstrip("/"), corpus)
    return builder.build()


class _Builder:
    def __init__(self, out_dir: Path, base_url: str, corpus: Corpus) -> None:
        self.out = out_dir
        self.base = base_url
        self.corpus = corpus
        self.year = max((a.published.year for a in corpus.articles), default=2026)

    def url(self, path: str) -> str:
        return self.base + path

    def write(self, path: str, text: str) -> None:
        target = self.out / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))

    def build(self) -> SiteManifest:
        self.out.mkdir(parents=True, exist_ok=True)
        manifest = SiteManifest(base_url=self.base)
        entries = []
        for outlet in self.corpus.outlets.values():
            count = self.build_outlet(outlet)
            m_outlet = self.manifest_outlet(outlet)
            manifest.outlets.append(m_outlet)
            entries.append(
                tpl.DirectoryEntry(outlet, m_outlet.home_url, m_outlet.feed_url, outlet.feed, count)
            )
        manifest.articles = [self.manifest_article(a) for a in self.corpus.articles]
        self.write("/", tpl.render_directory(self.base, entries))
        self.write("/robots.txt", "User-agent: *\nAllow: /\n")
        self.write("/manifest.json", manifest.to_json())
        return manifest

    def manifest_outlet(self, outlet: Outlet) -> ManifestOutlet:
        return ManifestOutlet(
            slug=outlet.slug,
            name=outlet.name,
            kind=outlet.kind,
            country=outlet.country,
            language=outlet.language,
            home_url=self.url(home_path(outlet)),
            feed_url=self.url(feed_path(outlet)),
            feed_format=outlet.feed,
        )

    def manifest_article(self, art: DemoArticle) -> ManifestArticle:
        origin_url = self.url(article_path(self.corpus.article(art.origin))) if art.origin else ""
        return ManifestArticle(
            id=art.id,
            event_id=art.event_id,
            outlet=art.outlet,
            section=art.section,
            url=self.url(article_path(art)),
            relation=art.relation,
            origin_id=art.origin,
            origin_url=origin_url,
            published=art.published,
            headline=art.headline,
        )

    def site(self, outlet: Outlet) -> tpl.Site:
        sections = self.corpus.sections() or ["World News"]
        return tpl.Site(
            outlet=outlet,
            home_url=self.url(home_path(outlet)),
            feed_url=self.url(feed_path(outlet)),
            feed_mime=FEED_FILES[outlet.feed][1],
            about_url=self.url(f"/{outlet.slug}/about.html"),
            nav=tuple((s, self.url(section_path(outlet, s))) for s in sections),
            year=self.year,
        )

    def link(self, art: DemoArticle) -> tpl.Link:
        return tpl.Link(
            self.url(article_path(art)), art.headline, art.standfirst, art.published, art.section
        )

    def build_outlet(self, outlet: Outlet) -> int:
        site = self.site(outlet)
        arts = self.corpus.by_outlet(outlet.slug)
        links = tuple(self.link(x) for x in arts)
        self.write(
            home_path(outlet),
            tpl.render_listing(
                tpl.ListingPage(site, site.home_url, f"{outlet.name}: latest news", links),
                outlet.tagline,
            ),
        )
        for name, url in site.nav:
            in_section = tuple(x for x in links if x.section == name)
            self.write(
                section_path(outlet, name),
                tpl.render_listing(
                    tpl.ListingPage(site, url, f"{name} | {outlet.name}", in_section)
                ),
            )
        self.write(f"/{outlet.slug}/about.html", tpl.render_about(site, site.about_url))
        self.write(
            feed_path(outlet),
            render_feed(site, [(x, self.link(x)) for x in arts], full_text=outlet.kind == "wire"),
        )
        for art in arts:
            self.write(
                article_path(art), layouts.render_article(self.article_page(site, art, arts))
            )
        return len(arts)

    def article_page(
        self, site: tpl.Site, art: DemoArticle, arts: list[DemoArticle]
    ) -> tpl.ArticlePage:
        others = [x for x in arts if x.id != art.id]
        same = [x for x in others if x.section == art.section]
        rest = [x for x in others if x.section != art.section]
        related = (same + rest)[:RELATED_COUNT]
        credit = "" if site.outlet.kind == "aggregator" else art.credit
        return tpl.ArticlePage(
            site=site,
            article=art,
            url=self.url(article_path(art)),
            section_url=self.url(section_path(site.outlet, art.section)),
            related=tuple(self.link(x) for x in related),
            latest=tuple(self.link(x) for x in others[:LATEST_COUNT]),
            credit=credit,
            credit_short=self.corpus.credit_short(credit) if credit else "",
            source_url=self.source_url(art),
        )

    def source_url(self, art: DemoArticle) -> str:
        target = art.source_link or art.origin
        return self.url(article_path(self.corpus.article(target))) if target else ""


# --------------------------------------------------------------------------- feeds

FeedItem = tuple[DemoArticle, tpl.Link]


def render_feed(site: tpl.Site, items: list[FeedItem], *, full_text: bool = False) -> str:
    """The outlet's feed in its own format; ``items`` must be newest first."""
    fmt = site.outlet.feed
    if fmt == "rss2":
        return rss2(site, items, full_text=full_text)
    if fmt == "rss1":
        return rss1(site, items)
    if fmt == "atom":
        return atom(site, items)
    if fmt == "jsonfeed":
        return json_feed(site, items)
    raise ValueError(f"unknown feed format {fmt!r}")


def _x(text: str) -> str:
    return escape(text)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _description(site: tpl.Site) -> str:
    return f"{site.outlet.tagline} ({tpl.FOOTER_NOTICE})".strip()


def _newest(items: list[FeedItem]) -> datetime | None:
    return max((art.published for art, _ in items), default=None)


def rss2(site: tpl.Site, items: list[FeedItem], *, full_text: bool = False) -> str:
    outlet = site.outlet
    newest = _newest(items)
    build = (
        f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>\n" if newest else ""
    )
    entries = []
    for art, link in items:
        parts = [
            f"<title>{_x(art.headline)}</title>",
            f"<link>{_x(link.url)}</link>",
            f'<guid isPermaLink="true">{_x(link.url)}</guid>',
            f"<pubDate>{format_datetime(art.published, usegmt=True)}</pubDate>",
        ]
        if art.author:
            parts.append(f"<dc:creator>{_x(art.author)}</dc:creator>")
        parts.append(f"<category>{_x(art.section)}</category>")
        if art.standfirst:
            parts.append(f"<description>{_x(art.standfirst)}</description>")
        if full_text:
            body = "".join(f"<p>{tpl.t(p)}</p>" for p in art.paragraphs)
            parts.append(f"<content:encoded>{_cdata(body)}</content:encoded>")
        entries.append("<item>\n" + "\n".join(parts) + "\n</item>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" \
xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{_x(outlet.name)}</title>
<link>{_x(site.home_url)}</link>
<description>{_x(_description(site))}</description>
<language>{_x(outlet.language)}</language>
{build}<atom:link href={quoteattr(site.feed_url)} rel="self" type="application/rss+xml"/>
{chr(10).join(entries)}
</channel>
</rss>
"""


def rss1(site: tpl.Site, items: list[FeedItem]) -> str:
    outlet = site.outlet
    newest = _newest(items)
    date = f"<dc:date>{tpl.iso(newest)}</dc:date>\n" if newest else ""
    seq = "\n".join(f"<rdf:li rdf:resource={quoteattr(link.url)}/>" for _, link in items)
    entries = []
    for art, link in items:
        parts = [
            f"<title>{_x(art.headline)}</title>",
            f"<link>{_x(link.url)}</link>",
            f"<dc:date>{tpl.iso(art.published)}</dc:date>",
        ]
        if art.standfirst:
            parts.insert(2, f"<description>{_x(art.standfirst)}</description>")
        if art.author:
            parts.append(f"<dc:creator>{_x(art.author)}</dc:creator>")
        parts.append(f"<dc:subject>{_x(art.section)}</dc:subject>")
        entries.append(f"<item rdf:about={quoteattr(link.url)}>\n" + "\n".join(parts) + "\n</item>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" \
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about={quoteattr(site.feed_url)}>
<title>{_x(outlet.name)}</title>
<link>{_x(site.home_url)}</link>
<description>{_x(_description(site))}</description>
<dc:language>{_x(outlet.language)}</dc:language>
{date}<items>
<rdf:Seq>
{seq}
</rdf:Seq>
</items>
</channel>
{chr(10).join(entries)}
</rdf:RDF>
"""


def atom(site: tpl.Site, items: list[FeedItem]) -> str:
    outlet = site.outlet
    newest = _newest(items)
    updated = tpl.iso(newest) if newest else "2026-09-01T00:00:00Z"
    entries = []
    for art, link in items:
        parts = [
            f"<id>{_x(link.url)}</id>",
            f'<title type="text">{_x(art.headline)}</title>',
            f'<link rel="alternate" type="text/html" href={quoteattr(link.url)}/>',
            f"<published>{tpl.iso(art.published)}</published>",
            f"<updated>{tpl.iso(art.published)}</updated>",
        ]
        if art.author:
            parts.append(f"<author><name>{_x(art.author)}</name></author>")
        parts.append(f"<category term={quoteattr(art.section)}/>")
        if art.standfirst:
            parts.append(f'<summary type="text">{_x(art.standfirst)}</summary>')
        entries.append("<entry>\n" + "\n".join(parts) + "\n</entry>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(outlet.language)}>
<id>{_x(site.home_url)}</id>
<title>{_x(outlet.name)}</title>
<subtitle>{_x(_description(site))}</subtitle>
<updated>{updated}</updated>
<link rel="alternate" type="text/html" href={quoteattr(site.home_url)}/>
<link rel="self" type="application/atom+xml" href={quoteattr(site.feed_url)}/>
<author><name>{_x(outlet.name)}</name></author>
{chr(10).join(entries)}
</feed>
"""


def json_feed(site: tpl.Site, items: list[FeedItem]) -> str:
    outlet = site.outlet
    entries = []
    for art, link in items:
        entry: dict[str, Any] = {
            "id": link.url,
            "url": link.url,
            "title": art.headline,
            "summary": art.standfirst,
            "content_text": art.standfirst or art.paragraphs[0],
            "date_published": tpl.iso(art.published),
        }
        if not art.standfirst:
            del entry["summary"]
        if art.author:
            entry["authors"] = [{"name": art.author}]
        entry["tags"] = [art.section]
        entries.append(entry)
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": site.home_url,
        "feed_url": site.feed_url,
        "description": _description(site),
        "language": outlet.language,
        "items": entries,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "FEED_FILES",
    "SECTION_SLUGS",
    "ManifestArticle",
    "ManifestOutlet",
    "SiteManifest",
    "article_path",
    "build_site",
    "feed_path",
    "load_manifest",
    "render_feed",
    "section_slug",
]
