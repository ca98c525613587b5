"""Read-only queries for the history: one statement's story, and whole tables for export.

Times are the articles' publication times; an event whose article gave none keeps the time it
was recorded. Nothing here writes.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.core.models import Event, Statement
from bot.core.serialize import event_from_dict, parse_time
from bot.core.story import Story, build_story
from storage.store import Lookups, Store

_ID = re.compile(r"#?(\d{1,18})")


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time, dates without a zone read as UTC, so every time compares."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class History:
    """The story of a statement from the store: `History(store).story("18" or "some words")`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db
        self.lock = store.lock
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

    def timed_events(self, statement_id: int) -> list[tuple[datetime, Event]]:
        """The statement's events, each with its article's publication time (or record time)."""
        with self.lock:
            rows = list(
                self.db.query(
                    "select e.payload, a.published, e.created_at from events e "
                    "left join articles a on a.id = e.article_id "
                    "where e.statement_id = ? order by e.id",
                    [statement_id],
                )
            )
        return [_timed(r) for r in rows]

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
                    "select e.payload, a.published, e.created_at, e.statement_id from events e "
                    "join articles a on a.id = e.article_id "
                    "join statements s on s.id = e.statement_id "
                    "where e.type = 'dispute' and e.statement_id != ? and s.speaker = ? "
                    "and e.article_id in (select article_id from quotes where statement_id = ?) "
                    "order by e.id",
                    [statement.id, statement.speaker, statement.id],
                )
            )
        others = self.store.statements_by_id(sorted({int(r["statement_id"]) for r in rows}))
        return others, [_timed(r) for r in rows]


def _timed(row: dict[str, Any]) -> tuple[datetime, Event]:
    when = as_utc(parse_time(row["published"])) or as_utc(parse_time(row["created_at"]))
    return when or datetime.min.replace(tzinfo=UTC), event_from_dict(json.loads(row["payload"]))
