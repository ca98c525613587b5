"""Routing options set from chat beside the stored routes: a weekly digest's day and the
mention a channel's high-severity alerts carry.

Kept in a table of their own (``route_options``, migration set "verbatim.route_options",
applied by `storage.db.open_db` with the others), so the core ``channel_routes`` table and its
store methods stay as they are. `with_options` lays them over the routes read at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import sqlite_utils
from sqlite_utils import Migrations

from bot.core.routing import ChannelRoute
from storage.db import OnDatabase

migrations = Migrations("verbatim.route_options")


@migrations()
def m001_route_options(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table if not exists route_options ("
        " channel text primary key, digest_day text, mention text, updated_by text)"
    )


class RouteOptions(OnDatabase):
    """Each channel's options set from chat (digest day, who a high alert pings)."""

    def save(self, route: ChannelRoute, user: str) -> None:
        """Store ``route``'s options, beside its routing saved by `Store.save_route`."""
        with self.lock:
            self.db.execute(
                "insert into route_options (channel, digest_day, mention, updated_by)"
                " values (?, ?, ?, ?) on conflict(channel) do update set"
                " digest_day = excluded.digest_day, mention = excluded.mention,"
                " updated_by = excluded.updated_by",
                [route.channel, route.digest_day, route.mention, user],
            )

    def with_options(self, routes: Iterable[ChannelRoute]) -> list[ChannelRoute]:
        """``routes`` with the options saved from chat for their channels in place."""
        with self.lock:
            saved = {
                r[0]: (r[1], r[2])
                for r in self.db.execute(
                    "select channel, digest_day, mention from route_options"
                ).fetchall()
            }
        return [
            replace(r, digest_day=saved[r.channel][0], mention=saved[r.channel][1])
            if r.channel in saved
            else r
            for r in routes
        ]
