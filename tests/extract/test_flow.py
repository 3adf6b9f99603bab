"""Data tables and quotes in the article's flow are put back where they stood."""

from __future__ import annotations

from lxml import html as lxml_html
from tests.extract.test_article import BODY, PARAS, TITLE, URL, page

from byline.extract.article import ALL_STEPS, Steps, extract_article
from byline.extract.flow import FlowBlock, flow_blocks, insert_blocks, quote_lines, table_rows

P = [f"<p>{p}</p>" for p in PARAS]
TABLE = (
    "<table><tr><th>Terminal</th><th>Cranes</th><th>Ships waiting</th></tr>"
    "<tr><td>North Basin</td><td>12</td><td>19</td></tr>"
    "<tr><td>Kestrel Quay</td><td>8</td><td>12</td></tr></table>"
)
ROWS = ["Terminal Cranes Ships waiting", "North Basin 12 19", "Kestrel Quay 8 12"]
TWEET = (
    '<blockquote class="twitter-tweet"><p lang="en">Not a single container moved at Port '
    "Ardent today. Solidarity with every docker on the line. "
    '<a href="https://t.co/x">https://t.co/x</a></p>&mdash; Dockers United (@dockersunited) '
    '<a href="https://twitter.com/x/status/1">October 3, 2026</a></blockquote>'
)
TWEET_LINES = [
    "Not a single container moved at Port Ardent today. Solidarity with every docker on the "
    "line. https://t.co/x",
    "— Dockers United (@dockersunited) October 3, 2026",
]
NONE = Steps(data_tables=False, quotes=False)


def _lines(body: str, steps: Steps = ALL_STEPS) -> list[str]:
    html = page(f"<title>{TITLE}</title>", body)
    return extract_article(html, URL, steps=steps).text.splitlines()


def _one(markup: str):  # type: ignore[no-untyped-def]
    return lxml_html.fragment_fromstring(markup)


def test_a_data_table_goes_back_between_its_paragraphs_one_line_a_row() -> None:
    body = "".join(P[:2]) + TABLE + "".join(P[2:])
    assert not set(ROWS) & set(_lines(body, NONE))  # trafilatura's tables are off
    assert _lines(body) == [*PARAS[:2], *ROWS, *PARAS[2:]]


def test_an_embedded_post_goes_back_in_its_place() -> None:
    body = "".join(P[:3]) + f'<div class="social-embed">{TWEET}</div>' + "".join(P[3:])
    assert not set(TWEET_LINES) & set(_lines(body, NONE))
    assert _lines(body) == [*PARAS[:3], *TWEET_LINES, *PARAS[3:]]


def test_a_table_outside_the_articles_flow_stays_out() -> None:
    sidebar = (
        f"<aside>{TABLE}<p>Also in the sidebar: the weather, the tides, the fares.</p></aside>"
    )
    assert _lines(BODY + sidebar) == PARAS


def test_layout_and_link_tables_are_not_data() -> None:
    long_cell = " ".join(["word"] * 40)
    layout = f"<table><tr><td>{long_cell}</td><td>x</td></tr><tr><td>a</td><td>b</td></tr></table>"
    links = (
        "<table>" + "<tr><td><a href='/a'>One story</a></td><td><a href='/b'>Two</a></td></tr>" * 3
    )
    nested = f"<table><tr><td>{TABLE}</td><td>x</td></tr><tr><td>a</td><td>b</td></tr></table>"
    one_column = "<table><tr><td>a</td></tr><tr><td>b</td></tr><tr><td>c</td></tr></table>"
    for markup in (layout, links + "</table>", nested, one_column):
        assert table_rows(_one(markup)) == ()
    assert table_rows(_one(TABLE)) == tuple(ROWS)


def test_quote_lines_are_paragraphs_then_the_rest() -> None:
    assert quote_lines(_one(TWEET)) == tuple(TWEET_LINES)
    assert quote_lines(_one("<blockquote>Plain words.</blockquote>")) == ("Plain words.",)


def test_blocks_that_follow_one_another_go_in_together() -> None:
    tree = lxml_html.fromstring(
        "<html><body>"
        + P[0]
        + TWEET
        + TWEET.replace("Solidarity", "Unity")
        + P[1]
        + "</body></html>"
    )
    found = flow_blocks(tree)
    assert len(found) == 2
    text = insert_blocks(f"{PARAS[0]}\n{PARAS[1]}", found)
    lines = text.splitlines()
    assert lines[0] == PARAS[0] and lines[-1] == PARAS[1]
    assert len(lines) == 6


def test_nothing_goes_in_twice_or_without_both_neighbours() -> None:
    block = FlowBlock(tuple(ROWS), "whole table", PARAS[0], PARAS[1])
    text = f"{PARAS[0]}\n{PARAS[1]}"
    assert insert_blocks(text, [block]).splitlines() == [PARAS[0], *ROWS, PARAS[1]]
    assert insert_blocks(f"{PARAS[0]}\n{PARAS[2]}", [block]) == f"{PARAS[0]}\n{PARAS[2]}"
    already = "\n".join([PARAS[0], *ROWS, PARAS[1]])
    assert insert_blocks(already, [block]) == already
