from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "byline.news"
    label = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from byline.news import changes

        changes.connect()
