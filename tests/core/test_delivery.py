"""Delivering the outbox on a real store with a recording notifier."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.delivery import MAX_ATTEMPTS, deliver_pending
from bot.core.delivery_errors import PermanentDeliveryError
from bot.core.models import Alert, Event, EventType
from bot.core.ports import Delivery
from storage.db import open_db
from storage.store import Store
from tests.fakes import FakeClock, FakeNotifier


def alter(n: int) -> Event:
    return Event(EventType.ALTER, f"https://x.example/{n}", "X", statement_id=None, quote=f"q{n}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Store:
    return Store(open_db(tmp_path / "v.db"), clock=clock)  # the outbox reads this clock


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


async def test_when_a_thread_head_fails_its_thread_waits_for_it(
    store: Store, clock: FakeClock
) -> None:
    fake = FakeNotifier(fail_next=1)
    for n in (1, 2, 3):
        store.outbox.enqueue_alert(f"a{n}", "fake:c", alter(n), "statement:1")
    assert await deliver_pending(store.outbox, {"fake": fake}) == 0
    assert await deliver_pending(store.outbox, {"fake": fake}) == 0  # a1 waits for its retry
    [due] = store.outbox.pending(now=clock.now() + timedelta(hours=1))[:1]
    assert due.key == "a1"
    clock.advance(hours=1)  # the retry time has come
    assert await deliver_pending(store.outbox, {"fake": fake}) == 3
    assert [(a.key, ref) for a, ref in fake.sent] == [("a1", None), ("a2", "m1"), ("a3", "m1")]


async def test_a_head_that_keeps_failing_hands_its_thread_on(store: Store) -> None:
    fake = FakeNotifier()
    for n in (1, 2):
        store.outbox.enqueue_alert(f"a{n}", "fake:c", alter(n), "statement:1")
    store.db.execute("update alerts set attempts = 5, next_attempt_at = '9999' where key = 'a1'")
    assert await deliver_pending(store.outbox, {"fake": fake}) == 1
    assert [(a.key, ref) for a, ref in fake.sent] == [("a2", None)]


async def test_a_failure_is_retried_later_and_delivered_once(
    store: Store, clock: FakeClock
) -> None:
    fake = FakeNotifier(fail_next=1)
    store.outbox.enqueue_alert("a1", "fake:c", alter(1), None)
    store.outbox.enqueue_alert("a2", "fake:c", alter(2), None)
    assert await deliver_pending(store.outbox, {"fake": fake}) == 1  # a2 is not held up
    assert [a.key for a, _ in fake.sent] == ["a2"]
    later = clock.now() + timedelta(hours=1)
    [due] = store.outbox.pending(now=later)
    assert due.key == "a1"


async def test_alerts_for_an_unconfigured_platform_wait(store: Store) -> None:
    store.outbox.enqueue_alert("a1", "slack:C1", alter(1), None)
    assert await deliver_pending(store.outbox, {"fake": FakeNotifier()}) == 0
    assert store.outbox.pending_count() == 1


class RefusingNotifier(FakeNotifier):
    """Refuses every alert to ``refused`` channels for good, as Slack does when the bot was
    never invited (``not_in_channel``); with ``code``, refuses for that reason instead."""

    def __init__(self, refused: set[str], code: str = "not_in_channel") -> None:
        super().__init__()
        self.refused = refused
        self.code = code
        self.tries = 0
        self.refuse_keys: set[str] = set()  # alerts refused wherever they go

    async def send(self, alert: Alert, thread_ref: str | None) -> Delivery:
        self.tries += 1
        if alert.channel in self.refused or alert.key in self.refuse_keys:
            raise PermanentDeliveryError("fake", self.code, "invite the bot")
        return await super().send(alert, thread_ref)


def due_all(store: Store) -> None:
    """Every retry time has come: the store's clock moves on a day."""
    clock = store.outbox.clock
    assert isinstance(clock, FakeClock)
    clock.advance(days=1)


async def test_a_permanent_refusal_is_kept_as_failed_reported_once_and_resent_on_request(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    fake = RefusingNotifier({"fake:gone"})
    store.outbox.enqueue_alert("a1", "fake:gone", alter(1), None)
    store.outbox.enqueue_alert("a2", "fake:ok", alter(2), None)
    with caplog.at_level(logging.WARNING, logger="bot.core.delivery"):
        for _ in range(3):
            await deliver_pending(store.outbox, {"fake": fake})
            due_all(store)
    assert fake.tries == 2  # a1 once, a2 once: the refused alert is not retried every round
    assert [a.key for a, _ in fake.sent] == ["a2"]
    [failed] = store.outbox.failed()
    assert failed.alert.key == "a1"
    assert failed.reason == "refused (not_in_channel): invite the bot"
    assert store.outbox.pending_count() == 0
    said = [r for r in caplog.records if "failed for good" in r.getMessage()]
    assert len(said) == 1 and "alerts --retry" in said[0].getMessage()

    fake.refused.clear()  # the bot was invited
    assert store.outbox.retry_failed() == 1
    assert await deliver_pending(store.outbox, {"fake": fake}) == 1
    assert store.outbox.failed() == []
    assert [a.key for a, _ in fake.sent] == ["a2", "a1"]


async def test_a_transient_failure_gives_up_after_the_retry_limit(store: Store) -> None:
    fake = FakeNotifier(fail_next=MAX_ATTEMPTS + 5)
    store.outbox.enqueue_alert("a1", "fake:c", alter(1), None)
    for _ in range(MAX_ATTEMPTS + 3):
        await deliver_pending(store.outbox, {"fake": fake})
        due_all(store)
    [failed] = store.outbox.failed()
    assert failed.alert.attempts == MAX_ATTEMPTS
    assert failed.reason.startswith(f"{MAX_ATTEMPTS} tries failed, the last with ConnectionError")
    # No try after the limit; the channel is told once, by a note that also failed (the
    # platform is still down) and waits for its own retry.
    notes = [a for a in store.outbox.pending(now=store.outbox.clock.now() + timedelta(days=1))]
    assert [(a.key, a.channel) for a in notes] == [
        (f"undelivered:{failed.alert.id}:fake:c", "fake:c")
    ]


async def test_a_refused_thread_head_hands_its_thread_to_the_next_alert(store: Store) -> None:
    """The head's thread message was deleted: the next alert opens the thread instead."""
    fake = RefusingNotifier(set())
    store.outbox.enqueue_alert("a1", "fake:head", alter(1), "statement:1")
    store.outbox.enqueue_alert("a2", "fake:head", alter(2), "statement:1")
    fake.refused.add("fake:head")
    assert await deliver_pending(store.outbox, {"fake": fake}) == 0  # a1 refused, a2 waited
    fake.refused.clear()
    assert await deliver_pending(store.outbox, {"fake": fake}) == 1
    assert [(a.key, ref) for a, ref in fake.sent] == [("a2", None)]
    [failed] = store.outbox.failed()
    assert failed.alert.key == "a1"
    assert not store.outbox.mark_dead(failed.alert.id, "again")  # marked (and reported) once


def notes(fake: FakeNotifier) -> list[tuple[str, str]]:
    return [(a.channel, a.event.detail or "") for a, _ in fake.sent if a.key.startswith("undel")]


async def test_an_alert_refused_for_good_is_told_once_to_the_admins_and_the_channel(
    store: Store,
) -> None:
    """The message was refused (not the channel): the channel is told, and the admins in a
    direct message; retried and refused again, nobody is told twice."""
    fake = RefusingNotifier(set(), code="invalid_blocks")
    store.outbox.enqueue_alert("a1", "fake:news", alter(1), None)
    fake.refuse_keys.add("a1")
    admins = {"fake": ["fake:UADMIN"]}
    await deliver_pending(store.outbox, {"fake": fake}, admins)
    [failed] = store.outbox.failed()
    told = notes(fake)
    assert [channel for channel, _ in told] == ["fake:UADMIN", "fake:news"]
    assert f"Alert #{failed.alert.id} for fake:news" in told[0][1]
    assert f"verbatim alerts --retry {failed.alert.id}" in told[0][1]
    for _ in range(2):
        store.outbox.retry_failed()
        await deliver_pending(store.outbox, {"fake": fake}, admins)
    assert len(notes(fake)) == 2  # still refused, still failed, told once
    assert len(store.outbox.failed()) == 1


async def test_a_channel_out_of_reach_is_told_to_the_admins_only(store: Store) -> None:
    fake = RefusingNotifier({"fake:outside"})
    store.outbox.enqueue_alert("a1", "fake:outside", alter(1), None)
    await deliver_pending(store.outbox, {"fake": fake}, {"fake": ["fake:UADMIN"]})
    assert [channel for channel, _ in notes(fake)] == ["fake:UADMIN"]
    assert "not_in_channel" in notes(fake)[0][1]


async def test_a_note_that_fails_is_not_reported_again(store: Store) -> None:
    fake = RefusingNotifier({"fake:outside", "fake:UGONE"})
    store.outbox.enqueue_alert("a1", "fake:outside", alter(1), None)
    await deliver_pending(store.outbox, {"fake": fake}, {"fake": ["fake:UGONE"]})
    await deliver_pending(store.outbox, {"fake": fake}, {"fake": ["fake:UGONE"]})
    failed = store.outbox.failed()
    assert [f.alert.key for f in failed] == ["a1", f"undelivered:{failed[0].alert.id}:fake:UGONE"]
    assert fake.tries == 2 and fake.sent == []


async def test_rows_that_cannot_be_read_are_set_aside_however_many_come_first(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A page of rows whose payload cannot be read (not JSON, not an object, no known type)
    does not end the round early: each is failed for good, once, and the next page is read."""
    for n in range(1, 6):
        store.outbox.enqueue_alert(f"a{n}", "fake:c", alter(n), None)
    for n, payload in ((1, "{broken"), (2, "[1, 2]"), (3, '{"type": "nonsense"}')):
        store.db.execute("update alerts set payload = ? where key = ?", [payload, f"a{n}"])
    with caplog.at_level(logging.WARNING, logger="storage.outbox"):
        assert [a.key for a in store.outbox.pending(limit=2)] == ["a4", "a5"]
    assert len([r for r in caplog.records if "set aside" in r.getMessage()]) == 3
    fake = FakeNotifier()
    assert await deliver_pending(store.outbox, {"fake": fake}) == 2
    assert [a.key for a, _ in fake.sent] == ["a4", "a5"]
    assert store.outbox.failed() == []
    assert [u.reason.split(" (")[1].split(":")[0] for u in store.outbox.unreadable()] == [
        "JSONDecodeError",
        "AttributeError",
        "ValueError",
    ]
    assert store.outbox.alert(1) is None  # a button on it answers there is none
    assert not store.outbox.add_outlet("a1", "Another outlet")
    assert store.outbox.retry_failed() == 0
