"""The ports: the small Protocols the core and the app layer talk through, which storage and
the adapters implement (structurally: they never import this), the values they hand back, and
the `BackendCall` a chat adapter runs backend calls through.

`bot.bootstrap` builds the implementations and hands them in; the app layer (`bot.app`)
imports these and never `storage` or `adapters`. The monitor's own store, the outbox the
delivery rounds read and the stages' sources are declared beside the core code that uses them
(`bot.core.monitor.MonitorStore`, `bot.core.delivery.OutboxPort`, `bot.core.stages`)."""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from bot.core.digest import Digest
from bot.core.models import Alert, Event, EventType, Feed, Reply, Statement, Topic, Variant
from bot.core.routing import ChannelRoute
from bot.core.story import Story


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


# -- the app layer's ports (`bot.app`); `bot.bootstrap` wires the implementations named -------
class Statements(Protocol):
    """The stored statements and routing the command backend changes (`storage.store.Store`)."""

    def add_tracked_statement(
        self, text: str, speaker: str | None
    ) -> tuple[int, Statement | None]: ...
    def statements_by_id(self, ids: Sequence[int]) -> dict[int, Statement]: ...
    def save_route(self, route: ChannelRoute, user: str) -> None: ...


class AlertBook(Protocol):
    """The outbox as commands see it: queue a message, look an alert up, mute, mark a false
    positive (`storage.outbox.Outbox`)."""

    def enqueue_alert(
        self, key: str, channel: str, event: Event, thread_key: str | None
    ) -> bool: ...
    def alert(self, alert_id: int) -> Alert | None: ...
    def thread_ref(self, channel: str, thread_key: str) -> str | None: ...
    def mute(self, channel: str, statement_id: int) -> None: ...
    def mark_false_positive(
        self, channel: str, statement_id: int, event_type: EventType
    ) -> None: ...


class StatementLookups(Protocol):
    """Finding statements by words, speaker or id (`storage.store.Lookups`)."""

    def search_statements(self, words: str, limit: int = 5) -> list[Statement]: ...
    def variants(self, statement_id: int) -> list[Variant]: ...
    def statements_by_speaker(self, name: str, limit: int = 10) -> list[Statement]: ...
    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]: ...


class HistoryReader(Protocol):
    """What happened, when: one statement's story and a period's events, for stories and
    digests (`storage.history.History`)."""

    def story(self, query: str) -> Story | None: ...
    def events_between(self, start: datetime, end: datetime) -> list[tuple[datetime, Event]]: ...
    def statements_by_id(self, ids: Sequence[int]) -> dict[int, Statement]: ...


class Subscriptions(Protocol):
    """The watched feeds (`storage.feeds.FeedStore`); raises `bot.core.errors.FeedError`. The
    app names a new feed's channel and interval itself, so the store's defaults for them are
    not restated here."""

    def get(self, key: str | int) -> Feed | None: ...
    def add(
        self, url: str, channel: str | None, interval: int, title: str = "", *, backfill: int = 0
    ) -> Feed: ...
    def list(self, channel: str | None = None) -> builtins.list[Feed]: ...
    def remove(self, url: str) -> bool: ...


class TopicBook(Protocol):
    """Each channel's saved topics (`storage.topics.TopicStore`); raises
    `bot.core.errors.TopicError` and `bot.core.topics.QueryError`."""

    def add(self, channel: str, name: str, query: str) -> Topic: ...
    def list(self, channel: str | None = None) -> builtins.list[Topic]: ...
    def remove(self, channel: str, name: str) -> bool: ...


class RouteOptionsBook(Protocol):
    """A channel's options set from chat beside its routing: the weekly digest's day, the
    mention (`storage.route_options.RouteOptions`)."""

    def save(self, route: ChannelRoute, user: str) -> None: ...


class ChartDrawer(Protocol):
    """Draws a digest's coverage chart as a PNG at ``path`` (`adapters.chart`)."""

    def __call__(self, digest: Digest, path: Path) -> Path: ...


class OpmlReader(Protocol):
    """Reads an OPML export into (feed url, title) pairs, saying in ``skipped`` why each other
    outline is left out; raises `bot.core.errors.OpmlError` (`adapters.opml.parse_opml`)."""

    def __call__(
        self, text: str, skipped: builtins.list[str] | None = None
    ) -> builtins.list[tuple[str, str]]: ...


@dataclass(frozen=True)
class FeedCheck:
    """What one fetch of a feed found when it was added (`adapters.feeds.check_feed`)."""

    title: str
    entries: int
    newest: datetime | None
    problem: str | None = None  # a failure that may pass (a server error, a timeout)
    url: str = ""  # the feed's own address: a home page given for it names it
    quotes: int = 0  # quotes in the feed text of the newest entries sampled
    sampled: int = 0
    page: str | None = None  # the page the feed was found from

    def describe(self) -> str:
        if self.problem is not None:
            return (
                f"It could not be read just now ({self.problem}); it is polled with backoff,"
                " and a notice comes if it stays down."
            )
        name = f"“{self.title}”" if self.title else "an untitled feed"
        found = f"{self.page} names {self.url}: " if self.page else ""
        newest = f", the newest from {self.newest:%Y-%m-%d}" if self.newest else ""
        noun = "entry" if self.entries == 1 else "entries"
        said = ""
        if self.sampled:
            quotes = "1 quote" if self.quotes == 1 else f"{self.quotes or 'no'} quotes"
            newest_n = "the newest entry" if self.sampled == 1 else f"the {self.sampled} newest"
            said = f"; {quotes} in {newest_n}"
        return f"{found}Found {name}: {self.entries} {noun}{newest}{said}."


# Fetches a feed once as it is added, its address checked first: what it holds, or `FeedError`
# saying why it is no feed (`bot.bootstrap.feed_checker`).
FeedChecker = Callable[[str], FeedCheck]
