"""The whole bot, as these tests start it (`bot_running`), talks to stand-ins on 127.0.0.1: it
starts without the waits the real services need (one Slack message a second per channel,
discord.py's 2 s after the last guild), which the adapter tests check on their own."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable

import pytest

from adapters.slack import runtime as slack_runtime
from bot.bootstrap import App
from bot.core.models import Article, Event
from bot.entrypoints.runner import Runner
from tests.adapters.discord.payloads import until
from tests.adapters.discord.standin import start_discord_without_guild_wait


@pytest.fixture(autouse=True)
def no_pacing_for_stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = functools.partial(slack_runtime.start_slack, min_interval=0)
    monkeypatch.setattr(slack_runtime, "start_slack", fast)
    start_discord_without_guild_wait(monkeypatch)


@contextlib.asynccontextmanager
async def bot_running(
    app: App, *, ready: Callable[[Runner], bool] | None = None
) -> AsyncIterator[Runner]:
    """The whole bot over ``app`` (`Runner.run`, as `verbatim run` runs it) for the block, once
    ``ready`` says so when given; then asked to stop and awaited, so what the bot raised fails
    the test."""
    runner = Runner(app)
    task = asyncio.create_task(runner.run())
    try:
        if ready is not None:
            await until(lambda: ready(runner) or task.done(), "the bot is ready", 30)
            assert not task.done(), task.exception()
        yield runner
    finally:
        runner.stopping.set()
        await asyncio.wait_for(task, 30)


async def alert_about(runner: Runner, article: Article) -> list[Event]:
    """``article`` read by the running bot (on its worker, as a polled feed's article is) and
    the alerts it queued delivered; its events."""
    events = await runner.in_worker(runner.app.monitor.ingest, article)
    await runner.deliver()
    return events
