"""What `verbatim doctor` asks Slack: the token, its scopes, the app token, each channel.

Each check is one finding ``(name, ok, detail)``; a failing one's detail says what to fix. The
calls are read-only (``auth.test``, ``apps.connections.open``, ``conversations.history`` of one
message), so the doctor can run beside a running bot.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.settings import SlackSettings

Finding = tuple[str, bool, str]  # (what was checked, passed, what it found or how to fix it)
# The bot scopes config/slack-manifest.yaml asks for, each needed by something the bot does.
REQUIRED_SCOPES = ("chat:write", "commands", "files:write", "users:read", "channels:history",
                   "groups:history")  # fmt: skip
CHANNEL_FIX = {
    "not_in_channel": "the bot is not in it: /invite @Verbatim in that channel",
    "channel_not_found": "no such channel, or a private one the bot was never invited to",
    "missing_scope": "the token lacks channels:history / groups:history: reinstall the app",
}


SCOPE_FIX = "add them under OAuth & Permissions (or from config/slack-manifest.yaml), reinstall"


def missing_scopes(granted_header: str | None) -> list[str]:
    """The required scopes an ``x-oauth-scopes`` header (auth.test's answer) lacks."""
    granted = {s.strip() for s in (granted_header or "").split(",") if s.strip()}
    return [s for s in REQUIRED_SCOPES if s not in granted] if granted else []


async def check_slack(settings: SlackSettings, channels: Sequence[str]) -> list[Finding]:
    """Token, scopes, the Socket Mode app token, and the bot's membership of ``channels``."""
    client = AsyncWebClient(token=settings.bot_token, base_url=settings.api_base_url)
    findings: list[Finding] = []
    try:
        auth = await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        fix = "copy the Bot User OAuth Token (xoxb-) into SLACK_BOT_TOKEN again"
        return [("slack token", False, f"Slack refused SLACK_BOT_TOKEN ({error}): {fix}")]
    except OSError as exc:
        return [("slack token", False, f"Slack is unreachable at {settings.api_base_url}: {exc}")]
    team, user = auth.get("team") or auth.get("team_id"), auth.get("user_id")
    findings.append(("slack token", True, f"valid: bot user {user} in workspace {team}"))
    header = auth.headers.get("x-oauth-scopes")
    missing = missing_scopes(header)
    if not (header or "").strip():
        findings.append(("slack scopes", False, "Slack did not say which scopes the token has"))
    elif missing:
        findings.append(("slack scopes", False, f"missing {', '.join(missing)}: {SCOPE_FIX}"))
    else:
        findings.append(("slack scopes", True, ", ".join(REQUIRED_SCOPES)))
    findings.append(await _transport(settings))
    for channel in channels:
        findings.append(await _channel(client, channel))
    return findings


async def _transport(settings: SlackSettings) -> Finding:
    if settings.mode == "http":
        return ("slack http mode", True, f"signing secret set; serving {settings.path}")
    app = AsyncWebClient(base_url=settings.api_base_url)
    try:
        await app.apps_connections_open(app_token=settings.app_token or "")
    except SlackApiError as exc:
        fix = "generate an app-level token with connections:write into SLACK_APP_TOKEN"
        return ("slack socket mode", False, f"refused ({exc.response.get('error')}): {fix}")
    except OSError as exc:
        return ("slack socket mode", False, f"unreachable: {exc}")
    return ("slack socket mode", True, "the app token may open connections")


async def _channel(client: AsyncWebClient, channel: str) -> Finding:
    name = f"slack channel {channel}"
    try:
        await client.conversations_history(channel=channel, limit=1)
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        return (name, False, f"{error}: {CHANNEL_FIX.get(error, 'see docs/slack.md')}")
    except OSError as exc:
        return (name, False, f"unreachable: {exc}")
    return (name, True, "the bot is in it")
