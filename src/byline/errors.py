"""One exception tree for Byline.

Library code raises these; the edges translate them (the CLI prints one line and exits
non-zero, the web layer renders an error page, a batch logs the item and carries on)::

    BylineError
     ├── ConfigError            a setting has a bad value, or a file cannot be read
     ├── MissingExtra           an optional extra ([postgres], [spark], [ml]) is not installed
     ├── InputError             one bad input record (a JSONL line, a file) — carries its id
     ├── FetchError             a URL could not be fetched
     │    ├── HTTPStatusError   the server answered with a non-2xx status (carries Retry-After)
     │    ├── TooLarge          the body passed the size cap
     │    ├── BadContent        the body is not what we can use (wrong content type, binary)
     │    ├── BlockedAddress    the host is, or resolves to, a private or reserved address
     │    └── RobotsDisallowed  the site's robots.txt forbids Byline this URL
     ├── FeedError              a feed could not be parsed
     │    └── UnsafeXML         the XML declares entities (XXE, billion laughs): never expanded
     ├── ExtractionError        no article could be extracted from a page
     └── StoreError             the database refused a write (constraint, missing row)
"""

from __future__ import annotations


class BylineError(Exception):
    """Base of every error Byline raises on purpose."""


class ConfigError(BylineError):
    """A setting has a bad value."""


class MissingExtra(BylineError):
    """An optional dependency is missing; the message says what to install."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this needs the optional '{module}' package: pip install 'byline[{extra}]'"
        )
        self.extra = extra
        self.module = module


class InputError(BylineError):
    """One input record is bad. ``record`` names it (a line number, a file name)."""

    def __init__(self, record: str, reason: str) -> None:
        super().__init__(f"{record}: {reason}")
        self.record = record
        self.reason = reason


class FetchError(BylineError):
    """A URL could not be fetched."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class HTTPStatusError(FetchError):
    """The server answered with a status that is not a success. ``retry_after`` holds the
    seconds its Retry-After header asked for, when it sent one."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        reason = f"HTTP {status}"
        if retry_after is not None:
            reason += f" (Retry-After {retry_after:g}s)"
        super().__init__(url, reason)
        self.status = status
        self.retry_after = retry_after


class TooLarge(FetchError):
    """The response body passed the size cap."""


class BadContent(FetchError):
    """The response is not a kind of document Byline can use."""


class BlockedAddress(FetchError):
    """The URL's host is, or resolves to, an address Byline must not reach (loopback,
    private, link-local, multicast, reserved, cloud metadata) and no allow-list entry lets it."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow Byline to fetch this URL."""


class FeedError(BylineError):
    """A feed could not be parsed."""


class UnsafeXML(FeedError):
    """The XML declares entities or external references; it is refused, never expanded."""


class ExtractionError(BylineError):
    """No article text could be extracted from a page."""


class StoreError(BylineError):
    """The database refused a write."""
