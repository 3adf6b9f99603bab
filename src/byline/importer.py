"""`byline import`: articles from files rather than feeds — HTML pages (plain or .gz, or
folders of them) and JSONL article records. Each file goes through the same pure stages as a
fetched page; a bad file is reported with its reason and the rest carry on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from byline.config import Config
from byline.errors import ExtractionError, InputError, StoreError
from byline.extract.metadata import parse_datetime, read_meta
from byline.ingest import IngestReport, ProgressFn, _no_progress, judge_new
from byline.news import store
from byline.pipeline import Processed, process_article, process_page
from byline.records import Article, FetchResult
from byline.tools import HTML_SUFFIXES, html_files, read_bytes

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


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
    return result, process_page(body, url)


def _jsonl_items(path: Path) -> Iterator[tuple[str, Processed | InputError]]:
    text = read_bytes(path).decode("utf-8", errors="replace")
    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{path.name} line {line_no}"
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not data.get("url") or not data.get("text"):
                raise InputError(where, "needs at least 'url' and 'text'")
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
        except json.JSONDecodeError as exc:
            yield "", InputError(where, f"not valid JSON ({exc.msg})")
            continue
        except InputError as exc:
            yield "", exc
            continue
        yield str(data.get("source") or ""), process_article(article)


def import_paths(
    config: Config,
    paths: list[Path],
    source_name: str,
    kind: str,
    progress: ProgressFn = _no_progress,
) -> IngestReport:
    report = IngestReport()
    files = list(html_files(paths, HTML_SUFFIXES + JSONL_SUFFIXES))
    default_source = store.source_named(source_name, kind)
    for done, path in enumerate(files, start=1):
        if path.name.endswith(JSONL_SUFFIXES):
            _import_jsonl(path, default_source.name, kind, report)
        else:
            _import_html(path, default_source, report)
        progress("store", done, len(files))
    report.stories_created = judge_new(config, progress)
    return report


def _import_html(path: Path, source: object, report: IngestReport) -> None:
    try:
        result, processed = _html_item(path)
    except (OSError, EOFError, ValueError) as exc:
        report.problem(str(path), f"cannot read: {exc}")
        return
    except ExtractionError:
        report.problem(str(path), "no article text found")
        return
    try:
        if store.save_article(processed, source, result):  # type: ignore[arg-type]
            report.articles_added += 1
    except StoreError as exc:
        report.problem(str(path), str(exc))


def _import_jsonl(path: Path, default_source: str, kind: str, report: IngestReport) -> None:
    try:
        items = list(_jsonl_items(path))
    except (OSError, EOFError, ValueError) as exc:
        report.problem(str(path), f"cannot read: {exc}")
        return
    for name, item in items:
        if isinstance(item, InputError):
            report.problem(item.record, item.reason)
            continue
        source = store.source_named(name or default_source, kind)
        try:
            if store.save_article(item, source):
                report.articles_added += 1
        except StoreError as exc:
            report.problem(str(path), str(exc))
