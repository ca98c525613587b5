"""Alert and reply embeds: compared with saved embed dicts, and always within Discord's limits."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.render import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    TITLE_MAX,
    clip,
    embed_length,
    render_alert,
    render_diff,
    render_reply,
    thread_name,
)
from bot.core.models import Alert, DiffOp, Event, Reply
from tests.adapters.alerts import EVENTS, WHEN, alert

EXPECTED = Path(__file__).parent / "expected"


def alert_of(kind: str) -> Alert:
    """The shared invented event of ``kind`` (`tests.adapters.alerts`) as a Discord alert."""
    return alert(EVENTS[kind], alert_id=7, channel="discord:1")


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_each_alert_kind_renders_its_saved_embed(kind: str) -> None:
    expected = json.loads((EXPECTED / f"{kind}.json").read_text(encoding="utf-8"))
    assert render_alert(alert_of(kind)) == expected


def test_the_alter_diff_strikes_removed_words_and_bolds_added_ones() -> None:
    assert render_alert(alert_of("alter"))["description"] == "We will ~~not~~ raise taxes this year"
    assert render_diff([DiffOp("replace", "4,000", "400")]) == "~~4,000~~ **400**"


def test_markdown_in_quotes_is_shown_as_written() -> None:
    assert render_diff([DiffOp("insert", "", "*not*")]) == "**\\*not\\***"
    marked_up = replace(EVENTS["topic"], quote="The *old* port_dues go.")
    assert (
        "\\*old\\* port\\_dues"
        in render_alert(alert(marked_up, channel="discord:1"))["description"]
    )


def test_a_reply_renders_title_lines_fields_and_its_outcome() -> None:
    ok = render_reply(Reply("Topics", ("harbour", "housing"), fields=(("Count", "2"),)))
    assert ok == {
        "title": "Topics",
        "type": "rich",
        "color": 0x2E9E5B,
        "description": "harbour\nhousing",
        "fields": [{"name": "Count", "value": "2"}],
    }
    assert render_reply(Reply("No such topic", ok=False))["color"] == 0xD83C3E


def test_a_thread_is_named_for_its_statement_within_100_characters() -> None:
    name = thread_name(alert_of("alter"))
    assert name.startswith("Mara Quillon: We will not raise taxes") and len(name) <= 100


@given(
    title=st.text(max_size=400),
    lines=st.lists(st.text(max_size=2000), max_size=6),
    fields=st.lists(st.tuples(st.text(max_size=300), st.text(max_size=1500)), max_size=40),
)
def test_any_reply_stays_within_discord_limits(
    title: str, lines: list[str], fields: list[tuple[str, str]]
) -> None:
    embed = render_reply(Reply(title, tuple(lines), fields=tuple(fields)))
    assert len(embed["title"]) <= TITLE_MAX
    assert len(embed.get("description", "")) <= DESCRIPTION_MAX
    assert len(embed.get("fields", [])) <= FIELDS_MAX
    assert all(len(f["value"]) <= FIELD_VALUE_MAX for f in embed.get("fields", []))
    assert embed_length(embed) <= EMBED_TOTAL_MAX


@given(quote=st.text(max_size=9000), speaker=st.text(max_size=500), evidence=st.text(max_size=3000))
def test_any_alert_stays_within_discord_limits(quote: str, speaker: str, evidence: str) -> None:
    for kind in EVENTS:
        event = EVENTS[kind]
        big = Event(
            event.type,
            event.article_url,
            event.outlet,
            statement_id=event.statement_id,
            speaker=speaker,
            quote=quote,
            canonical=quote,
            evidence=evidence,
            diff=(DiffOp("replace", quote, evidence),),
            changes=event.changes,
            first=event.first,
            topic=event.topic,
            detail=quote,
        )
        embed = render_alert(Alert(1, "k", "discord:1", big, WHEN))
        assert len(embed["title"]) <= TITLE_MAX
        assert len(embed.get("description", "")) <= DESCRIPTION_MAX
        assert all(len(f["value"]) <= FIELD_VALUE_MAX for f in embed.get("fields", []))
        assert embed_length(embed) <= EMBED_TOTAL_MAX


def test_a_cut_is_at_a_word_and_never_inside_a_link_or_after_a_lone_backslash() -> None:
    assert clip("We will open the harbour to small boats", 20) == "We will open the…"
    assert clip("see [The Lantern](https://lantern.example/a) now", 30) == "see…"
    assert clip("a" * 8 + "\\*" + "b" * 8, 10) == "a" * 8 + "…"
