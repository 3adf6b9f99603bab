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


def _drop_title_line(text: str, title: str) -> str:
    first, _, rest = text.partition("\n")
    if title and first.strip().lower() == title.strip().lower():
        return rest.lstrip()
    return text


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
    text = _drop_title_line(text, title)
    if not text.strip():
        if entry.content_html:
            text = strip_html(entry.content_html)
        if not text:
            raise ExtractionError(f"{url}: no article text found")
    standfirst = meta.description or strip_html(entry.summary) or str(data.get("description") or "")
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
