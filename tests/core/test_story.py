"""The story of one statement: first appearance, outlets per day, variants with diffs, disputes."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.core.models import Event, EventType
from bot.core.story import build_story, story_reply, story_to_dict
from tests.core.test_digest import SEED_LIKE, START, STATEMENTS

TIMES = [START + timedelta(hours=h) for h in (0, 2, 3, 3, 20, 26, 27, 28)]
EVENTS = list(zip(TIMES, SEED_LIKE[:8], strict=True))


def test_story_of_one_statement() -> None:
    story = build_story(STATEMENTS[1], EVENTS)
    assert story.first.outlet == "Harbour Ledger"
    # Outlets per day, each once: Daily Lantern's second copy is not a second outlet.
    assert story.spread == (
        ("2026-03-02", ("Harbour Ledger", "Northfield Gazette", "Daily Lantern")),
        ("2026-03-03", ("Evening Quill", "Coastline Post")),
    )  # statement 2's event is not ours
    assert [v.text for v in story.variants] == ["We will send troops", "We will not send troops"]
    assert story.variants[0].severity == "high"
    assert story.variants[0].first_seen == TIMES[4]
    assert story.variants[0].diff[1].op == "delete"
    assert story.disputes[0].by == "Tomas Brill" and story.disputes[0].recorded_on is None
    assert len(story.outlets) == 5
    hourly = build_story(STATEMENTS[1], EVENTS, by_hour=True)
    assert ("2026-03-02 12:00", ("Daily Lantern",)) in hourly.spread


def test_story_reply_reads_as_a_history() -> None:
    reply = story_reply(build_story(STATEMENTS[1], EVENTS), "troops")
    assert reply.ok and reply.title == "Story of statement #1 by Aurèle Vasseur"
    text = "\n".join(reply.lines)
    assert "First appeared: Harbour Ledger, 2026-03-02 https://ledger.example/a1" in text
    assert "2026-03-02: 3 outlets (Harbour Ledger, Northfield Gazette, Daily Lantern)" in text
    assert "• Evening Quill, 2026-03-03: negation (high)" in text
    assert "We will [-not-] send troops" in text  # the diff, not only the wording
    assert "• Tomas Brill — Northfield Gazette, 2026-03-03 https://northfieldgazette" in text
    assert "  evidence: Tomas Brill said the claim that nothing is ruled out was false." in text
    data = reply.data["story"]
    assert json.loads(json.dumps(data)) == data == story_to_dict(build_story(STATEMENTS[1], EVENTS))


def test_no_story_says_so() -> None:
    reply = story_reply(None, "words nobody said")
    assert not reply.ok and reply.title == "No known statement matches “words nobody said”."


def test_a_dispute_recorded_beside_it_is_told_with_the_statement_it_was_recorded_on() -> None:
    rebuttal = Event(
        EventType.DISPUTE,
        "https://gazette.example/b",
        "Northfield Gazette",
        statement_id=2,
        disputed_by=None,
        evidence="The claim, however, fails to acknowledge the deficit.”",
    )
    story = build_story(STATEMENTS[1], [*EVENTS, (TIMES[7], rebuttal)], beside={2: STATEMENTS[2]})
    assert [d.recorded_on for d in story.disputes] == [None, 2]
    text = "\n".join(story_reply(story, "troops").lines)
    # The outlet in its own voice; a sentence closing a quotation opened before it opens “….
    assert "• Northfield Gazette (in its own voice) — Northfield Gazette" in text
    assert "  evidence: “…The claim, however, fails to acknowledge the deficit.”\n" in text
    assert "(recorded on #2 “The budget is balanced”, quoted beside it" in text
    # Without ``beside`` another statement's dispute is not this story's.
    assert len(build_story(STATEMENTS[1], [*EVENTS, (TIMES[7], rebuttal)]).disputes) == 1


def test_a_statement_with_no_outlet_and_no_date() -> None:
    from bot.core.models import Appearance, Statement

    pinned = Statement(9, None, "We keep the harbour open", Appearance("", "", None), tracked=True)
    lines = story_reply(build_story(pinned, []), "9").lines
    assert lines[1] == "First appeared: an unknown outlet, date unknown"
    assert lines[2] == "Carried by 0 outlets: "
