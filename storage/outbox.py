"""The alert outbox: an alert is stored before it is sent, and sent once.

A unique key per alert makes a second enqueue a no-op; `sent_at` marks delivery. An alert that
failed for good (the platform refused it, or it ran out of tries) is kept with `failed_at` and
its reason, out of the rounds, until someone asks for it again (`retry_failed`). Threads map a
statement to the chat thread its alerts reply in; mutes and false positives suppress alerts.

Owns its migration set ("verbatim.outbox") for what it added to the core `alerts` table.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils
from sqlite_utils import Migrations

from bot.core.models import Alert, Event, EventType
from bot.core.ports import Clock, SystemClock
from bot.core.serialize import event_from_dict, event_to_dict, parse_time
from storage.db import UNREADABLE, DbLock, OnDatabase, cannot_read, in_batches, marks

log = logging.getLogger(__name__)
migrations = Migrations("verbatim.outbox")


@migrations()
def m001_dead_letters(db: sqlite_utils.Database) -> None:
    """Alerts that failed for good: kept, out of the delivery rounds, with when and why."""
    db.execute("alter table alerts add column failed_at text")
    db.execute(
        "create index if not exists alerts_failed on alerts(failed_at) where failed_at is not null"
    )


@dataclass(frozen=True)
class FailedAlert:
    """An alert kept after it failed for good, with its reason and how often it was tried."""

    alert: Alert
    failed_at: datetime
    reason: str


@dataclass(frozen=True)
class UnreadableAlert:
    """A failed alert whose stored payload cannot be read back (edited or damaged by hand):
    kept, with why, but nothing it says can be shown or sent."""

    id: int
    channel: str
    failed_at: datetime
    reason: str


class Outbox(OnDatabase):
    """Alerts owed to channels: queued once under a unique key, sent, retried, kept if failed."""

    def __init__(self, db: sqlite_utils.Database, lock: DbLock, clock: Clock | None = None) -> None:
        super().__init__(db, lock)
        self.clock = clock or SystemClock()  # when alerts are queued, sent, retried, failed

    def enqueue_alert(self, key: str, channel: str, event: Event, thread_key: str | None) -> bool:
        """Store an alert for ``channel``; False if an alert with ``key`` already exists."""
        with self.lock:
            cursor = self.db.execute(
                "insert or ignore into alerts (key, channel, thread_key, payload, created_at, "
                "attempts) values (?, ?, ?, ?, ?, 0)",
                [
                    key,
                    channel,
                    thread_key,
                    json.dumps(event_to_dict(event)),
                    self.clock.now().isoformat(),
                ],
            )
            return cursor.rowcount == 1

    def pending(self, now: datetime | None = None, limit: int = 100, after: int = 0) -> list[Alert]:
        """Alerts not yet sent whose retry time has come, oldest first, with ids above ``after``.

        A row whose payload cannot be read is set aside, failed for good with the reason and
        said in a log line, so the alerts after it are still sent."""
        stamp = (now or self.clock.now()).isoformat()
        found: list[Alert] = []
        while len(found) < limit:
            with self.lock:
                rows = list(
                    self.db.query(
                        "select * from alerts where sent_at is null and failed_at is null"
                        " and id > ? and (next_attempt_at is null or next_attempt_at <= ?)"
                        " order by id limit ?",
                        [after, stamp, limit - len(found)],
                    )
                )
            if not rows:
                break
            for row in rows:
                alert = self._read(row)
                if isinstance(alert, Alert):
                    found.append(alert)
                elif self.mark_dead(int(str(row["id"])), alert):
                    log.warning(
                        "alert #%s for %s set aside, failed for good: %s",
                        row["id"], row["channel"], alert,
                    )  # fmt: skip
            after = int(str(rows[-1]["id"]))
        return found

    def pending_count(self) -> int:
        with self.lock:
            row = next(
                iter(
                    self.db.query(
                        "select count(*) n from alerts where sent_at is null and failed_at is null"
                    )
                )
            )
            return int(row["n"])

    def mark_sent(self, alert_id: int, message_ref: str) -> None:
        with self.lock:
            self.db.execute(
                "update alerts set sent_at = ?, message_ref = ? where id = ? and sent_at is null",
                [self.clock.now().isoformat(), message_ref, alert_id],
            )

    def mark_failed(self, alert_id: int, error: str) -> int:
        """Record a failed attempt and schedule the next one with exponential backoff;
        returns how many attempts have failed so far."""
        with self.lock:
            row = next(iter(self.db.query("select attempts from alerts where id = ?", [alert_id])))
            attempts = int(row["attempts"] or 0) + 1
            delay = timedelta(seconds=min(2 ** min(attempts, 10), 900))
            self.db.execute(
                "update alerts set attempts = ?, last_error = ?, next_attempt_at = ? where id = ?",
                [attempts, error[:500], (self.clock.now() + delay).isoformat(), alert_id],
            )
        return attempts

    def mark_dead(self, alert_id: int, reason: str) -> bool:
        """Keep an alert that failed for good out of the rounds, with its reason; False when it
        was already sent or already marked (so the caller reports it once)."""
        with self.lock:
            cursor = self.db.execute(
                "update alerts set failed_at = ?, last_error = ? where id = ?"
                " and sent_at is null and failed_at is null",
                [self.clock.now().isoformat(), reason[:500], alert_id],
            )
        return cursor.rowcount == 1

    def failed(self, channel: str | None = None) -> list[FailedAlert]:
        """The alerts that failed for good, oldest first (those that can be read: the others
        are `unreadable`)."""
        found = []
        for r in self._rows("failed_at is not null and sent_at is null", channel):
            alert = self._read(r)
            if isinstance(alert, Alert):
                failed_at = parse_time(r["failed_at"]) or self.clock.now()
                found.append(FailedAlert(alert, failed_at, str(r["last_error"] or "")))
        return found

    def unreadable(self, channel: str | None = None) -> list[UnreadableAlert]:
        """The failed alerts whose stored payload cannot be read, oldest first."""
        return [
            UnreadableAlert(
                int(str(r["id"])),
                str(r["channel"]),
                parse_time(r["failed_at"]) or self.clock.now(),
                why,
            )
            for r in self._rows("failed_at is not null and sent_at is null", channel)
            if isinstance(why := self._read(r), str)
        ]

    def retry_failed(self, ids: Sequence[int] = ()) -> int:
        """Put failed alerts (these ``ids``, or all) back in the rounds with a fresh count of
        tries; returns how many. One whose payload cannot be read stays failed, said in a log
        line: it could only be set aside again."""
        where = "failed_at is not null and sent_at is null"
        params = [int(i) for i in ids]
        if params:
            where += f" and id in ({marks(len(params))})"
        with self.lock:
            rows = list(self.db.query(f"select * from alerts where {where}", params))
            again = []
            for row in rows:
                why = self._read(row)
                if isinstance(why, str):
                    log.warning("alert #%s kept as failed, not retried: %s", row["id"], why)
                else:
                    again.append(int(str(row["id"])))
            for batch in in_batches(again):
                self.db.execute(
                    "update alerts set failed_at = null, attempts = 0, next_attempt_at = null"
                    f" where id in ({marks(len(batch))})",
                    list(batch),
                )
        return len(again)

    def held_threads(self, max_attempts: int) -> dict[tuple[str, str], int]:
        """Threads not opened yet whose first alert failed and waits for its retry (fewer than
        ``max_attempts`` tries), with that alert's id: the thread's other alerts wait for it."""
        with self.lock:
            rows = self.db.query(
                "select a.channel, a.thread_key, min(a.id) as head from alerts a "
                "where a.sent_at is null and a.failed_at is null and a.thread_key is not null"
                " and not exists "
                "(select 1 from threads t where t.channel = a.channel "
                "and t.thread_key = a.thread_key) group by a.channel, a.thread_key"
            )
            heads = {(r["channel"], r["thread_key"]): int(r["head"]) for r in rows}
            if not heads:
                return {}
            failing = {
                int(r["id"])
                for r in self.db.query(
                    f"select id from alerts where id in ({marks(len(heads))}) "
                    "and attempts between 1 and ?",
                    [*heads.values(), max_attempts - 1],
                )
            }
        return {k: v for k, v in heads.items() if v in failing}

    def sent(self, channel: str | None = None) -> list[Alert]:
        return [
            a
            for r in self._rows("sent_at is not null", channel)
            if isinstance(a := self._read(r), Alert)
        ]

    def _rows(self, where: str, channel: str | None) -> list[dict[str, object]]:
        """Alert rows matching ``where`` (in this channel when given), oldest first."""
        sql = f"select * from alerts where {where}"
        params: list[str] = []
        if channel:
            sql += " and channel = ?"
            params.append(channel)
        with self.lock:
            return list(self.db.query(sql + " order by id", params))

    def add_outlet(self, key: str, outlet: str) -> bool:
        """Name one more outlet on a queued, unsent alert: a syndicated copy of its finding.

        False when the alert was already sent (its thread's counter tells the rest) or the
        outlet is already named.
        """
        with self.lock:
            row = self.db.conn.execute(
                "select id, payload from alerts where key = ? and sent_at is null", [key]
            ).fetchone()
            if row is None:
                return False
            try:
                alert_id, payload = row[0], json.loads(row[1])
            except (TypeError, ValueError):  # unreadable: the round sets it aside
                return False
            if not isinstance(payload, dict):
                return False
            named = [payload.get("outlet"), *payload.get("also_in", [])]
            if outlet in named:
                return False
            payload["also_in"] = [*payload.get("also_in", []), outlet]
            self.db.execute(
                "update alerts set payload = ? where id = ?", [json.dumps(payload), alert_id]
            )
            return True

    def alert(self, alert_id: int) -> Alert | None:
        with self.lock:
            row = next(iter(self.db.query("select * from alerts where id = ?", [alert_id])), None)
        alert = self._read(row) if row else None
        return alert if isinstance(alert, Alert) else None

    # -- threads ---------------------------------------------------------------------------
    def thread_ref(self, channel: str, thread_key: str) -> str | None:
        with self.lock:
            row = next(
                iter(
                    self.db.query(
                        "select thread_ref from threads where channel = ? and thread_key = ?",
                        [channel, thread_key],
                    )
                ),
                None,
            )
        return row["thread_ref"] if row else None

    def set_thread(self, channel: str, thread_key: str, thread_ref: str) -> None:
        with self.lock:
            self.db.execute(
                "insert or ignore into threads (channel, thread_key, thread_ref, head_ref) "
                "values (?, ?, ?, ?)",
                [channel, thread_key, thread_ref, thread_ref],
            )

    def threads_to_refresh(self) -> list[tuple[str, str, str, int, int]]:
        """(channel, thread_key, thread_ref, outlets now, outlets shown) where they differ."""
        with self.lock:
            rows = list(
                self.db.query(
                    "select t.channel, t.thread_key, t.thread_ref, t.outlets_shown, "
                    "(select count(distinct a.outlet) from quotes q join articles a "
                    " on a.id = q.article_id where q.statement_id = "
                    " cast(substr(t.thread_key, 11) as integer)) as outlets "
                    "from threads t where t.thread_key like 'statement:%'"
                )
            )
        return [
            (r["channel"], r["thread_key"], r["thread_ref"], r["outlets"], r["outlets_shown"])
            for r in rows
            if r["outlets"] != r["outlets_shown"]
        ]

    def set_outlets_shown(self, channel: str, thread_key: str, count: int) -> None:
        with self.lock:
            self.db.execute(
                "update threads set outlets_shown = ? where channel = ? and thread_key = ?",
                [count, channel, thread_key],
            )

    # -- suppression -----------------------------------------------------------------------
    def mute(self, channel: str, statement_id: int) -> None:
        with self.lock:
            self.db.execute(
                "insert or ignore into mutes (channel, statement_id) values (?, ?)",
                [channel, statement_id],
            )

    def mark_false_positive(self, channel: str, statement_id: int, event_type: EventType) -> None:
        with self.lock:
            self.db.execute(
                "insert or ignore into false_positives (channel, statement_id, type) "
                "values (?, ?, ?)",
                [channel, statement_id, event_type.value],
            )

    def is_suppressed(self, channel: str, statement_id: int, event_type: EventType) -> bool:
        with self.lock:  # once per alert queued: the connection itself, no savepoint
            row = self.db.conn.execute(
                "select 1 from mutes where channel = ? and statement_id = ? union all "
                "select 1 from false_positives where channel = ? and statement_id = ? "
                "and type = ?",
                [channel, statement_id, channel, statement_id, event_type.value],
            ).fetchone()
        return row is not None

    def _read(self, row: dict[str, object]) -> Alert | str:
        """The alert of ``row``, or why its stored payload cannot be read."""
        try:
            return self._alert(row)
        except UNREADABLE as exc:
            return cannot_read(exc)

    def _alert(self, row: dict[str, object]) -> Alert:
        created = parse_time(row["created_at"]) or self.clock.now()
        return Alert(
            id=int(str(row["id"])),
            key=str(row["key"]),
            channel=str(row["channel"]),
            event=event_from_dict(json.loads(str(row["payload"]))),
            created=created,
            thread_key=str(row["thread_key"]) if row["thread_key"] else None,
            attempts=int(str(row["attempts"] or 0)),
        )
