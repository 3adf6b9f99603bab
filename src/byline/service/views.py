"""/healthz, /readyz and /metrics: for a supervisor, a load balancer and Prometheus."""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from byline.service import metrics


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Restart it when this fails."""
    return JsonResponse({"status": "ok"})


_migrated = False


def _database_check() -> str:
    """'' when the database answers and every migration is applied, else why not."""
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if plan:
                return f"{len(plan)} migrations not applied (run: byline migrate)"
            _migrated = True
    except DatabaseError as exc:
        return f"database unreachable: {type(exc).__name__}: {str(exc).strip()[:200]}"
    return ""


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers, is migrated, and (under ``byline run``) the fetch
    loop is alive. Send traffic only when this says 200."""
    from byline.service.run import RUNNING

    checks: dict[str, str] = {"database": _database_check() or "ok"}
    loop = RUNNING.loop
    if loop is not None:
        if loop.stopping:
            checks["fetch_loop"] = "stopping"
        elif not loop.alive():
            checks["fetch_loop"] = "not running"
        else:
            checks["fetch_loop"] = "ok" + (
                f" (last error: {loop.last_error})" if loop.last_error else ""
            )
    ready = all(value.startswith("ok") for value in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


@cache
def _networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(
        ipaddress.ip_network(entry, strict=False) for entry in settings.BYLINE.metrics_networks
    )


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks())


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for clients in BYLINE_METRICS_NETWORKS only."""
    if not _allowed(request.META.get("REMOTE_ADDR", "")):
        return HttpResponse(
            "metrics are served to BYLINE_METRICS_NETWORKS only\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
