"""Delivering the outbox: every stored alert goes to its channel's notifier, once.

An alert is marked sent only after its notifier returned; a failure schedules a retry with
backoff and never blocks the alerts behind it. An alert the platform refuses for good
(`PermanentDeliveryError`) or that failed `MAX_ATTEMPTS` times is kept as failed, with its
reason, and reported once: in the log, and to people — a direct message to the platform's
admins where there are any, and a note in the channel itself unless the channel is what is out
of reach. The note is an outbox alert under a key made from the failed alert's id, so it is
queued once however often the alert is retried and fails again. `verbatim alerts --failed`
lists failed alerts and `--retry` puts them back. The first alert of a statement opens a
thread in its channel, later ones reply in it, and the head's outlet counter is refreshed after.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from bot.core.delivery_errors import PermanentDeliveryError
from bot.core.models import Alert, Event, EventType, Reply, Severity
from bot.core.ports import Delivery, Notifier

log = logging.getLogger(__name__)
HEAD_ATTEMPTS = 5  # tries of a thread's first alert before the next one may open the thread
# Tries of one alert before it is kept as failed: with the backoff (2 s doubling, at most
# 15 min) about three hours of an unreachable platform.
MAX_ATTEMPTS = 20
# The key of a note telling people that an alert failed for good; such a note that fails is
# logged, never reported again.
REPORT_PREFIX = "undelivered:"
Admins = Mapping[str, Sequence[str]]  # platform -> channels that reach its admins ("slack:U1")


class OutboxPort(Protocol):
    def pending(
        self, now: datetime | None = None, limit: int = 100, after: int = 0
    ) -> list[Alert]: ...
    def mark_sent(self, alert_id: int, message_ref: str) -> None: ...
    def mark_failed(self, alert_id: int, error: str) -> int: ...
    def mark_dead(self, alert_id: int, reason: str) -> bool: ...
    def enqueue_alert(
        self, key: str, channel: str, event: Event, thread_key: str | None
    ) -> bool: ...
    def thread_ref(self, channel: str, thread_key: str) -> str | None: ...
    def set_thread(self, channel: str, thread_key: str, thread_ref: str) -> None: ...
    def threads_to_refresh(self) -> list[tuple[str, str, str, int, int]]: ...
    def set_outlets_shown(self, channel: str, thread_key: str, count: int) -> None: ...
    def held_threads(self, max_attempts: int) -> dict[tuple[str, str], int]: ...


def platform_of(channel: str) -> str:
    return channel.split(":", 1)[0]


async def deliver_pending(
    outbox: OutboxPort,
    notifiers: Mapping[str, Notifier],
    admins: Admins | None = None,
    mentions: Mapping[str, str] | None = None,
) -> int:
    """Send every due alert whose platform has a notifier; returns how many were sent.

    Alerts go out concurrently, so a notifier can pace each channel and fold a burst into
    one message. A statement's first alert opens its thread before the rest are sent; when it
    fails, the rest wait for its retry, and only after `HEAD_ATTEMPTS` failed tries does the
    next alert open the thread instead. Each alert is tried at most once per round; the notes
    about alerts that failed for good in it go out in the same round. ``mentions``: who a
    channel's high-severity alerts mention (its route's ``mention``), passed on with the alert.
    """
    told = _Told(admins or {}, mentions or {})
    sent = await _round(outbox, notifiers, told)
    if told.queued:
        again = _Told(told.admins, told.mentions)  # its notes: next round
        sent += await _round(outbox, notifiers, again)
    await refresh_thread_counters(outbox, notifiers)
    return sent


class _Told:
    """Who hears of an alert that failed for good during one round, and how many notes went."""

    def __init__(self, admins: Admins, mentions: Mapping[str, str]) -> None:
        self.admins = admins
        self.mentions = mentions
        self.queued = 0


async def _round(outbox: OutboxPort, notifiers: Mapping[str, Notifier], told: _Told) -> int:
    held = outbox.held_threads(HEAD_ATTEMPTS)
    due = [a for a in _due(outbox) if platform_of(a.channel) in notifiers]
    retried = {a.id for a in due}
    # A held thread's alerts go only with its failed head's retry, which opens the thread.
    waiting = [a for a in due if held.get((a.channel, a.thread_key or ""), a.id) in retried]
    sent = 0
    while waiting:
        heads, free, later = _split(outbox, waiting)
        sent += await _send_all(outbox, notifiers, heads, told)
        sent += await _send_all(outbox, notifiers, free, told)
        # Replies whose head went out just now; a failed head keeps its replies for later.
        waiting = [a for a in later if outbox.thread_ref(a.channel, a.thread_key or "")]
    return sent


def _split(outbox: OutboxPort, alerts: list[Alert]) -> tuple[list[Alert], list[Alert], list[Alert]]:
    """Thread openers (one per thread), alerts that can go now, and replies that must wait."""
    heads: list[Alert] = []
    free: list[Alert] = []
    later: list[Alert] = []
    opening: set[tuple[str, str]] = set()
    for alert in alerts:
        key = alert.thread_key
        if key is None or outbox.thread_ref(alert.channel, key) is not None:
            free.append(alert)
        elif (alert.channel, key) in opening:
            later.append(alert)
        else:
            opening.add((alert.channel, key))
            heads.append(alert)
    return heads, free, later


async def _send_all(
    outbox: OutboxPort, notifiers: Mapping[str, Notifier], alerts: list[Alert], told: _Told
) -> int:
    results = await asyncio.gather(*(_send_one(outbox, notifiers, a, told) for a in alerts))
    return sum(results)


async def _send_one(
    outbox: OutboxPort, notifiers: Mapping[str, Notifier], alert: Alert, told: _Told
) -> bool:
    notifier = notifiers[platform_of(alert.channel)]
    alert = with_mention(alert, told.mentions.get(alert.channel))
    thread = outbox.thread_ref(alert.channel, alert.thread_key) if alert.thread_key else None
    try:
        delivery: Delivery = await notifier.send(alert, thread)
    except PermanentDeliveryError as exc:  # sending again cannot help
        outbox.mark_failed(alert.id, str(exc))
        reason = f"refused ({exc.code}): {exc.reason}"
        _give_up(outbox, alert, reason, told, in_channel=exc.reaches_channel)
        return False
    except Exception as exc:  # any other failure of the network edge: retry later
        error = f"{type(exc).__name__}: {exc}"
        attempts = outbox.mark_failed(alert.id, error)
        if attempts >= MAX_ATTEMPTS:
            reason = f"{attempts} tries failed, the last with {error}"
            _give_up(outbox, alert, reason, told, in_channel=True)
        else:
            log.warning("alert %s to %s failed, will retry: %s", alert.id, alert.channel, exc)
        return False
    outbox.mark_sent(alert.id, delivery.message_ref)
    if alert.thread_key and thread is None and delivery.thread_ref:
        outbox.set_thread(alert.channel, alert.thread_key, delivery.thread_ref)
    return True


def _give_up(
    outbox: OutboxPort, alert: Alert, reason: str, told: _Told, *, in_channel: bool
) -> None:
    """Keep the alert as failed, and say so once: in the log and to the people who can fix it
    (``in_channel``: the channel can still take a note)."""
    if not outbox.mark_dead(alert.id, reason):
        return
    log.error(
        "alert %s to %s failed for good (%s); it is kept: `verbatim alerts --failed`"
        " lists it, `verbatim alerts --retry` sends it again",
        alert.id, alert.channel, reason,
    )  # fmt: skip
    if alert.key.startswith(REPORT_PREFIX):
        return  # a note about a failure that fails itself is only logged
    to = [*told.admins.get(platform_of(alert.channel), ())]
    if in_channel:
        to.append(alert.channel)
    if not to:
        log.warning(
            "nobody can be told in chat that alert %s failed: %s has no admins to message"
            " ([slack] admins lists them)",
            alert.id, platform_of(alert.channel),
        )  # fmt: skip
    note = failure_note(alert, reason)
    for channel in dict.fromkeys(to):
        key = f"{REPORT_PREFIX}{alert.id}:{channel}"
        told.queued += outbox.enqueue_alert(key, channel, replace(note, channel=channel), None)


def with_mention(alert: Alert, mention: str | None) -> Alert:
    """The alert carrying its channel's mention when it is of high severity, for the adapters
    to render; unchanged otherwise."""
    if mention is None or alert.event.severity is not Severity.HIGH:
        return alert
    return replace(alert, event=replace(alert.event, mention=mention))


def failure_note(alert: Alert, reason: str) -> Event:
    """The notice that tells people an alert could not be posted, and how to send it again."""
    event = alert.event
    what = event.title or event.quote or event.detail or event.article_url
    if len(what) > 120:
        what = what[:119].rsplit(" ", 1)[0] + "…"
    return Event(
        EventType.FEED_NOTICE,
        event.article_url,
        "Verbatim",
        title="An alert could not be posted",
        detail=(
            f"Alert #{alert.id} for {alert.channel} ({event.type.value.replace('_', ' ')}:"
            f" {what}) could not be posted: {reason}. It is kept; once that is fixed,"
            f" `verbatim alerts --retry {alert.id}` sends it again."
        ),
    )


def _due(outbox: OutboxPort, page: int = 100) -> Iterator[Alert]:
    """Every due alert, a page at a time, so a large backlog drains in one round."""
    after = 0
    while batch := outbox.pending(limit=page, after=after):
        yield from batch
        after = batch[-1].id


async def refresh_thread_counters(outbox: OutboxPort, notifiers: Mapping[str, Notifier]) -> None:
    """Fold repeats: update each statement thread's "picked up by N outlets" line."""
    for channel, thread_key, thread_ref, outlets, _shown in outbox.threads_to_refresh():
        notifier = notifiers.get(platform_of(channel))
        if notifier is None:
            continue
        noun = "outlet" if outlets == 1 else "outlets"
        summary = Reply(title=f"Picked up by {outlets} {noun}", data={"outlets": outlets})
        try:
            await notifier.update_thread(thread_ref, channel, summary)
        except Exception as exc:
            log.warning("thread counter for %s in %s not updated: %s", thread_key, channel, exc)
            continue
        outbox.set_outlets_shown(channel, thread_key, outlets)
