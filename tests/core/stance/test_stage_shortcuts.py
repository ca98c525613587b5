"""Shortcuts the dispute stage takes for speed (issue 20), held to what they replace: the
linker's checks of a speaker's name read the name at each place it stands instead of compiling
a pattern per name; an article's words are stemmed one distinct word at a time."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.stance.linking import _AT_WORD, _NAME_NOT_HERS, _NAME_WORDS, name_then
from bot.core.stance.relatedness import DocumentFrequencies
from bot.core.stance.text import _AMOUNT, STOPWORDS, content_stems, stem, words

NAMES = st.sampled_from(["Osei", "Dahl", "O'Neil", "Li", "Ölund", "Smith-Jones", "a"])
PIECES = st.sampled_from(
    ["Osei", "Dahl", "O'Neil", "Li", "Ölund", "Smith-Jones", "a", "'s", "’s", "s", " ", "  ",
     "critics", "remarks", "claim", "latest", "x", "Lin", "_", "-", ".", "\n", "statement"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(NAMES, st.lists(PIECES, max_size=12).map("".join))
def test_a_name_then_what_follows_is_the_pattern_of_the_name(name: str, text: str) -> None:
    for then in (_AT_WORD, _NAME_NOT_HERS, _NAME_WORDS):
        expected = re.search(rf"\b{re.escape(name)}{then.pattern}", text) is not None
        assert name_then(name, text, then) == expected


def test_names_in_sentences() -> None:
    assert name_then("Osei", "Critics of Osei's remarks", _NAME_WORDS)
    assert name_then("Osei", "Osei, who spoke", _NAME_NOT_HERS)
    assert not name_then("Osei", "Osei's critics were wrong", _NAME_NOT_HERS)
    assert not name_then("Li", "Lin said", _AT_WORD)
    assert name_then("Li", "Lin and Li said", _AT_WORD)  # the second place it stands


def _stems_read_whole(text: str) -> list[str]:
    """``content_stems`` as it was written before the words were stemmed one at a time."""
    out = []
    for word in words(text):
        low = word.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if len(low) < 2 or low in STOPWORDS:
            continue
        amount = _AMOUNT.fullmatch(low)
        out.append(amount.group(1) if amount else stem(low))
    return out


WORDY = st.text(alphabet="aAbsSIé’'0m9 .,-\n", max_size=60) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDY, min_size=1, max_size=3))
def test_stems_and_document_counts_are_those_of_the_whole_text(texts: list[str]) -> None:
    df = DocumentFrequencies()
    expected: dict[str, int] = {}
    for text in texts:
        assert content_stems(text) == _stems_read_whole(text)
        df.add(text)
        for s in {s for w in set(words(text)) for s in _stems_read_whole(w)}:
            expected[s] = expected.get(s, 0) + 1
    assert dict(df.counts) == expected
    assert content_stems("The mayor's $800M plan, Ines’s plans") == [
        "mayor",
        "800",
        "plan",
        "ine",
        "plan",
    ]
