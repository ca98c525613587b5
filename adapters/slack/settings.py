"""The Slack section of the settings, validated at start-up with a message naming what is missing.

Tokens come only from the environment; ``api_base_url`` is overridable so the tests can point
the real slack_sdk client at a local stand-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_API_BASE = "https://slack.com/api/"
MODES = ("socket", "http")


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: str
    mode: str = "socket"
    app_token: str | None = None  # Socket Mode (xapp-...)
    signing_secret: str | None = None  # HTTP mode
    port: int = 3000
    host: str = "0.0.0.0"  # HTTP mode: the address to listen on
    path: str = "/slack/events"
    admins: tuple[str, ...] = ()  # user ids allowed to run admin commands
    api_base_url: str = DEFAULT_API_BASE

    @classmethod
    def from_config(cls, section: Mapping[str, Any], env: Mapping[str, str]) -> SlackSettings:
        """From the `[slack]` table and the environment; raise ValueError when incomplete."""
        mode = str(section.get("mode", "socket")).strip().lower()
        if mode not in MODES:
            raise ValueError(f'slack.mode must be "socket" or "http", not {mode!r}')
        bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
        if not bot_token:
            raise ValueError(
                "SLACK_BOT_TOKEN is not set: the Slack app needs its bot token (xoxb-)"
            )
        app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
        secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
        if mode == "socket" and not app_token:
            raise ValueError(
                "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-) "
                'with connections:write; or set slack.mode = "http"'
            )
        if mode == "http" and not secret:
            raise ValueError("SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request")
        port = section.get("port", 3000)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"slack.port must be a port number, not {port!r}")
        path = section.get("path", "/slack/events")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f'slack.path must start with "/", not {path!r}')
        admins = section.get("admins", [])
        if not isinstance(admins, list | tuple) or not all(isinstance(a, str) for a in admins):
            raise ValueError(f"slack.admins must be a list of Slack user ids, not {admins!r}")
        host = section.get("host", "0.0.0.0")
        if not isinstance(host, str) or not host.strip():
            raise ValueError(f"slack.host must be an address to listen on, not {host!r}")
        api = section.get("api_base_url", DEFAULT_API_BASE)
        if not isinstance(api, str) or "://" not in api:
            raise ValueError(f"slack.api_base_url must be a URL, not {api!r}")
        return cls(
            bot_token=bot_token,
            mode=mode,
            app_token=app_token,
            signing_secret=secret,
            port=port,
            host=host.strip(),
            path=path,
            admins=tuple(a.strip() for a in admins),
            api_base_url=api.rstrip("/") + "/",
        )
