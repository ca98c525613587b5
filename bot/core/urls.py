"""Addresses from outside (a command's argument, an OPML outline, a feed entry's link, a page's
``<link>``) are read here, once: one that does not parse (``http://[::1``, a port that is no
number) is refused with the reason, never a bare ValueError from deep inside urllib."""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit

from bot.core.errors import FeedError


class BadUrl(ValueError):
    """An address that cannot be used; ``reason`` says why in a few words, for the user."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url!r} is not a usable address: {reason}")
        self.url = url
        self.reason = reason


def split_url(url: str) -> SplitResult:
    """``urlsplit(url)``, its port read too (urllib reads it only when asked, and then fails);
    BadUrl when either does not parse."""
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise BadUrl(url, f"it does not parse as a URL ({e})") from None
    try:
        _ = parts.port  # read for its ValueError: 'abc', 99999
    except ValueError:
        raise BadUrl(url, "its port is not a number from 0 to 65535") from None
    return parts


def web_url(url: str) -> SplitResult:
    """The parts of an http(s) URL with a host and no spaces, or BadUrl saying why not."""
    parts = split_url(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadUrl(url, "use an http:// or https:// URL")
    if any(c.isspace() for c in url):
        raise BadUrl(url, "it contains spaces")
    return parts


def is_web_url(url: str) -> bool:
    try:
        web_url(url)
    except BadUrl:
        return False
    return True


def join_url(base: str, href: str) -> str | None:
    """``href`` made absolute against ``base``, or None when either does not parse."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def feed_address(url: str) -> str:
    """The URL stripped, or FeedError saying why it cannot be a feed's address."""
    url = url.strip()
    try:
        web_url(url)
    except BadUrl as e:
        raise FeedError(f"{url!r} is not a feed address: {e.reason}") from None
    return url
