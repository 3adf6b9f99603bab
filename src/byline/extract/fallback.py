"""Signals that say an extraction looks wrong, and the repairs (pure).

The main text comes from trafilatura, and Byline decides between its modes and other sources
with measured signals, never by trusting one source blindly:

- **Too short.** The precision mode's text has fewer than ``SHORT_WORDS`` words, or fewer than
  ``SHORT_SHARE`` of the words of the page's *prose paragraphs* (see below). Then trafilatura's
  default mode with its full cascade (its readability and jusText fallbacks) runs too, and
  wins when it is at least ``1 / SHORT_SHARE`` times as long. A text under ``SHORT_WORDS``
  words that has at least as many words as all of the page's prose paragraphs (there being
  some) is a whole short article, not a short extraction: the default mode is not run (what
  more it finds there is page furniture).
- **Truncated at a container.** Many templates split one article body into several sibling
  containers of the same kind (``div.body-chunk`` after ``div.body-chunk``); trafilatura then
  often keeps only the first. :func:`continue_text` looks for prose paragraphs that sit in
  containers with the same tag and class as a container the text was taken from, close to it
  in the tree (a common ancestor at most ``SIBLING_DEPTH`` levels up) and inside the same
  ``<article>`` element, and adds them when they come to at least ``MISSING_SHARE`` of the
  text's words.
- **A complete full text elsewhere.** A JSON-LD ``articleBody`` or a feed's full content
  replaces the extraction only when it is *the same article* (it contains at least
  ``SAME_TEXT`` of the extraction's 4-word shingles) and *more of it* (at least ``LONGER``
  times as many words), or when the extraction is empty. Teasers, truncated bodies ("…") and
  bodies of another article fail one test or the other.

- **Paragraphs cut from the middle.** The precision mode sometimes leaves out a paragraph,
  a subheading or a short line between two it keeps (a line it took for a teaser, a heading
  of links). trafilatura's balanced mode without fallbacks runs too, and
  :func:`interior_lines` adds the lines it has and the precision mode lacks **between** two
  lines the precision mode kept; never before its first line or after its last, where what
  the balanced mode adds is page furniture (a byline box, related links, a footer).

*Prose paragraphs* are defined in ``byline.extract.blocks``, which reads them in the same pass
as the page's furniture lines and headings.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from byline.extract.blocks import Prose, count_words, read_blocks

SHORT_WORDS = 100
SHORT_SHARE = 0.6
SIBLING_DEPTH = 3
MISSING_SHARE = 0.25
COVERED = 0.5
SAME_TEXT = 0.8
LONGER = 1.25
SHINGLE = 4


def words(text: str) -> int:
    """Words, each CJK character counted as one (``blocks.count_words``)."""
    return count_words(text)


def shingle_set(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    tokens = text.split()
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return set(zip(*(tokens[i:] for i in range(n)), strict=False))


def containment(part: str, whole: str) -> float:
    """The share of ``part``'s shingles that are also ``whole``'s (0 when ``part`` is empty)."""
    mine = shingle_set(part)
    return len(mine & shingle_set(whole)) / len(mine) if mine else 0.0


def prose_paragraphs(tree: Any) -> list[Prose]:
    """The page's prose paragraphs in document order (``byline.extract.blocks``)."""
    return list(read_blocks(tree).prose)


def looks_short(text: str, prose: Sequence[Prose]) -> bool:
    """Well under the page's prose, or fewer than ``SHORT_WORDS`` words when the page's
    prose does not show the text to be a whole short article."""
    count = words(text)
    prose_words = sum(p.words for p in prose)
    if count < SHORT_SHARE * prose_words:
        return True
    return count < SHORT_WORDS and not 0 < prose_words <= count


def longer_wins(first: str, second: str) -> str:
    """``second`` when it is at least ``1 / SHORT_SHARE`` times as long as ``first``."""
    return second if words(second) * SHORT_SHARE > words(first) else first


def _groups(prose: Sequence[Prose]) -> Iterator[tuple[Any, list[Prose]]]:
    by_parent: dict[int, tuple[Any, list[Prose]]] = {}
    for para in prose:
        by_parent.setdefault(id(para.parent), (para.parent, []))[1].append(para)
    yield from by_parent.values()


def _signature(element: Any) -> tuple[str, str]:
    return str(element.tag), " ".join((element.get("class") or "").split())


def _article_of(element: Any) -> Any:
    return next(element.iterancestors("article"), None)


def _near(a: Any, b: Any) -> bool:
    ups = [a, *list(a.iterancestors())[:SIBLING_DEPTH]]
    return any(anc in ups for anc in [b, *list(b.iterancestors())[:SIBLING_DEPTH]])


def _continues(parent: Any, covered: list[Any]) -> bool:
    return any(
        _signature(parent) == _signature(done)
        and _article_of(parent) is _article_of(done)
        and _near(parent, done)
        for done in covered
    )


def continue_text(text: str, prose: Sequence[Prose]) -> str:
    """``text`` with the prose of sibling containers it stopped short of (see module doc)."""
    groups = list(_groups(prose))
    kinds = Counter(_signature(parent) for parent, _ in groups)
    if not kinds or max(kinds.values()) < 2:  # no two containers of one kind: nothing to add
        return text
    have = shingle_set(text)
    covered: list[Any] = []
    for parent, paras in groups:
        mine = shingle_set("\n".join(p.text for p in paras))
        if len(mine & have) >= COVERED * len(mine):
            covered.append(parent)
    if not covered:
        return text
    missing = [
        para
        for parent, paras in groups
        if parent not in covered and _continues(parent, covered)
        for para in paras
    ]
    if sum(p.words for p in missing) < MISSING_SHARE * words(text):
        return text
    first = min(p.order for parent, paras in groups if parent in covered for p in paras)
    before = [p.text for p in missing if p.order < first]
    after = [p.text for p in missing if p.order > first]
    return "\n".join([*before, text, *after])


def complete_text(extracted: str, full: str) -> bool:
    """Whether ``full`` (JSON-LD or feed text) is the whole of what ``extracted`` began."""
    if not full.strip():
        return False
    if not extracted.strip():
        return True
    return words(full) >= LONGER * words(extracted) and containment(extracted, full) >= SAME_TEXT


def interior_lines(precise: str, balanced: str) -> str:
    """``precise`` with the lines of ``balanced`` it lacks between two of its own lines (see
    the module doc). Lines are compared with whitespace collapsed; where the two texts hold
    different versions of a stretch, a balanced line is added only when most of its 4-word
    shingles are not in that stretch already."""
    mine, theirs = precise.split("\n"), balanced.split("\n")
    matcher = difflib.SequenceMatcher(
        a=[" ".join(line.split()) for line in mine],
        b=[" ".join(line.split()) for line in theirs],
        autojunk=False,
    )
    out: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(mine[i1:i2])
        if tag in ("equal", "delete") or i1 == 0 or i2 == len(mine):
            continue
        have = shingle_set("\n".join(mine[i1:i2]))
        for line in theirs[j1:j2]:
            new = shingle_set(line)
            if line.strip() and len(new - have) > COVERED * len(new):
                out.append(line)
    return "\n".join(out)
