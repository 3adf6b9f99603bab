"""Article extraction (pure): trafilatura for the main text, the page's own metadata
(JSON-LD, OpenGraph, meta tags) first for title, standfirst, author and date, and the feed
entry as the last word on what the page leaves out."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import trafilatura

from byline.errors import ExtractionError
from byline.extract.metadata import PageMeta, read_meta
from byline.records import Article, FeedEntry

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def strip_html(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def main_text(page: bytes | str, url: str | None = None) -> tuple[str, dict[str, object]]:
    """The page's main text and trafilatura's metadata. Comments are left out."""
    document = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return "", {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return str(data.get("text") or ""), data


_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted)[: ]+)?(?:\w+day,? )?"
    r"(?:[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+\.? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:,? (?:at )?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: [A-Z]{2,4})?)?$",
    re.IGNORECASE,
)


def _same(a: str, b: str) -> bool:
    return bool(a) and _SPACE.sub(" ", a).strip().lower() == _SPACE.sub(" ", b).strip().lower()


def drop_leading_chrome(text: str, title: str, standfirst: str) -> str:
    """Drop lines before the body that repeat the headline or standfirst, or are only a
    date stamp: page furniture that trafilatura keeps, and that would spoil the excerpt."""
    lines = text.split("\n")
    while lines and (
        _same(lines[0], title)
        or _same(lines[0], standfirst)
        or _DATE_LINE.match(lines[0].strip())
        or not lines[0].strip()
    ):
        lines.pop(0)
    return "\n".join(lines)


def _date_only(value: object) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def extract_article(page: bytes | str, url: str, entry: FeedEntry | None = None) -> Article:
    """Extract one article. Raises ``ExtractionError`` when the page has no main text."""
    entry = entry or FeedEntry(url=url)
    text, data = main_text(page, url)
    meta: PageMeta = read_meta(page)
    title = meta.title or str(data.get("title") or "") or entry.title
    standfirst = meta.description or strip_html(entry.summary) or str(data.get("description") or "")
    text = drop_leading_chrome(text, strip_html(title), strip_html(standfirst))
    if not text.strip():
        if entry.content_html:
            text = strip_html(entry.content_html)
        if not text:
            raise ExtractionError(f"{url}: no article text found")
    categories = tuple(c for c in (meta.section, *entry.categories) if c)
    return Article(
        url=url,
        canonical_url=meta.canonical or url,
        title=strip_html(title) or url,
        standfirst=strip_html(standfirst),
        author=meta.author or str(data.get("author") or "") or entry.author,
        published=meta.published or entry.published or _date_only(data.get("date")),
        language=meta.language or str(data.get("language") or ""),
        text=text.strip(),
        image=meta.image or str(data.get("image") or ""),
        categories=categories,
        site_name=meta.site_name or str(data.get("sitename") or ""),
    )
