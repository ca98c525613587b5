"""The digest: sections built from events, empty sections left out, an empty day in one line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from bot.core.digest import build_digest, digest_to_json, render_digest_text
from bot.core.models import (
    Appearance,
    Change,
    ChangeKind,
    DiffOp,
    Event,
    EventType,
    Severity,
    Statement,
)

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
END = datetime(2026, 3, 3, 9, tzinfo=UTC)
SPEAKER = "Aurèle Vasseur"
CANON = "We will not send troops, but nothing can be ruled out"
FIRST = Appearance("Harbour Ledger", "https://ledger.example/a1", START)
STATEMENTS = {
    1: Statement(1, SPEAKER, CANON, FIRST, quote_count=5, outlets=("Harbour Ledger",)),
    2: Statement(2, "Ines Morrow", "The budget is balanced", FIRST),
}


def ev(kind: EventType, outlet: str, sid: int | None = 1, **kw: object) -> Event:
    url = f"https://{outlet.lower().replace(' ', '')}.example/{kind.value}"
    speaker = STATEMENTS[sid].speaker if sid else None
    return Event(kind, url, outlet, statement_id=sid, speaker=speaker, **kw)  # type: ignore[arg-type]


ALTER_DIFF = (
    DiffOp("equal", "We will", "We will"),
    DiffOp("delete", "not", ""),
    DiffOp("equal", "send troops", "send troops"),
)
SEED_LIKE = [
    ev(EventType.NEW_STATEMENT, "Harbour Ledger", quote=CANON),
    ev(EventType.REPEAT, "Northfield Gazette", quote=CANON),
    ev(EventType.REPEAT, "Daily Lantern", quote=CANON),
    ev(EventType.REPEAT, "Daily Lantern", quote=CANON),
    ev(
        EventType.ALTER,
        "Evening Quill",
        quote="We will send troops",
        changes=(Change(ChangeKind.NEGATION, Severity.HIGH, "will not", "will"),),
        diff=ALTER_DIFF,
    ),
    ev(
        EventType.ALTER,
        "Coastline Post",
        quote="We will not send troops",
        changes=(Change(ChangeKind.TRUNCATED, Severity.MEDIUM, CANON, "We will not send troops"),),
        diff=(DiffOp("equal", "We will not send troops", "We will not send troops"),),
    ),
    ev(
        EventType.DISPUTE,
        "Northfield Gazette",
        disputed_by="Tomas Brill",
        evidence="Tomas Brill said the claim that nothing is ruled out was false.",
    ),
    ev(EventType.NEW_STATEMENT, "Daily Lantern", sid=2, quote="The budget is balanced"),
    ev(EventType.TOPIC, "Daily Lantern", sid=None, topic="defence"),
    ev(EventType.TOPIC, "Evening Quill", sid=None, topic="defence"),
    ev(EventType.TOPIC, "Evening Quill", sid=None, topic="budget", channel="slack:OTHER"),
]


def test_seed_shaped_day() -> None:
    d = build_digest(SEED_LIKE, STATEMENTS, channel="slack:C1", start=START, end=END)
    assert [s.statement_id for s in d.new_statements] == [1, 2]
    top = d.most_repeated[0]
    assert top.statement_id == 1 and top.text == CANON
    assert set(top.outlets) == {
        "Harbour Ledger",
        "Northfield Gazette",
        "Daily Lantern",
        "Evening Quill",
        "Coastline Post",
    }
    assert top.mentions == 6
    assert [a.outlet for a in d.alterations] == ["Evening Quill", "Coastline Post"]
    assert d.alterations[0].severity == "high" and d.alterations[0].diff == ALTER_DIFF
    assert d.disputes[0].disputed_by == "Tomas Brill"
    assert d.topics == (("defence", 2),)  # the other channel's topic is not ours
    assert d.outlets[0] == ("Daily Lantern", 4)
    text = render_digest_text(d)
    assert "[-not-]" in text and "Tomas Brill disputes Aurèle Vasseur" in text
    assert "5 outlets, 6 quotes" in text and "defence (2)" in text
    data = digest_to_json(d)
    assert json.loads(json.dumps(data)) == data
    assert data["alterations"][0]["diff"][1] == {"op": "delete", "before": "not", "after": ""}  # type: ignore[index]


def test_watched_speakers_limit_new_statements() -> None:
    d = build_digest(
        SEED_LIKE,
        STATEMENTS,
        channel="slack:C1",
        start=START,
        end=END,
        watched_speakers=["ines morrow"],
    )
    assert [s.speaker for s in d.new_statements] == ["Ines Morrow"]


def test_empty_day_is_one_line_and_sections_are_left_out() -> None:
    d = build_digest([], STATEMENTS, channel="console:default", start=START, end=END)
    assert d.empty
    assert render_digest_text(d) == (
        "Digest for console:default, 2026-03-02 09:00 – 2026-03-03 09:00: nothing new."
    )
    only_new = build_digest(SEED_LIKE[:1], STATEMENTS, channel="c", start=START, end=END)
    text = render_digest_text(only_new)
    assert "New statements (1)" in text
    for absent in ("Most repeated", "Alterations", "Disputes", "Topics"):
        assert absent not in text


def test_a_long_section_lists_its_first_items_and_counts_the_rest() -> None:
    many = [
        Event(
            EventType.NEW_STATEMENT,
            f"https://ledger.example/{n}",
            "Harbour Ledger",
            statement_id=100 + n,
            speaker="Ines Morrow",
            quote=f"Pier {n} opens soon",
        )
        for n in range(30)
    ]
    digest = build_digest(many, {}, channel="console:desk", start=START, end=END)
    assert len(digest.new_statements) == 30
    text = render_digest_text(digest, listed=25)
    assert "New statements (30)" in text
    assert "“Pier 24 opens soon”" in text and "Pier 25 opens" not in text
    assert "… and 5 more (verbatim digest --json lists them all)" in text
    assert len(digest_to_json(digest)["new_statements"]) == 30  # type: ignore[arg-type]


def test_one_outlet_is_one_outlet() -> None:
    twice = [
        ev(EventType.NEW_STATEMENT, "Harbour Ledger", quote=CANON),
        ev(EventType.REPEAT, "Harbour Ledger", quote=CANON),
    ]
    text = render_digest_text(build_digest(twice, STATEMENTS, channel="c", start=START, end=END))
    assert "— 1 outlet, 2 quotes" in text


def test_a_disputes_evidence_is_shown_as_its_sentence_marks_balanced() -> None:
    events = [
        e
        if e.type is not EventType.DISPUTE
        else replace(e, evidence="Brill dismissed the pledge as “pure fantasy” and left.””")
        for e in SEED_LIKE
    ]
    text = render_digest_text(
        build_digest(events, STATEMENTS, channel="slack:C1", start=START, end=END)
    )
    assert "    Brill dismissed the pledge as “pure fantasy” and left. (Northfield Gazette)" in text
