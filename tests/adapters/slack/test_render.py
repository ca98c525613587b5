"""Alerts and replies as Block Kit, compared with the saved JSON in expected/."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.slack.render import (
    SECTION_MAX,
    clip,
    fold_alerts,
    render_alert,
    render_diff,
    render_reply,
    with_counter,
)
from bot.core.models import DiffOp, Event, EventType, Reply
from tests.adapters.alerts import EVENTS, alert

EXPECTED = Path(__file__).parent / "expected"


def _texts(message: dict) -> list[str]:
    found: list[str] = []
    for block in message["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [f["text"] for f in block.get("fields", [])]
        found += [e.get("text", "") for e in block.get("elements", []) if isinstance(e, dict)]
    return [t if isinstance(t, str) else t["text"] for t in found]


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_each_alert_kind_matches_its_saved_block_kit(kind: str) -> None:
    rendered = render_alert(alert(EVENTS[kind], alert_id=7))
    saved = json.loads((EXPECTED / f"{kind}.json").read_text(encoding="utf-8"))
    assert rendered == saved
    assert rendered["text"]  # the notification fallback is always there


def test_alter_shows_the_removed_word_struck() -> None:
    rendered = render_alert(alert(EVENTS["alter"]))
    assert "We will ~not~ raise taxes this year" in _texts(rendered)
    assert "*Changes:* negation (high)" in "\n".join(_texts(rendered))


def test_diff_marks_replacements_and_insertions() -> None:
    diff = (
        DiffOp("equal", "taxes rise", "taxes rise"),
        DiffOp("replace", "by 2%", "by 20%"),
        DiffOp("insert", "", "at once"),
    )
    assert render_diff(diff) == "taxes rise ~by 2%~ *by 20%* *at once*"


def test_buttons_carry_the_statement_and_alert_ids() -> None:
    rendered = render_alert(alert(EVENTS["dispute"], alert_id=31))
    actions = next(b for b in rendered["blocks"] if b["type"] == "actions")["elements"]
    assert [(b["action_id"], b["value"]) for b in actions] == [
        ("verbatim_mute:31", "12"),
        ("verbatim_false_positive:31", "31"),
        ("verbatim_sources:31", "12"),
    ]


def test_an_alert_naming_no_statement_has_no_buttons_to_refuse() -> None:
    # A topic matched by the article's text, not a quote, and a notice: mute, false positive
    # and sources each act on a statement, and these name none (as on Discord).
    for event in (replace(EVENTS["topic"], statement_id=None), EVENTS["feed_notice"]):
        assert "actions" not in [b["type"] for b in render_alert(alert(event))["blocks"]]


def test_a_huge_quote_is_cut_within_the_section_limit() -> None:
    long = "&" * 5000
    rendered = render_alert(alert(replace(EVENTS["new_statement"], quote=long)))
    for text in _texts(rendered):
        assert len(text) <= SECTION_MAX
    body = rendered["blocks"][1]["text"]["text"]
    # never cut inside an &amp; entity, and the quotation closed after the ellipsis
    assert body.endswith("&amp;…”")
    assert len(rendered["text"]) <= 3000


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("short", 10) == "short"
    assert clip("a b c d e f", 6) == "a b c…"


def test_slack_control_characters_are_escaped() -> None:
    rendered = render_alert(alert(EVENTS["topic"]))
    assert "“Pensions &lt;will&gt; be protected &amp; indexed”" in "\n".join(_texts(rendered))


def test_a_burst_is_one_message_with_every_alert() -> None:
    alerts = [alert(EVENTS[k], alert_id=i) for i, k in enumerate(["alter", "dispute", "topic"])]
    message, used = fold_alerts(alerts)
    assert used == 3
    assert message["text"].startswith("3 alerts: ")
    ids = [b["block_id"] for b in message["blocks"] if b["type"] == "actions"]
    assert ids == ["alert_0", "alert_1", "alert_2"]
    assert sum(b["type"] == "divider" for b in message["blocks"]) == 2


def test_the_thread_head_with_its_counter_matches_the_saved_block_kit() -> None:
    head = render_alert(alert(EVENTS["new_statement"], alert_id=7))
    counted = with_counter(head, Reply(title="Picked up by 14 outlets"))
    saved = json.loads((EXPECTED / "thread_counter.json").read_text(encoding="utf-8"))
    assert counted == saved


def test_the_counter_is_added_once_and_replaced() -> None:
    head = render_alert(alert(EVENTS["new_statement"]))
    once = with_counter(head, Reply(title="Picked up by 3 outlets"))
    twice = with_counter(once, Reply(title="Picked up by 14 outlets"))
    counters = [b for b in twice["blocks"] if b.get("block_id") == "verbatim_counter"]
    assert [c["elements"][0]["text"] for c in counters] == ["Picked up by 14 outlets"]
    assert twice["blocks"][-1]["type"] == "actions"  # buttons stay last
    assert twice["text"] == head["text"] + " · Picked up by 14 outlets"


def test_replies_render_title_lines_and_fields() -> None:
    reply = Reply(
        title="Topics", lines=("pensions: pension*", "rail: strike"), fields=(("n", "2"),)
    )
    assert render_reply(reply) == json.loads((EXPECTED / "reply.json").read_text("utf-8"))
    failed = render_reply(Reply(title="Only admins can add feeds.", ok=False))
    assert failed["blocks"][0]["text"]["text"] == ":warning: *Only admins can add feeds.*"


def test_many_reply_lines_split_into_sections_under_the_limit() -> None:
    reply = Reply(title="Sources", lines=tuple("x" * 200 for _ in range(40)))
    sections = render_reply(reply)["blocks"]
    assert len(sections) > 2
    assert all(len(b["text"]["text"]) <= SECTION_MAX for b in sections)


def test_a_long_digest_is_split_over_sections_not_cut() -> None:
    lines = [
        f"{n}. Mara Quillon: “We will not raise taxes this year” — 4 outlets" for n in range(120)
    ]
    digest = Event(EventType.DIGEST, "", "", title="Daily digest", detail="\n".join(lines))
    blocks = render_alert(alert(digest))["blocks"]
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(sections) == 3 and all(len(s) <= SECTION_MAX for s in sections)
    shown = "\n".join(sections)
    assert all(f"{n}. Mara" in shown for n in range(120))  # 8,000 characters, none lost
