"""Fixtures: the Discord stand-in, the real client pointed at it, a recording backend
(`tests.fakes.RecordingBackend`, writing mutes to a real outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.runtime import DiscordRuntime, start_discord
from adapters.discord.settings import DiscordSettings
from storage.db import DbLock, open_db
from storage.outbox import Outbox
from tests.adapters.discord.standin import GUILD_ID, DiscordStandIn, serving
from tests.fakes import RecordingBackend

ADMIN_ROLE = 4400000000000000900


@pytest.fixture
async def standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordStandIn]:
    async with serving(DiscordStandIn(), monkeypatch) as server:
        yield server


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(open_db(tmp_path / "verbatim.db"), DbLock())


@pytest.fixture
def backend(outbox: Outbox) -> RecordingBackend:
    return RecordingBackend(outbox)


def settings_for(server: DiscordStandIn, **extra: Any) -> DiscordSettings:
    section = {
        "guild_ids": [str(GUILD_ID)],
        "admin_roles": [str(ADMIN_ROLE)],
        "api_base_url": server.base + "/api/v10",
        "gateway_url": server.base + "/gateway",
        **extra,
    }
    return DiscordSettings.from_config(section, {"DISCORD_TOKEN": "test-token"})


StartBot = Callable[..., Any]


@pytest.fixture
async def start_bot(standin: DiscordStandIn, backend: RecordingBackend) -> AsyncIterator[StartBot]:
    started: list[DiscordRuntime] = []

    async def start(**options: Any) -> DiscordRuntime:
        options.setdefault("guild_ready_timeout", 0.01)
        runtime = await start_discord(settings_for(standin), backend, **options)
        started.append(runtime)
        return runtime

    yield start
    for runtime in started:
        await runtime.close()
