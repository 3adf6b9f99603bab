"""Article extraction: the page's own metadata first, the feed entry for what it lacks, and
main text without the page furniture."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from byline.errors import ExtractionError
from byline.extract.article import (
    extract_article,
    is_date_stamp,
    main_text,
    repeats_title,
    strip_html,
)
from byline.extract.boilerplate import learn_chrome
from byline.extract.metadata import parse_datetime, read_meta
from byline.records import FeedEntry

URL = "https://meridian.example/world/2026/10/03/strike.html"
TITLE = "Dockworkers strike halts Port Ardent"
PARAS = [
    "Thousands of dockworkers walked off the job at Port Ardent on Saturday, halting container "
    "traffic at the country's largest port after talks over pay collapsed late on Friday night.",
    "The Ostrovian Dockworkers' Federation said about 4,200 of its members had joined the "
    "72-hour strike, which began at six in the morning. Cranes at the North Basin terminal "
    "stood idle.",
    '"Our members have kept this port running through two hard winters," federation general '
    "secretary Bruno Halvik told reporters at the gates of Kestrel Quay.",
    "The harbour authority said at least 31 vessels were waiting at anchor outside the harbour "
    "by mid-morning, and that perishable cargo would be given priority once work resumed.",
    "Employers said they had offered a five percent rise over two years and accused the union "
    "of walking away from a fair deal that would have protected jobs.",
]
BODY = "\n".join(f"<p>{p}</p>" for p in PARAS)
JSON_LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": TITLE,
    "description": "Wage talks collapse; cranes stand idle.",
    "datePublished": "2026-10-03T10:15:00+02:00",
    "author": {"@type": "Person", "name": "Mira Castell"},
    "publisher": {"@type": "Organization", "name": "The Meridian Herald"},
    "articleSection": "World News",
}

# Page furniture that must never reach the text: each string appears only outside the article.
FURNITURE = {
    "nav": "Science &amp; Technology",
    "cookies": "We use cookies to improve your experience",
    "related": "Minister resigns over grain deal scandal in Kelmar",
    "related-heading": "Related Articles",
    "comment": "This strike is outrageous and should end immediately",
    "reply-heading": "Leave a Reply",
    "footer": "All rights reserved",
}

FULL_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{TITLE} | The Meridian Herald</title>
<meta property="og:title" content="OG: strike at the port">
<meta property="og:description" content="OG description of the strike.">
<link rel="canonical" href="https://meridian.example/world/strike.html">
<script type="application/ld+json">{json.dumps(JSON_LD)}</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent">{FURNITURE["cookies"]}. Accept all cookies or
manage your preferences.</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world/">World News</a></li>
<li><a href="/business/">Business</a></li><li><a href="/science/">{FURNITURE["nav"]}</a></li>
</ul></nav></header>
<main>
<article>
<h1>{TITLE}</h1>
<p class="byline">By Mira Castell</p>
{BODY}
</article>
<aside class="related"><h2>{FURNITURE["related-heading"]}</h2><ul>
<li><a href="/r1.html">{FURNITURE["related"]}</a></li>
<li><a href="/r2.html">Satellite launch delayed by high winds over the coast</a></li>
</ul></aside>
<section id="comments" class="comments"><h2>{FURNITURE["reply-heading"]}</h2>
<div class="comment"><p>Reader One says: {FURNITURE["comment"]}.</p></div>
<form><textarea name="comment"></textarea><button>Post Comment</button></form>
</section>
</main>
<footer><p>Copyright 2026 The Meridian Herald. {FURNITURE["footer"]}. Privacy policy.</p>
<a href="#top">Back to top</a></footer>
</body>
</html>
"""


def page(head: str = "", body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_full_page() -> None:
    article = extract_article(FULL_PAGE.encode(), URL)
    assert article.url == URL
    assert article.canonical_url == "https://meridian.example/world/strike.html"
    assert article.title == TITLE
    assert article.standfirst == "Wage talks collapse; cranes stand idle."
    assert article.author == "Mira Castell"
    assert article.published == datetime(2026, 10, 3, 8, 15, tzinfo=UTC)
    assert article.language == "en"
    assert article.site_name == "The Meridian Herald"
    assert article.categories == ("World News",)
    for paragraph in PARAS:
        assert paragraph in article.text


@pytest.mark.parametrize("what", sorted(FURNITURE))
def test_boilerplate_is_not_in_text(what: str) -> None:
    text = extract_article(FULL_PAGE.encode(), URL).text
    assert strip_html(FURNITURE[what]) not in text


def test_title_json_ld_beats_opengraph_beats_title_tag() -> None:
    og = '<meta property="og:title" content="The OpenGraph title">'
    title_tag = "<title>The title element</title>"
    both = extract_article(page(title_tag + og + ld(headline="The JSON-LD headline")), URL)
    assert both.title == "The JSON-LD headline"
    assert extract_article(page(title_tag + og), URL).title == "The OpenGraph title"
    assert extract_article(page(title_tag), URL).title == "The title element"


def test_standfirst_from_description() -> None:
    og = '<meta property="og:description" content="From OpenGraph.">'
    meta = '<meta name="description" content="From the meta description.">'
    assert extract_article(page(og + meta), URL).standfirst == "From OpenGraph."
    assert extract_article(page(meta), URL).standfirst == "From the meta description."
    with_ld = page(og + ld(headline="H", description="From JSON-LD."))
    assert extract_article(with_ld, URL).standfirst == "From JSON-LD."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-10-03T10:15:00+02:00", datetime(2026, 10, 3, 8, 15, tzinfo=UTC)),
        ("2026-10-02T22:30:00-05:00", datetime(2026, 10, 3, 3, 30, tzinfo=UTC)),
        ("2026-10-03T08:15:00Z", datetime(2026, 10, 3, 8, 15, tzinfo=UTC)),
        ("2026-10-03", datetime(2026, 10, 3, tzinfo=UTC)),
    ],
)
def test_date_published_is_converted_to_utc(raw: str, expected: datetime) -> None:
    article = extract_article(page(ld(headline="H", datePublished=raw)), URL)
    assert article.published == expected
    assert article.published.utcoffset().total_seconds() == 0


def test_parse_datetime_rejects_garbage() -> None:
    assert parse_datetime("") is None
    assert parse_datetime("next Tuesday") is None


def test_feed_entry_fills_what_the_page_lacks() -> None:
    entry = FeedEntry(
        url=URL,
        title="Feed title",
        summary="<p>Feed <b>summary</b> &amp; more</p>",
        author="Feed Author",
        published=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        categories=("Business",),
    )
    bare = extract_article(page("<title>Page title</title>"), URL, entry)
    assert bare.title == "Page title"  # the page's own title still wins
    assert bare.author == "Feed Author"
    assert bare.published == datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    assert bare.standfirst == "Feed summary & more"
    assert bare.categories == ("Business",)

    rich = extract_article(FULL_PAGE, URL, entry)
    assert rich.author == "Mira Castell"
    assert rich.published == datetime(2026, 10, 3, 8, 15, tzinfo=UTC)
    assert rich.categories == ("World News", "Business")


def test_feed_content_used_when_page_has_no_text() -> None:
    entry = FeedEntry(url=URL, title="From the feed", content_html="<p>Body &amp; soul.</p>")
    article = extract_article(b"<html><body></body></html>", URL, entry)
    assert article.text == "Body & soul."
    assert article.title == "From the feed"


def test_leading_title_line_is_not_repeated_in_text() -> None:
    title = "Harbour cranes fall silent"
    html = page(f"<title>{title}</title>", f"<h2>{title}</h2>{BODY}")
    raw_text = main_text(html, URL)
    assert raw_text.splitlines()[0] == title  # trafilatura keeps it; we must drop it
    article = extract_article(html, URL)
    assert article.title == title
    assert title not in article.text
    assert article.text.startswith(PARAS[0][:40])


def test_leading_page_headline_is_dropped_when_the_metadata_title_differs() -> None:
    shown = "Port Ardent grinds to a halt as thousands of dockers walk out"
    html = page(ld(headline=TITLE), f"<h1>{shown}</h1>{BODY}")
    assert main_text(html, URL).splitlines()[0] == shown  # trafilatura keeps the <h1>
    article = extract_article(html, URL)
    assert article.title == TITLE
    assert article.text.splitlines() == PARAS


@pytest.mark.parametrize(
    "stamp",
    [
        "sexta-feira, 22 de outubro de 2010 às 20:13",
        "5:45 AM PST 11/19/2019 by Patrick Shanley",
        "November 20, 2019 - 11:28 AMT",
        "Published October 3, 2026 at 10:15 am",
    ],
)
def test_leading_date_stamps_in_any_language_are_dropped(stamp: str) -> None:
    assert is_date_stamp(stamp)
    html = page(ld(headline=TITLE), f"<p>{stamp}</p>{BODY}")
    assert main_text(html, URL).splitlines()[0] == stamp
    assert extract_article(html, URL).text.splitlines() == PARAS


@pytest.mark.parametrize(
    "line",
    [
        "Ships queued from 6:00 on 3 October 2026 as talks broke down over the pay offer again",
        "In 2026 the port handled more containers than ever before",
        "Cranes at the North Basin terminal stood idle",
    ],
)
def test_dated_sentences_are_not_date_stamps(line: str) -> None:
    assert not is_date_stamp(line)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"   \n  ",
        b"<html></html>",
        b"<html><head><title>Only a title</title></head><body></body></html>",
        b"\x00\x01\x02\xff\xfe\xfd",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        b"<<<>>><<<",
    ],
    ids=["empty", "blank", "empty-html", "title-only", "control-bytes", "png", "brackets"],
)
def test_empty_or_garbage_page_raises(garbage: bytes) -> None:
    with pytest.raises(ExtractionError, match=URL):
        extract_article(garbage, URL)


@pytest.mark.parametrize("seed", range(20))
def test_read_meta_never_raises_on_garbage(seed: int) -> None:
    import random

    rng = random.Random(seed)
    junk = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 600)))
    samples = [
        junk,
        b"<html>" + junk,
        b'<script type="application/ld+json">' + junk + b"</script>",
        b'<?xml version="1.0" encoding="utf-8"?>' + junk,
        junk.decode("latin-1"),
    ]
    for sample in samples:
        meta = read_meta(sample)
        assert isinstance(meta.title, str)


@pytest.mark.parametrize(
    "markup",
    [
        b"",
        b"\xef\xbb\xbf",
        '<?xml version="1.0" encoding="utf-8"?><html><body>x</body></html>',
        b'<html><head><script type="application/ld+json">[1, null, "x", {"@graph": 5}]'
        b"</script></head></html>",
        b'<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        b'"headline": "H", "datePublished": 20261003, "author": [null, {"name": "A"}]}'
        b"</script></head></html>",
        b'<html><head><script type="application/ld+json">{not json</script></head></html>',
    ],
    ids=["empty", "bom-only", "str-with-xml-declaration", "odd-json-ld", "odd-types", "bad-json"],
)
def test_read_meta_survives_odd_markup(markup: bytes | str) -> None:
    read_meta(markup)


def test_json_ld_in_a_graph_is_found() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Meridian"},
            {"@type": ["NewsArticle"], "headline": "From the graph", "datePublished": "2026-10-03"},
        ],
    }
    script = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    meta = read_meta(f"<html><head>{script}</head></html>")
    assert meta.title == "From the graph"
    assert meta.published == datetime(2026, 10, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    "image",
    [
        {"@type": "ImageObject", "url": "https://meridian.example/a.jpg"},
        ["https://meridian.example/a.jpg", "https://meridian.example/b.jpg"],
    ],
    ids=["image-object", "image-list"],
)
def test_json_ld_image_shapes(image: object) -> None:
    meta = read_meta(page(ld(headline="H", image=image)))
    assert meta.image == "https://meridian.example/a.jpg"


def test_headline_with_site_suffix_is_dropped_but_lede_kept() -> None:
    html = page(
        ld(headline=TITLE, description=PARAS[0]),
        f"<h2>{TITLE} | Meridian</h2>{BODY}",
    )
    text = extract_article(html, URL).text
    assert "Meridian" not in text
    assert text.startswith(PARAS[0])  # a standfirst that is the lede stays in the text


def test_repeats_title_needs_most_words_both_ways() -> None:
    assert repeats_title(f"{TITLE} - Meridian", TITLE)
    assert not repeats_title("Dockworkers strike", TITLE)  # too little of the title
    assert not repeats_title(PARAS[0], TITLE)


def test_list_items_lose_their_markers_but_keep_their_lines() -> None:
    items = ["Cranes idle at the North Basin terminal", "Ferries still running as normal"]
    body = BODY + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    lines = extract_article(page(body=body), URL).text.splitlines()
    for item in items:
        assert item in lines
    assert not any(line.startswith("- ") for line in lines)


def _long_body(paragraphs: int) -> list[str]:
    return [
        f"{p} Paragraph {n} adds its own detail to the report."
        for n, p in enumerate(PARAS * paragraphs)
    ][:paragraphs]


def test_complete_json_ld_body_replaces_a_truncated_extraction() -> None:
    full = _long_body(10)
    html = page(
        ld(headline=TITLE, articleBody="\n".join(full)), "".join(f"<p>{p}</p>" for p in full[:3])
    )
    text = extract_article(html, URL).text
    assert full[-1] in text


def test_json_ld_teaser_or_other_article_is_not_trusted() -> None:
    teaser = ld(headline=TITLE, articleBody=PARAS[0][:80] + "…")
    assert extract_article(page(teaser), URL).text.count("\n") == len(PARAS) - 1
    other = "\n".join(f"Unrelated sentence number {n} about a football match." for n in range(60))
    text = extract_article(page(ld(headline=TITLE, articleBody=other)), URL).text
    assert "football" not in text
    assert PARAS[-1] in text


def test_complete_feed_content_is_used_and_keeps_paragraphs() -> None:
    full = _long_body(10)
    entry = FeedEntry(url=URL, content_html="".join(f"<p>{p}</p>" for p in full))
    html = page(body="".join(f"<p>{p}</p>" for p in full[:3]))
    text = extract_article(html, URL, entry).text
    assert text.splitlines() == full


def test_chrome_lines_are_stripped() -> None:
    promo = "Share this story with a friend and tell us what you think of it today."
    html = page(body=BODY + f"<p>{promo}</p>")
    assert promo in extract_article(html, URL).text  # trafilatura keeps it
    chrome = learn_chrome([f"{promo}\nStory {n}" for n in range(5)])
    text = extract_article(html, URL, chrome=chrome).text
    assert promo not in text
    assert PARAS[-1] in text


def test_date_comes_from_the_page_when_metadata_and_feed_lack_it() -> None:
    html = page(body=f'<p class="date">Published 3 October 2026</p>{BODY}')
    html = html.replace("<head>", "<head><meta name='date' content=''>")
    article = extract_article(html, "https://meridian.example/2026/10/03/strike.html")
    assert article.published == datetime(2026, 10, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            "<title>Meridian Herald - Port strike ends</title>",
            "<h1>Port strike ends</h1>",
            "Port strike ends",
        ),
        (
            "<title>Port strike ends after three days | Meridian</title>",
            "",
            "Port strike ends after three days",
        ),
        ("<title>Strike | Meridian</title>", "", "Strike | Meridian"),
    ],
    ids=["h1-inside-title", "site-suffix", "too-short-to-trim"],
)
def test_title_element_without_site_name(head: str, body: str, expected: str) -> None:
    assert extract_article(page(head, body + BODY), URL).title == expected


def test_a_decoded_page_extracts_like_its_bytes() -> None:
    """process_fetched hands over the page decoded by its charset; it must read the same."""
    text_page = FULL_PAGE.replace("Port Ardent", "Port Ärdent").replace("Bruno", "Brunó")
    from_text = extract_article(text_page, URL)
    from_bytes = extract_article(text_page.encode("utf-8"), URL)
    assert "Port Ärdent" in from_text.text
    assert from_text == from_bytes


def test_json_ld_in_a_cdata_section_is_read() -> None:
    wrapped = (
        '<script type="application/ld+json">\n<![CDATA[\n{"@type": "Article", '
        '"headline": "Wrapped", "datePublished": "2018-04-05T06:00", '
        '"author": {"@type": "Person", "name": "Daniel Writer"}}\n]]>\n</script>'
    )
    article = extract_article(page(head=wrapped), URL)
    assert article.published is not None and article.published.date().isoformat() == "2018-04-05"
    assert article.author == "Daniel Writer"


def test_an_address_is_no_author_and_the_page_byline_is_read_when_metadata_has_none() -> None:
    head = ld(author="https://www.facebook.com/someone")
    shown = '<p class="byline">By <a rel="author" href="/a/jane">Jane Doe</a></p>'
    article = extract_article(page(head=head, body=shown + BODY), URL)
    assert "facebook" not in article.author
    assert article.author == "Jane Doe"
