"""The dispute stage's word check before its cue regexes: it skips a sentence only when no cue
pattern can match it, so the cues found are the regexes' own (issue 20)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.stance import disputes
from bot.core.stance.disputes import (
    _OPENINGS,
    _PATTERNS,
    cue_openings,
    find_cues,
    may_hold_cue,
)
from bot.core.stance.text import alternation

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


def any_of(strings: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(alternation(strings))


def test_alternation_is_a_tree_of_the_strings() -> None:
    assert alternation(("ab", "cd", "ce")) == "(?:ab|c(?:d|e))"
    assert alternation(("ab", "abc", "b")) == "(?:ab(?:c)?|b)"
    assert any_of(()).search("anything") is None
    assert any_of(("a.b",)).search("axb") is None  # the strings are literal
    # longest first, as the alternation sorted by length finds it
    assert _span(("vice", "vice president", "president"), "", "vice president") == (0, 14)
    assert _span(("ab", "abc"), "c?d", "abcd") == (0, 3)
    assert _span(("ab", "abc"), "d", "abd") == (0, 2)


def _span(strings: tuple[str, ...], tail: str, text: str) -> tuple[int, int] | None:
    found = re.search(f"({alternation(strings)}){tail}", text)
    return found.span(1) if found else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abc. ", min_size=1, max_size=4), max_size=6), st.text("abc. "))
def test_alternation_matches_as_the_longest_first_alternation(
    strings: list[str], text: str
) -> None:
    plain = "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)) or "(?!)"
    for tail in ("", r"\.", "a+b"):  # what follows may make the longest fail: the next is tried
        expected = re.search(f"({plain}){tail}", text)
        assert _span(tuple(strings), tail, text) == (expected.span(1) if expected else None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghij KLMNOP.,'’“”-—\nİ", max_size=60) | st.text(max_size=60))
def test_the_check_is_the_substring_check(text: str) -> None:
    assert _OPENINGS is not None
    found = any_of(_OPENINGS).search(text) is not None
    assert found == any(opening in text for opening in _OPENINGS)
    words = ("a mistake", "ab", "cd", "q.", "x")
    assert (any_of(words).search(text) is not None) == any(w in text for w in words)


def test_the_check_on_real_sentences_is_the_substring_check() -> None:
    assert _OPENINGS is not None
    for opening in _OPENINGS:  # each opening found alone, inside words and at the ends
        for text in (opening, f"x{opening}y", f"the {opening[:-1]}"):
            assert (any_of(_OPENINGS).search(text) is not None) == any(o in text for o in _OPENINGS)
