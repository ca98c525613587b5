"""Read-only queries for the history: one statement's story, and whole tables for export.

Times are the articles' publication times; an event whose article gave none keeps the time it
was recorded. Nothing here writes: a row whose stored JSON cannot be read (damaged or edited by
hand) is skipped with a log line naming it, and the others are read.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from bot.core.models import Event, Statement
from bot.core.replies import diff_text
from bot.core.serialize import diff_from_list, event_from_dict, parse_time
from bot.core.story import Story, build_story
from storage.db import UNREADABLE, OnDatabase, cannot_read
from storage.store import Lookups, Store

log = logging.getLogger(__name__)
_ID = re.compile(r"#?(\d{1,18})")


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time, dates without a zone read as UTC, so every time compares."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class History(OnDatabase):
    """The story of a statement from the store: `History(store).story("18" or "some words")`."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.db, store.lock)
        self.store = store
        self.lookups = Lookups(store)

    def find(self, query: str) -> Statement | None:
        """The statement with this id (``18`` or ``#18``), else the best match of these words."""
        query = query.strip()
        match = _ID.fullmatch(query)
        if match:
            found = self.store.statements_by_id([int(match.group(1))])
            if found:
                return next(iter(found.values()))
        if not re.search(r"\w", query):
            return None
        best = self.lookups.search_statements(query, limit=1)
        return best[0] if best else None

    def story(self, query: str, *, by_hour: bool = False) -> Story | None:
        statement = self.find(query)
        if statement is None:
            return None
        events = self.timed_events(statement.id)
        beside, disputes = self._disputes_beside(statement)
        return build_story(statement, events + disputes, by_hour=by_hour, beside=beside)

    def events_between(self, start: datetime, end: datetime) -> list[tuple[datetime, Event]]:
        """A period's events by publication time: `timed_events_between` on this store."""
        return timed_events_between(self.store, start, end)

    def statements_by_id(self, ids: Sequence[int]) -> dict[int, Statement]:
        return self.store.statements_by_id(ids)

    def timed_events(self, statement_id: int) -> list[tuple[datetime, Event]]:
        """The statement's events, each with its article's publication time (or record time)."""
        with self.lock:
            rows = list(
                self.db.query(
                    "select e.id, e.payload, a.published, e.created_at from events e "
                    "left join articles a on a.id = e.article_id "
                    "where e.statement_id = ? order by e.id",
                    [statement_id],
                )
            )
        return [timed for r in rows if (timed := _timed(r))]

    def _disputes_beside(
        self, statement: Statement
    ) -> tuple[dict[int, Statement], list[tuple[datetime, Event]]]:
        """Disputes recorded on the speaker's other statements in articles that quote this one:
        a rebuttal of a proposal quoted in two statements is recorded on one of them."""
        if statement.speaker is None:
            return {}, []
        with self.lock:
            rows = list(
                self.db.query(
                    "select e.id, e.payload, a.published, e.created_at, e.statement_id "
                    "from events e "
                    "join articles a on a.id = e.article_id "
                    "join statements s on s.id = e.statement_id "
                    "where e.type = 'dispute' and e.statement_id != ? and s.speaker = ? "
                    "and e.article_id in (select article_id from quotes where statement_id = ?) "
                    "order by e.id",
                    [statement.id, statement.speaker, statement.id],
                )
            )
        others = self.store.statements_by_id(sorted({int(r["statement_id"]) for r in rows}))
        return others, [timed for r in rows if (timed := _timed(r))]


def _timed(row: dict[str, Any]) -> tuple[datetime, Event] | None:
    """The event of an events row with its time, or None when its payload cannot be read."""
    event = _event(row)
    if event is None:
        return None
    when = as_utc(parse_time(row["published"])) or as_utc(parse_time(row["created_at"]))
    return when or datetime.min.replace(tzinfo=UTC), event


def _event(row: dict[str, Any]) -> Event | None:
    """The event stored in an events row, or None, said in a log line naming the row, when its
    payload cannot be read: the other rows are still read, and this one stays as it is."""
    try:
        return event_from_dict(json.loads(row["payload"]))
    except UNREADABLE as exc:
        log.warning("event #%s skipped: %s", row["id"], cannot_read(exc))
        return None


def _told_rows(
    db: sqlite_utils.Database, table: str, sql: str
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each row of ``sql`` with `_told` of its payload; a row whose payload cannot be read is
    skipped, said in a log line."""
    for row in db.query(sql):
        try:
            yield row, _told(json.loads(row["payload"]))
        except UNREADABLE as exc:
            log.warning("%s #%s skipped: %s", table, row["id"], cannot_read(exc))


# -- export: one flat record per row, the same keys in CSV and JSON ----------------------------
EXPORTS = ("statements", "quotes", "events", "alerts")
_COLUMNS = {
    "statements": "id speaker canonical first_outlet first_url first_published quote_count "
    "outlets tracked created_at",
    "quotes": "id statement_id article_id outlet url published text kind speaker "
    "speaker_mention cue relation score changes diff",
    "events": "id type statement_id article_id outlet url published recorded_at speaker quote "
    "severity changes diff disputed_by evidence topic credited_to",
    "alerts": "id channel type statement_id outlet url speaker quote severity status "
    "created_at sent_at failed_at attempts last_error",
}


def export_columns(what: str) -> list[str]:
    """The keys of every record `export_rows` gives for ``what``, in order: the CSV header."""
    return _COLUMNS[what].split()


def _changes_text(changes: list[dict[str, str]]) -> str:
    return "; ".join(
        f"{c['kind']} ({c['severity']}): {c['before'] or '∅'} → {c['after'] or '∅'}"
        for c in changes
    )


def _diff_text(diff: list[dict[str, str]]) -> str:
    return diff_text(diff_from_list(diff))


def _statements(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    sql = (
        "select s.id, s.speaker, s.canonical, s.first_outlet, s.first_url, s.first_published, "
        "s.quote_count, (select count(distinct a.outlet) from quotes q join articles a "
        "on a.id = q.article_id where q.statement_id = s.id) as outlets, s.tracked, "
        "s.created_at from statements s order by s.id"
    )
    for r in db.query(sql):
        yield {**r, "tracked": bool(r["tracked"]), "_when": r["first_published"] or r["created_at"]}


def _quotes(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    sql = (
        "select q.id, q.statement_id, q.article_id, a.outlet, a.url, a.published, q.text, "
        "q.kind, q.speaker, q.speaker_mention, q.cue, q.relation, q.score, q.changes, q.diff, "
        "a.ingested_at from quotes q join articles a on a.id = q.article_id order by q.id"
    )
    for r in db.query(sql):
        try:
            changes = _changes_text(json.loads(r.pop("changes") or "[]"))
            diff = _diff_text(json.loads(r.pop("diff") or "[]"))
        except UNREADABLE as exc:
            log.warning("quote #%s skipped: %s", r["id"], cannot_read(exc, "changes or diff"))
            continue
        ingested = r.pop("ingested_at")
        yield {**r, "changes": changes, "diff": diff, "_when": r["published"] or ingested}


def _told(p: dict[str, Any]) -> dict[str, Any]:
    """What an event's payload says, by export column."""
    return {
        "type": p.get("type"),
        "statement_id": p.get("statement"),
        "outlet": p.get("outlet"),
        "url": p.get("article"),
        "speaker": p.get("speaker"),
        "quote": p.get("quote"),
        "severity": p.get("severity"),
        "changes": _changes_text(p.get("changes") or []),
        "diff": _diff_text(p.get("diff") or []),
        "disputed_by": p.get("disputed_by"),
        "evidence": p.get("evidence"),
        "topic": p.get("topic"),
        "credited_to": p.get("credited_to"),
    }


def _events(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    for r, told in _told_rows(
        db,
        "event",
        "select e.id, e.type, e.statement_id, e.article_id, a.published, e.created_at, e.payload "
        "from events e left join articles a on a.id = e.article_id order by e.id",
    ):
        yield {
            **told,
            "id": r["id"],
            "type": r["type"],
            "statement_id": r["statement_id"],
            "article_id": r["article_id"],
            "published": r["published"],
            "recorded_at": r["created_at"],
            "_when": r["published"] or r["created_at"],
        }


def _alerts(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    for r, told in _told_rows(
        db,
        "alert",
        "select id, channel, payload, created_at, sent_at, failed_at, attempts, last_error "
        "from alerts order by id",
    ):
        status = "failed" if r["failed_at"] else "sent" if r["sent_at"] else "waiting"
        yield {
            **told,
            **{k: v for k, v in r.items() if k != "payload"},
            "status": status,
            "_when": r["created_at"],
        }


_EXPORT_ROWS = {"statements": _statements, "quotes": _quotes, "events": _events, "alerts": _alerts}


def export_rows(store: Store, what: str, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Every record of ``what`` (one of `EXPORTS`), oldest id first, as flat dicts; ``since``
    keeps those published (statements: first published; alerts: queued) at or after it, the
    time recorded standing in when the publication time is unknown."""
    since = as_utc(since)
    columns = export_columns(what)
    with store.lock:
        for row in _EXPORT_ROWS[what](store.db):
            when = as_utc(parse_time(row["_when"]))
            if since is None or (when is not None and when >= since):
                yield {c: row.get(c) for c in columns}


# -- a period's events, by publication time ---------------------------------------------------
LATE_COVERAGE = timedelta(days=7)
_ZONES = timedelta(hours=14)  # the farthest a local time is from UTC


def timed_events_between(
    store: Store, start: datetime, end: datetime, *, late: timedelta = LATE_COVERAGE
) -> list[tuple[datetime, Event]]:
    """The events of [start, end) by their article's publication time, oldest id first, each
    with that time (the time recorded when the article gave none, or for a notice).

    Coverage read late is not lost: an event recorded in the period whose article was
    published up to ``late`` before ``start`` (after the previous period's digest was made)
    counts here. Older coverage read now — a 2022 article ingested today — is in no period.
    """
    start, end = as_utc(start) or start, as_utc(end) or end
    # Publication times keep the offset their source gave (at most 14 hours from UTC): the
    # indexed string range is widened by that much, then each time is compared exactly. The
    # second query, by time recorded, leaves out the rows the first one read.
    low, high = (start - _ZONES).isoformat(), (end + _ZONES).isoformat()
    published_sql = (
        "select e.id, e.payload, a.published, e.created_at from articles a "
        "join events e on e.article_id = a.id where a.published >= :low and a.published < :high"
    )
    recorded_sql = (
        "select e.id, e.payload, a.published, e.created_at from events e "
        "left join articles a on a.id = e.article_id "
        "where e.created_at >= :start and e.created_at < :end "
        "and (a.published is null or a.published < :low or a.published >= :high)"
    )
    params = {"low": low, "high": high, "start": start.isoformat(), "end": end.isoformat()}
    with store.lock:
        rows = list(store.db.query(published_sql, params))
        rows += store.db.query(recorded_sql, params)
    found: dict[int, tuple[datetime, Event]] = {}
    for row in rows:
        published = as_utc(parse_time(row["published"]))
        recorded = as_utc(parse_time(row["created_at"])) or start
        if published is None:
            keep = start <= recorded < end
        else:
            read_late = start <= recorded < end and start - late <= published < start
            keep = start <= published < end or read_late
        if keep and (event := _event(row)) is not None:
            found[row["id"]] = (published or recorded, event)
    return [found[i] for i in sorted(found)]


def publication_span(store: Store) -> tuple[datetime, datetime] | None:
    """The first and last publication times of the stored articles (read time for undated
    ones): the period a replay such as `verbatim demo` covers. None when nothing is stored."""
    with store.lock:
        rows = list(store.db.query("select published, ingested_at from articles"))
    times = [
        t
        for r in rows
        if (t := as_utc(parse_time(r["published"])) or as_utc(parse_time(r["ingested_at"])))
    ]
    return (min(times), max(times)) if times else None
