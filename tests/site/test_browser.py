"""The site in a real browser: Playwright driving Debian's Chromium against Django's live
server, over data ingested from the sample outlets through the real pipeline.

Accessibility: axe-core's rules run over every page type, and a walk-through reads, signs in
and replies with the keyboard alone (see the sections at the end).

Set BYLINE_SCREENSHOTS=DIR (``make screenshots``) to also write the home, story and article
pages as PNG files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from tests.conftest import ROOT, require

from byline.demo.run import register_outlets
from byline.ingest import fetch_feeds
from byline.judge.text import sentences as sentences_of
from byline.news import queries, registry
from byline.news.models import Article, Entity, Reply, Section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def ingested(demo_site: Any) -> dict[str, Article]:
    """The sample outlets ingested through fetch → extract → judge → store."""
    server, manifest = demo_site
    registry.ensure_sections()
    register_outlets(manifest)
    # Fetching refuses loopback addresses unless allowed: allow the outlets' server only.
    config = settings.BYLINE.replace(allow_private_hosts=f"127.0.0.1:{server.port}", host_delay=0)
    report = fetch_feeds(config, registry.feeds_due(force=True))
    assert report.articles_added == len(manifest.articles), report.problems
    spun = Article.objects.filter(relation__relation="spun").select_related("relation").first()
    assert spun is not None and spun.story_id is not None
    # Playwright's sync API runs an event loop, inside which Django refuses ORM calls: every
    # database write happens here, before the browser starts.
    get_user_model().objects.create_user("reader", password=PASSWORD)
    return {"spun": spun, "origin": queries.origin_of(spun)}


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def test_read_follow_source_sign_in_reply_back_to_top(
    live_server: Any, ingested: dict[str, Article], page: Any
) -> None:
    spun, origin = ingested["spun"], ingested["origin"]
    article_url = f"{live_server.url}/article/{spun.pk}/"
    refused: list[str] = []  # what the Content-Security-Policy blocked, as Chromium reports it
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # The article page: headline, excerpt (never the full text), a spun-copy label.
    page.goto(article_url)
    # site.js ran (a file, not inline script): dates are shown in the reader's time zone.
    assert page.locator("time[data-local]").first.get_attribute("title")
    assert page.locator("h1").inner_text().strip() == spun.title
    excerpt = page.locator("blockquote.excerpt").inner_text()
    assert 10 < len(excerpt.split()) <= 70
    shown = page.locator("body").inner_text()
    sentences = [s for s in sentences_of(spun.text) if len(s.split()) >= 6]
    visible = [s for s in sentences if s in shown]
    assert len(visible) < len(sentences) / 2, "the page must not carry the full text"
    assert "Spun copy" in page.locator("main").inner_text()

    # The source link leads to the origin's own page, not the copy's.
    link = page.locator("a.source-link")
    assert link.get_attribute("href") == origin.url
    link.click()
    page.wait_for_load_state()
    assert page.url == origin.url
    assert origin.title in page.locator("h1").first.inner_text()
    page.go_back()
    page.wait_for_url(article_url)

    # Sign in from the article page and come back to it.
    page.get_by_role("link", name="Sign in").first.click()
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_url(f"{article_url}*")
    assert "reader" in page.get_by_role("banner").inner_text()

    # Post a reply; it appears in the thread.
    page.fill("#reply-body", "A careful reader notes the spun wording.")
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_load_state()
    replies = page.locator("#replies")
    assert "A careful reader notes the spun wording." in replies.inner_text()
    assert "reader" in replies.inner_text()
    # replies.js ran: each reply's "Reply" button is shown, and it points the form at it.
    page.locator(".reply-button").first.click()
    assert page.locator("#replying-to").is_visible()
    assert page.locator("#reply-parent").input_value()

    # Back to top: scroll to the bottom, use the link (keyboard-reachable), land at the top.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 200
    page.locator("#back-to-top").focus()
    page.keyboard.press("Enter")
    # polled from here: wait_for_function evaluates a string, which the page's CSP forbids
    for _ in range(50):
        if page.evaluate("window.scrollY") < 5:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") < 5
    assert refused == [], refused


def test_skip_link_is_first_focusable(live_server: Any, ingested: dict[str, Article], page: Any):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_screenshots(live_server: Any, ingested: dict[str, Article], page: Any) -> None:
    spun = ingested["spun"]
    shots = {
        "home": f"{live_server.url}/",
        "story": f"{live_server.url}/story/{spun.story_id}/",
        "article": f"{live_server.url}/article/{spun.pk}/",
    }
    folder = os.environ.get("BYLINE_SCREENSHOTS")
    for name, url in shots.items():
        page.goto(url)
        if name == "story":
            page.locator("details.evidence").evaluate_all("ds => ds.forEach(d => d.open = true)")
        png = page.screenshot(full_page=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / f"{name}.png").write_bytes(png)


# ── accessibility ─────────────────────────────────────────────────────────────────────────
# axe-core (npm registry, version pinned in the Makefile; `make axe` installs it into
# .cache/axe) runs in the real Chromium over every page type. Its script is added to each page
# by the browser context (bypass_csp: the site's CSP forbids inline script, which is how
# Playwright injects it); the CSP itself is checked by the test above.

AXE_JS = Path(
    os.environ.get("BYLINE_AXE_JS")
    or ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return {version: axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 160)}))}))};
}"""


@pytest.fixture
def axe_js() -> Path:
    require(
        AXE_JS.is_file(),
        f"axe-core is not installed ({AXE_JS} is missing)",
        "`make axe` (npm install of the pinned axe-core), or set BYLINE_AXE_JS=path/to/axe.min.js",
    )
    return AXE_JS


@pytest.fixture
def axe_page(axe_js: Path, chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def site_paths(ingested: dict[str, Article]) -> dict[str, str]:
    """Every page type's path, and a reply thread on the spun copy's page (made here: the
    browser's event loop forbids ORM calls)."""
    spun = ingested["spun"]
    reader = get_user_model().objects.get(username="reader")
    other = get_user_model().objects.create_user("ada", password=PASSWORD)
    published = Reply.State.PUBLISHED
    first = Reply.objects.create(
        article=spun, author=other, body="Is this the agency's wording?", state=published
    )
    Reply.objects.create(
        article=spun,
        author=reader,
        parent=first,
        state=published,
        body="No: compare it with the original.\n\nWord for word.",
    )
    # the entity and section with the most stories, so that their lists run to three pages
    stories = Count("mentions__article__story", distinct=True)
    entity = Entity.objects.annotate(n=stories).order_by("-n", "slug").first()
    stories = Count("article__story", distinct=True)
    section = Section.objects.annotate(n=stories).order_by("-n", "slug").first()
    assert entity is not None and section is not None
    return {
        "home": "/",
        "section": f"/section/{section.slug}/",
        "story": f"/story/{spun.story_id}/",
        "article": f"/article/{spun.pk}/",
        "search": f"/search/?q={spun.title.split()[0]}",
        "search, no results": "/search/?q=zyxwvutsrq",
        "sources": "/sources/",
        "entity": f"/entity/{entity.slug}/",
        "sign in": "/accounts/login/",
        "sign up": "/accounts/signup/",
        "API docs": "/api/docs",
        "not found": "/story/99999999/",
        # a middle page of each list, with its "Previous page" and "Next page" links
        "home, page 2": "/?per_page=1&page=2",
        "section, page 2": f"/section/{section.slug}/?per_page=1&page=2",
        "story, page 2": f"/story/{spun.story_id}/?per_page=1&page=2",
        "search, page 2": f"/search/?q={spun.title.split()[0]}&per_page=1&page=2",
        "sources, page 2": "/sources/?per_page=1&page=2",
        "entity, page 2": f"/entity/{entity.slug}/?per_page=1&page=2",
    }


def axe_violations(page: Any, label: str) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    return [
        f"{label} ({page.url}): {v['id']} [{v['impact']}] {v['help']} — "
        + "; ".join(f"{n['target']} {n['html']}" for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def audit(page: Any, url: str, label: str) -> list[str]:
    """The page as served, then with every <details> opened (the evidence, the history);
    and its next page, when the list has one."""
    response = page.goto(url)
    assert response is not None
    found = axe_violations(page, label)
    if "page=2" in url:
        assert page.locator(".pager a").count() == 2, f"{url} should link two other pages"
    if page.locator("details:not([open])").count():
        page.locator("details").evaluate_all("ds => ds.forEach(d => { d.open = true; })")
        found += axe_violations(page, f"{label}, details open")
    following = page.locator("link[rel=next]")
    if following.count() and "page=" not in url:
        found += audit(page, urljoin(url, following.get_attribute("href")), f"{label}, next page")
    return found


def test_axe_finds_no_serious_violations(
    axe_js: Path, live_server: Any, site_paths: dict[str, str], axe_page: Any
) -> None:
    page = axe_page
    found: list[str] = []
    # A narrow window too: the layout reflows, and wide tables scroll sideways there.
    for width, height in ((360, 740), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for label, path in site_paths.items():
            found += audit(page, live_server.url + path, f"{label}, {width}px")
    response = page.goto(live_server.url + site_paths["not found"])
    assert response.status == 404 and page.locator("h1").inner_text() == "Page not found"

    # Signed in: the reply form, and the thread with each reply's "Reply" button (replies.js).
    page.goto(f"{live_server.url}/accounts/login/?next={site_paths['article']}")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{site_paths['article']}*")
    assert page.locator(".reply-button").count() == 2
    found += audit(page, page.url, "article, signed in")
    # Without JavaScript each reply has its own small form in a <details>: show those too.
    page.locator(".reply-inline").evaluate_all(
        "ds => ds.forEach(d => { d.hidden = false; d.open = true; })"
    )
    found += axe_violations(page, "article, signed in, inline reply forms")
    found += audit(page, f"{live_server.url}/", "home, signed in")
    assert found == [], "axe-core found serious or critical violations:\n" + "\n".join(found)


# ── the keyboard alone ────────────────────────────────────────────────────────────────────
FOCUS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), rect = el.getBoundingClientRect();
  return {
    element: el.outerHTML.slice(0, 120),
    matches: selector ? el.matches(selector) : false,
    id: el.id,
    ring: el.matches(":focus-visible")
          && ((style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
              || style.boxShadow !== "none"),
    hidden: Boolean(el.closest("[hidden], [aria-hidden=true], [inert]"))
            || style.visibility !== "visible" || rect.width < 2 || rect.height < 2
            || rect.bottom + window.scrollY < 0 || rect.right + window.scrollX < 0,
    inMain: Boolean(el.closest("main")),
  };
}"""


def focus_on(page: Any, selector: str = "") -> dict[str, Any]:
    """The focused element, checked: visible, and showing that it has the focus."""
    state = page.evaluate(FOCUS, selector)
    assert state is not None, f"the focus left the page ({page.url})"
    assert not state["hidden"], f"the focus is on a hidden element: {state['element']}"
    assert state["ring"], f"no visible focus indicator on {state['element']}"
    return dict(state)


def tab_to(page: Any, selector: str, back: bool = False, limit: int = 150) -> dict[str, Any]:
    """Press Tab (Shift+Tab with ``back``) until ``selector`` has the focus, checking every
    element the focus passes through; passing the end of the page is allowed once."""
    ends = 0
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate(FOCUS, selector) is None and ends == 0:
            ends += 1  # past the last element: the next Tab starts again at the first
            continue
        state = focus_on(page, selector)
        if state["matches"]:
            return state
    raise AssertionError(f"{selector} was not reached in {limit} presses of Tab on {page.url}")


def press_and_load(page: Any, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def skip_to_main(page: Any) -> None:
    """From the top of a freshly loaded page: the skip link, first, then into <main>."""
    page.keyboard.press("Tab")
    state = focus_on(page, ".skip-link")
    assert state["matches"], f"the first Tab stop is {state['element']}, not the skip link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_only_read_sign_in_and_reply(
    live_server: Any, ingested: dict[str, Article], page: Any
) -> None:
    page.goto(f"{live_server.url}/")  # the only navigation not made with the keyboard

    # Home → a story → an article.
    tab_to(page, ".story-card-title a")
    press_and_load(page, "Enter")
    assert "/story/" in page.url
    tab_to(page, ".coverage-title a")
    press_and_load(page, "Enter")
    assert "/article/" in page.url
    article_url = page.url

    # The skip link leads into the page's content: the next Tab stop is inside <main>.
    skip_to_main(page)
    page.keyboard.press("Tab")
    assert focus_on(page)["inMain"]

    # Sign in from the article, with the keyboard, and come back to it.
    tab_to(page, 'main a[href^="/accounts/login/"]')
    press_and_load(page, "Enter")
    assert focus_on(page, "input[name=username]")["matches"]  # the form's autofocus
    page.keyboard.type("reader")
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Space")
    page.wait_for_url(f"{article_url}*")
    assert "reader" in page.get_by_role("banner").inner_text()

    # Write a reply and post it.
    skip_to_main(page)
    tab_to(page, "#reply-body")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "#reply-form button[type=submit]")
    press_and_load(page, "Enter")
    assert "Typed without a mouse." in page.locator("#replies").inner_text()

    # Answer it with its "Reply" button (replies.js): the form is pointed at the reply and
    # the focus moves to its text box; "Cancel" undoes that and, hidden, is no Tab stop.
    tab_to(page, ".reply-button")
    page.keyboard.press("Enter")
    assert focus_on(page, "#reply-body")["matches"]
    assert page.locator("#replying-to").is_visible()
    parent = page.locator("#reply-parent").input_value()
    assert parent
    page.keyboard.press("Shift+Tab")
    assert focus_on(page, "#reply-cancel")["matches"]
    page.keyboard.press("Space")
    assert focus_on(page, "#reply-body")["matches"]
    assert not page.locator("#replying-to").is_visible()
    assert page.locator("#reply-parent").input_value() == ""
    tab_to(page, ".reply-button", back=True)  # back past the hidden "Cancel"
    page.keyboard.press("Enter")
    assert focus_on(page, "#reply-body")["matches"]
    assert page.locator("#reply-parent").input_value() == parent
    page.keyboard.type("And answered the same way.")
    tab_to(page, "#reply-form button[type=submit]")
    press_and_load(page, "Enter")
    nested = page.locator(f"#reply-{parent} .reply-children")
    assert "And answered the same way." in nested.inner_text()
