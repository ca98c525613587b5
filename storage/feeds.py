"""Subscribed feeds and what each has shown us: poll schedule, conditional-GET validators,
failure backoff, and the entry keys already seen, so a restart re-posts nothing.

Owns its migration set ("verbatim.feeds"); `storage.db` applies it with the others.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from bot.core.errors import FeedError as FeedError  # raised here; the app catches it
from bot.core.models import MIN_POLL_SECONDS, Feed
from bot.core.urls import feed_address
from storage.db import OnDatabase, in_batches, marks, write_transaction

migrations = Migrations("verbatim.feeds")

BACKOFF_CAP = timedelta(hours=24)
DISABLE_AFTER = 5  # consecutive failures
MAX_INTERVAL = 366 * 24 * 3600
# A first poll reads at most a few hundred entries (adapters.feeds.MAX_ENTRIES), so a larger
# backfill alerts them all, as this does; stored as given, 10**30 overflowed SQLite's integer.
MAX_BACKFILL = 1_000_000
_COLUMNS = "id, url, title, channel, interval_seconds, paused, disabled"


@migrations()
def m001_feeds(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table if not exists feeds ("
        " id integer primary key, url text not null unique, title text not null default '',"
        " channel text, interval_seconds integer not null default 900,"
        " paused integer not null default 0, disabled integer not null default 0,"
        " etag text, last_modified text, failures integer not null default 0,"
        " failing_since text, next_poll_at text, last_error text, last_ok_at text,"
        " backfill integer not null default 0, added_at text not null)"
    )
    db.execute(
        "create table if not exists feed_entries ("
        " feed_id integer not null references feeds(id) on delete cascade,"
        " entry_key text not null, seen_at text not null,"
        " primary key (feed_id, entry_key)) without rowid"
    )
    db.execute("create index if not exists feeds_next_poll on feeds (next_poll_at)")


def stamp(when: datetime) -> str:
    """A fixed-width UTC timestamp, so stored times compare correctly as text."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def backoff(interval_seconds: int, failures: int, retry_after: float | None = None) -> timedelta:
    """How long to wait after ``failures`` failed polls in a row: the interval doubled each
    time, at least what the server asked (``Retry-After``), and never past `BACKOFF_CAP`.

    Computed in bounded float seconds, so a huge, infinite or negative ``Retry-After`` and a
    streak of any length give a valid delay instead of an OverflowError.
    """
    cap = BACKOFF_CAP.total_seconds()
    seconds = min(max(interval_seconds, 1) * 2.0 ** min(failures, 64), cap)
    if retry_after is not None and not math.isnan(retry_after):
        seconds = min(max(seconds, retry_after), cap)
    return timedelta(seconds=seconds)


def _feed(row: tuple[object, ...]) -> Feed:
    fid, url, title, channel, interval, paused, disabled = row
    return Feed(
        int(str(fid)),
        str(url),
        str(title or ""),
        None if channel is None else str(channel),
        int(str(interval)),
        bool(paused),
        bool(disabled),
    )


class FeedStore(OnDatabase):
    """Feeds and seen entries on one sqlite-utils database, behind the one-writer lock."""

    # -- subscriptions --------------------------------------------------------------------
    def add(
        self,
        url: str,
        channel: str | None = None,
        interval: int = 900,
        title: str = "",
        *,
        backfill: int = 0,
        now: datetime | None = None,
    ) -> Feed:
        """Subscribe; the first poll alerts only the ``backfill`` newest entries."""
        url = feed_address(url)
        if interval < MIN_POLL_SECONDS:
            raise FeedError(f"interval {interval}s is too short: poll at most once a minute")
        if interval > MAX_INTERVAL:
            raise FeedError(f"interval {interval}s is too long: poll at least once a year")
        if backfill < 0:
            raise FeedError("--backfill must be 0 or more")
        backfill = min(backfill, MAX_BACKFILL)  # any more than a poll reads: all of them
        with self.lock, write_transaction(self.db):
            if self._row("url = ?", [url]) is not None:
                raise FeedError(f"already watching {url}")
            cursor = self.db.execute(
                "insert into feeds (url, title, channel, interval_seconds, backfill, added_at)"
                " values (?, ?, ?, ?, ?, ?)",
                [url, title, channel, interval, backfill, stamp(now or datetime.now(UTC))],
            )
        return Feed(int(cursor.lastrowid or 0), url, title, channel, interval)

    def list(self, channel: str | None = None) -> builtins.list[Feed]:
        """This channel's feeds (every feed when None), oldest subscription first."""
        sql = f"select {_COLUMNS} from feeds"
        params: builtins.list[object] = []
        if channel is not None:
            sql += " where channel = ?"
            params.append(channel)
        with self.lock:
            return [_feed(r) for r in self.db.execute(sql + " order by id", params).fetchall()]

    def get(self, key: str | int) -> Feed | None:
        """A feed by id or by URL."""
        if isinstance(key, int):
            return self._row("id = ?", [key])
        return self._row("url = ?", [key.strip()])

    def require(self, key: str | int) -> Feed:
        feed = self.get(key)
        if feed is None:
            raise FeedError(f"not watching {key}")
        return feed

    def remove(self, url: str) -> bool:
        """Unsubscribe and forget its seen entries; False when it was not watched."""
        with self.lock, write_transaction(self.db):
            cursor = self.db.execute("delete from feeds where url = ?", [url.strip()])
        return cursor.rowcount > 0

    def pause(self, url: str) -> Feed:
        self._set(url, "paused = 1")
        return self.require(url)

    def resume(self, url: str) -> Feed:
        """Unpause (and re-enable a disabled feed): polled at the next round, streak cleared."""
        self._set(
            url, "paused = 0, disabled = 0, failures = 0, failing_since = null, next_poll_at = null"
        )
        return self.require(url)

    # -- polling --------------------------------------------------------------------------
    def due(self, now: datetime) -> builtins.list[Feed]:
        """Unpaused feeds whose time has come, most overdue first. Disabled feeds stay in the
        schedule at the backoff cap, so a dead feed that comes back is noticed."""
        sql = (
            f"select {_COLUMNS} from feeds where paused = 0"
            " and (next_poll_at is null or next_poll_at <= ?)"
            " order by next_poll_at is not null, next_poll_at, id"
        )
        with self.lock:
            return [_feed(r) for r in self.db.execute(sql, [stamp(now)]).fetchall()]

    def validators(self, feed_id: int) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified to send with the next conditional GET."""
        row = self._value("etag, last_modified", feed_id)
        return (row[0], row[1]) if row else (None, None)

    def pending_backfill(self, feed_id: int) -> int | None:
        """How many newest entries the first poll alerts; None once the feed has been read."""
        row = self._value("last_ok_at, backfill", feed_id)
        if row is None or row[0] is not None:
            return None
        return int(row[1])

    def failing_since(self, feed_id: int) -> str | None:
        """When the current failure streak began (the key of its notices), or None."""
        row = self._value("failing_since", feed_id)
        return row[0] if row else None

    def record_ok(
        self,
        feed: Feed,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        *,
        title: str | None = None,
        complete: bool = True,
    ) -> str | None:
        """A successful poll: schedule the next, keep validators, clear the failure streak.

        ``complete=False`` (some entry could not be stored) forgets the validators, so the
        next poll fetches the whole feed again instead of hearing "not modified".
        Returns the streak start when this success recovers a disabled feed, else None.
        """
        validators = (
            " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
            if complete
            else " etag = ?, last_modified = ?,"
        )
        if not complete:
            etag = last_modified = None
        with self.lock, write_transaction(self.db):
            row = self._value("disabled, failing_since", feed.id)
            self.db.execute(
                "update feeds set failures = 0, failing_since = null, disabled = 0,"
                " last_error = null, last_ok_at = ?, next_poll_at = ?,"
                + validators
                + " title = case when title = '' and ? is not null then ? else title end"
                " where id = ?",
                [
                    stamp(now),
                    stamp(now + timedelta(seconds=feed.interval_seconds)),
                    etag,
                    last_modified,
                    title,
                    title,
                    feed.id,
                ],
            )
        if row is not None and row[0]:
            return str(row[1] or "")
        return None

    def record_failure(
        self, feed: Feed, error: str, now: datetime, *, retry_after: float | None = None
    ) -> tuple[int, datetime, bool]:
        """A failed poll: back off exponentially (capped), disable after `DISABLE_AFTER`.

        Returns (consecutive failures, next poll time, whether this failure disabled it).
        """
        with self.lock, write_transaction(self.db):
            row = self._value("failures, disabled", feed.id)
            failures = (int(row[0]) if row else 0) + 1
            was_disabled = bool(row[1]) if row else False
            delay = backoff(feed.interval_seconds, failures, retry_after)
            disabled = was_disabled or failures >= DISABLE_AFTER
            until = now + (BACKOFF_CAP if disabled else delay)
            self.db.execute(
                "update feeds set failures = ?, disabled = ?, last_error = ?, next_poll_at = ?,"
                " failing_since = coalesce(failing_since, ?) where id = ?",
                [failures, int(disabled), error[:500], stamp(until), stamp(now), feed.id],
            )
        return failures, until, disabled and not was_disabled

    def status(self, feed_id: int) -> dict[str, object]:
        """Everything stored about one feed, for `feeds list --json` and diagnostics."""
        with self.lock:
            rows = list(self.db.query("select * from feeds where id = ?", [feed_id]))
        return dict(rows[0]) if rows else {}

    # -- seen entries ---------------------------------------------------------------------
    def seen(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` this feed has already shown us."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self.lock:
            for chunk in in_batches(wanted):
                sql = (
                    "select entry_key from feed_entries"
                    f" where feed_id = ? and entry_key in ({marks(len(chunk))})"
                )
                found.update(r[0] for r in self.db.execute(sql, [feed_id, *chunk]).fetchall())
        return found

    def mark_seen(self, feed_id: int, keys: Iterable[str], now: datetime) -> None:
        rows = [(feed_id, k, stamp(now)) for k in dict.fromkeys(keys)]
        with self.lock, write_transaction(self.db):
            self.db.conn.executemany(
                "insert or ignore into feed_entries (feed_id, entry_key, seen_at) values (?, ?, ?)",
                rows,
            )

    # -- internals ------------------------------------------------------------------------
    def _row(self, where: str, params: builtins.list[object]) -> Feed | None:
        with self.lock:
            row = self.db.execute(f"select {_COLUMNS} from feeds where {where}", params).fetchone()
        return _feed(row) if row else None

    def _value(self, columns: str, feed_id: int) -> tuple[Any, ...] | None:
        with self.lock:
            row = self.db.execute(f"select {columns} from feeds where id = ?", [feed_id]).fetchone()
        return tuple(row) if row else None

    def _set(self, url: str, assignments: str) -> None:
        with self.lock, write_transaction(self.db):
            cursor = self.db.execute(f"update feeds set {assignments} where url = ?", [url.strip()])
        if cursor.rowcount == 0:
            raise FeedError(f"not watching {url.strip()}")
