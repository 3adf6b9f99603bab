"""Page metadata (pure): JSON-LD, OpenGraph, meta tags, canonical link and language."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import html as lxml_html

NEWS_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "webpage",
}


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    description: str = ""
    author: str = ""
    published: datetime | None = None
    canonical: str = ""
    language: str = ""
    image: str = ""
    site_name: str = ""
    section: str = ""
    article_body: str = ""
    title_tag: str = ""


def parse_datetime(value: str) -> datetime | None:
    """ISO 8601 (with or without time, ``Z`` or offset) to an aware UTC datetime."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO 8601, or out of range once in UTC
        return None


# Some sites wrap their JSON-LD in the XHTML habit of a CDATA section or an HTML comment.
_LD_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = _LD_WRAPPER.sub("", script.text_content() or "")
        try:
            data = json.loads(text or "null")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
                yield item


def _names(value: Any) -> str:
    """A JSON-LD person, organisation or list of them as names; an address given where a
    name belongs (``"author": "https://www.facebook.com/..."``) is no name."""
    if isinstance(value, list):
        return ", ".join(filter(None, (_names(v) for v in value)))
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    name = str(value or "").strip()
    return "" if name.lower().startswith(("http://", "https://", "www.")) else name


def _web_url(value: str) -> str:
    """The URL when it is http(s); anything else (javascript:, data:) is dropped."""
    value = value.strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


def _image_url(value: Any) -> str:
    """JSON-LD ``image``: a URL, an ImageObject, or a list of either (the first wins)."""
    if isinstance(value, list):
        return _image_url(value[0]) if value else ""
    if isinstance(value, dict):
        return str(value.get("url") or value.get("contentUrl") or "")
    return str(value or "")


def _json_ld(tree: Any) -> dict[str, Any]:
    for item in _json_ld_objects(tree):
        types = item.get("@type", "")
        type_names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
        if type_names & NEWS_TYPES and (item.get("headline") or item.get("datePublished")):
            return item
    return {}


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|tr|pre)\s*>|<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|li|a|em|strong|b|i|span)\b[^>]*>|&[#\w]+;", re.I)


def strip_html(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def html_paragraphs(fragment: str) -> str:
    """An HTML fragment (a feed's full content, a JSON-LD body) as plain text, one line per
    block."""
    lines = (strip_html(part) for part in _BLOCK_END.split(fragment))
    return "\n".join(line for line in lines if line)


def _article_body(ld: dict[str, Any]) -> str:
    """JSON-LD ``articleBody`` as plain text, one line per paragraph: sites put HTML and
    entities there as often as plain text (``&mdash;``, ``<p>``), and blank or whitespace-only
    lines between paragraphs."""
    body = ld.get("articleBody")
    if not isinstance(body, str):
        return ""
    markup = _MARKUP.search(body) is not None
    lines = (
        html_paragraphs(line) if markup else " ".join(line.split()) for line in body.splitlines()
    )
    return "\n".join(line for line in lines if line)


_META_ATTRS = ("property", "name", "itemprop")


def _meta_table(tree: Any) -> dict[tuple[str, str], str]:
    """Each ``(attribute, key)`` of the page's ``<meta>`` tags with the content of the first
    tag that has it (one pass over the tree, not one search per key)."""
    table: dict[tuple[str, str], str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attr in _META_ATTRS:
            key = element.get(attr)
            if key is not None:
                table.setdefault((attr, key), content)
    return table


def _meta(table: dict[tuple[str, str], str], *keys: str) -> str:
    for key in keys:
        for attr in _META_ATTRS:
            found = table.get((attr, key), "").strip()
            if found:
                return found
    return ""


def parse_page(page: bytes | str) -> Any | None:
    """The page's lxml tree, or None when it is not markup at all."""
    try:
        return lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        return None


_SITE_SUFFIX = re.compile(r"\s+[|\-–—·:]\s+[^|\-–—·:]+$")


def _text(element: Any) -> str:
    return " ".join((element.text_content() or "").split())


def _title_element(tree: Any) -> str:
    """The headline from ``<title>``: the page's ``<h1>`` when the title contains it (so
    "Site - Headline" gives "Headline"), else the title less a trailing " | Site name"
    when enough is left."""
    found = tree.xpath("//title")
    title = _text(found[0]) if found else ""
    for h1 in tree.xpath("//h1"):
        heading = _text(h1)
        if heading and heading in title:
            return heading
    trimmed = _SITE_SUFFIX.sub("", title)
    return trimmed if len(trimmed.split()) >= 3 else title


def read_meta(page: bytes | str | Any) -> PageMeta:
    """Read what the page says about itself (bytes, text or an already parsed lxml tree).
    Never raises on bad markup: returns what it can."""
    tree = page if isinstance(page, lxml_html.HtmlElement) else parse_page(page)
    if tree is None:
        return PageMeta()
    ld = _json_ld(tree)
    meta = _meta_table(tree)
    published = parse_datetime(str(ld.get("datePublished", ""))) or parse_datetime(
        _meta(meta, "article:published_time", "date", "pubdate", "datePublished", "DC.date.issued")
    )
    if published is None:
        times = tree.xpath("//time[@datetime]/@datetime")
        published = parse_datetime(str(times[0])) if times else None
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    publisher = ld.get("publisher")
    image = ld.get("image")
    return PageMeta(
        title=str(ld.get("headline", "")) or _meta(meta, "og:title", "twitter:title"),
        title_tag=_title_element(tree),
        description=str(ld.get("description", ""))
        or _meta(meta, "og:description", "description", "twitter:description"),
        author=_names(ld.get("author")) or _names(_meta(meta, "author", "article:author")),
        published=published,
        canonical=_web_url(str(canonical[0])) if canonical else "",
        language=str(tree.get("lang", "") or "").split("-")[0].lower(),
        image=_web_url(_image_url(image) or _meta(meta, "og:image")),
        site_name=_names(publisher) or _meta(meta, "og:site_name"),
        section=str(ld.get("articleSection", "")) or _meta(meta, "article:section"),
        article_body=_article_body(ld),
    )
