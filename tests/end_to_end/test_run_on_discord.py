"""The whole bot (`verbatim run`'s Runner, real store, real discord.py) on the Discord stand-in.

The config file turns Discord on; an article goes in and its alert comes out as an embed in
the routed channel; slash commands are answered from the real store.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.settings import load_settings
from bot.bootstrap import open_app
from bot.entrypoints.runner import Runner
from tests.adapters.discord.payloads import answer_to, slash
from tests.adapters.discord.standin import (
    CHANNEL_ID,
    GUILD_ID,
    DiscordStandIn,
    keep_discord_endpoints,
)
from tests.adapters.slack.conftest import next_response
from tests.adapters.slack.conftest import slash as slack_slash
from tests.adapters.slack.standin import SlackStandIn
from tests.end_to_end.conftest import alert_about, bot_running
from tests.end_to_end.test_run_on_slack import ARTICLE


def on_discord(runner: Runner) -> bool:
    return "discord" in runner.app.notifiers


CONFIG = """
[sources]
sample_feed = false

[discord]
enabled = true
guild_ids = ["{guild}"]
api_base_url = "{base}/api/v10"
gateway_url = "{base}/gateway"

[[channels]]
id = "discord:{channel}"
new_statements = "all"
"""


@pytest.fixture
async def running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Runner, DiscordStandIn]]:
    standin = DiscordStandIn()
    await standin.start()
    keep_discord_endpoints(monkeypatch)
    config = tmp_path / "verbatim.toml"
    config.write_text(CONFIG.format(guild=GUILD_ID, base=standin.base, channel=CHANNEL_ID))
    settings = load_settings(config, {"DISCORD_TOKEN": "test-token"}, str(tmp_path / "v.db"))
    async with bot_running(open_app(settings=settings), ready=on_discord) as runner:
        await runner.deliver()  # the configured channel's one welcome
        [welcome] = standin.in_channel(CHANNEL_ID)
        assert "Verbatim is set up in this channel" in str(welcome)
        del standin.messages[int(welcome["id"])]  # the tests count their own messages
        yield runner, standin
    await standin.stop()
    standin.assert_nothing_refused()


async def test_an_article_alerts_the_discord_channel_and_commands_read_the_store(
    running: tuple[Runner, DiscordStandIn],
) -> None:
    runner, standin = running
    await alert_about(runner, ARTICLE)
    messages = standin.in_channel(CHANNEL_ID)
    assert len(messages) == 1
    embed = messages[0]["embeds"][0]
    assert "Tomas Ekdahl" in embed["title"]
    assert "two million passengers" in embed["description"]
    await runner.deliver()
    assert len(standin.in_channel(CHANNEL_ID)) == 1  # delivered once

    body = await answer_to(standin, slash("quote", words="ferry line"))
    assert "Tomas Ekdahl" in str(body["data"]["embeds"][0])
    await answer_to(standin, slash("topic add", name="ferries", query="ferry*"))
    listed = await answer_to(standin, slash("topic list"))
    assert "ferries: ferry*" in str(listed["data"]["embeds"][0])


async def test_the_digest_posts_once_with_its_chart(running: tuple[Runner, DiscordStandIn]) -> None:
    runner, standin = running
    now = datetime.now(UTC)  # the day that just passed holds the article, by publication
    fresh = replace(ARTICLE, published=now - timedelta(hours=2))
    await alert_about(runner, fresh)
    route = runner.app.monitor.routes[0]
    assert await runner.post_digest(route, now)
    assert not await runner.post_digest(route, now)  # a misfired job run again: not resent
    embeds = [m["embeds"][0] for m in standin.in_channel(CHANNEL_ID)]
    digests = [e for e in embeds if "digest" in e["title"].lower()]
    assert len(digests) == 1
    assert digests[0]["image"]["url"] == "attachment://coverage.png"
    assert "Tomas Ekdahl" in str(digests[0])
    [(name, png)] = standin.uploads
    assert name == "coverage.png" and png.startswith(b"\x89PNG")


BOTH = """
[sources]
sample_feed = false

[slack]
enabled = true
api_base_url = "{slack}"

[discord]
enabled = true
guild_ids = ["4400000000000000101", "{guild}"]
api_base_url = "{base}/api/v10"
gateway_url = "{base}/gateway"

[[channels]]
id = "discord:{channel}"
new_statements = "all"

[[channels]]
id = "slack:C100"
new_statements = "all"
"""


async def test_a_guild_the_bot_is_not_in_stops_neither_discord_nor_slack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17, 3: command sync to a guild the bot is not in is logged; both platforms run."""
    standin, slack = DiscordStandIn(), SlackStandIn()
    await standin.start()
    await slack.start()
    keep_discord_endpoints(monkeypatch)
    config = tmp_path / "verbatim.toml"
    config.write_text(
        BOTH.format(guild=GUILD_ID, base=standin.base, channel=CHANNEL_ID, slack=slack.base_url)
    )
    env = {"DISCORD_TOKEN": "test-token", "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_APP_TOKEN": "xapp-test"}  # fmt: skip
    app = open_app(settings=load_settings(config, env, str(tmp_path / "v.db")))
    try:
        async with bot_running(app, ready=on_discord) as runner:
            await asyncio.wait_for(slack.connected.wait(), 20)
            await slack.envelope("slash_commands", slack_slash(slack, "topic list", name="s"))
            assert (await next_response(slack))["_to"] == "s"  # Slack answers
            body = await answer_to(standin, slash("topic list"))
            assert body["type"] == 4  # and so does Discord, in the guild it is in
            await alert_about(runner, ARTICLE)
            # In each channel: the welcome after its first command, and the alert.
            assert (
                len(standin.in_channel(CHANNEL_ID)) == 2
                and len(slack.called("chat.postMessage")) == 2
            )
            assert (tmp_path / "discord-commands.json").is_file()  # the good guild's sync is kept
    finally:
        await standin.stop()
        await slack.stop()
    standin.assert_nothing_refused()
    slack.assert_nothing_refused()
