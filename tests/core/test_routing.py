"""Which channel wants which event."""

from __future__ import annotations

import pytest

from bot.core.models import EventType
from bot.core.routing import (
    ALERTABLE,
    ChannelRoute,
    RouteError,
    change_route,
    channels_for,
    describe_route,
    merge_routes,
)
from bot.core.speaker_names import same_person


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


def test_a_new_statement_without_a_speaker_is_never_alerted() -> None:
    # A quote the extractor could credit to no one (a scare quote it missed, a stray phrase)
    # would be an alert saying "New statement: unknown speaker": recorded, not posted.
    everything = ChannelRoute("a:3", new_statements="all")
    assert channels_for([everything], EventType.NEW_STATEMENT, None) == []
    assert channels_for([everything], EventType.ALTER, None) == ["a:3"]


def test_same_person_across_outlets() -> None:
    assert same_person("Emmanuel Macron", "Mr. Macron")
    assert same_person("the US", "United States")
    assert same_person("Élysée", "the Elysee")
    assert not same_person("Mara Lindqvist", "Oskar Lindqvist")
    assert not same_person(None, "Mara Lindqvist")


def test_routing_changed_from_chat() -> None:
    base = ChannelRoute("slack:C1")
    kinds = change_route(base, "alerts", "alter, Dispute")
    assert kinds.alerts == {EventType.ALTER, EventType.DISPUTE}
    assert change_route(kinds, "alerts", "all").alerts == ALERTABLE
    watched = change_route(base, "speakers", "Mara Lindqvist,  Oskar Brandt")
    assert watched.speakers == ("Mara Lindqvist", "Oskar Brandt")
    assert change_route(watched, "speakers", "everyone").speakers == ()
    assert change_route(base, "new", "ALL").new_statements == "all"
    oslo = change_route(base, "digest", "8:30 Europe/Oslo")
    assert (oslo.digest_at, oslo.timezone) == ("08:30", "Europe/Oslo")
    assert change_route(oslo, "digest", "07:00").timezone == "Europe/Oslo"
    assert change_route(oslo, "digest", "off").digest_at is None
    lines = describe_route(oslo)
    assert "Digest: every day at 08:30 (Europe/Oslo)" in lines


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("alerts", "alters", "Unknown alert kind alters"),
        ("new", "sometimes", "watched, all or none"),
        ("digest", "25:00", "not a time of day"),
        ("digest", "9h", "not a time"),
        ("digest", "09:00 Mars/Olympus", "not a time zone"),
        ("colour", "red", "Unknown setting"),
    ],
)
def test_bad_routing_values_say_what_is_accepted(setting: str, value: str, message: str) -> None:
    with pytest.raises(RouteError, match=message):
        change_route(ChannelRoute("slack:C1"), setting, value)


def test_routes_set_from_chat_take_the_place_of_the_config() -> None:
    configured = [ChannelRoute("slack:C1"), ChannelRoute("slack:C2")]
    saved = [ChannelRoute("slack:C2", new_statements="none"), ChannelRoute("discord:9")]
    merged = {r.channel: r for r in merge_routes(configured, saved)}
    assert set(merged) == {"slack:C1", "slack:C2", "discord:9"}
    assert merged["slack:C2"].new_statements == "none"
