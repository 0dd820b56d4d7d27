"""A small web site on 127.0.0.1 for the tests of ``briefbook sources``: no internet.

``with serve() as site:`` starts a threaded HTTP server on a free loopback port and
stops it on leaving (every handler that waits is woken, so shutting down takes no
longer than a request in flight).  The paths::

    /page       200, fixed HTML (PAGE)
    /redirect   301 to /page
    /loop       302 to itself, for ever
    /missing    404
    /changing   200, a body that changes whenever the test sets ``site.version``
    /hang       answers only after ``site.hang`` seconds (3 by default)
    /trickle    promises 100,000 bytes, then sends one every 50 ms
    /big        200, BIG_SIZE bytes
    /chunked    200, the page sent with Transfer-Encoding: chunked, in pieces
    /gzip       200, the page gzip-compressed (Content-Encoding: gzip)

``site.url("/page")`` is an address on the server; ``site.refused_url`` one where
nothing listens; ``site.requests`` the paths asked, in order.  :func:`write_book` lays
out a tiny book whose ``sources.bib`` can point at the site.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE = (b"<!doctype html>\n<html><head><title>Ministry statement</title></head>\n"
        b"<body><p>The ministry said on Monday that talks would resume.</p></body></html>\n")
BIG_SIZE = 200_000


@dataclass
class Site:
    base: str
    refused_url: str
    hang: float = 3.0
    version: int = 0
    requests: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def changing_body(self) -> bytes:
        return PAGE.replace(b"Monday", f"Monday (revision {self.version})".encode())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        # A client that gave up (a time-out under test) needs no answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        site = self.server.site
        site.requests.append(self.path)
        path = self.path.split("?", 1)[0]
        if path == "/page":
            self._send(200, PAGE)
        elif path == "/redirect":
            self._send(301, b"moved", {"Location": "/page"})
        elif path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif path == "/missing":
            self._send(404, b"<html><body>Not here</body></html>")
        elif path == "/changing":
            self._send(200, site.changing_body())
        elif path == "/hang":
            if not site.stopping.wait(site.hang):
                self._send(200, PAGE)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100_000):
                if site.stopping.wait(0.05):
                    return
                self.wfile.write(b"x")
                self.wfile.flush()
        elif path == "/big":
            self._send(200, b"b" * BIG_SIZE, {"Content-Type": "application/octet-stream"})
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(PAGE), 40):
                piece = PAGE[start:start + 40]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzip":
            self._send(200, gzip.compress(PAGE, mtime=0), {"Content-Encoding": "gzip"})
        else:
            self._send(404, b"unknown test path")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up mid-answer is what the time-out tests do


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve(hang: float = 3.0) -> Iterator[Site]:
    """Run the site for the duration of the ``with`` block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.site = Site(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{_closed_port()}/page",
                       hang=hang)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.site.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write_book(root: Path, bib: str) -> Path:
    """A book at ``root``: conf/conf.py naming ``../sources.bib`` (relative to docs/, as
    Sphinx and ``briefbook check`` read it), one page, and ``bib`` as sources.bib."""
    (root / "conf").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "conf" / "conf.py").write_text(
        'project = "Test book"\nbibtex_bibfiles = ["../sources.bib"]\n', encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Test book\n", encoding="utf-8")
    (root / "sources.bib").write_text(bib, encoding="utf-8")
    return root
