"""Thin views: fetch the page's data from ``pages``, render it as HTML or JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from byline.errors import StoreError
from byline.news import queries, replies
from byline.site import pages

MAX_REPLY_CHARS = 5000


def _respond(
    request: HttpRequest, template: str, data: dict[str, Any] | None, fmt: str | None
) -> HttpResponse:
    if data is None:
        raise Http404("Not found")
    if fmt == ".json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return render(request, f"byline/{template}", data)


def home(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    return _respond(request, "home.html", pages.home_page(), fmt)


def section(request: HttpRequest, slug: str, fmt: str | None = None) -> HttpResponse:
    return _respond(request, "section.html", pages.section_page(slug), fmt)


def story(request: HttpRequest, pk: str, fmt: str | None = None) -> HttpResponse:
    data = pages.story_page(int(pk))
    if data is None and (target := queries.story_alias(int(pk))) is not None:
        # A story merged into another keeps its address: send readers on, permanently.
        return redirect(reverse("story", args=[target, fmt] if fmt else [target]), permanent=True)
    return _respond(request, "story.html", data, fmt)


FEED_TYPES: dict[str, type[feedgenerator.Rss201rev2Feed | feedgenerator.Atom1Feed]] = {
    "rss": feedgenerator.Rss201rev2Feed,
    "atom": feedgenerator.Atom1Feed,
}


def story_feed(request: HttpRequest, pk: str, kind: str) -> HttpResponse:
    """RSS 2.0 or Atom: one entry per article of the story, newest first, each a headline,
    its outlet, label and excerpt, and a link to its Byline page."""
    data = pages.story_page(int(pk))
    if data is None:
        if (target := queries.story_alias(int(pk))) is not None:
            return redirect(reverse("story_feed", args=[target, kind]), permanent=True)
        raise Http404("No such story")
    story = data["story"]
    absolute = request.build_absolute_uri
    feed = FEED_TYPES[kind](
        title=f"{story['title']} — {settings.BYLINE.site_name}",
        link=absolute(story["path"]),
        description="Every outlet's coverage of this story, traced to the original report.",
        feed_url=absolute(request.path),
        language="en",
    )
    items = sorted(data["coverage"], key=lambda i: (i["published"], i["id"]), reverse=True)
    for item in items:
        label = f" ({item['relation_label']})" if item["relation_label"] else ""
        feed.add_item(
            title=f"{item['source']['name']}: {item['title']}",
            link=absolute(item["path"]),
            description=f"{item['source']['name']}{label}. {item['excerpt']}",
            unique_id=absolute(item["path"]),
            pubdate=datetime.fromisoformat(item["published"]),
            author_name=item["source"]["name"],
            categories=[item["relation_label"]] if item["relation_label"] else [],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)


def article(request: HttpRequest, pk: str, fmt: str | None = None) -> HttpResponse:
    return _respond(request, "article.html", pages.article_page(int(pk)), fmt)


def entity(request: HttpRequest, slug: str, fmt: str | None = None) -> HttpResponse:
    return _respond(request, "entity.html", pages.entity_page(slug), fmt)


def sources(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    return _respond(request, "sources.html", pages.sources_page(), fmt)


def search(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    return _respond(request, "search.html", pages.search_page(request.GET.get("q", "")), fmt)


def api_index(request: HttpRequest) -> HttpResponse:
    link: Callable[[str], str] = request.build_absolute_uri
    return JsonResponse(
        {
            "about": "Every Byline page has a JSON twin: add .json to its path.",
            "endpoints": {
                "home": link("/index.json"),
                "section": link("/section/{slug}.json"),
                "story": link("/story/{id}.json"),
                "article": link("/article/{id}.json"),
                "search": link("/search.json?q={words}"),
                "sources": link("/sources.json"),
                "entity": link("/entity/{slug}.json"),
            },
        }
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
