"""The [slack] section and environment: complete settings or a message naming what is missing."""

from __future__ import annotations

import pytest

from adapters.slack.settings import SlackSettings

SOCKET_ENV = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}


def test_socket_mode_is_the_default() -> None:
    settings = SlackSettings.from_config({}, SOCKET_ENV)
    assert settings.mode == "socket"
    assert settings.app_token == "xapp-1"
    assert settings.api_base_url == "https://slack.com/api/"


def test_http_mode_needs_the_signing_secret() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3"}
    settings = SlackSettings.from_config(
        {"mode": "http", "port": 8080, "path": "/hooks/slack", "admins": ["U9"]}, env
    )
    assert (settings.port, settings.path, settings.admins) == (8080, "/hooks/slack", ("U9",))
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
        SlackSettings.from_config({"mode": "http"}, {"SLACK_BOT_TOKEN": "xoxb-1"})


@pytest.mark.parametrize(
    ("section", "env", "named"),
    [
        ({}, {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({}, {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"mode": "webhook"}, SOCKET_ENV, "slack.mode"),
        ({"port": "3000"}, SOCKET_ENV, "slack.port"),
        ({"path": "events"}, SOCKET_ENV, "slack.path"),
        ({"admins": "U1"}, SOCKET_ENV, "slack.admins"),
        ({"api_base_url": "localhost"}, SOCKET_ENV, "slack.api_base_url"),
    ],
)
def test_incomplete_settings_name_the_problem(section: dict, env: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        SlackSettings.from_config(section, env)


def test_the_api_base_gets_its_trailing_slash() -> None:
    settings = SlackSettings.from_config({"api_base_url": "http://127.0.0.1:9/api"}, SOCKET_ENV)
    assert settings.api_base_url == "http://127.0.0.1:9/api/"
