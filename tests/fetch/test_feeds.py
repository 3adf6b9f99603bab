"""Feed parsing: every format Byline follows, and the ways feeds go wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from byline.errors import FeedError
from byline.fetch.feeds import parse_feed
from byline.records import FeedEntry

RSS091 = b"""<?xml version="1.0"?>
<rss version="0.91">
 <channel>
  <title>Old Gazette</title>
  <link>https://old.example/</link>
  <description>An old feed</description>
  <language>en</language>
  <item>
   <title>Harbour bridge reopens</title>
   <link>https://old.example/bridge.html</link>
   <description>The bridge reopened on Monday.</description>
  </item>
  <item>
   <title>Mayor visits market</title>
   <link>https://old.example/market.html</link>
   <description>A visit.</description>
  </item>
 </channel>
</rss>
"""

RSS10 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://harbour.example/rss.rdf">
  <title>The Harbour Post</title>
  <link>https://harbour.example/</link>
  <description>Waterfront news</description>
  <items><rdf:Seq><rdf:li rdf:resource="https://harbour.example/a1.html"/></rdf:Seq></items>
 </channel>
 <item rdf:about="https://harbour.example/a1.html">
  <title>Ferries resume after storm</title>
  <link>https://harbour.example/a1.html</link>
  <description>Services restart.</description>
  <dc:date>2026-10-03T09:30:00+02:00</dc:date>
  <dc:subject>World News</dc:subject>
  <dc:creator>Ines Molnar</dc:creator>
 </item>
</rdf:RDF>
"""

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel>
  <title>The Meridian Herald</title>
  <link>https://meridian.example/</link>
  <description>Independent journalism</description>
  <item>
   <title>Strike shuts Port Ardent</title>
   <link>https://meridian.example/world/strike.html</link>
   <guid isPermaLink="false">meridian-42</guid>
   <description>Dockworkers walked out.</description>
   <content:encoded><![CDATA[<p>Dockworkers walked out at <b>dawn</b>.</p>]]></content:encoded>
   <pubDate>Sat, 03 Oct 2026 10:15:00 +0200</pubDate>
   <category>World News</category>
   <category>Labour</category>
   <dc:creator>Mira Castell</dc:creator>
  </item>
 </channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
 <title>The Daily Clarion</title>
 <link href="https://clarion.example/"/>
 <id>urn:clarion</id>
 <updated>2026-10-03T12:00:00Z</updated>
 <entry>
  <title>Summit opens in Aurel</title>
  <link rel="alternate" href="https://clarion.example/world/summit.html"/>
  <id>urn:clarion:summit</id>
  <published>2026-10-03T07:00:00-05:00</published>
  <updated>2026-10-03T08:00:00-05:00</updated>
  <author><name>Tomas Reyes</name></author>
  <category term="Politics"/>
  <summary>Leaders gather.</summary>
  <content type="html">&lt;p&gt;Leaders gathered in Aurel.&lt;/p&gt;</content>
 </entry>
</feed>
"""

JSONFEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Eastgate Observer",
        "home_page_url": "https://eastgate.example/",
        "items": [
            {
                "id": "eg-1",
                "url": "https://eastgate.example/science/satellite.html",
                "title": "Satellite reaches orbit",
                "summary": "A launch.",
                "content_html": "<p>The satellite reached orbit.</p>",
                "date_published": "2026-10-04T23:30:00+03:00",
                "authors": [{"name": "Lena Varga"}],
                "tags": ["Science & Technology", "Space"],
            },
            {"id": "eg-2", "title": "No link here"},
        ],
    }
).encode()


def only(entries: tuple[FeedEntry, ...]) -> FeedEntry:
    assert len(entries) == 1
    return entries[0]


def test_rss_091() -> None:
    feed = parse_feed(RSS091, "https://old.example/rss")
    assert feed.format.startswith("rss09")
    assert feed.title == "Old Gazette"
    assert [e.url for e in feed.entries] == [
        "https://old.example/bridge.html",
        "https://old.example/market.html",
    ]
    assert feed.entries[0].title == "Harbour bridge reopens"
    assert feed.entries[0].summary == "The bridge reopened on Monday."
    assert feed.entries[0].published is None  # RSS 0.91 items carry no date
    assert feed.entries[0].categories == ()


def test_rss_10_rdf() -> None:
    feed = parse_feed(RSS10)
    assert feed.format == "rss10"
    entry = only(feed.entries)
    assert entry.url == "https://harbour.example/a1.html"
    assert entry.title == "Ferries resume after storm"
    assert entry.published == datetime(2026, 10, 3, 7, 30, tzinfo=UTC)
    assert entry.published.utcoffset().total_seconds() == 0
    assert entry.categories == ("World News",)
    assert entry.author == "Ines Molnar"


def test_rss_20_with_content_encoded() -> None:
    feed = parse_feed(RSS20)
    assert feed.format == "rss20"
    assert feed.title == "The Meridian Herald"
    assert feed.link == "https://meridian.example/"
    entry = only(feed.entries)
    assert entry.url == "https://meridian.example/world/strike.html"
    assert entry.title == "Strike shuts Port Ardent"
    assert entry.guid == "meridian-42"
    assert entry.published == datetime(2026, 10, 3, 8, 15, tzinfo=UTC)
    assert entry.published.tzinfo is not None
    assert entry.categories == ("World News", "Labour")
    assert "<b>dawn</b>" in entry.content_html
    assert entry.summary == "Dockworkers walked out."
    assert entry.author == "Mira Castell"


def test_atom_10() -> None:
    feed = parse_feed(ATOM)
    assert feed.format == "atom10"
    entry = only(feed.entries)
    assert entry.url == "https://clarion.example/world/summit.html"
    assert entry.title == "Summit opens in Aurel"
    assert entry.published == datetime(2026, 10, 3, 12, 0, tzinfo=UTC)  # published, not updated
    assert entry.categories == ("Politics",)
    assert entry.author == "Tomas Reyes"
    assert "Leaders gathered in Aurel." in entry.content_html


def test_json_feed_11() -> None:
    feed = parse_feed(JSONFEED, "https://eastgate.example/feed.json")
    assert feed.format == "json1.1"
    assert feed.title == "Eastgate Observer"
    assert feed.link == "https://eastgate.example/"
    entry = only(feed.entries)  # the item without a url is skipped
    assert entry.url == "https://eastgate.example/science/satellite.html"
    assert entry.title == "Satellite reaches orbit"
    assert entry.published == datetime(2026, 10, 4, 20, 30, tzinfo=UTC)  # the same instant
    assert entry.categories == ("Science & Technology", "Space")
    assert entry.author == "Lena Varga"
    assert entry.content_html == "<p>The satellite reached orbit.</p>"
    assert entry.guid == "eg-1"


def test_json_feed_dates_are_utc() -> None:
    entry = only(parse_feed(JSONFEED).entries)
    assert entry.published is not None
    assert entry.published.utcoffset().total_seconds() == 0
    assert entry.published.hour == 20


def test_json_feed_with_leading_whitespace_and_naive_date() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "items": [{"url": "https://x.example/1", "date_published": "2026-01-02T03:04:05"}],
        }
    ).encode()
    entry = only(parse_feed(b"\n  " + body).entries)
    assert entry.published == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [b"<<<not xml at all>>>", b"", b"just some words"],
    ids=["garbage", "empty", "plain-text"],
)
def test_malformed_xml_without_entries_raises(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, "https://broken.example/feed")


TRUNCATED_RSS = b"<?xml version='1.0'?><rss><channel><title>broken</title><item><title>x</ti"


def test_truncated_rss_without_entries_raises() -> None:
    with pytest.raises(FeedError):
        parse_feed(TRUNCATED_RSS, "https://broken.example/feed")


def test_truncated_feed_with_entries_keeps_them_with_a_warning() -> None:
    body = RSS20.split(b"</item>")[0] + b"</item><item><title>cut of"
    feed = parse_feed(body)
    assert [e.url for e in feed.entries] == ["https://meridian.example/world/strike.html"]
    assert feed.warning


def test_html_page_is_not_a_feed() -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>Home</title></head><body>"
        b"<h1>Welcome</h1><a href='/a.html'>An article</a><p>Some text.</p></body></html>"
    )
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(page, "https://site.example/")


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b'{"title": "no version", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {"url": "x"}}',
        b"[1, 2, 3]",
    ],
    ids=["truncated", "no-version", "items-not-list", "not-an-object"],
)
def test_invalid_json_feed_raises(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body)


def test_bad_entry_without_link_is_skipped() -> None:
    body = RSS20.replace(
        b"<item>",
        b"<item><title>No link</title><description>orphan</description></item><item>",
        1,
    )
    feed = parse_feed(body)
    assert [e.title for e in feed.entries] == ["Strike shuts Port Ardent"]


def test_xxe_does_not_leak_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY-7731")
    targets = [secret.as_uri(), "file:///etc/passwd"]
    for target in targets:
        body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>
<rss version="2.0"><channel><title>T &xxe;</title><link>https://x.example/</link>
<item><title>Leak &xxe;</title><link>https://x.example/1</link>
<description>Body &xxe;</description><category>&xxe;</category></item>
</channel></rss>""".encode()
        try:
            feed = parse_feed(body)
        except FeedError:
            continue  # refusing the document is fine too
        fields = [feed.title, feed.link, feed.warning]
        for entry in feed.entries:
            fields += [entry.url, entry.title, entry.summary, entry.author, entry.content_html]
            fields += [entry.guid, *entry.categories]
        joined = "\n".join(fields)
        assert "TOP-SECRET-CANARY" not in joined
        assert "root:" not in joined
