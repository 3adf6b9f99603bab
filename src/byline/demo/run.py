"""`byline demo`: serve the bundled sample outlets on 127.0.0.1, register them as sources, and
ingest them through the real pipeline (fetch → extract → judge → store)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from byline.config import Config
from byline.demo.server import DemoServer
from byline.demo.sitegen import SiteManifest, build_site
from byline.errors import BylineError
from byline.ingest import IngestReport, ProgressFn, fetch_feeds
from byline.news import registry


@dataclass
class DemoRun:
    server: DemoServer
    manifest: SiteManifest
    report: IngestReport


def start_outlets(root: Path, port: int = 0) -> tuple[DemoServer, SiteManifest]:
    """Start the sample outlets' web server and write their pages and feeds."""
    server = DemoServer(root, port=port)
    try:
        server.start()
    except OSError as exc:
        raise BylineError(
            f"cannot serve the sample outlets on 127.0.0.1:{port} ({exc.strerror}); "
            "is another `byline demo` running? Use --outlets-port or BYLINE_DEMO_OUTLETS_PORT"
        ) from None
    manifest = build_site(root, server.base_url)
    return server, manifest


def register_outlets(manifest: SiteManifest) -> None:
    for outlet in manifest.outlets:
        registry.add_source(
            name=outlet.name,
            feed_url=outlet.feed_url,
            home_url=outlet.home_url,
            kind=outlet.kind,
            country=outlet.country,
            language=outlet.language,
        )


def run_demo(config: Config, port: int, progress: ProgressFn) -> DemoRun:
    """Serve the outlets, register them, and ingest every feed. The outlets' server keeps
    running (so source links work) until the caller stops it."""
    registry.ensure_sections()
    server, manifest = start_outlets(config.data_path / "demo-outlets", port)
    # Fetching refuses loopback addresses; the demo allows its own outlets' server, no other,
    # and needs no politeness delay against it.
    own = f"127.0.0.1:{server.port}"
    config = config.replace(allow_private_hosts=[*config.allow_private_hosts, own], host_delay=0)
    try:
        register_outlets(manifest)
        feed_urls = {o.feed_url for o in manifest.outlets}
        feeds = [f for f in registry.feeds_due(force=True) if f.url in feed_urls]
        report = fetch_feeds(config, feeds, progress)
    except BaseException:
        server.stop()
        raise
    return DemoRun(server=server, manifest=manifest, report=report)
