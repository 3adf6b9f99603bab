"""``byline run``: the site (waitress) and the fetch loop in one process, stopped cleanly.

SIGTERM or SIGINT (Ctrl-C) stops the web server from taking new requests, lets the requests in
hand finish, then asks the fetch loop to finish the page in hand; pages listed but not yet
fetched are left for the next run (their feeds are made due again), so nothing is lost.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from byline.config import Config
from byline.errors import BylineError
from byline.service.loop import FetchLoop

log = logging.getLogger(__name__)


@dataclass
class _Running:
    loop: FetchLoop | None = None


RUNNING = _Running()  # what /readyz reports on; set while ``run_service`` runs


class _Stop(SystemExit):
    """Raised in the main thread by SIGTERM/SIGINT; waitress ends its loop on SystemExit."""


def server_options(config: Config) -> dict[str, Any]:
    """waitress's settings for Byline: eight threads, and a reverse proxy's forwarded
    headers believed only from ``BYLINE_TRUSTED_PROXY`` (removed from anyone else's
    requests, so a client cannot claim HTTPS or another address)."""
    options: dict[str, Any] = {"threads": 8, "ident": "byline"}
    if config.trusted_proxy:
        options.update(
            trusted_proxy=config.trusted_proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers="x-forwarded-for x-forwarded-proto",
            clear_untrusted_proxy_headers=True,
        )
    return options


def run_service(
    config: Config,
    host: str,
    port: int,
    fetch: bool = True,
    announce: Callable[[str], None] = print,
) -> int:
    """Serve until SIGTERM/SIGINT; returns 0 after a clean stop, 1 when the fetch loop did
    not finish within ``shutdown_timeout``."""
    from waitress import create_server

    from byline.web.wsgi import application

    try:
        server: Any = create_server(application, host=host, port=port, **server_options(config))
    except OSError as exc:
        raise BylineError(
            f"cannot listen on {host}:{port} ({exc.strerror}); use --port or BYLINE_PORT"
        ) from None
    loop = FetchLoop(config) if fetch else None
    RUNNING.loop = loop
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            log.warning("already stopping; waiting for the page in hand")
            return
        stopping.set()
        log.info("%s received: stopping", signal.Signals(signum).name)
        raise _Stop(0)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if loop is not None:
            loop.start()
        fetching = "fetching due feeds" if loop else "not fetching (--no-fetch)"
        announce(
            f"Byline is serving on http://{host}:{server.effective_port}/ and {fetching}; "
            "health at /healthz and /readyz, metrics at /metrics (Ctrl-C or SIGTERM to stop)"
        )
        log.info("serving", extra={"event": "serving", "host": host, "port": server.effective_port})
        with contextlib.suppress(_Stop):  # a signal before waitress's loop began
            server.run()
    finally:
        server.close()
        finished = True
        if loop is not None:
            finished = loop.stop(float(config.shutdown_timeout))
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        RUNNING.loop = None
    if not finished:
        log.error(
            "the fetch loop did not stop within %ss; pages in hand will be fetched again",
            config.shutdown_timeout,
        )
        return 1
    log.info("stopped cleanly", extra={"event": "stopped"})
    announce("Byline stopped cleanly.")
    return 0
