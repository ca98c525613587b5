"""The fetcher against a real HTTP server on 127.0.0.1: conditional GET, size and type limits,
private-address refusal on every redirect hop, status errors a poller can back off on."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters import fetch
from adapters.fetch import FEED_TYPES, NO_KEEPALIVE, PAGE_TYPES, Fetcher, FetchError, FetchPolicy
from tests.adapters import httpserver
from tests.adapters.httpserver import RecordedRequest, Reply, TestHTTPServer, chunks, serve

HTML = {"Content-Type": "text/html; charset=utf-8"}
SINCE = "Sun, 22 Nov 2026 10:00:00 GMT"
PAGE = b"<html><body><p>Invented page.</p></body></html>"


def loopback(**policy: Any) -> Fetcher:  # may reach only this test's own server
    return Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), **policy))


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with loopback() as f:
        yield f


def refused(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url, **kwargs)  # type: ignore[arg-type]
    assert url in str(info.value)  # the message names what was asked for
    return info.value


def test_a_page_after_a_redirect(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/old"] = (308, {"Location": "/a"}, b"")
    server.routes["/a"] = (200, {**HTML, "ETag": '"v1"', "Last-Modified": SINCE}, PAGE)
    result = fetcher.get(server.url("/old"))
    assert (result.status, result.content, result.content_type) == (200, PAGE, "text/html")
    assert (result.etag, result.last_modified, result.not_modified) == ('"v1"', SINCE, False)
    assert result.url == server.url("/a")
    agent = server.requests_to("/a")[0].headers["user-agent"]
    assert agent.startswith("Verbatim/") and "+https://" in agent


def conditional(request: RecordedRequest) -> Reply:
    if request.headers.get("if-none-match") == '"v1"':
        return 304, {"ETag": '"v1"'}, b""
    if request.headers.get("if-modified-since") == SINCE:
        return 304, {}, b""
    return 200, {**HTML, "ETag": '"v1"'}, PAGE


@pytest.mark.parametrize(
    ("given", "header"),
    [({"etag": '"v1"'}, "if-none-match"), ({"last_modified": SINCE}, "if-modified-since")],
)
def test_304_from_a_conditional_get(
    server: TestHTTPServer, fetcher: Fetcher, given: dict[str, str], header: str
) -> None:
    server.routes["/c"] = conditional
    result = fetcher.get(
        server.url("/c"), etag=given.get("etag"), last_modified=given.get("last_modified")
    )
    assert result.not_modified and result.status == 304 and result.content == b""
    sent = server.requests_to("/c")[0].headers
    assert sent[header] == next(iter(given.values()))
    assert {"if-none-match", "if-modified-since"} - {header} - set(sent)


TWENTY_MB = 20 * 1024 * 1024


def test_a_20_mb_body_without_content_length_is_cut_while_streaming(
    server: TestHTTPServer, fetcher: Fetcher
) -> None:
    server.routes["/big"] = (200, HTML, lambda _r: chunks(TWENTY_MB))
    error = refused(fetcher, server.url("/big"))
    assert error.reason == "too-large"
    deadline = time.monotonic() + 10  # wait for the server thread to notice the hang-up
    while "/big" not in server.streams.finished and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.streams.finished["/big"] is False
    assert server.streams.sent["/big"] < TWENTY_MB


def test_content_length_refuses_early_but_the_count_decides(server: TestHTTPServer) -> None:
    declared = {**HTML, "Content-Length": str(TWENTY_MB)}
    server.routes["/big"] = (200, declared, lambda _r: chunks(TWENTY_MB))
    server.routes["/lie"] = (200, {**HTML, "Content-Length": "100"}, lambda _r: chunks(TWENTY_MB))
    server.routes["/edge"] = (200, HTML, lambda _r: chunks(1000, size=7))
    with loopback(max_body_bytes=1000) as f:
        assert refused(f, server.url("/big")).reason == "too-large"
        assert len(f.get(server.url("/lie")).content) == 100
        assert len(f.get(server.url("/edge")).content) == 1000  # the cap is exact
    with loopback(max_body_bytes=999) as f:
        assert refused(f, server.url("/edge")).reason == "too-large"
    bomb = gzip.compress(b"\0" * TWENTY_MB)  # cut by its decompressed size
    server.routes["/zip"] = (200, {**HTML, "Content-Encoding": "gzip"}, bomb)
    with loopback(max_body_bytes=len(bomb) * 4) as f:
        assert refused(f, server.url("/zip")).reason == "too-large"


# The last: allowing one loopback address (the test server's) does not allow another.
PRIVATE_TARGETS = ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/"]
PRIVATE_TARGETS += ["http://[::1]/", "http://127.0.0.2:{port}/a"]


@pytest.mark.parametrize("target", PRIVATE_TARGETS)
def test_a_redirect_to_a_private_address_is_refused(
    server: TestHTTPServer, fetcher: Fetcher, target: str
) -> None:
    server.routes["/go"] = (302, {"Location": target.format(port=server.port)}, b"")
    server.routes["/a"] = (200, HTML, PAGE)
    error = refused(fetcher, server.url("/go"))
    assert error.reason == "private-address" and server.requests_to("/a") == []
    assert target.split("/")[2].split(":{")[0].strip("[]") in str(error)


PRIVATE_LITERALS = ["http://127.0.0.1:{port}/a", "http://10.1.2.3/", "http://100.64.0.1/"]
PRIVATE_LITERALS += ["http://[fd00:ec2::254]/", "http://[::ffff:192.168.0.1]/", "http://0.0.0.0/"]
PRIVATE_LITERALS += ["http://2130706433/"]  # 127.0.0.1 written as one number
PRIVATE_LITERALS += ["http://192.0.2.1/", "http://224.0.0.1/", "http://[fe80::1]/", "http://[::]/"]
PRIVATE_LITERALS += ["http://[2002:a00:1::1]/", "http://[64:ff9b::a00:1]/"]  # 6to4, NAT64: 10/8


@pytest.mark.parametrize("url", PRIVATE_LITERALS)
def test_private_literal_addresses_are_refused_without_allow_hosts(
    server: TestHTTPServer, url: str
) -> None:
    server.routes["/a"] = (200, HTML, PAGE)
    with Fetcher() as f, pytest.raises(FetchError) as info:
        f.get(url.format(port=server.port))
    assert info.value.reason == "private-address"
    assert server.requests == []


def test_too_many_redirects_are_refused(server: TestHTTPServer) -> None:
    for n in range(10):
        server.routes[f"/r{n}"] = (302, {"Location": f"/r{n + 1}"}, b"")
    with loopback(max_redirects=3) as f:
        assert refused(f, server.url("/r0")).reason == "redirects"
    assert len(server.requests) == 4


@pytest.mark.parametrize("media", ["application/pdf", "image/png", "application/json", ""])
def test_other_content_types_are_refused(
    server: TestHTTPServer, fetcher: Fetcher, media: str
) -> None:
    server.routes["/f"] = (200, {"Content-Type": media} if media else {}, b"%PDF-1.7")
    assert refused(fetcher, server.url("/f")).reason == "content-type"


def test_kinds_narrow_what_is_accepted(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, b"<rss/>")
    assert fetcher.get(server.url("/feed"), kinds=FEED_TYPES).content == b"<rss/>"
    assert refused(fetcher, server.url("/feed"), kinds=PAGE_TYPES).reason == "content-type"


HTTP_ERRORS = [(500, {}, None), (429, {"Retry-After": "120"}, 120.0)]
HTTP_ERRORS += [(503, {"Retry-After": "²"}, None)]  # not a number: no back-off hint


@pytest.mark.parametrize("case", HTTP_ERRORS)
def test_http_errors_carry_status_and_retry_after(
    server: TestHTTPServer, fetcher: Fetcher, case: tuple[int, dict[str, str], float | None]
) -> None:
    status, headers, retry_after = case
    server.routes["/e"] = (status, {**HTML, **headers}, b"oops")
    error = refused(fetcher, server.url("/e"))
    assert (error.reason, error.status, error.retry_after) == ("status", status, retry_after)
    assert f"HTTP {status}" in str(error)


def test_a_trickling_body_times_out(server: TestHTTPServer) -> None:
    def trickle(_r: RecordedRequest) -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.05)
            yield b"x"

    server.routes["/t"] = (200, HTML, trickle)
    with loopback(timeout_seconds=0.3) as f:
        assert refused(f, server.url("/t")).reason == "timeout"


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "not a url", ""])
def test_bad_urls(url: str) -> None:
    with Fetcher() as f:
        assert refused(f, url).reason == "bad-url"


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises(value: str) -> None:
    seconds = fetch.parse_retry_after(value)
    assert seconds is None or seconds >= 0
    assert fetch.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


class FakeDNS:
    """socket.getaddrinfo at the network edge: names answered from a script, IPs passed on."""

    def __init__(self) -> None:
        self.answers: list[list[str] | None] = []
        self.asked: list[str] = []

    def __call__(self, host: str, port: int, *_: object, **__: object) -> list[tuple[object, ...]]:
        if host.replace(".", "").isdigit():
            return [(socket.AF_INET, 1, 6, "", (host, port))]
        self.asked.append(host)
        ips = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if ips is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in i else socket.AF_INET, 1, 6, "", (i, port)) for i in ips]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


def offline(seen: list[httpx.Request], policy: FetchPolicy | None = None) -> Fetcher:
    """A fetcher whose transport records requests instead of connecting anywhere."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers=HTML, content=PAGE)

    return Fetcher(policy or FetchPolicy(), transport=httpx.MockTransport(answer))


def test_the_connection_goes_to_the_checked_address(dns: FakeDNS) -> None:
    dns.answers = [["93.184.215.14"], ["10.0.0.1"]]  # a rebinding answer, never asked for
    seen: list[httpx.Request] = []
    with offline(seen) as f:
        assert f.get("https://news.example:8443/s?id=1").url == "https://news.example:8443/s?id=1"
    assert dns.asked == ["news.example"]
    (request,) = seen
    assert str(request.url) == "https://93.184.215.14:8443/s?id=1"
    assert request.headers["host"] == "news.example:8443"
    assert request.extensions["sni_hostname"] == "news.example"


def test_a_name_with_any_private_address_is_refused(dns: FakeDNS) -> None:
    dns.answers = [["93.184.215.14", "192.168.1.1"]]
    seen: list[httpx.Request] = []
    with offline(seen) as f, pytest.raises(FetchError) as info:
        f.get("http://news.example/")
    assert info.value.reason == "private-address" and "192.168.1.1" in str(info.value)
    assert seen == []


def test_an_allowed_name_is_neither_resolved_nor_pinned(dns: FakeDNS) -> None:
    dns.answers = [["10.0.0.7"]]
    seen: list[httpx.Request] = []
    with offline(seen, FetchPolicy(allow_hosts=frozenset({"Feeds.Internal"}))) as f:
        f.get("http://feeds.internal/rss")
    assert dns.asked == [] and str(seen[0].url) == "http://feeds.internal/rss"


def test_tls_names_the_host_while_the_socket_goes_to_the_checked_address(dns: FakeDNS) -> None:
    """The certificate is checked against the name, even for a second name on the same IP."""
    dns.answers = [["127.0.0.1"]]  # allowed below as an IP; the names are resolved and pinned
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))
    transport = httpx.HTTPTransport(verify=httpserver.client_tls_context(), limits=NO_KEEPALIVE)
    with (
        serve({"/a": (200, HTML, PAGE)}, tls=True, keep_alive=True) as server,
        Fetcher(policy, transport=transport) as f,
    ):
        assert f.get(f"https://news.example:{server.port}/a").content == PAGE
        assert refused(f, f"https://other.example:{server.port}/a").reason == "network"
    assert dns.asked == ["news.example", "other.example"]
    assert server.server_names == ["news.example", "other.example"]
    assert [r.headers["host"] for r in server.requests] == [f"news.example:{server.port}"]


def test_network_errors(dns: FakeDNS, fetcher: Fetcher) -> None:
    dns.answers = [None]
    with pytest.raises(FetchError) as info:
        fetcher.get("http://no-such-host.invalid/")
    assert info.value.reason == "network" and "no-such-host.invalid" in str(info.value)
    with serve() as gone:
        url = gone.url("/gone")
    assert refused(fetcher, url).reason == "network"  # nothing listens on that port now
