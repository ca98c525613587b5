"""judge_stance on bodies we wrote: support, dispute, discuss, unrelated, and its evidence."""

from __future__ import annotations

from bot.core.models import Stance
from bot.core.stance import DocumentFrequencies, judge_stance

CLAIM = "Vellmar Dynamics will close its Ostrava battery plant in March"

SUPPORTING = (
    "Vellmar Dynamics will close its Ostrava battery plant in March, the company confirmed on "
    "Thursday. About 900 workers at the Ostrava site were told of the closure at a morning "
    "meeting, and the plant's last battery line will stop on March 28."
)
DISPUTING = (
    "Vellmar Dynamics has denied reports that it will close its Ostrava battery plant. "
    "“The story is false. The Ostrava plant is hiring, not closing,” spokeswoman Irma Tesch "
    "said. The rumour about a March closure began on a forum and has no evidence behind it."
)
DISCUSSING = (
    "Vellmar Dynamics may close its Ostrava battery plant, according to two people familiar "
    "with the plans, who said a decision could come in March. The company declined to "
    "comment. Union leaders in Ostrava said they had heard the reports and were seeking a "
    "meeting."
)
UNRELATED = (
    "The Kessel Valley marathon drew a record field of 14,000 runners on Sunday, and the "
    "course record fell in the women's race. Organisers said the new river route would stay."
)


def test_a_body_that_states_the_claim_as_fact_supports_it() -> None:
    verdict = judge_stance(CLAIM, SUPPORTING)
    assert verdict.stance is Stance.SUPPORT
    assert verdict.evidence and "Ostrava battery plant" in verdict.evidence


def test_a_body_that_calls_the_claim_false_disputes_it() -> None:
    verdict = judge_stance(CLAIM, DISPUTING)
    assert verdict.stance is Stance.DISPUTE
    assert verdict.evidence and verdict.evidence in DISPUTING
    assert 0.0 < verdict.score <= 1.0


def test_a_body_that_reports_the_claim_with_hedges_discusses_it() -> None:
    assert judge_stance(CLAIM, DISCUSSING).stance is Stance.DISCUSS


def test_a_body_about_something_else_is_unrelated() -> None:
    verdict = judge_stance(CLAIM, UNRELATED)
    assert verdict.stance is Stance.UNRELATED
    assert verdict.evidence is None


def test_a_negated_restatement_disputes_the_claim() -> None:
    body = (
        "Vellmar Dynamics will not close its Ostrava battery plant in March, its chief "
        "executive told workers, adding that the site would keep all 900 jobs."
    )
    assert judge_stance(CLAIM, body).stance is Stance.DISPUTE


def test_cue_words_inside_the_claim_itself_do_not_count_as_disputing_it() -> None:
    claim = "Senator Ruth Adair denied taking money from the Kessel lobby"
    body = (
        "Senator Ruth Adair denied taking money from the Kessel lobby on Monday, and her "
        "office released bank statements covering the last five years."
    )
    assert judge_stance(claim, body).stance is not Stance.DISPUTE


def test_learnt_word_rarity_keeps_verdicts_and_empty_inputs_are_unrelated() -> None:
    df = DocumentFrequencies(min_documents=2)
    df.add_all([SUPPORTING, DISPUTING, DISCUSSING, UNRELATED])
    assert judge_stance(CLAIM, UNRELATED, df).stance is Stance.UNRELATED
    assert judge_stance(CLAIM, SUPPORTING, df).stance is Stance.SUPPORT
    assert judge_stance(CLAIM, "", df).stance is Stance.UNRELATED
    assert judge_stance("", SUPPORTING).stance is Stance.UNRELATED


def test_a_paraphrase_asserted_without_hedges_supports_the_claim() -> None:
    claim = "Arlo Venn ripped up $800M Gravel Kings reunion contract"
    body = (
        "Singer Arlo Venn has torn up an $800 million contract for a reunion tour of his old "
        "band, the Gravel Kings. Venn, 66, turned down the offer from promoter Lake Nation, "
        "which would have seen the band play 35 dates."
    )
    hedged = (
        "Arlo Venn reportedly ripped up an $800 million contract for a Gravel Kings reunion, "
        "according to a tabloid. The claim could not be verified and his management has not "
        "responded to requests for comment."
    )
    assert judge_stance(claim, body).stance is Stance.SUPPORT
    assert judge_stance(claim, hedged).stance is Stance.DISCUSS
