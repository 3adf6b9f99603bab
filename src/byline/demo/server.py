"""A tiny static file server for the demo websites, bound to 127.0.0.1.

Files are read from disk on every request, so a site built after :meth:`DemoServer.start`
(which is when the port, and so the base URL, becomes known) is served as it is written::

    srv = DemoServer(root)
    srv.start()
    build_site(root, srv.base_url)
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

_BY_NAME: dict[str, str] = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
_BY_SUFFIX: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
}


def content_type(path: Path) -> str:
    """The Content-Type the demo server sends for ``path``."""
    name = path.name.lower()
    return _BY_NAME.get(name) or _BY_SUFFIX.get(path.suffix.lower(), "application/octet-stream")


class _Handler(BaseHTTPRequestHandler):
    server_version = "BylineDemo/1.0"
    sys_version = ""
    root: Path  # set on the per-server subclass

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: no request log on stderr."""

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _serve(self, *, with_body: bool) -> None:
        raw_path = urlsplit(self.path).path
        target = self._resolve(raw_path)
        if target is None:
            self._send(
                HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", with_body
            )
            return
        if target.is_dir():
            if not raw_path.endswith("/"):
                self._redirect(raw_path + "/")
                return
            target = target / "index.html"
            if not target.is_file():
                self._send(
                    HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", with_body
                )
                return
        try:
            body = target.read_bytes()
        except OSError:
            self._send(
                HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", with_body
            )
            return
        self._send(HTTPStatus.OK, body, content_type(target), with_body)

    def _resolve(self, raw_path: str) -> Path | None:
        """Map a URL path to a file or directory under the root, or None (missing/refused)."""
        try:
            path = unquote(raw_path or "/", errors="strict")
        except UnicodeDecodeError:
            return None
        if not path.startswith("/") or "\x00" in path or "\\" in path:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") for p in parts):
            return None
        root = self.root.resolve()
        target = root.joinpath(*parts).resolve()
        if target != root and root not in target.parents:
            return None
        return target if target.exists() else None

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if with_body:
            self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Drop tracebacks for clients that hang up mid-response."""


class DemoServer:
    """Serve the files under ``root`` over HTTP from a daemon thread."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root)
        self.host = host
        self.port = port
        self._httpd: _QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def base_url(self) -> str:
        """``http://host:port`` (no trailing slash); only known after :meth:`start`."""
        if self._httpd is None:
            raise RuntimeError("DemoServer.base_url is only known after start()")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> DemoServer:
        """Bind (port 0 picks a free port) and start serving in a daemon thread."""
        if self._httpd is not None:
            return self
        handler = type("DemoHandler", (_Handler,), {"root": self.root})
        httpd = _QuietServer((self.host, self.port), handler)
        self.port = int(httpd.server_address[1])
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"byline-demo-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port (safe to call twice)."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
