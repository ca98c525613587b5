"""The real discord.py client against the stand-in: start-up, sync, failures, reconnection."""

from __future__ import annotations

import discord
import pytest

from adapters.discord.notifier import DiscordNotifier
from adapters.discord.runtime import start_discord
from bot.core.delivery import deliver_pending
from storage.outbox import Outbox
from tests.adapters.discord.conftest import RecordingBackend, StartBot, settings_for
from tests.adapters.discord.payloads import (
    embed_title,
    enqueue,
    slash,
    until,
)
from tests.adapters.discord.standin import APP_ID, CHANNEL_ID, GUILD_ID, DiscordStandIn


async def test_start_up_reaches_ready_and_syncs_commands_to_the_guild(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    runtime = await start_bot()
    assert runtime.client.user is not None and runtime.client.user.name == "verbatim"
    assert standin.identifies == 1
    puts = standin.posted("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    assert len(puts) == 1
    (group,) = puts[0].body
    assert group["name"] == "verbatim"
    subs = {o["name"]: o for o in group["options"]}
    assert set(subs) == {
        "quote", "story", "speaker", "topic", "track", "feeds", "digest", "route", "mute", "help"
    }  # fmt: skip
    assert {o["name"] for o in subs["topic"]["options"]} == {"add", "list", "remove"}
    assert {o["name"] for o in subs["feeds"]["options"]} == {"add", "list", "remove", "import"}
    speaker_option = subs["speaker"]["options"][0]
    assert speaker_option["autocomplete"] is True and speaker_option["description"]
    assert all(o["description"] for sub in subs.values() for o in sub.get("options", []))


async def test_a_wrong_token_stops_start_up_with_a_clear_error(
    standin: DiscordStandIn, backend: RecordingBackend
) -> None:
    standin.token = "another-token"
    with pytest.raises(discord.LoginFailure, match="token"):
        await start_discord(settings_for(standin), backend, guild_ready_timeout=0.01)


async def test_a_gateway_that_never_says_hello_fails_start_up_instead_of_hanging(
    standin: DiscordStandIn, backend: RecordingBackend
) -> None:
    standin.open.clear()
    with pytest.raises(TimeoutError, match="did not become ready"):
        await start_discord(
            settings_for(standin), backend, ready_timeout=0.2, guild_ready_timeout=0.01
        )


async def test_a_gateway_drop_resumes_without_losing_or_doubling_anything(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox, backend: RecordingBackend
) -> None:
    runtime = await start_bot()
    notifier: DiscordNotifier = runtime.notifier
    standin.open.clear()  # the client's reconnection waits until the test opens the gateway
    await standin.drop()
    # While the socket is down: alerts go out over REST, and a command waits in the gateway.
    enqueue(outbox, 21, "The Lantern")
    enqueue(outbox, 22, "The Lantern")
    assert await deliver_pending(outbox, {"discord": notifier}) == 2
    pending = slash("quote", words="every small boat")
    await standin.dispatch("INTERACTION_CREATE", pending)  # nobody is connected to receive it
    assert standin.replayed == 0 and backend.calls == []
    standin.open.set()
    path = f"/interactions/{pending['id']}/{pending['token']}/callback"
    (answered,) = await until(lambda: standin.posted("POST", path), "the replayed command")
    body = answered.body
    assert standin.resumes == 1 and standin.identifies == 1 and standin.replayed == 1
    assert embed_title(body) == "1 statement matches “every small boat”"
    enqueue(outbox, 21, "Harbour Post")
    assert await deliver_pending(outbox, {"discord": notifier}) == 1
    assert await deliver_pending(outbox, {"discord": notifier}) == 0
    assert [c for c in backend.calls if c[0] == "quote"] == [("quote", ("every small boat",))]
    assert len(standin.in_channel(CHANNEL_ID)) == 2
    assert len(standin.in_channel(int(standin.in_channel(CHANNEL_ID)[0]["id"]))) == 1
