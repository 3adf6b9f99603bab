"""SSRF and XML safety (pure, plus the connect-time guard against a loopback server)."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import pytest

from byline.errors import BlockedAddress, FeedError, UnsafeXML
from byline.fetch.feeds import parse_feed
from byline.fetch.http import Fetcher, FetchPolicy
from byline.fetch.safety import (
    AddressGuard,
    blocked_reason,
    parse_allow_list,
    parse_ip,
    refuse_unsafe_xml,
)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # decimal
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.1", "127.0.0.1"),  # hex, short form
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0xA9.254.169.254", "169.254.169.254"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("[fe80::1%eth0]", "fe80::1"),
        ("93.184.216.34", "93.184.216.34"),
    ],
)
def test_ip_literals_in_every_form(host: str, address: str) -> None:
    assert parse_ip(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.com", "08.1.1.1", "1.2.3.4.5", "256.1.1.1", ""])
def test_names_are_not_ip_literals(host: str) -> None:
    assert parse_ip(host) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 wrapping 10.0.0.1
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("100.64.0.1", "not a public"),  # carrier-grade NAT
        ("240.0.0.1", "address"),  # reserved
        ("255.255.255.255", "address"),
    ],
)
def test_non_public_addresses_are_blocked(address: str, reason: str) -> None:
    assert reason in blocked_reason(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://10.0.0.1/admin",
        "http://0.0.0.0:8000/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "http:///nohost",
    ],
)
def test_urls_to_blocked_addresses_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(BlockedAddress) as caught:
        AddressGuard().check_url(url)
    assert caught.value.url == url


def test_allow_list_entries() -> None:
    guard = AddressGuard(["127.0.0.1:8001", "10.0.0.0/8", "intranet:8080", "[::1]"])
    guard.check_url("http://127.0.0.1:8001/feed.xml")
    guard.check_url("http://2130706433:8001/feed.xml")  # the same address, written otherwise
    guard.check_url("http://10.9.8.7/")
    guard.check_url("http://[::1]:9999/")
    with pytest.raises(BlockedAddress):
        guard.check_url("http://127.0.0.1:8002/")  # another port
    with pytest.raises(BlockedAddress):
        guard.check_url("http://169.254.169.254/")
    with pytest.raises(ValueError, match="bad allow-list"):
        parse_allow_list(["10.0.0.0/99"])
    with pytest.raises(ValueError, match="bad allow-list"):
        parse_allow_list(["host:port"])


def _fake_resolver(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    asked: list[str] = []
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in table:
            return real(host, port, *args, **kwargs)
        asked.append(name)
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, int(port)),
            )
            for ip in table[name]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resolver(
        monkeypatch,
        {
            "public.example": ["93.184.216.34"],
            "mixed.example": ["93.184.216.34", "127.0.0.1"],
            "mapped.example": ["::ffff:169.254.169.254"],
        },
    )
    guard = AddressGuard()

    async def resolve(host: str) -> Any:
        return await guard.resolve(f"http://{host}/", host, 80)

    assert anyio.run(resolve, "public.example") == [ipaddress.ip_address("93.184.216.34")]
    with pytest.raises(BlockedAddress, match=r"resolves to 127\.0\.0\.1, a loopback"):
        anyio.run(resolve, "mixed.example")
    with pytest.raises(BlockedAddress, match="metadata"):
        anyio.run(resolve, "mapped.example")


# ── the connect-time guard, against a real loopback server ────────────────────────────────


class Hello(BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        Hello.hits.append(self.path)
        body = b"<p>hello</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def _policy(*allow: str) -> FetchPolicy:
    return FetchPolicy(user_agent="Byline/test", timeout=3, connect_timeout=1, allow=allow)


def test_a_name_resolving_to_loopback_is_refused_at_connect(
    port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _fake_resolver(monkeypatch, {"rebound.example": ["127.0.0.1"]})
    Hello.hits.clear()
    with Fetcher(_policy()) as fetcher, pytest.raises(BlockedAddress) as caught:
        fetcher.get(f"http://rebound.example:{port}/")
    assert "resolves to 127.0.0.1, a loopback address" in str(caught.value)
    assert caught.value.url == f"http://rebound.example:{port}/"
    assert asked == ["rebound.example"]  # resolved once, at connect time
    assert Hello.hits == []


def test_the_guard_connects_to_the_address_it_checked(
    port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_resolver(monkeypatch, {"allowed.example": ["127.0.0.1"]})
    with Fetcher(_policy(f"127.0.0.1:{port}")) as fetcher:
        result = fetcher.get(f"http://allowed.example:{port}/page")
    assert result.body == b"<p>hello</p>"
    assert "/page" in Hello.hits


def test_localhost_is_refused_by_default(port: int) -> None:
    with Fetcher(_policy()) as fetcher, pytest.raises(BlockedAddress, match="loopback"):
        fetcher.get(f"http://localhost:{port}/")


# ── XML ───────────────────────────────────────────────────────────────────────────────────

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://169.254.169.254/x.dtd"> %remote;]>
<rss version="2.0"><channel><title>t</title></channel></rss>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""
RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title>
<item><title>a</title><link>https://old.example/a</link></item></channel></rss>"""


@pytest.mark.parametrize(
    "payload",
    [XXE, PARAMETER, LAUGHS, LAUGHS.decode().encode("utf-16"), LAUGHS.replace(b"</rss>", b"")],
    ids=["xxe", "parameter-entity", "billion-laughs", "utf-16", "malformed-with-entities"],
)
def test_entity_declarations_are_refused_unexpanded(payload: bytes) -> None:
    with pytest.raises(UnsafeXML, match="entities") as caught:
        parse_feed(payload, "https://evil.example/feed")
    assert isinstance(caught.value, FeedError)
    assert "lollol" not in str(caught.value) and "root:" not in str(caught.value)


def test_an_external_public_doctype_is_still_a_feed() -> None:
    refuse_unsafe_xml(RSS091, "old")
    assert [e.url for e in parse_feed(RSS091, "https://old.example/rss").entries] == [
        "https://old.example/a"
    ]
