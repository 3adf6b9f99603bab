"""Furniture lines: a line of the extracted text equal to the text of page furniture (hidden,
in a furniture container, or all link text) goes; the article's own container stays."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html
from tests.extract.test_article import BODY, PARAS, TITLE, URL, page

from byline.extract.article import Steps, extract_article
from byline.extract.blocks import (
    count_words,
    drop_furniture,
    is_furniture,
    line_key,
    read_blocks,
    restore_inline_words,
)

PROMO = "Get the latest updates in your inbox every morning with our free daily briefing"
TEASER = "Minister resigns over grain deal scandal in the northern province of Kelmar"


def _text(body: str, steps: Steps) -> str:
    return extract_article(page(f"<title>{TITLE}</title>", body), URL, steps=steps).text


@pytest.mark.parametrize(
    ("furniture", "line"),
    [
        (f"<p hidden>{PROMO}</p>", PROMO),
        (f'<p class="hide">{PROMO}</p>', PROMO),
        (f'<div class="nrplus-cta"><p>{PROMO}</p></div>', PROMO),
        (f'<a href="/r1"><p>{TEASER}</p></a>', TEASER),
    ],
    ids=["hidden-attribute", "hide-class", "call-to-action", "link-teaser"],
)
def test_furniture_lines_that_trafilatura_keeps_are_dropped(furniture: str, line: str) -> None:
    body = BODY + furniture
    assert line in _text(body, Steps(furniture_lines=False))  # trafilatura keeps it
    text = _text(body, Steps())
    assert line not in text
    assert all(paragraph in text for paragraph in PARAS)


def test_the_articles_own_container_is_not_furniture_whatever_its_class() -> None:
    text = _text(f'<div class="l-sidebar-fixed">{BODY}</div>', Steps())
    assert all(paragraph in text for paragraph in PARAS)


def _tree(body: str):  # type: ignore[no-untyped-def]
    return lxml_html.fromstring(f"<html><body>{body}</body></html>")


def test_a_line_also_found_outside_furniture_stays() -> None:
    shared = "The union will vote on the offer on Monday morning at the North Basin hall."
    tree = _tree(
        f"<article><p>{PARAS[0]}</p><p>{shared}</p></article>"
        f'<div class="share-box"><p>{shared}</p></div>'
    )
    text = f"{PARAS[0]}\n{shared}"
    assert drop_furniture(text, read_blocks(tree)) == text


def test_a_large_furniture_container_is_kept_and_small_ones_go() -> None:
    promo = f'<div class="promo"><p>{PROMO}</p></div>'
    big = "".join(f"<p>{p}</p>" for p in PARAS[1:])
    tree = _tree(f"<p>{PARAS[0]}</p>{promo}<div class='related-stories'>{big}</div>")
    text = "\n".join([PARAS[0], PROMO, *PARAS[1:]])
    kept = drop_furniture(text, read_blocks(tree)).splitlines()
    assert kept == [PARAS[0], *PARAS[1:]]  # most of the text: the article's own container


def test_nothing_is_dropped_when_most_of_the_text_would_go() -> None:
    tree = _tree(
        f'<div class="promo"><p>{PARAS[0]}</p></div>'
        f'<div class="teaser"><p>{PARAS[1]}</p></div><p>Short.</p>'
    )
    text = f"{PARAS[0]}\n{PARAS[1]}\nShort."
    assert drop_furniture(text, read_blocks(tree)) == text


def test_prose_and_headings_are_read_in_the_same_pass() -> None:
    tree = _tree(f"<h1>{TITLE}</h1><nav><p>{PARAS[0]}</p></nav><p>{PARAS[1]}</p><p>Short.</p>")
    blocks = read_blocks(tree)
    assert blocks.headings == (TITLE,)
    assert [p.text for p in blocks.prose] == [PARAS[1]]
    assert blocks.prose[0].words == len(PARAS[1].split())


def test_line_key_ignores_spacing_invisible_characters_and_list_markers() -> None:
    assert line_key("- Cranes\u200c idle  at the\tquay ") == "Cranes idle at the quay"
    assert line_key("Cranes idle") != line_key("Cranes idle at the quay")


def test_a_list_of_links_that_is_much_of_the_article_stays() -> None:
    items = [f"Charger number {n} with its own long product name and price" for n in range(6)]
    links = "".join(f'<li><a href="/p{n}">{item}</a></li>' for n, item in enumerate(items))
    teaser = f'<p><a href="/r1">{TEASER}</a></p>'
    tree = _tree(f"<article><p>{PARAS[0]}</p><ul>{links}</ul>{teaser}</article>")
    text = "\n".join([PARAS[0], *items, TEASER])
    assert drop_furniture(text, read_blocks(tree)).splitlines() == [PARAS[0], *items]


@pytest.mark.parametrize(
    ("line", "markup", "teaser"),
    [
        ("[Wired]", '<p>[<a href="/w">Wired</a>]</p>', True),
        (TEASER, f'<h3><a href="/r1">{TEASER}</a></h3>', True),
        ("History[edit]", '<h2>History<span>[<a href="/e">edit</a>]</span></h2>', False),
        (f"Related: {TEASER}", f'<p>Related: <a href="/r1">{TEASER}</a></p>', False),
        ("Comments (5 posted)", '<p><a href="/c">Comments</a> (5 posted)</p>', False),
        ("Backtesting", '<h3 id="bt"><a class="toclink" href="#bt">Backtesting</a></h3>', False),
        ("Backtesting more", '<h3><a href="#bt">Backtesting</a> <a href="/bt">more</a></h3>', True),
    ],
    ids=[
        "bracketed-link",
        "linked-heading",
        "edit-link-glued",
        "lead-in-words",
        "trailing-words",
        "in-page-anchor",
        "anchor-and-link-away",
    ],
)
def test_a_line_is_all_link_text_only_when_no_word_stands_outside_its_links(
    line: str, markup: str, teaser: bool
) -> None:
    # counted by characters: "History[edit]" is one whitespace word, and it is not a link;
    # a heading linked to itself (a permalink anchor, "#bt") leads nowhere else: no teaser
    tree = _tree(f"<article><p>{PARAS[0]}</p>{markup}<p>{PARAS[1]}</p></article>")
    text = "\n".join([PARAS[0], line, PARAS[1]])
    kept = drop_furniture(text, read_blocks(tree)).splitlines()
    assert (line not in kept) is teaser
    assert kept[0] == PARAS[0] and kept[-1] == PARAS[1]


def test_words_cut_out_of_a_paragraph_are_put_back() -> None:
    # trafilatura's precision mode deletes <span class="link"> and the words inside it
    page = (
        "<html><body><article><p>Según explicó en un comunicado "
        '<span class="link"><a href="/x">Twitter Lite</a></span> ahora estará disponible en '
        "Bolivia, Brasil y Chile.</p><p>Otra línea del artículo con bastantes palabras para "
        "ser prosa.</p></article></body></html>"
    )
    blocks = read_blocks(lxml_html.fromstring(page))
    cut = "Según explicó en un comunicado ahora estará disponible en Bolivia, Brasil y Chile."
    restored = restore_inline_words(cut + "\nOtra línea", blocks)
    assert restored.split("\n")[0] == (
        "Según explicó en un comunicado Twitter Lite ahora estará disponible en "
        "Bolivia, Brasil y Chile."
    )


def test_a_run_in_heading_already_on_its_own_line_is_not_doubled() -> None:
    page = (
        "<html><body><p><b>Isolation</b> Tasks in a given lambda are isolated from the tasks "
        "in other lambdas across several dimensions.</p></body></html>"
    )
    blocks = read_blocks(lxml_html.fromstring(page))
    text = (
        "Isolation\nTasks in a given lambda are isolated from the tasks in other lambdas "
        "across several dimensions."
    )
    assert restore_inline_words(text, blocks) == text


def test_lines_that_are_not_gapped_copies_stay_as_they_are() -> None:
    page = (
        "<html><body><p>One two three four five six seven eight nine ten eleven twelve "
        "thirteen.</p></body></html>"
    )
    blocks = read_blocks(lxml_html.fromstring(page))
    other = "One two three four five six seven different words here at the end."
    assert restore_inline_words(other, blocks) == other


@pytest.mark.parametrize(
    ("attributes", "furniture"),
    [
        ('class="ad-slot"', True),
        ('id="sidebar2"', True),
        ('class="ad1 wide"', True),
        ('id="e1ad"', False),  # a generated id (Medium's): no word "ad" in it
        ('class="go gp dg ay"', False),
        ('class="loadingBar"', False),
    ],
)
def test_furniture_words_are_whole_words_of_a_class_or_id(attributes: str, furniture: bool) -> None:
    element = lxml_html.fromstring(f"<p {attributes}>{PARAS[0]}</p>")
    assert is_furniture(element) is furniture


def test_cjk_characters_count_as_words() -> None:
    # a Japanese paragraph is one whitespace "word": it would never be prose, and a whole
    # article would look too short to trust
    assert count_words("Cranes idle  at the quay") == 5
    assert count_words("今日は晴れです") == 7
    assert count_words("Kindle for PCを使う") == 6
