"""Which channel wants which event."""

from __future__ import annotations

from bot.core.models import EventType
from bot.core.names import same_person
from bot.core.routing import ChannelRoute, channels_for


def test_watched_speakers_and_alert_kinds() -> None:
    press = ChannelRoute("slack:C1", speakers=("Mara Lindqvist",))
    desk = ChannelRoute("slack:C2", alerts=frozenset({EventType.DISPUTE}))
    routes = [press, desk]
    assert channels_for(routes, EventType.ALTER, "Ms. Lindqvist") == ["slack:C1"]
    assert channels_for(routes, EventType.DISPUTE, "Oskar Brandt") == ["slack:C2"]
    assert channels_for(routes, EventType.DISPUTE, "Lindqvist") == ["slack:C1", "slack:C2"]


def test_new_statements_follow_the_channel_setting() -> None:
    watched = ChannelRoute("a:1", speakers=("Mara Lindqvist",))
    nobody_watched = ChannelRoute("a:2")
    everything = ChannelRoute("a:3", new_statements="all")
    routes = [watched, nobody_watched, everything]
    assert channels_for(routes, EventType.NEW_STATEMENT, "Mara Lindqvist") == ["a:1", "a:3"]
    assert channels_for(routes, EventType.NEW_STATEMENT, "Oskar Brandt") == ["a:3"]
    assert channels_for(routes, EventType.REPEAT, "Mara Lindqvist") == []


def test_same_person_across_outlets() -> None:
    assert same_person("Emmanuel Macron", "Mr. Macron")
    assert same_person("the US", "United States")
    assert same_person("Élysée", "the Elysee")
    assert not same_person("Mara Lindqvist", "Oskar Lindqvist")
    assert not same_person(None, "Mara Lindqvist")
