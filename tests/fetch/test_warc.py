"""WARC in and out, on real files: pages written by ``WarcWriter`` come back from
``read_warc`` byte for byte; everything else, damaged or not HTML, comes back as a counted
skip, never an exception."""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from byline.errors import InputError
from byline.fetch.warc import (
    WarcItem,
    WarcSkip,
    WarcWriter,
    archive_result,
    looks_like_html,
    read_warc,
    writer_for,
)
from byline.records import FetchResult

WHEN = datetime(2025, 3, 2, 9, 30, 15, tzinfo=UTC)


def page(n: int, size: int = 2000) -> bytes:
    words = " ".join(f"word{n}-{i}" for i in range(size // 10))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Page {n}</title></head>"
        f"<body><article><h1>Page {n} — café</h1><p>{words}</p></article></body></html>"
    ).encode()


def html_result(n: int, **kwargs: object) -> FetchResult:
    url = f"https://news.example/{n}.html"
    values: dict[str, object] = {
        "url": url,
        "final_url": url,
        "status": 200,
        "headers": {"content-type": "text/html; charset=utf-8", "content-encoding": "gzip"},
        "body": page(n),
        "fetched_at": WHEN + timedelta(minutes=n, microseconds=n * 1001),
    }
    values.update(kwargs)
    return FetchResult(**values)  # type: ignore[arg-type]


def others() -> list[FetchResult]:
    return [
        FetchResult(
            "https://api.example/data.json",
            "https://api.example/data.json",
            200,
            {"content-type": "application/json"},
            b'{"headline": "not a page"}',
            WHEN,
        ),
        FetchResult(
            "https://img.example/photo.png",
            "https://img.example/photo.png",
            200,
            {"content-type": "image/png"},
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
            WHEN,
        ),
    ]


def items(path: Path) -> list[WarcItem | WarcSkip]:
    return list(read_warc(path))


def pages_of(results: list[WarcItem | WarcSkip]) -> list[FetchResult]:
    return [r.result for r in results if isinstance(r, WarcItem)]


def reasons(results: list[WarcItem | WarcSkip]) -> Counter[str]:
    return Counter(r.reason for r in results if isinstance(r, WarcSkip))


def test_pages_round_trip(tmp_path: Path) -> None:
    redirected = html_result(9, url="https://news.example/short/9")
    written = [html_result(1), *others(), html_result(2), redirected]
    with WarcWriter(tmp_path / "warc", prefix="test") as writer:
        for result in written:
            writer.write(result)
    assert len(writer.files) == 1
    path = writer.files[0]
    assert path.name.startswith("test-") and path.name.endswith(".warc.gz")

    results = items(path)
    back = pages_of(results)
    html = [r for r in written if r.content_type == "text/html"]
    assert [r.url for r in back] == [r.url for r in html]
    for original, read in zip(html, back, strict=True):
        assert read.body == original.body  # byte-identical
        assert read.final_url == original.final_url
        assert read.status == 200
        assert read.fetched_at == original.fetched_at  # microseconds kept, in UTC
        assert read.fetched_at.tzinfo is not None
        assert read.content_type == "text/html"
        assert "content-encoding" not in read.headers  # the body is stored decoded
        assert read.headers["x-crawler-content-encoding"] == "gzip"
        assert read.headers["content-length"] == str(len(original.body))
    assert back[-1].url == "https://news.example/short/9"
    assert back[-1].final_url == "https://news.example/9.html"
    assert reasons(results) == {"warcinfo record": 1, "not HTML": 2}
    skipped = {r.uri: r for r in results if isinstance(r, WarcSkip) and r.uri}
    assert skipped["https://api.example/data.json"].detail == "application/json"
    assert skipped["https://img.example/photo.png"].detail == "image/png"
    assert not any(r.broken for r in results if isinstance(r, WarcSkip))


def test_records_carry_digests_and_dates(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        writer.write(html_result(1))
    text = gzip.decompress(writer.files[0].read_bytes()).decode("utf-8")
    assert "WARC-Type: warcinfo" in text and "software: Byline/" in text
    assert "WARC-Type: response" in text
    assert "WARC-Target-URI: https://news.example/1.html" in text
    assert "WARC-Date: 2025-03-02T09:31:15.001001Z" in text
    assert "WARC-Payload-Digest: sha1:" in text and "WARC-Block-Digest: sha1:" in text
    assert "HTTP/1.1 200 OK\r\n" in text


def test_rotation_makes_several_files(tmp_path: Path) -> None:
    written = [html_result(n) for n in range(12)]
    with WarcWriter(tmp_path, max_bytes=3000) as writer:
        targets = [writer.write(result) for result in written]
    files = sorted(tmp_path.glob("byline-*.warc.gz"))
    assert len(files) >= 4
    assert files == sorted(writer.files)
    assert len(set(targets)) == len(files)
    serials = [int(f.name.split("-")[2]) for f in writer.files]
    assert serials == sorted(serials) and len(set(serials)) == len(serials)
    back = [r for f in writer.files for r in pages_of(items(f))]
    assert [r.url for r in back] == [r.url for r in written]
    assert all(a.body == b.body for a, b in zip(back, written, strict=True))


def test_each_record_is_on_disk_once_written(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    writer.write(html_result(1))
    writer.write(html_result(2))
    # Not closed: what a crash would leave is already readable.
    assert [r.url for r in pages_of(items(writer.files[0]))] == [
        "https://news.example/1.html",
        "https://news.example/2.html",
    ]
    writer.close()


def test_a_truncated_file_yields_what_came_before(tmp_path: Path) -> None:
    with WarcWriter(tmp_path / "w") as writer:
        for n in range(6):
            writer.write(html_result(n))
    data = writer.files[0].read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    results = items(cut)
    back = pages_of(results)
    assert 1 <= len(back) < 6
    assert [r.url for r in back] == [f"https://news.example/{n}.html" for n in range(len(back))]
    assert all(r.body == page(n) for n, r in enumerate(back))
    broken = [r for r in results if isinstance(r, WarcSkip) and r.broken]
    assert broken and broken[-1].reason in {"truncated record", "broken archive"}


@pytest.mark.parametrize("compressed", [True, False])
def test_a_cut_anywhere_never_raises(tmp_path: Path, compressed: bool) -> None:
    with WarcWriter(tmp_path / "w") as writer:
        for n in range(3):
            writer.write(html_result(n, body=page(n, 300)))
    data = writer.files[0].read_bytes()
    if not compressed:
        data = gzip.decompress(data)
    target = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    for end in range(0, len(data), 23):
        target.write_bytes(data[:end])
        results = items(target)
        for result in pages_of(results):
            assert result.body in {page(n, 300) for n in range(3)}


def test_damage_in_the_middle_is_skipped_and_reading_resumes(tmp_path: Path) -> None:
    with WarcWriter(tmp_path / "w") as writer:
        for n in range(5):
            writer.write(html_result(n))
    data = bytearray(writer.files[0].read_bytes())
    offsets = [r.offset for r in items(writer.files[0]) if isinstance(r, WarcItem)]
    for i in range(offsets[2] + 20, offsets[2] + 60):  # inside the third page's gzip member
        data[i] ^= 0x5A
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(bytes(data))
    results = items(damaged)
    urls = [r.url for r in pages_of(results)]
    assert urls == [f"https://news.example/{n}.html" for n in (0, 1, 3, 4)]
    assert any(isinstance(r, WarcSkip) and r.broken for r in results)


def test_a_whole_file_gzip_is_read_too(tmp_path: Path) -> None:
    with WarcWriter(tmp_path / "w") as writer:
        for n in range(3):
            writer.write(html_result(n))
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(gzip.decompress(writer.files[0].read_bytes())))
    assert [r.url for r in pages_of(items(whole))] == [
        f"https://news.example/{n}.html" for n in range(3)
    ]
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) * 2 // 3])
    results = items(whole)
    assert 1 <= len(pages_of(results)) < 3
    assert any(isinstance(r, WarcSkip) and r.broken for r in results)


def _raw_record(
    writer: WARCWriter,
    uri: str,
    statusline: str,
    headers: list[tuple[str, str]],
    body: bytes,
    record_type: str = "response",
) -> None:
    http = StatusAndHeaders(statusline, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri,
        record_type,
        payload=BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-11-05T06:07:08Z"},
    )
    writer.write_record(record)


def chunked(data: bytes, size: int = 100) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def crawl_file(path: Path) -> None:
    """A WARC as other crawlers write it: encoded payloads, request and metadata records,
    unlabelled bodies, an error page and a broken header block."""
    html = page(7)
    deflated = zlib.compress(html)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        gz = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        _raw_record(writer, "https://a.example/gz", "200 OK", gz, gzip.compress(html))
        both = [*gz, ("Transfer-Encoding", "chunked")]
        _raw_record(
            writer, "https://a.example/chunked", "200 OK", both, chunked(gzip.compress(html))
        )
        de = [("Content-Type", "text/html"), ("Content-Encoding", "deflate")]
        _raw_record(writer, "https://a.example/deflate", "200 OK", de, deflated)
        _raw_record(writer, "https://a.example/unlabelled", "200 OK", [], html)
        _raw_record(writer, "https://a.example/blob", "200 OK", [], bytes(range(256)))
        notfound = [("Content-Type", "text/html")]
        _raw_record(writer, "https://a.example/gone", "404 Not Found", notfound, b"<html>no</html>")
        bad = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        _raw_record(writer, "https://a.example/badgz", "200 OK", bad, b"\x1f\x8b\x08" + b"x" * 50)
        request = StatusAndHeaders(
            "GET /gz HTTP/1.1", [("Host", "a.example")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record("https://a.example/gz", "request", http_headers=request)
        )
        meta = writer.create_warc_record(
            "https://a.example/gz",
            "metadata",
            payload=BytesIO(b"fetchTimeMs: 12\r\n"),
            length=17,
            warc_content_type="application/warc-fields",
        )
        writer.write_record(meta)
        garbled = b"HTTP/1.1 200 OK\r\nContent-Type text/html\r\n\r\n<html></html>"
        broken = writer.create_warc_record(
            "https://a.example/garbled",
            "response",
            payload=BytesIO(garbled),
            length=len(garbled),
            http_headers=StatusAndHeaders("", [], protocol=""),
        )
        broken.http_headers = None
        writer.write_record(broken)


def test_encoded_payloads_are_decoded_and_junk_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    crawl_file(path)
    results = items(path)
    back = {r.url: r for r in pages_of(results)}
    assert set(back) == {
        "https://a.example/gz",
        "https://a.example/chunked",
        "https://a.example/deflate",
        "https://a.example/unlabelled",
    }
    for result in back.values():
        assert result.body == page(7)
        assert result.fetched_at == datetime(2024, 11, 5, 6, 7, 8, tzinfo=UTC)
    skips = {
        r.uri.rsplit("/", 1)[-1] + ":" + r.reason: r for r in results if isinstance(r, WarcSkip)
    }
    assert "blob:not HTML" in skips and not skips["blob:not HTML"].broken
    assert "gone:HTTP 4xx status" in skips
    assert "badgz:bad content-encoding" in skips and skips["badgz:bad content-encoding"].broken
    assert "gz:request record" in skips and "gz:metadata record" in skips
    assert "garbled:bad HTTP headers" in skips and skips["garbled:bad HTTP headers"].broken
    assert len(results) == 4 + 6


def test_a_gzip_bomb_payload_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    bomb = gzip.compress(b"<html>" + b" " * 5_000_000)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        _raw_record(writer, "https://a.example/bomb", "200 OK", headers, bomb)
    results = list(read_warc(path, max_payload=100_000))
    assert reasons(results) == {"payload too large": 1}


def test_unreadable_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_warc(tmp_path / "missing.warc.gz")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    assert items(empty) == []
    for name, data in [
        ("text.warc", b"this is not an archive at all\n" * 40),
        ("binary.warc.gz", bytes(range(256)) * 40),
        ("fakegz.warc.gz", b"\x1f\x8b" + b"\x00" * 500),
    ]:
        target = tmp_path / name
        target.write_bytes(data)
        results = items(target)
        assert results and all(isinstance(r, WarcSkip) and r.broken for r in results), name


def test_sniffing() -> None:
    assert looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE html><html>")
    assert looks_like_html(b"<!-- cached --> <html lang='en'>")
    assert looks_like_html(b"\n<HEAD><title>x</title>")
    assert not looks_like_html(b'{"html": "<html>"}')
    assert not looks_like_html(b"\x89PNG\r\n")


def test_archive_result_writes_under_the_data_folder(tmp_path: Path) -> None:
    writer = writer_for(tmp_path / "data", max_bytes=10_000_000)
    with writer:
        assert archive_result(writer, html_result(1))
        assert archive_result(writer, html_result(2))
    files = list((tmp_path / "data" / "warc").glob("byline-*.warc.gz"))
    assert len(files) == 1
    assert len(pages_of(items(files[0]))) == 2
    assert not archive_result(None, html_result(3))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    assert not archive_result(WarcWriter(blocked / "warc"), html_result(4))
