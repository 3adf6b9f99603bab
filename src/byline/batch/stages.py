"""The per-record map of a batch run (pure, apart from reading its input file): WARC or JSONL
records in, ``ArticleRow`` or ``Skip`` out, through the same functions the online pipeline
uses (``fetch.warc`` readers, ``pipeline.process_fetched`` / ``process_article``, which
fingerprint with ``judge.fingerprint``).

A bad record never raises: it becomes a ``Skip`` with a short reason to count by. Only the
global steps (``batch.steps``) see more than one record.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from datasketch import MinHash

from byline.errors import ExtractionError, InputError
from byline.fetch.warc import WarcSkip, read_warc
from byline.judge.fingerprint import SCHEME
from byline.judge.provenance import lsh_params
from byline.pipeline import Processed, process_article, process_fetched
from byline.records import Article, FetchResult, Fingerprint
from byline.tools import Report, read_bytes, read_judge_inputs

from .rows import ArticleRow, Skip

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
BAND_THRESHOLD = 0.3  # Jaccard at which MinHash banding makes two articles candidates
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(hours=1)
SOURCE_KINDS = frozenset({"outlet", "wire", "aggregator"})
MIN_IMMUTABLES = 5  # fewer names, numbers and quotes than this: no immutables bands
MAX_REPLACEMENT_SHARE = 0.005  # more U+FFFD than this share of the text: a broken encoding


@dataclass(frozen=True)
class MapOptions:
    """What the per-record map needs besides the record."""

    wire_hosts: frozenset[str] = frozenset()  # hosts whose pages are a wire agency's
    num_perm: int = 64
    entities: bool = False  # also find the people, places and organisations (spaCy)

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) for the MinHash size, as datasketch's LSH chooses them."""
        return lsh_params(BAND_THRESHOLD, self.num_perm)  # once per process, not per record


def input_kind(name: str) -> str:
    lower = name.lower()
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return ""


def is_local_path(name: str) -> bool:
    """Whether an input or output names this machine's files (a path, ``file:`` URI or a
    Windows drive) rather than a Hadoop URI (``hdfs://``, ``s3a://`` …)."""
    scheme = urlsplit(name).scheme
    return scheme in {"", "file"} or len(scheme) == 1


def local_path(name: str) -> str:
    """The file path of a local name (a ``file:`` URI's path, else the name itself)."""
    return urlsplit(name).path if name.startswith("file:") else name


def read_input(path: str, options: MapOptions, name: str = "") -> Iterator[ArticleRow | Skip]:
    """Every record of one input file (WARC or article JSONL), as an article or a skip.
    ``name`` labels the rows (the input as named on the command line or by the cluster);
    ``path`` is where the bytes are on this machine."""
    for item in raw_records(path, options, name):
        yield finish(item, options)


def read_input_bytes(name: str, data: bytes, options: MapOptions) -> Iterator[ArticleRow | Skip]:
    """The same, for a file handed over as bytes (Spark's ``binaryFiles`` on a Hadoop URI):
    it is spooled to a local temporary file so that the readers can seek in it."""
    suffix = ".warc.gz" if name.lower().endswith(".gz") else ".warc"
    if input_kind(name) == "jsonl":
        suffix = ".jsonl.gz" if name.lower().endswith(".gz") else ".jsonl"
    handle, temp = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        yield from read_input(temp, options, name)
    finally:
        os.unlink(temp)


# ── WARC ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RawPage:
    """An HTML response read from a WARC file, before extraction (what Spark repartitions
    when there are fewer files than cores)."""

    result: FetchResult
    name: str
    offset: int


def raw_records(
    path: str, options: MapOptions, name: str = ""
) -> Iterator[RawPage | ArticleRow | Skip]:
    """The cheap half of ``read_input``: WARC responses still to extract; JSONL records come
    out finished (they need no extraction)."""
    name = name or path
    kind = input_kind(name)
    if kind == "warc":
        yield from _warc_pages(path, name)
    elif kind == "jsonl":
        yield from _jsonl_rows(path, name, options)
    else:
        yield Skip("not a WARC or JSONL file", name)


def finish(item: RawPage | ArticleRow | Skip, options: MapOptions) -> ArticleRow | Skip:
    """The expensive half: extract and fingerprint a raw page."""
    if isinstance(item, RawPage):
        return warc_row(item.result, item.name, item.offset, options, options.bands)
    return item


def _warc_pages(path: str, name: str) -> Iterator[RawPage | Skip]:
    try:
        records = read_warc(path)
    except InputError as exc:
        yield Skip("cannot read file", f"{name}: {exc.reason}")
        return
    try:
        for item in records:
            if isinstance(item, WarcSkip):
                yield Skip(item.reason, f"{name} {item.where}")
            else:
                yield RawPage(item.result, name, item.offset)
    except Exception as exc:  # the reader should not raise; a damaged file must not stop a job
        log.warning("warc reader failed file=%s error=%s", name, exc)
        yield Skip("broken archive", f"{name}: {type(exc).__name__}")


def warc_row(
    result: FetchResult, name: str, offset: int, options: MapOptions, bands: tuple[int, int]
) -> ArticleRow | Skip:
    """One HTML response through the per-record stages, as a fetched page is."""
    where = f"{name} offset {offset} {result.final_url or result.url}"
    try:
        processed = process_fetched(result)
    except ExtractionError:
        return Skip("no article text found", where)
    except Exception as exc:  # a hostile page must not stop the job
        log.warning("extraction failed where=%s error=%r", where, exc)
        return Skip(f"extraction failed ({type(exc).__name__})", where)
    url = processed.article.url
    host = urlsplit(url).netloc.lower()
    kind = "wire" if host in options.wire_hosts else "outlet"
    source = host.removeprefix("www.") or "unknown"
    return make_row(
        processed,
        source,
        kind,
        result.fetched_at,
        name,
        offset,
        bands,
        where,
        find_entities=options.entities,
    )


def make_row(
    processed: Processed,
    source: str,
    source_kind: str,
    fetched_at: datetime | None,
    name: str,
    offset: int,
    bands: tuple[int, int],
    where: str,
    article_id: str = "",
    find_entities: bool = False,
) -> ArticleRow | Skip:
    article, fp = processed.article, processed.fingerprint
    if _broken_encoding(article.text):
        return Skip("broken encoding", where)
    found = _entities(article.title, article.text, where) if find_entities else ()
    published, estimated = plausible_date(article.published, fetched_at)
    return ArticleRow(
        id=article_id or url_id(article.url),
        url=article.url,
        canonical_url=article.canonical_url,
        source=source,
        source_kind=source_kind,
        title=article.title,
        standfirst=article.standfirst,
        author=article.author,
        published=published,
        published_estimated=estimated,
        language=article.language,
        text=article.text,
        image=article.image,
        section=processed.section.slug,
        word_count=len(article.text.split()),
        text_hash=fp.text_hash,
        minhash=fp.minhash,
        sentence_hashes=fp.sentence_hashes,
        immutables=fp.immutables,
        terms=dict(fp.terms),
        fetched_at=fetched_at,
        input_file=name,
        input_offset=offset,
        bands=band_keys("t", fp.minhash, *bands) + band_keys("i", immutables_minhash(fp), *bands),
        entities=found,
    )


def _entities(title: str, text: str, where: str) -> tuple[tuple[str, int], ...]:
    """The entities an article names, as (``KIND:Name``, mentions). A missing model is the
    caller's to check before the job (``entities.available``); a page that trips spaCy up
    gets none, and the job goes on."""
    from byline.judge import entities

    try:
        return tuple((e.key, e.mentions) for e in entities.extract(title, text))
    except entities.EntityModelMissing:
        raise
    except Exception as exc:  # a hostile page must not stop the job
        log.warning("entities failed where=%s error=%r", where, exc)
        return ()


def url_id(url: str) -> str:
    """An article's id in a batch: stable for its URL, whichever engine or machine made it."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def plausible_date(
    published: datetime | None, seen: datetime | None
) -> tuple[datetime | None, bool]:
    """The article's date and whether it is estimated. A missing date, one before 1990, or
    one after the page was fetched (beyond clock skew) is replaced by the fetch time."""
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    if published is not None:
        published = published.astimezone(UTC)
        latest = seen + FUTURE_SLACK if seen is not None else None
        if published >= EARLIEST_DATE and (latest is None or published <= latest):
            return published, False
    return (seen.astimezone(UTC) if seen is not None else None), True


def _broken_encoding(text: str) -> bool:
    bad = text.count("\ufffd")
    return bad > 0 and bad > MAX_REPLACEMENT_SHARE * len(text)


def immutables_minhash(fp: Fingerprint) -> tuple[int, ...]:
    """A MinHash of the article's names, numbers and quotations, which a spun copy keeps
    while it changes words in nearly every sentence (and so most of the text's shingles).
    Empty for articles with too few of them to tell copies apart."""
    if len(fp.immutables) < MIN_IMMUTABLES:
        return ()
    sketch = MinHash(
        num_perm=len(fp.minhash) or 64,
        scheme=SCHEME,
        permutations=_permutations(len(fp.minhash) or 64),
    )
    sketch.update_batch([value.encode("utf-8") for value in fp.immutables])
    return tuple(int(v) for v in sketch.hashvalues)


@functools.cache
def _permutations(num_perm: int = 64) -> Any:
    return MinHash(num_perm=num_perm, scheme=SCHEME).permutations


def band_keys(kind: str, minhash: tuple[int, ...], bands: int, rows: int) -> tuple[str, ...]:
    """The LSH band hashes of a MinHash (``kind`` t: text, i: immutables): two articles
    sharing one are copy candidates."""
    if not minhash:
        return ()
    keys = []
    for band in range(bands):
        values = minhash[band * rows : (band + 1) * rows]
        if len(values) < rows:
            break
        digest = hashlib.sha1(",".join(map(str, values)).encode("ascii")).hexdigest()[:16]
        keys.append(f"{kind}{band}:{digest}")
    return tuple(keys)


# ── JSONL ─────────────────────────────────────────────────────────────────────────────────


def _jsonl_rows(path: str, name: str, options: MapOptions) -> Iterator[ArticleRow | Skip]:
    """Article records in the format of `byline cluster` / `byline provenance`, read by the
    same parser (``tools.read_judge_inputs``)."""
    bands = options.bands
    try:
        text = read_bytes(Path(path)).decode("utf-8", errors="replace")
    except (OSError, EOFError, ValueError) as exc:
        yield Skip("cannot read file", f"{name}: {exc}")
        return
    errors = io.StringIO()
    rows = read_judge_inputs(io.StringIO(text), errors, Report())
    for line, (row_id, record) in enumerate(rows, start=1):
        where = f"{name} record {line} (id {row_id})"
        if record is None:
            yield Skip("bad JSONL record", where)
            continue
        article = Article(
            url=record.url,
            canonical_url=record.url,
            title=record.title,
            standfirst=record.standfirst,
            author="",
            published=record.published,
            language="",
            text=record.text,
        )
        try:
            processed = process_article(article)
        except Exception as exc:  # a hostile record must not stop the job
            yield Skip(f"fingerprint failed ({type(exc).__name__})", where)
            continue
        source = record.source or urlsplit(record.url).netloc.lower().removeprefix("www.")
        kind = record.source_kind if record.source_kind in SOURCE_KINDS else "outlet"
        yield make_row(
            processed,
            source or "unknown",
            kind,
            None,
            name,
            line,
            bands,
            where,
            record.id,
            find_entities=options.entities,
        )
