"""The polite HTTP client against a real server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from byline.config import load
from byline.errors import BadContent, FetchError, HTTPStatusError, TooLarge
from byline.fetch.http import Fetcher, FetchPolicy

CONTACT = "https://example.org/byline-operator"
PAGE = b"<html><head><title>Hello</title></head><body><p>Hello, loopback.</p></body></html>"
BOMB = gzip.compress(b"\0" * 2_000_000)  # about 2 KB on the wire, 2 MB inflated
SEEN_HEADERS: dict[str, str] = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **extra: str):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/page":
            self.send(200, PAGE, X_Custom_Header="yes", ETag='"v1"')
        elif path == "/echo-ua":
            SEEN_HEADERS.clear()
            SEEN_HEADERS.update({k.lower(): v for k, v in self.headers.items()})
            self.send(200, b"ok", "text/plain")
        elif path == "/moved":
            self.send(301, b"", Location="/page")
        elif path.startswith("/loop"):
            self.send(302, b"", Location="/loop-again" if path == "/loop" else "/loop")
        elif path == "/missing":
            self.send(404, b"not here")
        elif path == "/big":
            self.send(200, b"x" * 50_000)
        elif path == "/bomb":
            self.send(200, BOMB, Content_Encoding="gzip")
        elif path == "/small-gzip":
            self.send(200, gzip.compress(PAGE), Content_Encoding="gzip")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200, PAGE)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "40")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
            else:
                self.send(200, PAGE, ETag='"v1"')
        else:
            self.send(500, b"unexpected path")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """No traceback when a client hangs up on purpose (the body-cap tests do)."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def policy(**kwargs: Any) -> FetchPolicy:
    user_agent = load({"BYLINE_CONTACT_URL": CONTACT}).user_agent()
    defaults: dict[str, Any] = {"timeout": 5.0, "connect_timeout": 2.0, "allow": ("127.0.0.1",)}
    return FetchPolicy(user_agent=user_agent, **{**defaults, **kwargs})


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(policy()) as client:
        yield client


def test_normal_page(fetcher: Fetcher, base_url: str) -> None:
    result = fetcher.get(f"{base_url}/page")
    assert result.status == 200
    assert result.body == PAGE
    assert result.url == result.final_url == f"{base_url}/page"
    assert result.headers["x-custom-header"] == "yes"
    assert all(name == name.lower() for name in result.headers)
    assert result.content_type == "text/html"
    assert result.fetched_at.tzinfo is not None


def test_redirect_sets_final_url(fetcher: Fetcher, base_url: str) -> None:
    result = fetcher.get(f"{base_url}/moved")
    assert result.status == 200
    assert result.url == f"{base_url}/moved"
    assert result.final_url == f"{base_url}/page"
    assert result.body == PAGE


def test_small_gzip_body_is_decoded(fetcher: Fetcher, base_url: str) -> None:
    assert fetcher.get(f"{base_url}/small-gzip").body == PAGE


def test_user_agent_names_byline_and_contact(fetcher: Fetcher, base_url: str) -> None:
    fetcher.get(f"{base_url}/echo-ua")
    agent = SEEN_HEADERS["user-agent"]
    assert "Byline/" in agent
    assert CONTACT in agent


def test_404_raises_status_error(fetcher: Fetcher, base_url: str) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.get(f"{base_url}/missing")
    assert caught.value.status == 404
    assert caught.value.url == f"{base_url}/missing"
    assert "404" in str(caught.value)


def test_redirect_loop_fails(base_url: str) -> None:
    with Fetcher(policy(max_redirects=3)) as client, pytest.raises(FetchError) as caught:
        client.get(f"{base_url}/loop")
    assert not isinstance(caught.value, HTTPStatusError)
    assert "redirects" in str(caught.value)
    assert "3" in caught.value.reason


def test_body_over_cap_is_too_large(base_url: str) -> None:
    with Fetcher(policy(max_bytes=10_000)) as client, pytest.raises(TooLarge):
        client.get(f"{base_url}/big")
    with Fetcher(policy(max_bytes=60_000)) as client:
        assert len(client.get(f"{base_url}/big").body) == 50_000


def test_gzip_bomb_counts_inflated_size(base_url: str) -> None:
    assert len(BOMB) < 10_000  # small on the wire: only the inflated size can trip the cap
    with Fetcher(policy(max_bytes=100_000)) as client, pytest.raises(TooLarge) as caught:
        client.get(f"{base_url}/bomb")
    assert "100000" in str(caught.value)


def test_slow_server_times_out(base_url: str) -> None:
    started = time.monotonic()
    with (
        Fetcher(policy(timeout=0.5, connect_timeout=0.5)) as client,
        pytest.raises(FetchError, match="timed out"),
    ):
        client.get(f"{base_url}/slow")
    assert time.monotonic() - started < 1.4


def test_trickling_body_hits_overall_timeout(base_url: str) -> None:
    started = time.monotonic()
    with (
        Fetcher(policy(timeout=0.5, connect_timeout=0.5)) as client,
        pytest.raises(FetchError, match="timed out"),
    ):
        client.get(f"{base_url}/trickle")
    assert time.monotonic() - started < 2.5  # the body alone would take 4 s


def test_binary_content_type_is_bad_content(fetcher: Fetcher, base_url: str) -> None:
    with pytest.raises(BadContent, match="image/png"):
        fetcher.get(f"{base_url}/image")


def test_not_modified_returns_304_with_empty_body(fetcher: Fetcher, base_url: str) -> None:
    first = fetcher.get(f"{base_url}/etag")
    assert first.status == 200
    assert first.body == PAGE
    again = fetcher.get(f"{base_url}/etag", headers={"If-None-Match": first.headers["etag"]})
    assert again.status == 304
    assert again.body == b""


def test_connection_refused_is_fetch_error() -> None:
    with Fetcher(policy(timeout=0.5, connect_timeout=0.5)) as client:
        with pytest.raises(FetchError) as caught:
            client.get("http://127.0.0.1:9/")
        assert caught.value.url == "http://127.0.0.1:9/"
