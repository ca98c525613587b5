"""A real HTTP server on 127.0.0.1 (port 0) for tests: routes answer with canned or computed
replies, and every request is recorded with its headers so tests can check what a client sent.

    with serve({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, FEED)}) as server:
        fetcher.get(server.url("/feed.xml"))
        assert server.requests[0].headers["user-agent"].startswith("Verbatim")

A route is ``path -> Reply`` or ``path -> callable(request) -> Reply``; a Reply is
``(status, headers, body)`` where body is bytes, str (UTF-8), an iterable of byte chunks
(streamed without Content-Length unless given; `StreamLog` shows how far it got), or a
callable(request) returning one of those. Paths match without the query string; unknown paths
give 404. ``server.routes`` may be changed while the server runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: str
    headers: Mapping[str, str]  # keys lower-case
    body: bytes


Body = bytes | str | Iterable[bytes] | Callable[[RecordedRequest], "bytes | str | Iterable[bytes]"]
Reply = tuple[int, Mapping[str, str], Body]
Route = Reply | Callable[[RecordedRequest], Reply]


@dataclass
class StreamLog:
    """How much of a streamed body a request got before the client hung up, per path."""

    sent: dict[str, int] = field(default_factory=dict)
    finished: dict[str, bool] = field(default_factory=dict)


class TestHTTPServer:
    """Start with `serve`, or `start()` / `stop()`; `url(path)` gives the absolute URL."""

    __test__ = False  # not a pytest test class

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[RecordedRequest] = []
        self.streams = StreamLog()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> TestHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


@contextmanager
def serve(routes: dict[str, Route] | None = None) -> Iterator[TestHTTPServer]:
    server = TestHTTPServer(routes).start()
    try:
        yield server
    finally:
        server.stop()


def chunks(total: int, size: int = 64 * 1024, byte: bytes = b"x") -> Iterator[bytes]:
    """A body of ``total`` bytes produced lazily, for size-limit tests."""
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        sent += n
        yield byte * n


def _handler_for(server: TestHTTPServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

        def _answer(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = RecordedRequest(
                method=self.command,
                path=split.path,
                query=split.query,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            server._record(request)
            route = server.routes.get(split.path)
            if route is None:
                reply: Reply = (404, {"Content-Type": "text/plain"}, b"not found")
            elif callable(route):
                reply = route(request)
            else:
                reply = route
            status, headers, body = reply
            if callable(body):
                body = body(request)
            self._send(split.path, status, headers, body)

        def _send(
            self,
            path: str,
            status: int,
            headers: Mapping[str, str],
            body: bytes | str | Iterable[bytes],
        ) -> None:
            if isinstance(body, str):
                body = body.encode("utf-8")
            self.send_response(status)
            names = {k.lower() for k in headers}
            for name, value in headers.items():
                self.send_header(name, value)
            if isinstance(body, bytes) and "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command == "HEAD":
                return
            if isinstance(body, bytes):
                self.wfile.write(body)
                return
            sent, finished = 0, False
            try:
                for chunk in body:
                    self.wfile.write(chunk)
                    sent += len(chunk)
                finished = True
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up: that is what size-limit tests look for
            finally:
                server.streams.sent[path] = sent
                server.streams.finished[path] = finished

        do_GET = _answer
        do_POST = _answer
        do_HEAD = _answer
        do_PUT = _answer
        do_DELETE = _answer

    return Handler
