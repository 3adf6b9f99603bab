"""WARC in and out: read HTML responses from ``.warc`` / ``.warc.gz`` files (Common Crawl's
CC-NEWS among them), and append every fetched page to rotating, gzip-compressed WARC files.

Plain I/O over warcio, with no database. The reader never lets a damaged archive raise: every
record it does not turn into a ``FetchResult`` comes out as a ``WarcSkip`` with a short reason
(``broken`` set when the record itself is damaged), so callers can count reasons and carry on.
Only a file that cannot be opened at all raises ``InputError``.

Record layout written here::

    WARC-Type: response            one per fetched page, each in its own gzip member
    WARC-Target-URI: final URL     the URL the body came from
    WARC-Date: fetched_at (UTC)    microseconds kept (WARC/1.1)
    Byline-Requested-URI: URL      only when a redirect made it differ from the target URI
    WARC-Payload-Digest: sha1:…    and WARC-Block-Digest
    HTTP/1.1 status line and the response headers; the body as decoded, so Content-Encoding,
    Transfer-Encoding and Content-Length are renamed X-Crawler-* (Common Crawl's convention)
    and a Content-Length for the stored body is added.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, Protocol

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from byline.errors import InputError
from byline.records import FetchResult

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNIFF_TYPES = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "text/plain", "unknown/unknown"}
)
DEFAULT_MAX_PAYLOAD = 20_000_000  # decoded bytes kept per record; larger ones are skipped
DEFAULT_MAX_FILE_BYTES = 1_000_000_000  # the usual size of one WARC file
REQUESTED_URI = "Byline-Requested-URI"
RENAMED_HEADERS = {
    "content-encoding": "X-Crawler-Content-Encoding",
    "transfer-encoding": "X-Crawler-Transfer-Encoding",
    "content-length": "X-Crawler-Content-Length",
}
_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE)
_BROKEN = (Exception,)  # whatever warcio or zlib raise on a damaged file is handled the same


@dataclass(frozen=True)
class WarcItem:
    """An HTML response read from a WARC file."""

    result: FetchResult
    offset: int  # where the record starts in the file (compressed offset for .warc.gz)


@dataclass(frozen=True)
class WarcSkip:
    """A record the reader did not turn into a page, and why. ``reason`` is a short, stable
    phrase to count by; ``detail`` says more; ``broken`` marks damage (as opposed to a record
    that is simply not an HTML response)."""

    reason: str
    offset: int
    uri: str = ""
    detail: str = ""
    broken: bool = False

    @property
    def where(self) -> str:
        return f"offset {self.offset}" + (f" {self.uri}" if self.uri else "")


class _Records(ArchiveIterator):
    """warcio's iterator, logging (not printing) its complaint about a record that is not
    followed by the blank lines that should end it."""

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        empty_size, first_line = 0, True
        while True:
            line = self.reader.readline()
            if not line:
                return None, empty_size
            if not line.rstrip() or first_line:
                empty_size += len(line)
                if line.rstrip():
                    log.info("warc record not followed by a blank line: %r", line[:60])
                first_line = False
                continue
            return line, empty_size


class _Skip(Exception):
    def __init__(self, reason: str, detail: str = "", broken: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.detail, self.broken = reason, detail, broken


# ── reading ───────────────────────────────────────────────────────────────────────────────


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith((".warc", ".warc.gz"))


def read_warc(
    path: Path | str, max_payload: int = DEFAULT_MAX_PAYLOAD
) -> Iterator[WarcItem | WarcSkip]:
    """Yield each HTML response of a WARC file as a ``WarcItem`` and every other record as a
    ``WarcSkip``. Raises ``InputError`` (now, not when iterated) only when the file cannot be
    opened; damage inside the file becomes skips, and reading resumes at the next record."""
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return _read(handle, max_payload)


def _read(handle: BinaryIO, max_payload: int) -> Iterator[WarcItem | WarcSkip]:
    with handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        handle.seek(0)
        for taken, item in enumerate(_records(handle, gzipped, max_payload)):
            if isinstance(item, _WholeGzip):  # one gzip stream, not one member per record
                handle.seek(0)
                whole = _Inflating(handle)
                yield from itertools.islice(_records(whole, False, max_payload), taken, None)
                if whole.truncated:
                    yield WarcSkip("truncated gzip", whole.tell(), broken=True)
                return
            yield item


class _Stream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, /) -> int: ...
    def tell(self) -> int: ...


class _WholeGzip:
    """Marks a file gzipped as a whole, which warcio refuses to read record by record."""


class _Inflating:
    """A forward-only reader of a whole-file gzip stream that, unlike ``gzip.GzipFile``,
    hands over everything up to a cut instead of raising, and notes the cut."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.truncated = False
        self._inflater = zlib.decompressobj(31)
        self._buffer = b""
        self._position = 0
        self._done = False

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int) -> int:
        if offset != self._position:
            raise OSError("a whole-file gzip stream reads forward only")
        return offset

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._fill()
        cut = len(self._buffer) if size < 0 else size
        data, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self._position += len(data)
        return data

    def _fill(self) -> None:
        chunk = self.raw.read(1 << 16)
        if not chunk:
            self.truncated = not self._inflater.eof
            self._done = True
            return
        try:
            self._buffer += self._inflater.decompress(chunk)
            while self._inflater.eof and self._inflater.unused_data:  # the next member
                rest = self._inflater.unused_data
                self._inflater = zlib.decompressobj(31)
                self._buffer += self._inflater.decompress(rest)
        except zlib.error:
            self.truncated, self._done = True, True


def _records(
    stream: _Stream, gzipped: bool, max_payload: int
) -> Iterator[WarcItem | WarcSkip | _WholeGzip]:
    start: int | None = stream.tell()
    while start is not None:
        stream.seek(start)
        records = _Records(stream, no_record_parse=True, arc2warc=False)
        offset = start
        try:
            for record in records:
                offset = records.offset
                if record.format != "warc":  # warcio reads unknown text as ARC lines
                    yield WarcSkip("not a WARC file", offset, detail=record.format, broken=True)
                    return
                yield _take(record, offset, max_payload)
            return
        except _BROKEN as exc:
            if isinstance(stream, _Inflating):
                yield WarcSkip("broken archive", offset, detail=_first_line(exc), broken=True)
                return
            if gzipped and start == 0 and "non-chunked gzip" in str(exc):
                yield _WholeGzip()
                return
            offset = max(offset, int(getattr(records, "offset", offset) or 0))
            yield WarcSkip("broken archive", offset, detail=_first_line(exc), broken=True)
        start = _resync(stream, offset + 1, gzipped)


def _first_line(exc: Exception) -> str:
    """The first line of a complaint, printable: warcio quotes the damaged bytes, and an
    escape sequence among them must not reach the operator's terminal as it is."""
    text = str(exc).strip()
    line = (text.splitlines()[0] if text else type(exc).__name__)[:200]
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in line)


def _resync(handle: _Stream, after: int, gzipped: bool) -> int | None:
    """The offset of the next thing that looks like a record start, or None."""
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    position, tail = after, b""
    try:
        handle.seek(after)
        while block := handle.read(1 << 20):
            data = tail + block
            found = data.find(marker)
            if found >= 0:
                return position - len(tail) + found + (0 if gzipped else 1)
            tail = data[-(len(marker) - 1) :]
            position += len(block)
    except _BROKEN:  # a cut or damaged stream under a whole-file gzip
        return None
    return None


def _take(record: Any, offset: int, max_payload: int) -> WarcItem | WarcSkip:
    uri = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    try:
        return WarcItem(_result(record, uri, max_payload), offset)
    except _Skip as skip:
        return WarcSkip(skip.reason, offset, uri, skip.detail, skip.broken)


def _result(record: Any, uri: str, max_payload: int) -> FetchResult:
    if not isinstance(record.length, int):  # a cut inside the WARC headers loses it
        raise _Skip("truncated record", "no Content-Length", broken=True)
    if record.rec_type != "response":
        raise _Skip(f"{record.rec_type or 'untyped'} record")
    if not uri.lower().startswith(("http://", "https://")):
        raise _Skip("not an HTTP response", uri[:80])
    block = _read_block(record, max_payload)
    status, headers, raw = _parse_http(block)
    if not 200 <= status < 300:
        raise _Skip(f"HTTP {status // 100}xx status", str(status))
    body = _decode(raw, headers, max_payload)
    _check_html(headers, body)
    fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
    requested = str(record.rec_headers.get_header(REQUESTED_URI) or "") or uri
    return FetchResult(requested, uri, status, headers, body, fetched_at)


def _read_block(record: Any, max_payload: int) -> bytes:
    limit = max_payload + 64 * 1024  # room for the HTTP headers
    chunks, size = [], 0
    while chunk := record.raw_stream.read(1 << 16):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _Skip("payload too large", f"more than {max_payload} bytes")
    block = b"".join(chunks)
    expected = int(record.length)
    if len(block) < expected:
        raise _Skip("truncated record", f"{len(block)} of {expected} bytes", broken=True)
    return block


def _parse_http(block: bytes) -> tuple[int, dict[str, str], bytes]:
    match = re.search(rb"\r?\n\r?\n", block)
    if match is None:
        raise _Skip("bad HTTP headers", "no end of headers", broken=True)
    head, body = block[: match.start()], block[match.end() :]
    lines = head.split(b"\n")
    status_line = _STATUS_LINE.match(lines[0].strip())
    if status_line is None:
        raise _Skip("bad HTTP headers", repr(lines[0][:60]), broken=True)
    headers: dict[str, str] = {}
    last = ""
    for raw_line in lines[1:]:
        line = raw_line.rstrip(b"\r").decode("latin-1")
        if line[:1] in (" ", "\t") and last:  # an obsolete folded continuation
            headers[last] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or " " in name.strip():
            raise _Skip("bad HTTP headers", repr(line[:60]), broken=True)
        last = name.strip().lower()
        value = value.strip()
        headers[last] = f"{headers[last]}, {value}" if last in headers else value
    return int(status_line.group(1)), headers, body


def _decode(raw: bytes, headers: dict[str, str], max_payload: int) -> bytes:
    body = raw
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(raw)
    for coding in reversed(_codings(headers.get("content-encoding", ""))):
        body = _decompress(body, coding, max_payload)
    if len(body) > max_payload:
        raise _Skip("payload too large", f"{len(body)} bytes")
    return body


def _codings(value: str) -> list[str]:
    codings = (c.strip().lower() for c in value.split(","))
    return [c for c in codings if c not in {"", "identity"}]


def _dechunk(raw: bytes) -> bytes:
    """Undo chunked transfer coding. Archives that stored the payload already de-chunked (but
    kept the header) are taken as they are."""
    out, pos = bytearray(), 0
    while True:
        end = raw.find(b"\n", pos)
        size_text = raw[pos:end].split(b";")[0].strip() if end >= 0 else b""
        if not re.fullmatch(rb"[0-9a-fA-F]{1,8}", size_text):
            return raw if pos == 0 else _broken_chunks(raw)
        size = int(size_text, 16)
        if size == 0:
            return bytes(out)
        start = end + 1
        if start + size > len(raw):
            return _broken_chunks(raw)
        out += raw[start : start + size]
        pos = start + size
        pos += 2 if raw[pos : pos + 2] == b"\r\n" else 1 if raw[pos : pos + 1] == b"\n" else 0


def _broken_chunks(raw: bytes) -> bytes:
    raise _Skip("bad chunked encoding", f"{len(raw)} bytes", broken=True)


def _decompress(body: bytes, coding: str, max_payload: int) -> bytes:
    if coding in {"gzip", "x-gzip"} and body[:2] != b"\x1f\x8b":
        return body  # stored decoded, header kept (common in crawls)
    try:
        if coding in {"gzip", "x-gzip", "deflate"}:
            wbits = 47 if coding != "deflate" or body[:1] == b"\x78" else -15
            inflater = zlib.decompressobj(wbits)
            out = inflater.decompress(body, max_payload + 1)
        elif coding == "br":
            import brotli

            out = brotli.decompress(body)
        else:
            raise _Skip("unsupported content-encoding", coding)
    except ImportError:
        raise _Skip("unsupported content-encoding", "br (install brotli)") from None
    except (zlib.error, ValueError) as exc:
        raise _Skip("bad content-encoding", f"{coding}: {exc}", broken=True) from None
    except Exception as exc:  # brotli.error has no stable import path
        raise _Skip("bad content-encoding", f"{coding}: {exc}", broken=True) from None
    if len(out) > max_payload:
        raise _Skip("payload too large", f"{coding} inflates past {max_payload} bytes")
    return bytes(out)


def _check_html(headers: dict[str, str], body: bytes) -> None:
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in HTML_TYPES:
        return
    if ctype in SNIFF_TYPES and looks_like_html(body):
        return
    raise _Skip("not HTML", ctype or "no content type, and the body is not HTML")


def looks_like_html(body: bytes) -> bool:
    """Sniff the start of a body for HTML, as browsers do for an unlabelled response."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<!--"):
        head = head[head.find(b"-->") + 3 :].lstrip() if b"-->" in head else b""
    return bool(_HTML_START.match(head))


def _warc_date(value: str | None) -> datetime:
    if not value:
        raise _Skip("bad WARC-Date", "missing", broken=True)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _Skip("bad WARC-Date", value[:40], broken=True) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# ── writing ───────────────────────────────────────────────────────────────────────────────


class WarcWriter:
    """Append ``response`` records to gzip-compressed WARC files in ``folder``, named
    ``{prefix}-{UTC timestamp}-{serial}-{pid}.warc.gz``. A file is closed, and the next record
    starts a new one, once it has passed ``max_bytes``. Each record is a gzip member of its own
    and is flushed to the OS when written, so a crash loses at most the record being written.
    Not thread-safe: call it from one thread."""

    def __init__(
        self, folder: Path | str, prefix: str = "byline", max_bytes: int = DEFAULT_MAX_FILE_BYTES
    ) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.files: list[Path] = []  # every file this writer opened, in order
        self._serial = 0
        self._handle: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def current(self) -> Path | None:
        return self.files[-1] if self._handle is not None else None

    def write(self, result: FetchResult) -> Path:
        """Append one response record; returns the file it went to."""
        writer, handle = self._open()
        record = writer.create_warc_record(
            result.final_url or result.url,
            "response",
            payload=BytesIO(result.body),
            length=len(result.body),
            warc_headers_dict=_warc_headers(result),
            http_headers=_http_headers(result),
        )
        writer.write_record(record)
        handle.flush()
        path = self.files[-1]
        if handle.tell() >= self.max_bytes:
            self.close()
        return path

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle, self._writer = None, None

    def _open(self) -> tuple[WARCWriter, IO[bytes]]:
        if self._writer is not None and self._handle is not None:
            return self._writer, self._handle
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            name = f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}.warc.gz"
            try:
                handle = (self.folder / name).open("xb")
                break
            except FileExistsError:
                continue
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        info = {"software": _software(), "format": "WARC File Format 1.1"}
        writer.write_record(writer.create_warcinfo_record(name, info))
        handle.flush()
        self.files.append(self.folder / name)
        self._handle, self._writer = handle, writer
        return writer, handle


def _software() -> str:
    from byline import __version__

    return f"Byline/{__version__} (warcio)"


def _warc_headers(result: FetchResult) -> dict[str, str]:
    when = result.fetched_at
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    spec = "microseconds" if when.microsecond else "seconds"
    headers = {"WARC-Date": when.replace(tzinfo=None).isoformat(timespec=spec) + "Z"}
    if result.final_url and result.url != result.final_url:
        headers[REQUESTED_URI] = result.url
    return headers


def _http_headers(result: FetchResult) -> StatusAndHeaders:
    try:
        phrase = HTTPStatus(result.status).phrase
    except ValueError:
        phrase = "Unknown"
    pairs = []
    for name, value in result.headers.items():
        clean = " ".join(str(value).split())  # no header splitting through CR/LF
        pairs.append((RENAMED_HEADERS.get(name.lower(), name), clean))
    pairs.append(("Content-Length", str(len(result.body))))
    return StatusAndHeaders(f"{result.status} {phrase}", pairs, protocol="HTTP/1.1")


def archive_result(writer: WarcWriter | None, result: FetchResult) -> bool:
    """Append a fetched page to the WARC archive. A failure to write (a full disk, say) is
    logged and reported as False: archiving must never stop ingestion."""
    if writer is None:
        return False
    try:
        writer.write(result)
    except (OSError, ValueError) as exc:
        log.warning("cannot archive page url=%s folder=%s error=%s", result.url, writer.folder, exc)
        return False
    return True


def writer_for(data_dir: Path, max_bytes: int) -> WarcWriter:
    """The writer for a data folder's archive: ``DATA_DIR/warc/``."""
    return WarcWriter(Path(data_dir) / "warc", prefix="byline", max_bytes=max_bytes)
