"""Closing the app while another thread has a statement in flight (a feed round runs on its
own thread) waits for it, and a statement started after the close fails with an error: the
database is never closed under a running statement (that crashed the process inside SQLite,
about one full test run in three on a loaded machine)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import open_app


def test_close_waits_for_the_statement_another_thread_is_running(tmp_path: Path) -> None:
    app = open_app(str(tmp_path / "v.db"), env={})
    inside, release = threading.Event(), threading.Event()

    def feed_round() -> None:
        with app.store.lock:  # what FeedStore.due holds around its query
            inside.set()
            release.wait(5)
            app.feeds.due(datetime.now(UTC))

    poller = threading.Thread(target=feed_round)
    poller.start()
    assert inside.wait(5)
    closer = threading.Thread(target=app.close)
    closer.start()
    closer.join(0.3)
    assert closer.is_alive()  # the close waits for the round's statement
    release.set()
    poller.join(5)
    closer.join(5)
    assert not closer.is_alive()
    with pytest.raises(sqlite3.ProgrammingError):  # after the close: an error, no crash
        app.feeds.due(datetime.now(UTC))
