"""Wiring the feed sources from settings: the fetch policy, the poller, configured feeds.

One place builds these for `verbatim run`, `verbatim feeds poll` and the chat backend, so the
three fetch with the same User-Agent, limits and private-address rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from adapters.feeds import FeedPoller, Progress, feed_links, parse_feed
from adapters.fetch import (
    FEED_OR_PAGE,
    FEED_TYPES,
    PAGE_TYPES,
    Fetcher,
    FetchError,
    FetchPolicy,
    HostPace,
)
from bot.app.settings import Settings
from bot.bootstrap import App
from bot.core.models import Article, Event, Feed, QuoteKind
from bot.core.monitor import Monitor
from storage.feeds import FeedError

log = logging.getLogger(__name__)
T = TypeVar("T")
OnDb = Callable[[Callable[[], T]], T]
# What a feed added in a channel without routing of its own sends there (besides its notices).

MAX_REDIRECTS = 5
PAGE_PACE_SECONDS = 2.0  # between two article pages fetched from one site
# Answers that may pass by themselves: a feed giving one of these when added is added anyway.
PASSING_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
# An OPML export is served as XML, as text/x-opml, or as plain text by some hosts.
OPML_TYPES = FEED_TYPES | frozenset({"text/x-opml", "application/octet-stream", "text/plain"})


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        user_agent=settings.user_agent,
        timeout_seconds=settings.timeout_seconds,
        max_body_bytes=settings.max_body_bytes,
        max_redirects=MAX_REDIRECTS,
        allow_hosts=frozenset(settings.allow_private_hosts),
    )


def feed_poller(
    app: App,
    fetcher: Fetcher,
    progress: Progress | None = None,
    *,
    on_db: OnDb | None = None,
) -> FeedPoller:
    """The poller over the app's feeds: new entries into the monitor, notices to the outbox.

    ``on_db`` runs each piece of database work where it must run; the running bot passes one
    that hands it to its database thread, the command line runs it in place.
    """
    run: OnDb = on_db or _in_place
    fetch_page: Callable[[str], Article] | None = None
    if app.settings.fetch_full_pages:
        from adapters.pages import fetch_article

        pace = HostPace(PAGE_PACE_SECONDS)

        def fetch_page(url: str) -> Article:
            return fetch_article(fetcher, url, pace)

    def ingest(article: Article, silent: bool, feed: Feed) -> object:
        return run(lambda: ingest_from_feed(app.monitor, article, silent, feed))

    def notice(event: Event, key: str) -> None:
        run(lambda: app.monitor.notice(event, key))

    return FeedPoller(
        app.feeds,
        fetcher,
        ingest,
        notice,
        clock=app.clock,
        fetch_page=fetch_page,
        progress=progress,
    )


def _in_place(fn: Callable[[], T]) -> T:
    return fn()


def ingest_from_feed(monitor: Monitor, article: Article, silent: bool, feed: Feed) -> list[Event]:
    """Ingest one feed entry; a feed added in a channel that has no routing of its own sends
    that feed's alterations, misattributions and disputes there, as well as its notices.

    (A channel with routing gets what its routing says, from every feed, as before.) The
    monitor queues those alerts in the article's own transaction, keyed as it keys every
    alert, so one finding is queued once per channel and a crash loses none.
    """
    channel = feed.channel
    if channel is not None and any(r.channel == channel for r in monitor.routes):
        channel = None  # a routed channel gets what its routing says
    return monitor.ingest(article, silent=silent, also_to=channel)


def add_configured_feeds(app: App) -> int:
    """Subscribe to the config file's [[feeds]] not yet in the database; returns how many."""
    feeds = app.feeds
    added = 0
    for setting in app.settings.feeds:
        if feeds.get(setting.url) is not None:
            continue
        try:
            feeds.add(setting.url, setting.channel, setting.interval)
            added += 1
        except FeedError as exc:
            log.warning("feed %s from the config file not added: %s", setting.url, exc)
    return added


def opml_fetcher(settings: Settings) -> Callable[[str], str]:
    """Fetch an OPML export by URL, under the same safety rules as every feed."""

    def fetch_text(url: str) -> str:
        with Fetcher(fetch_policy(settings)) as fetcher:
            result = fetcher.get(url, kinds=OPML_TYPES)
        return result.content.decode("utf-8", errors="replace")

    return fetch_text


QUOTES_SAMPLE = 10  # newest entries whose quotes `feeds add` counts


@dataclass(frozen=True)
class FeedCheck:
    """What one fetch of a feed found when it was added."""

    title: str
    entries: int
    newest: datetime | None
    problem: str | None = None  # a failure that may pass (a server error, a timeout)
    url: str = ""  # the feed's own address: a home page given for it names it
    quotes: int = 0  # quotes in the feed text of the `QUOTES_SAMPLE` newest entries
    sampled: int = 0
    page: str | None = None  # the page the feed was found from

    def describe(self) -> str:
        if self.problem is not None:
            return (
                f"It could not be read just now ({self.problem}); it is polled with backoff,"
                " and a notice comes if it stays down."
            )
        name = f"“{self.title}”" if self.title else "an untitled feed"
        found = f"{self.page} names {self.url}: " if self.page else ""
        newest = f", the newest from {self.newest:%Y-%m-%d}" if self.newest else ""
        noun = "entry" if self.entries == 1 else "entries"
        said = ""
        if self.sampled:
            quotes = "1 quote" if self.quotes == 1 else f"{self.quotes or 'no'} quotes"
            newest_n = "the newest entry" if self.sampled == 1 else f"the {self.sampled} newest"
            said = f"; {quotes} in {newest_n}"
        return f"{found}Found {name}: {self.entries} {noun}{newest}{said}."


def check_feed(fetcher: Fetcher, url: str) -> FeedCheck:
    """Fetch a feed once, as it is being added: what it holds, or FeedError saying why it is
    no feed (a mistyped address, a page that names no feed, a refused host). A web page that
    names its feed (``<link rel="alternate">``, a site's home page) is read through to that
    feed, whose address is returned in ``url``. A failure that may pass by itself (a server
    error, a timeout, a rate limit) is returned in ``problem``, not raised."""
    try:
        result = fetcher.get(url, kinds=FEED_OR_PAGE)
    except FetchError as exc:
        return _not_fetched(url, exc)
    page = None
    if result.content_type in PAGE_TYPES and not _looks_like_feed(result.content):
        links = feed_links(result.content, result.url)
        if not links:
            raise FeedError(
                f"{url} is not added: it is a web page that names no RSS or Atom feed"
                ' (no <link rel="alternate">); give the feed\'s own address'
            )
        page, url = url, links[0]
        try:
            result = fetcher.get(url, kinds=FEED_TYPES)
        except FetchError as exc:
            return _not_fetched(url, exc, page)
    parsed = parse_feed(result.content, url)
    if not parsed.articles and not parsed.title:
        why = parsed.error or "no entries and no title"
        raise FeedError(f"{url} is not added: not an RSS or Atom feed ({why})")
    dates = [a.published for a in parsed.articles if a.published is not None]
    newest = parsed.articles[-QUOTES_SAMPLE:]  # oldest first
    return FeedCheck(
        parsed.title,
        len(parsed.articles),
        max(dates) if dates else None,
        url=url,
        quotes=sum(_quotes_in(a.text) for a in newest),
        sampled=len(newest),
        page=page,
    )


def _not_fetched(url: str, exc: FetchError, page: str | None = None) -> FeedCheck:
    passing = exc.reason in ("timeout", "network") and "resolve" not in exc.message
    if passing or exc.status in PASSING_STATUS:
        return FeedCheck("", 0, None, exc.message, url=url, page=page)
    named = f" (named by {page})" if page else ""
    raise FeedError(f"{url}{named} is not added: {exc.message}") from None


def _looks_like_feed(content: bytes) -> bool:
    """A feed served as text/html (some hosts do): its first tag is rss, feed or rdf."""
    head = content[:2048].lstrip().lower()
    for prolog in (b"<?xml", b"<!--"):
        if head.startswith(prolog):
            head = head[head.find(b">") + 1 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def _quotes_in(text: str) -> int:
    from bot.core.extract import extract_quotes  # the quote model loads on first use

    return sum(1 for q in extract_quotes(text) if q.kind is not QuoteKind.INDIRECT)


def feed_checker(settings: Settings) -> Callable[[str], FeedCheck]:
    """`check_feed` under the settings' fetch policy, for `feeds add` from chat."""

    def check(url: str) -> FeedCheck:
        with Fetcher(fetch_policy(settings)) as fetcher:
            return check_feed(fetcher, url)

    return check
