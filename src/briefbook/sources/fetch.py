"""The one HTTP fetch that ``briefbook sources archive`` and ``briefbook sources links`` share.

Capturing a source for preservation (:mod:`.archive`) and checking that its address
still answers (:mod:`.links`) ask the same question of a web server, and must survive
the same servers: ones that redirect, hang, trickle their bytes, send a video, or do
not exist.  So both go through :func:`fetch`, built on urllib with

* no automatic redirects: each answer is a :class:`Hop`, recorded as received (request
  sent, status line, headers, body, server address), so that a capture can store the
  whole chain and a link check can report the first status and the final address;
* a per-read time-out (connecting, then each read of the socket);
* an overall deadline for the whole chain, enforced by a watchdog thread that shuts
  the sockets down, so that a server sending one byte a second cannot hang a command
  (:func:`abort_fetches` does the same at once for Ctrl-C);
* a size cap on each body (:data:`MAX_BYTES`);
* no short answer taken for a whole one: a body that ends before its
  ``Content-Length`` (or inside a chunk) is an error, not a page, so that a connection
  cut half-way is never stored as a preserved copy or ingested as an article.

Whatever goes wrong ends as a :class:`CaptureError` with a one-line reason in the
user's terms ("connection refused", "timed out after 10.0 s"), never a traceback.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from briefbook import __version__

#: Largest body read (bytes): a page, a report as PDF, not a video.
MAX_BYTES = 50_000_000
#: Redirects followed after the first request.
MAX_REDIRECTS = 5
#: Seconds to wait for the server at each step (connecting, each read).
DEFAULT_TIMEOUT = 20.0
USER_AGENT = f"briefbook/{__version__} (+preservation)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


def default_deadline(timeout: float) -> float:
    """The overall limit for one address (all redirects, the whole body): generous for a
    large file on a slow line, but finite, so a server trickling bytes cannot hang."""
    return max(6 * timeout, 60.0)


class CaptureError(Exception):
    """A fetch or capture that failed; ``reason`` is one line, ``hops`` the answers
    received before the failure (the first status of a redirect chain, say)."""

    def __init__(self, reason: str, hops: Sequence[Hop] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hops = list(hops)


@dataclass(frozen=True)
class Hop:
    """One request and its answer: the final one, or a redirect on the way."""

    url: str
    status: int
    reason: str
    protocol: str  # "HTTP/1.1"
    headers: tuple[tuple[str, str], ...]
    request: bytes  # the request as sent
    body: bytes  # decoded of chunked framing (http.client does that), nothing else
    complete: bool  # the whole body was read (False: over the cap, or not asked for)
    peer: str = ""  # the server's IP address

    def header(self, name: str) -> str:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), "")


class _Watchdog:
    """Shuts the sockets of one fetch down when its deadline passes: a blocked read then
    returns at once, however the server trickles its bytes."""

    active: ClassVar[set[_Watchdog]] = set()
    active_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.aborted = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()
        with self.active_lock:
            self.active.add(self)

    def watch(self, sock: socket.socket) -> None:
        # A duplicate of the descriptor: shutting it down ends the connection even after
        # ssl has taken the original socket object over.
        copy = sock.dup()
        with self._lock:
            if self._done:
                copy.close()
                return
            self._sockets.append(copy)
            if self.expired:
                _shutdown(copy)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def abort(self) -> None:
        self.aborted = True
        self._expire()

    def close(self) -> None:
        self._timer.cancel()
        with self.active_lock:
            self.active.discard(self)
        with self._lock:
            self._done = True
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def abort_fetches() -> None:
    """End every fetch in progress now (each fails with "interrupted"): for Ctrl-C, so
    that the worker threads stop without waiting for their deadlines."""
    with _Watchdog.active_lock:
        running = list(_Watchdog.active)
    for watchdog in running:
        watchdog.abort()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@dataclass
class _Recorder:
    """What one request's connection did: the bytes it sent, the address it reached."""

    watchdog: _Watchdog
    sent: bytearray = field(default_factory=bytearray)
    peer: str = ""

    def connected(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError, IndexError):
            self.peer = str(sock.getpeername()[0])
        self.watchdog.watch(sock)


class _HTTPConnection(http.client.HTTPConnection):
    """A connection that tells its :class:`_Recorder` its socket and what it sent."""

    def __init__(self, *args: Any, recorder: _Recorder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recorder = recorder
        self._recording = True
        self._create_connection = self._connect_watched

    def _connect_watched(self, address: tuple[str, int], timeout: Any = None,
                         source_address: Any = None) -> socket.socket:
        sock = socket.create_connection(address, timeout, source_address)
        self._recorder.connected(sock)
        return sock

    def _tunnel(self) -> None:
        self._recording = False  # a proxy's CONNECT is not part of the request
        try:
            super()._tunnel()  # type: ignore[misc]
        finally:
            self._recording = True

    def send(self, data: Any) -> None:
        if self.sock is None and self.auto_open:
            self.connect()  # first, so that a proxy's CONNECT goes before the request
        if self._recording and isinstance(data, bytes | bytearray):
            self._recorder.sent += data
        super().send(data)


class _HTTPSConnection(_HTTPConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, recorder: _Recorder) -> None:
        super().__init__()
        self._recorder = recorder

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection: Any = _HTTPConnection
        return self.do_open(lambda *a, **k: connection(*a, recorder=self._recorder, **k), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, recorder: _Recorder) -> None:
        super().__init__()
        self._recorder = recorder

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection: Any = _HTTPSConnection
        return self.do_open(lambda *a, **k: connection(*a, recorder=self._recorder, **k), req)


class _EveryAnswer(urllib.request.HTTPErrorProcessor):
    """Hands every answer back as it is: redirects are followed (and recorded) by
    :func:`fetch`, and a 404 is an answer to report, not an exception."""

    def http_response(self, request: urllib.request.Request, response: Any) -> Any:
        return response

    https_response = http_response


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None,
          max_bytes: int = MAX_BYTES, redirects: int = MAX_REDIRECTS,
          read_body: Callable[[int], bool] = lambda status: True,
          headers: Mapping[str, str] | None = None) -> list[Hop]:
    """GET ``url``, following up to ``redirects`` redirects; every answer, in order.

    ``timeout`` bounds each step (connecting, each read); ``deadline`` (default:
    :func:`default_deadline`) the whole chain.  A body is read (up to ``max_bytes``)
    when ``read_body(status)`` says so.  ``headers`` replace the default request
    headers of the same name (``ingest`` asks for pages, not any file).  Raises
    :class:`CaptureError` when no answer comes (time-out, refused, unknown host, TLS),
    an answer is cut short, or the redirects do not end.
    """
    limit = deadline if deadline is not None else default_deadline(timeout)
    watchdog = _Watchdog(limit)
    hops: list[Hop] = []
    sent = {"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})}
    try:
        current = url
        while True:
            hop = _request(current, timeout, watchdog, max_bytes, read_body, sent)
            hops.append(hop)
            if hop.status not in REDIRECT_STATUSES:
                return hops
            location = hop.header("Location").strip()
            if not location:
                raise CaptureError(f"HTTP {hop.status} redirect without a Location header", hops)
            if len(hops) > redirects:
                raise CaptureError(f"more than {redirects} redirects", hops)
            target = urllib.parse.urljoin(current, location)
            if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
                raise CaptureError(f"redirected to {target}, which is not a web address", hops)
            current = target
    except CaptureError as error:
        error.hops = hops
        raise
    finally:
        watchdog.close()


def _request(url: str, timeout: float, watchdog: _Watchdog, max_bytes: int,
             read_body: Callable[[int], bool], headers: Mapping[str, str]) -> Hop:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CaptureError(f"not an http(s) address: {url}")
    if watchdog.expired:
        raise CaptureError(_over_deadline(watchdog))
    recorder = _Recorder(watchdog)
    opener = urllib.request.build_opener(_EveryAnswer, _HTTPHandler(recorder),
                                         _HTTPSHandler(recorder))
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        response = opener.open(request, timeout=timeout)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise CaptureError(_reason(exc, timeout, watchdog)) from None
    with response:
        status = int(response.status)
        body = b""
        complete = False
        if read_body(status) and _declared_length(response) <= max_bytes:
            body, complete = _read(response, timeout, watchdog, max_bytes)
        return Hop(url, status, str(response.reason or ""),
                   "HTTP/1.0" if response.version == 10 else "HTTP/1.1",
                   tuple((str(k), str(v)) for k, v in response.headers.items()),
                   bytes(recorder.sent), body, complete, recorder.peer)


def _declared_length(response: Any) -> int:
    """The ``Content-Length`` announced (0 when none): a body declared over the cap is
    not read at all."""
    value = str(response.headers.get("Content-Length") or "").strip()
    return int(value) if value.isdigit() else 0


def _read(response: Any, timeout: float, watchdog: _Watchdog,
          max_bytes: int) -> tuple[bytes, bool]:
    buffer = bytearray()
    try:
        while True:
            chunk = response.read(_CHUNK)
            if watchdog.expired:
                raise CaptureError(_over_deadline(watchdog))
            if not chunk:
                # http.client ends a read at the connection's end without a word, however
                # many of the announced bytes are missing (``length`` counts them).
                missing = getattr(response, "length", None)
                if missing:
                    raise CaptureError(f"the server closed the connection after {len(buffer):,} "
                                       f"of the {len(buffer) + missing:,} bytes it announced "
                                       "(Content-Length): the answer is incomplete")
                return bytes(buffer), True
            if len(buffer) + len(chunk) > max_bytes:
                return bytes(buffer), False
            buffer += chunk
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise CaptureError(_reason(exc, timeout, watchdog)) from None


def _over_deadline(watchdog: _Watchdog) -> str:
    if watchdog.aborted:
        return "interrupted"
    return f"no complete answer within {float(watchdog.seconds)} s"


def _reason(exc: BaseException, timeout: float, watchdog: _Watchdog) -> str:
    """One line saying why a request failed, in the user's terms."""
    if watchdog.expired:
        return _over_deadline(watchdog)
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _reason(exc.reason, timeout, watchdog)
    if isinstance(exc, TimeoutError):
        return f"timed out after {float(timeout)} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror or exc})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {exc.verify_message or exc.reason}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.IncompleteRead):
        return "the server closed the connection before the end of the answer"
    if isinstance(exc, http.client.HTTPException):
        return f"malformed answer ({type(exc).__name__}: {_one_line(str(exc))})"
    if isinstance(exc, urllib.error.URLError):
        return _one_line(str(exc.reason))
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return _one_line(str(exc)) or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def describe_size(size: int) -> str:
    """``50 MB``, ``1,000 bytes``: a size cap in a message."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    return f"{size:,} bytes"

