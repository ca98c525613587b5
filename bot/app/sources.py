"""What the app does with a feed's entries and the config file's feeds.

The fetching and polling themselves are adapters (`adapters.feeds`, `adapters.fetch`), built by
`bot.bootstrap` under one fetch policy, so `verbatim run`, `verbatim feeds poll` and the chat
backend fetch with the same User-Agent, limits and private-address rules.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.app.settings import Settings, on_known_platform
from bot.core.errors import FeedError
from bot.core.models import Article, Event, Feed
from bot.core.monitor import Monitor
from bot.core.ports import FeedCheck, FeedChecker, Subscriptions

log = logging.getLogger(__name__)


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
    if channel is not None and not on_known_platform(channel):
        channel = None  # stored before `feeds add` refused it: nothing could deliver there
    return monitor.ingest(article, silent=silent, also_to=channel)


def notice_from_feed(monitor: Monitor, event: Event, key: str) -> None:
    """Queue a feed's notice (down, back up) for its channel; a channel on no known platform
    (stored before `feeds add` refused one) is ignored, and the notice goes by the routing."""
    if event.channel is not None and not on_known_platform(event.channel):
        event = replace(event, channel=None)
    monitor.notice(event, key)


def subscribe(
    feeds: Subscriptions,
    url: str,
    channel: str | None,
    interval: int,
    check: FeedChecker | None = None,
    *,
    backfill: int = 0,
) -> tuple[Feed, FeedCheck | None]:
    """Watch ``url`` (`feeds add` from chat and the command line): FeedError when it is
    watched already, under this address or under the feed's own that the page at it names.
    With ``check`` it is fetched once first and refused, with the reason, when it is no feed,
    so a mistyped address is said at once; what the fetch found is returned with the feed."""
    url = url.strip()
    if feeds.get(url) is not None:
        raise FeedError(f"already watching {url}")
    found = check(url) if check is not None else None
    if found is not None and found.url != url and feeds.get(found.url) is not None:
        raise FeedError(f"already watching {found.url}, which {url} names")
    title = found.title if found else ""
    feed = feeds.add(found.url if found else url, channel, interval, title, backfill=backfill)
    return feed, found


def add_configured_feeds(feeds: Subscriptions, settings: Settings) -> int:
    """Subscribe to the config file's [[feeds]] not yet in the database; returns how many."""
    added = 0
    for setting in settings.feeds:
        if feeds.get(setting.url) is not None:
            continue
        try:
            feeds.add(setting.url, setting.channel, setting.interval)
            added += 1
        except FeedError as exc:
            log.warning("feed %s from the config file not added: %s", setting.url, exc)
    return added
