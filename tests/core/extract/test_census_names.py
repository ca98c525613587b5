"""First names from the 1990 US Census files of the package ``names``, beside the hand lists:
invented Canadian-style articles (invented outlets and people) whose names the hand lists lack."""

from __future__ import annotations

import pytest

from bench.census_names import not_names
from bench.train_quotes import held_out
from bot.core.extract import extract_quotes
from bot.core.extract.names import CENSUS_MALE, FEMALE, FIRST_NAMES, MALE, NOT_CENSUS_NAMES
from bot.core.matching.split import matched_quotes
from tests.conftest import SHARED

PRONOUNS = [
    (
        "Wanda Oakes, the harbour master, walked the pier with Dustin Pryce of the Bayfield "
        "Courier on Tuesday.\n\n“The pier will reopen by the long weekend,” she said.",
        "The pier will reopen by the long weekend,",
        "Wanda Oakes",
    ),
    (
        "Lorna Whitcombe met Dwayne Falk at the Cobourg Ledger forum. After the vote, Falk "
        "left early.\n\nShe said the arena levy was unfair to seniors.",
        "the arena levy was unfair to seniors",
        "Lorna Whitcombe",
    ),
    (
        "Rhea Dutta shared the stage with Ruben Ostrowski at the Moncton rink.\n\n"
        "“We will not close the rink,” she told Tidewater Radio.",
        "We will not close the rink,",
        "Rhea Dutta",
    ),
    (
        "Kerstin Maas and Clint Harlow spoke at the Kenora Ferry Board meeting. Harlow read "
        "the budget aloud.\n\n“The ferry fares stay frozen,” she said.",
        "The ferry fares stay frozen,",
        "Kerstin Maas",
    ),
    (
        "Ada Kwan ran against Kirk Sollen in the Ward 4 byelection.\n\n"
        "“Transit comes first,” she said at the Prairie Sentinel debate.",
        "Transit comes first,",
        "Ada Kwan",
    ),
    (
        "Doreen Kaminski greeted Dwayne Olafson at the Gimli dock.\n\n"
        "Later she said the fishery quota had been cut again.",
        "the fishery quota had been cut again",
        "Doreen Kaminski",
    ),
    (
        "Shelley Nakamura interviewed Tanner Boyce for the Fundy Herald.\n\n"
        "“I never promised a new school,” he said.",
        "I never promised a new school,",
        "Tanner Boyce",
    ),
    (
        "Birdwatcher Glenda Murchison said the marsh near Portage was drying out.",
        "the marsh near Portage was drying out",
        "Glenda Murchison",
    ),
]


@pytest.mark.parametrize(("text", "words", "speaker"), PRONOUNS)
def test_a_census_first_name_gives_the_pronoun_its_person(
    text: str, words: str, speaker: str
) -> None:
    found = [q for q in matched_quotes(extract_quotes(text)) if q.text == words]
    assert found, [q.text for q in extract_quotes(text)]
    assert found[0].speaker == speaker


def test_the_census_is_read_from_the_installed_package() -> None:
    assert CENSUS_MALE["james"] > 3  # the most common man's name, 3.318 percent
    assert {"wanda", "lorna", "rhea", "kerstin", "ada", "doreen"} <= FEMALE
    assert {"dustin", "dwayne", "ruben", "clint"} <= MALE


def test_a_name_of_either_sex_or_a_family_name_has_no_gender() -> None:
    # Morgan and Kim are given to both sexes; Lu is more often a family name ("Lu Kang").
    for name in ("morgan", "kim", "robin", "lu"):
        assert name in FIRST_NAMES
        assert name not in FEMALE and name not in MALE


def test_words_and_places_of_the_census_are_no_first_names_but_the_hand_lists_stay() -> None:
    for word in ("will", "may", "hope", "june", "king", "chase", "summer", "in", "carolina"):
        assert word not in FIRST_NAMES, word
    assert {"grace", "mark", "bill", "rosa"} <= FIRST_NAMES  # the hand lists keep them
    assert "jean" in MALE and "jean" not in FEMALE  # and their gender: Jean-Pierre, Jean Roy


def test_not_names_reads_lower_case_words_and_names_that_precede_no_surname() -> None:
    texts = [
        "They hope the ferry will run on the day they mark. Dustin Pryce agreed.",
        "South Carolina voted. Carolina Reyes spoke. North Carolina waited. Carolina rose.",
        "Wanda Oakes met Wanda Lind and Wanda Roy.",
    ]
    words = not_names(texts)
    assert {"hope", "carolina"} <= set(words)  # "will" and "rose" too: written in lower case
    assert "dustin" not in words and "wanda" not in words
    assert "mark" not in words  # a hand-list name is never left out, though written "mark"


def test_the_words_left_out_are_those_the_training_texts_give() -> None:
    data = SHARED / "data" / "polnear-train"
    if not (data / "text").is_dir():
        pytest.skip(f"{data} is not present")
    skip = held_out(data)  # never the check articles
    paths = sorted(p for p in (data / "text").glob("*.txt") if p.stem not in skip)
    assert not_names([p.read_text(encoding="utf-8") for p in paths]) == sorted(NOT_CENSUS_NAMES)
