"""Saved topics per channel: a name and a query, validated by parsing before it is stored.

Owns its migration set ("verbatim.topics"); `storage.db` applies it with the others.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime

import sqlite_utils
from sqlite_utils import Migrations

from bot.core.errors import TopicError as TopicError  # raised here; the app catches it
from bot.core.models import Topic
from bot.core.topics import Query, parse_query
from storage.db import OnDatabase

migrations = Migrations("verbatim.topics")


@migrations()
def m001_topics(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table if not exists topics ("
        " id integer primary key, channel text not null, name text not null,"
        " query text not null, created_at text not null, unique (channel, name))"
    )


class TopicStore(OnDatabase):
    """Saved topics, behind the same one-writer lock as every other store of the database."""

    def add(self, channel: str, name: str, query: str) -> Topic:
        """Save a topic; raises QueryError for a bad query, TopicError for a taken name."""
        name = name.strip()
        if not name:
            raise TopicError("a topic needs a name")
        parse_query(query)
        with self.lock:
            if self.get(channel, name) is not None:
                raise TopicError(f"topic {name!r} already exists in {channel}")
            with self.db.conn:
                cursor = self.db.execute(
                    "insert into topics (channel, name, query, created_at) values (?, ?, ?, ?)",
                    [channel, name, query, datetime.now(UTC).isoformat()],
                )
        return Topic(int(cursor.lastrowid or 0), channel, name, query)

    def get(self, channel: str, name: str) -> Topic | None:
        with self.lock:
            row = self.db.execute(
                "select id, channel, name, query from topics where channel = ? and name = ?",
                [channel, name.strip()],
            ).fetchone()
        return Topic(*row) if row else None

    def list(self, channel: str | None = None) -> list[Topic]:
        """This channel's topics (every channel's when None), by channel then name."""
        sql = "select id, channel, name, query from topics"
        params: list[str] = []
        if channel is not None:
            sql += " where channel = ?"
            params.append(channel)
        with self.lock:
            rows = self.db.execute(sql + " order by channel, name", params).fetchall()
        return [Topic(*row) for row in rows]

    def remove(self, channel: str, name: str) -> bool:
        """Delete a topic; False when there was none by that name."""
        with self.lock, self.db.conn:
            cursor = self.db.execute(
                "delete from topics where channel = ? and name = ?", [channel, name.strip()]
            )
        return cursor.rowcount > 0

    def compiled(self, channel: str | None = None) -> builtins.list[tuple[Topic, Query]]:
        """Topics with their parsed queries, for the monitor to match every new document."""
        return [(t, parse_query(t.query)) for t in self.list(channel)]
