from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "byline.site"
    label = "site"
    verbose_name = "Site"
