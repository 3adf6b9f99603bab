"""Sections (pure): an article's section comes from its feed's categories, then its URL path,
then a keyword classifier over headline and text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from byline.judge.text import words


@dataclass(frozen=True)
class Section:
    name: str
    slug: str
    aliases: frozenset[str]
    keywords: frozenset[str]


SECTIONS: tuple[Section, ...] = (
    Section(
        "World News",
        "world",
        frozenset(
            {
                "world",
                "world news",
                "international",
                "politics",
                "europe",
                "asia",
                "africa",
                "americas",
                "middle east",
                "news",
                "national",
            }
        ),
        frozenset(
            {
                "minister",
                "president",
                "government",
                "election",
                "parliament",
                "border",
                "summit",
                "military",
                "police",
                "protest",
                "earthquake",
                "flood",
                "storm",
                "navy",
                "diplomat",
                "talks",
                "opposition",
                "troops",
                "resign",
            }
        ),
    ),
    Section(
        "Business",
        "business",
        frozenset({"business", "economy", "markets", "finance", "money", "companies"}),
        frozenset(
            {
                "bank",
                "rates",
                "interest",
                "inflation",
                "shares",
                "market",
                "merger",
                "profit",
                "investors",
                "economy",
                "currency",
                "export",
                "trade",
                "prices",
                "company",
                "airline",
                "wages",
                "billion",
                "deal",
                "crown",
                "stocks",
            }
        ),
    ),
    Section(
        "Science & Technology",
        "science-technology",
        frozenset(
            {
                "science",
                "technology",
                "tech",
                "science & technology",
                "health",
                "science-technology",
                "environment",
                "space",
            }
        ),
        frozenset(
            {
                "researchers",
                "scientists",
                "satellite",
                "software",
                "hackers",
                "data",
                "network",
                "study",
                "university",
                "space",
                "launch",
                "ransomware",
                "bacteria",
                "antibiotic",
                "computer",
                "laboratory",
                "orbit",
                "cyber",
            }
        ),
    ),
)
DEFAULT_SECTION = SECTIONS[0]
BY_SLUG = {section.slug: section for section in SECTIONS}


def _by_alias(label: str) -> Section | None:
    key = re.sub(r"\s+", " ", label.strip().lower())
    for section in SECTIONS:
        if key in section.aliases or key == section.name.lower():
            return section
    return None


def classify(title: str, text: str) -> Section:
    tokens = words(f"{title} {title} {' '.join(text.split()[:200])}")
    scores = {s.slug: sum(1 for t in tokens if t in s.keywords) for s in SECTIONS}
    best = max(SECTIONS, key=lambda s: scores[s.slug])
    return best if scores[best.slug] > 0 else DEFAULT_SECTION


def assign_section(categories: Iterable[str], url: str, title: str, text: str) -> Section:
    """The section for an article: feed/page categories first, then URL path segments, then
    keywords."""
    for category in categories:
        found = _by_alias(category)
        if found:
            return found
    for segment in urlsplit(url).path.lower().split("/"):
        found = _by_alias(segment.replace("-", " ")) or _by_alias(segment)
        if found and segment not in {"news"}:
            return found
    return classify(title, text)
