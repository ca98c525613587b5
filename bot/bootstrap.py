"""The one place that reads settings and builds the application: the database, every store
(once, on the store's one-writer lock), the monitor and its stages, the command backend, the
feed fetching and polling, and the notifiers. The app layer (`bot.app`) receives these through
the ports of `bot.core.ports`; only this module and the entrypoints import storage and
adapters."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

import sqlite_utils

from adapters.console import ConsoleNotifier
from adapters.opml import parse_opml
from bot.app.pipeline import default_stages
from bot.app.service import BotBackend
from bot.app.settings import Settings, SettingsError, load_settings
from bot.app.sources import ingest_from_feed, notice_from_feed
from bot.core.digest import Digest
from bot.core.models import Article, Event, Feed
from bot.core.monitor import Monitor
from bot.core.ports import Clock, FeedCheck, Notifier, SystemClock
from bot.core.routing import ChannelRoute, merge_routes
from bot.core.urls import feed_address
from storage.db import open_db
from storage.feeds import FeedStore
from storage.history import History
from storage.index_file import IndexFile, index_path
from storage.outbox import Outbox
from storage.route_options import RouteOptions
from storage.store import Lookups, Store
from storage.topics import TopicStore

if TYPE_CHECKING:  # the fetching adapters load httpx and feedparser: imported where built
    from adapters.feeds import FeedPoller, Progress
    from adapters.fetch import Fetcher, FetchPolicy

log = logging.getLogger(__name__)
T = TypeVar("T")
OnDb = Callable[[Callable[[], T]], T]

MAX_REDIRECTS = 5
PAGE_PACE_SECONDS = 2.0  # between two article pages fetched from one site


@dataclass
class App:
    settings: Settings
    db: sqlite_utils.Database
    store: Store
    monitor: Monitor
    # Built once, on the store's database and its one-writer lock.
    feeds: FeedStore
    topics: TopicStore
    lookups: Lookups
    history: History
    route_options: RouteOptions
    clock: Clock = field(default_factory=SystemClock)  # the one clock: outbox and feed rounds
    notifiers: dict[str, Notifier] = field(default_factory=dict)

    @property
    def outbox(self) -> Outbox:
        return self.store.outbox

    @property
    def chart_folder(self) -> Path:
        """Where digest charts are drawn, beside the database."""
        return self.settings.db_path.parent / "charts"

    def backend(
        self,
        on_routes_changed: Callable[[Sequence[ChannelRoute]], None] | None = None,
        *,
        fetch_text: Callable[[str], str] | None = None,
        check_feed: Callable[[str], FeedCheck] | None = None,
        chart_folder: Path | None = None,
    ) -> BotBackend:
        """The command backend over this app's stores. ``check_feed`` fetches a feed as it is
        added (`feed_checker`), ``fetch_text`` an OPML link (`opml_fetcher`); without them
        nothing is fetched. Without ``chart_folder`` `digest now` answers in text."""
        return BotBackend(
            self.store,
            self.monitor,
            on_routes_changed,
            outbox=self.outbox,
            lookups=self.lookups,
            history=self.history,
            feeds=self.feeds,
            topics=self.topics,
            route_options=self.route_options,
            read_opml=parse_opml,
            draw_chart=draw_chart,
            fetch_text=fetch_text,
            poll_interval=self.settings.poll_interval,
            check_feed=check_feed,
            chart_folder=chart_folder,
        )

    def close(self) -> None:
        """Keep the matching index for the next start (when it was used), then close; behind
        the one-writer lock, so a statement another thread has in flight (a feed round's, on
        its own thread) ends first, and one it starts later fails with an error, not a crash
        inside SQLite."""
        with self.store.lock:
            try:
                self.monitor.save_index()
            except sqlite3.Error as exc:  # the next start rebuilds it: nothing is lost
                log.warning("matching index not saved: %s", exc)
            finally:
                self.db.close()


class DatabaseMissing(SettingsError):
    """A command that only reads was pointed at a database that does not exist."""


def open_app(
    db_path: str | None = None,
    config_path: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    stream: TextIO | None = None,
    settings: Settings | None = None,
    must_exist: bool = False,
) -> App:
    """Settings, database (migrated), stores, monitor and the console notifier.

    ``must_exist`` (lookups and other commands that only read or change what is stored)
    refuses a database file that is not there instead of creating an empty one, so a
    mistyped ``--db`` says so rather than answering "nothing yet".
    """
    settings = settings or load_settings(
        config_path, dict(os.environ if env is None else env), db_path
    )
    if must_exist and str(settings.db_path) != ":memory:" and not settings.db_path.exists():
        raise DatabaseMissing(
            f"database {settings.db_path} does not exist (check --db or [database] path;"
            " `verbatim init` creates one)"
        )
    db = open_db(settings.db_path)
    clock = SystemClock()
    store = Store(db, clock=clock)
    feeds, topics = FeedStore(db, store.lock), TopicStore(db, store.lock)
    route_options = RouteOptions(db, store.lock)
    # The monitor indexes the stored wordings itself, up to the mark it reads with them, so a
    # wording another process commits meanwhile is caught up before the next article; it starts
    # from the index saved beside the database file when that still fits the store.
    in_memory = str(settings.db_path) == ":memory:"
    monitor = Monitor(
        store,
        # The stored routing over the config's, with what chat set beside it (a weekly
        # digest's day, a mention).
        route_options.with_options(merge_routes(settings.routes, store.saved_routes())),
        # Disputes of quoted and tracked statements, then saved topics; a stage's failure is
        # contained, but a database error rolls the article back.
        stages=default_stages(store, topics, (sqlite3.Error,)),
        saved=None if in_memory else IndexFile(index_path(settings.db_path), store),
    )
    lookups, history = Lookups(store), History(store)
    app = App(settings, db, store, monitor, feeds, topics, lookups, history, route_options, clock)
    if settings.console:
        app.notifiers["console"] = ConsoleNotifier(stream, settings.colour)
    return app


def draw_chart(digest: Digest, path: Path) -> Path:
    """A digest's coverage chart (`adapters.chart`, loaded on first use: matplotlib is slow
    to import and most commands draw none)."""
    from adapters.chart import render_coverage_chart

    render_coverage_chart(digest, path)
    return path


# -- fetching: one policy for `verbatim run`, `verbatim feeds poll` and the chat backend -------
def fetch_policy(settings: Settings) -> FetchPolicy:
    from adapters.fetch import FetchPolicy

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
    from adapters.feeds import FeedPoller
    from adapters.fetch import HostPace

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
        run(lambda: notice_from_feed(app.monitor, event, key))

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


def opml_fetcher(settings: Settings) -> Callable[[str], str]:
    """Fetch an OPML export by URL, under the same safety rules as every feed."""

    def fetch_text(url: str) -> str:
        from adapters.fetch import OPML_TYPES, Fetcher

        with Fetcher(fetch_policy(settings)) as fetcher:
            result = fetcher.get(url, kinds=OPML_TYPES)
        return result.content.decode("utf-8", errors="replace")

    return fetch_text


def feed_checker(settings: Settings) -> Callable[[str], FeedCheck]:
    """`adapters.feeds.check_feed` under the settings' fetch policy, for `feeds add`: the
    address is checked first (`FeedError` when it cannot be a feed's), then fetched once."""

    def check(url: str) -> FeedCheck:
        from adapters.feeds import check_feed
        from adapters.fetch import Fetcher

        url = feed_address(url)
        with Fetcher(fetch_policy(settings)) as fetcher:
            return check_feed(fetcher, url)

    return check
