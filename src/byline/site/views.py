"""Thin views: fetch the page's data from ``pages``, render it as HTML, RSS or Atom. The
JSON twins and JSON Feeds are served from the same data by ``api``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from byline.news import queries, replies, throttle
from byline.news.models import Reply
from byline.site import apidocs, feeds, forms, pages
from byline.site.api import api
from byline.site.reads import cached_read, page_links

MAX_REPLY_CHARS = replies.MAX_REPLY_CHARS
OWN_REPLIES = "byline_own_replies"  # session: ids of the replies a guest posted
DRAFT = "byline_reply_draft"  # session: a refused reply's text, to fill the form again

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


def _client(request: HttpRequest) -> str:
    """The client, for the per-address limits: REMOTE_ADDR, which ``byline run`` has
    already replaced with X-Forwarded-For's when the request came through
    BYLINE_TRUSTED_PROXY."""
    return throttle.client_key(request.META.get("REMOTE_ADDR", ""))


def _guest_may_reply(request: HttpRequest) -> bool:
    return not request.user.is_authenticated and not settings.BYLINE.replies_require_account


@html_read
def article(request: HttpRequest, pk: int) -> HttpResponse:
    signed_in = request.user.is_authenticated
    own = [] if signed_in else list(request.session.get(OWN_REPLIES, []))
    data = pages.article_page(pk, viewer=request.user if signed_in else None, own_replies=own)
    if data is None:
        raise Http404("Not found")
    guest = _guest_may_reply(request)
    data["can_reply"] = signed_in or guest
    data["reply_as_guest"] = guest
    config = settings.BYLINE
    if (config.replies_moderated and not request.user.is_staff) or (
        guest and config.replies_guests_moderated
    ):
        data["moderation_note"] = "a moderator approves each reply before others see it"
    if guest:
        data["form_token"] = forms.form_token()
    draft = request.session.pop(DRAFT, None) if DRAFT in request.session else None
    if isinstance(draft, dict) and draft.get("article") == pk:
        shown = Q(state=Reply.State.PUBLISHED)
        if signed_in:
            shown |= Q(author=request.user)
        parent = Reply.objects.filter(
            shown, pk=int(draft.get("parent") or 0), article_id=pk
        ).first()
        data["draft"] = {**draft, "parent_name": parent.display_name if parent else ""}
    response = _respond(request, "article.html", data)
    if guest or own or draft:
        # This reader's own page (their held replies, their draft, a form made for them):
        # never kept by a shared cache.
        patch_cache_control(response, private=True, no_cache=True)
    return response


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
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a reply: an account's, or a guest's when BYLINE_REPLIES_REQUIRE_ACCOUNT is off.
    Every check is ``replies.submit``'s; a refused reply comes back to its form with a
    message and its text kept."""
    article = queries.article(pk)
    if article is None:
        raise Http404("No such article")
    page_path = reverse("article", args=[pk])
    target = page_path + "#replies"
    user = request.user if request.user.is_authenticated else None
    if user is None and settings.BYLINE.replies_require_account:
        return redirect_to_login(page_path)
    if request.POST.get(forms.HONEYPOT):  # people leave it empty, bots fill it in
        return redirect(target)
    body = request.POST.get("body", "")
    name = request.POST.get("name", "")
    parent = request.POST.get("parent", "").strip()
    try:
        if user is None and (problem := forms.token_problem(request.POST.get(forms.TOKEN, ""))):
            raise replies.Refused(problem)
        if parent and not parent.isdigit():
            raise replies.Refused("The reply you answered is no longer there.")
        posted = replies.submit(
            article,
            body,
            user=user,
            name=name,
            parent_id=int(parent) if parent else None,
            client=_client(request),
            rules=replies.Rules.from_config(settings.BYLINE),
        )
    except replies.Refused as exc:
        messages.error(request, str(exc))
        request.session[DRAFT] = {
            "article": pk,
            "body": body[: MAX_REPLY_CHARS * 2],
            "name": name[:200],
            "parent": parent if parent.isdigit() else "",
        }
        return redirect(target)
    if user is None:
        request.session[OWN_REPLIES] = [*request.session.get(OWN_REPLIES, [])[-49:], posted.pk]
    if posted.state == Reply.State.PENDING:
        messages.info(
            request,
            "Your reply is awaiting moderation: you can see it here, and others will once a "
            "moderator has approved it.",
        )
    else:
        messages.success(request, "Your reply is posted.")
    return redirect(target)


def signup(request: HttpRequest) -> HttpResponse:
    """An account with a user name and a password, no email: the honeypot, the signed
    timestamp, Django's password validators and BYLINE_SIGNUPS_PER_IP_DAY keep bots out."""
    form = forms.SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        limit = int(settings.BYLINE.signups_per_ip_day)
        with transaction.atomic():
            allowed = throttle.hit("signup", _client(request), limit, timedelta(days=1))
            user = form.save() if allowed else None
        if user is not None:
            login(request, user)
            messages.success(request, f"Welcome, {user.get_username()}.")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("home")
            return redirect(target)
        form.add_error(
            None,
            "Several accounts have been created from your network today; please try again "
            "tomorrow, or ask the site's operator to create one for you.",
        )
        status = 429
    form.fresh_token()
    return render(request, "registration/signup.html", {"form": form}, status=status)
