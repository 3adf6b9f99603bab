"""Sections: feed category first, then the URL path, then the keyword classifier."""

from __future__ import annotations

import pytest

from byline.judge.sections import BY_SLUG, DEFAULT_SECTION, SECTIONS, assign_section, classify

POLITICS = ("Minister resigns after parliament vote", "The minister resigned as parliament met.")
MARKETS = (
    "Central bank raises interest rates",
    "Shares fell as the bank raised interest rates to fight inflation; investors sold stocks.",
)
SPACE = (
    "Satellite reaches orbit after launch",
    "Scientists said the satellite reached orbit; the launch tested new software.",
)


def slug(categories: list[str], url: str, title: str = "", text: str = "") -> str:
    return assign_section(categories, url, title, text).slug


def test_feed_category_wins_over_url_and_keywords() -> None:
    title, text = POLITICS
    assert slug(["Business"], "https://x.example/science/a.html", title, text) == "business"


def test_first_recognised_category_is_used() -> None:
    assert slug(["Opinion", "Tech", "Business"], "https://x.example/world/a.html") == (
        "science-technology"
    )


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("World News", "world"),
        ("  world   NEWS ", "world"),
        ("Politics", "world"),
        ("Markets", "business"),
        ("Science & Technology", "science-technology"),
        ("science-technology", "science-technology"),
        ("Health", "science-technology"),
    ],
)
def test_category_aliases(category: str, expected: str) -> None:
    assert slug([category], "https://x.example/a.html", *MARKETS) == expected


def test_url_path_is_next() -> None:
    title, text = POLITICS
    assert slug([], "https://x.example/science-technology/2026/a.html", title, text) == (
        "science-technology"
    )
    assert slug(["Opinion"], "https://x.example/business/a.html", title, text) == "business"
    assert slug([], "https://x.example/en/economy/a.html", *SPACE) == "business"


def test_news_segment_does_not_decide() -> None:
    assert slug([], "https://x.example/news/2026/a.html", *MARKETS) == "business"


def test_keyword_classifier_is_last() -> None:
    assert slug([], "https://x.example/2026/10/a.html", *MARKETS) == "business"
    assert slug([], "https://x.example/2026/10/a.html", *SPACE) == "science-technology"
    assert slug([], "https://x.example/2026/10/a.html", *POLITICS) == "world"


def test_classifier_defaults_to_world_news() -> None:
    assert classify("", "") is DEFAULT_SECTION
    assert classify("Lorem ipsum", "dolor sit amet") is DEFAULT_SECTION
    assert DEFAULT_SECTION.slug == "world"


def test_headline_counts_double() -> None:
    # one business word in the headline beats one science word in the text
    assert classify("Bank report", "The study was published.").slug == "business"


def test_sections_table_is_consistent() -> None:
    assert set(BY_SLUG) == {s.slug for s in SECTIONS}
    assert len(BY_SLUG) == len(SECTIONS)
    for section in SECTIONS:
        assert section.keywords
        assert section.name
