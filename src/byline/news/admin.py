from django.contrib import admin

from byline.news import models


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "domain", "country")
    list_filter = ("kind",)


@admin.register(models.Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "last_status", "consecutive_failures", "paused")
    list_filter = ("paused",)


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published", "section", "story")
    search_fields = ("title",)
    exclude = ("fingerprints",)


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
