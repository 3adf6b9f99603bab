"""The signals that choose between extractions, and the repairs they trigger."""

from __future__ import annotations

from lxml import html as lxml_html

from byline.extract import fallback
from byline.extract.article import Steps, main_text

URL = "https://meridian.example/world/2026/10/03/strike.html"


WORDS = [
    "harbour",
    "crane",
    "union",
    "wage",
    "talks",
    "minister",
    "ferry",
    "cargo",
    "quay",
    "strike",
    "vessel",
    "anchor",
    "federation",
    "employer",
    "offer",
    "pay",
    "winter",
    "night",
    "morning",
    "terminal",
    "basin",
    "gates",
    "reporters",
    "container",
    "traffic",
]


def sentence(n: int, topic: str = "the port strike") -> str:
    """A prose paragraph that shares no 4-word run with another ``n``."""
    words = [f"{WORDS[(n * 7 + i * 3) % len(WORDS)]}{n}" for i in range(14)]
    return f"On {topic}, " + " ".join(words) + "."


def chunk(first: int, count: int, css: str = "body-chunk", topic: str = "the port strike") -> str:
    paras = "".join(f"<p>{sentence(n, topic)}</p>" for n in range(first, first + count))
    return f'<div class="{css}">{paras}</div>'


def tree(body: str):  # type: ignore[no-untyped-def]
    return lxml_html.fromstring(f"<html><body>{body}</body></html>")


def test_prose_paragraphs_skip_furniture_teasers_links_and_short_lines() -> None:
    body = (
        f"<nav><p>{sentence(1)}</p></nav>"
        f'<div class="related-stories"><p>{sentence(2)}</p></div>'
        f'<a href="/x"><p>{sentence(3)}</p></a>'
        f'<p><a href="/y">{sentence(4)}</a></p>'
        "<p>Too short to be prose.</p>"
        f"<article><p>{sentence(5)}</p></article>"
    )
    found = fallback.prose_paragraphs(tree(body))
    assert [p.text for p in found] == [sentence(5)]


def test_looks_short_and_longer_wins() -> None:
    prose = fallback.prose_paragraphs(tree(chunk(0, 10)))
    full = "\n".join(sentence(n) for n in range(10))
    assert not fallback.looks_short(full, prose)
    assert fallback.looks_short("\n".join(sentence(n) for n in range(4)), prose)
    assert fallback.looks_short("A short but complete notice.", [])
    # under SHORT_WORDS, but all of the page's prose: a whole short article
    short_page = fallback.prose_paragraphs(tree(chunk(0, 2)))
    short_text = "\n".join(sentence(n) for n in range(2))
    assert fallback.words(short_text) < fallback.SHORT_WORDS
    assert not fallback.looks_short(short_text, short_page)
    assert fallback.longer_wins("", full) == full
    assert fallback.longer_wins(full, full + " extra words") == full  # not much longer


def test_sibling_chunks_are_added_back_in_order() -> None:
    page = tree(chunk(0, 3) + '<aside class="ad">buy</aside>' + chunk(3, 4) + chunk(7, 3))
    first = "\n".join(sentence(n) for n in range(3))
    text = fallback.continue_text(first, fallback.prose_paragraphs(page))
    assert text.splitlines() == [sentence(n) for n in range(10)]


def test_other_articles_and_other_containers_are_not_added() -> None:
    first = "\n".join(sentence(n) for n in range(3))
    other_article = f"<article>{chunk(0, 3)}</article><article>{chunk(3, 6, topic='tax')}</article>"
    other_kind = chunk(0, 3) + chunk(3, 6, css="more-stories-list", topic="tax")
    for body in (other_article, other_kind):
        prose = fallback.prose_paragraphs(tree(body))
        assert fallback.continue_text(first, prose) == first


def test_small_missing_part_is_left_alone() -> None:
    page = tree(chunk(0, 8) + chunk(8, 1))
    text = "\n".join(sentence(n) for n in range(8))
    assert fallback.continue_text(text, fallback.prose_paragraphs(page)) == text


def test_main_text_keeps_a_split_body_once() -> None:
    """trafilatura gets both chunks here; continuation must not add them a second time."""
    html = (
        "<html><body><main><article><h1>Strike</h1>"
        '<div class="wrap"><div class="grid">' + chunk(0, 4) + "</div>"
        '<div class="promo-slot">Subscribe now</div>'
        '<div class="grid">' + chunk(4, 6) + "</div></div>"
        "</article></main></body></html>"
    )
    text = main_text(html, URL)
    for n in range(10):
        assert text.count(sentence(n)) == 1


def test_containment_and_complete_text() -> None:
    body = "\n".join(sentence(n) for n in range(10))
    start = "\n".join(sentence(n) for n in range(3))
    assert fallback.containment(start, body) == 1.0
    assert fallback.containment("", body) == 0.0
    assert fallback.complete_text(start, body)
    assert fallback.complete_text("", body)
    assert not fallback.complete_text(start, "")
    assert not fallback.complete_text(body, start)  # shorter: a teaser
    other = "\n".join(sentence(n, "a football match") for n in range(20, 40))
    assert not fallback.complete_text(start, other)  # longer, but another text


INTERIOR = [
    "The port authority said the cranes would stand idle until the talks resumed on Monday.",
    "Ferry services to the islands were cut to two crossings a day for the rest of the week.",
    "Union leaders said the offer still fell short of the rise in prices over the winter.",
]


def test_interior_lines_are_added_between_precise_lines_only() -> None:
    heading = "What the offer holds"
    precise = f"{INTERIOR[0]}\n{INTERIOR[2]}"
    balanced = f"By the harbour desk\n{INTERIOR[0]}\n{heading}\n{INTERIOR[1]}\n{INTERIOR[2]}\nShare"
    assert fallback.interior_lines(precise, balanced).splitlines() == [
        INTERIOR[0],
        heading,
        INTERIOR[1],
        INTERIOR[2],
    ]  # the byline box before the text and the share line after it stay out


def test_interior_lines_adds_no_second_version_of_a_kept_line() -> None:
    trimmed = INTERIOR[1].replace(" for the rest of the week", "")
    precise = f"{INTERIOR[0]}\n{trimmed}\n{INTERIOR[2]}"
    balanced = f"{INTERIOR[0]}\n{INTERIOR[1]}\n{INTERIOR[2]}"
    assert fallback.interior_lines(precise, balanced) == precise
    assert fallback.interior_lines(precise, "") == precise


def test_a_line_the_precise_mode_cuts_from_the_middle_is_put_back() -> None:
    # CNN's article column: an in-story "Related:" heading that is a link, in a container
    # whose class names related content; trafilatura's precision mode drops the line, its
    # balanced mode keeps it, and the container holds the whole article, so it is the
    # article's own (step 4 keeps it)
    paras = [" ".join(WORDS[i : i + 14]).capitalize() + "." for i in range(0, 28, 2)]
    related = "Related: Harbour cranes stand idle as the pay talks stall again"
    inline = f'<p><a href="/r"><span class="inStoryHeading">{related}</span></a></p>'
    body = "".join(f"<p>{p}</p>" for p in paras[:7]) + inline
    body += "".join(f"<p>{p}</p>" for p in paras[7:])
    page = f'<html><body><div class="story-related">{body}</div></body></html>'
    assert related not in main_text(page, URL, Steps(interior_lines=False))
    text = main_text(page, URL).splitlines()
    assert related in text
    assert text.index(related) == 7 and all(p in text for p in paras)
