"""Counts and times every request for /metrics, and logs it at DEBUG (``byline.access``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from byline.service import metrics

log = logging.getLogger("byline.access")


class RequestMetrics:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = (match.url_name or match.view_name) if match else "unmatched"
        metrics.HTTP_REQUESTS.labels(route, f"{response.status_code // 100}xx").inc()
        metrics.HTTP_SECONDS.labels(route).observe(seconds)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round(seconds * 1000, 1),
                },
            )
        return response
