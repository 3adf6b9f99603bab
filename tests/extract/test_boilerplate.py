"""Per-site boilerplate: lines that repeat across a site's pages are learnt and stripped."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from byline.demo.sitegen import build_site
from byline.extract.article import extract_article
from byline.extract.boilerplate import learn_chrome, normalise_line, strip_chrome

PARAGRAPHS = [
    "Thousands of dockworkers walked off the job at Port Ardent on Saturday after pay talks "
    "collapsed late on Friday night.",
    "The federation said about 4,200 of its members had joined the 72-hour strike.",
    "Talks could resume as early as Monday, the labour minister said.",
]
CHROME_LINES = ["Source link", "Related Articles", "Leave a Reply", "Back to top button"]


def site_pages(n: int, extra: str = "") -> list[str]:
    return [
        f"World News\nStory {k} opens with its own first line.\nIt goes on differently {k}.\n"
        f"Source link\nRelated Articles\n{extra}Leave a Reply\nBack to top button"
        for k in range(n)
    ]


def test_normalise_line_ignores_case_space_markers_and_edge_punctuation() -> None:
    assert normalise_line("  LEAVE   a Reply: ") == "leave a reply"
    assert normalise_line("- Leave a reply") == "leave a reply"
    assert normalise_line("«Back to top»") == "back to top"
    assert normalise_line(" --- ") == ""


def test_lines_on_most_pages_are_chrome_and_story_lines_are_not() -> None:
    chrome = learn_chrome(site_pages(6))
    for line in [*CHROME_LINES, "World News"]:
        assert normalise_line(line) in chrome
    assert not any("story" in line or "differently" in line for line in chrome)


def test_min_pages_and_min_share() -> None:
    assert learn_chrome(site_pages(2)) == frozenset()  # two pages are not enough by default
    assert normalise_line("Source link") in learn_chrome(site_pages(2), min_pages=2)
    texts = site_pages(3) + [f"Another story {k}\nline {k}" for k in range(7)]
    assert learn_chrome(texts, min_share=0.5) == frozenset()  # on 3 of 10 pages only
    assert normalise_line("Source link") in learn_chrome(texts, min_share=0.3)


def test_a_line_repeated_within_one_page_counts_once() -> None:
    texts = ["Subscribe\nSubscribe\nSubscribe\nBody one"] + [f"Body {k}" for k in range(3)]
    assert learn_chrome(texts, min_share=0.25, min_pages=2) == frozenset()


def test_strip_chrome_keeps_the_story() -> None:
    page = site_pages(1)[0]
    stripped = strip_chrome(page, learn_chrome(site_pages(6)))
    assert stripped.splitlines() == [
        "Story 0 opens with its own first line.",
        "It goes on differently 0.",
    ]
    assert strip_chrome(page, frozenset()) == page


def test_strip_chrome_leaves_a_text_that_is_mostly_chrome_alone() -> None:
    # versions of one wire story: the "chrome" would be the story itself
    story = "\n".join(PARAGRAPHS)
    chrome = learn_chrome([story, story, story])
    updated = story + "\nUpdated at noon."
    assert strip_chrome(updated, chrome) == updated


@pytest.fixture(scope="module")
def worldnewshub(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    root = tmp_path_factory.mktemp("site")
    manifest = build_site(root, "http://127.0.0.1:8765")
    pages = []
    for article in manifest.articles:
        if article.outlet == "worldnewshub":
            path = root / article.url.removeprefix(manifest.base_url).lstrip("/")
            pages.append((article.url, Path(path).read_bytes()))
    assert len(pages) >= 5
    return pages


def visible_lines(page: bytes) -> str:
    """Every block of the page's visible text, one per line: what a reader sees."""
    tree = lxml_html.fromstring(page)
    for junk in tree.xpath("//script|//style"):
        junk.drop_tree()
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//li|//a|//button")
    return "\n".join(" ".join(b.text_content().split()) for b in blocks)


def test_demo_farm_chrome_is_learnt_and_stripped(worldnewshub: list[tuple[str, bytes]]) -> None:
    texts = [visible_lines(page) for _, page in worldnewshub]
    chrome = learn_chrome(texts)
    for line in ("Source link", "Related Articles", "Leave a Reply"):
        assert normalise_line(line) in chrome
        assert all(line in text for text in texts)  # on every page before stripping
    for (url, page), text in zip(worldnewshub, texts, strict=True):
        kept = strip_chrome(text, chrome)
        assert not {"Source link", "Related Articles", "Leave a Reply"} & set(kept.splitlines())
        body = extract_article(page, url, chrome=chrome).text
        first = body.splitlines()[0]
        assert first in kept  # the story's own lines survive
        assert "Source link" not in body and "Leave a Reply" not in body
