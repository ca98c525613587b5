"""Fakes of the ports and of the command backend: they record what would have been done."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.backend import Caller
from bot.core.models import Alert, Reply
from bot.core.ports import Delivery
from storage.outbox import Outbox


@dataclass
class FakeClock:
    """A clock a test moves by hand (`bot.core.ports.Clock`)."""

    at: datetime = field(default_factory=lambda: datetime(2026, 11, 30, 9, tzinfo=UTC))

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class FakeNotifier:
    platform: str = "fake"
    sent: list[tuple[Alert, str | None]] = field(default_factory=list)
    thread_updates: list[tuple[str, str, str]] = field(default_factory=list)
    fail_next: int = 0

    async def send(self, alert: Alert, thread_ref: str | None) -> Delivery:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("platform unreachable")
        self.sent.append((alert, thread_ref))
        ref = f"m{len(self.sent)}"
        return Delivery(message_ref=ref, thread_ref=thread_ref or ref)

    async def update_thread(self, thread_ref: str, channel: str, summary: Reply) -> None:
        self.thread_updates.append((thread_ref, channel, summary.title))


Call = tuple[str, tuple[object, ...]]  # a backend method's name and its arguments after the caller


class RecordingBackend:
    """A `CommandBackend` answering from fixed invented data, recording every call.

    ``calls`` holds ``(method, arguments)`` without the caller; ``callers`` the caller of each
    call (None for the methods that take none); ``answers`` the `Reply` each call returned;
    ``threads`` the thread each call ran on. A mute
    is remembered (`wants`) and, given an outbox, stored in it as the bot's own backend does, so
    a button click changes what the delivery loop sends next. ``quote("boom")`` fails, as a
    database that is locked would.
    """

    def __init__(
        self,
        outbox: Outbox | None = None,
        speakers: tuple[str, ...] = ("Ada Quill", "Adam Rook", "Bea Marsh"),
    ) -> None:
        self.outbox = outbox
        self.speakers = speakers
        self.calls: list[Call] = []
        self.callers: list[Caller | None] = []
        self.answers: list[Reply] = []
        self.threads: list[str] = []
        self.muted: set[tuple[str, int]] = set()  # (channel, statement id)
        self.false_positives: set[int] = set()

    def wants(self, alert: Alert) -> bool:
        """Whether the channel still wants this alert after its mutes."""
        statement = alert.event.statement_id
        return statement is None or (alert.channel, statement) not in self.muted

    def _record(self, name: str, caller: Caller | None, *args: object) -> None:
        self.threads.append(threading.current_thread().name)
        self.calls.append((name, args))
        self.callers.append(caller)

    def _answer(self, reply: Reply) -> Reply:
        self.answers.append(reply)
        return reply

    def _done(self, name: str, caller: Caller | None, *args: object) -> Reply:
        self._record(name, caller, *args)
        return self._answer(Reply(title=f"{name} done", lines=tuple(str(a) for a in args)))

    def quote(self, words: str) -> Reply:
        self._record("quote", None, words)
        if words == "boom":
            raise RuntimeError("the database is locked")
        return self._answer(
            Reply(
                title=f"1 statement matches “{words}”",
                lines=("#12 Mara Quillon: “We will not raise taxes this year”",),
                fields=(("First", "The Lantern Herald"),),
            )
        )

    def speaker(self, name: str) -> Reply:
        return self._done("speaker", None, name)

    def story(self, query: str) -> Reply:
        return self._done("story", None, query)

    def topic_add(self, caller: Caller, name: str, query: str) -> Reply:
        return self._done("topic_add", caller, name, query)

    def topic_list(self, caller: Caller) -> Reply:
        return self._done("topic_list", caller)

    def topic_remove(self, caller: Caller, name: str) -> Reply:
        return self._done("topic_remove", caller, name)

    def track(self, caller: Caller, text: str, speaker: str | None) -> Reply:
        return self._done("track", caller, text, speaker)

    def feeds_add(self, caller: Caller, url: str) -> Reply:
        return self._done("feeds_add", caller, url)

    def feeds_list(self, caller: Caller) -> Reply:
        return self._done("feeds_list", caller)

    def feeds_remove(self, caller: Caller, url: str) -> Reply:
        return self._done("feeds_remove", caller, url)

    def feeds_import(self, caller: Caller, opml: str) -> Reply:
        return self._done("feeds_import", caller, opml)

    def route(self, caller: Caller, setting: str, value: str) -> Reply:
        return self._done("route", caller, setting, value)

    def digest(self, caller: Caller, now: bool) -> Reply:
        return self._done("digest", caller, now)

    def mute(self, caller: Caller, statement_id: int) -> Reply:
        self._record("mute", caller, statement_id)
        self.muted.add((caller.channel, statement_id))
        if self.outbox is not None:
            self.outbox.mute(caller.channel, statement_id)
        return self._answer(Reply(title=f"Muted statement #{statement_id} in this channel."))

    def false_positive(self, caller: Caller, alert_id: int) -> Reply:
        self.false_positives.add(alert_id)
        return self._done("false_positive", caller, alert_id)

    def sources(self, statement_id: int) -> Reply:
        self._record("sources", None, statement_id)
        sources = Reply(title=f"Sources of #{statement_id}", lines=("The Lantern", "Harbour Post"))
        return self._answer(sources)

    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]:
        return [s for s in self.speakers if s.lower().startswith(prefix.lower())][:limit]

    def topic_names(self, caller: Caller, prefix: str, limit: int = 25) -> list[str]:
        return [t for t in ("harbour", "housing") if t.startswith(prefix)][:limit]


class ManyFeeds(RecordingBackend):
    """`feeds list` answering with ``count`` feeds, each line as long as the bot's own (naming
    the feed's ``channel`` when it has one)."""

    def __init__(self, count: int, outbox: Outbox | None = None, channel: str = "") -> None:
        super().__init__(outbox)
        self.count = count
        self.channel = channel

    def feeds_list(self, caller: object) -> Reply:
        where = f" · {self.channel}" if self.channel else ""
        lines = tuple(
            f"https://feeds-{n:04d}.harbour-ledger.example/rss/politics/all.xml{where} · "
            f"ok, last success 2026-11-30 08:15 UTC, 0 failures, every 900 s"
            for n in range(self.count)
        )
        return Reply(title=f"{self.count} feeds", lines=lines)
