"""Sections (pure): an article's section comes from its categories (first the operator's: a
feed filed under a section, by hand or from an OPML folder, lends it to its entries as their
first category; then the feed's and the page's own), then its URL path, then a keyword
classifier over headline and lead. ``bench/clustering_sections.py`` measures the classifier
on pages labelled by hand (BENCHMARKS.md, "Story clustering")."""

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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Keywords are general news vocabulary (singular forms; a plural "s" is dropped before
# matching). Aliases name the section in feed categories, OPML folders and URL paths.
SECTIONS: tuple[Section, ...] = (
    Section(
        "World News",
        "world",
        _words("world international politics europe asia africa americas news national")
        | {"world news", "middle east", "us", "us news", "nation", "crime", "local", "uk news"},
        _words(
            """
            minister president government election parliament border summit military police
            protest earthquake flood storm navy diplomat talk opposition troop resign senate
            senator congress congressman congresswoman lawmaker legislation republican
            democrat democratic gop campaign vote voter ballot impeachment court judge
            justice prosecutor attorney charged arrested killed war attack ambassador
            governor mayor administration embassy refugee migrant immigration asylum sanction
            treaty nato united nation rebel militant soldier army ceasefire coup protester
            riot victim shooting suspect murder trial verdict jail prison sentence policy
            party candidate primary constituency referendum cabinet monarchy prince royal
            """
        ),
    ),
    Section(
        "Business",
        "business",
        _words("business economy markets finance money companies investing")
        | {"business news", "economy business", "personal finance"},
        _words(
            """
            bank rate interest inflation share market merger profit investor economy currency
            export trade price company airline wage billion deal crown stock revenue earning
            sale retail retailer ceo executive firm startup acquisition shareholder dividend
            quarter quarterly forecast growth recession tariff import industry manufacturer
            consumer customer brand investment fund bond debt loan mortgage tax employee
            layoff job unemployment dow nasdaq sensex index ipo listing valuation regulator
            supply demand oil commodity analyst economist
            """
        ),
    ),
    Section(
        "Science & Technology",
        "science-technology",
        _words("science technology tech health environment space")
        | {"science & technology", "science-technology", "sci tech", "science and health"},
        _words(
            """
            researcher scientist satellite software hacker data network study university space
            launch ransomware bacteria antibiotic computer laboratory orbit cyber science
            technology tech nasa moon planet spacecraft astronaut telescope rocket mars
            jupiter saturn galaxy universe physics biology chemistry experiment discovery
            species fossil climate emission app apple google microsoft iphone android
            smartphone laptop macbook device chip processor internet online digital
            gaming game console streaming platform robot artificial intelligence algorithm
            patient disease doctor medical health hospital virus infection vaccine cell
            brain gene dna cancer symptom treatment drug clinical lung plague
            """
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


def _singular(token: str) -> str:
    return token[:-1] if len(token) > 3 and token.endswith("s") and token[-2] != "s" else token


def classify(title: str, text: str) -> Section:
    """The section whose keywords the headline (counted twice) and the first 200 words use
    most; World News when none is used (or on a tie with it)."""
    tokens = [_singular(t) for t in words(f"{title} {title} {' '.join(text.split()[:200])}")]
    scores = {s.slug: sum(1 for t in tokens if t in s.keywords) for s in SECTIONS}
    best = max(SECTIONS, key=lambda s: scores[s.slug])  # first on a tie: World News
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
