"""`byline reprocess`: run the extractor again over the raw pages Byline kept, after it has
improved. An article whose extracted fields or fingerprints change keeps its row, id and URL
(links, replies and its page stay attached); the values it had are kept as a version (its
history), its new fields are written, and it is judged
again: its story and provenance, and those of any copy that named it as origin, are cleared
and assigned afresh. ``dry_run`` only reports what would change.

Pages fetched from a feed are re-extracted with a stand-in for the feed entry built from what
was stored (title, standfirst, author, date, section), so that a page whose own markup lacks
them keeps what the feed gave it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from byline.config import Config
from byline.errors import ExtractionError, StoreError
from byline.ingest import ProgressFn, _no_progress, judge_new
from byline.news import registry, store
from byline.news.models import Article
from byline.pipeline import Processed, process_fetched
from byline.records import FeedEntry, FetchResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    article_id: int
    url: str
    fields: tuple[str, ...]


@dataclass
class ReprocessReport:
    dry_run: bool = False
    pages: int = 0  # stored pages re-extracted
    changed: int = 0  # articles whose fields changed (or would, in a dry run)
    unchanged: int = 0
    failed: int = 0  # pages that no longer extract; their articles are left as they were
    rejudged: int = 0  # articles judged again: the changed ones and their copies
    stories_created: int = 0
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, where: str, reason: str) -> None:
        log.info("reprocess problem where=%s reason=%s", where, reason)
        self.problems.append(f"{where}: {reason}")


def reprocess(
    config: Config,
    source_slug: str | None = None,
    dry_run: bool = False,
    progress: ProgressFn = _no_progress,
) -> ReprocessReport:
    """Re-extract every stored page (of one source, when ``source_slug`` is given), update
    the articles that changed, then judge them again."""
    if source_slug and not registry.source_exists(source_slug):
        raise StoreError(f"no source has the slug {source_slug!r} (see `byline sources list`)")
    report = ReprocessReport(dry_run=dry_run)
    total = store.count_articles_with_pages(source_slug)
    progress("reprocess", 0, total)
    for done, article in enumerate(store.articles_with_pages(source_slug), start=1):
        _reprocess_one(article, report)
        progress("reprocess", done, total)
    if not dry_run:
        # Every unjudged article, not only this run's changes: a run killed after changing
        # articles left them unjudged, and they no longer change, so no later run would.
        report.rejudged = Article.objects.filter(story__isnull=True).count()
        if report.rejudged:
            report.stories_created = judge_new(config, progress)
    return report


def _reprocess_one(article: Article, report: ReprocessReport) -> None:
    page = article.page
    if page is None:
        return
    report.pages += 1
    try:
        processed = _extract(article)
    except ExtractionError:
        report.failed += 1
        report.problem(article.url, "no article text found now; the article is left as it was")
        return
    except Exception as exc:  # one hostile page must not stop the run
        log.exception("unexpected failure article=%s url=%s", article.pk, article.url)
        report.failed += 1
        report.problem(article.url, f"unexpected {type(exc).__name__}: {exc}")
        return
    # the page's date judged against when it was fetched, as its first save judged it: a
    # date after the fetch is no more believable now than it was then
    seen = store.first_seen(page.fetched_at)
    changes = store.extraction_changes(article, processed, seen)
    if not changes:
        report.unchanged += 1
        return
    report.changed += 1
    report.changes.append(Change(article.pk, article.url, tuple(changes)))
    if not report.dry_run:
        # The new fields, the version keeping the old ones, and forgetting the judgement
        # they no longer match (the article's, and its copies'), in one transaction: a run
        # killed at any moment leaves the article either as it was or changed and unjudged.
        with transaction.atomic():
            store.update_extraction(article, processed, changes, record_version=True)
            store.unjudge([article.pk])


def _extract(article: Article) -> Processed:
    page = article.page
    assert page is not None
    stored = FetchResult(
        url=page.url,
        final_url=page.final_url or article.url,
        status=page.status,
        headers=dict(page.headers),
        body=bytes(page.body),
        fetched_at=page.fetched_at,
    )
    return process_fetched(stored, _entry_from(article) if page.feed_id else None)


def _entry_from(article: Article) -> FeedEntry:
    """What the feed entry gave the article, as far as the stored article tells."""
    return FeedEntry(
        url=article.url,
        title=article.title,
        summary=article.standfirst,
        author=article.author,
        published=None if article.published_estimated else article.published,
        categories=(article.section.name,) if article.section else (),
    )
