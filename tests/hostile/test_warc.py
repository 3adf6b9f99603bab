"""Hostile WARC files through ``byline import`` (``importer.import_paths``, a real database):
each file holds good HTML responses around the damage. The damage must be named (a problem
naming the file, the offset and the reason, or a counted skip), the good pages stored, and
the import must finish within its budget."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.hostile.budget import within
from tests.integration.conftest import BASE_TIME, article_html, make_config, story_paragraphs

from byline.importer import import_paths
from byline.news.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_pipeline")]

GOOD = ["https://warc.example/first.html", "https://warc.example/last.html"]


def http(
    body: bytes, ctype: str = "text/html; charset=utf-8", extra: str = "", status: str = "200 OK"
) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def record(
    uri: str,
    block: bytes,
    length: str | None = None,
    date: str = "2025-03-02T09:00:00Z",
    rec_type: str = "response",
    extra: str = "",
) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {rec_type}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\n{extra}"
        f"Content-Length: {len(block) if length is None else length}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def page(url: str, word: str) -> bytes:
    html = article_html(
        f"{word} council approves the sea wall", story_paragraphs(word, "sea wall"), BASE_TIME, url
    )
    return http(html.encode())


def good(n: int) -> bytes:
    return record(GOOD[n], page(GOOD[n], ["Saltmarsh", "Kettleby"][n]))


HOSTILE = "https://warc.example/hostile.html"


def around(middle: bytes, gz: bool = True) -> bytes:
    parts = [good(0), middle, good(1)]
    if gz:
        return b"".join(gzip.compress(p) for p in parts)
    return b"".join(parts)


@dataclass(frozen=True)
class Warc:
    name: str
    data: Callable[[], bytes]
    problems: tuple[str, ...] = ()  # words of each problem the import reports, in order
    skipped: dict[str, int] = field(default_factory=dict)  # counted skips, by reason
    stored: tuple[str, ...] = tuple(GOOD)
    suffix: str = ".warc.gz"
    seconds: float = 6.0
    mb: float = 60.0


BOMB = gzip.compress(b"\0" * 100_000_000, 9)

WARCS = [
    Warc(
        "warc-truncated-gzip-member",
        lambda: around(b"") + gzip.compress(record(HOSTILE, page(HOSTILE, "Cutoff")))[:300],
        ("truncated record",),
    ),
    Warc(
        "warc-truncated-plain",
        lambda: (good(0) + good(1) + record(HOSTILE, page(HOSTILE, "Cut")))[:-500],
        ("truncated record",),
        suffix=".warc",
    ),
    Warc(
        "warc-truncated-whole-file-gzip",
        lambda: gzip.compress(good(0) + good(1) + record(HOSTILE, page(HOSTILE, "Cut")))[:-30],
        ("truncated record", "truncated gzip"),
    ),
    Warc(
        "warc-bad-warc-headers",
        lambda: around(b"WARC/1.0\r\nthis is not a header\r\n\x00\xff garbage\r\n\r\n"),
        ("truncated record (no Content-Length)",),
    ),
    Warc(
        "warc-bad-http-headers",
        lambda: around(record(HOSTILE, b"\x00\xffNOT HTTP\r\n\r\n<p>x")),
        ("bad HTTP headers",),
    ),
    Warc(
        "warc-content-length-too-big",
        lambda: around(record(HOSTILE, page(HOSTILE, "Overlong"), length="999999999")),
        ("truncated record",),
    ),
    Warc(
        "warc-content-length-negative",
        lambda: around(record(HOSTILE, page(HOSTILE, "Negative"), length="-5")),
        ("bad HTTP headers (no end of headers)", "broken archive (Invalid WARC record"),
    ),
    Warc(
        "warc-content-length-not-a-number",
        lambda: around(record(HOSTILE, page(HOSTILE, "Wordy"), length="lots")),
        ("bad HTTP headers (no end of headers)", "broken archive (Invalid WARC record"),
    ),
    Warc(
        "warc-huge-record",
        lambda: around(record(HOSTILE, http(b"<p>" + b"h" * 21_000_000))),
        skipped={"payload too large": 1},
        seconds=10,
        mb=150,
    ),
    Warc(
        "warc-gzip-bomb-payload",
        lambda: around(record(HOSTILE, http(BOMB, extra="Content-Encoding: gzip\r\n"))),
        skipped={"payload too large": 1},
        seconds=8,
        mb=120,
    ),
    Warc(
        "warc-bad-chunked-encoding",
        lambda: around(
            record(HOSTILE, http(b"ff\r\nshort", extra="Transfer-Encoding: chunked\r\n"))
        ),
        ("bad chunked encoding",),
    ),
    Warc(
        "warc-bad-date",
        lambda: around(record(HOSTILE, page(HOSTILE, "Dateless"), date="the day after")),
        ("bad WARC-Date",),
    ),
    Warc(
        "warc-year-9999-date",
        lambda: around(record(HOSTILE, page(HOSTILE, "Farfuture"), date="9999-12-31T23:59:59Z")),
        stored=(*GOOD, HOSTILE),
    ),
    Warc(
        "warc-non-html-record",
        lambda: around(record(HOSTILE, http(b"\x89PNG", "image/png"))),
        skipped={"not HTML": 1},
    ),
    Warc(
        "warc-request-record",
        lambda: around(record(HOSTILE, b"GET / HTTP/1.1\r\n\r\n", rec_type="request")),
        skipped={"request record": 1},
    ),
    Warc(
        "warc-javascript-uri",
        lambda: around(record("javascript:alert(1)", page(HOSTILE, "Scripted"))),
        skipped={"not an HTTP response": 1},
    ),
    Warc(
        "warc-not-a-warc-file",
        lambda: page(HOSTILE, "Plain"),
        ("broken archive (Unknown archive format",),
        stored=(),
        suffix=".warc",
    ),
    Warc(
        "warc-binary-garbage",
        lambda: bytes((n * 7919 + 13) % 256 for n in range(100_000)),
        ("broken archive (Unknown archive format",),
        stored=(),
        suffix=".warc",
    ),
    Warc(
        "warc-gzip-of-garbage",
        lambda: gzip.compress(b"\x00\x1b[31mgarbage" * 1000),
        ("broken archive (Unknown archive format",),
        stored=(),
    ),
    Warc("warc-empty-file", lambda: b"", stored=(), suffix=".warc"),
]


@pytest.mark.parametrize("case", WARCS, ids=[c.name for c in WARCS])
def test_hostile_warc_files(case: Warc, tmp_path: Path) -> None:
    path = tmp_path / f"{case.name}{case.suffix}"
    path.write_bytes(case.data())
    config = make_config(tmp_path / "data")
    with within(case.seconds, case.mb, case.name):
        report = import_paths(config, [path], None, "outlet")
    stored = set(Article.objects.values_list("url", flat=True))
    assert stored == set(case.stored), (report.problems, dict(report.skipped))
    assert len(report.problems) == len(case.problems), report.problems
    for problem, words in zip(report.problems, case.problems, strict=True):
        assert problem.startswith(path.name + " offset "), problem
        assert words in problem, problem
    for problem in report.problems:  # damaged bytes are quoted, never sent raw to a terminal
        assert problem.isprintable(), ascii(problem)
    for reason, count in case.skipped.items():
        assert report.skipped[reason] == count, dict(report.skipped)
