"""Hostile HTML pages through the whole ingest path: a real feed on a loopback server lists a
good page and the hostile one; ``fetch_feeds`` fetches, decodes, extracts and stores. The
hostile page must be refused with its reason recorded against its URL, or stored with what
the case asserts; the good page is stored either way.

The 100 MB page is streamed by a raw server (nothing that large is ever held in memory), so
it runs in the default suite; the fetcher's cap (max_page_bytes) stops it."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.hostile.budget import within
from tests.hostile.conftest import RawServer
from tests.integration.conftest import (
    BASE_TIME,
    LoopbackServer,
    article_html,
    make_config,
    rss_feed,
    story_paragraphs,
)

from byline.ingest import fetch_feeds
from byline.news import registry
from byline.news.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_pipeline")]

CAP = 5_000_000  # the default max_page_bytes
TITLE = "Brackwater council approves the flood barrier"


def article(url: str, title: str = TITLE, word: str = "Brackwater") -> str:
    return article_html(title, story_paragraphs(word, "flood barrier"), BASE_TIME, url)


def nest(html: str, depth: int, close: bool = True) -> str:
    inner = html.replace("<main>", "<main>" + "<div>" * depth)
    return inner.replace("</main>", "</div>" * depth + "</main>") if close else inner


@dataclass(frozen=True)
class Page:
    name: str
    body: Callable[[str], bytes]  # the page's bytes, given its URL
    reason: str = ""  # "" : stored, and ``check`` holds
    check: Callable[[Article], bool] | None = None
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] | None = None
    seconds: float = 6.0
    mb: float = 80.0


def garbage(url: str) -> bytes:
    return bytes((n * 7919 + 13) % 256 for n in range(200_000))


PAGES = [
    Page(
        "page-deep-nesting-10000",
        lambda u: nest(article(u), 10_000).encode(),
        "page nested more than 255 elements deep; not parsed",
    ),
    Page(
        "page-deep-unclosed-10000",
        lambda u: nest(article(u), 10_000, close=False).encode(),
        "page nested more than 255 elements deep; not parsed",
    ),
    Page(
        "page-nesting-200-is-fine",
        lambda u: nest(article(u), 200).encode(),
        check=lambda a: "flood barrier would go ahead" in a.text and a.title == TITLE,
    ),
    Page(
        "page-script-only",
        lambda u: (
            "<html><head><script>"
            + "var x = 'Brackwater flood barrier';" * 2000
            + "</script></head><body><script>document.write(x)</script></body></html>"
        ).encode(),
        "no article text found",
    ),
    Page(
        "page-no-body",
        lambda u: b"<html><head><title>Only a head</title></head></html>",
        "no article text found",
    ),
    Page("page-empty", lambda u: b"", "no article text found"),
    Page("page-binary-garbage-as-html", garbage, "no article text found"),
    Page(
        "page-nul-bytes",
        lambda u: (
            article(u)
            .replace("the mayor", "the\x00mayor")
            .replace("<title>", "<title>\x00")
            .encode()
        ),
        check=lambda a: "\x00" not in a.text and "\x00" not in a.title and "mayor" in a.text,
    ),
    Page(
        "page-invalid-utf8",
        lambda u: article(u).encode().replace(b"Monday", b"Mon\xff\xfeday"),
        check=lambda a: "vote of seven to four" in a.text and "\x00" not in a.text,
    ),
    Page(
        "page-latin1-labelled-utf8",
        lambda u: article(u).replace("Officials", "Zürich officials").encode("latin-1"),
        check=lambda a: "Zürich officials" in a.text,
    ),
    Page(
        "page-1.5mb-title-thrice",
        lambda u: article(u, title="T" * 1_500_000).encode(),
        check=lambda a: len(a.title) <= 500 and "vote of seven to four" in a.text,
        seconds=10,
        mb=250,
    ),
    Page(
        "page-3mb-attribute",
        lambda u: article(u).replace("<main>", '<main data-x="' + "a" * 3_000_000 + '">').encode(),
        check=lambda a: "vote of seven to four" in a.text,
        seconds=8,
        mb=200,
    ),
    Page(
        "page-control-characters",
        lambda u: article(u).replace("Opponents", "\x01\x02\x0b\x0c\x1bOpponents").encode(),
        check=lambda a: "Opponents of the flood barrier" in a.text,
    ),
    Page(
        "page-gzip-bomb",
        lambda u: gzip.compress(b" " * 50_000_000, 9),
        f"body larger than {CAP} bytes",
        headers={"Content-Encoding": "gzip"},
        mb=60,
    ),
    Page(
        "page-wrong-type",
        lambda u: b"%PDF-1.7 binary",
        "unsupported content type application/pdf",
        content_type="application/pdf",
    ),
]


def _run(tmp_path: Path, server: LoopbackServer, hostile_url: str) -> tuple[Any, str]:
    good_url = server.url("/good.html")
    server.add("/good.html", article(good_url, "Good page stays", "Fellmouth"))
    feed_url = server.add(
        "/feed.xml",
        rss_feed(
            "Hostile Gazette", [("good", good_url, BASE_TIME), ("bad", hostile_url, BASE_TIME)]
        ),
        content_type="application/rss+xml",
    )
    registry.ensure_sections()
    feed = registry.add_source("Hostile Gazette", feed_url)
    config = make_config(
        tmp_path / "data", allow_private_hosts="127.0.0.1", fetch_timeout=10, fetch_retries=0
    )
    return fetch_feeds(config, [feed]), good_url


@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
def test_hostile_pages_through_ingest(case: Page, tmp_path: Path) -> None:
    server = LoopbackServer().start()
    try:
        url = server.url("/hostile.html")
        server.add(
            "/hostile.html",
            case.body(url),
            content_type=case.content_type,
            headers=case.headers or {},
        )
        with within(case.seconds, case.mb, case.name):
            report, good_url = _run(tmp_path, server, url)
    finally:
        server.stop()
    stored = {a.url: a for a in Article.objects.all()}
    assert good_url in stored, report.problems
    if case.reason:
        assert url not in stored
        mine = [p for p in report.problems if p.startswith(url + ":")]
        assert len(mine) == 1 and case.reason in mine[0], report.problems
    else:
        assert url in stored, report.problems
        assert case.check is not None and case.check(stored[url]), stored[url].text[:300]
        assert report.problems == []


def stream_100mb(conn: socket.socket, server: RawServer) -> None:
    server.send(
        conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>"
    )
    block = b"<p>" + b"hostile " * 8190 + b"</p>"
    while server.sent < 100 * 1024 * 1024 and not server.stopping.is_set():
        server.send(conn, block)


def test_a_100mb_page_is_capped_before_parsing(
    tmp_path: Path, raw_server: Callable[..., RawServer]
) -> None:
    """page-100mb: streamed without a Content-Length; refused at the 5 MB cap, and the
    server was made to send little more than that."""
    big = raw_server(stream_100mb)
    url = big.url("/huge.html")
    server = LoopbackServer().start()
    try:
        with within(8, 80, "page-100mb"):
            report, good_url = _run(tmp_path, server, url)
    finally:
        server.stop()
    assert [p for p in report.problems if p.startswith(url)] == [
        f"{url}: body larger than {CAP} bytes"
    ]
    assert set(Article.objects.values_list("url", flat=True)) == {good_url}
    assert big.sent < 30 * 1024 * 1024
