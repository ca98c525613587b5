"""The small Protocols the core talks through (storage and adapters implement them), and the
`BackendCall` a chat adapter runs backend calls through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.core.models import Alert, Reply


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in UTC: the one clock the bootstrap hands to whatever reads the time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a notifier reports back after posting one alert."""

    message_ref: str  # platform message id (Slack ts, Discord message id, console line no.)
    thread_ref: str | None = None  # the thread later alerts of the same statement reply in


class Notifier(Protocol):
    """Posts alerts to one chat platform. ``platform`` is the prefix of channel ids."""

    platform: str

    async def send(self, alert: Alert, thread_ref: str | None) -> Delivery:
        """Post one alert, replying in ``thread_ref`` when given. Raise to retry later."""
        ...

    async def update_thread(self, thread_ref: str, channel: str, summary: Reply) -> None:
        """Refresh the statement's thread head (e.g. "picked up by 14 outlets")."""
        ...


async def post_once(
    alert: Alert,
    find: Callable[[], Awaitable[Delivery | None]],
    post: Callable[[], Awaitable[Delivery]],
) -> Delivery:
    """Post ``alert`` once: a retried alert (``attempts``) may have been posted by the try whose
    answer was lost, so it is looked for (``find``) before it is posted again."""
    if alert.attempts:
        found = await find()
        if found is not None:
            return found
    return await post()


# Runs one backend call for a chat adapter: the bootstrap passes its database worker
# (`Runner.in_worker`); tests and in-memory backends call inline.
BackendCall = Callable[..., Awaitable[Any]]


async def call_inline(fn: Callable[..., Any], *args: Any) -> Any:
    """The default `BackendCall`: call the backend on the event loop (fine in memory)."""
    return fn(*args)
