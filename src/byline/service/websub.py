"""WebSub for ``byline run``: subscribe to the hubs that feeds name (and renew before the
lease ends), answer the hubs' verifications, and take their pushes. A push makes its feed due
at once and wakes the fetch loop, which fetches the feed and its new articles as it would a
polled one; polling goes on beside it, so a silent hub loses nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from byline.config import Config
from byline.errors import FetchError
from byline.fetch import websub
from byline.news import registry
from byline.news.models import Feed
from byline.service import metrics

log = logging.getLogger(__name__)


def callback_url(config: Config, feed: Feed) -> str:
    return f"{config.public_url}/websub/{feed.pk}/{feed.websub_token}"


def renew_before(config: Config) -> timedelta:
    """Renew when a tenth of the lease (at most a day) is left."""
    return timedelta(seconds=min(86400, int(config.websub_lease_seconds) // 10))


def subscribe_due(config: Config) -> int:
    """Send a subscription request to each hub that needs one; returns how many hubs
    accepted the request (verification follows at the callback)."""
    if not config.public_url:
        return 0
    feeds = registry.websub_to_subscribe(renew_before(config))
    if not feeds:
        return 0
    from byline.fetch.http import Fetcher
    from byline.ingest import policy_from

    accepted = 0
    with Fetcher(policy_from(config)) as fetcher:
        for feed in feeds:
            # a renewal keeps its callback and secret: pushes in flight still verify
            secret = feed.websub_secret or websub.new_secret()
            token = feed.websub_token or websub.new_token()
            registry.websub_requested(feed, secret, token)
            form = websub.subscription_form(
                feed.websub_topic,
                callback_url(config, feed),
                secret,
                int(config.websub_lease_seconds),
            )
            try:
                status, body = fetcher.post_form(feed.websub_hub, form)
            except FetchError as exc:
                registry.websub_failed(feed, f"hub unreachable: {exc}")
                metrics.WEBSUB_REQUESTS.labels("failed").inc()
                continue
            if status in (202, 204):
                accepted += 1
                metrics.WEBSUB_REQUESTS.labels("accepted").inc()
                log.info("websub subscription requested", extra={"feed": feed.url})
            else:
                registry.websub_failed(feed, f"hub answered {status}: {body.strip()[:200]}")
                metrics.WEBSUB_REQUESTS.labels("failed").inc()
    return accepted


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The address given to a hub: GET verifies intent, POST delivers content."""
    feed = registry.websub_feed(pk, token)
    if feed is None:
        return HttpResponse("no such subscription\n", status=410, content_type="text/plain")
    if request.method == "GET":
        from django.conf import settings

        expecting = {"subscribe"} if feed.websub_state in ("requested", "active") else set()
        answer = websub.verify_intent(
            {key: request.GET.get(key, "") for key in request.GET},
            feed.websub_topic,
            expecting,
            int(settings.BYLINE.websub_lease_seconds),
        )
        if answer.lease_seconds is not None:
            registry.websub_verified(feed, answer.lease_seconds)
            log.info("websub subscription verified", extra={"feed": feed.url})
        elif answer.denied:
            registry.websub_denied(feed, answer.denied)
        return HttpResponse(answer.body, status=answer.status, content_type="text/plain")
    signature = request.headers.get("X-Hub-Signature", "")
    if not websub.signature_ok(feed.websub_secret, request.body, signature):
        # the spec: acknowledge, and ignore (a forger learns nothing)
        metrics.WEBSUB_PUSHES.labels("bad_signature").inc()
        log.warning("websub push with a bad signature ignored", extra={"feed": feed.url})
        return HttpResponse(status=202)
    registry.websub_pushed(feed)
    metrics.WEBSUB_PUSHES.labels("accepted").inc()
    from byline.service.run import RUNNING

    if RUNNING.loop is not None:
        RUNNING.loop.wake()
    return HttpResponse(status=202)
