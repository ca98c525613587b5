"""A channel's digest from the store: one function for the CLI, the demo, the scheduler and chat."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.core.digest import Digest, build_digest, render_digest_text
from bot.core.models import Event, EventType
from bot.core.ports import ChartDrawer, HistoryReader
from bot.core.routing import ChannelRoute


def watched_speakers(
    routes: tuple[ChannelRoute, ...] | list[ChannelRoute], channel: str
) -> tuple[str, ...]:
    return next((r.speakers for r in routes if r.channel == channel), ())


def digest_for(
    history: HistoryReader,
    channel: str,
    start: datetime,
    end: datetime,
    routes: tuple[ChannelRoute, ...] | list[ChannelRoute] = (),
) -> Digest:
    """Everything published in [start, end) that concerns ``channel``, summarised (by the time
    it was read when its article gave no date; see `storage.history.timed_events_between`)."""
    timed = history.events_between(start, end)
    events = [e for _, e in timed]
    ids = sorted({e.statement_id for e in events if e.statement_id is not None})
    statements = history.statements_by_id(ids)
    return build_digest(
        events,
        statements,
        channel=channel,
        start=start,
        end=end,
        watched_speakers=watched_speakers(routes, channel),
        times=[t for t, _ in timed],
    )


def digest_event(
    digest: Digest, chart_folder: Path | None, name: str, draw_chart: ChartDrawer
) -> Event:
    """The message a channel is sent for ``digest``: its text, and the coverage chart drawn by
    ``draw_chart`` to ``chart_folder``/``name``.png attached when the period had coverage (and
    a folder)."""
    title, _, body = render_digest_text(digest).partition("\n")
    chart = None
    if not digest.empty and chart_folder is not None:
        chart_folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-." else "-" for c in name)
        chart = str(draw_chart(digest, chart_folder / f"{safe}.png"))
    return Event(
        EventType.DIGEST,
        article_url="",
        outlet="",
        title=title,
        detail=body.strip("\n") or None,
        channel=digest.channel,
        attachment=chart,
    )


def last_day(end: datetime) -> tuple[datetime, datetime]:
    return end - timedelta(days=1), end
