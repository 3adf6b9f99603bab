"""Per-site boilerplate (pure): lines that repeat across many pages of one site are chrome.

A content farm wraps every article in the same furniture ("Source link", "Related Articles",
"Leave a Reply", "Back to top button"); a newspaper ends every story with the same "Sign up for
our newsletter" line or "About the company" paragraph. One page alone cannot tell such a line
from the article, but a site's other pages can: a line that appears on most of them is not
part of any one story.

``learn_chrome`` counts, for each normalised line, on how many *pages* it appears (a line
repeated within one page counts once) and keeps those seen on at least ``min_pages`` pages and
at least ``min_share`` of all pages. ``strip_chrome`` drops those lines from one text, unless
that would leave almost nothing of it (under ``MIN_KEPT_SHARE`` of its characters): then the
"chrome" is the story itself, e.g. versions of one wire report, and the text is left alone.

Normalisation: Unicode NFKC, case-folded, whitespace collapsed, list markers and surrounding
punctuation trimmed, so "Leave a Reply", "LEAVE A REPLY" and "- Leave a reply:" are one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")

# Stripping must leave at least this share of a text's characters, or it is not done.
MIN_KEPT_SHARE = 0.2


def normalise_line(line: str) -> str:
    """The comparison key of a line ("" for a line with no letters or digits)."""
    text = unicodedata.normalize("NFKC", line).casefold()
    return _EDGES.sub("", _SPACE.sub(" ", text).strip())


def page_lines(text: str) -> set[str]:
    """The distinct non-empty normalised lines of one page's text."""
    return {key for key in map(normalise_line, text.splitlines()) if key}


def learn_chrome(
    texts: Iterable[str], min_share: float = 0.5, min_pages: int = 3
) -> frozenset[str]:
    """Normalised lines found on at least ``min_pages`` pages and ``min_share`` of all pages."""
    counts: Counter[str] = Counter()
    pages = 0
    for text in texts:
        pages += 1
        counts.update(page_lines(text))
    needed = max(min_pages, min_share * pages)
    return frozenset(line for line, seen in counts.items() if seen >= needed)


def strip_chrome(text: str, chrome: frozenset[str]) -> str:
    """``text`` without its chrome lines; unchanged when almost nothing would be left."""
    if not chrome:
        return text
    lines = text.split("\n")
    kept = [line for line in lines if normalise_line(line) not in chrome]
    if sum(map(len, kept)) < MIN_KEPT_SHARE * sum(map(len, lines)):
        return text
    return "\n".join(kept)
