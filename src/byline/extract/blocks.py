"""The page's text blocks, read in one pass over the tree (pure).

One walk over the block elements (``<p>``, headings, list items, quotes, captions, cells)
gives what the extraction steps need from the page itself:

- **Prose paragraphs**: ``<p>`` elements of at least ``PROSE_WORDS`` words whose link text is
  at most ``MAX_LINK_DENSITY`` of their words, outside page furniture. They measure how much
  article the page holds (``byline.extract.fallback``).
- **Every block by its text**, so that :func:`drop_furniture` can judge, for the lines of
  the extracted text only, whether the blocks they came from are page furniture. A block is
  furniture when it or a container around it is furniture (below) or hidden (the ``hidden``
  attribute, an inline ``display: none``, or a ``hide`` / ``hidden`` / ``d-none`` class), or
  when all of its words are link text (a teaser; the items of a list of links count as their
  list). A line that is also the text of a block that is none of these (the same sentence in
  the article and in a share box, say) is not a furniture line; nor are the lines of one
  furniture container that come to more than ``MAX_CONTAINER_SHARE`` of the text (a container
  that holds that much of the article is the article's own, whatever its class says).
- **Headings**: the texts of the page's ``<h1>`` elements, the headline as the page shows it
  (it often differs from the metadata's title).

*Page furniture* is ``header``, ``nav``, ``aside``, ``footer``, ``form``, links, buttons,
captions, and elements whose class or id names comments, sharing, newsletters, calls to
action, related links and the like (``FURNITURE_WORDS``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

PROSE_WORDS = 12
MAX_LINK_DENSITY = 0.3
MAX_CONTAINER_SHARE = 0.3
MAX_DROPPED_SHARE = 0.5

BLOCK_TAGS = (
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
    "pre",
)
# Blocks whose absence inside the text another extraction may make good: paragraphs, list
# items and subheadings (tables and quotes are step 5's, code and captions are left out).
GAP_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6"})
FURNITURE_TAGS = frozenset(
    {"a", "header", "nav", "aside", "footer", "form", "figcaption", "button"}
)
FURNITURE_WORDS = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "breadcrumb",
        "breadcrumbs",
        "comment",
        "comments",
        "cookie",
        "cta",
        "footer",
        "menu",
        "nav",
        "navigation",
        "newsletter",
        "popular",
        "promo",
        "recommended",
        "related",
        "share",
        "sidebar",
        "signup",
        "social",
        "subscribe",
        "teaser",
        "trending",
        "widget",
    }
)
HIDDEN_CLASSES = frozenset({"hide", "hidden", "d-none", "is-hidden"})
# The words of a class or id: letters, split at anything else except a digit inside a word,
# so that a trailing number is dropped ("sidebar2", "ad1") but a generated id such as
# "e1ad" is no "ad".
_NAME_WORDS = re.compile(r"[a-z][a-z0-9]*")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class Prose:
    """One prose paragraph: its text, its container, its place in the document and its
    number of words."""

    text: str
    parent: Any
    order: int
    words: int


@dataclass(frozen=True)
class Blocks:
    """What one pass over the page's blocks found (see the module doc): the prose paragraphs,
    the ``<h1>`` texts, and every block by the key of its text (to judge later only the
    blocks whose text is a line of the extraction)."""

    prose: tuple[Prose, ...] = ()
    headings: tuple[str, ...] = ()
    by_key: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    _furniture: _Furniture = field(default_factory=lambda: _Furniture(), repr=False)

    def furniture_box(self, key: str) -> Any | None:
        """The furniture container of the blocks whose text has ``key``, or None when one of
        them is not furniture (or there is none)."""
        boxes = [self._furniture.box(element) for element in self.by_key.get(key, ())]
        if not boxes or any(box is None for box in boxes):
            return None
        return boxes[0]

    @cached_property
    def order(self) -> dict[str, int]:
        """Each block key's place in the document (its first block's), computed once per
        page for ``gaps_inside`` and ``text_region``."""
        return {key: index for index, key in enumerate(self.by_key)}


def line_key(text: str) -> str:
    """The comparison key of a block's text or of a line of extracted text: whitespace
    collapsed, invisible characters (soft hyphen, zero-width spaces and joiners) and a leading
    "- " list marker dropped."""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    key = " ".join(text.split())
    return key[2:] if key.startswith("- ") else key


def is_furniture(element: Any) -> bool:
    """Whether the element itself is page furniture or hidden (its ancestors aside)."""
    if element.tag in FURNITURE_TAGS or element.get("hidden") is not None:
        return True
    classes = element.get("class") or ""
    names = f"{classes} {element.get('id') or ''}".lower()
    words = (word.rstrip("0123456789") for word in _NAME_WORDS.findall(names))
    if not FURNITURE_WORDS.isdisjoint(words):
        return True
    if not HIDDEN_CLASSES.isdisjoint(names.split()):
        return True
    style = element.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


# Chinese, Japanese and Korean write no spaces between words: each of their characters counts
# as a word of its own (as the extraction benchmark's metric counts them), or a paragraph of
# Japanese would be one "word" and never prose, and a whole article a few "words" long.
_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)


def count_words(text: str) -> int:
    """Whitespace words, each CJK character counted as a word of its own."""
    if text.isascii():
        return len(text.split())
    return len(_CJK.sub(" ", text).split()) + len(_CJK.findall(text))


def _link_words(element: Any) -> int:
    return sum(count_words(link.text_content()) for link in element.iter("a"))


_WORD_CHARACTER = re.compile(r"\w")


def _all_link_text(block: Any) -> bool:
    """Whether every word of ``block`` is inside a link: it holds a link, and its text outside
    links has no letter or digit ("[Engadget]", a list of headlines). Counted by characters,
    not by words: a heading with an edit link glued on ("History[edit]") or a line led by
    plain words ("Related: <a>…</a>", "<a>Comments</a> (5 posted)") is not a teaser; nor is a
    block whose links all stay on the page ("#section": a subheading's permalink anchor, a
    table of contents), which lead the reader nowhere else."""
    if next(block.iter("a"), None) is None:
        return False
    if all((a.get("href") or "").startswith("#") for a in block.iter("a")):
        return False
    outside = block.xpath(".//text()[not(ancestor::a)]")
    return _WORD_CHARACTER.search("".join(outside)) is None


class _Furniture:
    """Furniture containers, each element judged once per page."""

    def __init__(self) -> None:
        self._known: dict[Any, Any] = {}

    def container(self, element: Any) -> Any | None:
        """The outermost ancestor of ``element`` (below ``<body>``) that is furniture, if any."""
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        if parent in self._known:
            return self._known[parent]
        found = self.container(parent)
        if found is None and is_furniture(parent):
            found = parent
        self._known[parent] = found
        return found

    def box(self, block: Any) -> Any | None:
        """The furniture container a block belongs to: its own when it is furniture itself
        or all link text (a teaser; the items of a list of links share their list); None
        when the block is article."""
        container = self.container(block)
        if container is not None:
            return container
        if is_furniture(block):
            return block
        if not _all_link_text(block):
            return None
        parent = block.getparent()
        return parent if block.tag == "li" and parent is not None else block


def read_blocks(tree: Any) -> Blocks:
    """The page's prose paragraphs, headings and blocks by text (see the module doc)."""
    furniture = _Furniture()
    prose: list[Prose] = []
    headings: list[str] = []
    by_key: dict[str, list[Any]] = {}
    for order, element in enumerate(tree.iter(*BLOCK_TAGS)):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        key = text if text.isascii() and not text.startswith("- ") else line_key(text)
        by_key.setdefault(key, []).append(element)
        tag = element.tag
        if tag == "p":
            count = count_words(text)
            if (
                count >= PROSE_WORDS
                and _link_words(element) <= MAX_LINK_DENSITY * count
                and furniture.container(element) is None
            ):
                prose.append(Prose(text, element.getparent(), order, count))
        elif tag == "h1":
            headings.append(text)
    keyed = {key: tuple(elements) for key, elements in by_key.items()}
    return Blocks(tuple(prose), tuple(headings), keyed, furniture)


def gaps_inside(text: str, blocks: Blocks) -> bool:
    """Whether the page has a paragraph, list item or subheading that ``text`` leaves out
    between two of its lines, in document order, and that is not furniture (or sits in the
    furniture container that holds the text's own lines): the cheap test that says whether
    another extraction could add a line inside the text (``fallback.interior_lines``)."""
    order = blocks.order
    have = {line_key(line) for line in text.split("\n")}
    places = [order[key] for key in have if key in order]
    if len(places) < 2:
        return False
    # A furniture container that holds the text's own lines is the article's (drop_furniture).
    # The boxes stay referenced while they are compared: lxml hands out the same Python
    # object for an element only while one is alive.
    own = [box for key in have if key in order if (box := blocks.furniture_box(key)) is not None]
    own_ids = {id(box) for box in own}
    for key in list(blocks.by_key)[min(places) + 1 : max(places)]:
        if key in have or blocks.by_key[key][0].tag not in GAP_TAGS:
            continue
        box = blocks.furniture_box(key)
        if box is None or id(box) in own_ids:
            return True
    return False


def text_region(text: str, blocks: Blocks) -> Any | None:
    """The smallest element that holds the blocks of ``text``'s first and last lines (their
    lowest common ancestor below ``<body>``), or None when the lines are not found or only
    ``<body>`` holds them both."""
    order = blocks.order
    keys = [key for line in text.split("\n") if (key := line_key(line)) in order]
    if len(keys) < 2:
        return None
    first = blocks.by_key[min(keys, key=order.__getitem__)][0]
    last = blocks.by_key[max(keys, key=order.__getitem__)][0]
    around_first = {first, *first.iterancestors()}
    common = next((e for e in (last, *last.iterancestors()) if e in around_first), None)
    return None if common is None or common.tag in ("body", "html") else common


def drop_furniture(text: str, blocks: Blocks) -> str:
    """``text`` without its furniture lines: lines equal to the text of page blocks that are
    all furniture (see the module doc). The lines of one furniture container that come to
    more than ``MAX_CONTAINER_SHARE`` of the text's characters stay: a container that holds
    that much of the article is the article's own, whatever its class says (one site's article
    column is ``l-sidebar-fixed``). Nothing is dropped when more than ``MAX_DROPPED_SHARE`` of
    the text would go."""
    if not blocks.by_key:
        return text
    lines = text.split("\n")
    # The containers stay referenced here while they are compared: lxml hands out the same
    # Python object for an element only while one is alive.
    box_of: dict[str, Any | None] = {}
    boxes: list[Any | None] = []
    for line in lines:
        key = line_key(line)
        if key not in box_of:
            box_of[key] = blocks.furniture_box(key) if key else None
        boxes.append(box_of[key])
    if all(box is None for box in boxes):
        return text
    total = sum(map(len, lines))
    per_box: dict[Any, int] = {}
    for line, box in zip(lines, boxes, strict=True):
        if box is not None:
            per_box[box] = per_box.get(box, 0) + len(line)
    dropped = {box for box, size in per_box.items() if size <= MAX_CONTAINER_SHARE * total}
    kept = [line for line, box in zip(lines, boxes, strict=True) if box not in dropped]
    if len(kept) == len(lines) or total - sum(map(len, kept)) > MAX_DROPPED_SHARE * total:
        return text
    return "\n".join(kept)


MAX_RESTORED_SHARE = 0.25  # a page block may hold at most this many more words than the line
MIN_RESTORED_WORDS = 6  # ... or this many, for short lines
_EDGE_WORDS = 3


def _left_out(short: list[str], long: list[str]) -> list[str] | None:
    """The words of ``long`` that ``short`` leaves out, when ``short`` is ``long`` with some
    words left out (order kept); else None."""
    position, missing = 0, []
    for word in long:
        if position < len(short) and word == short[position]:
            position += 1
        else:
            missing.append(word)
    return missing if position == len(short) else None


def _whole_block(line: str, keys: list[str], beside: set[str]) -> str | None:
    """The page block that ``line`` is a gapped copy of: a block whose words are the line's
    words in order with a few more between (inline words the extractor cut out), unless the
    words left out are a line ``beside`` it already (a run-in heading, ``<b>Isolation</b>
    Tasks in ...``, that the extractor gave a line of its own)."""
    words = line.split()
    if len(words) < PROSE_WORDS // 2:
        return None
    head, tail = " ".join(words[:_EDGE_WORDS]), " ".join(words[-_EDGE_WORDS:])
    allowed = max(MIN_RESTORED_WORDS, MAX_RESTORED_SHARE * len(words))
    for key in keys:
        if (head in key or tail in key) and len(key) > len(line):
            block = key.split()
            if not 0 < len(block) - len(words) <= allowed:
                continue
            missing = _left_out(words, block)
            left_out = " ".join(missing or ())
            # not a whole line beside it, nor TeX source that math markup carries as text
            if missing is not None and left_out not in beside and "\\" not in left_out:
                return key
    return None


def restore_inline_words(text: str, blocks: Blocks) -> str:
    """``text`` with the words an extractor cut out of the middle of a paragraph put back:
    a line that is no block's text but is one ``<p>``'s text with a few words missing, in
    order, becomes that paragraph's text. trafilatura's precision mode deletes inline elements
    by class or style (``<span class="link">``, a bordered ``<span>``) and, with them, the
    words they held ("a statement Twitter Lite is now" became "a statement is now")."""
    if not blocks.by_key or not text:
        return text
    keys: list[str] | None = None
    lines = text.split("\n")
    for index, line in enumerate(lines):
        key = line_key(line)
        if not key or key in blocks.by_key:
            continue
        if keys is None:
            keys = [
                k
                for k, elements in blocks.by_key.items()
                if len(k.split()) >= PROSE_WORDS // 2 and any(e.tag == "p" for e in elements)
            ]
        beside = {line_key(near) for near in lines[max(index - 2, 0) : index + 3]}
        whole = _whole_block(key, keys, beside)
        if whole is not None:
            lines[index] = whole
    return "\n".join(lines)
