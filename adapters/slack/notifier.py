"""Posts alerts to Slack channels: threads, the thread-head counter, and a per-channel pace.

At most one message per second goes to a channel (Slack's posting limit); alerts that arrive
while a channel waits are folded into one message instead of dropped, and a 429 is retried by
the client's rate-limit handler after ``Retry-After``, so each alert is posted exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import REF_BLOCK, Message, fold_alerts, with_counter
from bot.core.delivery_errors import PermanentDeliveryError
from bot.core.models import Alert, Reply
from bot.core.ports import Delivery, post_once

log = logging.getLogger(__name__)
RECHECK_MESSAGES = 200  # recent messages searched for an alert whose delivery failed

HEADS_KEPT = 2000
# Web API errors that sending the same alert again cannot cure, with what to do about each.
PERMANENT = {
    "channel_not_found": "the channel does not exist or the bot cannot see it",
    "not_in_channel": "the bot is not in the channel: /invite @Verbatim there",
    "is_archived": "the channel is archived",
    "restricted_action": "the workspace does not let the bot post in this channel",
    "msg_blocks_too_long": "the message is too long for Slack (a rendering bug: report it)",
    "invalid_blocks": "Slack refused the message's blocks (a rendering bug: report it)",
}


def permanent(exc: Exception) -> Exception:
    """A refusal that will never succeed as `PermanentDeliveryError`; other errors as they are."""
    if isinstance(exc, SlackApiError):
        code = str(exc.response.get("error") or "")
        if code in PERMANENT:
            failure = PermanentDeliveryError("slack", code, PERMANENT[code])
            failure.__cause__ = exc
            return failure
    return exc


def channel_id(channel: str) -> str:
    """ "slack:C123" -> "C123"; refuse other platforms' channels."""
    platform, _, ident = channel.partition(":")
    if platform != "slack" or not ident:
        raise ValueError(f"{channel!r} is not a Slack channel id like 'slack:C0123'")
    return ident


@dataclass
class _Pending:
    alert: Alert
    thread_ref: str | None
    done: asyncio.Future[Delivery] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def batchable(self) -> bool:
        # A statement's first alert opens its own thread, so it is never folded with others.
        return not (self.thread_ref is None and self.alert.thread_key)


class SlackNotifier:
    """The `Notifier` for channels named ``slack:<channel id>``."""

    platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        min_interval: float = 1.0,
        batch_max: int = 8,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._min_interval = min_interval
        self._batch_max = batch_max
        self._clock = clock
        self._queues: dict[str, list[_Pending]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_post: dict[str, float] = {}
        self._heads: OrderedDict[tuple[str, str], Message] = OrderedDict()

    async def send(self, alert: Alert, thread_ref: str | None) -> Delivery:
        # A failed try may have reached Slack before the connection broke, and Slack has no
        # idempotency key: a retried alert is looked for in the channel before it is posted.
        channel = channel_id(alert.channel)
        return await post_once(
            alert,
            lambda: self._already_posted(channel, alert, thread_ref),
            lambda: self._queue(channel, alert, thread_ref),
        )

    async def _queue(self, channel: str, alert: Alert, thread_ref: str | None) -> Delivery:
        """Post ``alert`` in its turn: with the alerts queued for ``channel`` meanwhile."""
        pending = _Pending(alert, thread_ref)
        self._queues.setdefault(channel, []).append(pending)
        async with self._locks.setdefault(channel, asyncio.Lock()):
            if not pending.done.done():
                await self._post_next(channel, pending)
        return await pending.done

    async def _post_next(self, channel: str, first: _Pending) -> None:
        wait = self._last_post.get(channel, -1e9) + self._min_interval - self._clock()
        if wait > 0:
            await asyncio.sleep(wait)  # alerts arriving meanwhile join this message
        queue = self._queues[channel]
        batch = [first]
        if first.batchable:
            batch += [
                p
                for p in queue
                if p is not first and p.batchable and p.thread_ref == first.thread_ref
            ][: self._batch_max - 1]
        # As many as fit in one message; the rest stay queued for the next post.
        message, used = fold_alerts([p.alert for p in batch])
        batch = batch[:used]
        for item in batch:
            queue.remove(item)
        try:
            response = await self._client.chat_postMessage(
                channel=channel,
                text=message["text"],
                blocks=message["blocks"],
                thread_ts=first.thread_ref,
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as exc:
            failure = permanent(exc)
            for item in batch:
                item.done.set_exception(failure)
            return
        finally:
            self._last_post[channel] = self._clock()
        ts = str(response["ts"])
        if first.thread_ref is None:
            self._remember_head(channel, ts, message)
        for item in batch:
            if item.alert.event.attachment:
                await self._attach(channel, item.alert.event.attachment, first.thread_ref or ts)
        for item in batch:
            item.done.set_result(Delivery(message_ref=ts, thread_ref=first.thread_ref or ts))

    async def _already_posted(
        self, channel: str, alert: Alert, thread_ref: str | None
    ) -> Delivery | None:
        """The earlier delivery of ``alert`` when Slack holds a message with its buttons."""
        wanted = {f"alert_{alert.id}", f"{REF_BLOCK}{alert.id}"}  # buttons, or the id line
        try:
            if thread_ref is not None:
                response = await self._client.conversations_replies(
                    channel=channel, ts=thread_ref, limit=RECHECK_MESSAGES
                )
            else:
                response = await self._client.conversations_history(
                    channel=channel,
                    oldest=f"{alert.created.timestamp() - 60:.6f}",
                    limit=RECHECK_MESSAGES,
                )
        except Exception as exc:  # cannot tell: post again rather than lose the alert
            log.warning("could not check whether alert %s went out: %s", alert.id, exc)
            return None
        for message in response.get("messages") or []:
            blocks = message.get("blocks") or []
            if any(b.get("block_id") in wanted for b in blocks):
                ts = str(message["ts"])
                log.info("alert %s had reached %s before its failure; not posted again",
                         alert.id, channel)  # fmt: skip
                return Delivery(message_ref=ts, thread_ref=thread_ref or ts)
        return None

    async def _attach(self, channel: str, path: str, thread_ts: str) -> None:
        """Upload a file (a digest's chart) into the message's thread; the message is already
        out, so a failed upload is logged, never raised (a retry would post it twice)."""
        file = Path(path)
        if not file.is_file():
            log.warning("attachment %s is gone; the message went without it", path)
            return
        try:
            await self._client.files_upload_v2(
                channel=channel, file=str(file), filename=file.name, title="Coverage chart",
                thread_ts=thread_ts,
            )  # fmt: skip
        except Exception as exc:
            log.warning("chart %s not attached in %s: %s", file.name, channel, exc)

    def _remember_head(self, channel: str, ts: str, message: Message) -> None:
        self._heads[(channel, ts)] = message
        while len(self._heads) > HEADS_KEPT:
            self._heads.popitem(last=False)

    async def update_thread(self, thread_ref: str, channel: str, summary: Reply) -> None:
        """Rewrite the thread head with its "picked up by N outlets" line."""
        ident = channel_id(channel)
        head = self._heads.get((ident, thread_ref)) or await self._fetch_head(ident, thread_ref)
        updated = with_counter(head, summary)
        await self._client.chat_update(
            channel=ident, ts=thread_ref, text=updated["text"], blocks=updated["blocks"]
        )
        self._remember_head(ident, thread_ref, updated)

    async def _fetch_head(self, channel: str, ts: str) -> Message:
        """The head as Slack holds it (after a restart the notifier no longer remembers it)."""
        response = await self._client.conversations_history(
            channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        messages: list[dict[str, Any]] = list(response.get("messages") or [])
        if not messages:
            raise LookupError(f"thread head {ts} not found in {channel}")
        found = messages[0]
        return {"text": found.get("text", ""), "blocks": found.get("blocks", [])}
