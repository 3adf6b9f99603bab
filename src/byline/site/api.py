"""The JSON API: every page's JSON twin (add ``.json`` to its path) and the JSON Feeds, served
by django-ninja from the same ``pages.*`` data as the HTML pages. The response models in
``schemas`` describe them; ninja checks each response against its model and publishes the
OpenAPI 3.1 schema at /api/openapi.json; /api/docs is a page made from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from ninja import NinjaAPI, P, PathEx, QueryEx
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from byline.news import queries
from byline.site import feeds, pages, schemas
from byline.site.reads import cached_read, page_links

DESCRIPTION = """\
Byline's JSON API: the data of every page of the site, and outgoing feeds.

* Every page has a JSON twin at its path with `.json` added (`/story/3/` → `/story/3.json`).
* Lists come a page at a time: `page` (from 1) and `per_page` (at most 100). Each list's
  `pagination` object gives `next` and `previous` URLs; follow `next` until it is null to
  read every item once. A page past the end is empty; a bad `page` or `per_page` is a 400.
* Reads carry an `ETag` and `Cache-Control`; send `If-None-Match` to get a 304 when nothing
  changed.
* Feeds: RSS, Atom and JSON Feed 1.1 for the front page (`/feed.rss`, `/feed.atom`,
  `/feed.json`), each section (`/section/SLUG/feed.rss` …), source (`/source/SLUG/feed.…`),
  entity (`/entity/SLUG/feed.…`), story (`/story/ID/feed.…`) and search
  (`/search/feed.…?q=WORDS`). Only the JSON Feeds are described below; RSS and Atom carry the
  same items.

Byline publishes headlines, standfirsts and short excerpts only, never an article's full text,
and links every article to the original reporting.
"""

PageNumber = QueryEx[int, P(ge=1, le=pages.MAX_PAGE, description="The page to read, from 1.")]
PerPage = QueryEx[int, P(ge=1, le=pages.MAX_PER_PAGE, description="Items per page (1–100).")]
Words = QueryEx[str, P(description="The words to search for (every one must match).")]
StoryId = PathEx[int, P(description="The story's id.")]
ArticleId = PathEx[int, P(description="The article's id.")]
SectionSlug = PathEx[str, P(description="The section's slug (e.g. world).")]
SourceSlug = PathEx[str, P(description="The source's slug (see /sources.json).")]
EntitySlug = PathEx[str, P(description="The entity's slug (e.g. ardent-sea).")]

READS = {400: schemas.Problem, 404: schemas.Problem}


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class BylineAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Ninja's schema, the JSON Feeds' success given their own media type (what they are
        served as) instead of plain JSON."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema["paths"].values():
            operation = item.get("get", {})
            if "feeds" in operation.get("tags", []):
                responses = operation["responses"]
                content = responses.get(200, responses.get("200", {})).get("content", {})
                if "application/json" in content:
                    content[feeds.JSON_FEED_TYPE] = content.pop("application/json")
        return schema


api = BylineAPI(
    title="Byline",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/api/openapi.json",
    docs_url=None,  # the docs page is Byline's own (views.api_docs): no script, no CDN
    docs_decorator=cached_read(),
    renderer=Renderer(),
)


@api.exception_handler(ValidationError)
def bad_parameter(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A bad parameter (``page=0``, ``per_page=500``, ``page=two``) is the client's error."""
    return api.create_response(request, {"detail": exc.errors}, status=400)


def read(
    path: str, response: type[schemas.Out], summary: str, tag: str, name: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a read at ``path`` for GET (documented) and HEAD, with ETag and
    Cache-Control; ``name`` is its URL name in the ``api`` namespace."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        options: dict[str, Any] = {
            "response": {200: response, **READS},
            "by_alias": True,
            "exclude_unset": True,
            "url_name": name,
        }
        api.get(path, summary=summary, tags=[tag], operation_id=name, **options)(view)
        decorate_view(cached_read())(view)
        api.api_operation(["HEAD"], path, include_in_schema=False, **options)(view)
        decorate_view(cached_read())(view)
        return view

    return register


def _found(data: dict[str, Any] | None) -> dict[str, Any]:
    if data is None:
        raise Http404("Not found")
    return data


def _paged(request: HttpRequest, data: dict[str, Any] | None) -> dict[str, Any]:
    """The page's data with its pagination's absolute ``next``/``previous`` links."""
    data = _found(data)
    data["pagination"] = page_links(request, data["pagination"], absolute=True)
    return data


# ── the pages' JSON twins ─────────────────────────────────────────────────────────────────


@read("/index.json", schemas.HomePage, "The front page", "pages", "home")
def home(
    request: HttpRequest, page: PageNumber = 1, per_page: PerPage = pages.HOME_PER_PAGE
) -> dict[str, Any]:
    return _paged(request, pages.home_page(pages.Paging(page, per_page)))


@read("/section/{slug}.json", schemas.SectionPage, "A section's stories", "pages", "section")
def section(
    request: HttpRequest, slug: SectionSlug, page: PageNumber = 1, per_page: PerPage = 20
) -> dict[str, Any]:
    return _paged(request, pages.section_page(slug, pages.Paging(page, per_page)))


@read("/story/{int:pk}.json", schemas.StoryPage, "A story's coverage", "pages", "story")
def story(
    request: HttpRequest,
    pk: StoryId,
    page: PageNumber = 1,
    per_page: PerPage = pages.STORY_PER_PAGE,
) -> Any:
    data = pages.story_page(pk, pages.Paging(page, per_page))
    if data is None and (target := queries.story_alias(pk)) is not None:
        # A story merged into another keeps its address: send readers on, permanently.
        return redirect(reverse("api:story", args=[target]), permanent=True)
    return _paged(request, data)


@read("/article/{int:pk}.json", schemas.ArticlePage, "An article", "pages", "article")
def article(request: HttpRequest, pk: ArticleId) -> dict[str, Any]:
    return _found(pages.article_page(pk))


@read("/search.json", schemas.SearchPage, "Search articles", "pages", "search")
def search(
    request: HttpRequest, q: Words = "", page: PageNumber = 1, per_page: PerPage = 20
) -> dict[str, Any]:
    return _paged(request, pages.search_page(q, pages.Paging(page, per_page)))


@read("/sources.json", schemas.SourcesPage, "Sources and their record", "pages", "sources")
def sources(
    request: HttpRequest, page: PageNumber = 1, per_page: PerPage = pages.SOURCES_PER_PAGE
) -> dict[str, Any]:
    return _paged(request, pages.sources_page(pages.Paging(page, per_page)))


@read("/entity/{slug}.json", schemas.EntityPage, "Stories naming an entity", "pages", "entity")
def entity(
    request: HttpRequest, slug: EntitySlug, page: PageNumber = 1, per_page: PerPage = 20
) -> dict[str, Any]:
    return _paged(request, pages.entity_page(slug, pages.Paging(page, per_page)))


# ── JSON Feeds ────────────────────────────────────────────────────────────────────────────


def _json_feed(request: HttpRequest, response: HttpResponse, data: Any) -> dict[str, Any]:
    response["Content-Type"] = feeds.JSON_FEED_TYPE
    return feeds.json_feed(request, _found(data))


@read("/feed.json", schemas.JsonFeed, "The newest articles", "feeds", "feed")
def home_feed(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    return _json_feed(request, response, pages.home_feed())


@read("/section/{slug}/feed.json", schemas.JsonFeed, "A section's feed", "feeds", "section_feed")
def section_feed(request: HttpRequest, response: HttpResponse, slug: SectionSlug) -> dict[str, Any]:
    return _json_feed(request, response, pages.section_feed(slug))


@read("/source/{slug}/feed.json", schemas.JsonFeed, "A source's feed", "feeds", "source_feed")
def source_feed(request: HttpRequest, response: HttpResponse, slug: SourceSlug) -> dict[str, Any]:
    return _json_feed(request, response, pages.source_feed(slug))


@read("/entity/{slug}/feed.json", schemas.JsonFeed, "An entity's feed", "feeds", "entity_feed")
def entity_feed(request: HttpRequest, response: HttpResponse, slug: EntitySlug) -> dict[str, Any]:
    return _json_feed(request, response, pages.entity_feed(slug))


@read("/story/{int:pk}/feed.json", schemas.JsonFeed, "A story's feed", "feeds", "story_feed")
def story_feed(request: HttpRequest, response: HttpResponse, pk: StoryId) -> Any:
    data = pages.story_feed(pk)
    if data is None and (target := queries.story_alias(pk)) is not None:
        return redirect(reverse("api:story_feed", args=[target]), permanent=True)
    return _json_feed(request, response, data)


@read("/search/feed.json", schemas.JsonFeed, "A search's feed", "feeds", "search_feed")
def search_feed(request: HttpRequest, response: HttpResponse, q: Words = "") -> dict[str, Any]:
    return _json_feed(request, response, pages.search_feed(q))
