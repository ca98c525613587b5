"""Fakes of the ports, for tests of the core: they record what would have been posted."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.models import Alert, Reply
from bot.core.ports import Delivery


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
