"""Hostile documents through Byline's parsers: feeds (RSS, Atom and JSON Feed through
``parse_feed``), sitemaps (``parse_sitemap``) and OPML (``parse_opml``). Each case says what
must happen — refused with the exception type and the words of its reason, or parsed, with
what was read asserted — and runs under a time and memory budget."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.hostile.budget import within

from byline.errors import FeedError, InputError, UnsafeXML
from byline.fetch.feeds import parse_feed
from byline.fetch.opml import parse_opml
from byline.fetch.sitemaps import parse_sitemap

# ── documents ─────────────────────────────────────────────────────────────────────────────

XXE_DTD = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
PARAM_DTD = b'<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://169.254.169.254/x.dtd"> %remote;]>'
LAUGHS_DTD = (
    b'<!DOCTYPE r [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]>"
)
QUADRATIC_DTD = b'<!DOCTYPE r [<!ENTITY big "' + b"B" * 100_000 + b'">]>'
QUADRATIC_USE = b"&big;" * 10_000  # 1 GB if it were expanded
HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'


def rss(
    items: int = 2,
    title: str = "Hostile news",
    item: Callable[[int], str] | None = None,
    dtd: bytes = b"",
    use: bytes = b"",
) -> bytes:
    item = item or (lambda n: f"<title>item {n}</title>")
    body = "".join(
        f"<item>{item(n)}<link>https://news.example/{n}</link></item>" for n in range(items)
    )
    return (
        HEAD
        + dtd
        + b'<rss version="2.0"><channel><title>'
        + title.encode()
        + use
        + b"</title>"
        + b"<link>https://news.example/</link>"
        + body.encode()
        + b"</channel></rss>"
    )


def atom(
    entries: int = 1,
    title: str = "Atom news",
    updated: str = "2025-03-02T09:00:00Z",
    dtd: bytes = b"",
    use: bytes = b"",
) -> bytes:
    body = "".join(
        f'<entry><title>entry {n}</title><link href="https://news.example/a{n}"/>'
        f"<id>urn:a:{n}</id><updated>{updated}</updated></entry>"
        for n in range(entries)
    )
    return (
        HEAD
        + dtd
        + b'<feed xmlns="http://www.w3.org/2005/Atom"><title>'
        + title.encode()
        + use
        + b"</title>"
        + body.encode()
        + b"</feed>"
    )


def json_feed(items: list[Any] | None = None, **extra: Any) -> bytes:
    data = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON news", **extra}
    data["items"] = items if items is not None else [{"url": "https://news.example/j0"}]
    return json.dumps(data).encode()


def sitemap(
    urls: int = 1, extra: Callable[[int], str] = lambda n: "", dtd: bytes = b"", use: bytes = b""
) -> bytes:
    body = "".join(
        f"<url><loc>https://news.example/s{n}</loc>{extra(n)}</url>" for n in range(urls)
    )
    return (
        HEAD + dtd + b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + use
        + body.encode()
        + b"</urlset>"
    )


def news_title(title: str) -> Callable[[int], str]:
    return lambda n: (
        "<news:news><news:publication><news:name>Hostile Post</news:name>"
        "<news:language>en</news:language></news:publication>"
        f"<news:publication_date>2025-03-02</news:publication_date>"
        f"<news:title>{title}</news:title></news:news>"
    )


def opml(outlines: str, dtd: bytes = b"", use: bytes = b"") -> bytes:
    return (
        HEAD
        + dtd
        + b'<opml version="2.0"><head><title>Subs'
        + use
        + b"</title></head><body>"
        + outlines.encode()
        + b"</body></opml>"
    )


def outlines(n: int) -> str:
    return "".join(
        f'<outline text="Feed {i}" xmlUrl="https://news.example/{i}.xml"/>' for i in range(n)
    )


BIG = "A" * 5_000_000  # a 5 MB title
UTC_9999 = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


# ── the table ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Doc:
    name: str
    parse: Callable[[bytes], Any]
    body: Callable[[], bytes]
    error: type[Exception] | None = None  # None: parsed; ``check`` says what was read
    reason: str = ""
    check: Callable[[Any], Any] | None = None
    seconds: float = 2.0
    mb: float = 30.0


def feed(body: bytes) -> Any:
    return parse_feed(body, "https://news.example/feed")


def smap(body: bytes) -> Any:
    return parse_sitemap(body, "https://news.example/sitemap.xml")


def outline_doc(body: bytes) -> Any:
    return parse_opml(body, "subs.opml")


def titles(parsed: Any) -> list[str]:
    return [e.title for e in parsed.entries]


def dates(parsed: Any) -> list[datetime | None]:
    return [e.published for e in parsed.entries]


ENTITIES = "refusing XML that declares entities"
SAFEXML = "refused: entity declarations are not allowed (XXE / entity expansion refused)"

DOCS = [
    # RSS
    Doc("rss-xxe", feed, lambda: rss(dtd=XXE_DTD, use=b"&xxe;"), UnsafeXML, ENTITIES),
    Doc("rss-parameter-entity", feed, lambda: rss(dtd=PARAM_DTD), UnsafeXML, "refusing XML"),
    Doc(
        "rss-billion-laughs", feed, lambda: rss(dtd=LAUGHS_DTD, use=b"&lol9;"), UnsafeXML, ENTITIES
    ),
    Doc(
        "rss-quadratic-blowup",
        feed,
        lambda: rss(dtd=QUADRATIC_DTD, use=QUADRATIC_USE),
        UnsafeXML,
        ENTITIES,
    ),
    Doc(
        "rss-10000-items",
        feed,
        lambda: rss(10_000),
        check=lambda p: (
            len(p.entries) == 10_000 and p.entries[-1].url == "https://news.example/9999"
        ),
        seconds=8,
        mb=150,
    ),
    Doc("rss-5mb-title", feed, lambda: rss(title=BIG), check=lambda p: p.title == BIG, mb=120),
    Doc(
        "rss-invalid-utf8",
        feed,
        lambda: rss(item=lambda n: "<title>ok</title>" if n else "<title>BAD</title>").replace(
            b"BAD", b"\xff\xfe\xc3("
        ),
        check=lambda p: (
            titles(p) == ["ÿþÃ(", "ok"]
            and "declared as utf-8, but parsed as windows-1252" in p.warning
        ),
    ),
    Doc(
        "rss-mixed-encodings",
        feed,
        lambda: (
            rss(item=lambda n: f"<title>T{n}</title>")
            .replace(b"T0", "Zürich".encode())
            .replace(b"T1", "Zürich".encode("latin-1"))
        ),
        check=lambda p: titles(p) == ["Zürich", "Zürich"],
    ),
    Doc(
        "rss-nul-bytes",
        feed,
        lambda: rss().replace(b"item 1", b"item\x001"),
        check=lambda p: titles(p) == ["item 0", "item\x001"],
    ),
    Doc(
        "rss-year-0001",
        feed,
        lambda: rss(1, item=lambda n: "<pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate>"),
        check=lambda p: dates(p) == [datetime(1, 1, 1, tzinfo=UTC)],
    ),
    Doc(
        "rss-year-9999",
        feed,
        lambda: rss(1, item=lambda n: "<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>"),
        check=lambda p: dates(p) == [UTC_9999],
    ),
    Doc(
        "rss-year-10000-in-utc",
        feed,
        lambda: rss(1, item=lambda n: "<pubDate>Fri, 31 Dec 9999 23:59:59 -0500</pubDate>"),
        check=lambda p: dates(p) == [None],
    ),
    Doc("rss-not-xml", feed, lambda: b"<<<not xml &&& <rss", FeedError, "not a feed"),
    # Atom
    Doc("atom-xxe", feed, lambda: atom(dtd=XXE_DTD, use=b"&xxe;"), UnsafeXML, ENTITIES),
    Doc(
        "atom-billion-laughs",
        feed,
        lambda: atom(dtd=LAUGHS_DTD, use=b"&lol9;"),
        UnsafeXML,
        ENTITIES,
    ),
    Doc(
        "atom-utf16-laughs",
        feed,
        lambda: (
            atom(dtd=LAUGHS_DTD, use=b"&lol9;")
            .replace(b"utf-8", b"utf-16")
            .decode()
            .encode("utf-16")
        ),
        UnsafeXML,
        "refusing XML",
    ),
    Doc(
        "atom-10000-entries",
        feed,
        lambda: atom(10_000),
        check=lambda p: len(p.entries) == 10_000,
        seconds=10,
        mb=150,
    ),
    Doc("atom-5mb-title", feed, lambda: atom(title=BIG), check=lambda p: p.title == BIG, mb=120),
    Doc(
        "atom-year-0001-before-utc",
        feed,
        lambda: atom(updated="0001-01-01T00:00:00+05:00"),
        check=lambda p: dates(p) == [None],
    ),
    Doc(
        "atom-year-9999-after-utc",
        feed,
        lambda: atom(updated="9999-12-31T23:59:59-05:00"),
        check=lambda p: dates(p) == [None],
    ),
    Doc(
        "atom-year-9999",
        feed,
        lambda: atom(updated="9999-12-31T23:59:59Z"),
        check=lambda p: dates(p) == [UTC_9999],
    ),
    Doc(
        "atom-nul-bytes",
        feed,
        lambda: atom().replace(b"entry 0", b"entry\x000"),
        check=lambda p: titles(p) == ["entry\x000"],
    ),
    # JSON Feed
    Doc(
        "json-deep-nesting",
        feed,
        lambda: json_feed()[:-1] + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        FeedError,
        "malformed JSON Feed (nested too deeply)",
    ),
    Doc(
        "json-nan-infinity",
        feed,
        lambda: json_feed().replace(b'"JSON news"', b"NaN"),
        FeedError,
        "malformed JSON Feed (NaN is not a JSON value)",
    ),
    Doc(
        "json-infinity-url",
        feed,
        lambda: json_feed([{"url": "X"}]).replace(b'"X"', b"-Infinity"),
        FeedError,
        "-Infinity is not a JSON value",
    ),
    Doc(
        "json-invalid-utf8",
        feed,
        lambda: json_feed().replace(b"JSON", b"\xff\xfe"),
        FeedError,
        "malformed JSON Feed",
    ),
    Doc(
        "json-wrong-types",
        feed,
        lambda: json_feed(
            [
                {"url": ["https://x.example/"]},
                {"url": 5},
                7,
                None,
                "s",
                {"url": "https://news.example/ok", "tags": "abc"},
            ]
        ),
        check=lambda p: [e.url for e in p.entries] == ["https://news.example/ok"],
    ),
    Doc(
        "json-items-not-a-list",
        feed,
        lambda: json_feed(items={"url": "x"}),  # type: ignore
        FeedError,
        "JSON Feed 'items' is not a list",
    ),
    Doc(
        "json-not-a-feed",
        feed,
        lambda: b'{"hello": "world"}',
        FeedError,
        "JSON document is not a JSON Feed",
    ),
    Doc(
        "json-10000-items",
        feed,
        lambda: json_feed([{"url": f"https://news.example/j{n}"} for n in range(10_000)]),
        check=lambda p: len(p.entries) == 10_000,
        seconds=3,
        mb=80,
    ),
    Doc(
        "json-5mb-title",
        feed,
        lambda: json_feed([{"url": "https://news.example/j", "title": BIG}]),
        check=lambda p: titles(p) == [BIG],
        mb=120,
    ),
    Doc(
        "json-year-0001",
        feed,
        lambda: json_feed(
            [{"url": "https://n.example/", "date_published": "0001-01-01T00:00:00Z"}]
        ),
        check=lambda p: dates(p) == [datetime(1, 1, 1, tzinfo=UTC)],
    ),
    Doc(
        "json-year-9999-after-utc",
        feed,
        lambda: json_feed(
            [{"url": "https://n.example/", "date_published": "9999-12-31T23:59:59-05:00"}]
        ),
        check=lambda p: dates(p) == [None],
    ),
    Doc(
        "json-nul-bytes",
        feed,
        lambda: json_feed([{"url": "https://n.example/", "title": "a\u0000b"}]),
        check=lambda p: titles(p) == ["a\x00b"],
    ),
    # sitemaps
    Doc("sitemap-xxe", smap, lambda: sitemap(dtd=XXE_DTD, use=b"&xxe;"), UnsafeXML, SAFEXML),
    Doc(
        "sitemap-billion-laughs",
        smap,
        lambda: sitemap(dtd=LAUGHS_DTD, use=b"&lol9;"),
        UnsafeXML,
        SAFEXML,
    ),
    Doc(
        "sitemap-quadratic-blowup",
        smap,
        lambda: sitemap(dtd=QUADRATIC_DTD, use=QUADRATIC_USE),
        UnsafeXML,
        SAFEXML,
    ),
    Doc(
        "sitemap-external-doctype",
        smap,
        lambda: sitemap(dtd=b'<!DOCTYPE urlset SYSTEM "http://169.254.169.254/s.dtd">'),
        UnsafeXML,
        "a DOCTYPE is not allowed",
    ),
    Doc(
        "sitemap-10000-urls",
        smap,
        lambda: sitemap(10_000),
        check=lambda s: (
            len(s.urls) == 10_000
            and len(s.to_parsed_feed("https://news.example/").entries) == 1000
            and "10000 URLs listed; the newest 1000 kept" in s.to_parsed_feed().warning
        ),
        seconds=3,
        mb=80,
    ),
    Doc(
        "sitemap-gzip-bomb",
        smap,
        lambda: gzip.compress(b" " * 60_000_000, 9),
        FeedError,
        "inflates to more than 52428800 bytes",
        seconds=4,
        mb=160,
    ),
    Doc(
        "sitemap-5mb-title",
        smap,
        lambda: sitemap(1, news_title(BIG)),
        check=lambda s: s.urls[0].title == BIG,
        mb=120,
    ),
    Doc(
        "sitemap-year-0001",
        smap,
        lambda: sitemap(1, lambda n: "<lastmod>0001-01-01</lastmod>"),
        check=lambda s: s.urls[0].lastmod == datetime(1, 1, 1, tzinfo=UTC),
    ),
    Doc(
        "sitemap-year-0001-before-utc",
        smap,
        lambda: sitemap(2, lambda n: "<lastmod>0001-01-01T00:00:00+05:00</lastmod>"),
        check=lambda s: (
            [u.lastmod for u in s.urls] == [None, None] and len(s.to_parsed_feed().entries) == 2
        ),
    ),
    Doc(
        "sitemap-year-9999-after-utc",
        smap,
        lambda: sitemap(1, lambda n: "<lastmod>9999-12-31T23:59:59-05:00</lastmod>"),
        check=lambda s: s.urls[0].lastmod is None,
    ),
    Doc(
        "sitemap-nul-bytes",
        smap,
        lambda: sitemap().replace(b"/s0<", b"/s\x000<"),
        FeedError,
        "malformed XML (Invalid character: Char 0x0 out of allowed range",
    ),
    Doc(
        "sitemap-invalid-utf8",
        smap,
        lambda: sitemap().replace(b"/s0<", b"/\xff\xfe<"),
        FeedError,
        "malformed XML (Invalid bytes in character encoding",
    ),
    Doc(
        "sitemap-mixed-encodings",
        smap,
        lambda: (
            sitemap(1, news_title("Zürich"))
            .replace(b"utf-8", b"iso-8859-1")
            .replace("Zürich".encode(), "Zürich".encode("latin-1"))
        ),
        check=lambda s: s.urls[0].title == "Zürich",
    ),
    Doc(
        "sitemap-unsafe-locs",
        smap,
        lambda: sitemap().replace(b"https://news.example/s0", b"javascript:alert(1)"),
        check=lambda s: s.urls == () and s.skipped == 1,
    ),
    Doc(
        "sitemap-deep-nesting",
        smap,
        lambda: sitemap().replace(b"</urlset>", b"<x>" * 10_000 + b"</x>" * 10_000 + b"</urlset>"),
        FeedError,
        "Excessive depth in document: 256",
    ),
    # OPML
    Doc("opml-xxe", outline_doc, lambda: opml(outlines(1), XXE_DTD, b"&xxe;"), InputError, SAFEXML),
    Doc(
        "opml-billion-laughs",
        outline_doc,
        lambda: opml(outlines(1), LAUGHS_DTD, b"&lol9;"),
        InputError,
        SAFEXML,
    ),
    Doc(
        "opml-quadratic-blowup",
        outline_doc,
        lambda: opml(outlines(1), QUADRATIC_DTD, QUADRATIC_USE),
        InputError,
        SAFEXML,
    ),
    Doc(
        "opml-doctype",
        outline_doc,
        lambda: opml(outlines(1), b"<!DOCTYPE opml>"),
        InputError,
        "a DOCTYPE is not allowed",
    ),
    Doc(
        "opml-10000-outlines",
        outline_doc,
        lambda: opml(outlines(10_000)),
        check=lambda d: len(d.outlines) == 10_000,
        seconds=4,
        mb=80,
    ),
    Doc(
        "opml-deep-nesting",
        outline_doc,
        lambda: opml('<outline text="x">' * 10_000 + outlines(1) + "</outline>" * 10_000),
        InputError,
        "Excessive depth in document: 256",
    ),
    Doc(
        "opml-5mb-title",
        outline_doc,
        lambda: opml(f'<outline text="{BIG}" xmlUrl="https://news.example/f.xml"/>'),
        check=lambda d: d.outlines[0].name == BIG,
        mb=120,
    ),
    Doc(
        "opml-invalid-utf8",
        outline_doc,
        lambda: opml(outlines(1)).replace(b"Feed 0", b"\xff\xfe"),
        InputError,
        "malformed OPML (Invalid bytes in character encoding",
    ),
    Doc(
        "opml-nul-bytes",
        outline_doc,
        lambda: opml(outlines(1)).replace(b"Feed 0", b"F\x00"),
        InputError,
        "malformed OPML",
    ),
    Doc(
        "opml-unsafe-urls",
        outline_doc,
        lambda: opml(
            '<outline text="x" xmlUrl="javascript:alert(1)"/>'
            '<outline text="y" xmlUrl="file:///etc/passwd"/>'
        ),
        check=lambda d: (
            d.outlines == ()
            and d.skipped
            == (
                "x: not an http(s) feed URL (javascript:alert(1))",
                "y: not an http(s) feed URL (file:///etc/passwd)",
            )
        ),
    ),
    Doc(
        "opml-duplicates",
        outline_doc,
        lambda: opml(outlines(2) + outlines(2)),
        check=lambda d: (
            len(d.outlines) == 2
            and len(d.skipped) == 2
            and d.skipped[0].endswith("listed twice; the first kept")
        ),
    ),
    Doc("opml-not-opml", outline_doc, lambda: rss(), InputError, "not OPML (root element <rss>)"),
]


@pytest.mark.parametrize("case", DOCS, ids=[c.name for c in DOCS])
def test_hostile_documents(case: Doc) -> None:
    body = case.body()
    with within(case.seconds, case.mb, case.name):
        if case.error is None:
            parsed = case.parse(body)
        else:
            with pytest.raises(case.error) as caught:
                case.parse(body)
    if case.error is None:
        assert case.check is not None and case.check(parsed), repr(parsed)[:500]
    else:
        assert case.reason in str(caught.value), str(caught.value)[:500]
        assert "root:" not in str(caught.value) and "lollol" not in str(caught.value)
