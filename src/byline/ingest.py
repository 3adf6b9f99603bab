"""Ingestion: fetch feeds and pages, run the pure stages, store the results.

This is where the network, the pipeline and the store meet; nothing else knows the order.
Progress is reported through a callback so the CLI can draw it; this module never prints.
A failing feed or page is recorded with its reason and the run carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta

from byline.config import Config
from byline.errors import ExtractionError, FeedError, FetchError, StoreError
from byline.fetch.feeds import parse_feed
from byline.fetch.http import Fetcher, FetchPolicy
from byline.news import store
from byline.news.models import Feed, Source
from byline.pipeline import JudgeParams, Processed, judge_incremental, process_page
from byline.records import FeedEntry, FetchResult

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class IngestReport:
    feeds_ok: int = 0
    feeds_failed: int = 0
    pages_fetched: int = 0
    articles_added: int = 0
    stories_created: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, where: str, reason: str) -> None:
        log.info("ingest problem where=%s reason=%s", where, reason)
        self.problems.append(reason if reason.startswith(where) else f"{where}: {reason}")


def policy_from(config: Config) -> FetchPolicy:
    return FetchPolicy(
        user_agent=config.user_agent(),
        timeout=float(config.fetch_timeout),
        connect_timeout=float(config.connect_timeout),
        max_bytes=int(config.max_page_bytes),
        max_redirects=int(config.max_redirects),
    )


@dataclass(frozen=True)
class _Work:
    feed: Feed
    entry: FeedEntry


def _fetch_feed(
    fetcher: Fetcher, feed: Feed, report: IngestReport, pause_after: int
) -> list[FeedEntry]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        result = fetcher.get(feed.url, headers=headers)
        if result.status == 304:
            store.record_feed_success(
                feed, feed.title, feed.format, feed.etag, feed.last_modified, "304 not modified"
            )
            report.feeds_ok += 1
            return []
        parsed = parse_feed(result.body, feed.url, result.headers.get("content-type", ""))
    except (FetchError, FeedError) as exc:
        store.record_feed_failure(feed, str(exc), pause_after)
        report.feeds_failed += 1
        report.problem(feed.url, str(exc))
        return []
    status = f"ok: {len(parsed.entries)} entries" + (
        f" ({parsed.warning})" if parsed.warning else ""
    )
    store.record_feed_success(
        feed,
        parsed.title,
        parsed.format,
        result.headers.get("etag", ""),
        result.headers.get("last-modified", ""),
        status,
    )
    report.feeds_ok += 1
    return list(parsed.entries)


def _process(result: FetchResult, work: _Work) -> Processed:
    return process_page(result.body, result.final_url or work.entry.url, work.entry)


def fetch_feeds(
    config: Config,
    feeds: Sequence[Feed],
    progress: ProgressFn = _no_progress,
    fetcher: Fetcher | None = None,
) -> IngestReport:
    """Fetch the feeds, then every new article they list, then judge what arrived."""
    report = IngestReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher(policy_from(config))
    try:
        work: list[_Work] = []
        skip: set[str] = set()  # URLs stored already, or queued by an earlier entry
        for done, feed in enumerate(feeds, start=1):
            entries = _fetch_feed(fetcher, feed, report, int(config.feed_failures_before_pause))
            skip |= store.known_article_urls(e.url for e in entries)
            for entry in entries:
                if entry.url not in skip:
                    skip.add(entry.url)
                    work.append(_Work(feed, entry))
            progress("feeds", done, len(feeds))
        _fetch_pages(config, fetcher, work, report, progress)
    finally:
        if own:
            fetcher.close()
    report.stories_created = judge_new(config, progress)
    return report


def _fetch_pages(
    config: Config, fetcher: Fetcher, work: list[_Work], report: IngestReport, progress: ProgressFn
) -> None:
    progress("pages", 0, len(work))
    with ThreadPoolExecutor(max_workers=int(config.fetch_workers)) as pool:
        # Only the network waits run in threads: lxml-based extraction is not safe to run
        # concurrently (it crashed the process in testing), so it runs here, one at a time.
        futures: dict[Future[FetchResult], _Work] = {
            pool.submit(fetcher.get, item.entry.url): item for item in work
        }
        for done, future in enumerate(as_completed(futures), start=1):
            item = futures[future]
            _take_page(future, item, report)
            progress("pages", done, len(work))


def _take_page(future: Future[FetchResult], item: _Work, report: IngestReport) -> None:
    """Extract and store one fetched page; any failure is reported and the run goes on.
    The page and its article are written in one transaction, so a failure leaves neither."""
    try:
        result = future.result()
        processed = _process(result, item)
        report.pages_fetched += 1
        if store.save_article(processed, item.feed.source, result, item.feed):
            report.articles_added += 1
    except (FetchError, ExtractionError, StoreError) as exc:
        report.problem(item.entry.url, str(exc))
    except Exception as exc:  # a hostile page must not stop the run
        log.exception("unexpected failure url=%s", item.entry.url)
        report.problem(item.entry.url, f"unexpected {type(exc).__name__}: {exc}")


def judge_new(config: Config, progress: ProgressFn = _no_progress) -> int:
    """Assign stories and provenance to every article that has none yet."""
    new = store.unjudged_articles()
    if not new:
        return 0
    progress("judge", 0, len(new))
    context = store.judge_context(new, timedelta(hours=float(config.story_window_hours)))
    judgement = judge_incremental(
        [(store.judge_input(a), store.article_fingerprint(a), str(a.story_id)) for a in context],
        [(store.judge_input(a), store.article_fingerprint(a)) for a in new],
        JudgeParams.from_config(config),
    )
    created = store.apply_judgement(new, judgement.stories, judgement.provenance)
    progress("judge", len(new), len(new))
    return created


def import_articles(
    config: Config,
    items: Sequence[tuple[FetchResult | None, Processed]],
    source: Source,
    progress: ProgressFn = _no_progress,
) -> IngestReport:
    """Store already-extracted articles (from files; the raw page is kept when there is one),
    then judge them."""
    report = IngestReport()
    for done, (raw, processed) in enumerate(items, start=1):
        if store.save_article(processed, source, raw):
            report.articles_added += 1
        progress("store", done, len(items))
    report.stories_created = judge_new(config, progress)
    return report
