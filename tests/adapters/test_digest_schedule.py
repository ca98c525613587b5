"""The daily digest fires once at 09:00 Europe/Paris across DST changes and across a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.scheduler import digest_trigger
from bot.core.models import Event, EventType
from storage.db import DbLock, open_db
from storage.outbox import Outbox

PARIS = ZoneInfo("Europe/Paris")


def fires(first_day: date, days: int) -> list[datetime]:
    """Walk a fixed clock through ``days`` days asking the trigger for each next fire time."""
    trigger = digest_trigger("09:00", "Europe/Paris")
    now = datetime(first_day.year, first_day.month, first_day.day, tzinfo=PARIS)
    end = now + timedelta(days=days)
    previous: datetime | None = None
    out: list[datetime] = []
    while True:
        nxt = trigger.get_next_fire_time(previous, now)
        if nxt is None or nxt >= end:
            return out
        out.append(nxt)
        previous, now = nxt, nxt + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("first_day", "utc_hours"),
    [
        pytest.param(date(2026, 3, 27), [8, 8, 7, 7, 7], id="spring forward on 2026-03-29"),
        pytest.param(date(2026, 10, 23), [7, 7, 8, 8, 8], id="fall back on 2026-10-25"),
    ],
)
def test_a_dst_change_fires_once_a_day_at_nine_local(first_day: date, utc_hours: list[int]) -> None:
    times = fires(first_day, 5)
    local = [t.astimezone(PARIS) for t in times]
    assert [t.date() for t in local] == [first_day + timedelta(days=n) for n in range(5)]
    assert all((t.hour, t.minute) == (9, 0) for t in local)
    assert [t.astimezone(UTC).hour for t in times] == utc_hours


def digest_key(channel: str, fired: datetime) -> str:
    return f"digest:{channel}:{fired.astimezone(PARIS):%Y-%m-%d}"


def test_restart_does_not_send_the_digest_twice(tmp_path: Path) -> None:
    channel = "slack:C123"
    fired = fires(date(2026, 3, 29), 1)[0]
    event = Event(EventType.FEED_NOTICE, "", "", detail="digest", channel=channel)
    first_db = open_db(tmp_path / "v.db")
    assert Outbox(first_db, DbLock()).enqueue_alert(
        digest_key(channel, fired), channel, event, None
    )
    first_db.close()
    # The bot restarts and the coalesced misfired job runs again for the same day.
    second_run = Outbox(open_db(tmp_path / "v.db"), DbLock())
    again = fired + timedelta(minutes=20)
    assert not second_run.enqueue_alert(digest_key(channel, again), channel, event, None)
    assert [a.key for a in second_run.pending()] == ["digest:slack:C123:2026-03-29"]
    next_day = fires(date(2026, 3, 30), 1)[0]
    assert second_run.enqueue_alert(digest_key(channel, next_day), channel, event, None)
