from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from byline.site import views
from byline.site.api import api

FEED = r"feed\.(?P<kind>rss|atom)$"  # RSS and Atom here; each JSON Feed is in api.py

# Every page has a JSON twin at its path with ".json" added (as Datasette does), served by
# the API (site/api.py, included last: its root path is the home page's).
urlpatterns = [
    path("", views.home, name="home"),
    re_path(r"^section/(?P<slug>[-\w]+)/$", views.section, name="section"),
    path("story/<int:pk>/", views.story, name="story"),
    path("article/<int:pk>/", views.article, name="article"),
    path("article/<int:pk>/reply", views.reply, name="reply"),
    path("search/", views.search, name="search"),
    path("sources/", views.sources, name="sources"),
    re_path(r"^entity/(?P<slug>[-\w]+)/$", views.entity, name="entity"),
    re_path(rf"^{FEED}", views.home_feed, name="feed"),
    re_path(rf"^section/(?P<slug>[-\w]+)/{FEED}", views.section_feed, name="section_feed"),
    re_path(rf"^source/(?P<slug>[-\w]+)/{FEED}", views.source_feed, name="source_feed"),
    re_path(rf"^entity/(?P<slug>[-\w]+)/{FEED}", views.entity_feed, name="entity_feed"),
    re_path(rf"^story/(?P<pk>\d+)/{FEED}", views.story_feed, name="story_feed"),
    re_path(rf"^search/{FEED}", views.search_feed, name="search_feed"),
    path("api/", views.api_index, name="api"),
    path("api/docs", views.api_docs, name="api_docs"),
    path("accounts/signup/", views.signup, name="signup"),
    # LoginView puts the request's host name in `site_name`; keep Byline's own.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(extra_context={"site_name": settings.BYLINE.site_name}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", api.urls),
]
