"""`verbatim doctor` on the embedded defaults (console, exit 0), as a script (--json), and against
the Slack and Discord stand-ins: every check passing, then each one failing with what to fix."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.app.settings import load_settings
from bot.entrypoints.cli.doctor import Finding, diagnose
from tests.adapters.discord.standin import (
    CHANNEL_ID,
    GUILD_ID,
    DiscordStandIn,
    keep_discord_endpoints,
)
from tests.adapters.httpserver import serve
from tests.adapters.slack.standin import SlackStandIn
from tests.conftest import run_cli

ENV = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_APP_TOKEN": "xapp-test",
    "DISCORD_TOKEN": "test-token",
}
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
CONFIG = """
[sources]
sample_feed = false
allow_private_hosts = ["127.0.0.1"]

[slack]
enabled = true
api_base_url = "{slack}"

[discord]
enabled = true
guild_ids = ["{guild}"]
api_base_url = "{discord}/api/v10"
gateway_url = "{discord}/gateway"

[[channels]]
id = "slack:C100"

[[channels]]
id = "discord:{channel}"

[[feeds]]
url = "{feed}"
"""


def test_on_the_embedded_defaults_it_reports_the_console_setup_and_passes(tmp_path: Path) -> None:
    done = run_cli("doctor", "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok    chat: console only" in done.stdout
    assert "ok    database: " in done.stdout and "will be created" in done.stdout
    assert not (tmp_path / "v.db").exists()  # the doctor looks, it does not create
    as_json = run_cli("doctor", "--json", "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    report = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and report["ok"] is True
    assert {c["check"] for c in report["checks"]} >= {"settings", "database", "chat", "feeds"}


def test_a_bad_setting_and_an_unwritable_database_fail_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    config = tmp_path / "verbatim.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "afile" / "v.db"}"\n')
    done = run_cli("doctor", "--json", "--config", str(config), cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["ok"] is False
    [database] = [c for c in report["checks"] if c["check"] == "database"]
    assert not database["ok"] and "cannot be created" in database["detail"]
    config.write_text("[slack]\nenabled = true\n")
    done = run_cli("doctor", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 1
    assert "FAIL  slack settings: SLACK_BOT_TOKEN is not set" in done.stdout


@pytest.fixture
async def servers(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[SlackStandIn, DiscordStandIn]]:
    slack, disc = SlackStandIn(), DiscordStandIn()
    await slack.start()
    await disc.start()
    keep_discord_endpoints(monkeypatch)
    yield slack, disc
    await slack.stop()
    await disc.stop()


async def doctor(
    tmp_path: Path, servers: tuple[SlackStandIn, DiscordStandIn], *edits: tuple[str, str]
) -> dict[str, Finding]:
    """The findings for the stand-ins' config, with ``edits`` (old, new) made to its text."""
    slack, disc = servers
    with serve({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, FEED)}) as site:
        text = CONFIG.format(slack=slack.base_url, discord=disc.base, guild=GUILD_ID,
                             channel=CHANNEL_ID, feed=site.url("/feed.xml"))  # fmt: skip
        for old, new in edits:
            assert old in text
            text = text.replace(old, new)
        config = tmp_path / "verbatim.toml"
        config.write_text(text)
        settings = load_settings(config, ENV, str(tmp_path / "v.db"))
        findings = await diagnose(settings)
    return {name: (name, ok, detail) for name, ok, detail in findings}


def failed(found: dict[str, Finding]) -> dict[str, str]:
    return {name: detail for name, ok, detail in found.values() if not ok}


async def test_against_the_stand_ins_every_check_passes(
    tmp_path: Path, servers: tuple[SlackStandIn, DiscordStandIn]
) -> None:
    found = await doctor(tmp_path, servers)
    assert failed(found) == {}
    assert {"slack token", "slack scopes", "slack socket mode", "slack channel C100",
            "discord token", "discord intents", "discord invite", f"discord guild {GUILD_ID}",
            f"discord channel {CHANNEL_ID}"} <= set(found)  # fmt: skip
    assert "permissions=309237763072" in found["discord invite"][2]


async def test_each_slack_check_fails_with_what_to_fix(
    tmp_path: Path, servers: tuple[SlackStandIn, DiscordStandIn]
) -> None:
    slack, _ = servers
    slack.scopes = ("chat:write", "commands")
    slack.app_token = "xapp-another"
    more = ("slack:C100", 'slack:COUT"\n\n[[channels]]\nid = "slack:CGONE')
    found = failed(await doctor(tmp_path, servers, more))
    assert "missing files:write, users:read" in found["slack scopes"]
    assert "connections:write" in found["slack socket mode"]
    assert "/invite @Verbatim" in found["slack channel COUT"]
    assert "channel_not_found" in found["slack channel CGONE"]
    slack.bot_token = "xoxb-another"
    found = failed(await doctor(tmp_path, servers))
    assert "SLACK_BOT_TOKEN" in found["slack token"]


async def test_each_discord_check_fails_with_what_to_fix(
    tmp_path: Path, servers: tuple[SlackStandIn, DiscordStandIn]
) -> None:
    _, disc = servers
    attach = discord.Permissions(attach_files=True, read_message_history=True).value
    disc.overwrites[CHANNEL_ID] = [{"id": str(GUILD_ID), "type": 0, "allow": "0",
                                    "deny": str(attach)}]  # fmt: skip
    missing = 4400000000000000101
    gone = 4400000000000000299
    guilds = (str(GUILD_ID), f'{GUILD_ID}", "{missing}')
    channels = ("[[feeds]]", f'[[channels]]\nid = "discord:{gone}"\n\n[[feeds]]')
    found = failed(await doctor(tmp_path, servers, guilds, channels))
    assert "missing Attach Files, Read Message History" in found[f"discord channel {CHANNEL_ID}"]
    assert "not in that server" in found[f"discord guild {missing}"]
    assert "View Channel" in found[f"discord channel {gone}"]
    assert f"discord guild {GUILD_ID}" not in found
    disc.token = "another-token"
    found = failed(await doctor(tmp_path, servers))
    assert "DISCORD_TOKEN" in found["discord token"]


async def test_a_dead_feed_and_a_route_to_a_missing_platform_fail(
    tmp_path: Path, servers: tuple[SlackStandIn, DiscordStandIn]
) -> None:
    console = ("[[feeds]]", '[[channels]]\nid = "console:x"\n[[feeds]]')
    found = await doctor(tmp_path, servers, ("/feed.xml", "/gone.xml"), console)
    problems = failed(found)
    [feed] = [name for name in problems if name.startswith("feed ")]
    assert "404" in problems[feed]
    assert "console is not set up" not in str(problems)  # the console is on by default
    found = await doctor(
        tmp_path, servers, ("[discord]\nenabled = true", "[discord]\nenabled = false")
    )
    assert "discord is not set up" in failed(found)[f"channel discord:{CHANNEL_ID}"]
