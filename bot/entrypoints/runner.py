"""`verbatim run`: poll sources on a schedule, ingest, deliver the outbox, stop cleanly.

All database work runs on one worker thread (one writer), so a long article never blocks the
event loop that talks to Slack and Discord. SIGINT and SIGTERM stop the scheduler, deliver what
is due, close the chat clients and the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from adapters.feeds import FeedPoller, PollReport
from adapters.fetch import Fetcher
from adapters.local_feed import read_feed_file
from adapters.scheduler import daily, every, make_scheduler
from bot.app.channel_digests import digest_event, digest_for, last_day
from bot.app.settings import SAMPLE_FEED, admin_channels
from bot.app.sources import add_configured_feeds
from bot.bootstrap import App, draw_chart, feed_poller, fetch_policy
from bot.core.delivery import deliver_pending
from bot.core.models import Article
from bot.core.routing import ChannelRoute
from bot.entrypoints.chat import start_platforms

log = logging.getLogger(__name__)
# How often due feeds are looked for; each feed keeps its own interval and backoff.
FEED_TICK_SECONDS = 60
T = TypeVar("T")


@dataclass
class Source:
    name: str
    interval: float
    fetch: Callable[[], Awaitable[Sequence[Article]]]


class Runner:
    def __init__(self, app: App) -> None:
        self.app = app
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verbatim-db")
        self.stopping = asyncio.Event()
        self.closers: list[Callable[[], Awaitable[Any]]] = []
        # One delivery round at a time: a poll's round and the scheduled one must never both
        # pick up the same pending alert.
        self.delivering = asyncio.Lock()
        # One feed round at a time: a round started by hand (or a slow one) and the scheduled
        # tick must not fetch the same feeds side by side and split their entries.
        self.polling = asyncio.Lock()
        self.scheduler: AsyncIOScheduler | None = None
        self.poller: FeedPoller | None = None  # set by run(): polls every subscribed feed

    async def in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    def sources(self, have_feeds: bool = False) -> list[Source]:
        """Local sources: the bundled sample feed, when no real feed is configured."""
        settings = self.app.settings
        sources: list[Source] = []
        if settings.sample_feed and not settings.feeds and not have_feeds:
            sources.append(Source("sample", settings.poll_interval, self._local(SAMPLE_FEED)))
        return sources

    async def start_feeds(self) -> FeedPoller:
        """The poller for subscribed feeds: the config file's, and those added later from chat
        or the command line while the bot runs.

        Fetching runs on its own thread; each article and notice is handed to the database
        thread, so a slow site never holds up chat commands or delivery.
        """
        app = self.app
        added = await self.in_worker(add_configured_feeds, app.feeds, app.settings)
        if added:
            log.info("subscribed to %d feed(s) from the config file", added)
        loop = asyncio.get_running_loop()

        def on_worker(fn: Callable[[], T]) -> T:
            return asyncio.run_coroutine_threadsafe(self.in_worker(fn), loop).result()

        fetcher = Fetcher(fetch_policy(app.settings))
        self.closers.append(lambda: asyncio.to_thread(fetcher.close))
        return feed_poller(app, fetcher, on_db=on_worker)

    async def poll_feeds(self, poller: FeedPoller, *, every_feed: bool = False) -> int:
        """Poll the feeds that are due (``every_feed``: all unpaused ones, for ``--once``);
        one feed's failure is logged by the poller, never fatal."""
        async with self.polling:
            return await self._poll_feeds(poller, every_feed)

    async def _poll_feeds(self, poller: FeedPoller, every_feed: bool) -> int:
        try:
            if every_feed:
                feeds = await self.in_worker(lambda: self.app.feeds.list())
                outcomes = await asyncio.to_thread(
                    lambda: tuple(poller.poll(f) for f in feeds if not f.paused)
                )
                report = PollReport(outcomes)
            else:
                report = await asyncio.to_thread(poller.poll_due)
        except Exception:
            log.exception("feed round failed; the next one tries again")
            return 0
        for outcome in report.outcomes:
            if outcome.status == "failed":
                log.warning("feed %s failed: %s", outcome.feed.url, outcome.error)
        if report.outcomes:
            await self.deliver()
        return report.ingested

    def _local(self, path: Path) -> Callable[[], Awaitable[Sequence[Article]]]:
        async def fetch() -> Sequence[Article]:
            return await self.in_worker(read_feed_file, path)

        return fetch

    async def poll(self, source: Source) -> int:
        """Fetch one source and ingest what it has; errors are logged, never fatal."""
        try:
            articles = await source.fetch()
        except Exception as exc:
            log.warning("source %s failed: %s", source.name, exc)
            return 0
        found = 0
        for article in sorted(articles, key=lambda a: (a.published is None, a.published)):
            try:
                events = await self.in_worker(self.app.monitor.ingest, article)
            except Exception:
                log.exception("article %s could not be ingested; skipped", article.url)
                continue
            found += len(events)
        if found:
            await self.deliver()
        return found

    async def deliver(self) -> int:
        try:
            async with self.delivering:
                mentions = {r.channel: r.mention for r in self.app.monitor.routes if r.mention}
                return await deliver_pending(
                    self.app.outbox,
                    self.app.notifiers,
                    admin_channels(self.app.settings),
                    mentions,
                )
        except Exception:
            log.exception("delivery round failed; the outbox keeps the alerts")
            return 0

    async def start_chat(self) -> None:
        """Start the configured chat platforms (`bot.entrypoints.chat`), adding their
        notifiers to the app's."""
        await start_platforms(self)

    async def run(self, *, once: bool = False) -> None:
        try:
            await self.start_chat()
            poller = self.poller = await self.start_feeds()
            have_feeds = bool(await self.in_worker(lambda: self.app.feeds.list()))
        except BaseException:
            await self.close()  # a platform that did start is closed again
            raise
        sources = self.sources(have_feeds=have_feeds)
        if once:
            await self.poll_feeds(poller, every_feed=True)
            for source in sources:
                await self.poll(source)
            await self.deliver()
            await self.close()
            return
        scheduler = make_scheduler()
        for source in sources:
            every(scheduler, source.interval, f"poll:{source.name}", self._poller(source))
        every(scheduler, FEED_TICK_SECONDS, "poll:feeds", partial(self.poll_feeds, poller))
        every(scheduler, self.app.settings.deliver_interval, "deliver", self.deliver)
        self.scheduler = scheduler
        self.schedule_digests(self.app.monitor.routes)
        self._install_signals()
        scheduler.start()
        log.info("verbatim is running (%s); Ctrl-C stops it", self.app.settings.source)
        try:
            await self.stopping.wait()
        finally:
            scheduler.shutdown(wait=False)
            await self.deliver()
            await self.close()

    def schedule_digests(self, routes: Sequence[ChannelRoute]) -> None:
        """One job per channel with a digest time, daily or on its weekday; called again when
        chat changes one."""
        if self.scheduler is None:
            return
        for route in routes:
            job_id = f"digest:{route.channel}"
            if route.digest_at and route.digest_day:
                hour, minute = (int(p) for p in route.digest_at.split(":"))
                weekly = CronTrigger(
                    day_of_week=route.digest_day[:3],
                    hour=hour,
                    minute=minute,
                    timezone=ZoneInfo(route.timezone),
                )
                job = partial(self.post_digest, route)
                self.scheduler.add_job(job, weekly, id=job_id, replace_existing=True)
            elif route.digest_at:
                job = partial(self.post_digest, route)
                daily(self.scheduler, route.digest_at, route.timezone, job_id, job)
            elif self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)

    async def post_digest(self, route: ChannelRoute, now: datetime | None = None) -> bool:
        """Queue and deliver one channel's digest of the last day (of the last seven days for
        a weekly one), once per local calendar day.

        The key names the channel's local date, so a misfired job run again after a restart
        finds the digest already queued and sends nothing twice.
        """
        now = now or datetime.now(UTC)
        queued = await self.in_worker(self._queue_digest, route, now)
        await self.deliver()
        return queued

    def _queue_digest(self, route: ChannelRoute, now: datetime) -> bool:
        local_day = now.astimezone(ZoneInfo(route.timezone)).date().isoformat()
        start, end = last_day(now)
        if route.digest_day:
            start = end - timedelta(days=7)
        digest = digest_for(self.app.history, route.channel, start, end, self.app.monitor.routes)
        name = f"digest-{route.channel}-{local_day}"
        event = digest_event(digest, self.app.chart_folder, name, draw_chart)
        key = f"digest:{route.channel}:{local_day}"
        return self.app.outbox.enqueue_alert(key, route.channel, event, None)

    def _poller(self, source: Source) -> Callable[[], Awaitable[int]]:
        async def poll() -> int:
            return await self.poll(source)

        return poll

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
                loop.add_signal_handler(sig, self.stopping.set)

    async def close(self) -> None:
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:
                log.exception("closing a chat client failed")
        await self.in_worker(self.app.close)
        self.worker.shutdown(wait=True)
