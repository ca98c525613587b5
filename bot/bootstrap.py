"""The one place that reads settings and wires the store, the monitor and the notifiers."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

import sqlite_utils

from adapters.console import ConsoleNotifier
from bot.app.settings import Settings, SettingsError, load_settings
from bot.core.monitor import Monitor, Stage
from bot.core.ports import Clock, Notifier, SystemClock
from bot.core.routing import merge_routes
from storage.db import open_db
from storage.feeds import FeedStore
from storage.index_file import IndexFile, index_path
from storage.outbox import Outbox
from storage.route_options import RouteOptions
from storage.store import Store
from storage.topics import TopicStore

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: sqlite_utils.Database
    store: Store
    monitor: Monitor
    feeds: FeedStore  # built once, on the store's database and its one-writer lock
    topics: TopicStore
    clock: Clock = field(default_factory=SystemClock)  # the one clock: outbox and feed rounds
    notifiers: dict[str, Notifier] = field(default_factory=dict)

    @property
    def outbox(self) -> Outbox:
        return self.store.outbox

    def close(self) -> None:
        """Keep the matching index for the next start (when it was used), then close."""
        try:
            self.monitor.save_index()
        except sqlite3.Error as exc:  # the next start rebuilds it: nothing is lost
            log.warning("matching index not saved: %s", exc)
        finally:
            self.db.close()


class DatabaseMissing(SettingsError):
    """A command that only reads was pointed at a database that does not exist."""


def monitor_stages(store: Store, topics: TopicStore) -> list[Stage]:
    """The stages after quote matching: disputes of quoted and tracked statements, topics."""
    from bot.app.pipeline import default_stages

    return default_stages(store, topics)


def open_app(
    db_path: str | None = None,
    config_path: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    stream: TextIO | None = None,
    settings: Settings | None = None,
    must_exist: bool = False,
) -> App:
    """Settings, database (migrated), store, monitor and the console notifier.

    ``must_exist`` (lookups and other commands that only read or change what is stored)
    refuses a database file that is not there instead of creating an empty one, so a
    mistyped ``--db`` says so rather than answering "nothing yet".
    """
    settings = settings or load_settings(
        config_path, dict(os.environ if env is None else env), db_path
    )
    if must_exist and str(settings.db_path) != ":memory:" and not settings.db_path.is_file():
        raise DatabaseMissing(
            f"database {settings.db_path} does not exist (check --db or [database] path;"
            " `verbatim init` creates one)"
        )
    db = open_db(settings.db_path)
    clock = SystemClock()
    store = Store(db, clock=clock)
    feeds, topics = FeedStore(db, store.lock), TopicStore(db, store.lock)
    # The monitor indexes the stored wordings itself, up to the mark it reads with them, so a
    # wording another process commits meanwhile is caught up before the next article; it starts
    # from the index saved beside the database file when that still fits the store.
    in_memory = str(settings.db_path) == ":memory:"
    monitor = Monitor(
        store,
        # The stored routing over the config's, with what chat set beside it (a weekly
        # digest's day, a mention).
        RouteOptions(db, store.lock).with_options(
            merge_routes(settings.routes, store.saved_routes())
        ),
        stages=monitor_stages(store, topics),
        saved=None if in_memory else IndexFile(index_path(settings.db_path), store),
    )
    app = App(settings, db, store, monitor, feeds, topics, clock)
    if settings.console:
        app.notifiers["console"] = ConsoleNotifier(stream, settings.colour)
    return app
