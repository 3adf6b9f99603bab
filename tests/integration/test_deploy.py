"""Production mode (BYLINE_HTTPS=1) behind a TLS-terminating proxy: Django's deployment
checks are clean, and a real `byline run` sends HSTS and secure cookies, redirects plain HTTP
to HTTPS, and still answers the local health probes over plain HTTP."""

from __future__ import annotations

import http.client
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from tests.integration.processes import byline_env, running

pytestmark = pytest.mark.postgres  # runs in both passes


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "byline", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_https_and_names_what_is_missing_without(
    tmp_path: Path, database: tuple[str, Any]
) -> None:
    env = byline_env(tmp_path / "data", database[0])
    env.update(BYLINE_ALLOWED_HOSTS="news.example.org")
    plain = _check_deploy(env)
    assert plain.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in plain.stderr, code
    env.update(BYLINE_HTTPS="1")
    secure = _check_deploy(env)
    assert secure.returncode == 0, secure.stderr
    assert "no issues" in secure.stdout


def _request(base: str, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_https_mode_behind_a_proxy(tmp_path: Path, database: tuple[str, Any]) -> None:
    env = byline_env(tmp_path / "data", database[0])
    env.update(BYLINE_HTTPS="1", BYLINE_TRUSTED_PROXY="127.0.0.1")
    proxied = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    with running(env, "--no-fetch") as (proc, base):
        plain = _request(base, "/sources/", {"Host": "127.0.0.1"})
        assert plain.status == 301
        assert plain.getheader("Location") == "https://127.0.0.1/sources/"
        assert _request(base, "/healthz", {"Host": "127.0.0.1"}).status == 200
        assert _request(base, "/readyz", {"Host": "127.0.0.1"}).status == 200

        page = _request(base, "/accounts/signup/", proxied)
        assert page.status == 200
        hsts = page.getheader("Strict-Transport-Security") or ""
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
        cookies = page.headers.get_all("Set-Cookie") or []
        csrf = [c for c in cookies if c.startswith("csrftoken=")]
        assert csrf and "Secure" in csrf[0]
        assert "frame-ancestors 'none'" in (page.getheader("Content-Security-Policy") or "")
        proc.terminate()
        assert proc.wait(timeout=30) == 0


def test_a_client_cannot_claim_https_without_a_trusted_proxy(
    tmp_path: Path, database: tuple[str, Any]
) -> None:
    env = byline_env(tmp_path / "data", database[0])
    env.update(BYLINE_HTTPS="1")  # no BYLINE_TRUSTED_PROXY: forwarded headers are removed
    with running(env, "--no-fetch") as (proc, base):
        spoofed = _request(base, "/sources/", {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        assert spoofed.status == 301
        assert spoofed.getheader("Location") == "https://127.0.0.1/sources/"
        proc.terminate()
        assert proc.wait(timeout=30) == 0
