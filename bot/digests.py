"""A channel's digest from the store: one function for the CLI, the demo, the scheduler and chat."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.digest import Digest, build_digest
from bot.core.routing import ChannelRoute
from storage.store import Store


def watched_speakers(
    routes: tuple[ChannelRoute, ...] | list[ChannelRoute], channel: str
) -> tuple[str, ...]:
    return next((r.speakers for r in routes if r.channel == channel), ())


def digest_for(
    store: Store,
    channel: str,
    start: datetime,
    end: datetime,
    routes: tuple[ChannelRoute, ...] | list[ChannelRoute] = (),
) -> Digest:
    """Everything noticed in [start, end) that concerns ``channel``, summarised."""
    events = store.events_between(start, end)
    ids = sorted({e.statement_id for e in events if e.statement_id is not None})
    statements = store.statements_by_id(ids)
    return build_digest(
        events,
        statements,
        channel=channel,
        start=start,
        end=end,
        watched_speakers=watched_speakers(routes, channel),
    )


def last_day(end: datetime) -> tuple[datetime, datetime]:
    return end - timedelta(days=1), end
