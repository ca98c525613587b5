"""The whole bot, as these tests start it, talks to stand-ins on 127.0.0.1: it starts without
the waits the real services need (one Slack message a second per channel, discord.py's 2 s
after the last guild), which the adapter tests check on their own."""

from __future__ import annotations

import functools

import pytest

from adapters.slack import runtime as slack_runtime
from tests.adapters.discord.standin import start_discord_without_guild_wait


@pytest.fixture(autouse=True)
def no_pacing_for_stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = functools.partial(slack_runtime.start_slack, min_interval=0)
    monkeypatch.setattr(slack_runtime, "start_slack", fast)
    start_discord_without_guild_wait(monkeypatch)
