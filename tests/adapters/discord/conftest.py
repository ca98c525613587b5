"""Fixtures: the Discord stand-in, the real client pointed at it, a recording backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from adapters.discord.runtime import DiscordRuntime, start_discord
from adapters.discord.settings import DiscordSettings
from bot.core.backend import Caller
from bot.core.models import Reply
from storage.db import DbLock, open_db
from storage.outbox import Outbox
from tests.adapters.discord.standin import (
    GUILD_ID,
    DiscordStandIn,
)

ADMIN_ROLE = 4400000000000000900


@dataclass
class RecordingBackend:
    """A small in-test `CommandBackend`: answers from fixed data, records every call.

    Mutes and false positives go to a real outbox, as the bot's own backend does, so a button
    click changes what the delivery loop sends next.
    """

    outbox: Outbox
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    speakers: tuple[str, ...] = ("Ada Quill", "Adam Rook", "Bea Marsh")

    def quote(self, words: str) -> Reply:
        self.calls.append(("quote", words))
        if words == "boom":
            raise RuntimeError("the database is locked")
        return Reply(title=f"“{words}”", lines=("Said by Ada Quill", "First: The Lantern"))

    def speaker(self, name: str) -> Reply:
        self.calls.append(("speaker", name))
        return Reply(title=name, lines=("2 statements",))

    def topic_add(self, caller: Caller, name: str, query: str) -> Reply:
        self.calls.append(("topic_add", caller, name, query))
        return Reply(title=f"Topic {name} saved")

    def topic_list(self, caller: Caller) -> Reply:
        self.calls.append(("topic_list", caller))
        return Reply(title="Topics", lines=("harbour",))

    def topic_remove(self, caller: Caller, name: str) -> Reply:
        self.calls.append(("topic_remove", caller, name))
        return Reply(title=f"Topic {name} removed")

    def track(self, caller: Caller, text: str, speaker: str | None) -> Reply:
        self.calls.append(("track", caller, text, speaker))
        return Reply(title="Tracking statement #1")

    def feeds_add(self, caller: Caller, url: str) -> Reply:
        self.calls.append(("feeds_add", caller, url))
        return Reply(title=f"Watching {url}")

    def feeds_list(self, caller: Caller) -> Reply:
        self.calls.append(("feeds_list", caller))
        return Reply(title="Feeds")

    def route(self, caller: Caller, setting: str, value: str) -> Reply:
        self.calls.append(("route", caller, setting, value))
        return Reply(title=f"Route {setting}")

    def feeds_remove(self, caller: Caller, url: str) -> Reply:
        self.calls.append(("feeds_remove", caller, url))
        return Reply(title=f"Stopped watching {url}")

    def feeds_import(self, caller: Caller, opml: str) -> Reply:
        self.calls.append(("feeds_import", caller, opml))
        return Reply(title="Imported feeds")

    def digest(self, caller: Caller, now: bool) -> Reply:
        self.calls.append(("digest", caller, now))
        return Reply(title="Digest")

    def mute(self, caller: Caller, statement_id: int) -> Reply:
        self.calls.append(("mute", caller, statement_id))
        self.outbox.mute(caller.channel, statement_id)
        return Reply(title=f"Muted statement #{statement_id} in this channel.")

    def false_positive(self, caller: Caller, alert_id: int) -> Reply:
        self.calls.append(("false_positive", caller, alert_id))
        return Reply(title="Marked as a false positive.")

    def sources(self, statement_id: int) -> Reply:
        self.calls.append(("sources", statement_id))
        return Reply(title=f"Sources of #{statement_id}", lines=("The Lantern", "Harbour Post"))

    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]:
        return [s for s in self.speakers if s.lower().startswith(prefix.lower())][:limit]

    def topic_names(self, caller: Caller, prefix: str, limit: int = 25) -> list[str]:
        return [t for t in ("harbour", "housing") if t.startswith(prefix)][:limit]


@pytest.fixture
async def standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordStandIn]:
    server = DiscordStandIn()
    await server.start()
    # start_discord points discord.py at the configured endpoints; monkeypatch restores them.
    monkeypatch.setattr(discord.http.Route, "BASE", server.base + "/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.base + "/gateway")
    )
    yield server
    await server.stop()
    server.assert_nothing_refused()


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
