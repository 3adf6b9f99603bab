"""Politeness: how many requests run at once (overall and per host), how long to wait between
two requests to one host, and how long to wait before retrying (Retry-After, or exponential
backoff with jitter)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class HostGates:
    """Admission for requests: at most ``per_host`` in flight to one host, starts to one host
    at least ``delay`` seconds apart (or the host's own Crawl-delay, when longer), and at most
    ``total`` in flight over all hosts. A request waits for its host before it takes one of
    the ``total`` slots, so a slow host never holds slots other hosts could use."""

    def __init__(self, total: int, per_host: int, delay: float) -> None:
        self.per_host = per_host
        self.delay = delay
        self._total = asyncio.Semaphore(total)
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str, crawl_delay: float = 0.0) -> AsyncIterator[None]:
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = _Host(asyncio.Semaphore(self.per_host))
        loop = asyncio.get_running_loop()
        async with gate.semaphore:
            async with gate.lock:
                wait = gate.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                gate.next_start = loop.time() + max(self.delay, crawl_delay)
            async with self._total:
                yield


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: base·2^attempt, scaled by a random 0.5–1.5."""
    return base * (2**attempt) * (rng or random).uniform(0.5, 1.5)
