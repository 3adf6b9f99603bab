from typing import Any

from django.conf import settings
from django.http import HttpRequest

from byline.news import queries


def site(request: HttpRequest) -> dict[str, Any]:
    """Values every template sees: the site name and the section menu."""
    return {
        "site_name": settings.BYLINE.site_name,
        "menu_sections": [{"name": s.name, "slug": s.slug} for s in queries.sections()],
    }
