"""The fetcher against a real HTTP server on 127.0.0.1: conditional GET, size and type limits,
private-address refusal on every redirect hop, status errors a poller can back off on."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.fetch import (
    FEED_TYPES,
    PAGE_TYPES,
    Fetcher,
    FetchError,
    FetchPolicy,
    is_forbidden_address,
    parse_retry_after,
)
from tests.adapters.httpserver import RecordedRequest, Reply, TestHTTPServer, chunks, serve

HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = b"<html><body><p>Invented page.</p></body></html>"
LOOPBACK = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))


@pytest.fixture
def server() -> Iterator[TestHTTPServer]:
    with serve() as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(LOOPBACK) as f:
        yield f


def refused(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url, **kwargs)  # type: ignore[arg-type]
    assert url.split("/")[2].split(":")[0] in str(info.value) or url in str(info.value)
    return info.value


def test_a_page_is_fetched_with_a_clear_user_agent(
    server: TestHTTPServer, fetcher: Fetcher
) -> None:
    server.routes["/a"] = (200, {**HTML, "ETag": '"v1"'}, PAGE)
    result = fetcher.get(server.url("/a"))
    assert (result.status, result.content, result.content_type) == (200, PAGE, "text/html")
    assert result.etag == '"v1"' and not result.not_modified
    assert result.url == server.url("/a")
    agent = server.requests_to("/a")[0].headers["user-agent"]
    assert agent.startswith("Verbatim/") and "+https://" in agent


def conditional(request: RecordedRequest) -> Reply:
    if request.headers.get("if-none-match") == '"v1"':
        return 304, {"ETag": '"v1"'}, b""
    if request.headers.get("if-modified-since") == "Sun, 22 Nov 2026 10:00:00 GMT":
        return 304, {}, b""
    return 200, {**HTML, "ETag": '"v1"'}, PAGE


def test_304_with_etag(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/c"] = conditional
    result = fetcher.get(server.url("/c"), etag='"v1"')
    assert result.not_modified and result.content == b"" and result.etag == '"v1"'
    assert server.requests_to("/c")[0].headers["if-none-match"] == '"v1"'


def test_304_with_last_modified(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/c"] = conditional
    result = fetcher.get(server.url("/c"), last_modified="Sun, 22 Nov 2026 10:00:00 GMT")
    assert result.status == 304
    sent = server.requests_to("/c")[0].headers
    assert sent["if-modified-since"] == "Sun, 22 Nov 2026 10:00:00 GMT"
    assert "if-none-match" not in sent


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


def test_a_declared_20_mb_body_is_refused_before_reading(
    server: TestHTTPServer, fetcher: Fetcher
) -> None:
    headers = {**HTML, "Content-Length": str(TWENTY_MB)}
    server.routes["/big"] = (200, headers, lambda _r: chunks(TWENTY_MB))
    assert refused(fetcher, server.url("/big")).reason == "too-large"


def test_a_lying_small_content_length_never_yields_more_than_the_cap(
    server: TestHTTPServer,
) -> None:
    headers = {**HTML, "Content-Length": "100"}
    server.routes["/lie"] = (200, headers, lambda _r: chunks(TWENTY_MB))
    with Fetcher(FetchPolicy(max_body_bytes=1000, allow_hosts=LOOPBACK.allow_hosts)) as f:
        result = f.get(server.url("/lie"))
    assert len(result.content) == 100


def test_the_cap_is_exact(server: TestHTTPServer) -> None:
    server.routes["/edge"] = (200, HTML, lambda _r: chunks(1000, size=7))
    with Fetcher(FetchPolicy(max_body_bytes=1000, allow_hosts=LOOPBACK.allow_hosts)) as f:
        assert len(f.get(server.url("/edge")).content) == 1000
    with Fetcher(FetchPolicy(max_body_bytes=999, allow_hosts=LOOPBACK.allow_hosts)) as f:
        assert refused(f, server.url("/edge")).reason == "too-large"


@pytest.mark.parametrize(
    "target", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"]
)
def test_a_redirect_to_a_private_address_is_refused(
    server: TestHTTPServer, fetcher: Fetcher, target: str
) -> None:
    server.routes["/go"] = (302, {"Location": target}, b"")
    with pytest.raises(FetchError) as info:
        fetcher.get(server.url("/go"))
    assert info.value.reason == "private-address"
    assert target.split("/")[2].strip("[]") in str(info.value)


def test_allowing_one_loopback_address_does_not_allow_another(
    server: TestHTTPServer, fetcher: Fetcher
) -> None:
    server.routes["/go"] = (301, {"Location": f"http://127.0.0.2:{server.port}/a"}, b"")
    server.routes["/a"] = (200, HTML, PAGE)
    assert refused(fetcher, server.url("/go")).reason == "private-address"
    assert server.requests_to("/a") == []


def test_an_allowed_redirect_is_followed(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/old"] = (308, {"Location": "/new"}, b"")
    server.routes["/new"] = (200, HTML, PAGE)
    result = fetcher.get(server.url("/old"))
    assert result.url == server.url("/new") and result.content == PAGE


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/a",
        "http://10.1.2.3/",
        "http://100.64.0.1/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:192.168.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 written as one number
    ],
)
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
    with Fetcher(FetchPolicy(max_redirects=3, allow_hosts=LOOPBACK.allow_hosts)) as f:
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


def test_server_errors_carry_status(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/e"] = (500, HTML, b"oops")
    error = refused(fetcher, server.url("/e"))
    assert (error.reason, error.status, error.retry_after) == ("status", 500, None)
    assert "500" in str(error)


def test_429_carries_retry_after(server: TestHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/slow"] = (429, {"Retry-After": "120"}, b"")
    error = refused(fetcher, server.url("/slow"))
    assert (error.reason, error.status, error.retry_after) == ("status", 429, 120.0)


def test_a_trickling_body_times_out(server: TestHTTPServer) -> None:
    def trickle(_r: RecordedRequest) -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.05)
            yield b"x"

    server.routes["/t"] = (200, HTML, trickle)
    with Fetcher(FetchPolicy(timeout_seconds=0.3, allow_hosts=LOOPBACK.allow_hosts)) as f:
        assert refused(f, server.url("/t")).reason == "timeout"


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "not a url", ""])
def test_bad_urls(url: str) -> None:
    with Fetcher() as f, pytest.raises(FetchError) as info:
        f.get(url)
    assert info.value.reason == "bad-url"


def test_an_unresolvable_host_is_a_network_error() -> None:
    with Fetcher() as f, pytest.raises(FetchError) as info:
        f.get("http://no-such-host.invalid/")
    assert info.value.reason == "network"


def test_a_closed_port_is_a_network_error(fetcher: Fetcher) -> None:
    with serve() as s:
        url = s.url("/gone")
    assert refused(fetcher, url).reason == "network"


def test_public_addresses_are_not_forbidden() -> None:
    for text in ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"]:
        assert not is_forbidden_address(ipaddress.ip_address(text))
    for text in ["192.0.2.1", "224.0.0.1", "::", "fe80::1", "2002:0a00:0001::1", "64:ff9b::a00:1"]:
        assert is_forbidden_address(ipaddress.ip_address(text))


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises(value: str) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or seconds >= 0


def test_parse_retry_after_accepts_an_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_a_gzip_bomb_is_cut_by_its_decompressed_size(server: TestHTTPServer) -> None:
    bomb = gzip.compress(b"\0" * TWENTY_MB)
    server.routes["/zip"] = (200, {**HTML, "Content-Encoding": "gzip"}, bomb)
    with Fetcher(FetchPolicy(max_body_bytes=len(bomb) * 4, allow_hosts=LOOPBACK.allow_hosts)) as f:
        assert refused(f, server.url("/zip")).reason == "too-large"


class FakeDNS:
    """socket.getaddrinfo at the network edge: answers from a script, counts questions."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(
        self, host: str, port: int, *args: object, **kwargs: object
    ) -> list[tuple[object, ...]]:
        self.asked.append(host)
        ips = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, 1, 6, "", (ip, port)) for ip in ips
        ]


def recording_transport(seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers=HTML, content=PAGE)

    return httpx.MockTransport(answer)


def test_the_connection_goes_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS rebinding: the second answer is private, but the name is resolved once per hop.
    dns = FakeDNS(["93.184.215.14"], ["10.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    seen: list[httpx.Request] = []
    with Fetcher(transport=recording_transport(seen)) as f:
        result = f.get("https://news.example:8443/story?id=1")
    assert result.url == "https://news.example:8443/story?id=1"
    assert dns.asked == ["news.example"]
    (request,) = seen
    assert str(request.url) == "https://93.184.215.14:8443/story?id=1"
    assert request.headers["host"] == "news.example:8443"
    assert request.extensions["sni_hostname"] == "news.example"


def test_a_name_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", FakeDNS(["93.184.215.14", "192.168.1.1"]))
    seen: list[httpx.Request] = []
    with Fetcher(transport=recording_transport(seen)) as f, pytest.raises(FetchError) as info:
        f.get("http://news.example/")
    assert info.value.reason == "private-address" and "192.168.1.1" in str(info.value)
    assert seen == []


def test_an_allowed_name_is_neither_resolved_nor_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    dns = FakeDNS(["10.0.0.7"])
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    seen: list[httpx.Request] = []
    policy = FetchPolicy(allow_hosts=frozenset({"Feeds.Internal"}))
    with Fetcher(policy, transport=recording_transport(seen)) as f:
        f.get("http://feeds.internal/rss")
    assert dns.asked == [] and str(seen[0].url) == "http://feeds.internal/rss"
