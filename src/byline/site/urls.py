from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import URLPattern, path, re_path

from byline.site import views


def _with_json(route: str, view: Callable[..., HttpResponse], name: str) -> list[URLPattern]:
    """A page at ``route/`` and its JSON twin at ``route.json``, both reversible by ``name``
    (Django cannot reverse a pattern with an alternation such as ``(?:/|\\.json)``)."""
    return [
        re_path(rf"^{route}/$", view, name=name),
        re_path(rf"^{route}(?P<fmt>\.json)$", view, name=name),
    ]


# Every page has a JSON twin: add ".json" to its path (as Datasette does).
urlpatterns = [
    re_path(r"^(?:index(?P<fmt>\.json))?$", views.home, name="home"),
    *_with_json(r"section/(?P<slug>[-\w]+)", views.section, "section"),
    *_with_json(r"story/(?P<pk>\d+)", views.story, "story"),
    re_path(r"^story/(?P<pk>\d+)/feed\.(?P<kind>rss|atom)$", views.story_feed, name="story_feed"),
    *_with_json(r"article/(?P<pk>\d+)", views.article, "article"),
    path("article/<int:pk>/reply", views.reply, name="reply"),
    *_with_json(r"search", views.search, "search"),
    *_with_json(r"sources", views.sources, "sources"),
    *_with_json(r"entity/(?P<slug>[-\w]+)", views.entity, "entity"),
    path("api/", views.api_index, name="api"),
    path("accounts/signup/", views.signup, name="signup"),
    # LoginView puts the request's host name in `site_name`; keep Byline's own.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(extra_context={"site_name": settings.BYLINE.site_name}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
