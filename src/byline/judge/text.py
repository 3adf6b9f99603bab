"""Text helpers shared by the judge stages (pure)."""

from __future__ import annotations

import re
import unicodedata

# A sentence ends at end punctuation, or at a closing quote or bracket right after it (which
# stays with the sentence it closes), before white space and a capital or digit.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
# Two sentences glued together where a page lost the space between paragraphs
# ("jurisdiction.And this March"): a lower-case word's end, then a capitalised word.
# "U.S.Army" and "example.com" do not match.
_GLUED_END = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)

_STOPWORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my no nor not now of off on once only
    or other our ours out over own said says same she should so some such than that the
    their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours mr
    mrs ms told according new one two year years last week month day time people
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def normalise(text: str) -> str:
    """Unicode-normalised, lower-cased text with uniform quotes and whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def sentences(text: str) -> list[str]:
    """Split text into sentences on end punctuation and line breaks."""
    found: list[str] = []
    for block in text.splitlines():
        block = block.strip()
        if block:
            for part in _SENTENCE_END.split(block):
                found.extend(p.strip() for p in _GLUED_END.split(part) if p.strip())
    return found


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]
