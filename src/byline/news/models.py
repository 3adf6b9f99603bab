"""Byline's schema. Changes go through migrations, applied on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Source(models.Model):
    class Kind(models.TextChoices):
        OUTLET = "outlet", "News outlet"
        WIRE = "wire", "Wire agency"
        AGGREGATOR = "aggregator", "Aggregator"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    home_url = models.URLField(max_length=500, blank=True)
    domain = models.CharField(max_length=255, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTLET)
    country = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Reputation: a running tally of its judged articles, kept by store.refresh_reputation.
    judged_count = models.PositiveIntegerField(default=0, db_default=0)
    spun_count = models.PositiveIntegerField(default=0, db_default=0)
    scraped_count = models.PositiveIntegerField(default=0, db_default=0)
    content_farm = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Publishes spun or scraped copies over the farm threshold (see the docs).",
    )

    class Meta:
        ordering = ["name"]

    @property
    def copy_share(self) -> float:
        """Share of its judged articles that are spun or scraped copies."""
        copies = self.spun_count + self.scraped_count
        return copies / self.judged_count if self.judged_count else 0.0

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "Feed (RSS, Atom or JSON Feed)"
        SITEMAP = "sitemap", "Sitemap (news, plain or index)"
        PAGE = "page", "HTML page whose article links are followed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=1000, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FEED)
    title = models.CharField(max_length=300, blank=True)
    format = models.CharField(max_length=30, blank=True)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused = models.BooleanField(default=False)
    paused_reason = models.CharField(max_length=300, blank=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is fetching this feed until then."
    )
    # WebSub (docs/deploy.md): the hub the feed names, and this site's subscription to it.
    websub_hub = models.URLField(max_length=1000, blank=True)
    websub_topic = models.URLField(max_length=1000, blank=True)
    websub_state = models.CharField(
        max_length=20,
        blank=True,
        help_text="'' (none), requested, active, denied or failed",
    )
    websub_secret = models.CharField(max_length=64, blank=True)
    websub_token = models.CharField(max_length=64, blank=True)  # in the callback address
    websub_requested_at = models.DateTimeField(null=True, blank=True)
    websub_lease_until = models.DateTimeField(null=True, blank=True)
    websub_status = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url


class Page(models.Model):
    """A raw fetched response, kept so that anything can be re-extracted later."""

    url = models.URLField(max_length=1000, db_index=True)
    final_url = models.URLField(max_length=1000)
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    fetched_at = models.DateTimeField()
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["url", "sha256"], name="page_url_body")]

    def __str__(self) -> str:
        return self.url


class Story(models.Model):
    title = models.CharField(max_length=500)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL)
    first_published = models.DateTimeField(db_index=True)
    last_published = models.DateTimeField(db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class StoryAlias(models.Model):
    """A story that was merged into another: its old id, kept so old links redirect."""

    old_id = models.PositiveIntegerField(unique=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="aliases")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "story aliases"

    def __str__(self) -> str:
        return f"story {self.old_id} → {self.story_id}"


class Article(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL)
    url = models.URLField(max_length=1000, unique=True)
    canonical_url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateTimeField(db_index=True)
    published_estimated = models.BooleanField(
        default=False, help_text="No date was found; the first-seen time stands in."
    )
    language = models.CharField(max_length=20, blank=True)
    text = models.TextField(help_text="Kept for judgement and search; never shown in full.")
    image = models.URLField(max_length=1000, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL)
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    text_hash = models.CharField(max_length=32, db_index=True)
    fingerprints = models.JSONField(default=dict)
    # With BYLINE_STORY_EMBEDDINGS: the digest of the headline-and-lead text and its vector
    # (``byline.judge.embeddings.stored``), so that later judging, in any process, reads it
    # instead of encoding the text again; a changed text has another digest and is encoded.
    story_vector = models.BinaryField(null=True, blank=True, editable=False)
    first_seen = models.DateTimeField(auto_now_add=True)
    listed_title = models.CharField(
        max_length=500, blank=True, help_text="The title its feed gave when last fetched."
    )
    listed_published = models.DateTimeField(
        null=True, blank=True, help_text="The date its feed gave when last fetched."
    )

    class Meta:
        ordering = ["-published"]

    def __str__(self) -> str:
        return self.title

    @property
    def provenance(self) -> Relation | None:
        """The article's provenance row, or None before it has been judged."""
        try:
            return self.relation
        except Relation.DoesNotExist:
            return None

    @property
    def relation_kind(self) -> str:
        """``original``, ``spun`` …, or "" before the article has been judged."""
        return self.provenance.relation if self.provenance else ""


class Entity(models.Model):
    """A person, place or organisation that articles name (``byline.judge.entities``)."""

    class Kind(models.TextChoices):
        PERSON = "PERSON", "Person"
        PLACE = "PLACE", "Place"
        ORG = "ORG", "Organisation"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)

    class Meta:
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="entity_kind_name")]

    def __str__(self) -> str:
        return self.name


class ArticleEntity(models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="article_entity_once")
        ]


class ArticleVersion(models.Model):
    """An article as it stood before its page changed (or was re-extracted): the previous
    headline, standfirst and text's hash, and the page those values came from."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    text_hash = models.CharField(max_length=32)
    word_count = models.PositiveIntegerField(default=0)
    published = models.DateTimeField()
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL)
    change = models.CharField(max_length=200, help_text="What changed, e.g. headline changed.")
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id} before {self.recorded_at:%Y-%m-%d %H:%M}: {self.change}"


class Relation(models.Model):
    """An article's provenance: what it is, and which article it copies."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", "Original"
        SYNDICATED = "syndicated", "Syndicated"
        SCRAPED = "scraped", "Scraped"
        SPUN = "spun", "Spun"
        INDEPENDENT = "independent", "Independent"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="relation")
    relation = models.CharField(max_length=20, choices=Kind.choices)
    origin = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    via = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relayed",
        help_text="The copy it was taken from, when that is not the origin itself.",
    )
    score = models.FloatField(default=0.0)
    evidence = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.article_id} {self.relation}"


class Reply(models.Model):
    """A reader's reply to an article, threaded through ``parent``."""

    class State(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Awaiting moderation"
        HIDDEN = "hidden", "Hidden by a moderator"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="replies")
    # None for a guest's reply (BYLINE_REPLIES_REQUIRE_ACCOUNT off): ``author_name`` names it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    author_name = models.CharField(
        max_length=50, blank=True, help_text="The name a guest gave; empty for an account's reply."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    body = models.TextField(max_length=5000)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PUBLISHED)
    held_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the checks held it for a moderator."
    )
    # The body folded (case, spacing) and hashed, for the duplicate check.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # A keyed hash of the client's address (an IPv6 /64), never the address itself: lets a
    # moderator find a client's other replies, and a guest be told apart.
    client = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"reply {self.pk} on {self.article_id}"

    @property
    def display_name(self) -> str:
        return self.author.get_username() if self.author is not None else self.author_name


class RateEvent(models.Model):
    """One counted action (a reply, a sign-up) by one client, for rate limits that hold
    across every process sharing the database. ``key`` is a keyed hash of the client's
    address, never the address; rows older than a day are deleted as new ones come."""

    action = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["action", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.key[:8]} at {self.created_at:%Y-%m-%d %H:%M}"
