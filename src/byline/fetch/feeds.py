"""Feed parsing (pure): RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by its spec.

XML that declares entities (XXE, billion laughs) is refused with ``UnsafeXML`` before
feedparser sees it, so nothing is ever expanded."""

from __future__ import annotations

import calendar
import json
import re
import time
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser

from byline.errors import FeedError
from byline.fetch.safety import refuse_unsafe_xml
from byline.records import FeedEntry, ParsedFeed

# A numeric character reference. feedparser's loose parser (its fallback for XML that is not
# well-formed) raises ValueError on one that names a surrogate or a code point past U+10FFFF.
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def parse_feed(body: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse feed bytes into a ``ParsedFeed``. Raises ``FeedError`` when nothing usable is
    found. A feed that parses with problems but yields entries is returned with a warning."""
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        return _parse_json_feed(stripped, url)
    refuse_unsafe_xml(body, url or "feed")
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    try:
        parsed = feedparser.parse(_repair_charrefs(body), response_headers=headers)
    except ValueError as exc:  # feedparser's own crashes (a bad encoding name, say)
        raise FeedError(f"{url or 'feed'}: not a feed (feedparser failed: {exc})") from None
    entries = tuple(_entry(e, url) for e in parsed.entries if _entry_link(e))
    version = str(parsed.get("version") or "")
    broken = isinstance(parsed.get("bozo_exception"), SAXParseException)
    if not entries and (not version or broken):
        reason = str(parsed.get("bozo_exception") or "no feed found")
        raise FeedError(f"{url or 'feed'}: not a feed ({reason})")
    warning = str(parsed.get("bozo_exception") or "") if parsed.get("bozo") else ""
    feed = parsed.feed
    return ParsedFeed(
        title=str(feed.get("title", "")),
        link=str(feed.get("link", "")),
        entries=entries,
        format=version or "unknown",
        warning=warning,
        hub=_link(feed, "hub"),
        self_url=_link(feed, "self"),
    )


def _repair_charrefs(body: bytes) -> bytes:
    """Character references to no character (a surrogate, past U+10FFFF) become U+FFFD."""

    def fix(match: re.Match[bytes]) -> bytes:
        ref = match.group(1)
        hexadecimal = ref[:1] in b"xX"
        digits = (ref[1:] if hexadecimal else ref).lstrip(b"0") or b"0"
        if len(digits) > 8:  # past U+10FFFF, and int() refuses past 4,300 digits
            return b"&#xFFFD;"
        value = int(digits, 16 if hexadecimal else 10)
        return (
            match.group(0) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else b"&#xFFFD;"
        )

    return _CHARREF.sub(fix, body)


def _link(feed: Any, rel: str) -> str:
    """The first http(s) <link rel=…> (atom:link in RSS too) of a parsed feed."""
    for link in feed.get("links", []) or []:
        href = str(link.get("href") or "")
        if link.get("rel") == rel and href.startswith(("http://", "https://")):
            return href
    return ""


def _entry_link(entry: Any) -> str:
    return str(entry.get("link") or "")


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (ValueError, OverflowError, OSError):  # past year 9999 or before year 1 in UTC
        return None


def _entry(entry: Any, feed_url: str) -> FeedEntry:
    categories = tuple(str(t.get("term", "")) for t in entry.get("tags", []) if t.get("term"))
    content = ""
    for item in entry.get("content", []) or []:
        if "html" in str(item.get("type", "")):
            content = str(item.get("value", ""))
            break
    return FeedEntry(
        url=_entry_link(entry),
        title=str(entry.get("title", "")),
        summary=str(entry.get("summary", "")),
        author=str(entry.get("author", "")),
        published=_struct_to_datetime(entry.get("published_parsed") or entry.get("updated_parsed")),
        categories=categories,
        content_html=content,
        guid=str(entry.get("id", "")),
    )


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FeedError(f"{url or 'feed'}: malformed JSON Feed ({exc})") from None
    except ValueError as exc:  # NaN or Infinity, which JSON does not have
        raise FeedError(f"{url or 'feed'}: malformed JSON Feed ({exc})") from None
    except RecursionError:
        raise FeedError(f"{url or 'feed'}: malformed JSON Feed (nested too deeply)") from None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedError(f"{url or 'feed'}: JSON document is not a JSON Feed")
    items = data.get("items") or []
    if not isinstance(items, list):
        raise FeedError(f"{url or 'feed'}: JSON Feed 'items' is not a list")
    entries = tuple(
        _json_item(item)
        for item in items
        if isinstance(item, dict) and item.get("url") and isinstance(item["url"], str)
    )
    hubs = [
        str(h.get("url") or "")
        for h in _list(data.get("hubs"))
        if isinstance(h, dict) and str(h.get("type", "")).lower() == "websub"
    ]
    return ParsedFeed(
        title=str(data.get("title", "")),
        link=str(data.get("home_page_url", "")),
        entries=entries,
        format="json" + str(data.get("version", "")).rsplit("/", 1)[-1],
        hub=next((h for h in hubs if h.startswith(("http://", "https://"))), ""),
        self_url=str(data.get("feed_url") or ""),
    )


def _json_item(item: dict[str, Any]) -> FeedEntry:
    authors = _list(item.get("authors")) or _list(item.get("author"))
    author = ", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict))
    return FeedEntry(
        url=str(item["url"]),
        title=str(item.get("title", "")),
        summary=str(item.get("summary", "")),
        author=author,
        published=_iso(item.get("date_published") or item.get("date_modified")),
        categories=tuple(str(t) for t in _list(item.get("tags"))),
        content_html=str(item.get("content_html", "")),
        guid=str(item.get("id", "")),
    )


def _list(value: Any) -> list[Any]:
    """A JSON Feed array field as a list: one value (a lone tag, an author object) becomes a
    list of one; a number, true or null, none (iterating them raised TypeError)."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str | dict) and value else []


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _iso(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # not ISO 8601, or out of range once in UTC
        return None
