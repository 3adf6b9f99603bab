"""OPML import and export: folders become sections, and an export imports back the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from byline.errors import InputError
from byline.fetch.opml import (
    Outline,
    export_opml,
    parse_opml,
    section_for_folders,
    section_for_label,
)

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Top level" type="rss" xmlUrl="https://top.example/rss" htmlUrl="https://top.example/"/>
    <outline text="News">
      <outline text="Business">
        <outline text="Startups">
          <outline text="Ledger" title="Ledger: companies" type="rss" xmlURL="https://ledger.example/feed"/>
        </outline>
        <outline text="Daily Markets" type="rss" xmlUrl="https://markets.example/atom"/>
      </outline>
      <outline text="Tech">
        <outline text="Circuit" type="rss" xmlUrl="https://circuit.example/feed.json"/>
      </outline>
    </outline>
    <outline text="Knitting blogs">
      <outline text="Purl" type="rss" xmlUrl="https://purl.example/rss"/>
      <outline text="Purl again" type="rss" xmlUrl="https://purl.example/rss"/>
      <outline text="Bad scheme" type="rss" xmlUrl="file:///etc/passwd"/>
    </outline>
    <outline text="Uncategorised bookmark" type="link" url="https://bookmark.example/"/>
    <outline text="By category" type="rss" xmlUrl="https://cat.example/rss"
             category="/Science,/misc"/>
  </body>
</opml>
"""


def test_nested_folders_give_sections() -> None:
    doc = parse_opml(NESTED, "feeds.opml")
    assert doc.title == "My feeds"
    by_url = {o.url: o for o in doc.outlines}
    assert list(by_url) == [
        "https://top.example/rss",
        "https://ledger.example/feed",
        "https://markets.example/atom",
        "https://circuit.example/feed.json",
        "https://purl.example/rss",
        "https://cat.example/rss",
    ]
    assert by_url["https://top.example/rss"].section == ""
    assert by_url["https://top.example/rss"].home_url == "https://top.example/"
    # "Startups" names no section; the nearest enclosing folder that does ("Business") wins
    ledger = by_url["https://ledger.example/feed"]
    assert (ledger.name, ledger.title, ledger.section) == (
        "Ledger",
        "Ledger: companies",
        "business",
    )
    assert ledger.folders == ("News", "Business", "Startups")
    assert by_url["https://markets.example/atom"].section == "business"
    assert by_url["https://circuit.example/feed.json"].section == "science-technology"
    assert by_url["https://purl.example/rss"].section == ""
    assert by_url["https://cat.example/rss"].section == "science-technology"


def test_unknown_folders_and_skips_are_reported() -> None:
    doc = parse_opml(NESTED, "feeds.opml")
    assert doc.unknown_folders == ("Knitting blogs",)
    assert any("listed twice" in s for s in doc.skipped)
    assert any("Bad scheme" in s and "not an http(s)" in s for s in doc.skipped)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<opml><body><outline text='x'></body></opml>", "malformed OPML"),
        (b"", "malformed OPML"),
        (b"<html><body/></html>", "not OPML"),
        (b'<opml version="2.0"><head/></opml>', "no <body>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>',
            "refused",
        ),
    ],
)
def test_malformed_opml_is_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_opml(body, "bad.opml")
    assert str(caught.value).startswith("bad.opml: ")


FEEDS = [
    Outline("https://w.example/rss", "Wire & Co <Agency>", "", "https://w.example/", (), "world",
            "feed", "wire"),
    Outline("https://h.example/feed", "Herald", "Herald – front page", "https://h.example/",
            (), "world"),
    Outline("https://h.example/business.rss", "Herald", "Herald business", "", (), "business"),
    Outline("https://s.example/news-sitemap.xml", "Sitemap Only", "", "", (), "", "sitemap"),
    Outline("https://p.example/latest", "Page \"Only\"", "", "", (), "science-technology",
            "page", "aggregator"),
]  # fmt: skip


def test_export_is_valid_opml_2_grouped_by_section() -> None:
    data = export_opml(FEEDS, now=datetime(2025, 3, 2, 9, 0, tzinfo=UTC))
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Byline sources"
    assert root.findtext("head/dateCreated") == "Sun, 02 Mar 2025 09:00:00 +0000"
    folders = [o.get("text") for o in root.find("body") if o.get("xmlUrl") is None and len(o)]
    assert folders == ["World News", "Business", "Science & Technology"]
    every = root.findall(".//outline")
    assert all(o.get("text") for o in every)  # OPML 2.0: text is required
    rss = [o for o in every if o.get("type") == "rss"]
    assert {o.get("xmlUrl") for o in rss} == {
        "https://w.example/rss",
        "https://h.example/feed",
        "https://h.example/business.rss",
    }
    assert b"Wire &amp; Co &lt;Agency&gt;" in data
    top = [o.get("url") for o in root.find("body") if o.get("type") == "link"]
    assert top == ["https://s.example/news-sitemap.xml"]


def test_round_trip_gives_the_same_feeds_and_sections() -> None:
    doc = parse_opml(export_opml(FEEDS), "export.opml")
    assert doc.unknown_folders == () and doc.skipped == ()
    got = {o.url: (o.name, o.section, o.feed_type, o.source_kind, o.home_url) for o in doc.outlines}
    want = {o.url: (o.name, o.section, o.feed_type, o.source_kind, o.home_url) for o in FEEDS}
    assert got == want
    titles = {o.url: o.title for o in doc.outlines}
    assert titles["https://h.example/feed"] == "Herald – front page"


def test_section_labels() -> None:
    assert section_for_label("  World   News ") == "world"
    assert section_for_label("Science & Technology") == "science-technology"
    assert section_for_label("/Markets/") == "business"
    assert section_for_label("Knitting") == ""
    assert section_for_folders(["Business", "Tech"]) == "science-technology"
    assert section_for_folders(["Business", "Knitting"]) == "business"
    assert section_for_folders([]) == ""
