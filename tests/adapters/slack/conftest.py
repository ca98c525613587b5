"""Fixtures: a running Slack stand-in and settings that point the real clients at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.settings import SlackSettings
from tests.adapters.slack.fake_backend import RecordingBackend
from tests.adapters.slack.standin import SlackStandIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn(admins={"UADMIN"})
    await server.start()
    yield server
    await server.stop()


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
