"""Ingestion: fetch feeds and pages, run the pure stages, store the results.

This is where the network, the pipeline and the store meet; nothing else knows the order.
Progress is reported through a callback so the CLI can draw it; this module never prints.
A failing feed or page is recorded with its reason and the run carries on.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from byline.config import Config
from byline.errors import (
    BadContent,
    BlockedAddress,
    ExtractionError,
    FeedError,
    FetchError,
    HTTPStatusError,
    RobotsDisallowed,
    StoreError,
    TooLarge,
    UnsafeXML,
)
from byline.extract.boilerplate import learn_chrome
from byline.fetch.documents import read_source_document
from byline.fetch.http import Fetcher, FetchPolicy
from byline.fetch.schedule import DEFAULT, clamp, posting_interval, previous_interval
from byline.fetch.urls import canonical_url
from byline.fetch.warc import WarcWriter, archive_result, writer_for
from byline.judge import embeddings, stories
from byline.judge.entities import Entity as EntityRecord
from byline.news import registry, store
from byline.news.models import Article, Feed, Source
from byline.pipeline import (
    JudgeParams,
    Processed,
    entities_of,
    judge_incremental,
    process_fetched,
)
from byline.records import FeedEntry, FetchResult

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _never() -> bool:
    return False


def error_kind(exc: BaseException) -> str:
    """A short, stable name for why a fetch failed, for metrics and logs: ``http_404``,
    ``blocked_address``, ``too_large``, ``robots``, ``bad_content``, ``unsafe_xml``,
    ``feed``, ``extraction``, ``store``, ``network`` or ``unexpected``."""
    if isinstance(exc, HTTPStatusError):
        return f"http_{exc.status}"
    for kind, types in _ERROR_KINDS:
        if isinstance(exc, types):
            return kind
    return "unexpected"


_ERROR_KINDS: tuple[tuple[str, type[BaseException] | tuple[type[BaseException], ...]], ...] = (
    ("blocked_address", BlockedAddress),
    ("too_large", TooLarge),
    ("robots", RobotsDisallowed),
    ("bad_content", BadContent),
    ("unsafe_xml", UnsafeXML),
    ("network", FetchError),
    ("feed", FeedError),
    ("extraction", ExtractionError),
    ("store", StoreError),
)


@dataclass
class IngestReport:
    feeds_ok: int = 0
    feeds_failed: int = 0
    pages_fetched: int = 0
    articles_added: int = 0
    articles_updated: int = 0  # stored articles whose page changed: a new version each
    stories_created: int = 0
    problems: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)  # error_kind → count
    pages_left: int = 0  # pages listed but not fetched: the run was asked to stop
    judge_seconds: float = 0.0
    updated_ids: list[int] = field(default_factory=list, repr=False)

    def problem(self, where: str, reason: str, kind: str = "other") -> None:
        log.info("ingest problem", extra={"where": where, "reason": reason, "kind": kind})
        self.errors[kind] += 1
        self.problems.append(reason if reason.startswith(where) else f"{where}: {reason}")


def policy_from(config: Config) -> FetchPolicy:
    return FetchPolicy(
        user_agent=config.user_agent(),
        timeout=float(config.fetch_timeout),
        connect_timeout=float(config.connect_timeout),
        read_timeout=float(config.read_timeout),
        max_bytes=int(config.max_page_bytes),
        max_redirects=int(config.max_redirects),
        max_connections=int(config.fetch_workers),
        per_host=int(config.per_host_connections),
        host_delay=float(config.host_delay),
        retries=int(config.fetch_retries),
        retry_backoff=float(config.retry_backoff),
        max_retry_after=float(config.max_retry_after),
        allow=tuple(config.allow_private_hosts),
        obey_robots=bool(config.obey_robots),
        robots_ttl=float(config.robots_ttl),
    )


@dataclass(frozen=True)
class _Work:
    feed: Feed
    entry: FeedEntry
    again: bool = False  # stored already; fetched again because its feed entry changed


@dataclass(frozen=True)
class _Schedule:
    minimum: timedelta
    maximum: timedelta
    pause_after: int

    @classmethod
    def from_config(cls, config: Config) -> _Schedule:
        return cls(
            timedelta(minutes=float(config.feed_min_interval)),
            timedelta(minutes=float(config.feed_max_interval)),
            int(config.feed_failures_before_pause),
        )


def _conditional_headers(feed: Feed) -> dict[str, str]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _take_feed(
    feed: Feed,
    outcome: FetchResult | Exception,
    fetch: Callable[[str], FetchResult],
    schedule: _Schedule,
    report: IngestReport,
) -> list[FeedEntry]:
    """Parse one fetched feed (or sitemap: ``fetch`` reads an index's children) and record
    its health; a failure is recorded, never raised.

    The feed's validators (ETag, Last-Modified) are **not** stored here: a server would answer
    the next poll with 304 and the entries listed now would never be seen again if this run
    stopped before fetching their pages. ``_fetch_pages`` stores them once every page the feed
    listed has been taken (``registry.record_feed_validators``)."""
    try:
        if isinstance(outcome, Exception):
            raise outcome
        if outcome.status == 304:
            _record_not_modified(feed, schedule)
            report.feeds_ok += 1
            return []
        parsed = read_source_document(outcome, feed.kind, fetch=fetch)
    except (FetchError, FeedError) as exc:
        _record_failure(feed, exc, str(exc), schedule, report)
        return []
    except DATABASE_DOWN:  # no fault of the feed's: stops the run (see _take_page)
        raise
    except Exception as exc:  # a hostile feed must not stop the run
        log.exception("unexpected failure feed=%s", feed.url)
        _record_failure(feed, exc, f"unexpected {type(exc).__name__}: {exc}", schedule, report)
        return []
    status = f"ok: {len(parsed.entries)} entries" + (
        f" ({parsed.warning})" if parsed.warning else ""
    )
    interval = posting_interval(
        (e.published for e in parsed.entries), schedule.minimum, schedule.maximum
    )
    registry.record_feed_success(feed, parsed.title, parsed.format, "", "", status, interval)
    registry.note_websub_hub(feed, parsed.hub, parsed.self_url or feed.url)
    report.feeds_ok += 1
    return list(parsed.entries)


def _record_not_modified(feed: Feed, schedule: _Schedule) -> None:
    before = (
        None
        if feed.consecutive_failures
        else previous_interval(feed.last_fetched_at, feed.next_fetch_at)
    )
    interval = clamp(before or DEFAULT, schedule.minimum, schedule.maximum)
    registry.record_feed_success(
        feed, feed.title, feed.format, feed.etag, feed.last_modified, "304 not modified", interval
    )


def _record_failure(
    feed: Feed, exc: Exception, reason: str, schedule: _Schedule, report: IngestReport
) -> None:
    registry.record_feed_failure(feed, reason, schedule.pause_after)
    retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
    if retry_after:  # the server named a time: never come back before it
        registry.defer_feed(feed, timezone.now() + timedelta(seconds=retry_after))
    report.feeds_failed += 1
    report.problem(feed.url, reason, error_kind(exc))


def _canonical(entry: FeedEntry) -> FeedEntry:
    url = canonical_url(entry.url)
    return entry if url == entry.url else dataclasses.replace(entry, url=url)


def fetch_feeds(
    config: Config,
    feeds: Sequence[Feed],
    progress: ProgressFn = _no_progress,
    fetcher: Fetcher | None = None,
    stop: Callable[[], bool] = _never,
) -> IngestReport:
    """Fetch the feeds, then every new article they list, then judge what arrived.

    Requests run concurrently under the politeness limits (``Fetcher``); parsing, extraction
    and database writes happen here, on the calling thread, one at a time (lxml-based
    extraction is not safe to run concurrently).

    ``stop`` is asked between pages (``byline run`` on SIGTERM): once it says yes, the page
    in hand is finished and stored, the rest are left, and their feeds are marked due again
    without validators, so the next run lists and fetches them; nothing listed is lost. The
    articles stored so far are judged by the next run."""
    report = IngestReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher(policy_from(config))
    archive = writer_for(config.data_path, int(config.warc_max_bytes))
    try:
        schedule = _Schedule.from_config(config)
        work, validators = _fetch_feed_list(fetcher, feeds, schedule, report, progress, archive)
        _fetch_pages(fetcher, work, validators, report, progress, archive, stop)
    finally:
        archive.close()
        if own:
            fetcher.close()
    if report.pages_left:
        return report
    started = time.perf_counter()
    report.stories_created = judge_new(config, progress)
    report.judge_seconds = time.perf_counter() - started
    return report


def _fetch_feed_list(
    fetcher: Fetcher,
    feeds: Sequence[Feed],
    schedule: _Schedule,
    report: IngestReport,
    progress: ProgressFn,
    archive: WarcWriter,
) -> tuple[list[_Work], dict[int, tuple[Feed, str, str]]]:
    """Fetch every feed at once; returns the work, in feed order: the new entries, and the
    stored ones whose entry now gives another title or a later date (their page may have
    changed, so it is fetched again). Also returns, by feed id, the validators each feed
    that answered 200 sent, to be stored once its pages are taken."""
    entries: dict[int, list[FeedEntry]] = {}
    validators: dict[int, tuple[Feed, str, str]] = {}
    requests = [(n, feed.url, _conditional_headers(feed)) for n, feed in enumerate(feeds)]
    progress("feeds", 0, len(feeds))
    for done, (n, outcome) in enumerate(fetcher.fetch_all(requests), start=1):
        if isinstance(outcome, FetchResult) and outcome.body:
            archive_result(archive, outcome)
        listed = _take_feed(feeds[n], outcome, fetcher.get, schedule, report)
        entries[n] = [_with_feed_section(_canonical(e), feeds[n]) for e in listed]
        if isinstance(outcome, FetchResult) and outcome.status != 304:
            etag, modified = outcome.headers.get("etag", ""), outcome.headers.get("last-modified")
            if etag or modified:
                validators[feeds[n].pk] = (feeds[n], etag, modified or "")
        progress("feeds", done, len(feeds))
    work: list[_Work] = []
    queued: set[str] = set()  # URLs queued by an earlier entry
    for n, feed in enumerate(feeds):
        listed = entries.get(n, [])
        stored = store.listed_state(e.url for e in listed)
        for entry in listed:
            if entry.url in queued:
                continue
            known = stored.get(entry.url)
            if known is None or _listing_changed(entry, *known):
                queued.add(entry.url)
                work.append(_Work(feed, entry, again=known is not None))
    return work, validators


def _listing_changed(entry: FeedEntry, title: str, published: datetime | None) -> bool:
    """Whether a stored article's feed entry now says something new: another title, or a
    date later than the one it gave before."""
    if entry.title and " ".join(entry.title[:500].split()) != " ".join(title.split()):
        return True
    return bool(entry.published and published and entry.published > published)


def _with_feed_section(entry: FeedEntry, feed: Feed) -> FeedEntry:
    """A feed filed under a section (from an OPML folder, say) lends it to its entries."""
    if feed.section is None or feed.section.name in entry.categories:
        return entry
    return dataclasses.replace(entry, categories=(feed.section.name, *entry.categories))


class _SiteChrome:
    """Each source's boilerplate lines, learnt once per run from its stored articles."""

    def __init__(self) -> None:
        self._learnt: dict[int, frozenset[str]] = {}

    def of(self, source: Source) -> frozenset[str]:
        if source.pk not in self._learnt:
            self._learnt[source.pk] = learn_chrome(store.recent_article_texts(source))
        return self._learnt[source.pk]


def _fetch_pages(
    fetcher: Fetcher,
    work: list[_Work],
    validators: dict[int, tuple[Feed, str, str]],
    report: IngestReport,
    progress: ProgressFn,
    archive: WarcWriter,
    stop: Callable[[], bool] = _never,
) -> None:
    """Fetch and take every page of ``work``; a feed's validators are stored when its last
    page is taken. When ``stop`` says so, the pages not yet taken are left (each unfinished
    feed is made due again, validators cleared) and the run ends."""
    progress("pages", 0, len(work))
    chrome = _SiteChrome()
    waiting = Counter(item.feed.pk for item in work)
    for feed, etag, modified in validators.values():
        if not waiting[feed.pk]:
            registry.record_feed_validators(feed, etag, modified)
    requests = [(item, item.entry.url, None) for item in work]
    done = 0
    for item, outcome in fetcher.fetch_all(requests):
        if stop():
            break
        if isinstance(outcome, FetchResult):
            archive_result(archive, outcome)  # kept even when extraction fails
        _take_page(outcome, item, report, chrome.of(item.feed.source))
        done += 1
        waiting[item.feed.pk] -= 1
        if not waiting[item.feed.pk] and item.feed.pk in validators:
            registry.record_feed_validators(*validators[item.feed.pk])
        progress("pages", done, len(work))
    report.pages_left = len(work) - done
    if report.pages_left:
        unfinished = {item.feed.pk: item.feed for item in work if waiting[item.feed.pk] > 0}
        for feed in unfinished.values():
            registry.feed_unfinished(feed)
        log.info(
            "fetch stopped",
            extra={"pages_left": report.pages_left, "feeds_unfinished": len(unfinished)},
        )


def _take_page(
    outcome: FetchResult | Exception,
    item: _Work,
    report: IngestReport,
    chrome: frozenset[str] = frozenset(),
) -> None:
    """Extract and store one fetched page; any failure is reported and the run goes on.
    The page and its article are written in one transaction, so a failure leaves neither.

    The database going away is no fault of the page: the store is tried again once it is
    back (``DATABASE_RETRIES``), and when it stays away the error stops the run, before the
    page's feed could be marked as taken in full (its validators stored), so that no page
    is left behind for good."""
    try:
        if isinstance(outcome, Exception):
            raise outcome
        processed = process_fetched(outcome, item.entry, chrome=chrome)
        report.pages_fetched += 1
        for wait in (*DATABASE_RETRIES, None):
            try:
                _store_page(processed, outcome, item, report)
                break
            except DATABASE_DOWN as exc:
                if wait is None:
                    raise
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                log.warning("database error, trying again in %s s: %s", wait, first)
                connection.close()  # the next query opens a new connection
                time.sleep(wait)
    except DATABASE_DOWN:
        raise
    except (FetchError, ExtractionError, StoreError) as exc:
        report.problem(item.entry.url, str(exc), error_kind(exc))
    except Exception as exc:  # a hostile page must not stop the run
        log.exception("unexpected failure url=%s", item.entry.url)
        report.problem(item.entry.url, f"unexpected {type(exc).__name__}: {exc}", "unexpected")


# Connection-level database errors (a server restarting, a network gone): no page's fault.
DATABASE_DOWN = (OperationalError, InterfaceError)
DATABASE_RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds between tries: about 15 s in all


def _store_page(
    processed: Processed, outcome: FetchResult, item: _Work, report: IngestReport
) -> None:
    if item.again:
        # The version keeping the old values, the article's new ones and forgetting the
        # judgement they no longer match (its, and its copies') go together: a run killed
        # after it leaves the article changed and unjudged, for the next run to judge, as
        # that run does not fetch the page again (its feed entry is as stored now).
        with transaction.atomic():
            version = store.record_new_version(
                item.entry.url, processed, outcome, item.feed, item.entry
            )
            if version is not None:
                store.unjudge([version.article_id])
        if version is not None:
            report.articles_updated += 1
            report.updated_ids.append(version.article_id)
    elif store.save_article(processed, item.feed.source, outcome, item.feed, item.entry):
        report.articles_added += 1


ENTITY_BATCH = 64


def judge_new(config: Config, progress: ProgressFn = _no_progress) -> int:
    """Assign stories and provenance to every article that has none yet. One worker judges at
    a time (``store.judging``), so workers running at once never split a story in two.

    An article's named entities are stored in the transaction that judges it, so a worker
    killed at any moment leaves each article either judged with its names or unjudged, and
    the next run finds both. They take far longer than judging, so they are found first,
    outside the judging lock; only articles stored meanwhile are read under it."""
    waiting = store.unjudged_articles()
    if not waiting:
        return 0
    found = _entities(waiting, progress)
    with store.judging():
        new = store.unjudged_articles()
        if not new:
            return 0
        late = [a for a in new if _entity_key(a) not in found]
        if late:
            found.update(_entities(late, progress))
        progress("judge", 0, len(new))
        params = JudgeParams.from_config(config)
        context = store.judge_context(new, params.context_window)
        if params.story_embeddings:  # vectors stored by earlier judging, in any process
            embeddings.prime(bytes(a.story_vector) for a in context if a.story_vector)
        judgement = judge_incremental(
            [
                (store.judge_input(a), store.article_fingerprint(a), str(a.story_id))
                for a in context
            ],
            [(store.judge_input(a), store.article_fingerprint(a)) for a in new],
            params,
            context_origins=[
                str(a.provenance.origin_id) if a.provenance and a.provenance.origin_id else None
                for a in context
            ],
        )
        created = store.apply_judgement(
            new,
            judgement.stories,
            [*judgement.provenance, *judgement.revised],
            judgement.story_events,
        )
        store.save_entities([(a, found[_entity_key(a)]) for a in new])
        if params.story_embeddings:
            store.save_story_vectors(_story_vectors([*new, *context]))
    progress("judge", len(new), len(new))
    return created


def _story_vectors(articles: Sequence[Article]) -> list[tuple[Article, bytes]]:
    """The vectors judging computed or read for these articles, to store with them."""
    found = []
    for article in articles:
        value = embeddings.stored(stories.embedding_text(article.title, article.text))
        if value is not None:
            found.append((article, value))
    return found


def _entity_key(article: Article) -> tuple[int, str, str]:
    """An article as its entities were found: another worker may change its text between."""
    return article.pk, article.title, article.text_hash


def _entities(
    articles: Sequence[Article], progress: ProgressFn
) -> dict[tuple[int, str, str], tuple[EntityRecord, ...]]:
    """The people, places and organisations each article names, found in batches."""
    found: dict[tuple[int, str, str], tuple[EntityRecord, ...]] = {}
    for start in range(0, len(articles), ENTITY_BATCH):
        batch = articles[start : start + ENTITY_BATCH]
        for article, names in zip(
            batch, entities_of([store.judge_input(a) for a in batch]), strict=True
        ):
            found[_entity_key(article)] = tuple(names)
        progress("entities", start + len(batch), len(articles))
    return found
