"""The site in a real browser: Playwright driving Debian's Chromium against Django's live
server, over data ingested from the sample outlets through the real pipeline.

Set BYLINE_SCREENSHOTS=DIR (``make screenshots``) to also write the home, story and article
pages as PNG files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from byline.demo.run import register_outlets
from byline.ingest import fetch_feeds
from byline.judge.text import sentences as sentences_of
from byline.news import queries, registry
from byline.news.models import Article

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
