"""judge_stance on short pairs we wrote (invented people and outlets), one per kind of stance."""

from __future__ import annotations

import pytest

from bot.core.models import Stance
from bot.core.stance import judge_stance

DISPUTES = [
    pytest.param(
        "Orvale Foods will cut 300 jobs at its Lindqvist plant",
        "Orvale Foods denied that it will cut 300 jobs at its Lindqvist plant, and said the "
        "site was hiring.",
        id="denial",
    ),
    pytest.param(
        "The new Carrow rail line will open next spring",
        "Senator Maud Ferrant ridiculed the minister's claim that the new Carrow rail line "
        "will open next spring, calling it a fairy tale.",
        id="ridicule",
    ),
    pytest.param(
        "We will build the Brannock footbridge without raising fares",
        "Harbour master Tomas Wilde rejected the plan to build the Brannock footbridge "
        "without raising fares, saying the sums did not add up.",
        id="rejection",
    ),
    pytest.param(
        "The Carrow festival drew 40,000 visitors this summer",
        "The organisers' figure of 40,000 visitors for the Carrow festival does not hold up. "
        "Ticket records show that only 9,000 people attended this summer.",
        id="contradicting figures",
    ),
    pytest.param(
        "The Doral bridge should be demolished",
        "Ilse Marten said on Friday that her remarks about demolishing the Doral bridge had "
        "been taken out of context.",
        id="taken out of context",
    ),
    pytest.param(
        "The harbour tax will not cost households more than 400 crowns a year.",
        "The finance office pushed back on Tuesday against the mayor's statement that the "
        "harbour tax would cost no more than 400 crowns a year, saying its own estimate was "
        "650 crowns.",
        id="a verb acting on a statement noun's content",
    ),
    pytest.param(
        "The mine will create 2,000 jobs in the valley.",
        "Environmental groups questioned the company's claim that the mine will create 2,000 "
        "jobs in the valley, putting the figure closer to 300.",
        id="a figure with a thousands comma in the object",
    ),
    pytest.param(
        "The harbour tax will not cost households more than 400 crowns a year",
        "The harbour tax will cost households more than 400 crowns a year, the finance office "
        "said.",
        id="a bound restated the other way",
    ),
    pytest.param(
        "The Carrow bridge will reopen in June.",
        "The transport minister's promise that the Carrow bridge will reopen in June was "
        "dismissed by engineers as unrealistic.",
        id="a passive verb after the claim it contests",
    ),
    pytest.param(
        "The Linden school will not close.",
        "The board's promise that the Linden school will not close was rejected by parents.",
        id="a passive verb after a claim with its own not",
    ),
    pytest.param(
        "The harbour ferry line will open in June.",
        "Despite the mayor's claim that the harbour ferry line will open in June, photos taken "
        "on Monday show the pier is still under water and no boats have been ordered.",
        id="evidence set against the claim after despite",
    ),
    pytest.param(
        "Europe must offer Russia security guarantees",
        "Ukrainian officials rejected Macron's call for security guarantees for Russia.",
        id="the issue's first example",
    ),
    pytest.param(
        "I promise not to raise the harbour tax",
        "Councillor Ines Calloway rejected the mayor's promise not to raise the harbour tax, "
        "calling it pure fantasy.",
        id="the issue's second example",
    ),
    pytest.param(
        "The Holm bridge will open to traffic in the spring of 2028.",
        "Engineers say the minister's timetable for the Holm bridge cannot be met.",
        id="a judging word closing a clause about the statement",
    ),
    pytest.param(
        "The Holm bridge will open to traffic in the spring of 2028.",
        "Mette Rask, the project's chief engineer, said the timetable for the Holm bridge was "
        "unrealistic.",
        id="unrealistic",
    ),
    pytest.param(
        "The Holm bridge will open to traffic in the spring of 2028.",
        "Councillor Ivo Brandt disagreed with the minister about the Holm bridge opening in "
        "the spring of 2028.",
        id="disagreed with",
    ),
    pytest.param(
        "Crime in Carrow fell by 20 per cent last year",
        "Police figures released on Friday show crime in Carrow rose by 12 per cent last year.",
        id="a trend told the other way",
    ),
    pytest.param(
        "The number of ferry passengers increased this summer",
        "The number of ferry passengers dropped sharply this summer, the operator's own "
        "figures show.",
        id="a trend told the other way, in other verbs",
    ),
    pytest.param(
        "The north pier will reopen in June",
        "Councillor Jonas Pihl's claim that the north pier will reopen in June is wrong, the "
        "harbour master, Mette Rud, says.",
        id="a claim restated, then judged",
    ),
    pytest.param(
        # "May" the month is no "may" that hedges the judging word after it
        "The north pier will reopen in May",
        "The harbour master says Councillor Jonas Pihl's claim that the north pier will "
        "reopen in May is wrong.",
        id="a month before the judging word",
    ),
]


@pytest.mark.parametrize(("claim", "text"), DISPUTES)
def test_contesting_coverage_is_a_dispute_with_its_sentence(claim: str, text: str) -> None:
    verdict = judge_stance(claim, text)
    assert verdict.stance is Stance.DISPUTE, verdict
    assert verdict.evidence and verdict.evidence in text


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        pytest.param(
            "Kestrel Air will open a route to Vannes in May",
            "Kestrel Air confirmed on Tuesday that it will open a route to Vannes in May, with "
            "four flights a week from the Solberg terminal.",
            id="confirmation",
        ),
        pytest.param(
            "The Linden school day should be extended by one hour",
            "Teachers' union leader Paula Brisk endorsed the proposal to extend the Linden "
            "school day by one hour, saying it would help pupils catch up.",
            id="endorsement",
        ),
    ],
)
def test_confirming_coverage_supports(claim: str, text: str) -> None:
    verdict = judge_stance(claim, text)
    assert verdict.stance is Stance.SUPPORT, verdict
    assert verdict.evidence and verdict.evidence in text


def test_a_neutral_report_of_the_claim_discusses_it() -> None:
    claim = "Kestrel Air will open a route to Vannes in May"
    text = (
        "Kestrel Air may open a route to Vannes in May, according to a report in the Coastal "
        "Ledger, which cited two people familiar with the plans. The airline declined to "
        "comment on the report."
    )
    assert judge_stance(claim, text).stance is Stance.DISCUSS


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        pytest.param(
            "We are offering a pay rise of four percent",
            "Union leader Ada Voss did not reject the offer of a pay rise of four percent, and "
            "said a deal was reachable.",
            id="a negated rejection",
        ),
        pytest.param(
            # "not more than 400" and "380, below the 400-crown ceiling" say the same: no
            # "not" was dropped from the claim, the bound is worded another way.
            "The harbour tax will not cost households more than 400 crowns a year.",
            "An independent review found the mayor was right: the harbour tax will cost the "
            "average household 380 crowns a year, below the 400-crown ceiling she promised.",
            id="a bound kept in other words",
        ),
        pytest.param(
            "The Linden school will not close.",
            "The board's promise that the Linden school will not close was not rejected by "
            "parents, who said they trusted it.",
            id="a negated passive rejection",
        ),
        pytest.param(
            # the main clause after "despite" confirms the claim
            "The harbour ferry line will open in June.",
            "Despite the mayor's insistence that the harbour ferry line will open in June had "
            "drawn scepticism, engineers confirmed on Monday that the harbour ferry line will "
            "open in June as planned.",
            id="despite a claim, a confirmation",
        ),
        pytest.param(
            # "despite" sets the main clause against another claim, not against this one
            "The harbour ferry line will open in June.",
            "Despite claims that the toll bridge will close, the harbour ferry line will open "
            "in June, the mayor said.",
            id="despite another claim",
        ),
        pytest.param(
            # The claim word for word with a "not" added, but the "not" negates "dispute":
            # the councillor accepts the claim.
            "The harbour levy will pass in May.",
            "Councillor Bram Osei did not dispute that the harbour levy will pass in May.",
            id="a not that cancels a contesting verb flips no claim",
        ),
        pytest.param(
            # the judging word is aimed at the critics' claims, which are not this one
            "The Holm bridge will open to traffic in the spring of 2028.",
            "The minister said critics' claims that the Holm bridge will open late were wrong.",
            id="a judging word aimed at another claim",
        ),
        pytest.param(
            "The Holm bridge will open to traffic in the spring of 2028.",
            "Engineers said the minister's timetable for the Holm bridge was not unrealistic.",
            id="a negated judging word",
        ),
        pytest.param(
            "The Holm bridge will open to traffic in the spring of 2028.",
            "Nobody disagreed with the minister that the Holm bridge will open to traffic in "
            "the spring of 2028.",
            id="a contesting verb whose subject is no one",
        ),
        pytest.param(
            "The north pier will reopen in May",
            "The harbour master said the claim that the north pier will reopen in May may be "
            "wrong.",
            id="a judging word hedged by may",
        ),
        pytest.param(
            # both ways, the figures say: not the claim's trend reversed
            "Crime in Carrow fell by 20 per cent last year",
            "Crime in Carrow fell by 20 per cent last year, police said, though car thefts rose.",
            id="a trend told both ways",
        ),
    ],
)
def test_coverage_that_contests_nothing_is_no_dispute(claim: str, text: str) -> None:
    assert judge_stance(claim, text).stance is not Stance.DISPUTE


def test_a_body_about_something_else_is_unrelated_without_evidence() -> None:
    claim = "Kestrel Air will open a route to Vannes in May"
    text = "The Kessel Valley marathon drew a record field of 14,000 runners on Sunday."
    verdict = judge_stance(claim, text)
    assert verdict.stance is Stance.UNRELATED and verdict.evidence is None
