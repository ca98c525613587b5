"""Who can be blamed for another speaker's words: a named person or organisation, never a group
the article credits without naming anyone."""

from __future__ import annotations

import pytest

from bot.core.matching.classify import KnownStatement, classify_quote
from bot.core.models import Relation
from bot.core.speaker_names import is_group, names_someone

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
