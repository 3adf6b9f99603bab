"""Fuzzing the sitemap parser (``byline.fetch.sitemaps``) and OPML import and export
(``byline.fetch.opml``).

Sitemaps: a ``Sitemap`` or ``FeedError`` (``UnsafeXML`` is one). Every URL kept is an absolute
http(s) URL with a host (the rest are counted in ``skipped``); dates are aware, in UTC; the
``ParsedFeed`` view is newest first and capped. A gzip'd sitemap reads as the plain one.

OPML: an ``OpmlDocument`` or ``InputError``. Every outline is an http(s) URL with a host,
listed once, with a known section, feed type and source kind. Export, then import, gives back
the same feeds, whatever their names hold."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.strategies import (
    FUZZ,
    dates,
    encoded,
    field,
    good_urls,
    hostile_text,
    mutated,
    outcome,
    urls,
)

from byline.errors import FeedError, InputError
from byline.fetch.opml import FEED_TYPES, SOURCE_KINDS, Outline, export_opml, parse_opml
from byline.fetch.sitemaps import MAX_ENTRIES, Sitemap, parse_sitemap
from byline.judge.sections import BY_SLUG

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
text_values = hostile_text()

# ── sitemaps ──────────────────────────────────────────────────────────────────────────────


@st.composite
def sitemap_url(draw: st.DrawFn, child: str) -> str:
    parts = [
        f"<loc>{draw(field(urls))}</loc>",
        f"<lastmod>{draw(field(dates))}</lastmod>",
        "<news:news><news:publication>"
        f"<news:name>{draw(field(text_values))}</news:name>"
        f"<news:language>{draw(field(text_values))}</news:language></news:publication>"
        f"<news:publication_date>{draw(field(dates))}</news:publication_date>"
        f"<news:title>{draw(field(text_values))}</news:title>"
        f"<news:keywords>{draw(field(text_values))}</news:keywords></news:news>",
        f"<{child}><loc>{draw(field(urls))}</loc></{child}>",  # nested where it is not
        f"<news:news>{draw(field(text_values))}</news:news>",
    ]
    return (
        f"<{child}>" + "".join(draw(st.lists(st.sampled_from(parts), max_size=5))) + f"</{child}>"
    )


@st.composite
def sitemap_document(draw: st.DrawFn) -> bytes:
    root = draw(st.sampled_from(["urlset", "urlset", "sitemapindex", "rss", "news:urlset"]))
    child = "sitemap" if root == "sitemapindex" else "url"
    entries = "".join(draw(st.lists(sitemap_url(child), max_size=6)))
    xml = f'<{root} xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">{entries}</{root}>'
    if draw(st.integers(0, 9)) == 0:
        xml = draw(st.sampled_from(['<!DOCTYPE urlset SYSTEM "http://x/">', "<!-- c -->"])) + xml
    data = draw(encoded(xml))
    return gzip.compress(data) if draw(st.integers(0, 5)) == 0 else data


def check_sitemap(sitemap: Sitemap) -> None:
    assert sitemap.kind in {"news-sitemap", "sitemap", "sitemap-index"}
    assert sitemap.skipped >= 0
    for item in sitemap.urls:
        parts = urlsplit(item.loc)
        assert parts.scheme in {"http", "https"} and parts.netloc, item.loc
        for when in (item.lastmod, item.published):
            assert when is None or when.tzinfo == UTC
        assert all(k and k == k.strip() for k in item.keywords)
    parsed = sitemap.to_parsed_feed("https://example.com/sitemap.xml")
    assert len(parsed.entries) <= MAX_ENTRIES
    floor = datetime.min.replace(tzinfo=UTC)
    order = [e.published or floor for e in parsed.entries]
    assert order == sorted(order, reverse=True)
    if sitemap.kind == "sitemap-index":
        assert parsed.children == tuple(u.loc for u in sitemap.urls) or sorted(
            parsed.children
        ) == sorted(u.loc for u in sitemap.urls)


@FUZZ
@given(body=st.one_of(mutated(sitemap_document()), st.binary(max_size=2000)), base=urls)
def test_parse_sitemap_returns_a_sitemap_or_raises_feed_error(body: bytes, base: str) -> None:
    sitemap = outcome(lambda: parse_sitemap(body, base), (FeedError,))
    if sitemap is not None:
        check_sitemap(sitemap)


@FUZZ
@given(
    locs=st.lists(st.one_of(good_urls, urls), max_size=8),
    lastmods=st.lists(dates, min_size=8, max_size=8),
    index=st.booleans(),
)
def test_sitemap_keeps_every_http_loc_and_gzip_changes_nothing(
    locs: list[str], lastmods: list[str], index: bool
) -> None:
    """A well-formed sitemap: the locs kept are exactly the absolute http(s) ones, in document
    order, the others counted as skipped; gzip'd, the same."""
    child = "sitemap" if index else "url"
    root = "sitemapindex" if index else "urlset"
    clean = [
        loc
        for loc in locs
        if not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff" for c in loc)
    ]
    body = "".join(
        f"<{child}><loc>{_escape(loc)}</loc><lastmod>{_escape(_xml_safe(m))}</lastmod></{child}>"
        for loc, m in zip(clean, lastmods, strict=False)
    )
    xml = f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{SITEMAP_NS}">{body}</{root}>'
    data = xml.encode()
    sitemap = parse_sitemap(data)
    check_sitemap(sitemap)
    expected = [" ".join(loc.split()) for loc in clean]
    kept = [loc for loc in expected if _http(loc)]
    assert [u.loc for u in sitemap.urls] == kept
    assert sitemap.skipped == len(clean) - len(kept)
    assert parse_sitemap(gzip.compress(data)) == sitemap


def _http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": not a URL
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_safe(text: str) -> str:
    return "".join(
        c
        for c in text
        if ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff"
    )


# ── OPML ──────────────────────────────────────────────────────────────────────────────────

attribute_names = st.sampled_from(
    ["text", "title", "xmlUrl", "xmlurl", "XMLURL", "htmlUrl", "url", "type", "category",
     "byline:type", "byline:kind", "byline:source", "x:other"]
)  # fmt: skip


@st.composite
def outline_element(draw: st.DrawFn, depth: int = 0) -> str:
    attrs = draw(st.dictionaries(attribute_names, st.one_of(urls, text_values), max_size=5))
    rendered = " ".join(f'{k}="{_attr(draw, v)}"' for k, v in attrs.items())
    children = ""
    if depth < 3:
        children = "".join(draw(st.lists(outline_element(depth + 1), max_size=3)))
    return f"<outline {rendered}>{children}</outline>"


def _attr(draw: st.DrawFn, value: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return draw(st.sampled_from([escaped, escaped, value]))


@st.composite
def opml_document(draw: st.DrawFn) -> bytes:
    outlines = "".join(draw(st.lists(outline_element(), max_size=5)))
    root = draw(st.sampled_from(["opml", "opml", "OPML", "rss"]))
    head = f"<head><title>{draw(field(text_values))}</title></head>"
    body = draw(st.sampled_from([f"<body>{outlines}</body>", outlines, f"<BODY>{outlines}</BODY>"]))
    xml = (
        f'<{root} version="{draw(st.sampled_from(["1.0", "2.0", ""]))}" '
        f'xmlns:byline="https://byline.invalid/ns/opml" xmlns:x="urn:x">{head}{body}</{root}>'
    )
    return draw(encoded(xml))


@FUZZ
@given(body=st.one_of(mutated(opml_document()), st.binary(max_size=1500)))
def test_parse_opml_returns_a_document_or_raises_input_error(body: bytes) -> None:
    document = outcome(lambda: parse_opml(body, "fuzz.opml"), (InputError,))
    if document is None:
        return
    assert len({o.url for o in document.outlines}) == len(document.outlines)
    for outline in document.outlines:
        parts = urlsplit(outline.url)
        assert parts.scheme in {"http", "https"} and parts.netloc, outline.url
        assert outline.section == "" or outline.section in BY_SLUG
        assert outline.feed_type in FEED_TYPES
        assert outline.source_kind in SOURCE_KINDS
        assert isinstance(outline.name, str) and isinstance(outline.title, str)


def stripped(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return values.map(str.strip).filter(bool)


@st.composite
def outline_records(draw: st.DrawFn) -> list[Outline]:
    paths = draw(st.lists(st.integers(0, 10**6), unique=True, max_size=6))
    found = []
    for n in paths:
        name = draw(stripped(hostile_text()).filter(_kept))
        found.append(
            Outline(
                url=f"https://feeds.example.com/{n}",
                name=name,
                title=draw(
                    st.one_of(st.just(""), st.just(name), stripped(hostile_text()).filter(_kept))
                ),
                home_url=draw(st.sampled_from(["", "https://example.com/"])),
                section=draw(st.sampled_from(["", *BY_SLUG])),
                feed_type=draw(st.sampled_from(FEED_TYPES)),
                source_kind=draw(st.sampled_from(SOURCE_KINDS)),
            )
        )
    return found


@FUZZ
@given(outlines=outline_records(), title=hostile_text())
def test_opml_export_then_import_gives_back_the_same_feeds(
    outlines: list[Outline], title: str
) -> None:
    data = export_opml(outlines, title=title)
    document = parse_opml(data, "export.opml")
    back = {o.url: o for o in document.outlines}
    assert set(back) == {o.url for o in outlines}
    for outline in outlines:
        again = back[outline.url]
        assert again.section == outline.section
        assert again.feed_type == outline.feed_type
        assert again.source_kind == outline.source_kind
        assert again.home_url == outline.home_url
        assert _kept(again.name) == _kept(outline.name)
        assert _kept(again.title) == _kept(outline.title or outline.name)


def _kept(value: str) -> str:
    """What survives export and import: the characters XML can carry, stripped, with runs
    of whitespace as one space (XML attribute values are whitespace-normalised)."""
    return " ".join(_xml_safe(value).split())
