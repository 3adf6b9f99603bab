"""Safety against hostile input: SSRF and XML bombs.

**SSRF.** A feed or a redirect can point Byline at the machine it runs on, at the LAN, or at a
cloud's metadata service. ``AddressGuard`` refuses loopback, private, link-local, multicast,
reserved, unspecified and metadata addresses — in IPv4, IPv6, IPv4-mapped IPv6 and the
numeric forms ``inet_aton`` accepts (``2130706433``, ``0177.0.0.1``, ``0x7f.1``). It runs
where it cannot be dodged: ``GuardedBackend`` is the httpcore network backend every connection
goes through; it resolves the host once, checks *every* address, and connects to the checked
address itself, so a DNS answer that changes between a check and the connect (rebinding)
changes nothing. The fetcher also checks each redirect's target before following it.

An operator allow-list (``BYLINE_ALLOW_PRIVATE_HOSTS``) lets chosen private hosts through:
``127.0.0.1:8001`` (an address and port), ``10.0.0.0/8`` (a range, any port), ``intranet``
or ``intranet:8080`` (a host name as written in the URL).

**XML.** ``refuse_unsafe_xml`` rejects any document that declares entities or external
references (XXE, billion laughs) with ``UnsafeXML`` before a parser could expand them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpcore

from byline.errors import BlockedAddress, UnsafeXML

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


# ── classifying addresses ─────────────────────────────────────────────────────────────────


def parse_ip(host: str) -> IPAddress | None:
    """The address a URL host denotes when it is an IP literal in any form a resolver would
    accept (dotted, decimal, octal, hex, short forms; IPv6 with or without brackets or a zone),
    else None."""
    text = host.strip().strip("[]").rstrip(".")
    if "%" in text:
        text = text.split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    return _inet_aton(text)


_PART = re.compile(r"^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$", re.IGNORECASE)


def _inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """IPv4 in the classic BSD forms: a, a.b, a.b.c, a.b.c.d, each part decimal, 0octal or
    0xhex (what glibc's resolver accepts for a host name)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_PART.match(p) for p in parts):
        return None
    numbers = [_number(p) for p in parts]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value)


def _number(part: str) -> int:
    if part.lower().startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def blocked_reason(ip: IPAddress) -> str:
    """Why fetching from ``ip`` is refused, or "" when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = blocked_reason(embedded)
            return f"{inner} (inside IPv6 {ip})" if inner else ""
    checks = (
        (ip in METADATA, "a cloud metadata address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    return next((why for hit, why in checks if hit), "")


# ── the allow-list ────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class AllowRule:
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    host: str = ""
    port: int | None = None

    def allows(self, host: str, ip: IPAddress, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return ip in self.network
        return host.lower().rstrip(".") == self.host


_HOST_PORT = re.compile(r"^(?:\[(?P<v6>[^\]]+)\]|(?P<host>[^:\[\]]+))(?::(?P<port>\d{1,5}))?$")


def parse_allow_list(entries: Iterable[str]) -> tuple[AllowRule, ...]:
    """Parse allow-list entries. Raises ValueError naming a bad entry."""
    rules = []
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        if "/" in entry:
            try:
                rules.append(AllowRule(network=ipaddress.ip_network(entry, strict=False)))
            except ValueError:
                raise ValueError(f"bad allow-list range {entry!r}") from None
            continue
        bare_v6 = parse_ip(entry) if entry.count(":") > 1 and "[" not in entry else None
        match = None if bare_v6 else _HOST_PORT.match(entry)
        if bare_v6 is None and match is None:
            raise ValueError(f"bad allow-list entry {entry!r} (want host[:port] or a CIDR)")
        host = str(bare_v6) if bare_v6 else (match["v6"] or match["host"])  # type: ignore[index]
        port = int(match["port"]) if match and match["port"] else None
        ip = bare_v6 or parse_ip(host)
        if ip is not None:
            network = ipaddress.ip_network(ip)
            rules.append(AllowRule(network=network, port=port))
        else:
            rules.append(AllowRule(host=host.lower().rstrip("."), port=port))
    return tuple(rules)


# ── the guard ─────────────────────────────────────────────────────────────────────────────


class AddressGuard:
    """Decides whether a (host, address, port) may be reached."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.rules = parse_allow_list(allow)

    def check_address(self, url: str, host: str, ip: IPAddress, port: int) -> None:
        reason = blocked_reason(ip)
        if reason and not any(rule.allows(host, ip, port) for rule in self.rules):
            seen = "" if parse_ip(host) == ip else f"it resolves to {ip}, "
            raise BlockedAddress(url, f"refusing to fetch from {host}: {seen}{reason}")

    def check_url(self, url: str) -> tuple[str, int]:
        """Check a URL before any request: the scheme, and the host when it is an IP literal
        in any form. Returns (host, port). Host names are checked when resolved."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise BlockedAddress(url, f"invalid URL ({exc})") from None
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https"}:
            raise BlockedAddress(url, f"refusing the {scheme or 'missing'} scheme")
        host = parts.hostname or ""
        if not host:
            raise BlockedAddress(url, "the URL has no host")
        port = port or (443 if scheme == "https" else 80)
        ip = parse_ip(host)
        if ip is not None:
            self.check_address(url, host, ip, port)
        return host, port

    async def resolve(self, url: str, host: str, port: int) -> list[IPAddress]:
        """Resolve ``host`` and check every address it has; all must pass."""
        literal = parse_ip(host)
        if literal is not None:
            self.check_address(url, host, literal, port)
            return [literal]
        try:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise BlockedAddress(url, f"cannot resolve {host} ({exc})") from None
        addresses: list[IPAddress] = []
        for info in infos:
            ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            self.check_address(url, host, ip, port)
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise BlockedAddress(url, f"{host} has no addresses")
        return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves each host itself, refuses blocked addresses,
    and connects to the address it checked (TLS still verifies the host name: httpcore passes
    the origin's name as the server name)."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        url = f"//{host}:{port}"
        with anyio.fail_after(timeout):  # resolving counts against the connect timeout
            addresses = await self.guard.resolve(url, host, port)
        last: Exception | None = None
        for ip in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


# ── XML ───────────────────────────────────────────────────────────────────────────────────

_DECLARATION = re.compile(rb"<!\s*(ENTITY|DOCTYPE[^>\[]*\[)", re.IGNORECASE)


def refuse_unsafe_xml(body: bytes, where: str) -> None:
    """Raise ``UnsafeXML`` when an XML document declares entities or external entities (XXE,
    billion laughs). Nothing is expanded: defusedxml stops at the declaration. Documents that
    are not well-formed are left for the caller's parser to report — unless they declare
    entities, which is refused all the same."""
    head = body[:4].lstrip()
    wide = head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in body[:4]
    if not wide and not _DECLARATION.search(body):
        return
    import defusedxml
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise UnsafeXML(f"{where}: refusing XML that declares entities ({exc})") from None
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeXML(f"{where}: refusing XML with external references ({exc})") from None
    except Exception:  # not well-formed: the caller's parser says why
        if re.search(rb"<!\s*ENTITY", body, re.IGNORECASE):
            raise UnsafeXML(f"{where}: refusing XML that declares entities") from None
