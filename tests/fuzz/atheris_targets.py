"""Coverage-guided fuzzing of Byline's parsers with atheris (libFuzzer), beside the Hypothesis
tests in this folder. Not part of pytest; atheris is not a project dependency::

    pip install atheris
    python tests/fuzz/atheris_targets.py feeds -atheris_runs=100000
    python tests/fuzz/atheris_targets.py all -atheris_runs=20000   # each target in turn

Targets: feeds, sniffer, sitemaps, opml, warc, pages, jsonl. Each feeds the raw bytes to the
parser and lets only its documented error through; anything else is a crash, which libFuzzer
saves as ``crash-<sha1>`` in the working folder. Turn each into a named case in
tests/hostile/test_found_by_fuzzing.py once fixed.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

try:
    import atheris
except ImportError:
    atheris = None


def _feeds(data: bytes) -> None:
    from byline.errors import FeedError
    from byline.fetch.feeds import parse_feed

    with contextlib.suppress(FeedError):
        parse_feed(data, "https://example.com/feed")


def _sniffer(data: bytes) -> None:
    from byline.errors import FeedError
    from byline.fetch.documents import parse_source_document

    with contextlib.suppress(FeedError):
        parse_source_document(data, "https://example.com/x", "", "page")


def _sitemaps(data: bytes) -> None:
    from byline.errors import FeedError
    from byline.fetch.sitemaps import parse_sitemap

    with contextlib.suppress(FeedError):
        parse_sitemap(data, "https://example.com/sitemap.xml").to_parsed_feed()


def _opml(data: bytes) -> None:
    from byline.errors import InputError
    from byline.fetch.opml import export_opml, parse_opml

    try:
        document = parse_opml(data, "fuzz.opml")
    except InputError:
        return
    again = parse_opml(export_opml(document.outlines), "export.opml")
    assert {o.url for o in again.outlines} == {o.url for o in document.outlines}


_FOLDER = Path(tempfile.mkdtemp(prefix="byline-atheris-"))


def _warc(data: bytes) -> None:
    from byline.fetch.warc import read_warc

    path = _FOLDER / ("fuzz.warc.gz" if data[:2] == b"\x1f\x8b" else "fuzz.warc")
    path.write_bytes(data)
    for _ in read_warc(path):  # never raises on a damaged archive
        pass


def _pages(data: bytes) -> None:
    from byline.errors import ExtractionError
    from byline.extract.article import extract_article

    with contextlib.suppress(ExtractionError):
        extract_article(data, "https://example.com/story")


def _jsonl(data: bytes) -> None:
    from byline.tools import Report, read_judge_inputs

    text = data.decode("utf-8", "replace")
    read_judge_inputs(io.StringIO(text), io.StringIO(), Report())  # never raises


_ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://a/b"/></entry></feed>'
_SITEMAP = (
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a/b</loc>'
    b"<lastmod>2024-01-01</lastmod></url></urlset>"
)
SEEDS: dict[str, list[bytes]] = {  # a start for libFuzzer when no corpus folder is given
    "feeds": [
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>T &#233;</title>'
        b"<link>http://a/b</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>"
        b"</channel></rss>",
        _ATOM,
        b'{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"http://a/b"}]}',
    ],
    "sniffer": [_ATOM, _SITEMAP, b'<html><body><a href="/2024/01/story">x</a></body></html>'],
    "sitemaps": [_SITEMAP],
    "opml": [
        b'<opml version="2.0"><head><title>T</title></head><body><outline text="Tech">'
        b'<outline text="A" xmlUrl="http://a/feed" htmlUrl="http://a/"/></outline></body></opml>'
    ],
    "warc": [
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://a/b\r\n"
        b"WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Length: 66\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>Hello</p></html>\r\n\r\n"
    ],
    "pages": [
        b"<html><head><title>T</title></head><body><article><p>The council met today to agree"
        b" the budget for next year.</p></article></body></html>"
    ],
    "jsonl": [b'{"id": 1, "text": "t", "url": "http://a/b", "published": "2024-01-01"}\n'],
}

MODULES = {
    "feeds": "byline.fetch.feeds",
    "sniffer": "byline.fetch.documents",
    "sitemaps": "byline.fetch.sitemaps",
    "opml": "byline.fetch.opml",
    "warc": "byline.fetch.warc",
    "pages": "byline.extract.article",
    "jsonl": "byline.tools",
}

TARGETS: dict[str, Callable[[bytes], None]] = {
    "feeds": _feeds,
    "sniffer": _sniffer,
    "sitemaps": _sitemaps,
    "opml": _opml,
    "warc": _warc,
    "pages": _pages,
    "jsonl": _jsonl,
}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in {*TARGETS, "all"}:
        print(f"usage: {argv[0]} {{{','.join(TARGETS)},all}} [libFuzzer options]")
        return 2
    if atheris is None:
        print("atheris is not installed (pip install atheris): skipping the atheris fuzzing")
        return 0
    name, options = argv[1], argv[2:]
    if name == "all":  # each target in a process of its own (libFuzzer runs once per process)
        failed = 0
        for target in TARGETS:
            print(f"== atheris: {target}", flush=True)
            failed |= subprocess.call([sys.executable, argv[0], target, *options])
        return failed
    os.environ.setdefault("BYLINE_LOG_LEVEL", "CRITICAL")
    import logging

    logging.disable(logging.CRITICAL)  # trafilatura and warcio complain about every input
    # Coverage from Byline and the parsers it drives; instrumenting everything it imports
    # (scipy, spaCy …) would take minutes before the first run.
    with atheris.instrument_imports(include=["byline", "feedparser", "warcio", "trafilatura"]):
        __import__(MODULES[name])
    if not any(not o.startswith("-") for o in options):
        corpus = Path(tempfile.mkdtemp(prefix=f"byline-atheris-{name}-"))
        for n, seed in enumerate(SEEDS[name]):
            (corpus / f"seed-{n}").write_bytes(seed)
        options = [*options, str(corpus)]
    atheris.Setup([argv[0], *options], TARGETS[name])
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
