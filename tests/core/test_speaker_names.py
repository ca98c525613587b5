"""Who can be blamed for another speaker's words: a named person or organisation, never a group
the article credits without naming anyone; and the folded form names are compared in."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.matching.classify import KnownStatement, classify_quote
from bot.core.models import Relation
from bot.core.speaker_names import fold, is_group, names_someone

WORDS = "the harbour ferry will stop running at the end of the year because the fleet is too old"


@pytest.mark.parametrize("group", ["Officials", "Some Democrats", "Critics", "Two officials"])
def test_a_group_is_no_one_in_particular(group: str) -> None:
    assert is_group(group) and not names_someone(group)


@pytest.mark.parametrize("name", ["Ines Calloway", "Senate Democrats", "Bank of England"])
def test_a_name_is_someone(name: str) -> None:
    assert names_someone(name) and not is_group(name)


def test_a_group_saying_a_persons_words_is_no_misattribution() -> None:
    mayor = KnownStatement(1, "Ines Calloway", WORDS)
    # "Officials said the ferry will stop": the officials may well include the mayor.
    assert classify_quote(WORDS, "Some Democrats", [mayor]).relation is not Relation.MISATTRIBUTION
    assert classify_quote(WORDS, "Critics", [mayor]).relation is not Relation.MISATTRIBUTION
    # A named person saying them still is one.
    assert classify_quote(WORDS, "Luis Ortega", [mayor]).relation is Relation.MISATTRIBUTION


def _fold_letter_by_letter(text: str) -> str:
    """fold as it was written first: every letter decomposed, its marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", bare.lower()).split())


@given(st.text(alphabet=st.sampled_from("aZé Éİıſ\u212a\u0301\u00a0\u2028\x1cﬁ①ǅ-’.,x9 \n\t")))
def test_fold_gives_what_the_letter_by_letter_fold_gave(text: str) -> None:
    assert fold(text) == _fold_letter_by_letter(text)


@given(st.text())
def test_fold_gives_what_the_letter_by_letter_fold_gave_on_any_text(text: str) -> None:
    assert fold(text) == _fold_letter_by_letter(text)
