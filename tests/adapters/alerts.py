"""Invented alerts of every kind, shared by the rendering and notifier tests of Slack and Discord
and by the tests of the words all three renderers show."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.models import (
    Alert,
    Appearance,
    Change,
    ChangeKind,
    DiffOp,
    Event,
    EventType,
    Severity,
)

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FIRST = Appearance("The Lantern Herald", "https://lantern.example/budget", WHEN)
SAID = "We will not raise taxes this year"


def alert(event: Event, alert_id: int = 1, channel: str = "slack:C100") -> Alert:
    key = f"{channel}:{event.type.value}:{alert_id}"
    thread = f"statement:{event.statement_id}" if event.statement_id else None
    return Alert(alert_id, key, channel, event, WHEN, thread_key=thread)


EVENTS: dict[str, Event] = {
    "new_statement": Event(
        EventType.NEW_STATEMENT,
        "https://lantern.example/budget",
        "The Lantern Herald",
        statement_id=12,
        speaker="Mara Quillon",
        quote=SAID,
        canonical=SAID,
        first=FIRST,
        title="Quillon rules out tax rise",
    ),
    "repeat": Event(
        EventType.REPEAT,
        "https://northgate-post.example/budget",
        "Northgate Post",
        statement_id=12,
        speaker="Mara Quillon",
        quote=SAID,
        canonical=SAID,
        first=FIRST,
    ),
    "alter": Event(
        EventType.ALTER,
        "https://daily-ferry.example/taxes",
        "Daily Ferry",
        statement_id=12,
        speaker="Mara Quillon",
        quote="We will raise taxes this year",
        canonical=SAID,
        changes=(Change(ChangeKind.NEGATION, Severity.HIGH, "will not raise", "will raise"),),
        diff=(
            DiffOp("equal", "We will", "We will"),
            DiffOp("delete", "not", ""),
            DiffOp("equal", "raise taxes this year", "raise taxes this year"),
        ),
        first=FIRST,
    ),
    "misattribution": Event(
        EventType.MISATTRIBUTION,
        "https://daily-ferry.example/who",
        "Daily Ferry",
        statement_id=12,
        speaker="Mara Quillon",
        quote=SAID,
        canonical=SAID,
        changes=(Change(ChangeKind.SPEAKER, Severity.HIGH, "Mara Quillon", "Tobin Arkwright"),),
        first=FIRST,
        credited_to="Tobin Arkwright",
    ),
    "dispute": Event(
        EventType.DISPUTE,
        "https://northgate-post.example/reply",
        "Northgate Post",
        statement_id=12,
        speaker="Mara Quillon",
        canonical=SAID,
        disputed_by="Tobin Arkwright",
        evidence="Arkwright said the claim that taxes would not rise was simply false.",
        first=FIRST,
    ),
    "topic": Event(
        EventType.TOPIC,
        "https://northgate-post.example/pensions",
        "Northgate Post",
        statement_id=15,
        speaker="Ilse Varro",
        quote="Pensions <will> be protected & indexed",
        topic="pensions",
        title="Varro on pensions",
    ),
    "feed_notice": Event(
        EventType.FEED_NOTICE,
        "https://lantern.example/feed.xml",
        "The Lantern Herald",
        detail="The feed https://lantern.example/feed.xml failed 5 times; polling paused.",
    ),
}
