"""Shared fixtures. Tests touch real things: SQLite or PostgreSQL (``DATABASE_URL``), a real
HTTP server on 127.0.0.1, a real Chromium. What a machine lacks (a PostgreSQL server,
Chromium, ../shared/data) makes its tests skip with a message saying how to enable them — but
under CI (``CI=true``) PostgreSQL and the browser are mandatory and their absence fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from byline.demo.server import DemoServer
from byline.demo.sitegen import SiteManifest, build_site

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, why: str, how: str) -> None:
    """Skip (with how to enable) when ``condition`` fails — or fail under CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{why} — mandatory under CI. {how}", pytrace=False)
    pytest.skip(f"{why}. To run this test: {how}")


def shared_data(name: str) -> Path:
    """A folder of ../shared/data; the test skips cleanly when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"evaluation data {path} is not here (it ships beside the repository)")
    return path


def pytest_sessionstart(session: pytest.Session) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    try:
        import psycopg

        psycopg.connect(url.replace("postgresql://", "postgres://"), connect_timeout=3).close()
    except Exception as exc:  # any failure means "no usable server"
        message = f"PostgreSQL at {url} is not reachable ({type(exc).__name__}: {exc})"
        if IN_CI:
            pytest.exit(f"{message} — mandatory under CI", returncode=1)
        os.environ["BYLINE_SKIP_ALL"] = (
            f"{message}. Start PostgreSQL or set PG_URL=postgres://USER@HOST:PORT/DB"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = os.environ.get("BYLINE_SKIP_ALL")
    if reason:
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def demo_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[DemoServer, SiteManifest]]:
    """The bundled sample outlets, built and served on a free loopback port."""
    root = tmp_path_factory.mktemp("demo-outlets")
    server = DemoServer(root)
    server.start()
    try:
        yield server, build_site(root, server.base_url)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    require(
        bool(path),
        "Chromium is not installed",
        "apt-get install chromium (Debian's package), or run `make browser`",
    )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require(False, "Playwright is not installed", "pip install -e '.[dev]'")
    return path


@pytest.fixture(autouse=True)
def _page_cache_off() -> Iterator[None]:
    """The page cache (BYLINE_PAGE_CACHE_SECONDS) is off in tests that do not ask for it, and
    empty at the start of every test: tests/site/test_page_cache.py tests it."""
    from django.conf import settings
    from django.core.cache import cache

    cache.clear()
    before = settings.BYLINE
    settings.BYLINE = before.replace(page_cache_seconds=0)
    try:
        yield
    finally:
        settings.BYLINE = before
