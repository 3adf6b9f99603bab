"""The JSON API, pagination, conditional GET and the outgoing feeds, through Django's test
client over the news world of conftest.py (built by the real pipeline).

The central check: every path the OpenAPI schema documents is fetched with real ids, and the
real response is validated against the schema's own response model with ``jsonschema``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from jsonschema import Draft202012Validator

from byline import pipeline
from byline.judge.entities import Entity as Named
from byline.news import replies, store
from byline.news.models import Article, ArticleVersion, Story
from byline.records import Article as ArticleRecord

pytestmark = pytest.mark.django_db

SCHEMA = "/api/openapi.json"


def schema(client: Client) -> dict[str, Any]:
    response = client.get(SCHEMA)
    assert response.status_code == 200
    return dict(response.json())


def validator(document: dict[str, Any], path: str, status: int) -> Draft202012Validator:
    """A validator for the response the schema documents for GET ``path`` with ``status``:
    its ``$ref`` resolved against the document's components (OpenAPI 3.1 schemas are JSON
    Schema 2020-12)."""
    responses = document["paths"][path]["get"]["responses"]
    assert str(status) in responses, f"{path} does not document {status}"
    content = responses[str(status)]["content"]
    (media,) = content.values()
    root = {**media["schema"], "components": document["components"]}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root)


def assert_valid(document: dict[str, Any], path: str, response: Any) -> None:
    """The response is what the schema documents for it: its media type and its body."""
    content = document["paths"][path]["get"]["responses"][str(response.status_code)]["content"]
    assert response["Content-Type"].split(";")[0] in content, path
    errors = sorted(
        validator(document, path, response.status_code).iter_errors(response.json()),
        key=lambda e: list(e.absolute_path),
    )
    assert not errors, f"{path}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )


def name_entities(world: Any) -> None:
    store.save_entities(
        [
            (world.origin, [Named("PERSON", "Bruno Halvik", 2), Named("PLACE", "Ardent Sea")]),
            (world.spun, [Named("PERSON", "Bruno Halvik")]),
            (world.other, [Named("PLACE", "Ardent Sea"), Named("PERSON", "Ilse Maren")]),
        ]
    )


def enrich(world: Any) -> None:
    """Everything a page can show: names, a threaded reply and an earlier headline."""
    name_entities(world)
    user = get_user_model().objects.create_user("ada", password="correct horse battery")
    first = replies.add_reply(world.spun, user, "Is this the agency's text?", None)
    replies.add_reply(world.spun, user, "It is, reworded.", first.pk)
    ArticleVersion.objects.create(
        article=world.spun,
        title="Dock strike: an earlier headline",
        standfirst="",
        text_hash="x",
        published=world.spun.published,
        change="headline changed",
    )


def documented_requests(world: Any) -> dict[str, list[str]]:
    """For every documented path, the real requests that exercise it."""
    section = world.story.section.slug
    return {
        "/index.json": ["/index.json", "/index.json?page=2&per_page=1"],
        "/section/{slug}.json": [f"/section/{section}.json"],
        "/story/{pk}.json": [
            f"/story/{world.story.pk}.json",
            f"/story/{world.other.story_id}.json",
        ],
        "/article/{pk}.json": [f"/article/{a.pk}.json" for a in (world.origin, world.spun)],
        "/search.json": ["/search.json?q=Halvik", "/search.json", "/search.json?q=nothingmatches"],
        "/sources.json": ["/sources.json"],
        "/entity/{slug}.json": ["/entity/ardent-sea.json", "/entity/bruno-halvik.json"],
        "/feed.json": ["/feed.json"],
        "/section/{slug}/feed.json": [f"/section/{section}/feed.json"],
        "/source/{slug}/feed.json": [f"/source/{world.spun.source.slug}/feed.json"],
        "/entity/{slug}/feed.json": ["/entity/bruno-halvik/feed.json"],
        "/story/{pk}/feed.json": [f"/story/{world.story.pk}/feed.json"],
        "/search/feed.json": ["/search/feed.json?q=Halvik"],
    }


# ── the schema, and every documented endpoint against it ──────────────────────────────────


def test_the_schema_is_openapi_3_1_with_browsable_docs(client: Client, db: None) -> None:
    document = schema(client)
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Byline"
    for name in ("StoryPage", "ArticlePage", "Pagination", "JsonFeed"):
        component = document["components"]["schemas"][name]
        Draft202012Validator.check_schema(component)
        assert component["description"]  # documented
    # Every field of every model is named in the schema; none is left open.
    assert document["components"]["schemas"]["StoryPage"]["additionalProperties"] is False
    index = client.get("/api/").json()
    assert index["schema"] == "http://testserver" + SCHEMA
    assert index["docs"] == "http://testserver/api/docs"
    assert 'href="/api/docs">JSON API</a>' in client.get("/").content.decode()


def test_the_docs_page_shows_every_endpoint_and_model(client: Client, db: None) -> None:
    document = schema(client)
    response = client.get("/api/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'href="{SCHEMA}"' in html
    assert "<script" not in html.split("</footer>")[0]  # plain HTML: no script, no CDN
    assert "cdn" not in html.lower()
    for path, item in document["paths"].items():
        operation = item["get"]
        assert f'id="op-{operation["operationId"]}"' in html, path
        assert f"<code>GET {path}</code>" in html, path
    for name, model in document["components"]["schemas"].items():
        assert f'id="model-{name}"' in html, name
        for field in model.get("properties", {}):
            assert f"<code>{field}</code>" in html, f"{name}.{field}"
    # Types link to their models, and descriptions come from the models.
    assert '<a href="#model-Pagination">Pagination</a>' in html
    assert "Follow <code>next</code> until it is null" in html or "follow <code>next</code>" in html
    assert "The page to read, from 1." in html
    assert 'Try it: <a href="/sources.json">' in html


def test_every_documented_endpoint_answers_as_its_schema_says(client: Client, world: Any) -> None:
    enrich(world)
    document = schema(client)
    requests = documented_requests(world)
    # A new endpoint must come with requests here, or this test fails.
    assert set(document["paths"]) == set(requests)
    for path, urls in requests.items():
        assert list(document["paths"][path]) == ["get"], path
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_valid(document, path, response)
    # The check has teeth: an undocumented field, or a missing one, fails it.
    sources = client.get("/sources.json").json()
    assert not validator(document, "/sources.json", 200).is_valid({**sources, "extra": 1})
    del sources["sources"][0]["slug"]
    assert not validator(document, "/sources.json", 200).is_valid(sources)
    # The fixtures reach the optional parts of the models, so those were checked too.
    story = client.get(f"/story/{world.story.pk}.json").json()
    assert {e["kind"] for e in story["timeline"]} == {"published", "changed"}
    assert story["coverage"][1]["evidence"]["pairs"]
    article = client.get(f"/article/{world.spun.pk}.json").json()
    assert article["replies"][0]["children"][0]["body"] == "It is, reworded."
    assert article["versions"] and article["provenance"]["origin"]


def test_errors_are_documented_too(client: Client, world: Any) -> None:
    document = schema(client)
    for path, url in [
        ("/story/{pk}.json", "/story/999999.json"),
        ("/article/{pk}.json", "/article/999999.json"),
        ("/section/{slug}.json", "/section/no-such-section.json"),
        ("/entity/{slug}.json", "/entity/nobody.json"),
        ("/source/{slug}/feed.json", "/source/nobody/feed.json"),
        ("/entity/{slug}/feed.json", "/entity/nobody/feed.json"),
        ("/section/{slug}/feed.json", "/section/nothing/feed.json"),
        ("/story/{pk}/feed.json", "/story/999999/feed.json"),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert_valid(document, path, response)
    response = client.get("/sources.json?per_page=500")
    assert response.status_code == 400
    assert_valid(document, "/sources.json", response)


def test_field_names_are_stable(client: Client, world: Any) -> None:
    """The documented names of the main objects: renaming one breaks API users."""
    document = schema(client)["components"]["schemas"]

    def fields(name: str) -> set[str]:
        return set(document[name]["properties"])

    assert fields("ArticleSummary") == {
        "id", "title", "standfirst", "url", "path", "published", "published_estimated",
        "source", "relation", "relation_label", "origin_id", "common_source", "carrier",
    }  # fmt: skip
    assert fields("StorySummary") == {
        "id", "title", "path", "section", "first_published", "last_published", "articles",
        "sources",
    }  # fmt: skip
    assert fields("Pagination") == {
        "page", "per_page", "next_page", "previous_page", "next", "previous",
    }  # fmt: skip
    assert fields("StoryPage") >= {"story", "first_reported", "coverage", "timeline", "feeds"}
    assert fields("ArticlePage") >= {"article", "source_link", "provenance", "related"}


# ── pagination ────────────────────────────────────────────────────────────────────────────


@dataclass
class Crowd:
    """Many one-article stories in the world's section, all naming Lighthouse Bay and all
    matching the search word "lighthouse"."""

    articles: list[Article]
    stories: list[Story]


@pytest.fixture
def crowd(world: Any) -> Crowd:
    section = world.story.section
    source = world.other.source
    articles, stories = [], []
    start = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    for n in range(23):
        published = start + timedelta(hours=n)
        record = ArticleRecord(
            url=f"https://harbourpost.example/world/lighthouse-{n}",
            canonical_url=f"https://harbourpost.example/world/lighthouse-{n}",
            title=f"Lighthouse keeper number {n} retires",
            standfirst=f"Keeper {n} hands over the lamp.",
            author="",
            published=published,
            language="en",
            text=f"The lighthouse keeper number {n} retired on a calm day. " * 8,
            categories=("World News",),
        )
        article = store.save_article(pipeline.process_article(record), source)
        assert article is not None
        story = Story.objects.create(
            title=record.title,
            section=section,
            first_published=published,
            last_published=published,
            article_count=1,
            source_count=1,
        )
        Article.objects.filter(pk=article.pk).update(story=story, section=section)
        articles.append(article)
        stories.append(story)
    store.save_entities([(a, [Named("PLACE", "Lighthouse Bay")]) for a in articles])
    return Crowd(articles, stories)


def walk(client: Client, url: str, key: str) -> tuple[list[Any], int]:
    """Follow ``next`` from ``url``; every item's id under ``key``, and the pages read."""
    seen: list[Any] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, next_url
        data = response.json()
        pages += 1
        assert data["pagination"]["page"] == pages
        seen.extend(item.get("id", item.get("slug")) for item in data[key])
        next_url = data["pagination"]["next"]
        if next_url:
            assert next_url.startswith("http://testserver/")
        assert pages < 50
    return seen, pages


@pytest.mark.parametrize(
    ("url", "key", "per_page"),
    [
        ("/index.json", "top_stories", 4),
        ("/section/{section}.json", "stories", 5),
        ("/search.json?q=lighthouse", "results", 10),
        ("/entity/lighthouse-bay.json", "stories", 7),
        ("/sources.json", "sources", 2),
        ("/story/{story}.json", "coverage", 1),
    ],
)
def test_next_links_walk_every_item_exactly_once(
    client: Client, world: Any, crowd: Crowd, url: str, key: str, per_page: int
) -> None:
    url = url.format(section=world.story.section.slug, story=world.story.pk)
    everything = client.get(url + ("&" if "?" in url else "?") + "per_page=100").json()
    assert everything["pagination"]["next"] is None
    expected = [item.get("id", item.get("slug")) for item in everything[key]]
    assert len(expected) >= 2
    seen, pages = walk(client, url + ("&" if "?" in url else "?") + f"per_page={per_page}", key)
    assert seen == expected  # every item once, in the same order
    assert pages == -(-len(expected) // per_page)
    # The query is kept in the links (the search words, the page size).
    if "q=" in url:
        second = client.get(url + f"&per_page={per_page}").json()["pagination"]["next"]
        assert "q=lighthouse" in second and f"per_page={per_page}" in second


def test_lists_have_a_bounded_default_page(client: Client, world: Any, crowd: Crowd) -> None:
    section = client.get(f"/section/{world.story.section.slug}.json").json()
    assert len(section["stories"]) == section["pagination"]["per_page"] == 20
    assert section["pagination"]["next_page"] == 2 and section["pagination"]["previous"] is None
    second = client.get(section["pagination"]["next"]).json()
    assert second["pagination"]["previous_page"] == 1
    assert second["pagination"]["previous"].endswith(
        f"/section/{world.story.section.slug}.json?page=1"
    )
    home = client.get("/index.json").json()
    assert len(home["top_stories"]) == 5 and home["sections"]
    assert client.get("/index.json?page=2").json()["sections"] == []  # previews on page 1 only


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=two", "per_page=0", "per_page=101", "page=10001", "page="]
)
def test_bad_page_parameters_are_a_400(client: Client, world: Any, query: str) -> None:
    for path in ["/index.json", "/sources.json", f"/section/{world.story.section.slug}.json"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, f"{path}?{query}"
        assert response.json()["detail"]
    for path in ["/", "/sources/", f"/section/{world.story.section.slug}/", "/search/?q=x"]:
        response = client.get(f"{path}{'&' if '?' in path else '?'}{query}")
        assert response.status_code == 400, f"{path} {query}"


def test_a_page_past_the_end_is_empty(client: Client, world: Any) -> None:
    data = client.get("/search.json?q=Halvik&page=50").json()
    assert data["results"] == [] and data["pagination"]["next"] is None
    assert data["pagination"]["previous_page"] == 49
    html = client.get(f"/section/{world.story.section.slug}/?page=9")
    assert html.status_code == 200 and "No more stories" in html.content.decode()


def test_html_pages_link_the_next_page(client: Client, world: Any, crowd: Crowd) -> None:
    section = reverse("section", args=[world.story.section.slug])
    html = client.get(section).content.decode()
    assert f'<link rel="next" href="{section}?page=2">' in html
    assert 'rel="prev"' not in html
    assert f'<a class="pager-next" rel="next" href="{section}?page=2">Next page' in html
    last = client.get(section + "?page=2").content.decode()
    assert f'<link rel="prev" href="{section}?page=1">' in last
    assert f'<a class="pager-previous" rel="prev" href="{section}?page=1">' in last
    assert '<link rel="next"' not in last and "pager-next" not in last
    # Every story of the section, over both pages, each once.
    ids = re.findall(r'class="story-card-title"><a href="/story/(\d+)/"', html + last)
    assert len(ids) == len(set(ids)) == 25
    search = client.get("/search/?q=lighthouse&per_page=10").content.decode()
    assert 'href="/search/?q=lighthouse&amp;per_page=10&amp;page=2"' in search
    home = client.get("/").content.decode()
    assert '<link rel="next" href="/?page=2">' in home


# ── ETag, Cache-Control and 304 ───────────────────────────────────────────────────────────


def read_urls(world: Any) -> list[str]:
    return [
        "/",
        reverse("story", args=[world.story.pk]),
        f"/story/{world.story.pk}.json",
        f"/article/{world.spun.pk}.json",
        "/sources.json",
        "/feed.rss",
        "/feed.atom",
        "/feed.json",
        f"/story/{world.story.pk}/feed.atom",
        "/search/feed.json?q=Halvik",
        "/api/",
        "/api/openapi.json",
    ]


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client: Client, world: Any) -> None:
    for url in read_urls(world):
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first["ETag"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag), url
        assert "max-age=60" in first["Cache-Control"], url
        again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304, url
        assert again.content == b"" and again["ETag"] == etag
        assert client.get(url, headers={"if-none-match": '"stale"'}).status_code == 200
        head = client.head(url)
        assert head.status_code == 200 and head["ETag"] == etag and head.content == b"", url
        assert client.head(url, headers={"if-none-match": etag}).status_code == 304


def test_the_etag_changes_with_the_data(client: Client, world: Any) -> None:
    url = f"/story/{world.story.pk}.json"
    etag = client.get(url)["ETag"]
    Story.objects.filter(pk=world.story.pk).update(title="Port Ardent strike: a new headline")
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_json_and_feeds_are_public_signed_in_pages_private(
    reader_client: Client, world: Any
) -> None:
    html = reader_client.get(reverse("article", args=[world.spun.pk]))
    assert "private" in html["Cache-Control"] and "no-cache" in html["Cache-Control"]
    for url in (f"/article/{world.spun.pk}.json", "/feed.rss", "/feed.json"):
        response = reader_client.get(url)
        assert "public" in response["Cache-Control"], url
    assert client_is_anonymous_public(world)


def client_is_anonymous_public(world: Any) -> bool:
    response = Client().get(reverse("article", args=[world.spun.pk]))
    assert "Cookie" in response["Vary"]  # a reader who signs in gets a fresh page
    return "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_errors_are_not_cached(client: Client, db: None) -> None:
    for url in ("/story/999999/", "/story/999999.json", "/section/none/feed.rss"):
        response = client.get(url)
        assert response.status_code == 404 and not response.has_header("ETag"), url


# ── outgoing feeds ────────────────────────────────────────────────────────────────────────


def feed_paths(world: Any) -> dict[str, tuple[str, set[int]]]:
    """Each feed's path (less its extension) and the articles it must list."""
    everyone = {world.origin.pk, world.spun.pk, world.other.pk}
    return {
        "home": ("/feed", everyone),
        "section": (f"/section/{world.story.section.slug}/feed", everyone),
        "source": (f"/source/{world.spun.source.slug}/feed", {world.spun.pk}),
        "entity": ("/entity/bruno-halvik/feed", {world.origin.pk, world.spun.pk}),
        "story": (f"/story/{world.story.pk}/feed", {world.origin.pk, world.spun.pk}),
        "search": ("/search/feed", {world.origin.pk, world.spun.pk}),
    }


def article_id(link: str) -> int:
    match = re.fullmatch(r"http://testserver/article/(\d+)/", link)
    assert match, link
    return int(match.group(1))


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("scope", ["home", "section", "source", "entity", "story", "search"])
def test_rss_and_atom_feeds(client: Client, world: Any, scope: str, kind: str) -> None:
    name_entities(world)
    path, expected = feed_paths(world)[scope]
    url = f"{path}.{kind}" + ("?q=Halvik" if scope == "search" else "")
    response = client.get(url)
    assert response.status_code == 200, url
    assert f"application/{kind}+xml" in response["Content-Type"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title.endswith("— Byline")
    assert {article_id(entry.link) for entry in parsed.entries} == expected
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    spun = [e for e in parsed.entries if article_id(e.link) == world.spun.pk]
    if spun:
        assert spun[0].title == f"World News Hub: {world.spun.title}"
        assert "World News Hub (Spun copy)." in spun[0].summary
    # Headlines and excerpts only, never the full text.
    assert world.late_sentence not in response.content.decode()


@pytest.mark.parametrize("scope", ["home", "section", "source", "entity", "story", "search"])
def test_json_feeds_have_the_required_fields(client: Client, world: Any, scope: str) -> None:
    name_entities(world)
    path, expected = feed_paths(world)[scope]
    url = f"{path}.json" + ("?q=Halvik" if scope == "search" else "")
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and isinstance(feed["items"], list)
    assert feed["feed_url"] == f"http://testserver{url}"
    assert urlsplit(feed["home_page_url"]).netloc == "testserver"
    for item in feed["items"]:
        assert item["id"] and (item.get("content_text") or item.get("content_html"))
        assert item["url"] == item["id"]
        datetime.fromisoformat(item["date_published"])  # RFC 3339
        assert item["authors"][0]["name"]
    assert {article_id(item["url"]) for item in feed["items"]} == expected
    spun = next(i for i in feed["items"] if i["url"].endswith(f"/article/{world.spun.pk}/"))
    assert spun["external_url"] == world.spun.url and spun["tags"] == ["Spun copy"]
    assert world.late_sentence not in response.content.decode()


def test_unknown_feeds_are_404(client: Client, world: Any) -> None:
    for url in (
        "/section/none/feed.rss",
        "/source/none/feed.atom",
        "/entity/none/feed.rss",
        "/story/999999/feed.atom",
        "/source/none/feed.json",
    ):
        assert client.get(url).status_code == 404, url
    empty = feedparser.parse(client.get("/search/feed.rss?q=nothingmatches").content)
    assert empty.entries == []


def test_pages_name_their_feeds(client: Client, world: Any) -> None:
    name_entities(world)
    pages = {
        "/": "/feed",
        reverse("section", args=[world.story.section.slug]): (
            f"/section/{world.story.section.slug}/feed"
        ),
        reverse("entity", args=["bruno-halvik"]): "/entity/bruno-halvik/feed",
        reverse("story", args=[world.story.pk]): f"/story/{world.story.pk}/feed",
        "/search/?q=Halvik": "/search/feed",
    }
    for url, feed in pages.items():
        html = client.get(url).content.decode()
        query = "?q=Halvik" if "q=" in url else ""
        for kind, media in [("rss", "rss+xml"), ("atom", "atom+xml"), ("json", "feed+json")]:
            href = f"{feed}.{kind}{query}"
            assert re.search(
                rf'<link rel="alternate" type="application/{re.escape(media)}" title="[^"]+" '
                rf'href="{re.escape(href)}">',
                html,
            ), f"{url}: no {kind} feed link"
    sources = client.get("/sources/").content.decode()
    assert f'href="/source/{world.spun.source.slug}/feed.rss"' in sources
    data = client.get("/sources.json").json()
    assert data["sources"][0]["feeds"]["json"].endswith("/feed.json")
