"""A polite, safe HTTP client over httpx.

``AsyncFetcher`` does the work on an ``httpx.AsyncClient``:

- **safety**: every connection goes through ``safety.GuardedBackend``, which resolves the host,
  refuses private, loopback, link-local, multicast, reserved and metadata addresses (unless
  the operator's allow-list names them) and connects to the address it checked. Redirects are
  followed here, one hop at a time, each target checked again and capped in number;
- **politeness**: robots.txt obeyed (``robots.RobotsCache``), requests admitted by
  ``polite.HostGates`` (overall and per-host concurrency, a least delay between requests to one
  host, raised by Crawl-delay), 429 and 5xx retried a bounded number of times after
  Retry-After or exponential backoff with jitter; a User-Agent naming the operator's contact;
- **limits**: connect, read and whole-request timeouts; a body-size cap counted after
  decompression while streaming, each piece inflated no further than the cap allows (a small
  gzip bomb cannot fill memory; stacked encodings are refused); content-type checks.

``Fetcher`` is the same client for synchronous callers: it runs an ``AsyncFetcher`` on an
event loop in a daemon thread. ``get`` fetches one URL; ``fetch_all`` fetches many at once
and yields each result as it arrives, so the caller can parse and store on its own thread.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
import zlib
from collections.abc import Coroutine, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urljoin

import httpcore
import httpx

from byline.errors import (
    BadContent,
    BlockedAddress,
    FetchError,
    HTTPStatusError,
    RobotsDisallowed,
    TooLarge,
)
from byline.fetch.polite import RETRY_STATUSES, HostGates, backoff_seconds, retry_after_seconds
from byline.fetch.robots import ROBOTS_BYTES, RobotsCache, host_key
from byline.fetch.safety import AddressGuard, GuardedBackend
from byline.records import FetchResult

log = logging.getLogger(__name__)

ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/feed+json,application/xml;q=0.9,*/*;q=0.5"
)
TEXT_TYPES = (
    "text/",
    "application/xhtml",
    "application/xml",
    "application/rss",
    "application/atom",
    "application/rdf",
    "application/feed+json",
    "application/json",
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    timeout: float = 20.0  # the whole request, redirects included
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_connections: int = 4
    per_host: int = 2
    host_delay: float = 0.0
    retries: int = 0
    retry_backoff: float = 1.0
    max_retry_after: float = 120.0
    allow: tuple[str, ...] = ()  # allow-list of private hosts (see safety.py)
    obey_robots: bool = False
    robots_ttl: float = 3600.0
    robots_agent: str = "Byline"


def guarded_transport(guard: AddressGuard, policy: FetchPolicy) -> httpx.AsyncHTTPTransport:
    """httpx's transport, with its connection pool built on ``GuardedBackend``. (httpx has no
    public argument for a network backend yet, so the pool is replaced; httpcore's
    ``network_backend`` argument itself is public API.)"""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=policy.max_connections + 2,
        max_keepalive_connections=policy.max_connections,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(guard),
    )
    return transport


class AsyncFetcher:
    """Fetch URLs under a ``FetchPolicy`` on one event loop. Call ``aclose()`` when done."""

    def __init__(
        self, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.policy = policy
        self.guard = AddressGuard(policy.allow)
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": policy.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",  # what _Inflater decodes, bounded
            },
            timeout=httpx.Timeout(
                policy.read_timeout,
                connect=policy.connect_timeout,
                pool=policy.timeout,
            ),
            follow_redirects=False,
            trust_env=False,
            transport=transport or guarded_transport(self.guard, policy),
        )
        self.gates = HostGates(policy.max_connections, policy.per_host, policy.host_delay)
        self.robots = RobotsCache(self._robots_text, policy.robots_agent, policy.robots_ttl)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        """Fetch one URL. Raises a ``FetchError`` subclass with the reason on failure. A 304
        Not Modified is returned as a result with an empty body."""
        attempt = 0
        while True:
            try:
                return await self._fetch(url, headers, robots=self.policy.obey_robots)
            except HTTPStatusError as exc:
                wait = self._retry_wait(exc, attempt)
                if wait is None:
                    raise
                log.info("retrying url=%s status=%s wait=%.2fs", url, exc.status, wait)
            await asyncio.sleep(wait)
            attempt += 1

    async def post_form(self, url: str, form: dict[str, str]) -> tuple[int, str]:
        """POST a form (a WebSub subscription request) under the same guards as a fetch:
        the address is checked, redirects are not followed, the answer is capped at 64 kB.
        Returns (status, the start of the body); raises ``FetchError`` on failure."""
        try:
            self.guard.check_url(url)
        except BlockedAddress as exc:
            raise BlockedAddress(url, exc.reason) from None
        try:
            async with asyncio.timeout(self.policy.timeout):
                async with self.gates.slot(host_key(url), 0.0):
                    request = self._client.build_request("POST", url, data=form)
                    response = await self._client.send(request, stream=True)
                    try:
                        body = await self._read_capped(url, response, 65536)
                    finally:
                        await response.aclose()
        except TimeoutError:
            raise FetchError(url, f"timed out after {self.policy.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from None
        except BlockedAddress as exc:
            raise BlockedAddress(url, exc.reason) from None
        return response.status_code, body.decode("utf-8", errors="replace")[:300]

    def _retry_wait(self, exc: HTTPStatusError, attempt: int) -> float | None:
        if exc.status not in RETRY_STATUSES or attempt >= self.policy.retries:
            return None
        if exc.retry_after is not None:
            return exc.retry_after if exc.retry_after <= self.policy.max_retry_after else None
        return backoff_seconds(attempt, self.policy.retry_backoff)

    async def _robots_text(self, url: str) -> tuple[int, str]:
        result = await self._fetch(url, None, robots=False, max_bytes=ROBOTS_BYTES, typed=False)
        return result.status, result.body.decode("utf-8", errors="replace")

    async def _fetch(
        self,
        url: str,
        headers: dict[str, str] | None,
        robots: bool,
        max_bytes: int | None = None,
        typed: bool = True,
    ) -> FetchResult:
        """One attempt: follow redirects hop by hop, checking each target."""
        started = time.monotonic()
        current = url
        seen = {url}
        looping = False
        for _hop in range(self.policy.max_redirects + 1):
            try:
                self.guard.check_url(current)
            except BlockedAddress as exc:
                raise BlockedAddress(url, _via(url, current) + exc.reason) from None
            delay = await self._robots_check(url, current) if robots else 0.0
            async with self.gates.slot(host_key(current), delay):
                left = self.policy.timeout - (time.monotonic() - started)
                response = await self._send(url, current, headers, left, max_bytes, typed)
            if isinstance(response, FetchResult):
                return response
            current = response
            looping = current in seen
            seen.add(current)
        loop = " (a redirect loop)" if looping else ""
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects{loop}")

    async def _robots_check(self, url: str, current: str) -> float:
        try:
            return await self.robots.check(current)
        except RobotsDisallowed as exc:
            raise RobotsDisallowed(url, _via(url, current) + exc.reason) from None
        except BlockedAddress as exc:
            raise BlockedAddress(url, _via(url, current) + exc.reason) from None

    async def _send(
        self,
        url: str,
        current: str,
        headers: dict[str, str] | None,
        left: float,
        max_bytes: int | None,
        typed: bool,
    ) -> FetchResult | str:
        """Send one request. Returns the result, or the next URL when redirected."""
        try:
            if left <= 0:
                raise TimeoutError
            async with asyncio.timeout(left):
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    return await self._take(url, current, response, max_bytes, typed)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise FetchError(url, f"timed out after {self.policy.timeout:g}s") from None
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__})") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from None
        except BlockedAddress as exc:  # raised while connecting: name the URL asked for
            raise BlockedAddress(url, _via(url, current) + exc.reason) from None

    async def _take(
        self, url: str, current: str, response: httpx.Response, max_bytes: int | None, typed: bool
    ) -> FetchResult | str:
        status = response.status_code
        if status in REDIRECTS and response.headers.get("location"):
            return urljoin(current, response.headers["location"])
        if status == 304:
            return self._result(url, response, b"")
        if status >= 400:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            raise HTTPStatusError(url, status, wait)
        if typed:
            self._check_type(url, response)
        return self._result(url, response, await self._read_capped(url, response, max_bytes))

    def _check_type(self, url: str, response: httpx.Response) -> None:
        content_type = response.headers.get("content-type", "").lower()
        if content_type and not content_type.startswith(TEXT_TYPES):
            raise BadContent(url, f"unsupported content type {content_type.split(';')[0]}")

    async def _read_capped(
        self, url: str, response: httpx.Response, max_bytes: int | None
    ) -> bytes:
        cap = max_bytes or self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if (
            declared.isdigit()
            and int(declared) > cap
            and not response.headers.get("content-encoding")
        ):
            raise TooLarge(url, f"body larger than {cap} bytes ({declared} declared)")
        inflater = _Inflater.for_response(url, response)
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            # Inflated here, never past the cap: httpx's own decoder inflates a whole network
            # chunk at once, and 64 kB of a gzip bomb (or of gzip inside gzip) is gigabytes.
            chunk = inflater.inflate(raw, cap - size + 1) if inflater else raw
            size += len(chunk)
            if size > cap:
                raise TooLarge(url, f"body larger than {cap} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _result(self, url: str, response: httpx.Response, body: bytes) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            fetched_at=datetime.now(UTC),
        )


class _Inflater:
    """A gzip or deflate content coding, inflated with a bound on what each call returns."""

    def __init__(self, url: str, coding: str) -> None:
        self.url, self.coding = url, coding
        self._wbits = zlib.MAX_WBITS | 32 if coding != "deflate" else 0
        self._inflater: Any = None

    @classmethod
    def for_response(cls, url: str, response: httpx.Response) -> _Inflater | None:
        value = response.headers.get("content-encoding", "")
        codings = [c.strip().lower() for c in value.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise BadContent(url, f"refusing stacked content encodings ({value[:80]})")
        if codings and codings[0] in ("gzip", "x-gzip", "deflate"):
            return cls(url, codings[0])
        return None  # none, or one that was never offered (br, zstd): the bytes as they came

    def inflate(self, data: bytes, limit: int) -> bytes:
        """Inflate ``data``, returning at most ``limit`` bytes (more means: past the cap)."""
        out = bytearray()
        while data and len(out) < limit:
            if self._inflater is None:
                wbits = self._wbits or (zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
                self._inflater = zlib.decompressobj(wbits)
            try:
                out += self._inflater.decompress(data, limit - len(out))
            except zlib.error as exc:
                raise FetchError(
                    self.url, f"DecodingError: bad {self.coding} body ({exc})"
                ) from None
            if self._inflater.eof:  # another gzip member may follow; other trailing bytes go
                rest = self._inflater.unused_data
                data = rest if rest[:2] == b"\x1f\x8b" and self.coding != "deflate" else b""
                self._inflater = None
            else:
                data = self._inflater.unconsumed_tail
        return bytes(out)


def _via(url: str, current: str) -> str:
    return "" if current == url else f"redirected to {current}: "


class Fetcher:
    """The fetcher for synchronous code. Use as a context manager, or call ``close()``.

    It owns an event loop in a daemon thread; requests run there concurrently under the
    policy's limits, while parsing and storing stay on the caller's thread."""

    def __init__(
        self, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.policy = policy
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="byline-fetcher", daemon=True
        )
        self._thread.start()
        self._closed = False
        self.client = self._call(self._make(policy, transport))

    @staticmethod
    async def _make(
        policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None
    ) -> AsyncFetcher:
        return AsyncFetcher(policy, transport)

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await self.client.aclose()

    def get(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        """Fetch one URL (see ``AsyncFetcher.get``)."""
        return self._call(self.client.get(url, headers))

    def post_form(self, url: str, form: dict[str, str]) -> tuple[int, str]:
        """POST a form (see ``AsyncFetcher.post_form``)."""
        return self._call(self.client.post_form(url, form))

    def fetch_all(
        self, requests: Iterable[tuple[K, str, dict[str, str] | None]]
    ) -> Iterator[tuple[K, FetchResult | Exception]]:
        """Fetch every (key, url, headers) at once, within the policy's limits, and yield
        (key, result or the error) in the order they finish."""
        done: queue.SimpleQueue[tuple[K, FetchResult | Exception]] = queue.SimpleQueue()

        async def one(key: K, url: str, headers: dict[str, str] | None) -> None:
            try:
                done.put((key, await self.client.get(url, headers)))
            except Exception as exc:  # handed to the caller, who records it
                done.put((key, exc))

        count = 0
        for key, url, headers in requests:
            asyncio.run_coroutine_threadsafe(one(key, url, headers), self._loop)
            count += 1
        for _ in range(count):
            yield done.get()
