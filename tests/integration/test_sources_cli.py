"""`byline sources import|export|discover|add-url` and `sources add --type` against a real
database and a loopback HTTP server.

Commands run in-process through ``byline.cli.main`` in transactional tests (``migrate`` must
not run inside a test's wrapping transaction), as in test_cli_db.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from byline import cli
from byline import config as byline_config
from byline.config import Config
from byline.fetch.opml import parse_opml
from byline.news.models import Article, Feed, Page, Source

DB = pytest.mark.django_db(transaction=True)

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Reader export</title></head>
  <body>
    <outline text="World">
      <outline text="Quay Ledger" type="rss" xmlUrl="https://quay.example/feed.xml"
               htmlUrl="https://quay.example/"/>
      <outline text="Europe">
        <outline text="Harbour Post" type="rss" xmlUrl="https://harbour.example/rss"/>
      </outline>
    </outline>
    <outline text="Markets">
      <outline text="Quay Ledger" title="Quay Ledger business" type="rss"
               xmlUrl="https://quay.example/business.xml"/>
    </outline>
    <outline text="Knitting">
      <outline text="Purl Weekly" type="rss" xmlUrl="https://purl.example/feed"/>
    </outline>
    <outline text="Loose Wire" type="rss" xmlUrl="https://wire.example/atom"/>
  </body>
</opml>
"""


@pytest.fixture
def cli_config(settings: Any, tmp_path: Path, kit: Any) -> Config:
    overrides: dict[str, Any] = {"fetch_timeout": 5}
    names = {s.name for s in byline_config.SETTINGS}
    if "allow_private_hosts" in names:  # the SSRF guard refuses loopback unless allowed
        overrides["allow_private_hosts"] = "127.0.0.1"
    if "obey_robots" in names:
        overrides["obey_robots"] = "false"
    config: Config = kit.make_config(tmp_path / "data", **overrides)
    settings.BYLINE = config
    return config


def byline(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _feeds() -> dict[str, tuple[str, str | None, str]]:
    return {
        f.url: (f.source.name, f.section.slug if f.section else None, f.kind)
        for f in Feed.objects.select_related("source", "section")
    }


@DB
def test_import_list_export_round_trip(
    cli_config: Config, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "reader.opml"
    path.write_text(OPML, encoding="utf-8")
    code, out, err = byline(capsys, "sources", "import", str(path))
    assert code == 0, err
    assert out == (
        f"imported 5 feeds from {path}: 5 new, 0 updated, 3 with a section from their folder\n"
    )
    assert "folder 'Knitting' names no section" in err
    assert _feeds() == {
        "https://quay.example/feed.xml": ("Quay Ledger", "world", "feed"),
        "https://harbour.example/rss": ("Harbour Post", "world", "feed"),
        "https://quay.example/business.xml": ("Quay Ledger", "business", "feed"),
        "https://purl.example/feed": ("Purl Weekly", None, "feed"),
        "https://wire.example/atom": ("Loose Wire", None, "feed"),
    }
    assert Source.objects.count() == 4  # both Quay Ledger feeds share one source
    assert Source.objects.get(name="Quay Ledger").home_url == "https://quay.example/"

    code, out, _ = byline(capsys, "sources", "list")
    assert code == 0
    for slug in ("quay-ledger", "harbour-post", "purl-weekly", "loose-wire"):
        assert any(line.startswith(slug + " ") for line in out.splitlines()), out

    # Importing again changes nothing but says so.
    code, out, _ = byline(capsys, "sources", "import", str(path))
    assert (code, "0 new, 5 updated" in out) == (0, True)
    assert Feed.objects.count() == 5

    code, exported, err = byline(capsys, "sources", "export", "-")
    assert (code, err) == (0, "")
    doc = parse_opml(exported.encode("utf-8"), "stdout")
    assert doc.unknown_folders == () and doc.skipped == ()
    assert {o.url: (o.name, o.section or None, o.feed_type) for o in doc.outlines} == _feeds()

    # …and into a fresh database it gives the same feeds and sections.
    before = _feeds()
    out_file = tmp_path / "export.opml"
    code, _, err = byline(capsys, "sources", "export", str(out_file))
    assert code == 0 and err == f"exported 5 feeds to {out_file}\n"
    Feed.objects.all().delete()
    Source.objects.all().delete()
    code, out, err = byline(capsys, "sources", "import", str(out_file))
    assert code == 0 and "5 new" in out and err == ""
    assert _feeds() == before


@DB
def test_bad_opml_is_a_one_line_error(
    cli_config: Config, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"<opml><body><outline text='x'></body>")
    code, out, err = byline(capsys, "sources", "import", str(bad))
    assert (code, out) == (cli.EXIT_ERROR, "")
    assert err.startswith(f"byline: error: {bad}: malformed OPML") and err.count("\n") == 1
    code, _, err = byline(capsys, "sources", "import", str(tmp_path / "missing.opml"))
    assert code == cli.EXIT_ERROR and "cannot read" in err
    assert Feed.objects.count() == 0


@DB
def test_add_with_a_type_and_a_guess(
    cli_config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = byline(capsys, "sources", "add", "Mapped", "https://m.example/news-sitemap.xml")
    assert code == 0 and out.endswith("https://m.example/news-sitemap.xml [sitemap]\n")
    code, out, _ = byline(
        capsys, "sources", "add", "Fronted", "https://f.example/latest", "--type", "page"
    )
    assert code == 0 and out.endswith("[page]\n")
    code, out, _ = byline(capsys, "sources", "add", "Fed", "https://fed.example/rss")
    assert out == "added Fed (fed): https://fed.example/rss\n"
    assert {u: k for u, (_, _, k) in _feeds().items()} == {
        "https://m.example/news-sitemap.xml": "sitemap",
        "https://f.example/latest": "page",
        "https://fed.example/rss": "feed",
    }


@DB
def test_discover_lists_and_adds_feeds(
    cli_config: Config, capsys: pytest.CaptureFixture[str], loopback: Any, kit: Any
) -> None:
    feed_url, _ = kit.serve_outlet(loopback, "tide", [("Saltmarsh", "sea wall")])
    home = loopback.add(
        "/tide/",
        "<!DOCTYPE html><html><head><title>Tide</title>"
        '<link rel="alternate" type="application/rss+xml" title="Tide news" href="feed.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/tide/atom.xml">'
        "</head><body><p>Welcome to the Tide</p></body></html>",
    )
    code, out, err = byline(capsys, "sources", "discover", home)
    assert code == 0, err
    assert out.splitlines() == [
        f"feeds linked from {home}:",
        f"  1. rss      {feed_url}  (Tide news)",
        f"  2. atom     {loopback.url('/tide/atom.xml')}",
    ]
    assert Feed.objects.count() == 0  # listing adds nothing

    code, out, err = byline(capsys, "sources", "discover", home, "--add", "Tide Gazette")
    assert code == 0, err
    assert out.endswith(f"added Tide Gazette (tide-gazette): {feed_url}\n")
    feed = Feed.objects.select_related("source").get()
    assert (feed.url, feed.kind, feed.source.home_url) == (feed_url, "feed", home)

    code, out, err = byline(capsys, "sources", "discover", home, "--add", "X", "--pick", "5")
    assert code == cli.EXIT_ERROR and "--pick 5: choose 1 to 2" in err

    # A feed URL given to discover is the one feed found.
    code, out, _ = byline(capsys, "sources", "discover", feed_url)
    assert code == 0 and out.startswith("the URL is itself a feed") and feed_url in out

    bare = loopback.add("/bare/", "<html><body><p>No feeds here</p></body></html>")
    code, out, _ = byline(capsys, "sources", "discover", bare)
    assert code == cli.EXIT_PARTIAL
    assert out.startswith(f"no feeds linked from {bare}; common places to try (not fetched):")
    assert f"  {loopback.url('/feed')}\n" in out
    assert loopback.hits.count("/feed") == 0  # suggestions are never fetched

    code, _, err = byline(capsys, "sources", "discover", loopback.url("/gone/"))
    assert code == cli.EXIT_ERROR and "HTTP 404" in err


@DB
def test_add_url_fetches_and_stores_single_articles(
    cli_config: Config, capsys: pytest.CaptureFixture[str], loopback: Any, kit: Any
) -> None:
    path = "/solo/2025/03/02/lantern-festival-returns.html"
    url = loopback.url(path)
    title = "Lanternby council approves the winter lantern festival"
    loopback.add(
        path,
        kit.article_html(
            title, kit.story_paragraphs("Lanternby", "winter lantern festival"), kit.BASE_TIME, url
        ),
    )
    missing = loopback.url("/solo/missing.html")

    code, out, err = byline(capsys, "sources", "add-url", url, missing)
    assert code == cli.EXIT_PARTIAL
    assert f"added {url}\n" in out and "new articles 1; new stories 1" in out
    assert f"  problem: {missing}: HTTP 404" in err
    article = Article.objects.select_related("source", "story").get()
    assert (article.url, article.title) == (url, title)
    assert article.story is not None and article.relation_kind == "independent"  # nobody copies it
    assert article.source.name == f"127.0.0.1:{loopback.port}"
    assert article.source.domain == f"127.0.0.1:{loopback.port}"
    assert Page.objects.filter(url=url).count() == 1  # the raw page is kept
    assert "Lanternby" in article.text

    hits = loopback.hits.count(path)
    code, out, err = byline(capsys, "sources", "add-url", url)
    assert (code, err) == (0, "")
    assert f"already stored: {url}\n" in out and "new articles 0" in out
    assert loopback.hits.count(path) == hits  # a stored URL is not fetched again

    other = loopback.url("/solo/2025/03/03/another-story-here.html")
    loopback.routes[other.removeprefix(loopback.base_url)] = loopback.routes[path]
    code, out, _ = byline(capsys, "sources", "add-url", other, "--source", "Solo Times")
    assert code == 0
    assert Article.objects.get(url=other).source.name == "Solo Times"

    code, _, err = byline(capsys, "sources", "add-url", "ftp://x.example/a")
    assert code == cli.EXIT_PARTIAL and "give an http:// or https:// URL" in err


def _news_sitemap(items: list[tuple[str, str, str]]) -> str:
    rows = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Map Times</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{when}</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>"
        for loc, title, when in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + rows + "</urlset>"
    )


@DB
def test_fetch_reads_sitemap_indexes_and_pages(
    cli_config: Config, capsys: pytest.CaptureFixture[str], loopback: Any, kit: Any
) -> None:
    import gzip

    urls = []
    for n, (word, topic) in enumerate([("Cobbleford", "tram line"), ("Ashmere", "bridge toll")]):
        path = f"/map/2025/03/0{n + 2}/{word.lower()}-{topic.replace(' ', '-')}.html"
        url = loopback.url(path)
        when = kit.BASE_TIME
        title = f"{word} council approves the {topic}"
        loopback.add(path, kit.article_html(title, kit.story_paragraphs(word, topic), when, url))
        urls.append((url, title, when.isoformat()))
    child = gzip.compress(_news_sitemap(urls).encode())
    loopback.add("/map/news-1.xml.gz", child, content_type="application/xml")
    index = loopback.add(
        "/map/sitemap_index.xml",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/map/news-1.xml.gz</loc><lastmod>2025-03-02</lastmod></sitemap>"
        "<sitemap><loc>/map/missing.xml</loc><lastmod>2025-03-01</lastmod></sitemap>"
        "</sitemapindex>",
        content_type="application/xml",
    )
    code, out, _ = byline(capsys, "sources", "add", "Map Times", index)
    assert code == 0 and out.endswith("[sitemap]\n")

    # A section page whose article links are followed (a feed of kind "page").
    word, topic = "Dunmoor", "harbour wall"
    path = "/front/2025/03/04/dunmoor-harbour-wall-repairs.html"
    page_url = loopback.url(path)
    page_title = f"{word} council approves the {topic}"
    loopback.add(
        path, kit.article_html(page_title, kit.match_paragraphs(word), kit.BASE_TIME, page_url)
    )
    front = loopback.add(
        "/front/",
        f'<html><body><a href="{path}">{page_title}</a> <a href="/front/about">About</a>'
        "</body></html>",
    )
    code, out, _ = byline(capsys, "sources", "add", "Front Page", front, "--type", "page")
    assert code == 0 and out.endswith("[page]\n")

    code, out, err = byline(capsys, "fetch", "--all", "-q")
    assert code == 0, err
    assert "feeds ok 2, failed 0" in out and "new articles 3" in out
    stored = dict(Article.objects.values_list("url", "title"))
    assert stored == {urls[0][0]: urls[0][1], urls[1][0]: urls[1][1], page_url: page_title}
    feed = Feed.objects.get(url=index)
    assert feed.last_status.startswith("ok: 2 entries")
    assert "1 child sitemaps failed" in feed.last_status and "HTTP 404" in feed.last_status
    assert feed.title == "Map Times"
    assert Feed.objects.get(url=front).format == "html-page"


@DB
def test_sources_list_names_a_content_farm(
    cli_config: Config, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "reader.opml"
    path.write_text(OPML, encoding="utf-8")
    assert byline(capsys, "sources", "import", str(path))[0] == 0
    Source.objects.filter(slug="purl-weekly").update(
        judged_count=10, spun_count=6, scraped_count=2, content_farm=True
    )
    code, out, _ = byline(capsys, "sources", "list")
    assert code == 0
    lines = out.splitlines()
    farm_lines = [i for i, line in enumerate(lines) if "CONTENT FARM" in line]
    assert len(farm_lines) == 1
    assert "8 of 10 judged articles are spun or scraped copies" in lines[farm_lines[0]]
    # It sits under the farm's own entry, not another source's.
    owner = max(i for i, line in enumerate(lines[: farm_lines[0]]) if not line.startswith(" "))
    assert lines[owner].startswith("purl-weekly ")
    code, out, _ = byline(capsys, "sources", "list", "--json")
    listed = {f["slug"]: f for f in json.loads(out)}
    assert listed["purl-weekly"]["content_farm"] is True
    assert listed["quay-ledger"]["content_farm"] is False
