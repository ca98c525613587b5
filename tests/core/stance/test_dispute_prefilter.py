"""The dispute stage's word check before its cue regexes: it skips a sentence only when no cue
pattern can match it, so the cues found are the regexes' own (issue 20)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.stance import disputes
from bot.core.stance.disputes import _OPENINGS, _PATTERNS, cue_openings, find_cues, may_hold_cue

PATTERNS = [pattern for _, pattern in _PATTERNS]
FILLER = st.text(alphabet="abcdefghij KLMNOP.,'’“”-—\n", max_size=40)


def _straight(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def test_the_openings_are_read_off_the_patterns() -> None:
    assert _OPENINGS is not None
    assert {"reject", "disput", "no evidence", "never said", "flawed"} <= set(_OPENINGS)
    assert all(o == o.lower() and o.isascii() for o in _OPENINGS)
    assert not any(a != b and a in b for a in _OPENINGS for b in _OPENINGS)


def test_openings_of_small_patterns() -> None:
    assert cue_openings([re.compile(r"\b(?:ab|cd(?:e|f)?)x*\b", re.I)]) == ("ab", "cd")
    assert cue_openings([re.compile(r"(?:Hit(?:s|ting)? back|row)\b")]) == (
        "hit back",
        "hits back",
        "hitting back",
        "row",
    )
    assert cue_openings([re.compile(r"(?:na)+ive")]) == ("na",)  # repeated: the first only
    assert cue_openings([re.compile(r"(?=x)yz")]) == ("yz",)  # a look-ahead reads nothing
    assert cue_openings([re.compile(r"\w+ said")]) is None  # a match may open with anything
    assert cue_openings([re.compile(r"x?yz")]) == ("yz",)  # "xyz" holds "yz": one check
    assert cue_openings([re.compile(r"abcdef")], longest=3) == ("abc",)


def test_sentences_without_a_cue_word_are_skipped() -> None:
    quiet = "The ferry leaves the harbour at noon, the timetable says."
    assert not may_hold_cue(quiet)
    assert find_cues(quiet) == []
    assert may_hold_cue("Councillor Osei REJECTED the plan.")


def test_letters_that_lower_case_folds_apart_are_scanned() -> None:
    # Each of these matches an ASCII letter under IGNORECASE although lower() keeps it apart:
    # the check must not skip a sentence for them.
    for text in ("İn fact the levy was cut.", "That is \u0131n fact untrue.", "Utter nonſense."):
        assert may_hold_cue(text)
        assert find_cues(text) == list(disputes._scan(_straight(text), _PATTERNS))
    assert find_cues("İn fact the levy was cut.") != []
    assert may_hold_cue("Osei moc\u212aed the plan.")  # the Kelvin sign lower-cases to k


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS).flatmap(st.from_regex), FILLER, FILLER)
def test_no_sentence_a_cue_pattern_matches_is_skipped(cue: str, before: str, after: str) -> None:
    text = before + cue + after
    straight = _straight(text)
    if any(p.search(straight) for p in PATTERNS):
        assert may_hold_cue(straight)
    assert find_cues(text) == list(disputes._scan(straight, _PATTERNS))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gets_the_cues_of_the_full_scan(text: str) -> None:
    assert find_cues(text) == list(disputes._scan(_straight(text), _PATTERNS))
