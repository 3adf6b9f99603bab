"""Ingestion end to end: real feeds and pages over loopback HTTP, the real pipeline, a real
database (SQLite, or PostgreSQL with DATABASE_URL).

The demo corpus is ingested once per module (committed outside the per-test transactions, and
wiped when the module ends); each test then reads it inside its own rolled-back transaction.
Quality floors sit a little below the values measured when they were pinned; they print what
they measure, so ``pytest -s`` shows the margin.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.html import escape

from byline import ingest
from byline.config import Config
from byline.demo.run import register_outlets
from byline.demo.server import DemoServer
from byline.demo.sitegen import ManifestArticle, SiteManifest
from byline.ingest import IngestReport, fetch_feeds
from byline.judge.text import sentences as sentences_of
from byline.news import queries, registry, store
from byline.news.models import Article, Feed, Page, Relation, Section, Story

pytestmark = pytest.mark.django_db

COPIES = {"syndicated", "scraped", "spun"}

# Floors, pinned a little below the values measured on the bundled corpus (98 articles,
# 14 events): every one of these measured 1.00 when pinned.
PURITY_FLOOR = 0.97
RELATION_ACCURACY_FLOOR = 0.95
SECTION_ACCURACY_FLOOR = 0.95
TITLE_ACCURACY_FLOOR = 0.95
SPUN_RECALL_FLOOR = 0.80  # the floor the project asks for; measured 1.00
MAX_MIXED = 2  # articles in a story that belong to another gold event
STORY_COUNT_SLACK = 2


@dataclass
class Corpus:
    server: DemoServer
    manifest: SiteManifest
    config: Config
    report: IngestReport
    seconds: float

    @property
    def gold(self) -> dict[str, ManifestArticle]:
        return {a.url: a for a in self.manifest.articles}

    def feeds(self) -> list[Feed]:
        urls = {o.feed_url for o in self.manifest.outlets}
        return [f for f in registry.feeds_due(force=True) if f.url in urls]


@pytest.fixture(scope="module")
def corpus(
    django_db_setup: None,
    django_db_blocker: Any,
    demo_site: tuple[DemoServer, SiteManifest],
    tmp_path_factory: pytest.TempPathFactory,
    kit: Any,
) -> Iterator[Corpus]:
    """The whole demo corpus, ingested once through ``fetch_feeds``."""
    server, manifest = demo_site
    config = kit.make_config(tmp_path_factory.mktemp("ingest-data"))
    with django_db_blocker.unblock():
        sections_before = set(Section.objects.values_list("slug", flat=True))
        try:
            kit.wipe_news()
            registry.ensure_sections()
            register_outlets(manifest)
            urls = {o.feed_url for o in manifest.outlets}
            feeds = [f for f in registry.feeds_due(force=True) if f.url in urls]
            started = time.monotonic()
            report = fetch_feeds(config, feeds)
            seconds = time.monotonic() - started
            print(f"\ningested the demo corpus in {seconds:.1f}s: {report}")
            yield Corpus(server, manifest, config, report, seconds)
        finally:
            kit.wipe_news(keep_sections=sections_before)


def _served_file(corpus: Corpus, url: str) -> Path:
    return corpus.server.root.joinpath(*[p for p in urlsplit(url).path.split("/") if p])


def _gold_root(gold_by_id: dict[str, ManifestArticle], art: ManifestArticle) -> ManifestArticle:
    seen = {art.id}
    while art.origin_id and art.origin_id not in seen:
        seen.add(art.origin_id)
        art = gold_by_id[art.origin_id]
    return art


# ── the whole corpus ──────────────────────────────────────────────────────────────────────


def test_every_article_is_stored_once_and_complete(corpus: Corpus) -> None:
    gold = corpus.gold
    assert corpus.report.problems == []
    assert corpus.report.feeds_ok == len(corpus.manifest.outlets)
    assert corpus.report.feeds_failed == 0
    assert corpus.report.articles_added == len(gold)

    stored = list(Article.objects.select_related("page", "story", "section", "relation"))
    urls = Counter(a.url for a in stored)
    assert set(urls) == set(gold), "stored URLs differ from the manifest's"
    assert max(urls.values()) == 1

    titles_right = 0
    for article in stored:
        expected = gold[article.url]
        assert article.title.strip(), article.url
        assert len(article.text.split()) >= 50, article.url
        assert article.published.utcoffset() == timedelta(0), article.url
        assert article.published == expected.published.astimezone(UTC), article.url
        assert not article.published_estimated, article.url
        assert article.section is not None, article.url
        assert article.page is not None, article.url
        raw = bytes(article.page.body)
        assert raw == _served_file(corpus, article.url).read_bytes(), article.url
        assert article.page.status == 200
        assert article.story is not None, article.url
        assert article.relation.relation in Relation.Kind.values
        titles_right += article.title == expected.headline
    title_accuracy = titles_right / len(stored)
    print(f"titles equal to the gold headline: {title_accuracy:.3f}")
    assert title_accuracy >= TITLE_ACCURACY_FLOOR
    assert Page.objects.count() == len(gold)


def test_sections_match_the_gold(corpus: Corpus) -> None:
    gold = corpus.gold
    stored = list(Article.objects.select_related("section"))
    right = sum(a.section is not None and a.section.name == gold[a.url].section for a in stored)
    accuracy = right / len(stored)
    print(f"section accuracy: {accuracy:.3f} ({right}/{len(stored)})")
    assert accuracy >= SECTION_ACCURACY_FLOOR


def test_stories_follow_the_gold_events(corpus: Corpus) -> None:
    gold = corpus.gold
    events = {a.event_id for a in corpus.manifest.articles}
    stories = Story.objects.count()
    print(f"stories: {stories}, gold events: {len(events)}")
    assert abs(stories - len(events)) <= STORY_COUNT_SLACK
    assert corpus.report.stories_created == stories

    members: dict[int, Counter[str]] = defaultdict(Counter)
    for article in Article.objects.all():
        assert article.story_id is not None
        members[article.story_id][gold[article.url].event_id] += 1
    majority = sum(c.most_common(1)[0][1] for c in members.values())
    total = sum(sum(c.values()) for c in members.values())
    purity = majority / total
    mixed = total - majority
    print(f"story purity: {purity:.3f}; articles in another event's story: {mixed}")
    assert purity >= PURITY_FLOOR
    assert mixed <= MAX_MIXED
    for story in Story.objects.all():
        assert story.article_count == sum(members[story.pk].values())
        assert story.first_published <= story.last_published


def test_copies_are_labelled_and_traced_to_their_origin(corpus: Corpus) -> None:
    gold = corpus.gold
    by_id = {a.id: a for a in corpus.manifest.articles}
    copies = [a for a in corpus.manifest.articles if a.relation in COPIES]
    exact = labelled = same_event = same_root = 0
    stored = {a.url: a for a in Article.objects.select_related("relation", "source")}
    wrong = []
    for article in stored.values():
        exact += article.relation.relation == gold[article.url].relation
        if article.relation.relation != gold[article.url].relation:
            wrong.append(
                (gold[article.url].id, gold[article.url].relation, article.relation.relation)
            )
    print(f"relations that differ from the gold (id, gold, stored): {sorted(wrong)}")
    for art in copies:
        article = stored[art.url]
        relation = article.relation
        assert relation.relation in COPIES, f"{art.id} ({art.relation}) stored as {relation}"
        labelled += 1
        assert relation.origin_id is not None, art.id
        root = queries.origin_of(article)
        assert root.pk != article.pk
        root_gold = gold[root.url]
        assert root_gold.event_id == art.event_id, f"{art.id} traced to {root_gold.id}"
        same_event += 1
        same_root += root_gold.id == _gold_root(by_id, art).id
    accuracy = exact / len(stored)
    print(
        f"copies labelled as copies: {labelled}/{len(copies)}; root in the same event: "
        f"{same_event}/{len(copies)}; root equal to the gold root: {same_root}/{len(copies)}; "
        f"exact relation accuracy: {accuracy:.3f}"
    )
    assert accuracy >= RELATION_ACCURACY_FLOOR
    assert same_root / len(copies) >= RELATION_ACCURACY_FLOOR
    firsthand = [a for a in corpus.manifest.articles if a.relation not in COPIES]
    false_copies = [a.id for a in firsthand if stored[a.url].relation.relation in COPIES]
    print(f"originals or independents labelled as copies: {false_copies}")
    assert len(false_copies) <= MAX_MIXED


def test_the_farm_spun_copies_are_spun(corpus: Corpus) -> None:
    aggregators = {o.slug for o in corpus.manifest.outlets if o.kind == "aggregator"}
    spun = [a for a in corpus.manifest.articles if a.relation == "spun"]
    assert spun and all(a.outlet in aggregators for a in spun)
    labels = dict(
        Relation.objects.filter(article__url__in=[a.url for a in spun]).values_list(
            "article__url", "relation"
        )
    )
    found = sum(labels.get(a.url) == "spun" for a in spun)
    recall = found / len(spun)
    print(f"spun recall on the farm: {recall:.3f} ({found}/{len(spun)})")
    assert recall >= SPUN_RECALL_FLOOR
    evidence = Relation.objects.filter(relation="spun").values_list("evidence", flat=True)
    assert any(e.get("substitutions") for e in evidence), "spun copies show no substitutions"


def test_feeds_are_ready_for_conditional_gets(corpus: Corpus) -> None:
    feeds = corpus.feeds()
    assert len(feeds) == len(corpus.manifest.outlets)
    for feed in feeds:
        assert feed.last_fetched_at is not None
        assert feed.last_status.startswith("ok"), feed.last_status
        assert feed.consecutive_failures == 0
        assert not feed.paused
        assert feed.format
        assert feed.next_fetch_at is not None and feed.next_fetch_at > feed.last_fetched_at
    # Just fetched, so none is due again yet.
    due = {f.url for f in registry.feeds_due()}
    assert not due & {f.url for f in feeds}


def test_fetching_again_adds_nothing(corpus: Corpus) -> None:
    articles, stories, pages = Article.objects.count(), Story.objects.count(), Page.objects.count()
    relations = dict(Relation.objects.values_list("article_id", "relation"))
    report = fetch_feeds(corpus.config, corpus.feeds())
    assert report.problems == []
    assert report.articles_added == 0
    assert report.stories_created == 0
    assert report.pages_fetched == 0  # known URLs are not fetched again
    assert Article.objects.count() == articles
    assert Story.objects.count() == stories
    assert Page.objects.count() == pages
    assert dict(Relation.objects.values_list("article_id", "relation")) == relations


# ── conditional GET ───────────────────────────────────────────────────────────────────────


def test_etag_is_kept_and_sent_back(loopback: Any, kit: Any, config: Config) -> None:
    feed_url, urls = kit.serve_outlet(loopback, "etag", [("Quorrin", "harbour wall")])
    loopback.routes["/etag/feed.xml"].etag = '"v1"'
    feed = registry.add_source("Etag Times", feed_url)
    first = fetch_feeds(config, [feed])
    assert first.articles_added == 1
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    second = fetch_feeds(config, [feed])
    feed.refresh_from_db()
    assert loopback.conditional[-1] == '"v1"'
    assert feed.last_status == "304 not modified"
    assert second.articles_added == 0 and second.problems == []
    assert Article.objects.filter(url__in=urls).count() == 1


# ── failures ──────────────────────────────────────────────────────────────────────────────

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


@dataclass
class Troubled:
    good: Feed
    e500: Feed
    malformed: Feed
    blob: Feed
    slow: Feed
    good_urls: list[str]
    blob_ok_url: str
    blob_url: str
    slow_url: str


@pytest.fixture
def troubled(loopback: Any, kit: Any) -> Troubled:
    """Five feeds on one loopback server: one good, one answering 500, one of malformed XML,
    one listing a PNG as an article, one listing a page that hangs."""
    good_url, good_urls = kit.serve_outlet(
        loopback, "good", [("Larkmoor", "tram line"), ("Fennick", "sea wall")]
    )
    e500_url = loopback.add("/e500/feed.xml", b"oops", status=500, content_type="text/plain")
    bad_url = loopback.add(
        "/bad/feed.xml", b"<<<not xml &&& <rss", content_type="application/rss+xml"
    )
    blob_feed, (blob_ok_url, blob_url) = kit.serve_outlet(
        loopback, "blob", [("Ostwick", "bridge repair"), ("Pellmar", "ferry terminal")]
    )
    loopback.routes[urlsplit(blob_url).path].body = PNG
    loopback.routes[urlsplit(blob_url).path].content_type = "image/png"
    slow_feed, (slow_url,) = kit.serve_outlet(loopback, "slow", [("Tarrow", "airport road")])
    loopback.routes[urlsplit(slow_url).path].delay = 2.5
    registry.ensure_sections()
    return Troubled(
        good=registry.add_source("Good Gazette", good_url),
        e500=registry.add_source("Broken Bugle", e500_url),
        malformed=registry.add_source("Mangled Mercury", bad_url),
        blob=registry.add_source("Blob Bulletin", blob_feed),
        slow=registry.add_source("Slow Sentinel", slow_feed),
        good_urls=good_urls,
        blob_ok_url=blob_ok_url,
        blob_url=blob_url,
        slow_url=slow_url,
    )


def _all(t: Troubled) -> list[Feed]:
    return [t.good, t.e500, t.malformed, t.blob, t.slow]


def test_bad_feeds_and_pages_are_recorded_and_the_rest_stored(
    troubled: Troubled, kit: Any, tmp_path: Path
) -> None:
    t = troubled
    config = kit.make_config(tmp_path, fetch_timeout=1, feed_failures_before_pause=2)
    started = time.monotonic()
    report = fetch_feeds(config, _all(t))
    assert time.monotonic() - started < 10, "a hanging page held up the run"
    print(f"report with failures: {report}")

    stored = set(Article.objects.values_list("url", flat=True))
    assert {*t.good_urls, t.blob_ok_url} <= stored
    assert t.blob_url not in stored and t.slow_url not in stored
    assert report.articles_added == 3
    assert report.feeds_ok == 3 and report.feeds_failed == 2

    problems = "\n".join(report.problems)
    for url in (t.e500.url, t.malformed.url, t.blob_url, t.slow_url):
        assert url in problems, f"{url} is not named in {report.problems}"
    assert "HTTP 500" in problems
    assert "image/png" in problems
    assert "timed out" in problems
    assert len(report.problems) == 4

    for feed in (t.e500, t.malformed):
        feed.refresh_from_db()
        assert feed.last_status.startswith("error"), feed.last_status
        assert feed.consecutive_failures == 1
        assert not feed.paused
        assert feed.next_fetch_at is not None and feed.next_fetch_at > timezone.now()
    for feed in (t.good, t.blob, t.slow):
        feed.refresh_from_db()
        assert feed.last_status.startswith("ok"), feed.last_status
        assert feed.consecutive_failures == 0
    # The good pages were judged as usual.
    for article in Article.objects.filter(url__in=stored):
        assert article.story_id is not None
        assert Relation.objects.filter(article=article).exists()


def test_a_failing_feed_is_paused_and_skipped(troubled: Troubled, kit: Any, tmp_path: Path) -> None:
    t = troubled
    config = kit.make_config(tmp_path, fetch_timeout=1, feed_failures_before_pause=2)
    fetch_feeds(config, [t.e500, t.malformed, t.good])
    for feed in (t.e500, t.malformed):
        feed.refresh_from_db()
        assert not feed.paused
    assert t.e500.pk in {f.pk for f in registry.feeds_due(force=True)}

    second = fetch_feeds(config, [t.e500, t.malformed, t.good])
    assert second.feeds_failed == 2
    for feed in (t.e500, t.malformed):
        feed.refresh_from_db()
        assert feed.consecutive_failures == 2
        assert feed.paused
        assert feed.paused_reason.startswith("2 failures in a row"), feed.paused_reason
    t.good.refresh_from_db()
    assert not t.good.paused and t.good.consecutive_failures == 0

    later = timezone.now() + timedelta(days=30)
    for due in (
        registry.feeds_due(),
        registry.feeds_due(now=later),
        registry.feeds_due(force=True),
    ):
        ids = {f.pk for f in due}
        assert t.e500.pk not in ids and t.malformed.pk not in ids
    assert t.good.pk in {f.pk for f in registry.feeds_due(now=later)}
    health = {h.url: h for h in registry.list_feeds()}
    assert health[t.e500.url].paused and health[t.e500.url].consecutive_failures == 2


def test_a_recovered_feed_resets_its_failure_count(
    troubled: Troubled, kit: Any, tmp_path: Path, loopback: Any
) -> None:
    t = troubled
    config = kit.make_config(tmp_path, fetch_timeout=1, feed_failures_before_pause=3)
    fetch_feeds(config, [t.e500])
    t.e500.refresh_from_db()
    assert t.e500.consecutive_failures == 1
    loopback.routes["/e500/feed.xml"] = loopback.routes["/good/feed.xml"]
    fetch_feeds(config, [t.e500])
    t.e500.refresh_from_db()
    assert t.e500.consecutive_failures == 0
    assert t.e500.last_status.startswith("ok")


def test_a_truncated_feed_counts_as_a_failure(loopback: Any, config: Config) -> None:
    """Truncated XML with a recognisable <rss> root and no entries is a failure, not an empty
    feed (it once came back as 'ok: 0 entries', so a broken feed was never paused)."""
    url = loopback.add(
        "/cut/feed.xml",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>x',
        content_type="application/rss+xml",
    )
    feed = registry.add_source("Cut Courier", url)
    report = fetch_feeds(config, [feed])
    feed.refresh_from_db()
    assert report.feeds_failed == 1
    assert feed.last_status.startswith("error"), feed.last_status
    assert feed.consecutive_failures == 1


# ── crashes in the middle ─────────────────────────────────────────────────────────────────


def _one_outlet(loopback: Any, kit: Any) -> tuple[Feed, list[str]]:
    feed_url, urls = kit.serve_outlet(
        loopback,
        "crash",
        [("Dunmere", "library"), ("Elsworth", "canal"), ("Grisby", "stadium"), ("Hollin", "dam")],
    )
    registry.ensure_sections()
    return registry.add_source("Crashing Chronicle", feed_url), urls


def test_an_unexpected_error_in_one_page_is_reported_and_the_rest_stored(
    loopback: Any, kit: Any, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed, urls = _one_outlet(loopback, kit)
    bad = urls[1]
    real = ingest.process_fetched  # ingest holds its own reference; patch that one

    def flaky(result: Any, entry: Any = None, **options: Any) -> Any:
        if (result.final_url or result.url) == bad:
            raise RuntimeError("extractor blew up")
        return real(result, entry, **options)

    monkeypatch.setattr(ingest, "process_fetched", flaky)
    report = fetch_feeds(config, [feed])
    assert report.articles_added == 3
    assert len(report.problems) == 1
    assert bad in report.problems[0] and "RuntimeError" in report.problems[0]
    stored = set(Article.objects.values_list("url", flat=True))
    assert set(urls) - stored == {bad}
    assert not Page.objects.filter(url=bad).exists()
    assert all(a.story_id for a in Article.objects.filter(url__in=urls))

    monkeypatch.setattr(ingest, "process_fetched", real)
    again = fetch_feeds(config, [feed])
    assert again.articles_added == 1 and again.problems == []
    assert set(urls) <= set(Article.objects.values_list("url", flat=True))


def test_a_crash_while_saving_leaves_no_half_written_rows(
    loopback: Any, kit: Any, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index write fails after the Page and Article rows were written: the transaction
    must drop both, and a later run must store and judge everything."""
    feed, urls = _one_outlet(loopback, kit)
    bad = urls[2]
    real = store._index_for_search

    def failing_index(article: Article) -> None:
        if article.url == bad:
            raise RuntimeError("disk full")
        real(article)

    monkeypatch.setattr(store, "_index_for_search", failing_index)
    report = fetch_feeds(config, [feed])
    assert any(bad in problem and "disk full" in problem for problem in report.problems)
    assert not Article.objects.filter(url=bad).exists()
    assert not Page.objects.filter(url=bad).exists()
    for article in Article.objects.filter(url__in=urls).select_related("page"):
        assert article.page is not None and bytes(article.page.body)

    monkeypatch.setattr(store, "_index_for_search", real)
    fetch_feeds(config, [feed])
    articles = list(Article.objects.filter(url__in=urls))
    assert {a.url for a in articles} == set(urls)
    assert all(a.story_id is not None for a in articles)
    assert Relation.objects.filter(article__in=articles).count() == len(urls)
    assert Page.objects.filter(url__in=urls).count() == len(urls)


def test_a_failing_save_is_reported_and_the_run_carries_on(
    loopback: Any, kit: Any, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed, urls = _one_outlet(loopback, kit)
    bad = urls[0]
    real = store.save_article

    def failing_save(processed: Any, *args: Any, **kwargs: Any) -> Any:
        if processed.article.url == bad:
            raise RuntimeError("database went away")
        return real(processed, *args, **kwargs)

    monkeypatch.setattr(store, "save_article", failing_save)
    report = fetch_feeds(config, [feed])
    assert any(bad in p for p in report.problems)
    stored = set(Article.objects.values_list("url", flat=True))
    assert set(urls) - stored == {bad}
    assert all(a.story_id for a in Article.objects.filter(url__in=urls))


def test_every_article_page_has_the_promised_parts(corpus: Corpus, client: Any) -> None:
    """Each of the demo's article pages: excerpt (not the full text), source link to the root
    origin, related articles, replies, back-to-top — and every story page renders."""
    for article in Article.objects.select_related("source"):
        response = client.get(f"/article/{article.pk}/")
        assert response.status_code == 200, article.url
        html = response.content.decode()
        origin = queries.origin_of(article)
        assert 'class="excerpt"' in html, article.url
        assert f'class="source-link" href="{origin.url}"' in html, article.url
        assert 'id="related"' in html and 'class="related-item"' in html, article.url
        assert 'id="replies"' in html and 'id="back-to-top"' in html, article.url
        sentences = [s for s in sentences_of(article.text) if len(s.split()) >= 6]
        shown = [s for s in sentences if escape(s) in html or s in html]
        assert len(shown) < len(sentences) / 2, f"{article.url} shows most of its text"
    for story_id in Article.objects.values_list("story_id", flat=True).distinct():
        assert client.get(f"/story/{story_id}/").status_code == 200
