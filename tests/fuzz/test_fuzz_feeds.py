"""Fuzzing the feed parser (``byline.fetch.feeds.parse_feed``) and the document sniffer in
front of it (``byline.fetch.documents.parse_source_document``).

Documented contract: a ``ParsedFeed`` or ``FeedError`` (``UnsafeXML`` is one), nothing else.
What a ``ParsedFeed`` promises: every entry has a non-empty URL; every text field is a
``str``; dates are aware and in UTC; ``hub`` is empty or an http(s) URL. A JSON Feed whose
items all have a URL comes back with one entry per item, in order, with the same URL and
title."""

from __future__ import annotations

import json
from datetime import UTC

from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.strategies import (
    FUZZ,
    dates,
    encoded,
    field,
    hostile_text,
    json_values,
    mutated,
    outcome,
    plain_words,
    urls,
)

from byline.errors import FeedError
from byline.fetch.documents import parse_source_document
from byline.fetch.feeds import parse_feed
from byline.records import ParsedFeed

# ── documents ─────────────────────────────────────────────────────────────────────────────

text_values = hostile_text()


@st.composite
def rss_item(draw: st.DrawFn) -> str:
    parts = [
        f"<title>{draw(field(text_values))}</title>",
        f"<link>{draw(field(urls))}</link>",
        f"<description>{draw(field(text_values))}</description>",
        f"<pubDate>{draw(field(dates))}</pubDate>",
        f"<guid isPermaLink='{draw(st.sampled_from(['true', 'false', 'x']))}'>"
        f"{draw(field(urls))}</guid>",
        f"<category>{draw(field(text_values))}</category>",
        f"<dc:creator>{draw(field(text_values))}</dc:creator>",
        f"<content:encoded>{draw(field(text_values))}</content:encoded>",
        f"<item><title>{draw(field(text_values))}</title></item>",  # nested where it is not
        f'<atom:link rel="{draw(st.sampled_from(["hub", "self", "x"]))}" '
        f'href="{draw(field(urls))}"/>',
    ]
    chosen = draw(st.lists(st.sampled_from(parts), max_size=8))
    return "<item>" + "".join(chosen) + "</item>"


@st.composite
def rss(draw: st.DrawFn) -> bytes:
    version = draw(st.sampled_from(["2.0", "0.91", "0.92", "", "9.9"]))
    items = "".join(draw(st.lists(rss_item(), max_size=5)))
    hub = draw(field(urls))
    xml = (
        f'<rss version="{version}" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{draw(field(text_values))}</title><link>{draw(field(urls))}</link>"
        f'<atom:link rel="hub" href="{hub}"/>{items}</channel></rss>'
    )
    return draw(encoded(xml))


@st.composite
def rdf(draw: st.DrawFn) -> bytes:
    items = "".join(
        f'<item rdf:about="{draw(field(urls))}"><title>{draw(field(text_values))}</title>'
        f"<link>{draw(field(urls))}</link><dc:date>{draw(field(dates))}</dc:date></item>"
        for _ in range(draw(st.integers(0, 4)))
    )
    xml = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{draw(field(text_values))}</title></channel>{items}</rdf:RDF>"
    )
    return draw(encoded(xml))


@st.composite
def atom_entry(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["html", "text", "xhtml", "text/html", "bogus"]))
    parts = [
        f"<title type='{kind}'>{draw(field(text_values))}</title>",
        f'<link href="{draw(field(urls))}"/>',
        f'<link rel="{draw(st.sampled_from(["alternate", "self", "hub", ""]))}" '
        f'href="{draw(field(urls))}"/>',
        f"<id>{draw(field(urls))}</id>",
        f"<updated>{draw(field(dates))}</updated>",
        f"<published>{draw(field(dates))}</published>",
        f"<summary>{draw(field(text_values))}</summary>",
        f"<content type='{kind}'>{draw(field(text_values))}</content>",
        f"<author><name>{draw(field(text_values))}</name></author>",
        f'<category term="{draw(field(text_values))}"/>',
        f"<entry><title>{draw(field(text_values))}</title></entry>",
    ]
    return "<entry>" + "".join(draw(st.lists(st.sampled_from(parts), max_size=9))) + "</entry>"


@st.composite
def atom(draw: st.DrawFn) -> bytes:
    entries = "".join(draw(st.lists(atom_entry(), max_size=5)))
    base = draw(st.sampled_from(["", f' xml:base="{draw(field(urls))}"']))
    xml = (
        f'<feed xmlns="http://www.w3.org/2005/Atom"{base}>'
        f"<title>{draw(field(text_values))}</title><updated>{draw(field(dates))}</updated>"
        f'<link rel="hub" href="{draw(field(urls))}"/>'
        f'<link rel="self" href="{draw(field(urls))}"/>{entries}</feed>'
    )
    return draw(encoded(xml))


json_item = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values(4),
        "url": st.one_of(urls, json_values(3)),
        "title": st.one_of(hostile_text(), json_values(3)),
        "summary": hostile_text(),
        "content_html": hostile_text(),
        "date_published": st.one_of(dates, json_values(2)),
        "date_modified": dates,
        "tags": st.one_of(st.lists(hostile_text(10), max_size=3), json_values(3)),
        "author": st.one_of(st.fixed_dictionaries({"name": hostile_text()}), json_values(2)),
        "authors": st.one_of(
            st.lists(st.fixed_dictionaries({"name": hostile_text()})), json_values(2)
        ),
    },
)


@st.composite
def json_feed(draw: st.DrawFn) -> bytes:
    data = draw(
        st.fixed_dictionaries(
            {
                "version": st.sampled_from(
                    ["https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1", "x"]
                )
            },
            optional={
                "title": st.one_of(hostile_text(), json_values(3)),
                "home_page_url": urls,
                "feed_url": urls,
                "items": st.one_of(st.lists(json_item, max_size=5), json_values(4)),
                "hubs": st.one_of(
                    st.lists(st.fixed_dictionaries({"type": st.just("WebSub"), "url": urls})),
                    json_values(3),
                ),
            },
        )
    )
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    return encode_json(text, draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])))


def encode_json(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


feed_documents = st.one_of(rss(), rdf(), atom(), json_feed())
any_document = st.one_of(mutated(feed_documents), st.binary(max_size=2000))


# ── properties ────────────────────────────────────────────────────────────────────────────


def check_feed(parsed: ParsedFeed) -> None:
    assert isinstance(parsed, ParsedFeed)
    for name in ("title", "link", "format", "warning", "hub", "self_url"):
        assert isinstance(getattr(parsed, name), str), name
    assert parsed.hub == "" or parsed.hub.startswith(("http://", "https://")), parsed.hub
    for entry in parsed.entries:
        assert isinstance(entry.url, str) and entry.url, entry
        for name in ("title", "summary", "author", "content_html", "guid"):
            assert isinstance(getattr(entry, name), str), name
        assert all(isinstance(c, str) for c in entry.categories)
        if entry.published is not None:
            assert entry.published.utcoffset() is not None
            assert entry.published.tzinfo == UTC


@FUZZ
@given(body=any_document, url=urls, content_type=st.sampled_from(["", "text/xml", "bogus/x"]))
def test_parse_feed_returns_a_feed_or_raises_feed_error(
    body: bytes, url: str, content_type: str
) -> None:
    parsed = outcome(lambda: parse_feed(body, url, content_type), (FeedError,))
    if parsed is not None:
        check_feed(parsed)


@FUZZ
@given(body=any_document, url=urls, kind=st.sampled_from(["", "feed", "sitemap", "page"]))
def test_source_sniffer_returns_a_feed_or_raises_feed_error(
    body: bytes, url: str, kind: str
) -> None:
    parsed = outcome(lambda: parse_source_document(body, url, "", kind), (FeedError,))
    if parsed is not None:
        check_feed(parsed)


@FUZZ
@given(st.binary(max_size=3000))
def test_parse_feed_on_random_bytes(body: bytes) -> None:
    parsed = outcome(lambda: parse_feed(body), (FeedError,))
    if parsed is not None:
        check_feed(parsed)


@FUZZ
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"url": urls.filter(bool), "title": hostile_text()},
            optional={"date_published": dates, "tags": st.lists(hostile_text(10), max_size=3)},
        ),
        max_size=6,
    ),
    ensure_ascii=st.booleans(),
)
def test_json_feed_round_trip(items: list[dict[str, object]], ensure_ascii: bool) -> None:
    """Every item with a URL comes back, in order, with its URL and title unchanged."""
    data = {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": items}
    body = json.dumps(data, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")
    if not ensure_ascii and any(
        "\ud800" <= c <= "\udfff" for c in body.decode("utf-8", "surrogatepass")
    ):
        parsed = outcome(lambda: parse_feed(body), (FeedError,))  # invalid UTF-8: may refuse
        if parsed is None:
            return
    else:
        parsed = parse_feed(body)
    check_feed(parsed)
    # What the JSON text means: two escaped surrogates that make a pair are one character;
    # written raw (surrogatepass), each stays a lone surrogate.
    meant = json.loads(json.dumps(items)) if ensure_ascii else items
    assert [e.url for e in parsed.entries] == [i["url"] for i in meant]
    assert [e.title for e in parsed.entries] == [i["title"] for i in meant]


@FUZZ
@given(
    titles=st.lists(plain_words, min_size=1, max_size=5),
    paths=st.lists(st.integers(0, 10**6), min_size=5, max_size=5, unique=True),
    kind=st.sampled_from(["rss", "atom"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_well_formed_rss_and_atom_round_trip(
    titles: list[str], paths: list[int], kind: str, encoding: str
) -> None:
    """A clean feed comes back with every item's link and title, in order."""
    links = [f"https://example.com/story/{p}" for p in paths[: len(titles)]]
    if kind == "rss":
        items = "".join(
            f"<item><title>{t}</title><link>{u}</link></item>"
            for t, u in zip(titles, links, strict=True)
        )
        xml = f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    else:
        items = "".join(
            f'<entry><title>{t}</title><link href="{u}"/><id>{u}</id></entry>'
            for t, u in zip(titles, links, strict=True)
        )
        xml = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{items}</feed>'
    body = f'<?xml version="1.0" encoding="{encoding}"?>{xml}'.encode(encoding, "replace")
    parsed = parse_feed(body)
    check_feed(parsed)
    assert [e.url for e in parsed.entries] == links
    expected = [t.encode(encoding, "replace").decode(encoding) for t in titles]
    assert [e.title for e in parsed.entries] == expected
