"""Ingestion's database writes and the reads it needs, named by what they do: sources and
feeds, fetched pages and articles, and judgements (stories and provenance).

Pipeline stages never import this; the ingester, the importer and the CLI do. Writes that
belong together run in one transaction, so a crash leaves either all of them or none.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from byline.errors import StoreError
from byline.judge import provenance
from byline.judge.entities import Entity as EntityRecord
from byline.judge.fingerprint import fingerprint as compute_fingerprint
from byline.judge.provenance import is_presumed
from byline.judge.stories import StoryEvent, story_headline
from byline.news.models import (
    Article,
    ArticleEntity,
    ArticleVersion,
    Entity,
    Feed,
    Page,
    Relation,
    Section,
    Source,
    Story,
    StoryAlias,
)
from byline.pipeline import Processed
from byline.records import (
    FeedEntry,
    FetchResult,
    Fingerprint,
    JudgeInput,
    Provenance,
    StoryAssignment,
)

log = logging.getLogger(__name__)

SAFE_SCHEMES = frozenset({"http", "https", "file"})  # article URLs are rendered as links


# ── pages and articles ────────────────────────────────────────────────────────────────────


def known_article_urls(urls: Iterable[str]) -> set[str]:
    wanted = list(urls)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(Article.objects.filter(url__in=chunk).values_list("url", flat=True))
    return found


def save_page(result: FetchResult, source: Source | None, feed: Feed | None) -> Page:
    digest = hashlib.sha256(result.body).hexdigest()
    page, _ = Page.objects.get_or_create(
        url=result.url,
        sha256=digest,
        defaults={
            "final_url": result.final_url,
            "status": result.status,
            "headers": result.headers,
            "body": result.body,
            "fetched_at": result.fetched_at,
            "source": source,
            "feed": feed,
        },
    )
    return page


EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(hours=1)


def plausible_date(published: datetime | None, now: datetime) -> datetime:
    """The article's date when it is believable; otherwise the first-seen time (``now``).
    A date in the future (clock skew aside) or before 1990 is a parsing accident."""
    if published is None or not EARLIEST_DATE <= published <= now + FUTURE_SLACK:
        return now
    return published


def first_seen(fetched_at: datetime | None) -> datetime:
    """When Byline first saw a page: its fetch time (the WARC-Date of an archived response,
    a saved file's modification time, the moment of a live fetch), or now when there is none
    or it is not believable. An undated article is dated by it (``published_estimated``), as
    the batch engines date one (``batch.stages.plausible_date``): dated at import time
    instead, an archive's undated pages sat years from their events and no story or copy
    group could meet them (BENCHMARKS.md, "Undated pages")."""
    return plausible_date(fetched_at, timezone.now())


def _section(slug: str) -> Section | None:
    return Section.objects.filter(slug=slug).first()


def save_article(
    processed: Processed,
    source: Source,
    result: FetchResult | None = None,
    feed: Feed | None = None,
    entry: FeedEntry | None = None,
) -> Article | None:
    """Store a fetched page and its article atomically. Returns None when the URL is known.
    ``entry``, the feed entry that listed it, is remembered to notice when the page changes."""
    art = processed.article
    for url in (art.url, art.canonical_url):
        if "\x00" in url:
            raise StoreError(f"refusing article URL with a NUL character: {url[:80]!r}")
        if url and urlsplit(url).scheme.lower() not in SAFE_SCHEMES:
            raise StoreError(
                f"refusing article URL with scheme {urlsplit(url).scheme!r}: {url[:80]}"
            )
    try:
        return _create_article(processed, source, result, feed, entry)
    except IntegrityError as exc:
        if Article.objects.filter(url=art.url).exists():
            return None  # another worker stored the same URL a moment earlier
        raise StoreError(f"{art.url}: the database refused the article ({exc})") from None


def _create_article(
    processed: Processed,
    source: Source,
    result: FetchResult | None,
    feed: Feed | None,
    entry: FeedEntry | None = None,
) -> Article | None:
    art = processed.article
    with transaction.atomic():
        if Article.objects.filter(url=art.url).exists():
            return None
        page = save_page(result, source, feed) if result is not None else None
        seen = first_seen(result.fetched_at if result is not None else None)
        values = _extraction_values(processed, seen)
        if "published" not in values:  # no believable date: the first-seen time, marked so
            values["published"], values["published_estimated"] = seen, True
        article = Article.objects.create(
            source=source, page=page, url=art.url, **values, **_listed_values(entry)
        )
        _index_for_search(article)
    return article


def _index_for_search(article: Article) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO news_article_fts(rowid, title, standfirst, text) VALUES (%s,%s,%s,%s)",
                [article.pk, article.title, article.standfirst, article.text],
            )


# ── judgement ─────────────────────────────────────────────────────────────────────────────


def judge_input(article: Article) -> JudgeInput:
    """The judge's view of a stored article. An outlet flagged a content farm by its tally is
    judged as a farm (``provenance.FARM``): its verbatim copies are scrapes, never licensed
    carriage, but a page of it that shares no text is not presumed a copy, as an aggregator's
    is: the flag is counted, not declared, and an outlet that rewords others' reports still
    writes its own."""
    kind = article.source.kind
    if article.source.content_farm and kind == "outlet":
        kind = provenance.FARM
    return JudgeInput(
        id=str(article.pk),
        url=article.url,
        source=article.source.slug,
        title=article.title,
        text=article.text,
        published=article.published,
        source_kind=kind,
        standfirst=article.standfirst,
    )


def article_fingerprint(article: Article) -> Fingerprint:
    if article.fingerprints.get("minhash"):
        return Fingerprint.from_json(article.fingerprints)
    return compute_fingerprint(article.title, article.text)


def unjudged_articles() -> list[Article]:
    return list(
        Article.objects.select_related("source")
        .filter(story__isnull=True)
        .order_by("published", "id")
    )


def judge_context(new: Sequence[Article], window: timedelta) -> list[Article]:
    """Judged articles published within the window around the new ones."""
    if not new:
        return []
    start = min(a.published for a in new) - window
    end = max(a.published for a in new) + window
    return list(
        Article.objects.select_related("source", "relation")
        .filter(story__isnull=False, published__gte=start, published__lte=end)
        .order_by("published", "id")
    )


def save_story_vectors(values: Sequence[tuple[Article, bytes]]) -> None:
    """Store articles' headline-and-lead vectors (``byline.judge.embeddings.stored``)."""
    changed = []
    for article, value in values:
        if article.story_vector is None or bytes(article.story_vector) != value:
            article.story_vector = value
            changed.append(article)
    Article.objects.bulk_update(changed, ["story_vector"], batch_size=500)


JUDGING_LOCK = 0x42594C4E  # "BYLN": the PostgreSQL advisory lock key for judging


@contextmanager
def judging() -> Iterator[None]:
    """A transaction that only one worker at a time may hold: an advisory lock on PostgreSQL;
    on SQLite the transaction's ``BEGIN IMMEDIATE`` already serialises writers."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JUDGING_LOCK])
        yield


@transaction.atomic
def apply_judgement(
    new: Sequence[Article],
    stories: Sequence[StoryAssignment],
    labels: Sequence[Provenance],
    events: Sequence[StoryEvent] = (),
) -> int:
    """Store story assignments and provenance for new articles, after applying the merges
    and splits of existing stories that their arrival caused (``events``: a merged story's
    id redirects to the survivor; a split moves some articles to a new story). ``labels``
    may also revise articles stored before. Returns the number of stories created."""
    by_id = {str(a.pk): a for a in new}
    created: dict[str, Story] = {}
    touched: set[int] = set()

    def story_for(key: str, founder: Article | None) -> Story | None:
        story = created.get(key)
        if story is None and key.isdigit():
            story = Story.objects.filter(pk=int(key)).first()
        if story is None and founder is not None:
            story = Story.objects.create(
                title=founder.title,
                section=founder.section,
                first_published=founder.published,
                last_published=founder.published,
            )
            created[key] = story
        return story

    for event in events:
        if event.kind == "merge" and event.story.isdigit():
            survivor = story_for(event.into, by_id.get(event.article))
            if survivor is not None and Story.objects.filter(pk=int(event.story)).exists():
                merge_stories(int(event.story), survivor.pk)
                touched.add(survivor.pk)
        elif event.kind == "split":
            moved = [int(key) for key in event.moved if key.isdigit()]
            founder = Article.objects.filter(pk__in=moved).order_by("published", "pk").first()
            target = story_for(event.into, founder)
            if target is not None and moved:
                Article.objects.filter(pk__in=moved).update(story=target)
                touched.add(target.pk)
                if event.story.isdigit():
                    touched.add(int(event.story))
    for assignment in stories:
        article = by_id[assignment.id]
        story = story_for(assignment.story, article)
        if story is None:  # unreachable: an article founds its own story when needed
            raise StoreError(f"no story {assignment.story} for article {assignment.id}")
        article.story = story
        article.save(update_fields=["story"])
        touched.add(story.pk)
    _save_labels(labels)
    for story_id in touched:
        if Story.objects.filter(pk=story_id).exists():
            refresh_story(story_id)
    # Labels may revise articles judged before (their copy group grew): count their sources.
    judged = Article.objects.filter(pk__in=[int(label.id) for label in labels])
    refresh_reputation({a.source_id for a in new} | set(judged.values_list("source_id", flat=True)))
    return len(created)


def _evidence(label: Provenance) -> dict[str, list[Any]]:
    return {
        "summary": list(label.evidence),
        "substitutions": [list(s) for s in label.substitutions],
        "aligned": [list(p) for p in label.aligned],
    }


def _link_ids(label: Provenance) -> tuple[int | None, int | None]:
    """A label's origin and relay as the article ids a relation row stores."""
    return (
        int(label.origin_id) if label.origin_id else None,
        int(label.via_id) if label.via_id else None,
    )


def _save_labels(labels: Sequence[Provenance]) -> None:
    for label in labels:
        origin_id, via_id = _link_ids(label)
        Relation.objects.update_or_create(
            article_id=int(label.id),
            defaults={
                "relation": label.relation,
                "origin_id": origin_id,
                "via_id": via_id,
                "score": label.score,
                "evidence": _evidence(label),
            },
        )


def save_entities(found: Sequence[tuple[Article, Sequence[EntityRecord]]]) -> int:
    """Record the people, places and organisations each article names (replacing what was
    recorded for it before). Returns the number of article–entity links written."""
    links = 0
    with transaction.atomic():
        for article, entities in found:
            ArticleEntity.objects.filter(article=article).delete()
            for record in entities:
                entity = _entity(record)
                ArticleEntity.objects.create(
                    article=article, entity=entity, mentions=record.mentions
                )
                links += 1
    return links


def _entity(record: EntityRecord) -> Entity:
    """The stored entity for a record, created when new. Two workers may create the same
    one at once: the loser of the unique constraint reads the winner's row."""
    name = record.name[:200]
    entity = Entity.objects.filter(kind=record.kind, name=name).first()
    if entity is not None:
        return entity
    try:
        with transaction.atomic():
            return Entity.objects.create(kind=record.kind, name=name, slug=_entity_slug(record))
    except IntegrityError:
        return Entity.objects.get(kind=record.kind, name=name)


def _entity_slug(record: EntityRecord) -> str:
    return entity_slug(
        record.name, record.kind, lambda slug: Entity.objects.filter(slug=slug).exists()
    )


def entity_slug(name: str, kind: str, taken: Callable[[str], bool]) -> str:
    """An entity's page slug: its name's, then with its kind, then numbered, whichever is
    not ``taken`` yet."""
    base = slugify(name)[:180] or "entity"
    for candidate in (base, f"{base}-{kind.lower()}"):
        if not taken(candidate):
            return candidate
    n = 2
    while taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def refresh_reputation(
    source_ids: Iterable[int] | None = None,
    min_copies: int | None = None,
    share: float | None = None,
) -> list[Source]:
    """Recount each source's judged articles and its spun and scraped copies, and flag it a
    content farm when at least ``min_copies`` of its articles are such copies and they make
    up at least ``share`` of its judged articles (``BYLINE_FARM_MIN_COPIES`` and
    ``BYLINE_FARM_SHARE``). Counting from the relation rows, rather than adding to a
    counter, keeps the tally right when articles are re-judged. ``None``: every source.
    Returns the sources whose flag changed. A copy presumed from its source's kind alone (an
    aggregator's page that shares no text: ``provenance.is_presumed``) is no evidence of
    copying and counts as judged only: a source flagged a farm is judged as an aggregator,
    and its own presumed copies would otherwise keep the flag on for good."""
    config = settings.BYLINE
    min_copies = int(config.farm_min_copies) if min_copies is None else min_copies
    share = float(config.farm_share) if share is None else share
    sources = Source.objects.all()
    if source_ids is not None:
        sources = sources.filter(pk__in=list(source_ids))
    tallies = sources.annotate(
        judged=Count("articles__relation"),
        spun=Count("articles__relation", filter=Q(articles__relation__relation="spun")),
        scraped=Count("articles__relation", filter=Q(articles__relation__relation="scraped")),
    )
    presumed: Counter[int] = Counter(
        source_id
        for source_id, evidence in Relation.objects.filter(
            article__source__in=sources, relation="spun", origin__isnull=True
        ).values_list("article__source_id", "evidence")
        if is_presumed((evidence or {}).get("summary", ()))
    )
    changed: list[Source] = []
    for source in tallies:
        spun = source.spun - presumed[source.pk]
        copies = spun + source.scraped
        farm = copies >= min_copies and copies >= share * max(source.judged, 1)
        if farm != source.content_farm:
            changed.append(source)
            log.info("source %s farm=%s (%d of %d)", source.slug, farm, copies, source.judged)
        Source.objects.filter(pk=source.pk).update(
            judged_count=source.judged,
            spun_count=spun,
            scraped_count=source.scraped,
            content_farm=farm,
        )
    return changed


@transaction.atomic
def merge_stories(old_id: int, into_id: int) -> Story:
    """Move every article of story ``old_id`` into story ``into_id`` and remove the old
    story, keeping its id as an alias so its address redirects to the surviving story (as do
    the addresses of stories merged into it before)."""
    if old_id == into_id:
        raise StoreError(f"cannot merge story {old_id} into itself")
    into = Story.objects.select_for_update().get(pk=into_id)
    old = Story.objects.select_for_update().filter(pk=old_id).first()
    if old is None:
        raise StoreError(f"no story {old_id} to merge")
    Article.objects.filter(story_id=old_id).update(story=into)
    StoryAlias.objects.filter(story_id=old_id).update(story=into)
    StoryAlias.objects.update_or_create(old_id=old_id, defaults={"story": into})
    old.delete()
    refresh_story(into.pk)
    into.refresh_from_db()
    return into


def refresh_story(story_id: int) -> None:
    """Recompute a story's title, section, dates and counts from its articles."""
    story = Story.objects.get(pk=story_id)
    articles = list(story.articles.select_related("relation", "source").order_by("published"))
    if not articles:
        story.delete()
        return
    # The origin names the story; failing that, the most central headline among articles that
    # are no scrape or spin and sources that are not content farms: a copy never outranks the
    # reporting it copies.
    origin = next((a for a in articles if a.relation_kind == "original"), None)
    eligible = (
        [
            a
            for a in articles
            if not a.source.content_farm and a.relation_kind not in ("scraped", "spun")
        ]
        or [a for a in articles if not a.source.content_farm]
        or articles
    )
    picked = story_headline(
        [judge_input(a) for a in eligible], str(origin.pk) if origin is not None else None
    )
    lead = next(a for a in eligible if str(a.pk) == picked.id)
    sections = Counter(a.section_id for a in articles if a.section_id)
    story.title = lead.title
    story.section_id = sections.most_common(1)[0][0] if sections else None
    story.first_published = articles[0].published
    story.last_published = articles[-1].published
    story.article_count = len(articles)
    story.source_count = len({a.source_id for a in articles})
    story.save()


# ── re-judging stored articles (``byline rejudge``) ──────────────────────────────────────


def judged_order(since: datetime | None = None) -> list[tuple[int, datetime]]:
    """(id, published) of every judged article (published at ``since`` or later), oldest
    first: what ``byline rejudge`` walks through, a block at a time."""
    query = Article.objects.filter(story__isnull=False)
    if since is not None:
        query = query.filter(published__gte=since)
    return list(query.order_by("published", "id").values_list("id", "published"))


def judged_between(start: datetime, end: datetime) -> list[Article]:
    """The judged articles published from ``start`` to ``end``, with their source and stored
    relation, oldest first."""
    return list(
        Article.objects.select_related("source", "relation")
        .filter(story__isnull=False, published__gte=start, published__lte=end)
        .order_by("published", "id")
    )


def label_differs(article: Article, label: Provenance) -> bool:
    """Whether a fresh label says something other than the stored one: another relation,
    origin or relay, or other evidence."""
    stored = getattr(article, "relation", None)
    if stored is None:
        return True
    return (stored.relation, stored.origin_id, stored.via_id) != (
        label.relation,
        *_link_ids(label),
    ) or (stored.evidence or {}) != _evidence(label)


@transaction.atomic
def relabel(labels: Sequence[Provenance]) -> list[Source]:
    """Write fresh provenance over stored articles' (their stories stay), then refresh the
    stories they are in (a story is named by its origin) and their sources' tallies. One
    transaction: a run killed midway leaves every label either as it was or new. Returns the
    sources whose content-farm flag the new tallies changed."""
    if not labels:
        return []
    _save_labels(labels)
    ids = [int(label.id) for label in labels]
    articles = Article.objects.filter(pk__in=ids)
    for story_id in set(articles.exclude(story__isnull=True).values_list("story_id", flat=True)):
        refresh_story(story_id)
    return refresh_reputation(set(articles.values_list("source_id", flat=True)))


def published_times(source_ids: Iterable[int]) -> list[datetime]:
    """When each judged article of these sources came out, earliest first: which of
    ``byline rejudge``'s blocks read them."""
    query = Article.objects.filter(
        story__isnull=False, published__isnull=False, source_id__in=list(source_ids)
    )
    return list(query.order_by("published").values_list("published", flat=True))


# ── WARC import and reprocessing ──────────────────────────────────────────────────────────


def articles_with_pages(source_slug: str | None = None, batch: int = 200) -> Iterable[Article]:
    """Articles that kept their raw page, with page, source and section loaded, oldest first.
    They come in batches, each read in full before it is handed out, so that a large archive
    is never all in memory and the caller may write to the articles as it goes."""
    query = Article.objects.filter(page__isnull=False)
    if source_slug:
        query = query.filter(source__slug=source_slug)
    ids = list(query.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), batch):
        chunk = Article.objects.select_related("page", "source", "section")
        yield from chunk.filter(pk__in=ids[start : start + batch]).order_by("id")


def count_articles_with_pages(source_slug: str | None = None) -> int:
    query = Article.objects.filter(page__isnull=False)
    if source_slug:
        query = query.filter(source__slug=source_slug)
    return query.count()


def _extraction_values(processed: Processed, seen: datetime | None = None) -> dict[str, object]:
    """An extraction's article columns, cut to their column sizes: what ``save_article``
    stores, and what a re-extraction or a new version writes. ``seen``: when the page was
    first seen (``first_seen``; now when not given): a date after it is not believable."""
    art = processed.article
    values: dict[str, object] = {
        "canonical_url": no_nul(art.canonical_url)[:1000],
        "title": no_nul(art.title)[:500],
        "standfirst": no_nul(art.standfirst),
        "author": no_nul(art.author)[:300],
        "language": no_nul(art.language)[:20],
        "text": no_nul(art.text),
        "image": art.image[:1000] if art.image.startswith("http") else "",
        "word_count": len(art.text.split()),
        "section": _section(processed.section.slug),
        "text_hash": processed.fingerprint.text_hash,
        "fingerprints": processed.fingerprint.to_json(),
    }
    if plausible_date(art.published, seen or timezone.now()) == art.published:
        # a page without a believable date leaves the date out (an update keeps its own)
        values["published"], values["published_estimated"] = art.published, False
    return values


def extraction_changes(
    article: Article, processed: Processed, seen: datetime | None = None
) -> dict[str, object]:
    """The article columns a re-extraction would change, with their new values, in a stable
    order; ``seen`` as ``_extraction_values`` takes it (a stored page's: ``first_seen`` of
    its fetch). Computed once, and written by ``update_extraction``."""
    changed: dict[str, object] = {}
    for name, value in _extraction_values(processed, seen).items():
        current = getattr(article, name)
        if name == "section":
            same = article.section_id == (value.pk if isinstance(value, Section) else None)
        else:
            same = current == value
        if not same:
            changed[name] = value
    return changed


def update_extraction(
    article: Article,
    processed: Processed,
    changes: Mapping[str, object],
    record_version: bool = False,
) -> None:
    """Write a re-extraction's ``changes`` (``extraction_changes``) onto the same article row
    (its id, URL, source, page and replies stay), keeping the search index in step. With
    ``record_version``, the values it had are kept first as an ``ArticleVersion``."""
    with transaction.atomic():
        if record_version and changes:
            summary = change_summary(Snapshot.of_article(article), Snapshot.of(processed))
            _record_version(article, f"re-extracted: {summary or ', '.join(changes) + ' changed'}")
        _write_extraction(article, changes)


def _write_extraction(
    article: Article,
    changes: Mapping[str, object],
    extra: Mapping[str, object] | None = None,
) -> None:
    extra = extra or {}
    for name, value in [*changes.items(), *extra.items()]:
        setattr(article, name, value)
    article.save(update_fields=[*changes, *extra])
    if connection.vendor == "sqlite" and {"title", "standfirst", "text"} & changes.keys():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM news_article_fts WHERE rowid = %s", [article.pk])
        _index_for_search(article)


# ── versions: an article's page changed ───────────────────────────────────────────────────


@dataclass(frozen=True)
class Snapshot:
    """What a version compares: the headline, standfirst and text (by hash and length)."""

    title: str
    standfirst: str
    text_hash: str
    word_count: int

    @classmethod
    def of_article(cls, article: Article) -> Snapshot:
        return cls(article.title, article.standfirst, article.text_hash, article.word_count)

    @classmethod
    def of(cls, processed: Processed) -> Snapshot:
        art = processed.article
        text_hash = processed.fingerprint.text_hash
        return cls(art.title[:500], art.standfirst, text_hash, len(art.text.split()))


def change_summary(before: Snapshot, after: Snapshot) -> str:
    """A short account of what changed, e.g. "headline changed" or "standfirst and text
    changed (412 → 430 words)"; "" when nothing that a version records did."""
    parts = [
        name
        for name, changed in (
            ("headline", before.title != after.title),
            ("standfirst", before.standfirst != after.standfirst),
            ("text", before.text_hash != after.text_hash),
        )
        if changed
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    summary = f"{listed} changed"
    if "text" in parts and before.word_count != after.word_count:
        summary += f" ({before.word_count} → {after.word_count} words)"
    return summary


def _listed_values(entry: FeedEntry | None) -> dict[str, object]:
    """What the feed said of an article, kept to notice when it says something new."""
    if entry is None:
        return {}
    return {"listed_title": no_nul(entry.title)[:500], "listed_published": entry.published}


def no_nul(value: str) -> str:
    """``value`` without NUL characters, which PostgreSQL's text columns cannot hold (a page
    or a feed can carry them; SQLite would keep them, and the two engines must agree)."""
    return value.replace("\x00", "")


def listed_state(urls: Iterable[str]) -> dict[str, tuple[str, datetime | None]]:
    """For each of these URLs that is stored, what its feed said when it was last fetched:
    (title, date). Articles stored without a feed entry answer with their own title and date.
    A feed entry that says something else is a sign that its page has changed."""
    wanted = list(urls)
    found: dict[str, tuple[str, datetime | None]] = {}
    for start in range(0, len(wanted), 500):
        rows = Article.objects.filter(url__in=wanted[start : start + 500]).values_list(
            "url", "listed_title", "listed_published", "title", "published"
        )
        for url, listed_title, listed_published, title, published in rows:
            found[url] = (listed_title or title, listed_published or published)
    return found


def record_new_version(
    url: str,
    processed: Processed,
    result: FetchResult,
    feed: Feed | None = None,
    entry: FeedEntry | None = None,
) -> ArticleVersion | None:
    """A stored article's page, fetched again. When its headline, standfirst or text changed,
    in one transaction: the values it had are kept as an ``ArticleVersion``, the new raw page
    is stored, and the article row is updated in place (same id and URL; fingerprints and the
    search index follow the new text). Returns the version, or None when nothing changed, in
    which case only what the feed said is noted."""
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(url=url).first()
        if article is None:
            raise StoreError(f"{url}: no stored article to update")
        listed = _listed_values(entry)
        same_body = (
            article.page_id is not None
            and Page.objects.filter(
                pk=article.page_id, sha256=hashlib.sha256(result.body).hexdigest()
            ).exists()
        )
        before, after = Snapshot.of_article(article), Snapshot.of(processed)
        summary = "" if same_body else change_summary(before, after)
        if not summary:
            if listed:
                Article.objects.filter(pk=article.pk).update(**listed)
            return None
        version = _record_version(article, summary)
        page = save_page(result, article.source, feed)
        changes = extraction_changes(article, processed)
        _write_extraction(article, changes, extra={"page": page, **listed})
    log.info("article changed id=%s url=%s change=%s", article.pk, url, summary)
    return version


def _record_version(article: Article, change: str) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        title=article.title,
        standfirst=article.standfirst,
        text_hash=article.text_hash,
        word_count=article.word_count,
        published=article.published,
        page_id=article.page_id,
        change=change[:200],
    )


@transaction.atomic
def unjudge(article_ids: Iterable[int]) -> int:
    """Forget the story and provenance of these articles, and of the copies that named one
    of them as origin, so that the next judgement places them afresh. Stories they leave are
    refreshed (or removed when empty). Returns how many articles were unjudged."""
    ids = set(article_ids)
    ids |= set(
        Relation.objects.filter(Q(origin_id__in=ids) | Q(via_id__in=ids)).values_list(
            "article_id", flat=True
        )
    )
    articles = Article.objects.filter(pk__in=ids)
    stories = set(articles.exclude(story__isnull=True).values_list("story_id", flat=True))
    sources = set(articles.values_list("source_id", flat=True))
    Relation.objects.filter(article_id__in=ids).delete()
    count = articles.update(story=None)
    for story_id in stories:
        refresh_story(story_id)
    refresh_reputation(sources)
    return count


def recent_article_texts(source: Source, limit: int = 50) -> list[str]:
    """The text of a source's latest articles: what its boilerplate is learnt from."""
    texts = Article.objects.filter(source=source).order_by("-first_seen", "-id")
    return list(texts.values_list("text", flat=True)[:limit])
