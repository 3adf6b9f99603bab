"""Hostile servers and URLs, through Byline's real fetcher (``byline.fetch.http.Fetcher``)
against real loopback servers. Every case names what must happen: refused with the exception
type and the words of its reason, or handled with the result asserted; and every case runs
under a wall-time and memory budget (``budget.within``).

The only private address a case may reach is the one its policy's allow-list names; the SSRF
cases run with an empty allow-list, against a live server on 127.0.0.1 that must never see a
request. DNS tricks go through the resolver edge (``socket.getaddrinfo``), the one mock."""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.hostile.budget import within
from tests.hostile.conftest import LONG, RawServer
from tests.integration.conftest import LoopbackServer

from byline.errors import BadContent, BlockedAddress, FetchError, TooLarge
from byline.fetch.http import Fetcher, FetchPolicy

CAP = 1_000_000  # the body cap of these cases' policy (the default, max_page_bytes, is 5 MB)


def policy(*allow: str, timeout: float = 3.0, max_bytes: int = CAP) -> FetchPolicy:
    return FetchPolicy(
        user_agent="Byline/hostile-test",
        timeout=timeout,
        connect_timeout=1.0,
        read_timeout=timeout,
        max_bytes=max_bytes,
        allow=allow,
    )


@pytest.fixture
def target() -> Any:
    """A live server on 127.0.0.1 that SSRF cases aim at: it must never be reached."""
    server = LoopbackServer().start()
    server.add("/", b"<p>internal secret</p>")
    server.add("/latest/meta-data/", b"iam-credentials")
    try:
        yield server
    finally:
        server.stop()


# ── SSRF: every way of writing a forbidden address ────────────────────────────────────────


@dataclass(frozen=True)
class Refusal:
    name: str
    url: str  # {port} is the target server's port
    reason: str  # words the BlockedAddress reason must contain
    seconds: float = 2.0
    mb: float = 10.0


SSRF = [
    Refusal("ssrf-loopback-dotted", "http://127.0.0.1:{port}/", "a loopback address"),
    Refusal("ssrf-loopback-other", "http://127.8.9.10:{port}/", "a loopback address"),
    Refusal("ssrf-decimal-ip", "http://2130706433:{port}/", "a loopback address"),
    Refusal("ssrf-octal-ip", "http://0177.0.0.01:{port}/", "a loopback address"),
    Refusal("ssrf-octal-whole", "http://017700000001:{port}/", "a loopback address"),
    Refusal("ssrf-hex-ip", "http://0x7f000001:{port}/", "a loopback address"),
    Refusal("ssrf-hex-dotted", "http://0x7f.0x0.0x0.0x1:{port}/", "a loopback address"),
    Refusal("ssrf-short-127.1", "http://127.1:{port}/", "a loopback address"),
    Refusal("ssrf-short-127.0.1", "http://127.0.1:{port}/", "a loopback address"),
    Refusal("ssrf-zero-dotted", "http://0.0.0.0:{port}/", "an unspecified address"),
    Refusal("ssrf-zero-short", "http://0:{port}/", "an unspecified address"),
    Refusal("ssrf-trailing-dot-ip", "http://127.0.0.1.:{port}/", "a loopback address"),
    Refusal(
        "ssrf-ipv4-mapped-ipv6",
        "http://[::ffff:127.0.0.1]:{port}/",
        "a loopback address (inside IPv6 ::ffff:7f00:1)",
    ),
    Refusal("ssrf-ipv4-mapped-hex", "http://[::ffff:7f00:1]:{port}/", "a loopback address"),
    Refusal("ssrf-ipv6-loopback", "http://[::1]:{port}/", "a loopback address"),
    Refusal("ssrf-ipv6-unspecified", "http://[::]:{port}/", "an unspecified address"),
    Refusal("ssrf-ipv6-link-local-zone", "http://[fe80::1%25lo]:{port}/", "a link-local address"),
    Refusal("ssrf-ipv6-unique-local-fc00", "http://[fc00::1]:{port}/", "a private address"),
    Refusal("ssrf-ipv6-unique-local-fd", "http://[fd12:3456::1]/", "a private address"),
    Refusal("ssrf-6to4-loopback", "http://[2002:7f00:1::]:{port}/", "a loopback address"),
    Refusal("ssrf-nat64-private", "http://[64:ff9b::a00:1]/", "a private address"),
    Refusal("ssrf-metadata", "http://169.254.169.254/latest/meta-data/", "a cloud metadata"),
    Refusal("ssrf-metadata-decimal", "http://2852039166/latest/meta-data/", "a cloud metadata"),
    Refusal("ssrf-metadata-hex", "http://0xa9fea9fe/", "a cloud metadata"),
    Refusal("ssrf-metadata-mapped", "http://[::ffff:169.254.169.254]/", "a cloud metadata"),
    Refusal("ssrf-metadata-ipv6", "http://[fd00:ec2::254]/", "a cloud metadata"),
    Refusal("ssrf-link-local", "http://169.254.1.1/", "a link-local address"),
    Refusal("ssrf-private-10", "http://10.0.0.1/admin", "a private address"),
    Refusal("ssrf-private-172", "http://172.16.5.4/", "a private address"),
    Refusal("ssrf-private-192", "http://192.168.1.1/", "a private address"),
    Refusal("ssrf-cgnat-100.64", "http://100.64.0.1/", "not a public address"),
    Refusal("ssrf-multicast", "http://224.0.0.1/", "a multicast address"),
    Refusal("ssrf-broadcast", "http://255.255.255.255/", "address"),
    Refusal("ssrf-localhost-name", "http://localhost:{port}/", "a loopback address"),
    Refusal("ssrf-localhost-upper", "http://LOCALHOST:{port}/", "a loopback address"),
    Refusal("ssrf-userinfo", "http://evil.example@127.0.0.1:{port}/", "a loopback address"),
    Refusal("ssrf-userinfo-with-port", "http://127.0.0.1:80@169.254.169.254/", "a cloud metadata"),
    Refusal("ssrf-file-scheme", "file:///etc/passwd", "refusing the file scheme"),
    Refusal("ssrf-gopher-scheme", "gopher://127.0.0.1:{port}/_", "refusing the gopher scheme"),
    Refusal("ssrf-no-host", "http:///etc/passwd", "the URL has no host"),
    Refusal("ssrf-bad-port", "http://127.0.0.1:99999/", "invalid URL"),
]


@pytest.mark.parametrize("case", SSRF, ids=[c.name for c in SSRF])
def test_ssrf_every_address_form_is_refused(case: Refusal, target: Any) -> None:
    url = case.url.format(port=target.port)
    with (
        within(case.seconds, case.mb, case.name),
        Fetcher(policy()) as fetcher,
        pytest.raises(BlockedAddress) as caught,
    ):
        fetcher.get(url)
    assert case.reason in caught.value.reason, caught.value.reason
    assert caught.value.url == url
    assert target.hits == [], "the forbidden server was reached"


# ── DNS: names that resolve to forbidden addresses, and answers that change ───────────────


@dataclass(frozen=True)
class DNSCase:
    name: str
    answers: list[list[str]]  # successive answers for hostile.example
    reason: str


DNS = [
    DNSCase("dns-name-to-loopback", [["127.0.0.1"]], "it resolves to 127.0.0.1, a loopback"),
    DNSCase("dns-name-to-private", [["10.20.30.40"]], "it resolves to 10.20.30.40, a private"),
    DNSCase(
        "dns-name-to-metadata",
        [["169.254.169.254"]],
        "it resolves to 169.254.169.254, a cloud metadata address",
    ),
    DNSCase(
        "dns-name-to-mapped-ipv6",
        [["::ffff:127.0.0.1"]],
        "it resolves to ::ffff:7f00:1, a loopback address (inside IPv6 ::ffff:7f00:1)",
    ),
    DNSCase("dns-trailing-dot-name", [["127.0.0.1"]], "it resolves to 127.0.0.1, a loopback"),
    DNSCase("dns-name-to-ipv6-loopback", [["::1"]], "it resolves to ::1, a loopback"),
    DNSCase(
        "dns-mixed-public-and-private",
        [["93.184.216.34", "127.0.0.1"]],
        "it resolves to 127.0.0.1, a loopback",
    ),
    DNSCase(
        "dns-rebinding-private-first",
        [["127.0.0.1"], ["93.184.216.34"]],
        "it resolves to 127.0.0.1, a loopback",
    ),
]


@pytest.mark.parametrize("case", DNS, ids=[c.name for c in DNS])
def test_names_resolving_to_forbidden_addresses_are_refused_at_connect(
    case: DNSCase, target: Any, resolver: Callable[..., list[str]]
) -> None:
    asked = resolver({"hostile.example": case.answers})
    host = "hostile.example." if "trailing-dot" in case.name else "hostile.example"
    url = f"http://{host}:{target.port}/"
    with (
        within(3, 10, case.name),
        Fetcher(policy()) as fetcher,
        pytest.raises(BlockedAddress) as caught,
    ):
        fetcher.get(url)
    assert f"refusing to fetch from {host}: {case.reason}" in caught.value.reason
    assert caught.value.url == url
    assert asked == ["hostile.example"], "resolved once, at connect time"
    assert target.hits == []


def _pair_of_servers(raw_server: Callable[..., RawServer]) -> tuple[RawServer, RawServer]:
    """A 'public' server on 127.0.0.2 and a 'secret' one on 127.0.0.1, on the same port."""

    def public(conn: socket.socket, server: RawServer) -> None:
        server.send(conn, _response(b"<p>public page</p>"))

    def secret(conn: socket.socket, server: RawServer) -> None:
        server.send(conn, _response(b"<p>internal secret</p>"))

    for _ in range(20):
        first = raw_server(public, host="127.0.0.2")
        try:
            return first, raw_server(secret, host="127.0.0.1", port=first.port)
        except OSError:
            first.stop()
    raise AssertionError("no port free on both 127.0.0.1 and 127.0.0.2")


def test_dns_rebinding_connects_to_the_checked_address(
    raw_server: Callable[..., RawServer], resolver: Callable[..., list[str]]
) -> None:
    """dns-rebinding-public-then-private: the first answer passes the check (127.0.0.2 stands
    for a public address: the allow-list names it), every later answer is the forbidden
    127.0.0.1. One fetch resolves once and connects to the address it checked: the secret
    server, listening on the same port of 127.0.0.1, sees nothing."""
    public, secret = _pair_of_servers(raw_server)
    asked = resolver({"rebind.example": [["127.0.0.2"], ["127.0.0.1"]]})
    with (
        within(3, 10, "dns-rebinding-public-then-private"),
        Fetcher(policy("127.0.0.2")) as fetcher,
    ):
        result = fetcher.get(f"http://rebind.example:{public.port}/a")
    assert result.body == b"<p>public page</p>"
    assert asked == ["rebind.example"], "one lookup: the checked answer is the one used"
    assert public.connections == 1
    assert secret.connections == 0 and secret.requests == []


def test_dns_rebinding_on_the_next_lookup_is_refused(
    raw_server: Callable[..., RawServer], resolver: Callable[..., list[str]]
) -> None:
    """dns-rebinding-next-lookup: the next fetch resolves again (the server closed the first
    connection), gets the forbidden second answer and refuses it."""
    public, secret = _pair_of_servers(raw_server)
    asked = resolver({"rebind.example": [["127.0.0.2"], ["127.0.0.1"]]})
    url = f"http://rebind.example:{public.port}/"
    with within(4, 10, "dns-rebinding-next-lookup"), Fetcher(policy("127.0.0.2")) as fetcher:
        assert fetcher.get(url).body == b"<p>public page</p>"
        with pytest.raises(BlockedAddress) as caught:
            fetcher.get(url)
    assert "it resolves to 127.0.0.1, a loopback address" in caught.value.reason
    assert asked == ["rebind.example", "rebind.example"]
    assert secret.connections == 0


# ── redirects ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Hop:
    name: str
    location: str  # {secret} is the port of the server that must not be reached
    error: type[Exception]
    reason: str


REDIRECTS = [
    Hop("redirect-to-loopback-port", "http://127.0.0.1:{secret}/", BlockedAddress, "a loopback"),
    Hop("redirect-to-decimal-ip", "http://2130706433:{secret}/", BlockedAddress, "a loopback"),
    Hop("redirect-to-ipv6-loopback", "http://[::1]:{secret}/", BlockedAddress, "a loopback"),
    Hop("redirect-to-mapped-ipv6", "http://[::ffff:7f00:1]:{secret}/", BlockedAddress, "loopback"),
    Hop(
        "redirect-to-metadata",
        "http://169.254.169.254/latest/meta-data/",
        BlockedAddress,
        "redirected to http://169.254.169.254/latest/meta-data/: refusing to fetch from "
        "169.254.169.254: a cloud metadata address",
    ),
    Hop("redirect-scheme-relative", "//10.0.0.1/", BlockedAddress, "a private address"),
    Hop("redirect-to-file", "file:///etc/passwd", BlockedAddress, "refusing the file scheme"),
    Hop("redirect-to-private-name", "http://lan.example:{secret}/", BlockedAddress, "10.1.2.3"),
    Hop("redirect-loop", "/loop", FetchError, "more than 5 redirects (a redirect loop)"),
    Hop("redirect-chain", "/chain/1", FetchError, "more than 5 redirects"),
]


@pytest.mark.parametrize("case", REDIRECTS, ids=[c.name for c in REDIRECTS])
def test_redirects_are_checked_hop_by_hop(
    case: Hop, target: Any, resolver: Callable[..., list[str]]
) -> None:
    resolver({"lan.example": [["10.1.2.3"]]})
    entry = LoopbackServer().start()
    try:
        entry.add("/loop", b"", status=302, headers={"Location": "/loop"})
        for n in range(1, 10):
            entry.add(f"/chain/{n}", b"", status=301, headers={"Location": f"/chain/{n + 1}"})
        entry.add(
            "/start",
            b"",
            status=302,
            headers={"Location": case.location.format(secret=target.port)},
        )
        allowed = policy(f"127.0.0.1:{entry.port}")
        with (
            within(3, 10, case.name),
            Fetcher(allowed) as fetcher,
            pytest.raises(case.error) as caught,
        ):
            fetcher.get(entry.url("/start"))
    finally:
        entry.stop()
    assert isinstance(caught.value, FetchError)
    assert case.reason in caught.value.reason, caught.value.reason
    assert target.hits == []
    if case.error is BlockedAddress:
        assert caught.value.reason.startswith("redirected to ")


# ── misbehaving servers: slow, endless, lying, compressed, TLS ────────────────────────────


def _response(body: bytes, *headers: str, length: bool = True, status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8", *headers]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def dribble_body(conn: socket.socket, server: RawServer) -> None:
    server.send(
        conn,
        _response(b"", length=False).replace(b"\r\n\r\n", b"\r\nContent-Length: 100000\r\n\r\n"),
    )
    while not server.stopping.is_set():
        server.send(conn, b"x")
        time.sleep(0.1)


def dribble_head(conn: socket.socket, server: RawServer) -> None:
    for byte in _response(b"<p>x</p>" * 1000):
        if server.stopping.is_set():
            return
        server.send(conn, bytes([byte]))
        time.sleep(0.05)


def silent(conn: socket.socket, server: RawServer) -> None:
    server.stopping.wait(10)


def endless_chunks(conn: socket.socket, server: RawServer) -> None:
    server.send(
        conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"10000\r\n" + b"<p>" * 21845 + b"x\r\n"
    while not server.stopping.is_set():
        server.send(conn, chunk)


def huge_declared(conn: socket.socket, server: RawServer) -> None:
    server.send(conn, _response(b"<p>tiny</p>", "Content-Length: 1000000000000", length=False))


def short_declared(conn: socket.socket, server: RawServer) -> None:
    server.send(
        conn,
        _response(
            b"<p>12345</p>-and-then-junk-the-server-did-not-declare",
            "Content-Length: 12",
            length=False,
        ),
    )


def long_declared(conn: socket.socket, server: RawServer) -> None:
    server.send(conn, _response(b"<p>cut</p>", "Content-Length: 5000", length=False))


def negative_length(conn: socket.socket, server: RawServer) -> None:
    server.send(conn, _response(b"<p>x</p>", "Content-Length: -5", length=False))


def two_lengths(conn: socket.socket, server: RawServer) -> None:
    server.send(
        conn, _response(b"<p>x</p>", "Content-Length: 8", "Content-Length: 800", length=False)
    )


def header_flood(conn: socket.socket, server: RawServer) -> None:
    server.send(conn, _response(b"<p>x</p>", "X-Flood: " + "a" * 200_000))


def no_answer(conn: socket.socket, server: RawServer) -> None:
    return  # close without a word


def garbage_status(conn: socket.socket, server: RawServer) -> None:
    server.send(conn, b"\x00\xffSMTP ready\r\n\r\n")


def png(conn: socket.socket, server: RawServer) -> None:
    server.send(
        conn,
        _response(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).replace(
            b"text/html; charset=utf-8", b"image/png"
        ),
    )


def stream_100mb(conn: socket.socket, server: RawServer) -> None:
    """100 MB of HTML with no Content-Length (read until close), written as it is asked."""
    server.send(conn, _response(b"", length=False) + b"<html><body>")
    block = b"<p>" + b"hostile " * 8190 + b"</p>"
    while server.sent < 100 * 1024 * 1024 and not server.stopping.is_set():
        server.send(conn, block)


def declared_100mb(conn: socket.socket, server: RawServer) -> None:
    server.send(conn, _response(b"", "Content-Length: 104857600", length=False))
    block = b"<p>" + b"hostile " * 8190 + b"</p>"
    while server.sent < 100 * 1024 * 1024 and not server.stopping.is_set():
        server.send(conn, block)


def encoded(body: bytes, coding: str) -> Callable[[socket.socket, RawServer], None]:
    def handler(conn: socket.socket, server: RawServer) -> None:
        server.send(conn, _response(body, f"Content-Encoding: {coding}"))

    return handler


def _brotli_like() -> bytes:
    # Not decodable by this http stack: no brotli package is installed, so "br" is never
    # offered in Accept-Encoding and a body a server sends as "br" anyway stays as it came.
    return b"\x1b\xff\xff\x0f\x00" + bytes(range(256)) * 40


ZEROS = 20_000_000 if not LONG else 1_000_000_000  # 20 MB (1 GB under BYLINE_LONG) inflated


def bomb(size: int, wbits: int) -> bytes:
    """``size`` zero bytes compressed (gzip for wbits 31, zlib for 15), built a megabyte at
    a time so that the test itself never holds the inflated size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join([*parts, packer.compress(b"\0" * (size % (1 << 20))), packer.flush()])


GZIP_BOMB = bomb(ZEROS, 31)
DOUBLE_BOMB = gzip.compress(GZIP_BOMB, compresslevel=9)
DEFLATE_BOMB = bomb(ZEROS, 15)
TRUNCATED = GZIP_BOMB[:400]


@dataclass(frozen=True)
class Serve:
    name: str
    handler: Callable[[socket.socket, RawServer], None]
    error: type[Exception] | None  # None: handled, see ``body``
    reason: str = ""
    body: bytes = b""
    seconds: float = 3.0
    mb: float = 30.0
    sent_at_most: int | None = None  # bytes the server may have written before Byline quit
    timeout: float = 3.0
    extra: dict[str, Any] = field(default_factory=dict)


SERVERS = [
    Serve(
        "slowloris-body", dribble_body, FetchError, "timed out after 1.5s", timeout=1.5, seconds=2.5
    ),
    Serve(
        "slowloris-headers",
        dribble_head,
        FetchError,
        "timed out after 1.5s",
        timeout=1.5,
        seconds=2.5,
    ),
    Serve("silent-server", silent, FetchError, "timed out", timeout=1.5, seconds=2.5),
    Serve(
        "endless-chunked",
        endless_chunks,
        TooLarge,
        f"body larger than {CAP} bytes",
        sent_at_most=40 * CAP,
    ),
    Serve(
        "content-length-huge",
        huge_declared,
        TooLarge,
        f"body larger than {CAP} bytes (1000000000000 declared)",
    ),
    Serve("content-length-short", short_declared, None, body=b"<p>12345</p>"),
    Serve("content-length-long", long_declared, FetchError, "RemoteProtocolError"),
    Serve("content-length-negative", negative_length, FetchError, "RemoteProtocolError"),
    Serve("content-length-conflicting", two_lengths, FetchError, "RemoteProtocolError"),
    Serve("header-flood", header_flood, FetchError, "RemoteProtocolError"),
    Serve("empty-reply", no_answer, FetchError, "RemoteProtocolError: Server disconnected"),
    Serve("garbage-status-line", garbage_status, FetchError, "RemoteProtocolError"),
    Serve("wrong-content-type", png, BadContent, "unsupported content type image/png"),
    Serve(
        "gzip-bomb", encoded(GZIP_BOMB, "gzip"), TooLarge, f"body larger than {CAP} bytes", mb=40
    ),
    Serve(
        "gzip-bomb-nested",
        encoded(DOUBLE_BOMB, "gzip, gzip"),
        BadContent,
        "refusing stacked content encodings (gzip, gzip)",
        mb=40,
    ),
    Serve(
        "deflate-bomb",
        encoded(DEFLATE_BOMB, "deflate"),
        TooLarge,
        f"body larger than {CAP} bytes",
        mb=40,
    ),
    # httpx does not notice a gzip stream cut short: what inflated is the body (capped).
    Serve(
        "gzip-truncated",
        encoded(TRUNCATED, "gzip"),
        None,
        body=zlib.decompressobj(31).decompress(TRUNCATED),
    ),
    Serve("brotli-bomb-not-negotiated", encoded(_brotli_like(), "br"), None, body=_brotli_like()),
    Serve(
        "page-100mb-streamed",
        stream_100mb,
        TooLarge,
        f"body larger than {CAP} bytes",
        sent_at_most=40 * CAP,
        mb=60,
    ),
    Serve(
        "page-100mb-declared",
        declared_100mb,
        TooLarge,
        f"body larger than {CAP} bytes (104857600 declared)",
        sent_at_most=40 * CAP,
    ),
]


@pytest.mark.parametrize("case", SERVERS, ids=[c.name for c in SERVERS])
def test_misbehaving_servers(case: Serve, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(case.handler)
    url = server.url("/page.html")
    with (
        within(case.seconds, case.mb, case.name),
        Fetcher(policy(f"127.0.0.1:{server.port}", timeout=case.timeout)) as fetcher,
    ):
        if case.error is None:
            result = fetcher.get(url)
        else:
            with pytest.raises(case.error) as caught:
                fetcher.get(url)
    if case.error is None:
        assert result.body == case.body
    else:
        assert case.reason in caught.value.reason, caught.value.reason
        assert caught.value.url == url
    if case.sent_at_most is not None:
        time.sleep(0.2)  # the server notices the closed connection
        assert server.sent <= case.sent_at_most, f"Byline read on: {server.sent} bytes sent"
    assert b"br" not in _accept_encoding(server.requests[0])


def _accept_encoding(head: bytes) -> bytes:
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"accept-encoding:"):
            return line.split(b":", 1)[1].lower()
    return b""


def test_accept_encoding_names_only_what_is_inflated_within_the_cap(
    raw_server: Callable[..., RawServer],
) -> None:
    """accept-encoding-offered: gzip and deflate only, whatever codecs are installed."""
    server = raw_server(encoded(GZIP_BOMB, "gzip"))
    with Fetcher(policy(f"127.0.0.1:{server.port}")) as fetcher, pytest.raises(TooLarge):
        fetcher.get(server.url("/"))
    assert _accept_encoding(server.requests[0]).strip() == b"gzip, deflate"


def test_the_default_page_cap_refuses_a_100mb_page(raw_server: Callable[..., RawServer]) -> None:
    """page-100mb-default-cap: the configured default (max_page_bytes, 5 MB) applies."""
    from byline import config as byline_config
    from byline.ingest import policy_from

    server = raw_server(stream_100mb)
    defaults = byline_config.load(env={}, overrides={"allow_private_hosts": "127.0.0.1"})
    assert int(defaults.max_page_bytes) == 5_000_000
    with (
        within(5, 80, "page-100mb-default-cap"),
        Fetcher(policy_from(defaults)) as fetcher,
        pytest.raises(TooLarge) as caught,
    ):
        fetcher.get(server.url("/big.html"))
    assert "body larger than 5000000 bytes" in caught.value.reason
    time.sleep(0.2)
    assert server.sent < 30 * 1024 * 1024


@pytest.mark.parametrize("case", ["tls-self-signed", "tls-plain-http-on-https"])
def test_tls_errors_are_refused_with_a_reason(
    case: str, raw_server: Callable[..., RawServer], self_signed: Any
) -> None:
    def hello(conn: socket.socket, server: RawServer) -> None:
        server.send(conn, _response(b"<p>served over TLS</p>"))

    if case == "tls-self-signed":
        server = raw_server(hello, tls=self_signed)
    else:  # plain HTTP, spoken at once without waiting for a request head
        server = raw_server(hello, read_head=False)
    url = server.url("/", scheme="https")
    allowed = policy(f"127.0.0.1:{server.port}")
    with within(3, 20, case), Fetcher(allowed) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    expected = "CERTIFICATE_VERIFY_FAILED" if case == "tls-self-signed" else "SSL"
    assert "ConnectError" in caught.value.reason and expected in caught.value.reason, (
        caught.value.reason
    )
    assert server.requests == []  # no request was ever sent over an unverified channel
