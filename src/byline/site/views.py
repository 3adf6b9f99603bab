"""Thin views: fetch the page's data from ``pages``, render it as HTML, RSS or Atom. The
JSON twins and JSON Feeds are served from the same data by ``api``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from byline.errors import StoreError
from byline.news import queries, replies
from byline.site import apidocs, feeds, pages
from byline.site.api import api
from byline.site.reads import cached_read, page_links

MAX_REPLY_CHARS = 5000

html_read = cached_read(personal=True)
feed_read = cached_read()


def _respond(request: HttpRequest, template: str, data: dict[str, Any] | None) -> HttpResponse:
    """The page, or 404; a paginated page gets its ``next``/``previous`` links."""
    if data is None:
        raise Http404("Not found")
    if "pagination" in data:
        data["pagination"] = page_links(request, data["pagination"], absolute=False)
    return render(request, f"byline/{template}", data)


def _paging(request: HttpRequest, per_page: int = 20) -> pages.Paging:
    try:
        return pages.Paging.parse(request.GET, per_page)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


@html_read
def home(request: HttpRequest) -> HttpResponse:
    paging = _paging(request, pages.HOME_PER_PAGE)
    return _respond(request, "home.html", pages.home_page(paging))


@html_read
def section(request: HttpRequest, slug: str) -> HttpResponse:
    return _respond(request, "section.html", pages.section_page(slug, _paging(request)))


@html_read
def story(request: HttpRequest, pk: int) -> HttpResponse:
    data = pages.story_page(pk, _paging(request, pages.STORY_PER_PAGE))
    if data is None and (target := queries.story_alias(pk)) is not None:
        # A story merged into another keeps its address: send readers on, permanently.
        return redirect(reverse("story", args=[target]), permanent=True)
    return _respond(request, "story.html", data)


@html_read
def article(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, "article.html", pages.article_page(pk))


@html_read
def entity(request: HttpRequest, slug: str) -> HttpResponse:
    return _respond(request, "entity.html", pages.entity_page(slug, _paging(request)))


@html_read
def sources(request: HttpRequest) -> HttpResponse:
    paging = _paging(request, pages.SOURCES_PER_PAGE)
    return _respond(request, "sources.html", pages.sources_page(paging))


@html_read
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return _respond(request, "search.html", pages.search_page(query, _paging(request)))


# ── outgoing RSS and Atom feeds (the JSON Feeds are in api.py) ────────────────────────────


def _xml_feed(request: HttpRequest, data: dict[str, Any] | None, kind: str) -> HttpResponse:
    if data is None:
        raise Http404("No such feed")
    return feeds.xml_feed(request, data, kind)


@feed_read
def home_feed(request: HttpRequest, kind: str) -> HttpResponse:
    return _xml_feed(request, pages.home_feed(), kind)


@feed_read
def section_feed(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    return _xml_feed(request, pages.section_feed(slug), kind)


@feed_read
def source_feed(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    return _xml_feed(request, pages.source_feed(slug), kind)


@feed_read
def entity_feed(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    return _xml_feed(request, pages.entity_feed(slug), kind)


@feed_read
def search_feed(request: HttpRequest, kind: str) -> HttpResponse:
    return _xml_feed(request, pages.search_feed(request.GET.get("q", "")), kind)


@feed_read
def story_feed(request: HttpRequest, pk: str, kind: str) -> HttpResponse:
    """One entry per article of the story, newest first."""
    data = pages.story_feed(int(pk))
    if data is None and (target := queries.story_alias(int(pk))) is not None:
        return redirect(reverse("story_feed", args=[target, kind]), permanent=True)
    return _xml_feed(request, data, kind)


@html_read
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API's docs page, made from its OpenAPI schema."""
    data = apidocs.docs_page(api.get_openapi_schema())
    data["schema_url"] = reverse("api:openapi-json")
    return render(request, "byline/api_docs.html", data)


@feed_read
def api_index(request: HttpRequest) -> HttpResponse:
    link: Callable[[str], str] = request.build_absolute_uri
    return JsonResponse(
        {
            "about": "Every Byline page has a JSON twin: add .json to its path. The OpenAPI "
            "3.1 schema describes each one's fields; the docs page lets you browse and try "
            "them. Lists take page and per_page (at most 100) and give next links.",
            "schema": link(reverse("api:openapi-json")),
            "docs": link(reverse("api_docs")),
            "endpoints": {
                "home": link("/index.json"),
                "section": link("/section/{slug}.json"),
                "story": link("/story/{id}.json"),
                "article": link("/article/{id}.json"),
                "search": link("/search.json?q={words}"),
                "sources": link("/sources.json"),
                "entity": link("/entity/{slug}.json"),
            },
            "feeds": {
                "formats": "Add .rss, .atom or .json: RSS 2.0, Atom 1.0 or JSON Feed 1.1.",
                "home": link("/feed.rss"),
                "section": link("/section/{slug}/feed.rss"),
                "source": link("/source/{slug}/feed.rss"),
                "entity": link("/entity/{slug}/feed.rss"),
                "story": link("/story/{id}/feed.rss"),
                "search": link("/search/feed.rss?q={words}"),
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_POST
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    article = queries.article(pk)
    if article is None:
        raise Http404("No such article")
    target = reverse("article", args=[pk]) + "#replies"
    body = request.POST.get("body", "").strip()
    if request.POST.get("website"):  # honeypot: people leave it empty, bots fill it in
        return redirect(target)
    if not body or len(body) > MAX_REPLY_CHARS:
        messages.error(request, f"A reply needs between 1 and {MAX_REPLY_CHARS} characters.")
        return redirect(target)
    since = timezone.now() - timedelta(hours=1)
    if replies.replies_by_user_since(request.user, since) >= int(settings.BYLINE.replies_per_hour):
        messages.error(request, "You have posted a lot in the last hour; please wait a while.")
        return redirect(target)
    parent = request.POST.get("parent")
    try:
        replies.add_reply(article, request.user, body, int(parent) if parent else None)
    except (StoreError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(request, "Your reply is posted.")
    return redirect(target)


def signup(request: HttpRequest) -> HttpResponse:
    form: UserCreationForm[Any] = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(request, f"Welcome, {user.get_username()}.")
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("home")
        return redirect(target)
    return render(request, "registration/signup.html", {"form": form})
