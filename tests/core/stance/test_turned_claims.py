"""A claim that itself debunks or asks gives the bag of words the body's words marked apart."""

from __future__ import annotations

from bot.core.stance.features import (
    CLAIM_MARK,
    TURNED_MARK,
    claim_turned,
    evidence_words,
    pair_features,
    read_body,
)
from bot.core.stance.model import default_model

BODY = (
    "Posts shared widely on Sunday said the singer Tove Larsdal had died in a car crash. "
    "Her publicist said the story was a hoax and that Larsdal was at home in Bergsund. "
    "The singer posted a photo of herself with Monday's paper."
)


def _bag(claim: str) -> frozenset[str]:
    weights = default_model().weights
    view = read_body(BODY, weights)
    return evidence_words(claim, view, pair_features(claim, view, weights))


def test_debunking_and_asking_claims_are_turned_plain_and_negated_ones_are_not() -> None:
    assert claim_turned("Tove Larsdal death story a hoax")
    assert claim_turned("Tove Larsdal denies she is retiring")
    assert claim_turned("Did Tove Larsdal die in a car crash?")
    assert not claim_turned("Tove Larsdal dies in a car crash")
    # A plain "not" is no turn: a tracked "will not cost more than" stays as it is.
    assert not claim_turned("The harbour tax will not cost more than 400 million crowns")


def test_a_turned_claim_reads_each_body_word_twice_once_marked() -> None:
    plain = _bag("Tove Larsdal dies in a car crash")
    turned = _bag("Tove Larsdal death in a car crash a hoax")
    assert not any(w.startswith(TURNED_MARK) for w in plain)
    body = {w for w in turned if not w.startswith((CLAIM_MARK, TURNED_MARK))}
    assert body and {TURNED_MARK + w for w in body} <= turned
    assert not any(w.startswith(TURNED_MARK + CLAIM_MARK) for w in turned)


def test_the_committed_bag_weighs_marked_words() -> None:
    bag = default_model().bag
    assert bag is not None
    assert any(w.startswith(TURNED_MARK) for w in bag.coefficients)
