"""Sources by hand: feed discovery from a home page, and single article URLs.

The network, the pure stages and the store meet here for `byline sources discover` and
`byline sources add-url`, as they do in ``byline.ingest`` for feeds (whose fetch policy and
judge step this reuses). Nothing here prints; a failing URL is reported and the rest go on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from byline.config import Config
from byline.errors import BylineError, ExtractionError, FeedError, FetchError, StoreError
from byline.fetch.discover import FoundFeed, discover_feeds, suggestions
from byline.fetch.documents import parse_source_document
from byline.fetch.http import Fetcher
from byline.fetch.warc import WarcWriter, archive_result, writer_for
from byline.ingest import judge_new, policy_from
from byline.news import registry, store
from byline.pipeline import process_fetched

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Discovery:
    url: str  # the page as finally fetched (after redirects)
    feeds: list[FoundFeed]
    suggestions: list[str]  # common paths, not fetched: for when ``feeds`` is empty
    is_feed: bool = False  # the URL itself is a feed or sitemap


def _http_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise BylineError(f"{url}: give an http:// or https:// URL")
    return url.strip()


def discover(config: Config, page_url: str, fetcher: Fetcher | None = None) -> Discovery:
    """Fetch a home page and list the feeds it links with ``<link rel="alternate">``. When
    the URL is itself a feed or sitemap, that is the one feed found."""
    url = _http_url(page_url)
    own = fetcher is None
    fetcher = fetcher or Fetcher(policy_from(config))
    try:
        result = fetcher.get(url)
    finally:
        if own:
            fetcher.close()
    final = result.final_url or url
    feeds = discover_feeds(result.body, final)
    if feeds or "html" in result.content_type:
        return Discovery(final, feeds, [] if feeds else suggestions(final))
    try:
        parsed = parse_source_document(result.body, final, result.content_type)
    except FeedError:
        return Discovery(final, [], suggestions(final))
    kind = "sitemap" if "sitemap" in parsed.format else parsed.format
    return Discovery(final, [FoundFeed(final, parsed.title, kind)], [], is_feed=True)


@dataclass
class UrlReport:
    fetched: int = 0
    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)  # stored already; not fetched again
    problems: list[str] = field(default_factory=list)
    stories_created: int = 0


def fetch_urls(
    config: Config,
    urls: Sequence[str],
    source_name: str = "",
    kind: str = "outlet",
    fetcher: Fetcher | None = None,
) -> UrlReport:
    """Fetch single article pages, extract and store each (with its raw page), then judge
    what arrived. An article's source is ``source_name`` when given, else the source whose
    domain the URL has, else a new one named by the domain."""
    report = UrlReport()
    wanted = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    known = store.known_article_urls(wanted)
    own = fetcher is None
    fetcher = fetcher or Fetcher(policy_from(config))
    archive = writer_for(config.data_path, int(config.warc_max_bytes))
    try:
        for url in wanted:
            if url in known:
                report.known.append(url)
                continue
            _fetch_one(fetcher, archive, url, source_name, kind, report)
    finally:
        archive.close()
        if own:
            fetcher.close()
    if report.added:
        report.stories_created = judge_new(config)
    return report


def _fetch_one(
    fetcher: Fetcher, archive: WarcWriter, url: str, source_name: str, kind: str, report: UrlReport
) -> None:
    try:
        result = fetcher.get(_http_url(url))
        archive_result(archive, result)
        processed = process_fetched(result)
        report.fetched += 1
        source = registry.source_for_url(url, source_name, kind)
        if store.save_article(processed, source, result):
            report.added.append(url)
        else:
            report.known.append(url)
    except (FetchError, ExtractionError, StoreError) as exc:
        report.problems.append(str(exc) if str(exc).startswith(url) else f"{url}: {exc}")
    except BylineError as exc:
        report.problems.append(str(exc))
    except Exception as exc:  # a hostile page must not stop the others
        log.exception("unexpected failure url=%s", url)
        report.problems.append(f"{url}: unexpected {type(exc).__name__}: {exc}")
