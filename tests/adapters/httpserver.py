"""A real HTTP server on 127.0.0.1 (port 0) for tests: routes answer with canned or computed
replies, and every request is recorded with its headers so tests can check what a client sent.

    with serve({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, FEED)}) as server:
        fetcher.get(server.url("/feed.xml"))
        assert server.requests[0].headers["user-agent"].startswith("Verbatim")

A route is ``path -> Reply`` or ``path -> callable(request) -> Reply``; a Reply is
``(status, headers, body)`` where body is bytes, str (UTF-8), an iterable of byte chunks
(streamed without Content-Length unless given; `StreamLog` shows how far it got), or a
callable(request) returning one of those. Paths match without the query string; unknown paths
give 404. ``server.routes`` may be changed while the server runs. ``tls=True`` serves HTTPS with
a certificate for news.example, localhost and 127.0.0.1 (trust it with `client_tls_context`);
``keep_alive=True`` speaks HTTP/1.1 and keeps connections open between requests.
"""

from __future__ import annotations

import ssl
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
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

    def __init__(
        self, routes: dict[str, Route] | None = None, *, tls: bool = False, keep_alive: bool = False
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[RecordedRequest] = []
        self.streams = StreamLog()
        self.server_names: list[str | None] = []  # the TLS SNI name of each handshake
        self.tls = tls
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self, keep_alive))
        self._server.daemon_threads = True
        if tls:
            context = _server_tls_context(self.server_names)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

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
def serve(
    routes: dict[str, Route] | None = None, *, tls: bool = False, keep_alive: bool = False
) -> Iterator[TestHTTPServer]:
    server = TestHTTPServer(routes, tls=tls, keep_alive=keep_alive).start()
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


def client_tls_context() -> ssl.SSLContext:
    """A client context that trusts only the test CA (for ``httpx.HTTPTransport(verify=...)``)."""
    return ssl.create_default_context(cadata=TEST_CA_PEM)


def _server_tls_context(server_names: list[str | None]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        chain = Path(folder) / "chain.pem"
        chain.write_text(_TEST_KEY_PEM + _TEST_LEAF_PEM + TEST_CA_PEM)
        context.load_cert_chain(chain)
    context.sni_callback = lambda _sock, name, _ctx: server_names.append(name)
    return context


def _handler_for(server: TestHTTPServer, keep_alive: bool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

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
                names.add("content-length")
            if not keep_alive or "content-length" not in names:
                self.send_header("Connection", "close")  # the body ends when the connection does
                self.close_connection = True
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


# A test-only certificate authority and server certificate (EC P-256, valid 2020-2120; SANs
# news.example, localhost, 127.0.0.1), made with openssl for these tests; the key is not a secret.
TEST_CA_PEM = """\
-----BEGIN CERTIFICATE-----
MIIBaTCCAQ+gAwIBAgIBATAKBggqhkjOPQQDAjAbMRkwFwYDVQQDDBBWZXJiYXRp
bSB0ZXN0IENBMCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAbMRkw
FwYDVQQDDBBWZXJiYXRpbSB0ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAEMRSBw5fOpX5MLkmTL9QpqHoKaUlmDmYuA+LuAQPHjQuqOYm02FyGTuwi82wv
InAwwydMX+s51Vft45ACiZwZtaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8B
Af8EBAMCAQYwHQYDVR0OBBYEFKWifKq6YRZTEQ+TdNtmyZd86+m4MAoGCCqGSM49
BAMCA0gAMEUCIQCzc/DoZ+fAGgbnqQAPtf51M0Bh+7B3JYW7/nyJti9DkwIgKXD5
3JDXR0aJcBwIHxmReuFu613Bq9Zw81PNvbVQeUc=
-----END CERTIFICATE-----
"""
_TEST_LEAF_PEM = """\
-----BEGIN CERTIFICATE-----
MIIBxDCCAWqgAwIBAgIBAjAKBggqhkjOPQQDAjAbMRkwFwYDVQQDDBBWZXJiYXRp
bSB0ZXN0IENBMCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAXMRUw
EwYDVQQDDAxuZXdzLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASB
84BRxqMW5q9tGY7i4b4vZ8/6IdVFrhLUMkjEbCwNUc5N4cr0ZbjXVH3hq2DgCLGT
DrSYLlcs2r92szk3/wGLo4GgMIGdMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQD
AgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMBMCgGA1UdEQQhMB+CDG5ld3MuZXhhbXBs
ZYIJbG9jYWxob3N0hwR/AAABMB0GA1UdDgQWBBQk+wl77DW2I5dKZgFP8bjNVfIz
WzAfBgNVHSMEGDAWgBSlonyqumEWUxEPk3TbZsmXfOvpuDAKBggqhkjOPQQDAgNI
ADBFAiEAx9ojhD/Tcg9UieQQxc2KNbVWQgDkvmAkbFEHMlJPCAQCIEls3Thkbrkg
JmIxXkh/vsdKdbIWJJ7/bbE3VMzg+agk
-----END CERTIFICATE-----
"""
_TEST_KEY_PEM = """\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNtdfTTcP4/F98uOg
ZYiFzk4C22193masLU5vQtirMJahRANCAASB84BRxqMW5q9tGY7i4b4vZ8/6IdVF
rhLUMkjEbCwNUc5N4cr0ZbjXVH3hq2DgCLGTDrSYLlcs2r92szk3/wGL
-----END PRIVATE KEY-----
"""
