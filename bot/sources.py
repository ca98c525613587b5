"""Wiring the feed sources from settings: the fetch policy, the poller, configured feeds.

One place builds these for `verbatim run`, `verbatim feeds poll` and the chat backend, so the
three fetch with the same User-Agent, limits and private-address rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from adapters.feeds import FeedPoller, Ingest, Notice, Progress
from adapters.fetch import FEED_TYPES, Fetcher, FetchPolicy
from bot.bootstrap import App
from bot.core.models import Article
from bot.settings import Settings
from storage.feeds import FeedError, FeedStore

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
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
