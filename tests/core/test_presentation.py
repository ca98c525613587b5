"""The words every renderer shares (`bot.core.presentation`): cuts, plurals, evidence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.models import Event, EventType
from bot.core.presentation import (
    KINDS,
    Markup,
    alert_body,
    alert_facts,
    alert_summary,
    alert_title,
    evidence_text,
    is_finding,
    left_out,
    plural,
    quoted,
    shorten,
)


def test_every_kind_of_event_has_its_own_words_even_with_nothing_else_known() -> None:
    assert set(KINDS) == set(EventType)
    assert len({words.word for words in KINDS.values()}) == len(EventType)
    for kind in EventType:
        bare = Event(kind, "", "")
        assert alert_title(bare) == KINDS[kind].word
        assert alert_body(bare, Markup()) == ""
        labels = [label for label, _ in alert_facts(bare, Markup())]
        assert labels == FACTS_OF_A_BARE_EVENT.get(kind, ["Speaker", "Outlet"]), kind


FACTS_OF_A_BARE_EVENT = {
    EventType.MISATTRIBUTION: ["Credited to", "Said by", "Outlet"],
    EventType.DISPUTE: ["Speaker", "Disputed by", "Evidence", "Outlet"],
    EventType.FEED_NOTICE: [],  # the bot's own words: no speaker, no outlet
    EventType.DIGEST: [],
}


def test_a_notice_is_told_in_its_own_words_and_a_finding_with_its_quote_and_outlet() -> None:
    notice = Event(EventType.FEED_NOTICE, "", "", title="The Lantern", detail="Failing since 9.")
    assert not is_finding(notice)
    assert alert_summary(notice) == "Feed notice: The Lantern: Failing since 9."
    dispute = Event(EventType.DISPUTE, "u", "The Lantern", speaker="Ada Quill", canonical="We do.")
    assert is_finding(dispute)
    assert alert_summary(dispute) == "Disputed statement: Ada Quill: “We do.” (The Lantern)"
    notices = [k for k in EventType if k.is_notice]  # the kinds the digest leaves out too
    assert [k for k in EventType if not is_finding(Event(k, "", ""))] == notices
    assert notices == [EventType.FEED_NOTICE, EventType.DIGEST]


def test_plurals_agree_with_their_count() -> None:
    assert [plural(n, "outlet") for n in (0, 1, 2)] == ["0 outlets", "1 outlet", "2 outlets"]
    assert plural(1, "time") == "1 time" and plural(3, "time") == "3 times"
    assert plural(2, "copy", "copies") == "2 copies"
    assert left_out(1, 0).startswith("… 1 more line not shown")
    assert left_out(2, 1).startswith("… 2 more lines and 1 more field not shown")


def test_a_quote_of_200_characters_is_cut_at_a_word_with_an_ellipsis_inside_its_marks() -> None:
    words = "We will keep the ferry running all winter if the council approves the budget " * 4
    shown = quoted(words, 200)
    assert len(shown) <= 200 and shown.startswith("“") and shown.endswith("…”")
    kept = shown[1:-2]
    assert words.startswith(kept) and words[len(kept)] == " "
    assert quoted("We will.", 200) == "“We will.”"


def test_a_cut_inside_a_quotation_closes_it_after_the_ellipsis() -> None:
    text = "She said “we will open the bridge on the day it returns to the harbour” and left."
    assert shorten(text, 40) == "She said “we will open the bridge on…”"
    assert shorten("no quotation here, only words", 20) == "no quotation here,…"


def test_one_long_word_is_cut_where_it_must_be() -> None:
    assert shorten("x" * 50, 10) == "x" * 9 + "…"


@given(st.text(max_size=300), st.integers(1, 120))
def test_a_shortened_text_fits_and_keeps_its_beginning(text: str, limit: int) -> None:
    shown = shorten(text, limit)
    assert len(shown) <= limit
    if shown != text:
        kept = shown.rstrip('”’"')
        assert kept.endswith("…") and text.startswith(kept[:-1].rstrip())


def test_evidence_marks_are_balanced() -> None:
    assert evidence_text("Tenzer commented: “Devastating.””") == "Tenzer commented: “Devastating.”"
    assert evidence_text("flawed vision.” Polyakova said") == "“…flawed vision.” Polyakova said"
    assert evidence_text("He said: “We will go.") == "He said: “We will go.”"
    assert evidence_text("  plain   words ") == "plain words"
    assert evidence_text(None) == ""


def test_many_open_quotations_are_all_closed_within_the_limit() -> None:
    shown = shorten("“" * 5000, 3000)
    assert len(shown) >= 2990 and shown.count("“") == shown.count("”")
