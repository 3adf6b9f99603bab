"""The HTML pages and their JSON twins, through Django's test client, over data built by the
real pipeline (see conftest.py): a wire agency's original report and a spun copy of it."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from byline.news import store
from byline.news.models import Article, Reply, Source, Story
from byline.site.forms import form_token

pytestmark = pytest.mark.django_db

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Tree(HTMLParser):
    """Records, for every element with an id, the ids and tags of its ancestors."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.ancestry: dict[str, list[tuple[str, dict[str, str | None]]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ancestry[str(attributes["id"])] = list(self.stack)
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def ancestors(html: str, element_id: str) -> list[str]:
    """The ids (and classes, as ".name") of an element's ancestors, outermost first."""
    tree = _Tree()
    tree.feed(html)
    assert element_id in tree.ancestry, f"no element with id={element_id!r}"
    found = []
    for _, attrs in tree.ancestry[element_id]:
        if attrs.get("id"):
            found.append(str(attrs["id"]))
        found.extend("." + c for c in str(attrs.get("class") or "").split())
    return found


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def without_evidence(html: str) -> str:
    """The page less its evidence boxes (which quote a few aligned sentences on purpose)."""
    return re.sub(r'<details class="evidence">.*?</details>', "", html, flags=re.S)


def text_of(html: str) -> str:
    """Visible-ish text: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ── the front page, sections and the shared layout ────────────────────────────────────────


def test_home_lists_the_story(client: Client, world: Any) -> None:
    html = page(client, "/")
    assert world.story.title in html
    assert f'href="{reverse("story", args=[world.story.pk])}"' in html
    assert 'id="top-heading"' in html
    assert "Continental Press Agency" in html  # the lead outlet, with its badge
    assert '<span class="badge badge-original">Original report</span>' in html
    section = world.story.section
    assert f'href="{reverse("section", args=[section.slug])}"' in html


def test_home_explains_how_to_start_when_empty(client: Client, db: None) -> None:
    html = page(client, "/")
    assert "No stories yet" in html
    assert "byline demo" in html
    assert "byline sources add" in html


def test_layout_landmarks_skip_link_and_back_to_top(client: Client, world: Any) -> None:
    html = page(client, reverse("article", args=[world.spun.pk]))
    assert '<html lang="en">' in html
    skip = re.search(r'<a class="skip-link" href="#main">Skip to main content</a>', html)
    assert skip is not None
    # The skip link is the first focusable element of the page.
    first_focusable = re.search(r"<(a|button|input|select|textarea)\b", html)
    assert first_focusable is not None and first_focusable.start() == skip.start()
    assert 'id="top"' in html
    assert '<main id="main" tabindex="-1"' in html
    assert '<header class="masthead" role="banner">' in html
    assert '<nav class="sections-nav" aria-label="Sections">' in html
    assert 'role="contentinfo"' in html
    assert 'role="status"' in html
    assert '<a href="#top" id="back-to-top" class="back-to-top">Back to top</a>' in html
    assert "/static/byline/site.css" in html
    # The section menu links every section.
    section = world.story.section
    assert f'href="{reverse("section", args=[section.slug])}"' in html
    # The search form, labelled, sends q to the search page.
    assert f'action="{reverse("search")}"' in html
    assert '<label for="site-search">' in html and 'id="site-search" name="q"' in html
    # Anonymous readers see sign-in and sign-up links.
    assert f'href="{reverse("login")}?next=' in html
    assert f'href="{reverse("signup")}?next=' in html
    assert "excerpts" in text_of(html)


def test_stylesheet_is_served(client: Client, db: None) -> None:
    response = client.get("/static/byline/site.css")
    assert response.status_code == 200
    css = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    for name in ("source-link", "back-to-top", "badge-spun", "badge-original", "skip-link"):
        assert f".{name}" in css


def test_section_page_lists_its_stories(client: Client, world: Any) -> None:
    section = world.story.section
    html = page(client, reverse("section", args=[section.slug]))
    assert f'<h1 class="page-title">{section.name}</h1>' in html
    assert world.story.title in html
    assert 'aria-current="page"' in html
    assert client.get("/section/no-such-section/").status_code == 404


# ── the story page ────────────────────────────────────────────────────────────────────────


def test_story_page_puts_the_origin_first_and_labels_the_copy(client: Client, world: Any) -> None:
    html = page(client, reverse("story", args=[world.story.pk]))
    assert world.story.title in html
    assert "2 outlets" in text_of(html)
    origin_at = html.index(f'id="article-{world.origin.pk}"')
    spun_at = html.index(f'id="article-{world.spun.pk}"')
    assert origin_at < spun_at
    assert '<span class="badge badge-original">Original report</span>' in html
    assert '<span class="badge badge-spun">Spun copy</span>' in html
    assert f'href="{reverse("article", args=[world.spun.pk])}"' in html
    copy_item = html[spun_at:]
    assert "copies" in copy_item and "Continental Press Agency" in copy_item
    assert '<details class="evidence">' in copy_item
    assert "<summary>Show evidence</summary>" in copy_item
    # Substituted words side by side, and aligned sentences origin | copy.
    assert "<del>dockworkers</del> → <ins>dock laborers</ins>" in copy_item
    assert '<table class="aligned">' in copy_item
    evidence = client.get(reverse("api:story", args=[world.story.pk])).json()
    aligned = evidence["coverage"][1]["evidence"]["aligned"]
    assert 1 <= copy_item.count('<td class="aligned-origin">') == min(len(aligned), 3)
    # Only copies carry evidence.
    assert '<details class="evidence">' not in html[origin_at:spun_at]
    # Never the full text: outside the few sentences quoted as evidence, no late sentence.
    assert world.late_sentence not in without_evidence(html)


def test_story_page_404s_for_an_unknown_story(client: Client, db: None) -> None:
    assert client.get("/story/999999/").status_code == 404
    assert client.get("/story/999999.json").status_code == 404


# ── the article page ──────────────────────────────────────────────────────────────────────


def test_copy_page_shows_an_excerpt_and_links_to_the_origin(client: Client, world: Any) -> None:
    html = page(client, reverse("article", args=[world.spun.pk]))
    assert f'<h1 id="article-title" class="article-title">{world.spun.title}</h1>' in html
    assert world.spun.standfirst.replace("'", "&#x27;") in html
    excerpt = re.search(r'<blockquote class="excerpt"[^>]*>(.*?)</blockquote>', html, re.S)
    assert excerpt is not None
    assert "Thousands of dock laborers walked off" in excerpt.group(1)
    assert "Excerpt — read the full article at the source" in html
    # Never the full text: a sentence from late in the copy is absent (the evidence box
    # quotes at most three aligned sentences on purpose).
    assert "a two-day blockage over wellbeing" not in without_evidence(html)
    assert world.late_sentence not in without_evidence(html)
    assert html.count('<td class="aligned-copy">') <= 3
    # The source link goes to the origin, not to the copy.
    link = re.search(r'<a class="source-link" href="([^"]+)" rel="noopener">([^<]+)</a>', html)
    assert link is not None
    assert link.group(1) == world.origin_url
    assert link.group(2) == "Source link: Continental Press Agency"
    assert "This is a spun copy; the source link goes to the original report" in text_of(html)
    assert '<span class="badge badge-spun">Spun copy</span>' in html
    assert "<summary>Show evidence</summary>" in html
    assert f'href="{reverse("story", args=[world.story.pk])}"' in html
    assert "All coverage of this story" in html
    assert "(date estimated)" not in html
    assert re.search(r'<time datetime="2026-10-03T12:10:00\+00:00"', html)


def test_original_page_links_to_itself_and_shows_no_evidence(client: Client, world: Any) -> None:
    html = page(client, reverse("article", args=[world.origin.pk]))
    link = re.search(r'<a class="source-link" href="([^"]+)"', html)
    assert link is not None and link.group(1) == world.origin_url
    assert '<span class="badge badge-original">Original report</span>' in html
    assert "Show evidence" not in html
    assert "By Mira Castell" in html
    assert world.late_sentence not in html


def test_related_articles_list_the_story_and_the_section(client: Client, world: Any) -> None:
    html = page(client, reverse("article", args=[world.spun.pk]))
    related = html[html.index('<section id="related"') : html.index('<section id="replies"')]
    assert "Related Articles" in related
    assert f'href="{reverse("article", args=[world.origin.pk])}"' in related
    assert '<span class="badge badge-original">Original report</span>' in related
    assert "Continental Press Agency" in related
    # The same section's other story comes after the same story's coverage.
    assert related.index(world.origin.title) < related.index(world.other.title)


def test_article_page_404s_for_an_unknown_article(client: Client, db: None) -> None:
    assert client.get("/article/999999/").status_code == 404


# ── JSON twins ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "name", ["home", "section", "story", "article", "search", "sources", "entity"]
)
def test_json_twins_carry_the_same_data_as_the_pages(client: Client, world: Any, name: str) -> None:
    args: dict[str, list[Any]] = {
        "home": [],
        "section": [world.story.section.slug],
        "story": [world.story.pk],
        "article": [world.spun.pk],
        "search": [],
        "sources": [],
        "entity": ["ardent-sea"],
    }
    if name == "entity":
        _name(world)
    query = "?q=Halvik" if name == "search" else ""
    html_path = reverse(name, args=args[name]) + query
    json_path = reverse(f"api:{name}", args=args[name]) + query
    twin = "/index.json" if name == "home" else html_path.split("?")[0].rstrip("/") + ".json"
    assert json_path.split("?")[0] == twin
    html_response = client.get(html_path)
    json_response = client.get(json_path)
    assert html_response.status_code == json_response.status_code == 200
    assert json_response["Content-Type"].split(";")[0] == "application/json"
    data = json_response.json()
    assert data
    for key, value in data.items():
        expected = json.loads(json.dumps(html_response.context[key]))
        if key == "pagination":  # each links its own format's pages
            links = ("next", "previous")
            expected = {k: v for k, v in expected.items() if k not in links}
            value = {k: v for k, v in value.items() if k not in links}
        assert expected == value, key


def test_article_json_names_the_origin(client: Client, world: Any) -> None:
    data = client.get(reverse("api:article", args=[world.spun.pk])).json()
    assert data["source_link"]["url"] == world.origin_url
    assert data["provenance"]["relation"] == "spun"
    assert data["provenance"]["origin"]["id"] == world.origin.pk
    assert ["dockworkers", "dock laborers"] in data["provenance"]["evidence"]["substitutions"]
    assert "text" not in data["article"]
    assert world.late_sentence not in data["article"]["excerpt"]
    assert len(data["provenance"]["evidence"]["aligned"]) <= 3


# ── search ────────────────────────────────────────────────────────────────────────────────


def test_search_finds_an_article_by_a_word(client: Client, world: Any) -> None:
    html = page(client, reverse("search") + "?q=Halvik")
    assert world.origin.title in html
    assert world.other.title not in html
    assert 'value="Halvik"' in html
    assert re.search(r"\d+ results? for “Halvik”", text_of(html))
    data = client.get(reverse("api:search") + "?q=coastguard").json()
    assert [r["id"] for r in data["results"]] == [world.other.pk]


def test_search_without_results_says_so(client: Client, world: Any) -> None:
    assert "No articles match" in page(client, reverse("search") + "?q=zeppelin")
    assert "Type a few words" in page(client, reverse("search"))


# ── accounts ──────────────────────────────────────────────────────────────────────────────


def test_signup_creates_a_user_and_signs_them_in(client: Client, db: None) -> None:
    form = page(client, reverse("signup"))
    assert '<label for="id_username">' in form and '<label for="id_password1">' in form
    response = client.post(
        reverse("signup"),
        {
            "username": "grace",
            "password1": "a-long-and-unusual-pass",
            "password2": "a-long-and-unusual-pass",
            "started": form_token(at=time.time() - 10),  # a person takes a few seconds
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert get_user_model().objects.filter(username="grace").exists()
    html = page(client, "/")
    assert "Signed in as <strong>grace</strong>" in html
    assert "Welcome, grace." in html
    assert f'<form class="sign-out" method="post" action="{reverse("logout")}">' in html


def test_signup_shows_errors_next_to_the_fields(client: Client, db: None) -> None:
    response = client.post(
        reverse("signup"),
        {
            "username": "grace",
            "password1": "a-long-and-unusual-pass",
            "password2": "different",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert not get_user_model().objects.filter(username="grace").exists()


def test_login_page_and_sign_out(client: Client, reader: Any) -> None:
    html = page(client, reverse("login") + "?next=/search/")
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'name="next" value="/search/"' in html
    assert '<a href="/" rel="home">Byline</a>' in html  # not the host name LoginView offers
    response = client.post(
        reverse("login"),
        {
            "username": "ada",
            "password": "correct horse battery",
            "next": "/search/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert "Signed in as <strong>ada</strong>" in page(client, "/")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Signed in as" not in page(client, "/")


def test_bad_login_shows_an_error(client: Client, reader: Any) -> None:
    response = client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in response.content.decode()


# ── replies ───────────────────────────────────────────────────────────────────────────────


def test_signed_in_reader_sees_the_reply_form(reader_client: Client, world: Any) -> None:
    html = page(reader_client, reverse("article", args=[world.spun.pk]))
    form = re.search(r'<form id="reply-form".*?</form>', html, re.S)
    assert form is not None
    form_html = form.group(0)
    assert f'method="post" action="{reverse("reply", args=[world.spun.pk])}"' in form_html
    assert 'name="csrfmiddlewaretoken"' in form_html
    assert '<label for="reply-body">' in form_html
    assert '<textarea name="body" id="reply-body"' in form_html
    assert 'name="parent"' in form_html
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', form_html)
    assert honeypot is not None
    for attribute in ('tabindex="-1"', 'autocomplete="off"', 'aria-hidden="true"'):
        assert attribute in honeypot.group(0)
    assert "visually-hidden" in form_html
    assert ">Post reply</button>" in form_html
    assert "Sign in to reply" not in html


def test_anonymous_reader_is_asked_to_sign_in(client: Client, world: Any) -> None:
    path = reverse("article", args=[world.spun.pk])
    html = page(client, path)
    assert 'id="reply-form"' not in html
    assert f'href="{reverse("login")}?next={path}">Sign in to reply</a>' in html
    response = client.post(reverse("reply", args=[world.spun.pk]), {"body": "hello"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not Reply.objects.exists()


def test_replies_are_posted_and_threaded(reader_client: Client, world: Any) -> None:
    url = reverse("reply", args=[world.spun.pk])
    response = reader_client.post(url, {"body": "Which outlet had this first?", "parent": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("article", args=[world.spun.pk]) + "#replies"
    parent = Reply.objects.get()
    response = reader_client.post(url, {"body": "The wire, at 08:15.", "parent": parent.pk})
    child = Reply.objects.exclude(pk=parent.pk).get()
    assert child.parent_id == parent.pk

    html = page(reader_client, reverse("article", args=[world.spun.pk]))
    assert "Which outlet had this first?" in html
    assert "The wire, at 08:15." in html
    assert "Your reply is posted." in html
    path = ancestors(html, f"reply-{child.pk}")
    assert "replies" in path and f"reply-{parent.pk}" in path and ".reply-children" in path
    assert html.index(f'id="reply-{parent.pk}"') < html.index(f'id="reply-{child.pk}"')
    # Each reply has a Reply button (enhanced by JavaScript) and its own form without it.
    assert f'data-parent="{parent.pk}"' in html
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in html
    assert '<span class="reply-author" id="reply-' in html and "<bdi>ada</bdi></span>" in html

    data = reader_client.get(reverse("api:article", args=[world.spun.pk])).json()
    assert data["replies"][0]["body"] == "Which outlet had this first?"
    assert data["replies"][0]["children"][0]["body"] == "The wire, at 08:15."


def test_reply_html_is_escaped(reader_client: Client, world: Any) -> None:
    body = '<script>alert("x")</script> <b>bold</b> & <a href="javascript:1">link</a>'
    reader_client.post(reverse("reply", args=[world.spun.pk]), {"body": body})
    assert Reply.objects.get().body == body
    html = page(reader_client, reverse("article", args=[world.spun.pk]))
    assert '<script>alert("x")</script>' not in html
    assert "<b>bold</b>" not in html
    assert 'href="javascript:1"' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in html


def test_honeypot_drops_the_reply(reader_client: Client, world: Any) -> None:
    response = reader_client.post(
        reverse("reply", args=[world.spun.pk]),
        {"body": "Cheap watches here", "website": "https://spam.example"},
    )
    assert response.status_code == 302
    assert not Reply.objects.exists()
    assert "Cheap watches here" not in page(reader_client, reverse("article", args=[world.spun.pk]))


def test_empty_reply_shows_an_error_message(reader_client: Client, world: Any) -> None:
    response = reader_client.post(
        reverse("reply", args=[world.spun.pk]), {"body": "   "}, follow=True
    )
    assert response.status_code == 200
    assert "A reply needs between 1 and" in response.content.decode()
    assert not Reply.objects.exists()


# ── content farms ─────────────────────────────────────────────────────────────────────────


def test_evidence_highlights_the_substituted_words(client: Client, world: Any) -> None:
    html = page(client, reverse("story", args=[world.story.pk]))
    copy_item = html[html.index(f'id="article-{world.spun.pk}"') :]
    changed_in_copy = re.findall(r'<ins class="changed">([^<]+)</ins>', copy_item)
    changed_in_origin = re.findall(r'<del class="changed">([^<]+)</del>', copy_item)
    assert changed_in_copy and changed_in_origin
    data = client.get(reverse("api:story", args=[world.story.pk])).json()
    pairs = data["coverage"][1]["evidence"]["pairs"]
    for pair, (origin_sentence, copy_sentence) in zip(
        pairs, data["coverage"][1]["evidence"]["aligned"], strict=True
    ):
        assert " ".join(run["text"] for run in pair["copy"]) == copy_sentence
        for run in pair["copy"]:
            in_origin = re.search(rf"(?<!\w){re.escape(run['text'])}(?!\w)", origin_sentence)
            # Kept words are the origin's own; highlighted ones are not in that sentence.
            assert bool(in_origin) != run["changed"], run
    assert any(run["changed"] for pair in pairs for run in pair["copy"])


def test_reputation_counts_copies_and_flags_a_farm(client: Client, world: Any) -> None:
    hub = Source.objects.get(slug=world.spun.source.slug)
    assert (hub.judged_count, hub.spun_count, hub.content_farm) == (1, 1, False)  # 1 < 3 copies
    assert "Content farm" not in page(client, reverse("story", args=[world.story.pk]))
    changed = store.refresh_reputation(min_copies=1, share=0.5)
    assert [s.slug for s in changed] == [hub.slug]
    hub.refresh_from_db()
    assert hub.content_farm and hub.copy_share == 1.0
    cpa = Source.objects.get(slug=world.origin.source.slug)
    assert not cpa.content_farm and cpa.judged_count == 1 and cpa.spun_count == 0
    story_html = page(client, reverse("story", args=[world.story.pk]))
    farm_badge = f'href="/sources/#source-{hub.slug}"'
    assert farm_badge in story_html
    assert story_html.index(f'id="article-{world.origin.pk}"') < story_html.index(farm_badge)
    assert farm_badge in page(client, reverse("article", args=[world.spun.pk]))
    sources = client.get(reverse("api:sources")).json()
    assert sources["farms"] == 1
    assert sources["sources"][0]["slug"] == hub.slug  # farms first
    assert sources["sources"][0]["spun"] == 1
    listing = page(client, reverse("sources"))
    assert f'<tr id="source-{hub.slug}" class="farm">' in listing
    # Re-counting is idempotent, and a source whose copies fall below the bar is cleared.
    assert store.refresh_reputation(min_copies=1, share=0.5) == []
    assert [s.slug for s in store.refresh_reputation(min_copies=2, share=0.5)] == [hub.slug]


def test_a_farm_never_outranks_the_reporting_it_copies(client: Client, world: Any) -> None:
    store.refresh_reputation(min_copies=1, share=0.5)
    # The farm's copy matches this search best (the spinner's words), yet comes last.
    data = client.get(reverse("api:search") + "?q=Halvik").json()
    ids = [r["id"] for r in data["results"]]
    assert set(ids) == {world.origin.pk, world.spun.pk}
    assert ids[-1] == world.spun.pk
    # Without an original, the story is named after a source that is not a farm.
    Article.objects.filter(pk=world.origin.pk).update(source=world.other.source)
    world.origin.relation.delete()
    store.refresh_story(world.story.pk)
    world.story.refresh_from_db()
    assert world.story.title == world.origin.title


# ── story presentation ────────────────────────────────────────────────────────────────────


def test_story_page_shows_first_report_breakdown_and_timeline(client: Client, world: Any) -> None:
    data = client.get(reverse("api:story", args=[world.story.pk])).json()
    assert data["first_reported"]["id"] == world.origin.pk
    assert data["first_reported"]["source"]["name"] == "Continental Press Agency"
    by_dimension = {group["dimension"]: group["rows"] for group in data["breakdown"]}
    assert by_dimension["outlets"] == [
        {"name": "Continental Press Agency", "count": 1},
        {"name": "World News Hub", "count": 1},
    ]
    assert {row["name"] for row in by_dimension["kinds"]} == {"Wire agency", "Aggregator"}
    assert by_dimension["languages"] == [{"name": "en", "count": 2}]
    published = [e for e in data["timeline"] if e["kind"] == "published"]
    assert [e["article_id"] for e in published] == [world.origin.pk, world.spun.pk]
    assert [e["time"] for e in data["timeline"]] == sorted(e["time"] for e in data["timeline"])
    html = page(client, reverse("story", args=[world.story.pk]))
    assert "First reported by" in text_of(html)
    assert '<ol class="timeline">' in html and html.count('class="timeline-event') == 2


def test_a_headline_change_appears_in_the_story_timeline(client: Client, world: Any) -> None:
    from byline.news.models import ArticleVersion

    ArticleVersion.objects.create(
        article=world.spun,
        title="Dock strike: an earlier headline",
        standfirst="",
        text_hash="x",
        published=world.spun.published,
        change="headline changed",
    )
    data = client.get(reverse("api:story", args=[world.story.pk])).json()
    changed = [e for e in data["timeline"] if e["kind"] == "changed"]
    assert len(changed) == 1
    assert changed[0]["title_before"] == "Dock strike: an earlier headline"
    assert changed[0]["title"] == world.spun.title
    assert "Dock strike: an earlier headline" in page(
        client, reverse("story", args=[world.story.pk])
    )


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_story_feed_follows_one_story(client: Client, world: Any, kind: str) -> None:
    import feedparser

    response = client.get(reverse("story_feed", args=[world.story.pk, kind]))
    assert response.status_code == 200
    assert ("rss" if kind == "rss" else "atom") in response["Content-Type"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title.startswith(world.story.title)
    links = [entry.link for entry in parsed.entries]
    assert links == [
        f"http://testserver{reverse('article', args=[world.spun.pk])}",  # newest first
        f"http://testserver{reverse('article', args=[world.origin.pk])}",
    ]
    assert parsed.entries[0].title.startswith("World News Hub: ")
    assert "Spun copy" in parsed.entries[0].summary
    # An excerpt, never the full text.
    assert world.late_sentence not in response.content.decode()
    html = page(client, reverse("story", args=[world.story.pk]))
    assert f'href="{reverse("story_feed", args=[world.story.pk, kind])}"' in html
    assert client.get(reverse("story_feed", args=[999999, kind])).status_code == 404


def test_a_merged_story_redirects_to_the_story_it_joined(client: Client, world: Any) -> None:
    other_story = world.other.story
    survivor = store.merge_stories(other_story.pk, world.story.pk)
    assert survivor.article_count == 3
    world.other.refresh_from_db()
    assert world.other.story_id == world.story.pk
    response = client.get(reverse("story", args=[other_story.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("story", args=[world.story.pk])
    response = client.get(reverse("api:story", args=[other_story.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("api:story", args=[world.story.pk])
    # A story merged again carries its aliases along.
    from byline.news.models import Story

    third = Story.objects.create(
        title="Third",
        first_published=world.story.first_published,
        last_published=world.story.last_published,
    )
    Article.objects.filter(pk=world.other.pk).update(story=third)
    store.merge_stories(world.story.pk, third.pk)
    for old in (other_story.pk, world.story.pk):
        assert client.get(reverse("story", args=[old]))["Location"] == reverse(
            "story", args=[third.pk]
        )


def test_a_scrape_of_a_copy_links_to_the_origin_and_names_the_copy_between(
    client: Client, world: Any
) -> None:
    from datetime import timedelta

    from tests.site.conftest import SPUN_TEXT

    from byline import ingest, pipeline
    from byline.news import registry
    from byline.records import Article as ArticleRecord

    farm = registry.add_source(
        "Daily Trend Report", "https://dailytrend.example/feed", kind="aggregator"
    ).source
    record = ArticleRecord(
        url="https://dailytrend.example/dock-strike",
        canonical_url="https://dailytrend.example/dock-strike",
        title=world.spun.title,
        standfirst="",
        author="",
        published=world.spun.published + timedelta(hours=3),
        language="en",
        text="World News\n" + SPUN_TEXT + "\nSource link\nLeave a Reply",
    )
    saved = store.save_article(pipeline.process_article(record), farm)
    assert saved is not None
    ingest.judge_new(settings.BYLINE)
    relation = Article.objects.get(pk=saved.pk).relation
    assert (relation.relation, relation.origin_id, relation.via_id) == (
        "spun",
        world.origin.pk,
        world.spun.pk,
    )
    html = page(client, reverse("article", args=[saved.pk]))
    link = re.search(r'<a class="source-link" href="([^"]+)"', html)
    assert link is not None and link.group(1) == world.origin_url
    assert "It was taken from" in text_of(html)
    assert f'href="{reverse("article", args=[world.spun.pk])}"' in html
    data = client.get(reverse("api:article", args=[saved.pk])).json()
    assert data["provenance"]["via"]["id"] == world.spun.pk
    assert data["provenance"]["origin"]["id"] == world.origin.pk


# ── entities and related stories ──────────────────────────────────────────────────────────


def _name(world: Any) -> None:
    from byline.judge.entities import Entity as Named

    store.save_entities(
        [
            (world.origin, [Named("PERSON", "Bruno Halvik", 2), Named("PLACE", "Ardent Sea")]),
            (world.spun, [Named("PERSON", "Bruno Halvik")]),
            (world.other, [Named("PLACE", "Ardent Sea"), Named("PERSON", "Ilse Maren")]),
        ]
    )


def test_entity_pages_list_the_stories_that_name_them(client: Client, world: Any) -> None:
    _name(world)
    data = client.get(reverse("api:story", args=[world.story.pk])).json()
    named = {(e["name"], e["kind"], e["articles"]) for e in data["entities"]}
    assert named == {("Bruno Halvik", "PERSON", 2), ("Ardent Sea", "PLACE", 1)}
    assert data["entities"][0]["name"] == "Bruno Halvik"  # named by the most articles
    html = page(client, reverse("story", args=[world.story.pk]))
    assert f'href="{reverse("entity", args=["bruno-halvik"])}"' in html
    sea = client.get(reverse("api:entity", args=["ardent-sea"])).json()
    assert sea["entity"]["kind_label"] == "Place"
    assert {s["id"] for s in sea["stories"]} == {world.story.pk, world.other.story_id}
    assert "Ardent Sea" in page(client, reverse("entity", args=["ardent-sea"]))
    assert client.get(reverse("entity", args=["nobody"])).status_code == 404
    # Saving again replaces an article's names instead of adding to them.
    _name(world)
    assert world.origin.mentions.count() == 2


def test_related_stories_come_with_a_reason(client: Client, world: Any) -> None:
    _name(world)
    data = client.get(reverse("api:article", args=[world.spun.pk])).json()
    assert [(s["id"], s["reason"]) for s in data["related_stories"]] == [
        (world.other.story_id, "also about Ardent Sea")
    ]
    html = page(client, reverse("article", args=[world.spun.pk]))
    assert "also about Ardent Sea" in html
    # Nothing shared, nothing related.
    lone = client.get(reverse("api:article", args=[world.other.pk])).json()
    assert [s["id"] for s in lone["related_stories"]] == [world.story.pk]


def test_judging_new_articles_records_their_names(client: Client, world: Any) -> None:
    """The ingester names entities with spaCy's model, after judging."""
    ArticleEntity = world.origin.mentions.model
    assert ArticleEntity.objects.count() == 0
    Article.objects.filter(pk=world.other.pk).update(story=None)
    from byline import ingest

    ingest.judge_new(settings.BYLINE)
    names = {m.entity.name for m in world.other.mentions.select_related("entity")}
    assert "Aurel" in names or "Ilse Maren" in names, names


def test_story_events_merge_and_split_stories_that_already_exist(
    client: Client, world: Any
) -> None:
    from byline.judge.stories import StoryEvent
    from byline.news.models import Story
    from byline.records import StoryAssignment

    other_story = world.other.story_id
    merge = StoryEvent("merge", str(other_story), str(world.story.pk), str(world.spun.pk), ())
    store.apply_judgement([], [], [], [merge])
    world.other.refresh_from_db()
    assert world.other.story_id == world.story.pk
    assert not Story.objects.filter(pk=other_story).exists()
    assert client.get(reverse("story", args=[other_story]))["Location"] == reverse(
        "story", args=[world.story.pk]
    )
    # A split moves the named articles into a new story, which a new article can join.
    split = StoryEvent(
        "split", str(world.story.pk), "new-1", str(world.spun.pk), (str(world.other.pk),)
    )
    created = store.apply_judgement(
        [world.spun], [StoryAssignment(str(world.spun.pk), "new-1", 0.5)], [], [split]
    )
    assert created == 1
    world.other.refresh_from_db()
    world.spun.refresh_from_db()
    assert world.other.story_id == world.spun.story_id != world.story.pk
    new_story = Story.objects.get(pk=world.other.story_id)
    assert new_story.article_count == 2 and new_story.title == world.other.title
    world.story.refresh_from_db()
    assert world.story.article_count == 1


def test_story_cards_fetch_their_articles_in_one_query(client: Client, world: Any) -> None:
    """A section page with more stories makes no more queries: the cards' articles (lead,
    excerpt, outlets) come in one query, not one per story."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section = world.story.section
    path = reverse("section", args=[section.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    before = queries()
    for n in range(3):
        story = Story.objects.create(
            title=f"Another story {n}",
            section=section,
            first_published=world.origin.published,
            last_published=world.origin.published,
            article_count=1,
            source_count=1,
        )
        copy = Article.objects.get(pk=world.other.pk)
        copy.pk = None
        copy.url = f"https://harbourpost.example/another-{n}"
        copy.story = story
        copy.save()
    html = page(client, path)
    assert all(f"Another story {n}" in html for n in range(3))
    assert queries() == before
