from django.contrib import admin
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


@admin.register(models.Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("article", "author", "state", "created_at")
    list_filter = ("state",)
    actions = ["hide", "publish"]

    @admin.action(description="Hide selected replies")
    def hide(self, request: object, queryset: object) -> None:
        queryset.update(state=models.Reply.State.HIDDEN)  # type: ignore[attr-defined]

    @admin.action(description="Publish selected replies")
    def publish(self, request: object, queryset: object) -> None:
        queryset.update(state=models.Reply.State.PUBLISHED)  # type: ignore[attr-defined]


admin.site.register([models.Story, models.Relation, models.Section])
