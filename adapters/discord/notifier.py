"""`DiscordNotifier`: posts alerts over Discord's REST API, one thread per statement.

The first alert of a statement is posted in the channel and a thread is started from it; the
thread's id is the head message's id, so later alerts reply there and `update_thread` edits the
head's counter line. Each post carries a nonce derived from the alert key with `enforce_nonce`,
so a retried post after a lost response cannot appear twice within the few minutes Discord
keeps a nonce; a retry later than that first looks for the alert (by its footer) in the channel
or thread. discord.py waits out 429s itself. A refusal that no retry can cure (403 Missing
Permissions, 404 Unknown Channel) is raised as `PermanentDeliveryError`.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import discord

from adapters.discord.buttons import alert_view
from adapters.discord.render import CONTENT_MAX, clip, render_alert, thread_name
from bot.core.delivery_errors import PermanentDeliveryError
from bot.core.models import Alert, Reply
from bot.core.ports import Delivery, post_once
from bot.core.presentation import alert_ref

log = logging.getLogger(__name__)
CHART_NAME = "coverage.png"

THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: a story's coverage arrives over days
RECHECK_MESSAGES = 100  # recent messages searched for an alert whose delivery failed
NO_MENTIONS = discord.AllowedMentions.none()  # quoted words never ping anyone


def mention_content(mention: str | None) -> tuple[str, discord.AllowedMentions] | None:
    """The message text that pings a channel's mention, and the only mention it allows:
    ``@here``, ``@everyone`` (for "@channel") or a role (``<@&id>``)."""
    if not mention:
        return None
    if mention in ("@here", "@channel"):
        text = "@here" if mention == "@here" else "@everyone"
        return text, discord.AllowedMentions(everyone=True, users=False, roles=False)
    if not mention.isdigit():  # a Slack user group id: nothing to ping on Discord
        return None
    role = discord.Object(int(mention))
    return f"<@&{mention}>", discord.AllowedMentions(everyone=False, users=False, roles=[role])


FIX = {
    403: "the bot lacks a permission there (View Channel, Send Messages, Embed Links, Attach "
    "Files, Read Message History, threads): see docs/discord.md",
    404: "the channel or thread no longer exists, or the bot cannot see it",
}


def permanent(exc: discord.HTTPException) -> Exception:
    """403 and 404 as `PermanentDeliveryError` (sending again cannot help); others as they are."""
    if exc.status in FIX:
        code = str(exc.code or exc.status)
        return PermanentDeliveryError("discord", code, f"{FIX[exc.status]} ({exc.text})")
    return exc


def channel_id(channel: str) -> int:
    """The numeric id in ``"discord:<channel id>"``; a clear error for anything else."""
    platform, _, ident = channel.partition(":")
    if platform != "discord" or not (ident.isascii() and ident.isdigit()):
        raise ValueError(f'{channel!r} is not a Discord channel id ("discord:<channel id>")')
    return int(ident)


def nonce_for(alert: Alert) -> str:
    """A stable nonce (Discord allows 25 characters) for one alert's one message."""
    return hashlib.sha256(alert.key.encode()).hexdigest()[:25]


class DiscordNotifier:
    """Implements `bot.core.ports.Notifier` for ``discord:`` channels."""

    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, alert: Alert, thread_ref: str | None) -> Delivery:
        # The nonce is honoured for a few minutes only: a retried alert is looked for first.
        channel = channel_id(alert.channel)
        try:
            return await post_once(
                alert,
                lambda: self._already_posted(channel, alert, thread_ref),
                lambda: self._post(channel, alert, thread_ref),
            )
        except discord.HTTPException as exc:
            raise permanent(exc) from exc

    async def _post(self, channel: int, alert: Alert, thread_ref: str | None) -> Delivery:
        embed = discord.Embed.from_dict(render_alert(alert))
        view = alert_view(alert)
        extra: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        ping = mention_content(alert.event.mention)
        if ping is not None:  # this message only may ping: the embed's quoted words never do
            extra["content"], extra["allowed_mentions"] = ping
        if view is not None:
            extra["view"] = view
        chart = Path(alert.event.attachment) if alert.event.attachment else None
        if chart is not None and chart.is_file():
            # The embed shows the attached PNG (a digest's coverage chart) as its image.
            extra["file"] = discord.File(chart, filename=CHART_NAME)
            embed.set_image(url=f"attachment://{CHART_NAME}")
        nonce = nonce_for(alert)
        if thread_ref is not None:
            thread = self.client.get_partial_messageable(int(thread_ref))
            try:
                message = await thread.send(embed=embed, nonce=nonce, **extra)
            except discord.NotFound:
                # The head was posted but its thread never opened (or was deleted): open it now.
                await self._open_thread(channel, int(thread_ref), alert)
                message = await thread.send(embed=embed, nonce=nonce, **extra)
            return Delivery(message_ref=str(message.id), thread_ref=thread_ref)
        target = self.client.get_partial_messageable(channel)
        message = await target.send(embed=embed, nonce=nonce, **extra)
        if alert.thread_key is None:
            return Delivery(message_ref=str(message.id))
        try:
            await self._open_thread(channel, message.id, alert)
        except discord.HTTPException as exc:
            # The message is out: never raise now (a retry would post it twice). The thread is
            # opened when the statement's next alert arrives.
            log.warning("thread for alert %s not opened yet: %s", alert.id, exc)
        return Delivery(message_ref=str(message.id), thread_ref=str(message.id))

    async def _already_posted(
        self, channel: int, alert: Alert, thread_ref: str | None
    ) -> Delivery | None:
        """The earlier delivery of ``alert`` when the channel or thread holds it already."""
        where = int(thread_ref) if thread_ref is not None else channel
        since = discord.utils.time_snowflake(alert.created - timedelta(minutes=1))
        try:
            messages = await self.client.http.logs_from(where, RECHECK_MESSAGES, after=since)
        except discord.HTTPException as exc:  # cannot tell: post again rather than lose it
            log.warning("could not check whether alert %s went out: %s", alert.id, exc)
            return None
        wanted = alert_ref(alert)
        for message in messages:
            embeds: list[Any] = list(message.get("embeds") or [])
            footers = [dict(e.get("footer") or {}).get("text") for e in embeds]
            if wanted in footers:
                log.info("alert %s had reached %s before its failure; not posted again",
                         alert.id, where)  # fmt: skip
                ident = str(message["id"])
                head = ident if alert.thread_key and thread_ref is None else thread_ref
                return Delivery(message_ref=ident, thread_ref=head)
        return None

    async def _open_thread(self, channel: int, message_id: int, alert: Alert) -> None:
        await self.client.http.start_thread_with_message(
            channel,
            message_id,
            name=thread_name(alert),
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )

    async def update_thread(self, thread_ref: str, channel: str, summary: Reply) -> None:
        """Rewrite the head message's text line; its embed (the first alert) stays as it is."""
        head = self.client.get_partial_messageable(channel_id(channel))
        message = head.get_partial_message(int(thread_ref))
        await message.edit(content=clip(summary.title, CONTENT_MAX), allowed_mentions=NO_MENTIONS)
