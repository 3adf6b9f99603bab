"""Article extraction (pure): the page is parsed once; Byline's own metadata pass (JSON-LD,
OpenGraph, meta tags) gives title, standfirst, author and date, with the feed entry as the last
word on what the page leaves out; trafilatura gives the main text.

The main text, step by step (the signals and thresholds are in ``byline.extract.fallback``,
``byline.extract.blocks`` and ``byline.extract.flow``):

1. trafilatura in precision mode, without its slow metadata search and without its
   fallback extractors;
2. when that looks too short, trafilatura's default mode with its full cascade (its
   readability and jusText fallbacks), which wins when it is much longer; otherwise the
   lines its balanced mode (no fallbacks) has between two lines of the precise text are
   added (``fallback.interior_lines``: paragraphs and subheadings cut from the middle),
   when the page has an article block missing there (``blocks.gaps_inside``); the balanced
   mode reads only the part of the page the precise text came from;
3. prose in sibling containers the text stopped short of is added back;
4. lines that are the page's furniture (hidden, in a furniture container such as a newsletter
   box or a call to action, or all link text) are dropped, unless their container holds much
   of the text (then it is the article's own);
5. data tables and quotes (embedded posts) that stood between two lines of the text are put
   back there, one line per row or paragraph;
6. a JSON-LD ``articleBody`` or the feed's full content replaces the text when it is complete:
   the same article (shingle containment) and more of it;
7. clean-up: leading lines that repeat a headline (the metadata's, the title element's or an
   ``<h1>``) or are only a date stamp, list markers, and the site's learnt chrome lines
   (``byline.extract.boilerplate``) are dropped.

One pass over the page's block elements (``byline.extract.blocks.read_blocks``) serves steps
2–4 and 7. htmldate is asked for a date only when neither the page's metadata nor the feed
has one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html, repair_faulty_html

from byline.errors import ExtractionError
from byline.extract import fallback
from byline.extract.blocks import (
    Blocks,
    drop_furniture,
    gaps_inside,
    read_blocks,
    restore_inline_words,
    text_region,
)
from byline.extract.boilerplate import strip_chrome
from byline.extract.flow import flow_blocks, insert_blocks
from byline.extract.metadata import PageMeta, html_paragraphs, read_meta, strip_html
from byline.records import Article, FeedEntry

_LIST_MARKER = re.compile(r"^- (?=\S)")
_WORD = re.compile(r"\w+")


def _trafilatura(
    tree: Any, url: str | None, *, precise: bool = False, fast: bool | None = None
) -> str:
    """trafilatura's text without its metadata search: ``precise`` is its precision mode
    without fallback extractors, otherwise its default mode with its full cascade (or
    without it, when ``fast``)."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=False,
        fast=precise if fast is None else fast,
        favor_precision=precise,
    )
    return str(getattr(document, "text", "") or "") if document is not None else ""


# What trafilatura's loader deletes before parsing: C0 controls other than tab, newline and
# carriage return (the UTF-8 of U+FFFE and U+FFFF is checked apart).
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_HEAD = 8192

# trafilatura's parser settings (``trafilatura.utils.HTML_PARSER``) with lxml's C-level class
# lookup: every element is a plain ``HtmlElement``, as trafilatura needs, without lxml.html's
# Python callback per element (which picks form classes that nothing here uses). The same tree
# and text, about 4% less extraction time.
_PARSER = lxml_html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


def _plain_utf8(page: bytes, *, valid: bool = False) -> bool:
    """Whether trafilatura's loader would hand ``page`` to lxml unchanged: valid UTF-8 (not
    compressed; ``valid`` when the caller knows it is), plainly HTML, nothing its clean-up
    deletes and no markup it repairs."""
    try:
        head = page[:_HEAD].decode("utf-8", "ignore")
        if not valid:
            page.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "html" not in head[:50].lower():
        return False
    if len(page.translate(None, _CONTROL_BYTES)) != len(page):
        return False
    if b"\xef\xbf\xbe" in page or b"\xef\xbf\xbf" in page:
        return False
    return repair_faulty_html(head, head[:50].lower()) == head


def _utf8(page: bytes | str | Any) -> bytes | None:
    """The page as clean UTF-8 bytes (see ``_plain_utf8``), or None when it is not."""
    if isinstance(page, bytes):
        return page if _plain_utf8(page) else None
    if isinstance(page, str):
        try:
            data = page.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return None
        return data if _plain_utf8(data, valid=True) else None
    return None


def _load(page: bytes | str | Any) -> Any | None:
    """The page's lxml tree as trafilatura's ``load_html`` makes it. A clean page (most of
    them), as bytes or as a decoded string (a fetched page decoded by its declared charset),
    goes to lxml as UTF-8 bytes: the same tree, without the loader's scan of the whole text
    for characters to delete and lxml's re-encoding of a string."""
    return _parse(page)[0]


def _parse(page: bytes | str | Any) -> tuple[Any | None, bool]:
    """``_load``'s tree, and whether the page was nested deeper than lxml parses (256
    elements): lxml then drops everything deeper, so the tree would hold only the page's
    shallow furniture; such a page gives no tree."""
    data = _utf8(page)
    if data is not None:
        try:
            tree = lxml_html.fromstring(data, parser=_PARSER)
        except (ValueError, etree.ParserError):
            tree = None
        if any("Excessive depth" in e.message for e in _PARSER.error_log):
            return None, True
        if tree is not None and len(tree) >= 1:
            return tree, False
    try:
        return load_html(page), False
    except (ValueError, TypeError):
        return None, False


@dataclass(frozen=True)
class Steps:
    """Which steps of the module doc run (all by default; the benchmark's ablation turns
    them off one at a time). With ``precision_first`` off, step 1 is trafilatura's default
    mode with its full cascade; ``interior_lines`` is the second half of step 2,
    ``data_tables`` and ``quotes`` are the two halves of step 5,
    ``leading_lines`` and ``list_markers`` parts of step 7."""

    precision_first: bool = True
    interior_lines: bool = True
    continuation: bool = True
    furniture_lines: bool = True
    data_tables: bool = True
    quotes: bool = True
    full_text: bool = True
    inline_words: bool = True
    leading_lines: bool = True
    list_markers: bool = True


ALL_STEPS = Steps()


def main_text(page: bytes | str | Any, url: str | None = None, steps: Steps = ALL_STEPS) -> str:
    """The page's main text, comments left out (steps 1–5 of the module doc)."""
    tree = _load(page)
    if tree is None:
        return ""
    return _main_text(tree, url, steps, read_blocks(tree))


def _main_text(tree: Any, url: str | None, steps: Steps, blocks: Blocks) -> str:
    if steps.precision_first:
        text = _trafilatura(tree, url, precise=True)
        if fallback.looks_short(text, blocks.prose):
            text = fallback.longer_wins(text, _trafilatura(tree, url))
        elif steps.interior_lines and gaps_inside(text, blocks):
            region = _region_page(text, blocks)
            balanced = _trafilatura(tree if region is None else region, url, fast=True)
            text = fallback.interior_lines(text, balanced)
    else:
        text = _trafilatura(tree, url)
    if steps.inline_words:
        text = restore_inline_words(text, blocks)
    if steps.continuation and text.strip():
        text = fallback.continue_text(text, blocks.prose)
    if steps.furniture_lines:
        text = drop_furniture(text, blocks)
    if (steps.data_tables or steps.quotes) and text.strip():
        text = insert_blocks(text, flow_blocks(tree, steps.data_tables, steps.quotes))
    return text


def _region_page(text: str, blocks: Blocks) -> Any | None:
    """A page of its own holding a copy of the part of the page that ``text`` came from
    (``blocks.text_region``): the balanced pass of step 2 reads only that, which is faster
    and keeps it inside the article."""
    region = text_region(text, blocks)
    if region is None:
        return None
    page = lxml_html.Element("html")
    etree.SubElement(page, "body").append(copy.deepcopy(region))
    return page


def full_text(extracted: str, meta: PageMeta, entry: FeedEntry) -> str:
    """JSON-LD ``articleBody`` or the feed's full content when complete, else ``extracted``
    (step 6 of the module doc)."""
    for candidate in (meta.article_body, html_paragraphs(entry.content_html)):
        if fallback.complete_text(extracted, candidate):
            return candidate
    return extracted


_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted)[: ]+)?(?:\w+day,? )?"
    r"(?:[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+\.? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:,? (?:at )?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: [A-Z]{2,4})?)?$",
    re.IGNORECASE,
)
# A date stamp in any language: a short line with a year and a clock time or a numeric date
# ("sexta-feira, 22 de outubro de 2010 às 20:13", "5:45 AM PST 11/19/2019 by A. Writer").
DATE_STAMP_WORDS = 12
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK_OR_NUMERIC_DATE = re.compile(
    r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)|(?<!\d)\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?!\d)"
)


def is_date_stamp(line: str) -> bool:
    """A dateline-only line: an English date (and time) alone, or a short line of at most
    ``DATE_STAMP_WORDS`` words with a year and a clock time or numeric date."""
    line = line.strip()
    if _DATE_LINE.match(line):
        return True
    return (
        len(line.split()) <= DATE_STAMP_WORDS
        and _YEAR.search(line) is not None
        and _CLOCK_OR_NUMERIC_DATE.search(line) is not None
    )


def repeats_title(line: str, title: str) -> bool:
    """Whether ``line`` is the headline, give or take a site name or a trimmed word: most of
    the line's words are the title's, and most of the title's are the line's."""
    mine = set(_WORD.findall(line.casefold()))
    theirs = set(_WORD.findall(title.casefold()))
    if not mine or not theirs:
        return False
    common = len(mine & theirs)
    return common >= 0.8 * len(mine) and common >= 0.6 * len(theirs)


def drop_leading_chrome(text: str, headlines: Iterable[str]) -> str:
    """Drop lines before the body that repeat a headline (the metadata's title, the title
    element's or one of the page's ``<h1>`` headings, which often differ) or are only a date
    stamp: page furniture that trafilatura keeps, and that would spoil the excerpt. (A
    leading line equal to the standfirst stays: it is often the article's own first
    paragraph.)"""
    candidates = [headline for headline in headlines if headline.strip()]
    lines = text.split("\n")
    while lines and (
        not lines[0].strip()
        or any(repeats_title(lines[0], headline) for headline in candidates)
        or is_date_stamp(lines[0])
    ):
        lines.pop(0)
    return "\n".join(lines)


def drop_list_markers(text: str) -> str:
    """Plain text, like JSON-LD and feed bodies: the "- " trafilatura puts before list items
    goes (each item keeps its own line), so copies extracted either way fingerprint alike."""
    return "\n".join(_LIST_MARKER.sub("", line) for line in text.split("\n"))


def _date_only(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def page_date(tree: Any, url: str) -> datetime | None:
    """htmldate's publication date (day precision): the slow search, used only as a last
    resort."""
    from htmldate import find_date

    try:
        return _date_only(find_date(tree, url=url, extensive_search=False))
    except (ValueError, TypeError):
        return None


def page_author(tree: Any) -> str:
    """The byline the page shows in its markup (trafilatura's author search over byline
    classes, ``rel=author`` links and the like), when its metadata names nobody: asked only
    then, since it copies the tree."""
    from trafilatura.metadata import extract_author

    try:
        return extract_author(tree) or ""
    except (ValueError, TypeError):
        return ""


def clean_text(
    text: str, headlines: Iterable[str], chrome: frozenset[str], steps: Steps = ALL_STEPS
) -> str:
    """Step 7 of the module doc; ``chrome`` holds the site's learnt boilerplate lines."""
    if steps.leading_lines:
        text = drop_leading_chrome(text, headlines)
    if steps.list_markers:
        text = drop_list_markers(text)
    return strip_chrome(text, chrome).strip()


def extract_article(
    page: bytes | str,
    url: str,
    entry: FeedEntry | None = None,
    *,
    chrome: frozenset[str] = frozenset(),
    steps: Steps = ALL_STEPS,
) -> Article:
    """Extract one article. ``chrome`` holds the site's boilerplate lines, learnt from its
    other pages (``byline.extract.boilerplate.learn_chrome``); ``steps`` is for ablation.
    Raises ``ExtractionError`` when the page has no main text."""
    entry = entry or FeedEntry(url=url)
    tree, too_deep = _parse(page)
    if too_deep:
        raise ExtractionError(f"{url}: page nested more than 255 elements deep; not parsed")
    meta, blocks, text = PageMeta(), Blocks(), ""
    published, author = entry.published, ""
    if tree is not None:
        meta, blocks = read_meta(tree), read_blocks(tree)
        published = meta.published or published or page_date(tree, url)
        author = meta.author or entry.author or page_author(tree)
        # What the page says about itself is read (JSON-LD, and htmldate's search of scripts):
        # its scripts and styles are no use to the text, and trafilatura would copy them with
        # the tree on every pass only to delete them.
        etree.strip_elements(tree, "script", "style", with_tail=False)
        text = _main_text(tree, url, steps, blocks)
    title = meta.title or meta.title_tag or entry.title
    standfirst = meta.description or strip_html(entry.summary)
    if steps.full_text or not text.strip():
        text = full_text(text, meta, entry)
    headlines = (strip_html(title), meta.title_tag, strip_html(entry.title), *blocks.headings)
    text = clean_text(text, headlines, chrome, steps)
    if not text:
        raise ExtractionError(f"{url}: no article text found")
    return Article(
        url=url,
        canonical_url=meta.canonical or url,
        title=strip_html(title) or url,
        standfirst=strip_html(standfirst),
        author=author or entry.author,
        published=published,
        language=meta.language,
        text=text,
        image=meta.image,
        categories=tuple(c for c in (meta.section, *entry.categories) if c),
        site_name=meta.site_name,
    )
