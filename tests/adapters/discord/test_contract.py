"""The stand-in speaks the payload shapes of one discord.py minor version: pin it, loudly.

When this fails after an upgrade, re-check every payload in `standin.py` and `conftest.py`
against the new version (TESTING.md), then move the pin here and in pyproject together.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.appinfo import AppInfo

from tests.adapters.discord.payloads import interaction, slash
from tests.adapters.discord.standin import BOT_USER, CHANNEL_ID, DiscordStandIn

PINNED = (2, 7)


def test_discord_py_is_the_version_the_stand_in_was_written_for() -> None:
    installed = (discord.version_info.major, discord.version_info.minor)
    assert installed == PINNED, (
        f"discord.py {discord.__version__} is installed; the Discord stand-in's payloads were "
        f"written for {PINNED[0]}.{PINNED[1]}.x. Re-check tests/adapters/discord/standin.py."
    )


def test_the_stand_ins_payloads_parse_with_this_discord_py() -> None:
    """The shapes the client reads at login, on interactions and on sent messages."""
    client = discord.Client(intents=discord.Intents.none())
    state = client._connection
    raw: dict[str, Any] = {
        "user": BOT_USER,
        "app": DiscordStandIn().application(),
        "message": DiscordStandIn().message(CHANNEL_ID, {}),
        "command": slash("quote", words="x"),
        "button": interaction(3, {"custom_id": "a", "component_type": 2}),
    }
    state.user = discord.ClientUser(state=state, data=raw["user"])  # what login sets
    app = AppInfo(state, raw["app"])
    assert app.name == "Verbatim"
    channel = client.get_partial_messageable(CHANNEL_ID)
    message = discord.Message(state=state, channel=channel, data=raw["message"])
    assert message.channel.id == CHANNEL_ID
    command = discord.Interaction(data=raw["command"], state=state)
    assert command.guild_id is not None and command.command is None  # no tree yet
    button = discord.Interaction(data=raw["button"], state=state)
    assert button.data == {"custom_id": "a", "component_type": 2}
