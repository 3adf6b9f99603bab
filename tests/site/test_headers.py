"""Every page is sent with the production headers: a Content-Security-Policy that allows no
inline script or style (and the pages carry none), no framing, no sniffing, a referrer policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from byline.news.models import Entity

pytestmark = pytest.mark.django_db


def _pages(world: Any) -> list[str]:
    entity = Entity.objects.first()
    pages = [
        "/",
        f"/section/{world.story.section.slug}/",
        f"/story/{world.story.pk}/",
        f"/article/{world.origin.pk}/",
        f"/article/{world.spun.pk}/",
        "/search/?q=harbour",
        "/sources/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    if entity is not None:
        pages.append(f"/entity/{entity.slug}/")
    return pages


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_sends_a_strict_policy_and_holds_no_inline_script(
    client: Client, reader_client: Client, world: Any, signed_in: bool
) -> None:
    browser = reader_client if signed_in else client
    for path in _pages(world):
        response = browser.get(path)
        assert response.status_code == 200, path
        policy = _policy(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["object-src"] == ["'none'"], path
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        html = response.content.decode()
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
        assert inline == [], f"{path}: inline script {inline}"
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), (
            f"{path}: inline style or handler"
        )
        assert "javascript:" not in html, path


def test_the_scripts_the_pages_name_are_served(
    client: Client, reader_client: Client, world: Any
) -> None:
    html = reader_client.get(f"/article/{world.origin.pk}/").content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert any(s.endswith("site.js") for s in sources) and any(
        s.endswith("replies.js") for s in sources
    )
    for src in sources:
        response = client.get(src)
        assert response.status_code == 200, src
        assert b"function" in b"".join(response.streaming_content), src
