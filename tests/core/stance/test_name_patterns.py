"""The linker's checks of a speaker's name read the name at each place it stands instead of
compiling a pattern per name (issue 20): they find what that pattern found."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.stance.linking import _AT_WORD, _NAME_NOT_HERS, _NAME_WORDS, name_then

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
