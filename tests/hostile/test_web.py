"""The web, hostile: Django's test client against the real app and its real database.

* XSS: a corpus of classic payloads is stored in every field a page shows — headline,
  standfirst, author, source name, feed title, section name, entity name, a guest's name and a
  reply — and searched for; every HTML page must show it escaped and never as markup, JSON
  must carry it as data (with nosniff), RSS/Atom must carry it as XML text.
* CSRF: a reply or a sign-in POST without the token is refused (403) and changes nothing.
* Path traversal on /static/ and the other path-taking URLs: 404, nothing served.
* 100 kB query strings: answered (200 or 400), never 500, within budget.
* Full-text search operator injection (quotes, NEAR, *, parentheses, MATCH syntax, column
  filters, NUL): 200 with sane results on SQLite and on PostgreSQL (these tests are
  ``django_db``, so ``make test-postgres`` runs them there).
* The admin without a login redirects to the login page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape
from tests.hostile.budget import within
from tests.markup import URL_ATTRIBUTES, is_javascript_url, start_tags
from tests.site.conftest import ORIGIN_TEXT, OTHER_TEXT, _record, store_and_judge

from byline.news import registry
from byline.news.models import Article, ArticleEntity, Entity, Feed, Reply, Section

pytestmark = pytest.mark.django_db

XSS = {
    "xss-script-tag": "<script>alert(1)</script>",
    "xss-img-onerror": "<img src=x onerror=alert(1)>",
    "xss-svg-onload": '"><svg/onload=alert(1)>',
    "xss-single-quote-breakout": "'><iframe src=//evil.example></iframe>",
    "xss-javascript-url": '<a href="javascript:alert(1)">click</a>',
    "xss-style-url": '<div style="background:url(javascript:alert(1))">x</div>',
    "xss-body-onload": "<body onload=alert(1)>",
    "xss-input-autofocus": "<input autofocus onfocus=alert(1)>",
    "xss-math-xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "xss-cdata-comment": "<!-- c --><![CDATA[<script>x</script>]]>",
    "xss-pre-escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "xss-template-syntax": "{{ request.user }} {% debug %} ${alert(1)}",
    "xss-end-title": "</title><script>alert(1)</script>",
    "xss-json-breakout": '"}]}</script><script>alert(1)</script>',
    "xss-control-characters": "\x01\x08\x0b\x1b[31m<b>red</b>\x1b[0m\ufffe",
}


def assert_inert(html: str, payload: str, where: str) -> None:
    """No markup of the payload's: it is not in the page as it is (when it holds anything
    to escape), scripts are the site's own files, no event handlers, no javascript: URLs."""
    if any(c in payload for c in "<>\"'&"):
        assert payload not in html, f"{where}: the payload is in the page unescaped"
    for tag, attrs in start_tags(html):
        assert tag not in {"svg", "iframe", "math", "img"}, f"{where}: <{tag}> became markup"
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), f"{where}: inline <script>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}=…>"
            assert name not in {"xlink:href", "srcdoc"}, f"{where}: <{tag} {name}>"
            if name in URL_ATTRIBUTES:
                assert not is_javascript_url(value), where
    assert len(re.findall(r"<body\b", html)) <= 1, where


def xml_text(text: str) -> str:
    """``text`` as an XML feed can carry it: without the characters XML 1.0 cannot hold."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def strings(value: Any) -> list[str]:
    """Every string in a decoded JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@dataclass
class World:
    payload: str
    article: Article
    story_id: int
    source_slug: str
    entity_slug: str


def build(payload: str) -> World:
    registry.ensure_sections()
    Section.objects.filter(slug="world").update(name=f"World {payload}")
    evil = registry.add_source(
        f"Evil {payload} Press", "https://evil.example/feed.xml", "https://evil.example/"
    )
    Feed.objects.filter(pk=evil.pk).update(title=f"Feed {payload}")
    other = registry.add_source(
        "Harbour Post", "https://harbourpost.example/feed", "https://harbourpost.example/"
    ).source
    when = datetime(2026, 10, 3, 8, 15, tzinfo=UTC)
    records = [
        (
            evil.source,
            _record(
                "https://evil.example/a",
                f"Ardent {payload} strike",
                f"Standfirst {payload}",
                f"Author {payload}",
                when,
                ORIGIN_TEXT,
            ),
        ),
        (
            other,
            _record(
                "https://harbourpost.example/b",
                "Ardent summit ends",
                "Six states agree",
                "Jonas Brell",
                when,
                OTHER_TEXT,
            ),
        ),
    ]
    article, _ = store_and_judge(records)
    entity = Entity.objects.create(
        kind=Entity.Kind.PERSON, name=f"Person {payload}", slug="hostile-person"
    )
    ArticleEntity.objects.create(article=article, entity=entity, mentions=3)
    Reply.objects.create(
        article=article,
        author_name=f"Guest {payload}"[:50],
        body=f"Reply {payload}",
        state=Reply.State.PUBLISHED,
    )
    assert article.story_id is not None
    return World(payload, article, article.story_id, evil.source.slug, entity.slug)


@pytest.fixture(autouse=True)
def _static_root() -> None:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def html_pages(w: World) -> dict[str, str]:
    return {
        "home": "/",
        "article": f"/article/{w.article.pk}/",
        "story": f"/story/{w.story_id}/",
        "sources": "/sources/",
        "section": "/section/world/",
        "entity": f"/entity/{w.entity_slug}/",
        "search": "/search/?q=Ardent+strike",
        "search-echo": "/search/?q=" + quote(f"Ardent {w.payload}"),
    }


def json_pages(w: World) -> list[str]:
    return [
        "/index.json",
        f"/article/{w.article.pk}.json",
        f"/story/{w.story_id}.json",
        "/sources.json",
        f"/entity/{w.entity_slug}.json",
        "/search.json?q=Ardent+strike",
        "/feed.json",
        f"/source/{w.source_slug}/feed.json",
        f"/entity/{w.entity_slug}/feed.json",
    ]


def xml_feeds(w: World) -> list[str]:
    return [
        "/feed.rss",
        "/feed.atom",
        f"/source/{w.source_slug}/feed.rss",
        f"/entity/{w.entity_slug}/feed.atom",
        f"/story/{w.story_id}/feed.rss",
        "/search/feed.atom?q=Ardent",
    ]


@pytest.mark.parametrize("name", list(XSS), ids=list(XSS))
def test_xss_payloads_in_every_stored_field_stay_text(name: str) -> None:
    payload = XSS[name]
    with within(15, 120, name):
        w = build(payload)
        client = Client()
        for page, path in html_pages(w).items():
            response = client.get(path)
            assert response.status_code == 200, (page, path)
            html = response.content.decode()
            assert_inert(html, payload, f"{name} on {page}")
            if page in {"article", "story", "search"}:
                assert escape(f"Ardent {payload} strike") in html, f"{page} lost the headline"
        shown = {
            f"/article/{w.article.pk}/": [
                f"Standfirst {payload}",
                f"Author {payload}",
                f"Evil {payload} Press",
                f"Reply {payload}",
                f"Guest {payload}"[:50],
            ],
            f"/story/{w.story_id}/": [f"Person {payload}", f"Evil {payload} Press"],
            f"/entity/{w.entity_slug}/": [f"Person {payload}"],
            "/section/world/": [f"World {payload}"],
            "/sources/": [f"Evil {payload} Press"],
        }
        for path, texts in shown.items():
            html = client.get(path).content.decode()
            for text in texts:
                assert escape(text) in html, f"{name}: {text!r} not shown escaped on {path}"
        staff = Client()
        staff.force_login(
            get_user_model().objects.create_superuser("root", password="correct horse battery")
        )
        feed = Feed.objects.get(url="https://evil.example/feed.xml")
        html = staff.get(f"/admin/news/feed/{feed.pk}/change/").content.decode()
        assert escape(f"Feed {payload}") in html, "the admin's feed list lost the title"
        assert payload not in html or not any(c in payload for c in "<>\"'&")
        for path in json_pages(w):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Content-Type"].startswith(
                ("application/json", "application/feed+json")
            ), path
            assert response["X-Content-Type-Options"] == "nosniff"
            assert any(payload in text for text in strings(response.json())), path
        for path in xml_feeds(w):
            response = client.get(path)
            assert response.status_code == 200, path
            root = ET.fromstring(response.content)  # well-formed: the payload is XML text
            texts = " ".join(t for t in root.itertext())
            assert f"Ardent {xml_text(payload)} strike" in texts, path


# ── CSRF ──────────────────────────────────────────────────────────────────────────────────


def test_csrf_a_reply_without_its_token_is_refused() -> None:
    """csrf-reply-without-token."""
    w = build("csrf")
    user = get_user_model().objects.create_user("ada", password="correct horse battery")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = Reply.objects.count()
    with within(5, 60, "csrf-reply-without-token"):
        response = client.post(f"/article/{w.article.pk}/reply", {"body": "forged reply"})
    assert response.status_code == 403
    assert Reply.objects.count() == before
    assert not Reply.objects.filter(body="forged reply").exists()


def test_csrf_a_sign_in_without_its_token_is_refused() -> None:
    """csrf-login-without-token."""
    get_user_model().objects.create_user("ada", password="correct horse battery")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "ada", "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# ── path traversal ────────────────────────────────────────────────────────────────────────

TRAVERSALS = {
    "traversal-static-dotdot": "/static/../../../../etc/passwd",
    "traversal-static-encoded": "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "traversal-static-encoded-slash": "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "traversal-static-double-encoded": "/static/%252e%252e/%252e%252e/etc/passwd",
    "traversal-static-overlong-utf8": "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "traversal-static-backslash": "/static/..\\..\\..\\..\\etc\\passwd",
    "traversal-static-settings": "/static/../../byline/web/settings.py",
    "traversal-static-nul": "/static/byline/site.css%00.py",
    "traversal-section-slug": "/section/..%2f..%2fetc%2fpasswd/",
    "traversal-entity-slug": "/entity/%2e%2e/",
    "traversal-source-feed": "/source/..%2f..%2f/feed.rss",
    "traversal-websub": "/websub/1/..%2f..%2fetc%2fpasswd",
}


@pytest.mark.parametrize("path", list(TRAVERSALS.values()), ids=list(TRAVERSALS))
def test_path_traversal_serves_nothing(path: str) -> None:
    with within(3, 40, path):
        response = Client().get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    body = b"".join(response) if response.streaming else response.content
    assert b"root:" not in body and b"SECRET_KEY" not in body


def test_static_files_are_still_served() -> None:
    """The control for the traversal cases: the site's own stylesheet is there."""
    response = Client().get("/static/byline/site.js")
    assert response.status_code == 200


# ── huge query strings ────────────────────────────────────────────────────────────────────

HUGE = {
    "query-100kb-search": "/search/?q=" + "ardent " * 14_300,
    "query-100kb-search-json": "/search.json?q=" + "ardent " * 14_300,
    "query-100kb-one-word": "/search/?q=" + "a" * 100_000,
    "query-100kb-junk-parameters": "/?" + "&".join(f"p{n}=x" for n in range(20_000)),
    "query-100kb-page-number": "/?page=" + "9" * 100_000,
    "query-100kb-search-feed": "/search/feed.rss?q=" + "ardent+" * 14_300,
}


@pytest.mark.parametrize("path", list(HUGE.values()), ids=list(HUGE))
def test_huge_query_strings_are_answered(path: str) -> None:
    build("huge")
    with within(3, 120, path[:40]):
        response = Client().get(path)
    assert response.status_code in (200, 400), response.status_code
    assert len(path) >= 100_000


# ── full-text search operator injection ───────────────────────────────────────────────────

FTS = {
    "fts-unbalanced-quote": ('"Ardent', True),
    "fts-only-quotes": ('""""', False),
    "fts-near": ("NEAR(Ardent strike)", False),
    "fts-near-infix": ("Ardent NEAR strike", False),
    "fts-star-alone": ("*", False),
    "fts-prefix-star": ("Arden*", False),
    "fts-open-paren": ("(Ardent", True),
    "fts-close-paren": ("Ardent)", True),
    "fts-nested-parens": ("((Ardent) OR (", False),
    "fts-or": ("Ardent OR nothingatall", False),
    "fts-not": ("Ardent NOT strike", False),
    "fts-and-minus": ("Ardent -strike", True),
    "fts-caret": ("^Ardent", True),
    "fts-column-filter": ("title:Ardent", False),
    "fts-column-set": ("{title text}: Ardent", False),
    "fts-match-keyword": ("Ardent MATCH strike", False),
    "fts-sql-quote": ("Ardent'; DROP TABLE news_article; --", False),
    "fts-plus": ("+Ardent", True),
    "fts-colon": (":", False),
    "fts-nul-byte": ("Ardent\x00strike", False),
    "fts-backslash": ("Ardent\\", True),
    "fts-control-characters": ("Ardent\x01\x0b\x1b", True),
    "fts-tsquery-operators": ("Ardent & !strike | <-> :*", False),
}


@pytest.mark.parametrize("name", list(FTS), ids=list(FTS))
def test_fts_operator_injection_is_searched_as_words(name: str) -> None:
    query, finds_ardent = FTS[name]
    w = build("fts")
    client = Client()
    with within(5, 60, name):
        page = client.get("/search/", {"q": query})
        data = client.get("/search.json", {"q": query})
        feed = client.get("/search/feed.rss", {"q": query})
    assert page.status_code == 200 and data.status_code == 200 and feed.status_code == 200
    found = {a["url"] for a in data.json()["results"]}
    assert found <= {"https://evil.example/a", "https://harbourpost.example/b"}
    if finds_ardent:  # the words that are left are searched for, as words
        assert "https://evil.example/a" in found, data.json()
    assert Article.objects.filter(pk=w.article.pk).exists()  # nothing was dropped


# ── the admin ─────────────────────────────────────────────────────────────────────────────

ADMIN = ["/admin/", "/admin/news/article/", "/admin/news/reply/", "/admin/auth/user/1/change/"]


@pytest.mark.parametrize(
    "path", ADMIN, ids=[f"admin-anonymous-{p.strip('/').replace('/', '-')}" for p in ADMIN]
)
def test_the_admin_without_login_redirects_to_login(path: str) -> None:
    with within(3, 40, path):
        response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_the_admin_refuses_an_anonymous_post() -> None:
    """admin-anonymous-post: adding a user without a login changes nothing."""
    users = get_user_model().objects.count()
    response = Client().post(
        "/admin/auth/user/add/",
        {"username": "mallory", "password1": "x" * 20, "password2": "x" * 20},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert get_user_model().objects.count() == users


def test_a_javascript_home_page_never_becomes_a_link() -> None:
    """xss-home-url: an OPML file's htmlUrl (or `sources add --home`) of javascript: or data:
    is dropped, so the sources page never links to it."""
    from byline.fetch.opml import parse_opml

    document = parse_opml(
        b'<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        b'<outline text="Evil" xmlUrl="https://evil.example/feed.xml" '
        b'htmlUrl="javascript:alert(document.cookie)"/>'
        b'<outline text="Data" xmlUrl="https://data.example/feed.xml" '
        b'htmlUrl="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/></body></opml>'
    )
    registry.ensure_sections()
    registry.import_outlines(document.outlines)
    registry.add_source("Direct", "https://direct.example/feed", " JavaScript:alert(1)")
    registry.source_named("Named", home_url="vbscript:msgbox(1)")
    html = Client().get("/sources/").content.decode()
    assert_inert(html, "javascript:alert(document.cookie)", "sources")
    assert "javascript:" not in html.lower() and "data:text" not in html
    from byline.news.models import Source

    assert set(Source.objects.values_list("home_url", flat=True)) == {""}
