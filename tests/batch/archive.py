"""The batch tests' input: a WARC archive that Byline writes itself from the demo outlets'
pages, with junk, a broken encoding, a duplicate fetch and a truncated copy mixed in, and a
small JSONL file (with two bad lines)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from byline.demo.sitegen import ManifestArticle, build_site
from byline.fetch.warc import WarcWriter
from byline.records import FetchResult

BASE_URL = "http://news.example"
FETCHED = datetime(2026, 12, 30, 6, 0, tzinfo=UTC)  # after every demo article's date
BROKEN_ENCODING = (  # a UTF-8 byte order mark, then bytes that are not UTF-8
    b"\xef\xbb\xbf<html><head><title>Garbled</title></head><body><article><p>"
    + b"Harbour news \xff\xfe\x81 report \xc3 of the day \xe2\x82 in full. " * 40
    + b"</p></article></body></html>"
)
JSONL_RECORDS = [
    {
        "id": "jsonl-1",
        "url": "https://archive.example/one",
        "source": "Archive One",
        "title": "Glassblowers of Umber Fen open their workshops to visitors",
        "text": "The glassblowers of Umber Fen opened their workshops to visitors on Sunday "
        "for the first time in twelve years. Guild master Ottilie Brand said 3,400 people "
        "came. The guild plans a second open day in the spring, she said.",
        "published": "2026-10-04T08:00:00+00:00",
    },
    {
        "id": "jsonl-2",
        "url": "https://archive.example/two",
        "source": "Archive One",
        "title": "Umber Fen ferry timetable changes from November",
        "text": "The Umber Fen ferry will run every forty minutes from November, the "
        "operator Fenlink said. Evening sailings end at 21:40 instead of 23:10. Fenlink "
        "blamed a shortage of qualified crew for the change.",
        "published": "2026-10-05T09:30:00+00:00",
    },
]


@dataclass(frozen=True)
class BatchInput:
    files: list[str]  # in the order given to both engines
    articles: dict[str, ManifestArticle]  # demo article URL → the manifest's truth
    jsonl_ids: list[str]


def _page(root: Path, url: str) -> bytes:
    return root.joinpath(*[p for p in urlsplit(url).path.split("/") if p]).read_bytes()


def _result(
    url: str,
    body: bytes,
    when: datetime,
    ctype: str = "text/html; charset=utf-8",
    status: int = 200,
) -> FetchResult:
    return FetchResult(url, url, status, {"content-type": ctype}, body, when)


def write_batch_input(folder: Path) -> BatchInput:
    site = folder / "site"
    manifest = build_site(site, BASE_URL)
    warc = folder / "warc"
    articles = sorted(manifest.articles, key=lambda a: a.url)
    halves = (articles[::2], articles[1::2])
    for n, half in enumerate(halves):
        with WarcWriter(warc, prefix=f"part{n}") as writer:
            for i, art in enumerate(half):
                writer.write(_result(art.url, _page(site, art.url), FETCHED + timedelta(minutes=i)))
            if n == 0:
                writer.write(
                    _result(f"{BASE_URL}/api.json", b'{"a": 1}', FETCHED, "application/json")
                )
                writer.write(
                    _result(f"{BASE_URL}/gone.html", b"<html>gone</html>", FETCHED, status=404)
                )
                writer.write(_result(f"{BASE_URL}/garbled.html", BROKEN_ENCODING, FETCHED))
            else:  # the first article of the other half, fetched again a day later
                again = halves[0][0]
                writer.write(
                    _result(again.url, _page(site, again.url), FETCHED + timedelta(days=1))
                )
    first = sorted(warc.glob("part0-*.warc.gz"))[0]
    data = first.read_bytes()
    (warc / "zz-cut.warc.gz").write_bytes(data[: len(data) // 3])  # a crashed copy
    jsonl = folder / "records.jsonl"
    lines = [json.dumps(r) for r in JSONL_RECORDS] + ['{"id": "bad", "text": 5}', "not json"]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = [*sorted(str(p) for p in warc.glob("*.warc.gz")), str(jsonl)]
    return BatchInput(files, {a.url: a for a in articles}, [r["id"] for r in JSONL_RECORDS])
