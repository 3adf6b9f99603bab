"""robots.txt, obeyed (RFC 9309, parsed by Protego), cached per host.

A host's robots.txt is fetched once per ``ttl`` seconds, however many requests wait for it.
What its answer means follows the RFC: 2xx is parsed; any other 4xx means "no rules"; 429,
5xx and a body that cannot be read mean "unreachable", so the whole host is disallowed for a
short while. When the robots.txt cannot be fetched at all (no connection), the page's own
fetch will fail for the same reason, so nothing is cached and the page fetch goes ahead to say
why. A Crawl-delay for Byline (or ``*``) raises the host's delay between requests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from byline.errors import BlockedAddress, FetchError, HTTPStatusError, RobotsDisallowed

log = logging.getLogger(__name__)

ROBOTS_BYTES = 512_000  # RFC 9309 asks crawlers to read at least 500 KiB
UNREACHABLE_TTL = 300.0  # seconds a host whose robots.txt failed with 5xx stays disallowed
MAX_CRAWL_DELAY = 60.0  # a longer Crawl-delay is honoured as this many seconds

# (url) -> (status, text); raises FetchError
FetchText = Callable[[str], Awaitable[tuple[int, str]]]


@dataclass
class _Rules:
    parser: Protego | None  # None: no rules, everything allowed
    expires: float
    unreachable: str = ""  # the reason the whole host is disallowed, if it is


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    """Per-host robots.txt rules for one user-agent token (``Byline``)."""

    def __init__(self, fetch: FetchText, agent: str = "Byline", ttl: float = 3600.0) -> None:
        self._fetch = fetch
        self.agent = agent
        self.ttl = ttl
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> float:
        """Raise ``RobotsDisallowed`` when robots.txt forbids ``url``. Returns the host's
        Crawl-delay in seconds (0 when none)."""
        rules = await self._rules_for(url)
        if rules is None:
            return 0.0
        if rules.unreachable:
            raise RobotsDisallowed(url, f"robots.txt unavailable ({rules.unreachable})")
        if rules.parser is None:
            return 0.0
        if not rules.parser.can_fetch(url, self.agent):
            raise RobotsDisallowed(url, f"disallowed by {host_key(url)}/robots.txt")
        delay = rules.parser.crawl_delay(self.agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0

    async def _rules_for(self, url: str) -> _Rules | None:
        key = host_key(url)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # one fetch of a host's robots.txt, however many pages wait for it
            cached = self._rules.get(key)
            if cached is not None and cached.expires > time.monotonic():
                return cached
            rules = await self._load(key)
            if rules is not None:
                self._rules[key] = rules
            return rules

    async def _load(self, key: str) -> _Rules | None:
        now = time.monotonic()
        try:
            status, text = await self._fetch(f"{key}/robots.txt")
        except BlockedAddress:
            raise
        except HTTPStatusError as exc:
            status, text = exc.status, ""
        except FetchError as exc:
            log.info("robots.txt not fetched host=%s reason=%s", key, exc.reason)
            return None  # the page fetch will meet the same failure and report it
        if 200 <= status < 300:
            return _Rules(Protego.parse(text), now + self.ttl)
        if status == 429 or status >= 500:
            return _Rules(None, now + min(self.ttl, UNREACHABLE_TTL), f"HTTP {status}")
        return _Rules(None, now + self.ttl)  # 4xx: no rules
