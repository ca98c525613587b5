"""The one way Verbatim fetches anything over HTTP: polite, bounded, and refusing private networks.

What it protects against:

- Server-side request forgery to private networks. The host is resolved once with
  ``socket.getaddrinfo``; if ANY address is private, loopback, link-local, reserved, multicast,
  unspecified, CGNAT (100.64.0.0/10) or a cloud metadata address, the fetch is refused. The
  connection is then made to the address that was checked (the URL is pinned to that IP; the
  ``Host`` header and the TLS SNI/certificate name stay the real host name), so a DNS answer that
  changes between check and connect (DNS rebinding) cannot steer the socket elsewhere.
  IPv4-mapped, 6to4, Teredo and NAT64 IPv6 forms are unwrapped and checked as IPv4.
- Redirects are followed here, never by httpx, at most ``max_redirects``; every hop is checked
  the same way, and only http/https are followed.
- Size: a ``Content-Length`` above ``max_body_bytes`` is refused before reading; the body is
  streamed (decompressed bytes are counted, so a gzip bomb stops too) and cut at the cap.
- Time: ``timeout_seconds`` bounds each connect/read and also the whole body download, so a
  server trickling bytes cannot hold a poller forever.
- Content types outside the accepted set (PDF, images, ...) are refused before the body is read.
- Environment proxies are ignored (``trust_env=False``): a proxy would bypass the pinning.

What it does not protect against: a host name listed in ``allow_hosts`` is trusted entirely
(neither resolved nor pinned), and an IP listed there is allowed for any name that resolves to it;
a public host that itself proxies to internal services; the time the system resolver takes (DNS
lookups are not bounded by ``timeout_seconds``); resource use while parsing what was fetched
(callers bound that, e.g. ``adapters.pages``). TLS is verified by httpx against the real name.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from bot.core.errors import FetchError as FetchError  # raised here; the app catches it

FEED_TYPES: frozenset[str] = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
PAGE_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
FEED_OR_PAGE: frozenset[str] = FEED_TYPES | PAGE_TYPES
# An OPML export is served as XML, as text/x-opml, or as plain text by some hosts.
OPML_TYPES = FEED_TYPES | frozenset({"text/x-opml", "application/octet-stream", "text/plain"})

_REDIRECTS = {301, 302, 303, 307, 308}
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# One connection per request: the pool is keyed by the pinned IP, so a kept-alive connection could
# carry another name's request on the same IP without that name's TLS check (shared CDN hosts).
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = "Verbatim/0.1 (media monitor; +https://example.org/verbatim)"
    timeout_seconds: float = 20.0
    max_body_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_hosts: frozenset[str] = frozenset()  # hosts/IPs allowed even if private


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int  # 2xx or 304
    content: bytes  # b"" on 304
    content_type: str  # lower-case media type without parameters
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_forbidden_address(ip: _IP) -> bool:
    """True for any address a public news site cannot legitimately have."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and is_forbidden_address(embedded):
            return True
    return (
        ip in _METADATA
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
        or not ip.is_global
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Fetch feeds and pages under a `FetchPolicy`; one instance keeps one connection pool."""

    def __init__(
        self, policy: FetchPolicy = FetchPolicy(), transport: httpx.BaseTransport | None = None
    ) -> None:
        self.policy = policy
        self._allowed = frozenset(h.lower().strip("[]") for h in policy.allow_hosts)
        self._client = httpx.Client(
            transport=transport,
            limits=NO_KEEPALIVE,
            timeout=httpx.Timeout(policy.timeout_seconds),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": policy.user_agent},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        kinds: frozenset[str] = FEED_OR_PAGE,
    ) -> FetchResult:
        headers = {"Accept": ", ".join(sorted(kinds)) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = self._parse(url)
        deadline = time.monotonic() + self.policy.timeout_seconds
        for hop in range(self.policy.max_redirects + 1):
            try:
                location = self._one_hop(current, headers, kinds, deadline)
            except FetchError as e:
                raise (e.redirected_from(url) if hop else e) from e.__cause__
            if isinstance(location, FetchResult):
                return location
            current = location
        raise FetchError(
            "redirects", url, f"more than {self.policy.max_redirects} redirects in a row"
        )

    def _one_hop(
        self, url: httpx.URL, headers: dict[str, str], kinds: frozenset[str], deadline: float
    ) -> FetchResult | httpx.URL:
        """Fetch one URL: its result, or the next URL when it redirects."""
        request = self._pinned_request(url, headers)
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as e:
            raise FetchError("timeout", str(url), f"timed out ({e})") from e
        except httpx.HTTPError as e:
            raise FetchError("network", str(url), f"network error ({e})") from e
        try:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                return self._parse(str(url.join(response.headers["location"])))
            return self._read(url, response, kinds, deadline)
        finally:
            response.close()

    def _parse(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as e:
            raise FetchError("bad-url", str(url), f"not a valid URL ({e})") from e
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchError("bad-url", url, "only http and https URLs with a host are fetched")
        return parsed

    def _pinned_request(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Request:
        host = url.raw_host.decode("ascii").lower()
        if host in self._allowed or url.host.lower() in self._allowed:
            return self._client.build_request("GET", url, headers=headers)
        ip = self._resolve_checked(url)
        pinned = url.copy_with(host=str(ip))
        host_header = url.netloc.decode("ascii")
        return self._client.build_request(
            "GET",
            pinned,
            headers={**headers, "Host": host_header},
            extensions={"sni_hostname": host},
        )

    def _resolve_checked(self, url: httpx.URL) -> _IP:
        host = url.raw_host.decode("ascii")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as e:
            raise FetchError("network", str(url), f"cannot resolve host {host!r} ({e})") from e
        addresses: list[_IP] = []
        for info in infos:
            text = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
            addresses.append(ipaddress.ip_address(text))
        if not addresses:
            raise FetchError("network", str(url), f"host {host!r} has no address")
        bad = [a for a in addresses if str(a) not in self._allowed and is_forbidden_address(a)]
        if bad:
            raise FetchError(
                "private-address", str(url), f"refused: {host} resolves to non-public {bad[0]}"
            )
        return addresses[0]

    def _read(
        self, url: httpx.URL, response: httpx.Response, kinds: frozenset[str], deadline: float
    ) -> FetchResult:
        status = response.status_code
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if status == 304:
            return FetchResult(str(url), 304, b"", content_type, etag, last_modified)
        if status >= 300 or status < 200:
            raise FetchError(
                "status",
                str(url),
                f"HTTP {status}",
                status=status,
                retry_after=parse_retry_after(response.headers.get("retry-after")),
            )
        if content_type not in kinds:
            shown = content_type or "no content type"
            raise FetchError("content-type", str(url), f"refused content type {shown}")
        limit = self.policy.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise FetchError("too-large", str(url), f"body of {declared} bytes exceeds {limit}")
        body = bytearray()
        try:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise FetchError("too-large", str(url), f"body exceeds {limit} bytes")
                if time.monotonic() > deadline:
                    raise FetchError("timeout", str(url), "body download took too long")
        except httpx.TimeoutException as e:
            raise FetchError("timeout", str(url), f"timed out reading body ({e})") from e
        except httpx.HTTPError as e:
            raise FetchError("network", str(url), f"network error reading body ({e})") from e
        return FetchResult(str(url), status, bytes(body), content_type, etag, last_modified)


class HostPace:
    """Politeness for pages: at most one request that reached a host every ``seconds``.

    ``wait(host)`` sleeps until that host's turn; ``reached(host)`` records a request that got
    an answer from it (a refused connection or an unknown name did not bother anyone).
    """

    def __init__(
        self,
        seconds: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.seconds = seconds
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host.lower())
        if last is not None:
            delay = last + self.seconds - self.clock()
            if delay > 0:
                self.sleep(delay)

    def reached(self, host: str) -> None:
        with self._lock:
            self._last[host.lower()] = self.clock()
            if len(self._last) > 10_000:  # a long-running bot meets many hosts: keep the recent
                oldest = sorted(self._last, key=self._last.__getitem__)[:5_000]
                for name in oldest:
                    del self._last[name]
