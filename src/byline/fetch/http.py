"""A small, polite HTTP client over httpx.

It sends a User-Agent that names Byline and its operator's contact URL, applies connect and
overall timeouts, follows a bounded number of redirects, and stops reading a body once it
passes the size cap — counted after decompression, while streaming, so a small gzip bomb
cannot fill memory.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx

from byline.errors import BadContent, FetchError, HTTPStatusError, TooLarge
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


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    timeout: float = 20.0
    connect_timeout: float = 5.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5


class Fetcher:
    """Fetch URLs under a ``FetchPolicy``. Use as a context manager, or call ``close()``."""

    def __init__(self, policy: FetchPolicy, transport: httpx.BaseTransport | None = None):
        self.policy = policy
        self._client = httpx.Client(
            headers={"User-Agent": policy.user_agent, "Accept": ACCEPT},
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
            follow_redirects=True,
            max_redirects=policy.max_redirects,
            transport=transport,
        )

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
        self._client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        """Fetch one URL. Raises a ``FetchError`` subclass with the reason on failure.
        A 304 Not Modified is returned as a result with an empty body."""
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return self._result(url, response, b"")
                if response.status_code >= 400:
                    raise HTTPStatusError(url, response.status_code)
                self._check_type(url, response)
                body = self._read_capped(url, response, started)
                return self._result(url, response, body)
        except httpx.TooManyRedirects:
            raise FetchError(url, f"more than {self.policy.max_redirects} redirects") from None
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {self.policy.timeout:g}s") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from None

    def _check_type(self, url: str, response: httpx.Response) -> None:
        content_type = response.headers.get("content-type", "").lower()
        if content_type and not content_type.startswith(TEXT_TYPES):
            raise BadContent(url, f"unsupported content type {content_type.split(';')[0]}")

    def _read_capped(self, url: str, response: httpx.Response, started: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise TooLarge(url, f"body larger than {self.policy.max_bytes} bytes")
            if time.monotonic() - started > self.policy.timeout:
                raise FetchError(url, f"timed out after {self.policy.timeout:g}s")
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
