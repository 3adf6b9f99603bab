from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from byline.news import models


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "domain",
        "country",
        "judged_count",
        "spun_count",
        "scraped_count",
        "content_farm",
    )
    list_filter = ("kind", "content_farm")
    readonly_fields = ("judged_count", "spun_count", "scraped_count", "content_farm")


@admin.register(models.Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "url",
        "source",
        "last_status",
        "consecutive_failures",
        "paused",
        "websub_state",
    )
    list_filter = ("paused", "websub_state")
    exclude = ("websub_secret", "websub_token")  # a subscription's secrets stay out of sight
    readonly_fields = (
        "websub_hub",
        "websub_topic",
        "websub_state",
        "websub_requested_at",
        "websub_lease_until",
        "websub_status",
    )


class ArticleVersionInline(admin.TabularInline):
    model = models.ArticleVersion
    fields = ("recorded_at", "change", "title", "word_count", "published", "page")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # versions are recorded by ingest and reprocess, never typed in


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published", "section", "story")
    search_fields = ("title",)
    exclude = ("fingerprints",)
    inlines = [ArticleVersionInline]


@admin.register(models.ArticleVersion)
class ArticleVersionAdmin(admin.ModelAdmin):
    list_display = ("article", "change", "title", "recorded_at")
    search_fields = ("title", "article__title")
    raw_id_fields = ("article", "page")


class GuestFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "by"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("account", "An account"), ("guest", "A guest")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "account":
            return queryset.filter(author__isnull=False)
        if self.value() == "guest":
            return queryset.filter(author__isnull=True)
        return queryset


@admin.register(models.Reply)
class ReplyAdmin(admin.ModelAdmin):
    """The moderation queue: filter by state (with counts: "Awaiting moderation (3)"), search
    the text, names and article titles, and act on many replies at once. A reply's text is
    shown as plain text, escaped like everything else the admin shows."""

    list_display = ("excerpt", "who", "article", "state", "held_reason", "created_at")
    list_display_links = ("excerpt",)
    list_filter = ("state", GuestFilter, "created_at")
    list_select_related = ("author", "article")
    search_fields = ("body", "author__username", "author_name", "article__title", "client")
    date_hierarchy = "created_at"
    show_facets = admin.ShowFacets.ALWAYS
    ordering = ("-created_at",)
    raw_id_fields = ("article", "author", "parent")
    readonly_fields = ("fingerprint", "client", "created_at", "held_reason")
    actions = ["publish", "hide", "mark_spam", "suspend_authors"]

    @admin.display(description="reply")
    def excerpt(self, reply: models.Reply) -> str:
        text = " ".join(reply.body.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="author", ordering="author__username")
    def who(self, reply: models.Reply) -> str:
        if reply.author is None:
            return f"{reply.author_name} (guest)"
        return reply.display_name + ("" if reply.author.is_active else " (suspended)")

    def _set(self, request: HttpRequest, queryset: QuerySet[Any], state: str, done: str) -> None:
        count = queryset.update(state=state)
        self.message_user(request, f"{count} repl{'y' if count == 1 else 'ies'} {done}.")

    @admin.action(description="Publish selected replies", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set(request, queryset, models.Reply.State.PUBLISHED, "published")

    @admin.action(description="Hide (remove) selected replies", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set(request, queryset, models.Reply.State.HIDDEN, "hidden")

    @admin.action(description="Mark selected replies as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set(request, queryset, models.Reply.State.SPAM, "marked as spam")

    @admin.action(
        description="Suspend the authors (deactivate their accounts) and hide their replies",
        permissions=["change"],
    )
    def suspend_authors(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Deactivate the accounts that wrote the selected replies — they can no longer sign
        in, and a session they hold stops working — and hide every reply of theirs still
        shown or waiting. Staff accounts are left alone; guests have no account to suspend
        (mark their replies as spam instead)."""
        author_ids = set(queryset.exclude(author=None).values_list("author_id", flat=True))
        users = get_user_model().objects.filter(pk__in=author_ids)
        spared = list(users.filter(is_staff=True).values_list("username", flat=True))
        suspended = users.filter(is_staff=False, is_superuser=False)
        names = sorted(suspended.values_list("username", flat=True))
        suspended.update(is_active=False)
        models.Reply.objects.filter(
            author__username__in=names,
            state__in=[models.Reply.State.PUBLISHED, models.Reply.State.PENDING],
        ).update(state=models.Reply.State.HIDDEN)
        if names:
            self.message_user(request, f"Suspended {', '.join(names)}; their replies are hidden.")
        if spared:
            self.message_user(
                request, f"Not suspended (staff): {', '.join(sorted(spared))}.", messages.WARNING
            )
        if queryset.filter(author=None).exists():
            self.message_user(
                request,
                "Guests have no account to suspend; mark their replies as spam instead.",
                messages.WARNING,
            )


admin.site.register([models.Story, models.Relation, models.Section])
