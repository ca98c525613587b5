"""`verbatim run`: poll sources on a schedule, ingest, deliver the outbox, stop cleanly.

All database work runs on one worker thread (one writer), so a long article never blocks the
event loop that talks to Slack and Discord. SIGINT and SIGTERM stop the scheduler and end the
feed round in flight between two articles (`FeedPoller.stop`), then deliver what is due and close
the chat clients and the database; a second signal stops without waiting for the round, whose
unread entries are read at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
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
        self.stopping = asyncio.Event()  # set by the first Ctrl-C or SIGTERM
        self.stop_now = asyncio.Event()  # set by the second: the round in flight is not waited for
        self.closed = False
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
            if self.closed:  # the bot stopped without waiting for the round
                raise RuntimeError("the bot has stopped")
            return asyncio.run_coroutine_threadsafe(self.in_worker(fn), loop).result()

        fetcher = Fetcher(fetch_policy(app.settings))
        self.closers.append(lambda: asyncio.to_thread(fetcher.close))
        return feed_poller(app, fetcher, on_db=on_worker)

    async def poll_feeds(self, poller: FeedPoller, *, every_feed: bool = False) -> int:
        """Poll the feeds that are due (``every_feed``: all unpaused ones, for ``--once``);
        one feed's failure is logged by the poller, never fatal. Once the bot is stopping, none
        starts."""
        async with self.polling:
            if self.stopping.is_set():
                return 0
            return await self._poll_feeds(poller, every_feed)

    async def _poll_feeds(self, poller: FeedPoller, every_feed: bool) -> int:
        try:
            if every_feed:
                feeds = await self.in_worker(lambda: self.app.feeds.list())
                report = await self._round(
                    lambda: poller.poll_each(f for f in feeds if not f.paused)
                )
            else:
                report = await self._round(poller.poll_due)
        except Exception:
            log.exception("feed round failed; the next one tries again")
            return 0
        for outcome in report.outcomes:
            if outcome.status == "failed":
                log.warning("feed %s failed: %s", outcome.feed.url, outcome.error)
        if report.outcomes:
            await self.deliver()
        return report.ingested

    async def _round(self, poll: Callable[[], PollReport]) -> PollReport:
        """``poll`` on a thread of its own, awaited until it ends or the bot is told to stop
        now. A daemon thread: a fetch in flight (up to the fetch timeout) does not hold up the
        exit after a second Ctrl-C; the entries it did not store are read at the next start."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[PollReport] = loop.create_future()

        def settle(outcome: PollReport | BaseException) -> None:
            if done.done():  # left behind by a second Ctrl-C
                return
            if isinstance(outcome, BaseException):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)

        def work() -> None:
            try:
                outcome: PollReport | BaseException = poll()
            except BaseException as exc:
                outcome = exc
            with contextlib.suppress(RuntimeError):  # the loop has closed: the bot has stopped
                loop.call_soon_threadsafe(settle, outcome)

        threading.Thread(target=work, name="verbatim-feeds", daemon=True).start()
        hurry: asyncio.Future[Any] = asyncio.ensure_future(self.stop_now.wait())
        try:
            await asyncio.wait([done, hurry], return_when=asyncio.FIRST_COMPLETED)
        finally:
            hurry.cancel()
            if not done.done():
                done.cancel()  # what the thread ends with is dropped
        if done.cancelled():
            log.warning("feed round left unfinished; its unread entries are read at the next start")
            return PollReport()
        return done.result()

    def _local(self, path: Path) -> Callable[[], Awaitable[Sequence[Article]]]:
        async def fetch() -> Sequence[Article]:
            return await self.in_worker(read_feed_file, path)

        return fetch

    async def poll(self, source: Source) -> int:
        """Fetch one source and ingest what it has; errors are logged, never fatal."""
        if self.stopping.is_set():
            return 0
        try:
            articles = await source.fetch()
        except Exception as exc:
            log.warning("source %s failed: %s", source.name, exc)
            return 0
        found = 0
        for article in sorted(articles, key=lambda a: (a.published is None, a.published)):
            if self.stopping.is_set():  # the rest are read at the next start
                break
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
        if self.closed:  # a job that outlived the stop: the outbox keeps what it would send
            return 0
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
        self._install_signals()
        if once:
            await self.poll_feeds(poller, every_feed=True)
            for source in sources:
                await self.poll(source)
            if not self.stop_now.is_set():
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
        scheduler.start()
        log.info("verbatim is running (%s); Ctrl-C stops it", self.app.settings.source)
        try:
            await self.stopping.wait()
        finally:
            self.stopping.set()  # also when cancelled: no round starts from here on
            # Paused, not shut down: a shutdown cancels the jobs that are running, which would
            # let go of a feed round (its thread runs on) or a delivery in mid-post.
            scheduler.pause()
            await self._end_round()
            if not self.stop_now.is_set():
                await self.deliver()  # after the delivery job in flight, if any
            scheduler.shutdown(wait=False)
            await self.close()

    async def _end_round(self) -> None:
        """Wait for the feed round in flight to end after the article it is storing (or for a
        second Ctrl-C); the scheduler has stopped, so no other starts."""
        if self.poller is not None:
            self.poller.stop()
        async with self.polling:  # `_round` lets go at once when told to stop now
            pass

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
                loop.add_signal_handler(sig, self.signalled)

    def signalled(self) -> None:
        """Ctrl-C or SIGTERM: the first stops the bot after the article being read, the second
        without waiting for the feed round; after it, the signals act as they do by default."""
        if not self.stopping.is_set():
            if self.poller is not None:
                self.poller.stop()  # at once: the round may be on its last article of a feed
            self.stopping.set()
            if self.polling.locked():
                log.warning(
                    "stopping after the article being read; Ctrl-C again to stop without"
                    " waiting (the rest of the feeds are read at the next start)"
                )
            return
        self.stop_now.set()
        self._remove_signals()

    def _remove_signals(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    async def close(self) -> None:
        self.closed = True  # from here on, late jobs leave the database alone
        try:
            for close in reversed(self.closers):
                try:
                    await close()
                except Exception:
                    log.exception("closing a chat client failed")
            await self.in_worker(self.app.close)
            self.worker.shutdown(wait=True)
        finally:
            self._remove_signals()  # a Ctrl-C while closing is a second one: no effect here
