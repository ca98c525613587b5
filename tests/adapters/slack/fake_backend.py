"""A `CommandBackend` for the Slack tests: records each call and remembers mutes and false
positives, so a test can see a button change what the channel is alerted about next."""

from __future__ import annotations

import threading

from bot.core.backend import Caller
from bot.core.models import Alert, Reply


class RecordingBackend:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.muted: set[tuple[str, int]] = set()  # (channel, statement id)
        self.false_positives: set[int] = set()
        self.threads: list[str] = []  # the thread each call ran on

    def wants(self, alert: Alert) -> bool:
        """Whether the channel still wants this alert after its mutes."""
        statement = alert.event.statement_id
        return statement is None or (alert.channel, statement) not in self.muted

    def _record(self, name: str, *args: object) -> Reply:
        self.threads.append(threading.current_thread().name)
        self.calls.append((name, args))
        return Reply(title=f"{name} done", lines=tuple(str(a) for a in args))

    def quote(self, words: str) -> Reply:
        self.calls.append(("quote", (words,)))
        return Reply(
            title=f"1 statement matches “{words}”",
            lines=("#12 Mara Quillon: “We will not raise taxes this year”",),
            fields=(("First", "The Lantern Herald"),),
        )

    def speaker(self, name: str) -> Reply:
        return self._record("speaker", name)

    def topic_add(self, caller: Caller, name: str, query: str) -> Reply:
        return self._record("topic_add", caller.channel, name, query)

    def topic_list(self, caller: Caller) -> Reply:
        return self._record("topic_list", caller.channel)

    def topic_remove(self, caller: Caller, name: str) -> Reply:
        return self._record("topic_remove", caller.channel, name)

    def track(self, caller: Caller, text: str, speaker: str | None) -> Reply:
        return self._record("track", caller.channel, text, speaker)

    def feeds_add(self, caller: Caller, url: str) -> Reply:
        return self._record("feeds_add", url)

    def feeds_list(self, caller: Caller) -> Reply:
        return self._record("feeds_list")

    def route(self, caller: Caller, setting: str, value: str) -> Reply:
        return self._record("route", setting, value)

    def feeds_remove(self, caller: Caller, url: str) -> Reply:
        return self._record("feeds_remove", url)

    def feeds_import(self, caller: Caller, opml: str) -> Reply:
        return self._record("feeds_import", opml)

    def digest(self, caller: Caller, now: bool) -> Reply:
        return self._record("digest", caller.channel, now)

    def mute(self, caller: Caller, statement_id: int) -> Reply:
        self.muted.add((caller.channel, statement_id))
        return self._record("mute", caller.channel, statement_id)

    def false_positive(self, caller: Caller, alert_id: int) -> Reply:
        self.false_positives.add(alert_id)
        return self._record("false_positive", caller.channel, alert_id)

    def sources(self, statement_id: int) -> Reply:
        return self._record("sources", statement_id)

    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]:
        return []

    def topic_names(self, caller: Caller, prefix: str, limit: int = 25) -> list[str]:
        return []
