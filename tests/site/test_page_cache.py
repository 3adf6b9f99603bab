"""The page cache: readers without cookies share one rendering of a page for
BYLINE_PAGE_CACHE_SECONDS, a change made by this process shows at once, and nothing that
belongs to one reader (a signed-in page, a page that sets a cookie) is ever shared."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from byline.news import changes
from byline.news.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on() -> None:
    settings.BYLINE = settings.BYLINE.replace(page_cache_seconds=30)


def _queries(client: Client, path: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return len(queries), response


@pytest.mark.parametrize("path", ["/", "/index.json", "/sources/", "/feed.rss", "/search/?q=port"])
def test_a_second_reader_without_cookies_gets_the_page_without_a_query(
    client: Client, world: Any, cache_on: None, path: str
) -> None:
    first, response = _queries(client, path)
    assert response.status_code == 200 and first > 0
    again, cached = _queries(Client(), path)
    assert again == 0, f"{path} was rendered again ({again} queries)"
    assert cached.content == response.content
    assert cached["ETag"] == response["ETag"]


def test_a_change_in_this_process_shows_at_once(client: Client, world: Any, cache_on: None) -> None:
    path = f"/story/{world.story.pk}/"
    assert world.story.title in client.get(path).content.decode()
    story = Story.objects.get(pk=world.story.pk)
    story.title = "Port Ardent strike ends after three days"
    story.save()  # any save of a news model moves the change count on
    assert "strike ends after three days" in Client().get(path).content.decode()
    before = changes.current()
    changes.bump()  # what the fetch loop does after a run that changed rows in bulk
    assert changes.current() == before + 1
    assert _queries(Client(), path)[0] > 0


def test_signed_in_readers_and_cookie_setting_pages_are_never_shared(
    reader_client: Client, world: Any, cache_on: None
) -> None:
    path = f"/article/{world.origin.pk}/"
    mine = reader_client.get(path).content.decode()
    assert "ada" in mine  # the page names its reader
    anonymous = Client().get(path).content.decode()
    assert "ada" not in anonymous, "a signed-in page was served to another reader"
    assert _queries(reader_client, path)[0] > 0, "signed-in pages are rendered every time"
    signup = Client().get("/accounts/signup/")
    assert signup.cookies.get("csrftoken"), "the sign-up form sets its CSRF cookie"
    assert Client().get("/accounts/signup/").cookies.get("csrftoken"), "never a shared copy"


def test_the_cache_is_off_at_zero(client: Client, world: Any) -> None:
    assert settings.BYLINE.page_cache_seconds == 0
    client.get("/")
    assert _queries(Client(), "/")[0] > 0


def test_a_change_drops_the_pages_no_reader_can_be_served_again(
    client: Client, world: Any, cache_on: None
) -> None:
    """A page is keyed by the change count it was made at, so once the count moves on it is
    dead. The soak (bench/soak.py) found them kept until the cache was full (2,000 pages):
    with a fetch run or a reply every few seconds, nearly every page in memory was dead."""
    from django.core.cache import cache

    for path in ("/", "/sources/", "/feed.rss"):
        assert client.get(path).status_code == 200
    assert len(cache._cache) == 3  # type: ignore[attr-defined]
    changes.bump()
    assert Client().get("/index.json").status_code == 200
    assert len(cache._cache) == 1  # type: ignore[attr-defined]  (only the live page)
    assert _queries(Client(), "/")[0] > 0  # made again at the new count
    assert _queries(Client(), "/")[0] == 0  # and shared from then on
