"""Fixtures for the hostile-input suite: raw loopback servers that misbehave at the socket
level (dribbling bytes, endless chunks, lying Content-Length, TLS with a self-signed
certificate), a resolver edge for DNS tricks, and the fetch policy the cases run under."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

LONG = os.environ.get("BYLINE_LONG", "") not in ("", "0")

Handler = Callable[[socket.socket, "RawServer"], None]


class RawServer:
    """A TCP server on ``host`` whose every connection is handed to ``handler`` (in its own
    daemon thread) after the request head has been read. ``sent`` counts the bytes the
    handler wrote through ``send``; ``connections`` counts accepted connections."""

    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        read_head: bool = True,
    ) -> None:
        self.read_head = read_head
        self.handler = handler
        self.sent = 0
        self.connections = 0
        self.requests: list[bytes] = []
        self.stopping = threading.Event()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.host = host
        self.port = int(self._sock.getsockname()[1])
        self.tls = tls
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/", scheme: str = "http") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{path}"

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn.settimeout(5)
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.settimeout(10)
            head = b""
            while self.read_head and b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            if head:
                self.requests.append(head)
            self.handler(conn, self)
        except (OSError, ssl.SSLError):
            pass  # the client gave up, as it should
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def stop(self) -> None:
        self.stopping.set()
        self._sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    """A factory: ``raw_server(handler, host=…, port=…, tls=…)``; every server is stopped at
    the end of the test."""
    servers: list[RawServer] = []

    def make(handler: Handler, **kwargs: Any) -> RawServer:
        server = RawServer(handler, **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server TLS context with a freshly made self-signed certificate for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    return context


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, list[list[str]]]], list[str]]:
    """The resolver edge (``socket.getaddrinfo``), the one mock of this suite: ``resolver(
    {name: [first answer, second answer, …]})`` makes each lookup of ``name`` return the next
    answer in turn (the last one repeats). Returns the list of names looked up, in order."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def install(table: dict[str, list[list[str]]]) -> list[str]:
        turns = {name: 0 for name in table}

        def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            key = name.rstrip(".").lower()
            if key not in table:
                return real(host, port, *args, **kwargs)
            asked.append(key)
            answers = table[key]
            answer = answers[min(turns[key], len(answers) - 1)]
            turns[key] += 1
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (ip, int(port or 80), 0, 0) if ":" in ip else (ip, int(port or 80)),
                )
                for ip in answer
            ]

        monkeypatch.setattr(socket, "getaddrinfo", fake)
        return asked

    return install


@pytest.fixture(scope="session")
def data_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-files")


@pytest.fixture(scope="session")
def warm_pipeline() -> None:
    """Run the pipeline once before any budget is measured: the first call imports and
    loads what every later call shares (the extractor, the judge, their models), which is
    no input's doing."""
    from tests.integration.conftest import BASE_TIME, article_html, story_paragraphs

    from byline import pipeline
    from byline.records import Article

    url = "https://warm.example/a"
    html = article_html(
        "Warm-up council approves the pier", story_paragraphs("Warmby", "pier"), BASE_TIME, url
    )
    processed = pipeline.process_page(html.encode(), url)
    records = [
        pipeline.process_article(
            Article(
                url=f"{url}{n}",
                canonical_url=f"{url}{n}",
                title=processed.article.title,
                standfirst="",
                author="",
                published=BASE_TIME,
                language="en",
                text=processed.article.text,
            )
        )
        for n in range(2)
    ]
    from byline.records import JudgeInput

    pipeline.judge(
        [
            JudgeInput(
                id=str(n),
                url=p.article.url,
                source=f"s{n}",
                title=p.article.title,
                text=p.article.text,
                published=BASE_TIME,
            )
            for n, p in enumerate(records)
        ]
    )
    pipeline.entities_of(
        [
            JudgeInput(
                id="e",
                url=url,
                source="s",
                title="Ada Lovelace visits Paris",
                text="Ada Lovelace met Charles Babbage in London.",
                published=BASE_TIME,
            )
        ]
    )
