"""Thin Slack handlers: acknowledge, run the shared command language, render, answer.

`register(app, backend_factory)` wires the `/verbatim` slash command and the alert buttons
into a slack-bolt `AsyncApp`; every answer goes back through ``respond`` (the response_url),
so a slow backend never misses Slack's three-second acknowledgement.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import (
    FALSE_POSITIVE,
    MUTE,
    SOURCES,
    render_reply,
    render_reply_pages,
)
from bot.core.backend import Caller, CommandBackend
from bot.core.commands import UsageError, parse_command, run_command
from bot.core.models import Reply
from bot.core.ports import BackendCall, call_inline
from bot.core.presentation import PUBLIC

log = logging.getLogger(__name__)

SLASH = "/verbatim"
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def plain_text(text: str) -> str:
    """Slack's escaped command text as typed: links unwrapped, &amp; &lt; &gt; undone."""
    text = _LINK.sub(r"\1", text)
    text = _CHANNEL.sub(r"#\1", text)
    text = _USER.sub(r"@\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


async def is_admin(client: AsyncWebClient, user: str, admins: Collection[str]) -> bool:
    """Listed in ``slack.admins``, or a workspace admin or owner (users.info)."""
    if user in admins:
        return True
    try:
        info = await client.users_info(user=user)
    except Exception as exc:  # no users:read scope, or Slack unreachable: not an admin
        log.info("users.info for %s failed (%s); treating as non-admin", user, exc)
        return False
    profile: dict[str, Any] = info.get("user") or {}
    return bool(profile.get("is_admin") or profile.get("is_owner"))


def button_id(action: str) -> re.Pattern[str]:
    """An alert button's action_id: the action, then the alert id (older messages lack it)."""
    return re.compile(rf"^{re.escape(action)}(?::[0-9]+)?$")


def register(
    app: AsyncApp,
    backend_factory: Callable[[], CommandBackend],
    admins: Collection[str] = (),
    call: BackendCall = call_inline,
) -> None:
    """Add the `/verbatim` command and the alert buttons to ``app``.

    Every backend call goes through ``call``, so the store is only touched from its worker.
    """

    async def caller_of(client: AsyncWebClient, channel: str, user: str) -> Caller:
        admin = await is_admin(client, user, admins)
        return Caller(channel=f"slack:{channel}", user=user, is_admin=admin)

    async def answer(respond: Any, reply: Reply, *, public: bool = False) -> None:
        """One message per page: a long answer arrives in order, never cut without a word."""
        kind = "in_channel" if public and reply.ok else "ephemeral"
        for page in render_reply_pages(reply):
            await respond(response_type=kind, replace_original=False, **page)

    @app.command(SLASH)
    async def verbatim(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        try:
            parsed = parse_command(plain_text(command.get("text") or ""))
        except UsageError as exc:
            await ack(response_type="ephemeral", **render_reply(Reply(title=str(exc), ok=False)))
            return
        await ack()
        caller = await caller_of(client, command["channel_id"], command["user_id"])
        try:
            reply = await call(run_command, parsed, caller, backend_factory())
        except Exception:
            log.exception("/verbatim %s failed", parsed.name)
            reply = Reply(title=f"/verbatim {parsed.name} failed; the error is logged.", ok=False)
        await answer(respond, reply, public=parsed.name in PUBLIC)

    async def on_button(
        body: dict[str, Any], respond: Any, client: Any, run: Callable[[Caller, int], Reply]
    ) -> None:
        action = body["actions"][0]
        channel = (body.get("channel") or {}).get("id", "")
        caller = await caller_of(client, channel, body["user"]["id"])
        try:
            reply = await call(run, caller, int(action["value"]))
        except (KeyError, ValueError) as exc:
            reply = Reply(title=f"This button carries no valid id ({exc}).", ok=False)
        except Exception:
            log.exception("button %s failed", action.get("action_id"))
            reply = Reply(title="That did not work; the error is logged.", ok=False)
        await answer(respond, reply)

    @app.action(button_id(MUTE))
    async def mute(ack: Any, body: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        await on_button(body, respond, client, lambda c, i: backend_factory().mute(c, i))

    @app.action(button_id(FALSE_POSITIVE))
    async def false_positive(ack: Any, body: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        await on_button(body, respond, client, lambda c, i: backend_factory().false_positive(c, i))

    @app.action(button_id(SOURCES))
    async def sources(ack: Any, body: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        await on_button(body, respond, client, lambda c, i: backend_factory().sources(i))
