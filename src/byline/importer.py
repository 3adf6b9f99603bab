"""`byline import`: articles from files rather than feeds — HTML pages (plain or .gz, or
folders of them), JSONL article records, and the HTML responses of WARC files (``.warc``,
``.warc.gz``: Common Crawl's CC-NEWS among them). Each page goes through the same pure stages
as a fetched page; a bad file or record is reported with its reason and the rest carry on."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from byline.config import Config
from byline.errors import ExtractionError, InputError, StoreError
from byline.extract.metadata import parse_datetime, read_meta
from byline.fetch.warc import WarcItem, WarcSkip, is_warc, read_warc
from byline.ingest import IngestReport, ProgressFn, _no_progress, judge_new
from byline.news import registry, store
from byline.news.models import Source
from byline.pipeline import Processed, process_article, process_fetched
from byline.records import Article, FetchResult
from byline.tools import HTML_SUFFIXES, html_files, load_json_line, read_bytes, wrong_types

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
DEFAULT_SOURCE = "Imported"
FIELDS = ("url", "text", "title", "standfirst", "author", "published", "language", "source")

log = logging.getLogger(__name__)


@dataclass
class ImportReport(IngestReport):
    """An ingest report, plus the WARC records that were not imported, counted by reason
    ("not HTML", "request record", "truncated record", "already stored" …)."""

    skipped: Counter[str] = field(default_factory=Counter)


class _Sources:
    """Where imported pages go: the named source for everything when a name is given;
    otherwise "Imported" for HTML files and JSONL records, and for WARC records a source per
    web host (CC-NEWS files mix many sites), reusing a source already on that domain."""

    def __init__(self, name: str | None, kind: str) -> None:
        self.name, self.kind = name, kind
        self._cache: dict[str, Source] = {}

    def default(self) -> Source:
        name = self.name or DEFAULT_SOURCE
        if name not in self._cache:
            self._cache[name] = registry.source_named(name, self.kind)
        return self._cache[name]

    def for_url(self, url: str) -> Source:
        host = urlsplit(url).netloc.lower()
        if self.name or not host:
            return self.default()
        key = f"host:{host}"
        if key not in self._cache:
            self._cache[key] = registry.source_for_url(url, "", self.kind)
        return self._cache[key]


def _html_item(path: Path) -> tuple[FetchResult, Processed]:
    body = read_bytes(path)
    url = read_meta(body).canonical or path.resolve().as_uri()
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    result = FetchResult(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html"},
        body=body,
        fetched_at=mtime,
    )
    return result, process_fetched(result)


def _jsonl_items(path: Path) -> Iterator[tuple[str, str, Processed | InputError]]:
    """(where, source name, the processed record or why it was refused) per line."""
    text = read_bytes(path).decode("utf-8", errors="replace")
    first_line: dict[str, int] = {}
    # Lines end at "\n" only: str.splitlines() would also cut at U+2028, U+0085 and the like,
    # which JSON strings may hold as they are.
    for line_no, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        where = f"{path.name} line {line_no}"
        try:
            data = load_json_line(where, raw)
            if not isinstance(data, dict) or not data.get("url") or not data.get("text"):
                raise InputError(where, "needs at least 'url' and 'text'")
            wrong = wrong_types(data, FIELDS)
            if wrong:
                raise InputError(where, wrong)
            if not data["text"].strip():
                raise InputError(where, "'text' is blank")
            if data["url"] in first_line:
                earlier = first_line[data["url"]]
                raise InputError(where, f"same url as line {earlier}; the first kept")
            first_line[data["url"]] = line_no
            article = Article(
                url=str(data["url"]),
                canonical_url=str(data["url"]),
                title=str(data.get("title") or data["url"]),
                standfirst=str(data.get("standfirst") or ""),
                author=str(data.get("author") or ""),
                published=parse_datetime(str(data.get("published") or "")),
                language=str(data.get("language") or ""),
                text=str(data["text"]),
            )
        except InputError as exc:
            yield where, "", exc
            continue
        yield where, str(data.get("source") or ""), process_article(article)


def import_paths(
    config: Config,
    paths: list[Path],
    source_name: str | None,
    kind: str,
    progress: ProgressFn = _no_progress,
) -> ImportReport:
    """Import files and folders. ``source_name`` names the source of every page; None means
    "Imported" for HTML and JSONL, and a source per host for WARC records."""
    report = ImportReport()
    files = list(html_files(paths, HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES))
    sources = _Sources(source_name, kind)
    for done, path in enumerate(files, start=1):
        if is_warc(path):
            _import_warc(path, sources, report, progress)
        elif path.name.endswith(JSONL_SUFFIXES):
            _import_jsonl(path, sources.default().name, kind, report)
        else:
            _import_html(path, sources.default(), report)
        progress("store", done, len(files))
    report.stories_created = judge_new(config, progress)
    return report


def _import_html(path: Path, source: Source, report: IngestReport) -> None:
    try:
        result, processed = _html_item(path)
    except (OSError, EOFError, ValueError) as exc:
        report.problem(str(path), f"cannot read: {exc}")
        return
    except ExtractionError:
        report.problem(str(path), "no article text found")
        return
    try:
        if store.save_article(processed, source, result):
            report.articles_added += 1
    except StoreError as exc:
        report.problem(str(path), str(exc))


def _import_jsonl(path: Path, default_source: str, kind: str, report: IngestReport) -> None:
    try:
        items = list(_jsonl_items(path))
    except (OSError, EOFError, ValueError) as exc:
        report.problem(str(path), f"cannot read: {exc}")
        return
    for where, name, item in items:
        if isinstance(item, InputError):
            report.problem(item.record, item.reason)
            continue
        source = registry.source_named(name or default_source, kind)
        try:
            if store.save_article(item, source):
                report.articles_added += 1
        except StoreError as exc:
            report.problem(where, str(exc))


def _import_warc(path: Path, sources: _Sources, report: ImportReport, progress: ProgressFn) -> None:
    """Every HTML response of a WARC file, through the same stages as a fetched page; the
    WARC date and target URI become the page's fetch time and URL."""
    try:
        records = read_warc(path)
        size = max(path.stat().st_size, 1)
    except (InputError, OSError) as exc:
        report.problem(str(path), exc.reason if isinstance(exc, InputError) else str(exc))
        return
    for n, item in enumerate(records, start=1):
        if isinstance(item, WarcSkip):
            report.skipped[item.reason] += 1
            if item.broken:
                detail = f" ({item.detail})" if item.detail else ""
                report.problem(f"{path.name} {item.where}", f"{item.reason}{detail}")
        else:
            _import_warc_page(path, item, sources, report)
        if n % 25 == 0:
            progress("warc", min(item.offset, size), size)
    progress("warc", size, size)


def _import_warc_page(path: Path, item: WarcItem, sources: _Sources, report: ImportReport) -> None:
    result = item.result
    url = result.final_url or result.url
    where = f"{path.name} offset {item.offset} {url}"
    report.pages_fetched += 1
    try:
        processed = process_fetched(result)
        if store.save_article(processed, sources.for_url(url), result):
            report.articles_added += 1
        else:
            report.skipped["already stored"] += 1
    except ExtractionError:
        report.problem(where, "no article text found")
    except StoreError as exc:
        report.problem(where, str(exc))
    except Exception as exc:  # a hostile page must not stop the import
        log.exception("unexpected failure file=%s offset=%s url=%s", path, item.offset, url)
        report.problem(where, f"unexpected {type(exc).__name__}: {exc}")
