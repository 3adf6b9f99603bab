"""What every read (GET or HEAD of a page, a JSON twin or a feed) shares: an ETag and
Cache-Control, a 304 for a conditional GET whose ETag still matches, the page cache for
readers without cookies (``BYLINE_PAGE_CACHE_SECONDS``), and the ``next`` and ``previous``
links of a paginated list."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from byline.news import changes

CACHE_SECONDS = 60  # how long a browser or proxy may reuse a read without asking again
_cleared = {"count": -1}  # the change count the page cache was last emptied at
_clearing = threading.Lock()

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def cached_read(*, personal: bool = False) -> Callable[[View], View]:
    """Give a view's successful reads a strong ETag (a hash of the body) and Cache-Control,
    and answer a conditional GET (``If-None-Match``) with 304 Not Modified when it matches.

    ``personal``: the page can differ per reader (an HTML page names the signed-in reader):
    signed-in readers get ``private, no-cache`` (revalidate every time), others the public
    lifetime. JSON and feeds are the same for everyone: ``public, max-age``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            key = _shared_key(request)
            cached = cache.get(key) if key else None
            response = cached if cached is not None else view(request, *args, **kwargs)
            if (
                request.method not in ("GET", "HEAD")
                or response.status_code != 200
                or response.streaming
            ):
                return response
            if not response.has_header("ETag"):
                set_response_etag(response)
            if not response.has_header("Cache-Control"):
                user = getattr(request, "user", None) if personal else None
                if user is not None and user.is_authenticated:
                    patch_cache_control(response, private=True, no_cache=True)
                else:
                    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            if key and cached is None and _shareable(response):
                cache.set(key, response, int(settings.BYLINE.page_cache_seconds))
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=cast(HttpResponse, response)
            )
            return conditional if conditional is not None else response

        return cast(View, wrapper)

    return decorate


def _shared_key(request: HttpRequest) -> str:
    """The page cache's key for a request any reader without cookies would get the same
    answer to (a GET with no cookies: no session, no sign-in, no CSRF token), or ''. The key
    holds this process's change count (``news.changes``), so a change shows at once."""
    if request.method != "GET" or request.COOKIES or not settings.BYLINE.page_cache_seconds:
        return ""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    count = changes.current()
    _forget_older_pages(count)
    return f"byline:page:{count}:{path}"


def _forget_older_pages(count: int) -> None:
    """Empty the page cache when the change count has moved on. A page cached at an older
    count can never be served again (its key names that count, and the count only grows),
    yet it would stay in memory until the cache's MAX_ENTRIES culled it: with a fetch run or
    a reply every few seconds, the cache filled with up to 2,000 dead pages (found by the
    soak, bench/soak.py). The default cache holds nothing but pages (settings.CACHES)."""
    if _cleared["count"] == count:
        return
    with _clearing:
        if _cleared["count"] != count:
            _cleared["count"] = count
            cache.clear()


def _shareable(response: HttpResponseBase) -> bool:
    """Whether an answer may be served to other readers: not marked private or no-store,
    and setting no cookie (a session, messages or a CSRF token belong to one reader)."""
    control = response.get("Cache-Control", "")
    return not response.cookies and "private" not in control and "no-store" not in control


def page_links(
    request: HttpRequest, pagination: dict[str, Any], *, absolute: bool
) -> dict[str, Any]:
    """``pagination`` (from ``pages.Paging.cut``) with ``next`` and ``previous``: this very
    address with another ``page`` (other parameters kept), or None at either end."""
    links = dict(pagination)
    for key, number in (
        ("next", pagination["next_page"]),
        ("previous", pagination["previous_page"]),
    ):
        if number is None:
            links[key] = None
            continue
        query = request.GET.copy()
        query["page"] = str(number)
        url = f"{request.path}?{query.urlencode()}"
        links[key] = request.build_absolute_uri(url) if absolute else url
    return links
