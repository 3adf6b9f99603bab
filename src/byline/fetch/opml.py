"""OPML import and export (pure).

Import reads OPML 1.0 and 2.0: every ``<outline>`` with an ``xmlUrl`` is a feed; the
outlines it sits in are its folders, and the innermost folder that names one of Byline's
sections (by the aliases of ``byline.judge.sections``: "Tech", "Markets", "World" …) gives the
feed its section. A feed whose folders name no section comes without one, and those folder
names are reported. The OPML 2.0 ``category`` attribute is used when no folder matches.

Export writes valid OPML 2.0: one folder per section (in Byline's section order), feeds
without a section at the top level. Byline's own details travel in attributes of its own
namespace (``byline:kind`` for wire agencies and aggregators, ``byline:type`` for sitemaps
and pages), so an export imports back to the same feeds, sources and sections. Sitemaps and
pages are written as ``type="link"`` outlines, which other feed readers leave alone.

The XML is parsed by ``byline.fetch.safexml``: entity declarations and DOCTYPEs are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from lxml import etree

from byline.errors import InputError
from byline.fetch import safexml
from byline.judge.sections import BY_SLUG, SECTIONS

BYLINE_NS = "https://byline.invalid/ns/opml"  # a name only; nothing is ever fetched from it
# What XML 1.0 cannot carry (controls but tab, newline and return; surrogates; U+FFFE/FFFF):
# lxml refuses to write it, so a source named with one would make the whole export fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SOURCE_KINDS = ("outlet", "wire", "aggregator")
FEED_TYPES = ("feed", "sitemap", "page")


@dataclass(frozen=True)
class Outline:
    """One feed as OPML carries it."""

    url: str
    name: str  # the source (outlet) it belongs to
    title: str = ""  # the feed's own title
    home_url: str = ""
    folders: tuple[str, ...] = ()  # outermost first
    section: str = ""  # a section slug, or "" for none
    feed_type: str = "feed"
    source_kind: str = "outlet"


@dataclass(frozen=True)
class OpmlDocument:
    title: str
    outlines: tuple[Outline, ...]
    unknown_folders: tuple[str, ...] = ()  # folders naming no section (their feeds have none)
    skipped: tuple[str, ...] = ()  # outlines left out, each with its reason


def section_for_label(label: str) -> str:
    """The slug of the section a folder or category name stands for, or ""."""
    key = re.sub(r"\s+", " ", label.strip().strip("/").lower())
    for section in SECTIONS:
        if key in section.aliases or key == section.name.lower() or key == section.slug:
            return section.slug
    return ""


def section_for_folders(folders: Iterable[str]) -> str:
    """The innermost folder that names a section decides; "" when none does."""
    for folder in reversed(tuple(folders)):
        slug = section_for_label(folder)
        if slug:
            return slug
    return ""


# ── import ────────────────────────────────────────────────────────────────────────────────


def parse_opml(data: bytes, name: str = "OPML") -> OpmlDocument:
    """Parse an OPML document. Raises ``InputError`` (naming ``name``) when it is not one."""
    try:
        root = safexml.parse(data, strict=True)
    except safexml.XMLRefused as exc:
        raise InputError(name, f"refused: {exc}") from None
    except safexml.XMLBroken as exc:
        raise InputError(name, f"malformed OPML ({exc})") from None
    if safexml.local(root.tag).lower() != "opml":
        raise InputError(name, f"not OPML (root element <{safexml.local(root.tag)}>)")
    body = next((c for c in root if safexml.local(c.tag).lower() == "body"), None)
    if body is None:
        raise InputError(name, "malformed OPML (no <body>)")
    head = next((c for c in root if safexml.local(c.tag).lower() == "head"), None)
    title = ""
    if head is not None:
        title = safexml.text_of(next((c for c in head if safexml.local(c.tag) == "title"), None))
    outlines: dict[str, Outline] = {}
    unknown: dict[str, None] = {}
    skipped: list[str] = []
    for attrs, folders in _walk(body, ()):
        found = _outline(attrs, folders, skipped)
        if found is None:
            continue
        if found.url in outlines:
            skipped.append(f"{found.url}: listed twice; the first kept")
            continue
        outlines[found.url] = found
        if folders and not found.section:
            unknown.setdefault(folders[-1], None)
    return OpmlDocument(title, tuple(outlines.values()), tuple(unknown), tuple(skipped))


def _attributes(element: etree._Element) -> dict[str, str]:
    """Attributes by lower-cased local name (OPML in the wild spells xmlUrl many ways)."""
    out: dict[str, str] = {}
    for key, value in element.attrib.items():
        if str(key).startswith("{") and not str(key).startswith("{" + BYLINE_NS):
            continue
        prefix = "byline:" if str(key).startswith("{") else ""
        out[prefix + safexml.local(str(key)).lower()] = str(value).strip()
    return out


def _walk(
    element: etree._Element, folders: tuple[str, ...]
) -> Iterator[tuple[dict[str, str], tuple[str, ...]]]:
    for child in element:
        if safexml.local(child.tag).lower() != "outline":
            continue
        attrs = _attributes(child)
        yield attrs, folders
        label = attrs.get("text") or attrs.get("title") or ""
        if len(child):
            yield from _walk(child, (*folders, label) if label else folders)


def _outline(attrs: dict[str, str], folders: tuple[str, ...], skipped: list[str]) -> Outline | None:
    feed_type = attrs.get("byline:type", "feed").lower()
    url = attrs.get("xmlurl") or (attrs.get("url", "") if feed_type != "feed" else "")
    if not url:
        return None  # a folder, a bookmark or a note
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like: urllib refuses to split it
        parts = urlsplit("")
    label = attrs.get("text") or attrs.get("title") or parts.netloc or url
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        skipped.append(f"{label}: not an http(s) feed URL ({url[:80]})")
        return None
    if feed_type not in FEED_TYPES:
        skipped.append(f"{label}: unknown byline:type {feed_type!r}; taken as a feed")
        feed_type = "feed"
    kind = attrs.get("byline:kind", "outlet").lower()
    section = section_for_folders(folders) or _section_from_categories(attrs.get("category", ""))
    return Outline(
        url=url,
        name=attrs.get("byline:source") or label,
        title=attrs.get("title") or attrs.get("text") or "",
        home_url=attrs.get("htmlurl", ""),
        folders=folders,
        section=section,
        feed_type=feed_type,
        source_kind=kind if kind in SOURCE_KINDS else "outlet",
    )


def _section_from_categories(value: str) -> str:
    for category in value.split(","):
        found = section_for_folders(p for p in category.split("/") if p.strip())
        if found:
            return found
    return ""


# ── export ────────────────────────────────────────────────────────────────────────────────


def export_opml(
    outlines: Iterable[Outline], title: str = "Byline sources", now: datetime | None = None
) -> bytes:
    """OPML 2.0 bytes (UTF-8): one folder per section, unsectioned feeds at the top level."""
    root = etree.Element("opml", version="2.0", nsmap={"byline": BYLINE_NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_text(title)
    etree.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    items = sorted(outlines, key=lambda o: (o.name.lower(), o.url))
    for section in SECTIONS:
        inside = [o for o in items if o.section == section.slug]
        if inside:
            folder = etree.SubElement(body, "outline", text=section.name, title=section.name)
            for outline in inside:
                _write(folder, outline)
    for outline in items:
        if outline.section not in BY_SLUG:
            _write(body, outline)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _write(parent: etree._Element, outline: Outline) -> None:
    name, title = _xml_text(outline.name).strip(), _xml_text(outline.title).strip()
    element = etree.SubElement(parent, "outline", text=name or outline.url)
    element.set("title", title or name or outline.url)
    if outline.feed_type == "feed":
        element.set("type", "rss")
        element.set("xmlUrl", outline.url)
    else:
        element.set("type", "link")
        element.set("url", outline.url)
        element.set(f"{{{BYLINE_NS}}}type", outline.feed_type)
    if outline.home_url:
        element.set("htmlUrl", _xml_text(outline.home_url))
    if outline.source_kind != "outlet":
        element.set(f"{{{BYLINE_NS}}}kind", outline.source_kind)
    if title and title != name:
        element.set(f"{{{BYLINE_NS}}}source", name)
