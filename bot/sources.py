"""Wiring the feed sources from settings: the fetch policy, the poller, configured feeds.

One place builds these for `verbatim run`, `verbatim feeds poll` and the chat backend, so the
three fetch with the same User-Agent, limits and private-address rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from adapters.feeds import FeedPoller, Ingest, Notice, Progress, parse_feed
from adapters.fetch import FEED_TYPES, Fetcher, FetchError, FetchPolicy
from bot.bootstrap import App
from bot.core.models import Article
from bot.settings import Settings
from storage.feeds import FeedError, FeedStore

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
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


def feed_store(app: App) -> FeedStore:
    return FeedStore(app.db, app.store.lock)


def feed_poller(
    app: App,
    fetcher: Fetcher,
    progress: Progress | None = None,
    *,
    ingest: Ingest | None = None,
    notice: Notice | None = None,
) -> FeedPoller:
    """The poller over the app's feeds: new entries into the monitor, notices to the outbox.

    ``ingest`` and ``notice`` default to the monitor's own; the running bot passes versions
    that hand the work to its database thread.
    """
    fetch_page: Callable[[str], Article] | None = None
    if app.settings.fetch_full_pages:
        from adapters.pages import fetch_article

        def fetch_page(url: str) -> Article:
            return fetch_article(fetcher, url)

    def monitor_ingest(article: Article, silent: bool) -> object:
        return app.monitor.ingest(article, silent=silent)

    return FeedPoller(
        feed_store(app), fetcher, ingest or monitor_ingest, notice or app.monitor.notice,
        fetch_page=fetch_page, progress=progress,
    )  # fmt: skip


def add_configured_feeds(app: App) -> int:
    """Subscribe to the config file's [[feeds]] not yet in the database; returns how many."""
    feeds = feed_store(app)
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


@dataclass(frozen=True)
class FeedCheck:
    """What one fetch of a feed found when it was added."""

    title: str
    entries: int
    newest: datetime | None
    problem: str | None = None  # a failure that may pass (a server error, a timeout)

    def describe(self) -> str:
        if self.problem is not None:
            return (
                f"It could not be read just now ({self.problem}); it is polled with backoff,"
                " and a notice comes if it stays down."
            )
        name = f"“{self.title}”" if self.title else "an untitled feed"
        newest = f", the newest from {self.newest:%Y-%m-%d}" if self.newest else ""
        noun = "entry" if self.entries == 1 else "entries"
        return f"Found {name}: {self.entries} {noun}{newest}."


def check_feed(fetcher: Fetcher, url: str) -> FeedCheck:
    """Fetch a feed once, as it is being added: what it holds, or FeedError saying why it is
    no feed (a mistyped address, a page, a refused host). A failure that may pass by itself
    (a server error, a timeout, a rate limit) is returned in ``problem``, not raised."""
    try:
        result = fetcher.get(url, kinds=FEED_TYPES)
    except FetchError as exc:
        passing = exc.reason in ("timeout", "network") and "resolve" not in exc.message
        if passing or exc.status in PASSING_STATUS:
            return FeedCheck("", 0, None, exc.message)
        raise FeedError(f"{url} is not added: {exc.message}") from None
    parsed = parse_feed(result.content, url)
    if not parsed.articles and not parsed.title:
        why = parsed.error or "no entries and no title"
        raise FeedError(f"{url} is not added: not an RSS or Atom feed ({why})")
    dates = [a.published for a in parsed.articles if a.published is not None]
    return FeedCheck(parsed.title, len(parsed.articles), max(dates) if dates else None)


def feed_checker(settings: Settings) -> Callable[[str], FeedCheck]:
    """`check_feed` under the settings' fetch policy, for `feeds add` from chat."""

    def check(url: str) -> FeedCheck:
        with Fetcher(fetch_policy(settings)) as fetcher:
            return check_feed(fetcher, url)

    return check
