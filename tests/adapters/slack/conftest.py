"""Fixtures: a running Slack stand-in and settings that point the real clients at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.slack.settings import SlackSettings
from tests.adapters.slack.standin import SlackStandIn
from tests.fakes import RecordingBackend

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn(admins={"UADMIN"})
    await server.start()
    yield server
    await server.stop()
    server.assert_nothing_refused()


@pytest.fixture
def backend() -> RecordingBackend:
    return RecordingBackend()


def socket_settings(standin: SlackStandIn) -> SlackSettings:
    return SlackSettings(
        bot_token="xoxb-test", app_token="xapp-test", api_base_url=standin.base_url
    )


def http_settings(standin: SlackStandIn) -> SlackSettings:
    return SlackSettings(
        bot_token="xoxb-test",
        mode="http",
        signing_secret=SECRET,
        host="127.0.0.1",
        port=0,
        api_base_url=standin.base_url,
    )


def slash(standin: SlackStandIn, text: str, user: str = "U1", name: str = "r1") -> dict[str, Any]:
    return {
        "command": "/verbatim",
        "text": text,
        "team_id": "T1",
        "channel_id": "C100",
        "user_id": user,
        "trigger_id": "t1",
        "response_url": standin.response_url(name),
    }


def click(standin: SlackStandIn, action_id: str, value: str, name: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C100"},
        "trigger_id": "t2",
        "response_url": standin.response_url(name),
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "alert_7", "value": value}
        ],
    }


async def next_response(standin: SlackStandIn) -> dict[str, Any]:
    return await asyncio.wait_for(standin.responses.get(), 10)
