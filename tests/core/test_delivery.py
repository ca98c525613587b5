"""Delivering the outbox on a real store with a recording notifier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.delivery import deliver_pending
from bot.core.models import Event, EventType
from storage.db import open_db
from storage.store import Store
from tests.fakes import FakeNotifier


def alter(n: int) -> Event:
    return Event(EventType.ALTER, f"https://x.example/{n}", "X", statement_id=None, quote=f"q{n}")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(open_db(tmp_path / "v.db"))


async def test_first_alert_opens_the_thread_and_later_ones_reply(store: Store) -> None:
    fake = FakeNotifier()
    store.outbox.enqueue_alert("a1", "fake:c", alter(1), "statement:1")
    store.outbox.enqueue_alert("a2", "fake:c", alter(2), "statement:1")
    store.outbox.enqueue_alert("a3", "fake:other", alter(3), "statement:1")
    assert await deliver_pending(store.outbox, {"fake": fake}) == 3
    threads = [(a.key, ref) for a, ref in fake.sent]
    # Thread heads first (one per channel and statement), then the replies in their thread.
    assert threads == [("a1", None), ("a3", None), ("a2", "m1")]
    assert await deliver_pending(store.outbox, {"fake": fake}) == 0  # nothing twice


async def test_when_a_thread_head_fails_its_thread_waits_for_it(store: Store) -> None:
    fake = FakeNotifier(fail_next=1)
    for n in (1, 2, 3):
        store.outbox.enqueue_alert(f"a{n}", "fake:c", alter(n), "statement:1")
    assert await deliver_pending(store.outbox, {"fake": fake}) == 0
    assert await deliver_pending(store.outbox, {"fake": fake}) == 0  # a1 waits for its retry
    [due] = store.outbox.pending(now=datetime.now(UTC) + timedelta(hours=1))[:1]
    assert due.key == "a1"
    store.db.execute("update alerts set next_attempt_at = null")  # the retry time has come
    assert await deliver_pending(store.outbox, {"fake": fake}) == 3
    assert [(a.key, ref) for a, ref in fake.sent] == [("a1", None), ("a2", "m1"), ("a3", "m1")]


async def test_a_head_that_keeps_failing_hands_its_thread_on(store: Store) -> None:
    fake = FakeNotifier()
    for n in (1, 2):
        store.outbox.enqueue_alert(f"a{n}", "fake:c", alter(n), "statement:1")
    store.db.execute("update alerts set attempts = 5, next_attempt_at = '9999' where key = 'a1'")
    assert await deliver_pending(store.outbox, {"fake": fake}) == 1
    assert [(a.key, ref) for a, ref in fake.sent] == [("a2", None)]


async def test_a_failure_is_retried_later_and_delivered_once(store: Store) -> None:
    fake = FakeNotifier(fail_next=1)
    store.outbox.enqueue_alert("a1", "fake:c", alter(1), None)
    store.outbox.enqueue_alert("a2", "fake:c", alter(2), None)
    assert await deliver_pending(store.outbox, {"fake": fake}) == 1  # a2 is not held up
    assert [a.key for a, _ in fake.sent] == ["a2"]
    later = datetime.now(UTC) + timedelta(hours=1)
    [due] = store.outbox.pending(now=later)
    assert due.key == "a1"


async def test_alerts_for_an_unconfigured_platform_wait(store: Store) -> None:
    store.outbox.enqueue_alert("a1", "slack:C1", alter(1), None)
    assert await deliver_pending(store.outbox, {"fake": FakeNotifier()}) == 0
    assert store.outbox.pending_count() == 1
