"""Inputs the fuzzers in tests/fuzz found, each a named case: before its fix each one crashed
a parser with an exception it does not document (or gave a wrong result). Every case states
the outcome the parser now promises.

Add a row per new finding: ``id`` a short name, ``make`` builds the input (inline bytes where
they are short), ``check`` asserts the outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from byline.errors import FeedError, InputError
from byline.extract.article import extract_article
from byline.fetch.feeds import parse_feed
from byline.fetch.opml import Outline, export_opml, parse_opml
from byline.fetch.sitemaps import parse_sitemap


@dataclass(frozen=True)
class Case:
    id: str
    run: Callable[[], Any]  # the parser call on the input that found the defect
    check: Callable[[Any], None]  # what it must give now (or raises=… below)
    raises: type[Exception] | None = None  # the documented error it must raise instead


def rss(title: bytes, encoding: bytes = b"utf-8") -> bytes:
    return (
        b'<?xml version="1.0" encoding="' + encoding + b'"?>\n<rss version="2.0"><channel>'
        b"<title>" + title + b"</title><link>http://example.com/</link>"
        b"<item><title>A</title><link>http://example.com/a</link></item></channel></rss>"
    )


def feed_title_is(expected: str) -> Callable[[Any], None]:
    def check(parsed: Any) -> None:
        assert parsed.title == expected
        assert [e.url for e in parsed.entries] == ["http://example.com/a"]

    return check


def no_check(_: Any) -> None:
    return None


JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", %s}'


def json_entries(urls: list[str], authors: list[str]) -> Callable[[Any], None]:
    def check(parsed: Any) -> None:
        assert [e.url for e in parsed.entries] == urls
        assert [e.author for e in parsed.entries] == authors
        assert all(e.categories == () for e in parsed.entries)
        assert parsed.hub == ""

    return check


SITEMAP = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">%s</urlset>'


def sitemap_keeps(locs: list[str], skipped: int) -> Callable[[Any], None]:
    def check(sitemap: Any) -> None:
        assert [u.loc for u in sitemap.urls] == locs
        assert sitemap.skipped == skipped

    return check


def opml_keeps(urls: list[str], skipped: int) -> Callable[[Any], None]:
    def check(document: Any) -> None:
        assert [o.url for o in document.outlines] == urls
        assert len(document.skipped) == skipped

    return check


def opml_round_trip() -> Any:
    outlines = [
        Outline(url="https://a.example/feed", name="Control\x01\x1fName", title="T\x00"),
        Outline(url="https://b.example/feed", name="Lone \ud800 surrogate", feed_type="sitemap"),
    ]
    return parse_opml(export_opml(outlines, title="\x1f head \ufffe"), "export.opml")


def opml_names(expected: dict[str, tuple[str, str]]) -> Callable[[Any], None]:
    def check(document: Any) -> None:
        got = {o.url: (o.name, o.title) for o in document.outlines}
        assert got == expected
        assert document.title == "head"

    return check


def page_with_json_ld(date: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><script type='application/ld+json'>"
        f'{{"@type": "NewsArticle", "headline": "H", "datePublished": "{date}"}}</script>'
        "</head><body><article><p>The council met on Tuesday to agree the budget.</p>"
        "</article></body></html>"
    ).encode()


def article_undated(article: Any) -> None:
    assert article.published is None
    assert "council met" in article.text


CASES = [
    # feedparser's loose parser (used once the XML is not well-formed) called chr() on a
    # character reference past U+10FFFF: ValueError. Now U+FFFD, and the feed reads.
    Case(
        "feed-charref-past-unicode", lambda: parse_feed(rss(b"&#1114112;")), feed_title_is("\ufffd")
    ),
    # … and encoded a reference to a lone surrogate as UTF-8: UnicodeEncodeError.
    Case("feed-charref-surrogate", lambda: parse_feed(rss(b"&#XD800;")), feed_title_is("\ufffd")),
    # An emoji written as two surrogate references (old PHP CMSes do this): two U+FFFD.
    Case(
        "feed-charref-surrogate-pair",
        lambda: parse_feed(rss(b"&#55357;&#56832; news")),
        feed_title_is("\ufffd\ufffd news"),
    ),
    # A reference of thousands of digits: int() refuses past 4,300 digits (ValueError).
    Case(
        "feed-charref-huge",
        lambda: parse_feed(rss(b"&#" + b"9" * 5000 + b";")),
        feed_title_is("\ufffd"),
    ),
    # An encoding declaration holding a byte that is not ASCII: feedparser decoded the name
    # as UTF-8 and raised UnicodeDecodeError. Now a FeedError.
    Case(
        "feed-encoding-name-not-ascii",
        lambda: parse_feed(rss(b"x", b"\x80utf-8")),
        no_check,
        FeedError,
    ),
    # … holding a NUL: codecs.lookup raised ValueError ("embedded null character").
    Case(
        "feed-encoding-name-nul", lambda: parse_feed(rss(b"x", b"\x00utf-8")), no_check, FeedError
    ),
    # JSON Feed fields that must be arrays given as numbers: iterating them raised TypeError
    # ("'int' object is not iterable"). Now a number is no value; a lone object one value.
    Case(
        "json-feed-hubs-a-number",
        lambda: parse_feed(JSON_FEED % b'"hubs": 1, "items": [{"url": "http://a.example/1"}]'),
        json_entries(["http://a.example/1"], [""]),
    ),
    Case(
        "json-feed-tags-and-authors-numbers",
        lambda: parse_feed(
            JSON_FEED % b'"items": [{"url": "http://a.example/1", "tags": 5, "authors": 7,'
            b' "author": {"name": "N"}}]'
        ),
        json_entries(["http://a.example/1"], ["N"]),
    ),
    # A <loc> with an unclosed IPv6 bracket: urllib raised ValueError ("Invalid IPv6 URL") and
    # the whole sitemap was lost. Now that URL is skipped and the rest kept.
    Case(
        "sitemap-loc-unclosed-ipv6",
        lambda: parse_sitemap(
            SITEMAP % b"<url><loc>http://[::1</loc></url><url><loc>https://ok.example/a</loc></url>"
        ),
        sitemap_keeps(["https://ok.example/a"], skipped=1),
    ),
    # The same as a relative <loc> joined to a base that has one.
    Case(
        "sitemap-base-unclosed-ipv6",
        lambda: parse_sitemap(SITEMAP % b"<url><loc>/a</loc></url>", "http://[::1/sitemap.xml"),
        sitemap_keeps([], skipped=1),
    ),
    # OPML import: an xmlUrl with an unclosed IPv6 bracket raised ValueError; now skipped.
    Case(
        "opml-xmlurl-unclosed-ipv6",
        lambda: parse_opml(
            b'<opml version="2.0"><body><outline text="Bad" xmlUrl="http://[::1/feed"/>'
            b'<outline text="Good" xmlUrl="https://ok.example/feed"/></body></opml>'
        ),
        opml_keeps(["https://ok.example/feed"], skipped=1),
    ),
    # A page whose JSON-LD date falls before year 1 once in UTC: parse_datetime raised
    # OverflowError out of extract_article (so out of import, ingest and batch). Now undated.
    Case(
        "page-json-ld-date-before-year-1",
        lambda: extract_article(
            page_with_json_ld("0001-01-01T00:00:00+14:00"), "https://example.com/a"
        ),
        article_undated,
    ),
    Case(
        "page-json-ld-date-after-year-9999",
        lambda: extract_article(
            page_with_json_ld("9999-12-31T23:59:59-12:00"), "https://example.com/a"
        ),
        article_undated,
    ),
    # OPML export of a source whose name holds a control character or a lone surrogate (a
    # JSON Feed title can carry one): lxml raised ValueError ("All strings must be XML
    # compatible") and the whole export failed. Now those characters are left out.
    Case(
        "opml-export-control-characters",
        opml_round_trip,
        opml_names(
            {
                "https://a.example/feed": ("ControlName", "T"),
                "https://b.example/feed": ("Lone  surrogate", "Lone  surrogate"),
            }
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_found_by_fuzzing(case: Case) -> None:
    if case.raises is not None:
        with pytest.raises(case.raises):
            case.run()
        return
    case.check(case.run())


def test_opml_import_of_a_bad_file_is_an_input_error() -> None:
    """The documented error for what is not OPML stays InputError (the fuzzers' oracle)."""
    with pytest.raises(InputError):
        parse_opml(b"\x00\x01 not xml", "x.opml")
