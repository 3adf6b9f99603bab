"""A real WARC file written by Byline, read back by `byline import`, then re-extracted by
`byline reprocess`: the demo outlets' article pages (with junk and a damaged file mixed in)
go through the real pipeline into a real database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection

from byline import cli
from byline import reprocess as reprocess_module
from byline.config import Config
from byline.demo.server import DemoServer
from byline.demo.sitegen import ManifestArticle, SiteManifest
from byline.errors import StoreError
from byline.fetch.warc import WarcWriter
from byline.importer import import_paths
from byline.news import registry, store
from byline.news.models import Article, Page, Relation, Source, Story
from byline.pipeline import Processed, process_article
from byline.records import FeedEntry, FetchResult
from byline.reprocess import reprocess

FETCHED = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # after every demo article's date
JUNK = {"not HTML": 2, "HTTP 4xx status": 1, "warcinfo record": 1}


@dataclass
class DemoWarc:
    folder: Path
    gold: dict[str, ManifestArticle]  # URL → the manifest's article
    fetched_at: dict[str, datetime]
    host: str
    warc_files: int


def _served_file(server: DemoServer, url: str) -> Path:
    return server.root.joinpath(*[p for p in urlsplit(url).path.split("/") if p])


def _junk(base_url: str) -> list[FetchResult]:
    def result(path: str, status: int, ctype: str, body: bytes) -> FetchResult:
        url = base_url + path
        return FetchResult(url, url, status, {"content-type": ctype}, body, FETCHED)

    return [
        result("/api/latest.json", 200, "application/json", b'{"headline": "not a page"}'),
        result("/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        result("/missing.html", 404, "text/html", b"<html><body>Not found</body></html>"),
    ]


def write_demo_warc(
    folder: Path, demo_site: tuple[DemoServer, SiteManifest], events: set[str] | None = None
) -> DemoWarc:
    """Every demo article page (of ``events``, when given) as fetched at a known time, plus
    junk, in one WARC file written by Byline."""
    server, manifest = demo_site
    chosen = [a for a in manifest.articles if events is None or a.event_id in events]
    fetched_at: dict[str, datetime] = {}
    with WarcWriter(folder, prefix="demo") as writer:
        for n, art in enumerate(chosen):
            when = FETCHED + timedelta(minutes=n, microseconds=n)
            body = _served_file(server, art.url).read_bytes()
            headers = {"content-type": "text/html; charset=utf-8", "server": "demo"}
            writer.write(FetchResult(art.url, art.url, 200, headers, body, when))
            fetched_at[art.url] = when
        for result in _junk(manifest.base_url):
            writer.write(result)
    return DemoWarc(
        folder,
        {a.url: a for a in chosen},
        fetched_at,
        urlsplit(manifest.base_url).netloc,
        len(writer.files),
    )


def add_damaged_copy(demo: DemoWarc) -> Path:
    """A second file: the first one cut in half, as a crashed copy would leave it."""
    first = sorted(demo.folder.glob("demo-*.warc.gz"))[0]
    data = first.read_bytes()
    damaged = demo.folder / "z-damaged.warc.gz"
    damaged.write_bytes(data[: len(data) // 2])
    return damaged


def shouting(original: Any) -> Any:
    """An "improved" extractor: the same, with titles in capitals."""

    def process_fetched(result: Any, entry: FeedEntry | None = None, **options: Any) -> Processed:
        processed = original(result, entry, **options)
        article = dataclasses.replace(processed.article, title=processed.article.title.upper())
        return process_article(article)

    return process_fetched


def judged_snapshot() -> dict[int, tuple[str, int | None]]:
    return {a.pk: (a.title, a.story_id) for a in Article.objects.all()}


@pytest.mark.django_db
def test_a_demo_warc_is_imported_then_reprocessed(
    tmp_path: Path,
    demo_site: tuple[DemoServer, SiteManifest],
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry.ensure_sections()
    demo = write_demo_warc(tmp_path / "warc", demo_site)
    damaged = add_damaged_copy(demo)
    report = import_paths(config, [demo.folder], None, "outlet")
    print(f"import report: {report}; skipped: {dict(report.skipped)}")

    # Every demo article once, fetched when the WARC says, under the host's source.
    assert report.articles_added == len(demo.gold)
    articles = list(Article.objects.select_related("page", "source", "relation"))
    assert sorted(a.url for a in articles) == sorted(demo.gold)
    for article in articles:
        assert article.page is not None
        assert article.page.fetched_at == demo.fetched_at[article.url]
        assert article.page.status == 200
        assert demo.gold[article.url].headline in article.title
        assert article.published == demo.gold[article.url].published
    assert {a.source.name for a in articles} == {demo.host}
    assert Source.objects.count() == 1
    assert Page.objects.count() == len(demo.gold)

    # Junk is counted by reason; the damaged copy is named, and what it held before the cut
    # was already stored.
    for reason, count in JUNK.items():
        assert report.skipped[reason] >= count, report.skipped
    assert 1 <= report.skipped["already stored"] < len(demo.gold)
    damage = [p for p in report.problems if damaged.name in p]
    assert damage and all("truncated" in p or "broken" in p for p in damage), report.problems
    assert len(report.problems) == len(damage), report.problems

    # Judged: a story and a relation each, stories following the demo's events.
    assert all(a.story_id is not None for a in articles)
    assert Relation.objects.count() == len(articles)
    members: dict[int | None, Counter[str]] = defaultdict(Counter)
    for article in articles:
        members[article.story_id][demo.gold[article.url].event_id] += 1
    majority = sum(c.most_common(1)[0][1] for c in members.values())
    print(f"stories {len(members)}, purity {majority / len(articles):.3f}")
    assert majority / len(articles) >= 0.9
    assert report.stories_created == Story.objects.count()

    # Reprocessing with the same extractor changes nothing.
    before = judged_snapshot()
    same = reprocess(config)
    assert (same.pages, same.changed, same.failed) == (len(articles), 0, 0), same
    assert same.rejudged == 0 and judged_snapshot() == before

    # An improved extractor: a dry run only reports ...
    monkeypatch.setattr(
        reprocess_module, "process_fetched", shouting(reprocess_module.process_fetched)
    )
    dry = reprocess(config, dry_run=True)
    assert dry.changed == len(articles) and dry.rejudged == 0
    print(f"fields changed: {Counter(f for c in dry.changes for f in c.fields)}")
    assert all("title" in c.fields for c in dry.changes)
    assert judged_snapshot() == before

    # ... and a real run rewrites the same rows and judges them again.
    real = reprocess(config)
    assert real.changed == len(articles) and real.rejudged >= len(articles)
    after = list(Article.objects.select_related("relation"))
    assert sorted(a.pk for a in after) == sorted(before)
    for article in after:
        assert article.title == before[article.pk][0].upper()
        assert article.story_id is not None and article.relation is not None
        assert article.relation.updated_at > article.first_seen
        assert store.article_fingerprint(article).text_hash == article.text_hash
    assert Story.objects.filter(article_count=0).count() == 0
    assert sum(s.article_count for s in Story.objects.all()) == len(after)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM news_article_fts")
            assert cursor.fetchone()[0] == len(after)
            cursor.execute(
                "SELECT count(*) FROM news_article_fts WHERE news_article_fts MATCH %s",
                ['"{}"'.format(after[0].title.split()[0].replace('"', ""))],
            )
            assert cursor.fetchone()[0] >= 1

    # Once the articles have the new fields, running it again changes nothing.
    again = reprocess(config)
    assert again.changed == 0 and again.unchanged == len(after)
    with pytest.raises(StoreError, match="no source"):
        reprocess(config, source_slug="no-such-source")


@pytest.mark.django_db(transaction=True)
def test_byline_import_and_reprocess_commands(
    tmp_path: Path,
    demo_site: tuple[DemoServer, SiteManifest],
    config: Config,
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.BYLINE = config
    demo = write_demo_warc(tmp_path / "warc", demo_site, events={"e01"})
    path = sorted(demo.folder.glob("*.warc.gz"))[0]

    code = cli.main(["import", str(path), "-q"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, (out, err)
    assert f"new articles {len(demo.gold)}" in out
    assert "WARC records not imported:" in out and "not HTML 2" in out
    assert "HTTP 4xx status 1" in out
    source = Source.objects.get()
    assert source.name == demo.host
    assert Article.objects.filter(story__isnull=True).count() == 0

    code = cli.main(["reprocess", "-q", "--source", source.slug])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, (out, err)
    assert f"pages {len(demo.gold)}; articles changed 0" in out

    monkeypatch.setattr(
        reprocess_module, "process_fetched", shouting(reprocess_module.process_fetched)
    )
    code = cli.main(["reprocess", "-q", "--dry-run"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, (out, err)
    assert f"articles would change {len(demo.gold)}" in out
    assert out.count(".html: title") == len(demo.gold)
    titles = {a.pk: a.title for a in Article.objects.all()}
    assert not any(t == t.upper() for t in titles.values())  # nothing written

    code = cli.main(["reprocess", "-q"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, (out, err)
    assert f"articles changed {len(demo.gold)}" in out and "re-judged" in out
    assert {a.pk: a.title for a in Article.objects.all()} == {
        pk: title.upper() for pk, title in titles.items()
    }
    assert Article.objects.filter(story__isnull=True).count() == 0

    code = cli.main(["reprocess", "-q", "--source", "nobody"])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_ERROR and "no source" in err

    # The --source option puts every WARC page under one named source instead.
    Article.objects.all().delete()
    code = cli.main(["import", str(path), "-q", "--source", "Crawl Desk", "--kind", "aggregator"])
    capsys.readouterr()
    assert code == cli.EXIT_OK
    desk = Source.objects.get(name="Crawl Desk")
    assert desk.kind == "aggregator"
    assert Article.objects.filter(source=desk).count() == len(demo.gold)


PARAGRAPHS = [
    "The harbour authority of Port Velmar closed the northern channel to all shipping after a "
    "grain carrier lost steering and ran aground on the sandbar beside the old lighthouse.",
    "Pilots said the carrier, the Marisol Dawn, had left the grain terminal with a full load "
    "and turned too early into the channel as the tide fell, according to the authority.",
    "Tugboats from the naval yard tried three times to pull the vessel free before the harbour "
    "master ordered them to wait for the next high tide, a spokeswoman for the authority said.",
    "Eleven container ships and two ferries were waiting outside the breakwater, and the "
    "ferry company told passengers to expect delays of at least a day on the island routes.",
    "Divers who inspected the hull found no breach, and the crew of twenty-two were reported "
    "safe, though the authority said it would open an inquiry into the pilotage of the ship.",
    "Grain traders said a long closure would hold up the season's last shipments, and the "
    "chamber of commerce asked the authority to publish a timetable for reopening the channel.",
]


def _article_page(headline: str, dated: str | None) -> bytes:
    """A plain article page of the fictional sample world (Byline's demo convention), with
    its publication date in the metadata when ``dated`` is given and none anywhere if not."""
    meta = f'<meta property="article:published_time" content="{dated}">' if dated else ""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = (
        f"<!doctype html><html><head><title>{headline}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{headline}</h1>{body}</article>"
        f"<footer>Sample data: a fictional outlet.</footer></body></html>"
    )
    return html.encode("utf-8")


@pytest.mark.django_db
def test_an_archived_undated_copy_is_dated_by_its_crawl_and_meets_its_original(
    tmp_path: Path, config: Config
) -> None:
    """An archive imported long after it was crawled: an outlet's dated report and an
    aggregator's undated copy of it, crawled half a day later. The copy is dated by its WARC-Date
    (estimated), not by the day of the import, so it joins the report's story and is traced
    to it; dated at import time it sat two years away, beyond every window, and was judged
    alone."""
    registry.ensure_sections()
    published = datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
    crawled = datetime(2024, 3, 5, 20, 30, tzinfo=UTC)
    headline = "Grain carrier aground closes Port Velmar's northern channel"
    original = "https://harbour-gazette.example/news/grain-carrier-aground.html"
    copy = "https://daily-scrape.example/p/4821.html"
    headers = {"content-type": "text/html; charset=utf-8"}
    with WarcWriter(tmp_path / "warc", prefix="archive") as writer:
        writer.write(
            FetchResult(
                original,
                original,
                200,
                headers,
                _article_page(headline, published.isoformat()),
                published + timedelta(hours=1),
            )
        )
        writer.write(FetchResult(copy, copy, 200, headers, _article_page(headline, None), crawled))
    registry.source_for_url(copy, kind="aggregator")  # known as a scraper before the import
    report = import_paths(config, [tmp_path / "warc"], None, "outlet")
    assert report.articles_added == 2, report

    stored = {a.url: a for a in Article.objects.select_related("relation")}
    assert stored[original].published == published
    assert not stored[original].published_estimated
    assert stored[copy].published == crawled  # the WARC-Date, not the day of the import
    assert stored[copy].published_estimated
    assert stored[copy].story_id == stored[original].story_id
    assert stored[copy].relation.relation == "scraped"
    assert stored[copy].relation.origin_id == stored[original].pk


@pytest.mark.django_db
def test_reprocess_judges_an_archived_pages_date_against_its_fetch(
    tmp_path: Path, config: Config
) -> None:
    """A page whose own date is ten days after its crawl (a template's wrong date): its first
    save dated it by the crawl; re-extracting the same stored page must not take the page's
    date as a change, as it did when the date was judged against the day of the reprocess."""
    registry.ensure_sections()
    crawled = datetime(2024, 3, 5, 20, 30, tzinfo=UTC)
    claimed = crawled + timedelta(days=10)
    url = "https://harbour-gazette.example/news/dredging-resumes.html"
    headers = {"content-type": "text/html; charset=utf-8"}
    page = _article_page("Dredging resumes in Port Velmar", claimed.isoformat())
    with WarcWriter(tmp_path / "warc", prefix="archive") as writer:
        writer.write(FetchResult(url, url, 200, headers, page, crawled))
    assert import_paths(config, [tmp_path / "warc"], None, "outlet").articles_added == 1
    stored = Article.objects.get(url=url)
    assert (stored.published, stored.published_estimated) == (crawled, True)

    report = reprocess(config)
    assert (report.pages, report.changed, report.unchanged) == (1, 0, 1), report.changes
    stored.refresh_from_db()
    assert (stored.published, stored.published_estimated) == (crawled, True)
