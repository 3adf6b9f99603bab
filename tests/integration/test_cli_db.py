"""The `byline` command against a real database: sources, fetch, demo.

Commands run in-process through ``byline.cli.main`` (its ``django.setup()`` and ``migrate``
are no-ops on pytest-django's test database), in transactional tests because ``migrate``
must not run inside a test's wrapping transaction. ``settings.BYLINE`` is pointed at a
temporary data folder, so nothing is written to the caller's BYLINE_DATA_DIR.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from byline import cli
from byline.config import Config
from byline.demo.run import register_outlets
from byline.demo.server import DemoServer
from byline.demo.sitegen import SiteManifest
from byline.news import queries
from byline.news.models import Article, Feed, Source, Story

DB = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cli_config(settings: Any, tmp_path: Path, kit: Any) -> Config:
    config: Config = kit.make_config(
        tmp_path / "data", fetch_timeout=5, feed_failures_before_pause=2
    )
    settings.BYLINE = config
    return config


def byline(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _line_for(out: str, slug: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(slug + " "))


@DB
def test_sources_add_list_fetch_remove(
    cli_config: Config, capsys: pytest.CaptureFixture[str], loopback: Any, kit: Any
) -> None:
    feed_url, urls = kit.serve_outlet(loopback, "quay", [("Brackwater", "fish market")])
    broken_url = loopback.add("/broken/feed.xml", b"down", status=503, content_type="text/plain")

    code, out, _ = byline(capsys, "sources", "list")
    assert (code, out) == (0, "no sources yet: byline sources add NAME FEED_URL\n")

    code, out, err = byline(
        capsys,
        "sources",
        "add",
        "Quay Ledger",
        feed_url,
        "--home",
        loopback.url("/quay/"),
        "--kind",
        "wire",
        "--country",
        "Ostrovia",
        "--language",
        "en",
    )
    assert (code, err) == (0, "")
    assert out == f"added Quay Ledger (quay-ledger): {feed_url}\n"
    code, out, _ = byline(capsys, "sources", "add", "Broken Bugle", broken_url)
    assert code == 0 and "broken-bugle" in out
    source = Source.objects.get(slug="quay-ledger")
    assert (source.kind, source.country, source.language) == ("wire", "Ostrovia", "en")
    assert source.domain == f"127.0.0.1:{loopback.port}"

    code, out, _ = byline(capsys, "sources", "list")
    assert code == 0
    quay = _line_for(out, "quay-ledger")
    assert "wire" in quay and " 0 articles" in quay and " ok " in quay and feed_url in quay
    assert "last:" not in out  # nothing fetched yet

    # One good feed, one failing: exit 1, the failure named on stderr.
    code, out, err = byline(capsys, "fetch", "--all", "-q")
    assert code == cli.EXIT_PARTIAL
    assert "feeds ok 1, failed 1" in out and "new articles 1" in out
    assert f"  problem: {broken_url}" in err and "HTTP 503" in err

    code, out, _ = byline(capsys, "sources", "list")
    assert " 1 articles  ok " in _line_for(out, "quay-ledger")
    assert " failing " in _line_for(out, "broken-bugle")
    assert "last: ok: 1 entries" in out
    assert "last: error: " in out and "HTTP 503" in out

    code, out, _ = byline(capsys, "sources", "list", "--json")
    health = {row["slug"]: row for row in json.loads(out)}
    assert health["broken-bugle"]["consecutive_failures"] == 1
    assert health["quay-ledger"]["articles"] == 1
    assert health["quay-ledger"]["last_status"].startswith("ok")

    # A second failure in a row pauses the feed (feed_failures_before_pause = 2).
    code, out, err = byline(capsys, "fetch", "--all", "-q")
    assert code == cli.EXIT_PARTIAL and "new articles 0" in out
    code, out, _ = byline(capsys, "sources", "list")
    assert " PAUSED " in _line_for(out, "broken-bugle")
    assert "paused: 2 failures in a row; last: " in out and "HTTP 503" in out
    assert Feed.objects.get(url=broken_url).paused_reason.startswith("2 failures in a row")
    code, out, _ = byline(capsys, "fetch", "-q")
    assert (code, out) == (0, "no feeds are due (use --all to fetch every feed now)\n")

    # Remove by slug and by feed URL; the articles go with their source.
    code, out, _ = byline(capsys, "sources", "remove", "quay-ledger")
    assert (code, out) == (0, "removed Quay Ledger\n")
    assert not Article.objects.filter(url__in=urls).exists()
    code, out, _ = byline(capsys, "sources", "remove", broken_url)
    assert (code, out) == (0, "removed Broken Bugle\n")
    code, out, _ = byline(capsys, "sources", "list")
    assert out.startswith("no sources yet")


@DB
def test_removing_an_unknown_source_is_a_one_line_error(
    cli_config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = byline(capsys, "sources", "remove", "nosuch")
    assert code == cli.EXIT_ERROR == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith("byline: error: no source matches 'nosuch'")


@DB
def test_fetch_all_ingests_the_demo_outlets(
    cli_config: Config,
    capsys: pytest.CaptureFixture[str],
    demo_site: tuple[DemoServer, SiteManifest],
) -> None:
    _, manifest = demo_site
    register_outlets(manifest)
    code, out, err = byline(capsys, "fetch", "--all", "-q")
    assert (code, err) == (0, "")
    n = len(manifest.articles)
    events = len({a.event_id for a in manifest.articles})
    match = re.search(r"pages (\d+); new articles (\d+); new stories (\d+)", out)
    assert match, out
    pages, added, stories = map(int, match.groups())
    assert f"feeds ok {len(manifest.outlets)}, failed 0" in out
    assert pages == added == n
    assert abs(stories - events) <= 2
    assert Article.objects.count() == n and Story.objects.count() == stories

    code, out, _ = byline(capsys, "sources", "list", "--json")
    health = json.loads(out)
    assert len(health) == len(manifest.outlets)
    assert sum(row["articles"] for row in health) == n
    assert all(row["last_status"].startswith("ok") for row in health)

    code, out, _ = byline(capsys, "fetch", "-q")
    assert (code, out) == (0, "no feeds are due (use --all to fetch every feed now)\n")
    code, out, err = byline(capsys, "fetch", "--all", "-q")
    assert (code, err) == (0, "")
    assert "new articles 0; new stories 0" in out
    assert Article.objects.count() == n


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _refused(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _demo_port(out: str) -> int:
    match = re.search(r"served on http://127\.0\.0\.1:(\d+)/", out)
    assert match, out
    return int(match.group(1))


@DB
def test_demo_with_outlets_port_zero_picks_a_free_port(
    cli_config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = byline(capsys, "demo", "--no-serve", "--outlets-port", "0", "-q")
    assert code == 0, err
    port = _demo_port(out)
    assert port not in (0, int(cli_config.demo_outlets_port))
    counts = queries.counts()
    assert re.search(r"feeds ok 9, failed 0; pages 98; new articles 98; new stories \d+", out)
    assert f"{counts['sources']} sources, {counts['articles']} articles" in out
    assert counts["articles"] == 98 and abs(counts["stories"] - 14) <= 2
    assert (cli_config.data_path / "demo-outlets" / "manifest.json").is_file()
    assert _refused(port), "the outlets' server still runs after --no-serve"
    # Stored links point at the port the outlets were really served on.
    assert Article.objects.exclude(url__startswith=f"http://127.0.0.1:{port}/").count() == 0


@DB
def test_demo_uses_the_configured_outlets_port(
    settings: Any, tmp_path: Path, kit: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    settings.BYLINE = kit.make_config(tmp_path / "data", demo_outlets_port=port)
    code, out, err = byline(capsys, "demo", "--no-serve", "-q")
    assert code == 0, err
    assert _demo_port(out) == port


def test_import_names_each_bad_input_once_on_stderr(tmp_path: Path) -> None:
    """A real process (its own SQLite file in tmp_path), so the real logging setup applies."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.html").write_bytes(b"garbage, not a page")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BYLINE_DATA_DIR"] = str(tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-m", "byline", "import", str(tmp_path / "in"), "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == cli.EXIT_PARTIAL, run.stderr
    assert "new articles 0" in run.stdout
    mentions = [line for line in run.stderr.splitlines() if "bad.html" in line]
    assert len(mentions) == 1, run.stderr


@DB
def test_backup_and_restore_from_the_command_line(
    cli_config: Config, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`byline backup PATH` writes a backup; `byline restore PATH` refuses without --yes
    and, with it, gives the database back as it was."""
    code, _, _ = byline(capsys, "sources", "add", "One", "https://one.example/feed.xml")
    assert code == 0 and Source.objects.count() == 1
    target = tmp_path / "byline.backup"
    code, out, _ = byline(capsys, "backup", str(target))
    assert code == 0 and "backed up the" in out and target.stat().st_size > 0
    Source.objects.all().delete()
    code, _, err = byline(capsys, "restore", str(target))
    assert code == 2 and "add --yes" in err
    assert Source.objects.count() == 0  # refused: nothing changed
    code, out, _ = byline(capsys, "restore", str(target), "--yes")
    assert code == 0 and out.startswith("restored the")
    from django.db import connection

    connection.close()
    assert list(Source.objects.values_list("name", flat=True)) == ["One"]
