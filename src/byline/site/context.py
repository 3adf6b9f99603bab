from typing import Any

from django.conf import settings
from django.http import HttpRequest

from byline.news import queries, replies


def site(request: HttpRequest) -> dict[str, Any]:
    """Values every template sees: the site name and the section menu; for a moderator, the
    count of replies awaiting moderation."""
    values: dict[str, Any] = {
        "site_name": settings.BYLINE.site_name,
        "menu_sections": [{"name": s.name, "slug": s.slug} for s in queries.sections()],
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_staff and user.has_perm("news.change_reply"):
        values["held_replies"] = replies.held_count()
    return values
