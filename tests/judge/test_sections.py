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


def test_plurals_match_singular_keywords() -> None:
    assert classify("", "Researchers and scientists published studies.").slug == (
        "science-technology"
    )
    assert classify("", "Senators and lawmakers voted.").slug == "world"


def test_politics_and_courts_are_world_news() -> None:
    text = "The Senate voted on the impeachment as the judge heard the prosecutors."
    assert classify("Republicans block bill", text).slug == "world"


def test_markets_and_companies_are_business() -> None:
    text = "The company's shares rose after quarterly earnings beat forecasts; revenue grew."
    assert classify("Retailer stock jumps", text).slug == "business"


def test_gadgets_space_and_medicine_are_science_and_technology() -> None:
    assert classify("New smartphone chip", "The laptop and the app were shown.").slug == (
        "science-technology"
    )
    assert classify("", "NASA astronauts and the telescope on the moon.").slug == (
        "science-technology"
    )
    assert classify("", "Doctors said the patient's infection and symptoms eased.").slug == (
        "science-technology"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/news/us/article/a.html", "world"),
        ("https://x.example/sci-tech/a.html", "science-technology"),
        ("https://x.example/science-and-health/2019/a", "science-technology"),
        ("https://x.example/business/economy-business/a", "business"),
        ("https://x.example/news/crime/a.html", "world"),
    ],
)
def test_more_url_sections(url: str, expected: str) -> None:
    assert slug([], url, *SPACE if expected != "science-technology" else MARKETS) == expected
