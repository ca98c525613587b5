"""Which channel gets which events: alert kinds, watched speakers, topics, mutes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.models import EventType
from bot.core.names import same_person

ALERTABLE = frozenset(
    {
        EventType.NEW_STATEMENT,
        EventType.ALTER,
        EventType.MISATTRIBUTION,
        EventType.DISPUTE,
        EventType.TOPIC,
        EventType.FEED_NOTICE,
    }
)


@dataclass(frozen=True, slots=True)
class ChannelRoute:
    """One channel's subscription, from the config file or set from chat."""

    channel: str  # "<platform>:<id>"
    alerts: frozenset[EventType] = ALERTABLE
    speakers: tuple[str, ...] = ()  # watched speakers; empty: every speaker
    new_statements: str = "watched"  # "watched" | "all" | "none"
    digest_at: str | None = "09:00"
    timezone: str = "UTC"
    feeds: tuple[str, ...] = field(default=())  # feed urls whose notices go here; empty: all

    def watches(self, speaker: str | None) -> bool:
        if not self.speakers:
            return True
        return speaker is not None and any(same_person(speaker, s) for s in self.speakers)

    def wants(self, event_type: EventType, speaker: str | None) -> bool:
        if event_type not in self.alerts:
            return False
        if event_type is EventType.NEW_STATEMENT:
            if self.new_statements == "none":
                return False
            if self.new_statements == "watched" and not self.speakers:
                return False  # nobody watched: a new statement is not news on its own
            return self.new_statements == "all" or self.watches(speaker)
        if event_type in (EventType.TOPIC, EventType.FEED_NOTICE):
            return True
        return self.watches(speaker)


def channels_for(
    routes: Iterable[ChannelRoute], event_type: EventType, speaker: str | None
) -> list[str]:
    """The channels that want an event of this type about this speaker."""
    return [r.channel for r in routes if r.wants(event_type, speaker)]
