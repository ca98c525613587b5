"""APScheduler jobs for the running bot: feed polls, outbox delivery, daily digests.

APScheduler 3.11 (4.0 is a pre-release): `AsyncIOScheduler`, jobs coalesced, a real
misfire grace time (the default is one second), one running instance per job.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

Job = Callable[[], Awaitable[object]]

MISFIRE_GRACE_SECONDS = 3600


def make_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
        timezone="UTC",
    )


def digest_trigger(at: str, tz: str) -> CronTrigger:
    """Every day at ``at`` ("HH:MM") local time in ``tz``, DST included."""
    hour, minute = (int(p) for p in at.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(tz))


def every(
    scheduler: AsyncIOScheduler, seconds: float, job_id: str, job: Job, *, start_now: bool = True
) -> None:
    """Run ``job`` every ``seconds``, first right away unless ``start_now`` is False."""
    from datetime import UTC, datetime

    # Passing next_run_time=None would add the job paused, so leave it out instead.
    first = {"next_run_time": datetime.now(UTC)} if start_now else {}
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=seconds, timezone="UTC"),
        id=job_id,
        replace_existing=True,
        **first,
    )


def daily(scheduler: AsyncIOScheduler, at: str, tz: str, job_id: str, job: Job) -> None:
    scheduler.add_job(job, digest_trigger(at, tz), id=job_id, replace_existing=True)
