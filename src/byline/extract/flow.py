"""Blocks in the article's flow that the extraction left out (pure): data tables and quotes.

trafilatura runs with its tables off, and its precision mode drops quotes that carry links:
most ``<table>`` elements on news pages are layout (a whole page in one cell) or link boxes,
and its table text ("| a | b |") matches no other copy of an article; most linked quotes are
teasers. But a results table, a standings table or a list of player statistics is the article,
and so is a post it quotes (an embedded tweet is a ``<blockquote>`` with a link). They are put
back when they stand in the article's flow:

- **Data tables**: no table inside, at least ``MIN_ROWS`` rows with two or more non-empty
  cells and those rows at least half of all rows, no cell longer than ``MAX_CELL_WORDS`` words
  (a long cell is layout), and at most ``MAX_LINK_SHARE`` of the words in links. One line per
  row, its cells joined by spaces, like plain text.
- **Quotes**: ``<blockquote>`` elements with no quote inside; one line per paragraph, plus
  one for the rest of the quote's text (a tweet's author and date).
- **In the article's flow**: the block just before the table or quote and the block just
  after it (paragraphs, headings, list items, other quotes) are both lines of the extracted
  text, in that order; the lines go between them. Nothing is added that the text already
  holds (half of its 4-word shingles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from byline.extract.blocks import line_key
from byline.extract.fallback import shingle_set

MIN_ROWS = 2
MAX_CELL_WORDS = 30
MAX_LINK_SHARE = 0.5
ALREADY_THERE = 0.5

_NEAREST_BLOCK = (
    "[self::p or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or self::li or self::blockquote][1]"
)
_BEFORE = "preceding::*" + _NEAREST_BLOCK
_AFTER = "following::*" + _NEAREST_BLOCK


@dataclass(frozen=True)
class FlowBlock:
    """A table or quote: its lines, and the keys of its own text and of the blocks just
    before and after it."""

    lines: tuple[str, ...]
    key: str
    before: str
    after: str


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def table_rows(table: Any) -> tuple[str, ...]:
    """The table's rows as lines when it is a data table (see the module doc), else ()."""
    if table.find(".//table") is not None:
        return ()
    rows: list[list[str]] = []
    for row in table.iter("tr"):
        cells = [text for cell in row if cell.tag in ("td", "th") and (text := _text(cell))]
        if any(len(cell.split()) > MAX_CELL_WORDS for cell in cells):
            return ()
        if cells:
            rows.append(cells)
    wide = sum(len(cells) >= 2 for cells in rows)
    if wide < MIN_ROWS or wide < 0.5 * len(rows):
        return ()
    words = sum(len(cell.split()) for cells in rows for cell in cells)
    links = sum(len(_text(link).split()) for link in table.iter("a"))
    if links > MAX_LINK_SHARE * words:
        return ()
    return tuple(" ".join(cells) for cells in rows)


def quote_lines(quote: Any) -> tuple[str, ...]:
    """The quote's paragraphs, then the rest of its text, as lines ("" parts left out)."""
    if quote.find(".//blockquote") is not None:
        return ()
    paragraphs = [_text(p) for p in quote.iter("p")]
    rest = [quote.text or ""]
    for child in quote:
        if child.tag != "p":
            rest.append(child.text_content())
        rest.append(child.tail or "")
    lines = [*paragraphs, " ".join("".join(rest).split())]
    return tuple(line for line in lines if line)


def _neighbour(element: Any, path: str) -> str:
    found = element.xpath(path)
    return line_key(_text(found[0])) if found else ""


def flow_blocks(tree: Any, tables: bool = True, quotes: bool = True) -> list[FlowBlock]:
    """The page's data tables and quotes in document order, with their neighbouring blocks."""
    kinds = (("table",) if tables else ()) + (("blockquote",) if quotes else ())
    found = []
    for element in tree.iter(*kinds):
        lines = table_rows(element) if element.tag == "table" else quote_lines(element)
        if lines:
            before, after = _neighbour(element, _BEFORE), _neighbour(element, _AFTER)
            found.append(FlowBlock(lines, line_key(_text(element)), before, after))
    return found


def _runs(blocks: Sequence[FlowBlock]) -> list[FlowBlock]:
    """Blocks that follow one another directly (a tweet after a tweet) as one block."""
    runs: list[FlowBlock] = []
    for block in blocks:
        last = runs[-1] if runs else None
        if last is not None and last.after in (block.key, line_key(block.lines[0])):
            runs[-1] = FlowBlock(last.lines + block.lines, last.key, last.before, block.after)
        else:
            runs.append(block)
    return runs


def insert_blocks(text: str, blocks: Sequence[FlowBlock]) -> str:
    """``text`` with the tables and quotes that stood in its flow put back between their
    neighbouring lines (see the module doc); blocks that follow one another directly go in
    together."""
    if not blocks:
        return text
    lines = text.split("\n")
    keys = [line_key(line) for line in lines]
    have: set[tuple[str, ...]] | None = None
    for block in _runs(blocks):
        if not (block.before and block.after) or block.before not in keys:
            continue
        at = keys.index(block.before) + 1
        if block.after not in keys[at:]:
            continue
        have = shingle_set(text) if have is None else have
        mine = shingle_set("\n".join(block.lines))
        if len(mine & have) >= ALREADY_THERE * len(mine):
            continue
        lines[at:at] = block.lines
        keys[at:at] = [line_key(line) for line in block.lines]
    return "\n".join(lines)
