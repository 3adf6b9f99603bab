"""The outlets Byline follows: sources and their feeds (feed, sitemap or page), feed health
and scheduling, the claim that keeps concurrent workers off each other's feeds, and OPML
import and export. Part of the persistence layer, beside ``store`` (pages, articles,
judgements) and ``queries`` (reads for pages)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from byline.errors import StoreError
from byline.fetch.opml import Outline
from byline.judge.sections import SECTIONS
from byline.news.models import (
    Feed,
    Section,
    Source,
)
from byline.news.store import no_nul

log = logging.getLogger(__name__)

SAFE_SCHEMES = frozenset({"http", "https", "file"})  # article URLs are rendered as links


def ensure_sections() -> None:
    for position, section in enumerate(SECTIONS):
        Section.objects.update_or_create(
            slug=section.slug, defaults={"name": section.name, "position": position}
        )


def add_source(
    name: str,
    feed_url: str,
    home_url: str = "",
    kind: str = "outlet",
    country: str = "",
    language: str = "",
    feed_type: str = "feed",
) -> Feed:
    """Register an outlet and its feed (``feed_type``: feed, sitemap or page). Adding a known
    feed URL again updates the source and the feed's type."""
    if kind not in Source.Kind.values:
        raise StoreError(
            f"unknown source kind {kind!r}; use one of {', '.join(Source.Kind.values)}"
        )
    if feed_type not in Feed.Kind.values:
        raise StoreError(
            f"unknown feed type {feed_type!r}; use one of {', '.join(Feed.Kind.values)}"
        )
    home_url = web_url(home_url)
    domain = urlsplit(home_url or feed_url).netloc.lower()
    with transaction.atomic():
        existing = Feed.objects.select_related("source").filter(url=feed_url).first()
        source = existing.source if existing else None
        if source is None:
            source = Source(slug=_unique_slug(name))
        source.name, source.home_url, source.domain = name, home_url, domain
        source.kind, source.country, source.language = kind, country, language
        source.save()
        feed, _ = Feed.objects.get_or_create(url=feed_url, defaults={"source": source})
        if feed.kind != feed_type:
            feed.kind = feed_type
            feed.save(update_fields=["kind"])
    return feed


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "source"
    slug, n = base, 1
    while Source.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def remove_source(key: str) -> str:
    """Remove a source (by slug, id or feed URL) with its feeds and articles."""
    query = Q(slug=key) | Q(feeds__url=key)
    if key.isdigit():
        query |= Q(pk=int(key))
    source = Source.objects.filter(query).distinct().first()
    if source is None:
        raise StoreError(f"no source matches {key!r} (give a slug, an id or a feed URL)")
    name = source.name
    source.delete()
    return name


@dataclass(frozen=True)
class FeedHealth:
    source: str
    slug: str
    kind: str
    url: str
    articles: int
    last_fetched_at: datetime | None
    last_status: str
    consecutive_failures: int
    paused: bool
    content_farm: bool = False
    copies: int = 0  # spun and scraped copies among its judged articles
    judged: int = 0
    websub: str = ""  # the WebSub subscription's state, when the feed names a hub


def list_feeds() -> list[FeedHealth]:
    feeds = Feed.objects.select_related("source").annotate(n=Count("source__articles"))
    return [
        FeedHealth(
            f.source.name,
            f.source.slug,
            f.source.kind,
            f.url,
            f.n,
            f.last_fetched_at,
            f.last_status,
            f.consecutive_failures,
            f.paused,
            f.source.content_farm,
            f.source.spun_count + f.source.scraped_count,
            f.source.judged_count,
            f"{f.websub_hub}: {f.websub_status or 'not subscribed yet'}" if f.websub_hub else "",
        )
        for f in feeds.order_by("source__name", "url")
    ]


def feeds_due(now: datetime | None = None, force: bool = False) -> list[Feed]:
    now = now or timezone.now()
    feeds = Feed.objects.select_related("source", "section").filter(paused=False)
    if not force:
        feeds = feeds.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
    return list(feeds.order_by("id"))


CLAIM_LEASE = timedelta(minutes=15)  # a claimed feed is due again after this if its worker died


def claim_due_feeds(force: bool = False, lease: timedelta = CLAIM_LEASE) -> list[Feed]:
    """Due feeds, claimed for this worker: in the transaction that selects them they are
    marked ``claimed_until`` = now + lease, and on PostgreSQL the rows are read with
    ``SELECT … FOR UPDATE SKIP LOCKED``, so workers running at once never fetch the same feed.
    SQLite serialises writers (``BEGIN IMMEDIATE``), which gives the same guarantee. Recording
    the fetch's outcome releases the claim; a worker killed mid-run leaves its feeds to be
    claimed again once the lease runs out. ``force`` (``byline fetch --all``) takes every
    unpaused feed, due or claimed."""
    now = timezone.now()
    with transaction.atomic():
        due = Feed.objects.select_for_update(skip_locked=True).filter(paused=False)
        if not force:
            due = due.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
            due = due.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        ids = list(due.order_by("id").values_list("id", flat=True))
        Feed.objects.filter(pk__in=ids).update(claimed_until=now + lease)
    claimed = Feed.objects.select_related("source", "section").filter(pk__in=ids)
    return list(claimed.order_by("id"))


def defer_feed(feed: Feed, until: datetime) -> None:
    """Never fetch this feed before ``until`` (a server's Retry-After)."""
    if feed.next_fetch_at is None or feed.next_fetch_at < until:
        feed.next_fetch_at = until
        feed.save(update_fields=["next_fetch_at"])


def record_feed_success(
    feed: Feed,
    title: str,
    fmt: str,
    etag: str,
    last_modified: str,
    status: str,
    interval: timedelta = timedelta(minutes=30),
) -> None:
    now = timezone.now()
    feed.title = no_nul(title)[:300] or feed.title
    feed.format = fmt[:30]
    feed.etag, feed.last_modified = etag[:300], last_modified[:100]
    feed.last_fetched_at, feed.next_fetch_at = now, now + interval
    feed.last_status, feed.consecutive_failures = status[:300], 0
    feed.claimed_until = None
    feed.save()


def record_feed_validators(feed: Feed, etag: str, last_modified: str) -> None:
    """Store the validators of a feed's last 200 answer, once every page it listed is taken,
    so the next poll may be answered 304."""
    Feed.objects.filter(pk=feed.pk).update(etag=etag[:300], last_modified=last_modified[:100])
    feed.etag, feed.last_modified = etag[:300], last_modified[:100]


def feed_unfinished(feed: Feed) -> None:
    """A run stopped before taking every page this feed listed: fetch it again, in full,
    as soon as a worker runs."""
    Feed.objects.filter(pk=feed.pk).update(
        etag="", last_modified="", next_fetch_at=timezone.now(), claimed_until=None
    )


def note_websub_hub(feed: Feed, hub: str, topic: str) -> None:
    """Remember the WebSub hub a fetched feed names (and the topic, its self address); a new
    hub or topic starts a new subscription. A feed that stops naming a hub is polled only."""
    hub, topic = hub[:1000], topic[:1000]
    if (hub, topic if hub else "") == (feed.websub_hub, feed.websub_topic):
        return
    feed.websub_hub, feed.websub_topic = hub, topic if hub else ""
    feed.websub_state, feed.websub_lease_until, feed.websub_status = "", None, ""
    Feed.objects.filter(pk=feed.pk).update(
        websub_hub=feed.websub_hub,
        websub_topic=feed.websub_topic,
        websub_state="",
        websub_lease_until=None,
        websub_status="",
    )


WEBSUB_RETRY = timedelta(hours=1)  # a failed or unanswered subscription is tried again after


def websub_to_subscribe(renew_before: timedelta) -> list[Feed]:
    """Unpaused feeds whose hub should be sent a subscription request now: never asked, a
    lease ending within ``renew_before``, or a request failed or unanswered for an hour."""
    now = timezone.now()
    stale = now - WEBSUB_RETRY
    return list(
        Feed.objects.filter(paused=False)
        .exclude(websub_hub="")
        .filter(
            Q(websub_state="")
            | Q(websub_state="active", websub_lease_until__lt=now + renew_before)
            | Q(websub_state__in=["requested", "failed"], websub_requested_at__lt=stale)
        )
        .order_by("id")
    )


def websub_requested(feed: Feed, secret: str, token: str) -> None:
    """Stored before the request is sent: a hub may verify while the request is open."""
    feed.websub_secret, feed.websub_token = secret, token
    feed.websub_requested_at = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(
        websub_state="requested",
        websub_secret=secret,
        websub_token=token,
        websub_requested_at=feed.websub_requested_at,
        websub_status="subscription requested",
    )


def websub_failed(feed: Feed, reason: str) -> None:
    Feed.objects.filter(pk=feed.pk).update(websub_state="failed", websub_status=reason[:300])


def websub_verified(feed: Feed, lease_seconds: int) -> None:
    until = timezone.now() + timedelta(seconds=lease_seconds)
    Feed.objects.filter(pk=feed.pk).update(
        websub_state="active",
        websub_lease_until=until,
        websub_status=f"subscribed until {until:%Y-%m-%d %H:%M} UTC",
    )


def websub_denied(feed: Feed, reason: str) -> None:
    Feed.objects.filter(pk=feed.pk).update(
        websub_state="denied", websub_status=f"denied: {reason}"[:300]
    )


def websub_feed(pk: int, token: str) -> Feed | None:
    """The feed a callback address names, when its token matches."""
    feed = Feed.objects.filter(pk=pk).exclude(websub_token="").first()
    if feed is None or not secrets.compare_digest(feed.websub_token, token):
        return None
    return feed


def websub_pushed(feed: Feed) -> None:
    """A hub pushed new content: the feed is due now (its next fetch takes the new entries)."""
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())


def record_feed_failure(feed: Feed, reason: str, pause_after: int) -> None:
    now = timezone.now()
    feed.consecutive_failures += 1
    feed.last_fetched_at = now
    feed.last_status = f"error: {reason}"[:300]
    backoff = timedelta(minutes=30 * 2 ** min(feed.consecutive_failures, 6))
    feed.next_fetch_at = now + backoff
    feed.claimed_until = None
    if feed.consecutive_failures >= pause_after:
        feed.paused = True
        feed.paused_reason = f"{feed.consecutive_failures} failures in a row; last: {reason}"[:300]
    feed.save()


def source_named(name: str, kind: str = "outlet", home_url: str = "") -> Source:
    """The source with this name, created when missing (for imports without feeds)."""
    existing = Source.objects.filter(name=name).first()
    if existing:
        return existing
    home_url = web_url(home_url)
    return Source.objects.create(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        home_url=home_url,
        domain=urlsplit(home_url).netloc.lower(),
    )


def web_url(url: str) -> str:
    """``url`` when it is an http(s) address, else "": a source's home page is shown as a
    link, and a ``javascript:`` or ``data:`` one (from an OPML file's htmlUrl, say) must
    never reach a page's ``href``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return url.strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else ""


@dataclass(frozen=True)
class OutlineImport:
    added: int
    updated: int
    sectioned: int  # feeds given a section from their folder


def import_outlines(outlines: Sequence[Outline]) -> OutlineImport:
    """Store OPML outlines as sources and feeds, in one transaction. A known feed URL keeps
    its source; its kind is updated, and its section too when the OPML gives one. Feeds whose
    outlines share a name share a source."""
    ensure_sections()
    sections = {s.slug: s for s in Section.objects.all()}
    added = updated = sectioned = 0
    with transaction.atomic():
        for outline in outlines:
            section = sections.get(outline.section)
            sectioned += section is not None
            feed = Feed.objects.filter(url=outline.url).first()
            if feed is None:
                feed = Feed(url=outline.url, source=_outline_source(outline))
                feed.title = outline.title[:300]
                added += 1
            else:
                updated += 1
            feed.kind = outline.feed_type if outline.feed_type in Feed.Kind.values else "feed"
            feed.section = section or feed.section
            feed.save()
    return OutlineImport(added, updated, sectioned)


def _outline_source(outline: Outline) -> Source:
    name = outline.name[:200] or urlsplit(outline.url).netloc
    source = Source.objects.filter(name=name).first()
    if source is not None:
        return source
    kind = outline.source_kind if outline.source_kind in Source.Kind.values else "outlet"
    return Source.objects.create(
        name=name,
        slug=_unique_slug(name),
        home_url=web_url(outline.home_url)[:500],
        domain=urlsplit(web_url(outline.home_url) or outline.url).netloc.lower(),
        kind=kind,
    )


def feeds_for_export() -> list[Outline]:
    """Every feed as an OPML outline, with its source and section."""
    feeds = Feed.objects.select_related("source", "section").order_by("source__name", "url")
    return [
        Outline(
            url=f.url,
            name=f.source.name,
            title=f.title,
            home_url=f.source.home_url,
            folders=(f.section.name,) if f.section else (),
            section=f.section.slug if f.section else "",
            feed_type=f.kind,
            source_kind=f.source.kind,
        )
        for f in feeds
    ]


def source_for_url(url: str, name: str = "", kind: str = "outlet") -> Source:
    """The source a single article URL belongs to: the one named ``name`` (created when
    missing), else the one whose domain is the URL's, else a new one named by the domain."""
    if kind not in Source.Kind.values:
        raise StoreError(
            f"unknown source kind {kind!r}; use one of {', '.join(Source.Kind.values)}"
        )
    domain = urlsplit(url).netloc.lower()
    if name:
        return source_named(name, kind, f"{urlsplit(url).scheme}://{domain}/")
    bare = domain.removeprefix("www.")
    found = Source.objects.filter(domain__in={domain, bare, f"www.{bare}"}).first()
    return found or source_named(bare or url, kind, f"{urlsplit(url).scheme}://{domain}/")


def source_exists(slug: str) -> bool:
    return Source.objects.filter(slug=slug).exists()
