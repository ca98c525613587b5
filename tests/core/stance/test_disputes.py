"""Disputes in articles we wrote (invented people and outlets): who contests which statement."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.models import Quote, QuoteKind
from bot.core.stance import Target, find_disputes
from bot.core.stance.disputes import find_cues, object_window
from bot.core.stance.linking import _surname, speaker_role
from bot.core.stance.people import ROLE_WORDS
from bot.core.stance.relatedness import DocumentFrequencies

TOLVANE = "The harbour bridge will close for two years starting in May"
TOLVANE_B = "We will open three new libraries in the northern districts"
OKORO = "Ferry fares will fall by half before the winter season"


def _article(text: str, said: list[tuple[str, str]], statements: list[tuple[int, str, str]]):
    """Quotes located with str.find; a target spans wherever its words are quoted."""
    quotes = []
    for words, speaker in said:
        start = text.find(words)
        assert start >= 0, words
        quotes.append(Quote(words, start, start + len(words), QuoteKind.DIRECT, speaker))
    targets = []
    for sid, speaker, words in statements:
        start = text.find(words)
        spans = ((start, start + len(words)),) if start >= 0 else ()
        targets.append(Target(sid, speaker, words, spans))
    return text, quotes, targets


def _find(text: str, said: list[tuple[str, str]], statements: list[tuple[int, str, str]]):
    return find_disputes(*_article(text, said, statements))


def _after_tolvane(sentence: str):
    """The disputes of a follow-up paragraph to the mayor's quoted statement."""
    text = f"Mayor Lena Tolvane said on Monday: “{TOLVANE}.”\n\n{sentence}"
    return _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)])


def test_a_named_rival_rejecting_the_proposal_is_a_dispute_by_that_rival() -> None:
    text = (
        f"Mayor Lena Tolvane said on Monday: “{TOLVANE}.”\n\n"
        "Councillor Bram Osei rejected Ms. Tolvane’s plan within the hour, saying the city "
        "had not consulted a single ferry operator."
    )
    findings = _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.statement_id, f.by, f.cue) for f in findings] == [(1, "Bram Osei", "rejected")]
    assert findings[0].evidence.startswith("Councillor Bram Osei rejected")


def test_ridicule_inside_a_quote_by_another_speaker() -> None:
    ridicule = "Tolvane’s closure plan is ridiculous and she knows it"
    text = (
        f"Mayor Lena Tolvane announced: “{TOLVANE}.”\n\n"
        f"Shopkeeper union chief Ada Marsh was blunt. “{ridicule},” Ms. Marsh said."
    )
    findings = _find(
        text,
        [(TOLVANE, "Lena Tolvane"), (ridicule, "Ada Marsh")],
        [(1, "Lena Tolvane", TOLVANE)],
    )
    assert [(f.by, f.cue) for f in findings] == [("Ada Marsh", "ridiculous")]


def test_the_outlets_own_framing_is_a_dispute_without_a_person() -> None:
    text = (
        f"“{TOLVANE},” Mayor Lena Tolvane told the Northgate Wire.\n\n"
        "Ms. Tolvane’s claim, however, is misleading: the closure schedule filed with the "
        "port authority runs for eight months, not two years."
    )
    findings = _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.by, f.cue) for f in findings] == [(None, "misleading")]


def test_a_denial_by_another_person_named_with_he() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Port director Yusuf Harrow was asked about it on Tuesday. "
        "He denied that the bridge would close, calling her remarks premature."
    )
    findings = _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.by, f.cue) for f in findings] == [("Yusuf Harrow", "denied")]


def test_the_speaker_walking_back_her_own_words() -> None:
    back = "I never said the bridge would close for two years. That was taken out of context"
    text = (
        f"Last week Mayor Lena Tolvane was quoted as saying: “{TOLVANE}.”\n\n"
        f"On Friday she changed course. “{back},” Ms. Tolvane told reporters."
    )
    findings = _find(
        text,
        [(TOLVANE, "Lena Tolvane"), (back, "Lena Tolvane")],
        [(1, "Lena Tolvane", TOLVANE)],
    )
    assert [(f.statement_id, f.by) for f in findings] == [(1, "Lena Tolvane")]
    assert findings[0].cue.lower() in {"never said", "taken out of context"}


def test_hedged_and_negated_cues_do_not_alert() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Councillor Bram Osei did not reject Ms. Tolvane’s plan, though he asked for a study. "
        "Port director Yusuf Harrow dismissed concerns that the ferries could not cope. "
        "A visiting engineer, Ines Carvalho, was denied entry to the bridge site. "
        "Osei said he might criticise the proposal later if costs rose."
    )
    assert _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)]) == []


def test_a_dispute_of_statement_a_goes_to_a_not_to_b_of_another_speaker() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        f"Transport chief Kofi Okoro promised: “{OKORO}.”\n\n"
        "Councillor Bram Osei slammed Ms. Tolvane’s announcement as reckless."
    )
    findings = _find(
        text,
        [(TOLVANE, "Lena Tolvane"), (OKORO, "Kofi Okoro")],
        [(1, "Lena Tolvane", TOLVANE), (2, "Kofi Okoro", OKORO)],
    )
    assert [(f.statement_id, f.by) for f in findings] == [(1, "Bram Osei")]


def test_two_statements_of_one_speaker_are_told_apart_by_content() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.” She added: “{TOLVANE_B}.”\n\n"
        "Librarian Ada Marsh dismissed Ms. Tolvane’s promise of three new libraries "
        "in the northern districts as a fantasy."
    )
    findings = _find(
        text,
        [(TOLVANE, "Lena Tolvane"), (TOLVANE_B, "Lena Tolvane")],
        [(1, "Lena Tolvane", TOLVANE), (2, "Lena Tolvane", TOLVANE_B)],
    )
    assert [(f.statement_id, f.by) for f in findings] == [(2, "Ada Marsh")]


def test_a_tracked_statement_not_quoted_in_the_article_is_linked_by_its_words() -> None:
    text = (
        "The Valley Courier checked the figures behind the ferry promise. "
        "There is no evidence that ferry fares will fall by half before the winter season, "
        "the port's own budget shows."
    )
    findings = _find(text, [], [(7, "Kofi Okoro", OKORO)])
    assert [(f.statement_id, f.by, f.cue) for f in findings] == [(7, None, "no evidence")]


def test_a_dispute_of_something_else_is_not_linked() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Separately, the regional court rejected a developer’s appeal over the old cannery, "
        "and Councillor Bram Osei condemned the vandalism at the marina."
    )
    assert _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)]) == []


def test_passive_rejection_names_the_agent() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Ms. Tolvane’s timetable was rejected by Councillor Bram Osei at Tuesday’s meeting."
    )
    findings = _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.by, f.cue) for f in findings] == [("Bram Osei", "rejected")]


def test_no_targets_or_no_text_gives_nothing() -> None:
    assert find_disputes("", [], [Target(1, "A B", "words")]) == []
    assert find_disputes("Osei rejected it.", [], []) == []


def test_a_scare_quoted_insult_is_credited_to_whoever_called_it_that() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Harbour pilot Nils Brandt called Ms. Tolvane’s timetable “nonsense” on local radio."
    )
    findings = _find(text, [], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.by, f.cue) for f in findings] == [("Nils Brandt", "nonsense")]


def test_contrary_to_framing_and_a_supporter_in_one_article() -> None:
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Engineer Ines Carvalho backed the mayor, saying the closure was overdue. "
        "Contrary to Ms. Tolvane’s account, the port authority’s filing shows the bridge "
        "closing for eight months."
    )
    findings = _find(text, [], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.by, f.cue) for f in findings] == [(None, "Contrary to")]


def test_a_very_long_article_is_read_without_error() -> None:
    filler = "The ferry timetable for the northern route was published on Monday. " * 30_000
    text = f"Mayor Lena Tolvane said: “{TOLVANE}.” " + filler + "Bram Osei rejected Tolvane’s plan."
    findings = _find(text, [], [(1, "Lena Tolvane", TOLVANE)])
    assert all(f.statement_id == 1 for f in findings)


@pytest.mark.parametrize(
    ("after_verb", "window"),
    [
        pytest.param(
            " the claim that the mine will create 2,000 jobs in the valley, putting it at 300",
            "the claim that the mine will create 2,000 jobs in the valley",
            id="a thousands comma ends no clause",
        ),
        pytest.param(
            " a 4.5 percent rise. Then",
            "a 4.5 percent rise",
            id="nor does a decimal point",
        ),
        pytest.param(
            " on Tuesday against the mayor's statement that the harbour tax would cost no more "
            "than 400 crowns a year, saying",
            "on Tuesday against the mayor's statement that the harbour tax would cost no more "
            "than 400 crowns a year",
            id="a statement noun's content counts from its that",
        ),
        pytest.param(
            " the plan to build a bridge over the river at Carrow with money from the harbour tax "
            "and the port",
            "the plan to build a bridge over the river at Carrow with money from",
            id="fourteen words at most otherwise",
        ),
    ],
)
def test_the_object_a_verb_cue_acts_on(after_verb: str, window: str) -> None:
    assert object_window(after_verb) == window


def test_a_figure_that_does_not_add_up_by_a_rival_who_names_its_speaker_by_role() -> None:
    text = (
        f"Mayor Lena Tolvane told the council on Monday: “{TOLVANE}.”\n\n"
        "Opposition leader Rafe Dunmore said the mayor’s timetable did not add up."
    )
    findings = _find(text, [(TOLVANE, "Lena Tolvane")], [(1, "Lena Tolvane", TOLVANE)])
    assert [(f.by, f.cue) for f in findings] == [("Rafe Dunmore", "did not add up")]


@pytest.mark.parametrize(
    ("sentence", "by", "cue"),
    [
        pytest.param(
            "The port's own filings undercut that timetable.", None, "undercut", id="undercut"
        ),
        pytest.param(
            "Ferry operator Nils Arvid called the plan wishful thinking.",
            "Nils Arvid",
            "wishful thinking",
            id="wishful thinking",
        ),
        pytest.param(
            "Harbour master Tomas Wilde shot down the plan within the hour.",
            "Tomas Wilde",
            "shot down",
            id="shot down",
        ),
        pytest.param(
            "Engineer Mette Rask said the mayor's timetable was unrealistic.",
            "Mette Rask",
            "unrealistic",
            id="unrealistic",
        ),
        pytest.param(
            "Engineer Mette Rask said the mayor's timetable was “not realistic.”",
            "Mette Rask",
            "not realistic",
            id="not realistic",
        ),
        pytest.param(
            "Engineer Mette Rask cast doubt on the mayor's timetable.",
            "Mette Rask",
            "cast doubt on",
            id="cast doubt on",
        ),
        pytest.param(
            "Councillor Ivo Brandt disagreed with the mayor on Tuesday.",
            "Ivo Brandt",
            "disagreed with",
            id="disagreed with",
        ),
        pytest.param(
            "“That is just not going to happen,” Councillor Ivo Brandt said of the mayor's plan.",
            "Ivo Brandt",
            "not going to happen",
            id="not going to happen",
        ),
        pytest.param(
            "Councillor Ivo Brandt said there was “no chance” of the mayor's plan working.",
            "Ivo Brandt",
            "no chance",
            id="no chance",
        ),
        pytest.param(
            "Port engineers say the mayor's timetable cannot be met.",
            "Port engineers",
            "cannot be met",
            id="cannot be met",
        ),
    ],
)
def test_contesting_words_of_plain_news(sentence: str, by: str | None, cue: str) -> None:
    findings = _after_tolvane(sentence)
    assert [(f.by, f.cue) for f in findings] == [(by, cue)]


@pytest.mark.parametrize(
    ("sentence", "by"),
    [
        pytest.param(
            "Councillor Bram Osei said the mayor was wrong about the closure.",
            "Bram Osei",
            id="the speaker named by her title",
        ),
        pytest.param(
            "Councillor Bram Osei accused the mayor of misleading shop owners.",
            "Bram Osei",
            id="accused of misleading: the accuser's words",
        ),
        pytest.param(
            "“It’s just not true,” said Councillor Bram Osei.",
            "Bram Osei",
            id="it inside the quotation marks refers back",
        ),
        pytest.param(
            "Port authority records contradict the mayor: the works take eight months.",
            None,
            id="a thing, not a person, opening the sentence",
        ),
        pytest.param(
            "The mayor’s critics rejected her plan within the hour.",
            "The mayor’s critics",
            id="the speaker's critics",
        ),
        pytest.param(
            "Environmental groups questioned her plan on Tuesday.",
            "Environmental groups",
            id="groups",
        ),
        pytest.param(
            # "Shop" alone had been the disputer: a capitalised word before the verb
            "Shop owners scoffed at the mayor’s timetable.",
            "Shop owners",
            id="owners of shops, not a Mr. Shop",
        ),
        pytest.param(
            "Harbour commuters rejected her plan on Tuesday.",
            "Harbour commuters",
            id="commuters",
        ),
        pytest.param(
            # a body in lower case that says it, not the outlet's own voice
            "The city council said on Tuesday the mayor was wrong about the closure.",
            "The city council",
            id="a council saying so",
        ),
        pytest.param(
            "The port’s own filings undercut that plan.", None, id="a thing: the outlet's voice"
        ),
    ],
)
def test_who_disputes_a_statement_named_by_role_referred_back_to_or_as_a_group(
    sentence: str, by: str | None
) -> None:
    findings = _after_tolvane(sentence)
    assert [f.by for f in findings] == [by]


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Councillor Bram Osei said the mayor’s critics were wrong.", id="her critics"),
        pytest.param("Councillor Bram Osei said Tolvane’s critics were wrong.", id="by surname"),
        pytest.param(
            "The mayor of Eastport, Jonas Pihl, rejected the idea of a joint ferry line.",
            id="another idea of another mayor",
        ),
        pytest.param(
            "Engineer Mette Rask said the ferry timetable was unrealistic.",
            id="another timetable: a noun before the statement noun names what it is about",
        ),
        pytest.param("Nobody disagreed with the mayor.", id="no one contests it"),
        pytest.param("None of the engineers disputed the mayor's timetable.", id="none of them"),
        pytest.param(
            "Councillor Ivo Brandt said it was wrong to blame the mayor for the delays.",
            id="a judging word aimed at an act, not at words",
        ),
    ],
)
def test_words_about_something_else_or_contested_by_no_one_are_no_dispute(sentence: str) -> None:
    assert _after_tolvane(sentence) == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Mayor Lena Tolvane said on Monday", "mayor"),
        ("the mayor, Lena Tolvane, said", "mayor"),
        ("former harbour director Lena Tolvane", "director"),
        ("the director and Tolvane met on Monday", None),
        ("the mayor said Tolvane was right", None),
    ],
)
def test_the_title_an_article_gives_the_speaker(text: str, role: str | None) -> None:
    assert speaker_role(Target(1, "Lena Tolvane", TOLVANE), text) == role


def test_a_passive_rejection_of_a_statement_with_its_own_not() -> None:
    # The statement's "not" sits just before "was rejected"; it negates the closure, not the
    # rejection.
    claim = "The Linden school will not close"
    text = (
        f"Board chair Ilse Marten said on Monday: “{claim}.”\n\n"
        "Her promise that the Linden school will not close was rejected by Councillor Bram Osei "
        "within the hour."
    )
    findings = _find(text, [(claim, "Ilse Marten")], [(1, "Ilse Marten", claim)])
    assert [(f.by, f.cue) for f in findings] == [("Bram Osei", "rejected")]


@pytest.mark.parametrize("verb", ["was not rejected", "could be rejected", "has never been denied"])
def test_a_negated_or_hedged_passive_is_no_dispute(verb: str) -> None:
    claim = "The Linden school will not close"
    text = (
        f"Board chair Ilse Marten said on Monday: “{claim}.”\n\n"
        f"Her promise that the Linden school will not close {verb} by Councillor Bram Osei."
    )
    assert _find(text, [(claim, "Ilse Marten")], [(1, "Ilse Marten", claim)]) == []


@pytest.mark.parametrize(
    ("sentence", "by"),
    [
        pytest.param(
            "Despite the mayor’s claim that the harbour bridge will close for two years, port "
            "records show the works will take eight months.",
            None,
            id="the outlet's evidence after despite",
        ),
        pytest.param(
            "Despite Ms. Tolvane’s assurance that the bridge will close for two years starting "
            "in May, engineers said the closure would last four years.",
            "engineers",
            id="the main clause's speaker after despite",
        ),
    ],
)
def test_evidence_set_against_a_claim_after_despite_disputes_it(
    sentence: str, by: str | None
) -> None:
    findings = _after_tolvane(sentence)
    assert [f.by for f in findings] == [by]
    assert findings[0].cue.lower().startswith("despite")


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param(
            "Despite claims that the ferry will stop running, the harbour bridge will close for "
            "two years starting in May, the mayor confirmed.",
            id="another claim after despite",
        ),
        pytest.param(
            "Despite Ms. Tolvane’s claim that the bridge will close for two years drawing "
            "scepticism, engineers confirmed that the work will take two years.",
            id="a main clause that confirms",
        ),
    ],
)
def test_despite_another_claim_or_before_a_confirmation_disputes_nothing(sentence: str) -> None:
    assert _after_tolvane(sentence) == []


def test_cues_added_since_the_model_was_trained_are_not_its_features() -> None:
    # The stance model counts the cue lists it was trained on; words added since are read by
    # the dispute stage and the short-text rules only, so a retrain stays byte-identical.
    sentence = "Engineers said the mayor's timetable was unrealistic and could not be met."
    assert [c.word for c in find_cues(sentence)] == ["unrealistic"]
    assert find_cues(sentence, as_trained=True) == []
    assert [c.word for c in find_cues("Ivo Brandt disagreed with the mayor.")] == ["disagreed with"]
    assert find_cues("Ivo Brandt disagreed with the mayor.", as_trained=True) == []


def _role_by_a_pattern_per_surname(target: Target, text: str) -> str | None:
    """speaker_role as it was written first: one pattern per surname, compiled each time."""
    surname = _surname(target.speaker)
    if not surname:
        return None
    found = re.search(
        rf"\b((?i:{ROLE_WORDS})),?\s+(?:[A-Z][\w'’.-]*\s+){{0,2}}{re.escape(surname)}\b", text
    )
    return found.group(1).lower() if found else None


_ROLE_WORDS_SAMPLED = [
    *("Mayor", "mayor", "the", "Minister", "Prime", "Anna", "Berg", "Kowal", "Kowal's"),
    *("Kowalski", "Kowal.", ",", "said", "Deputy", "Governor", "Dr.", "Lund", "\n"),
    *("spokesman", "O'Neil", "Jean-Luc"),
]
_ROLE_TEXT = st.lists(st.sampled_from(_ROLE_WORDS_SAMPLED), max_size=12).map(
    lambda words: " ".join(words).replace(" ,", ",")
)


@settings(max_examples=1500, deadline=None)
@given(_ROLE_TEXT, st.sampled_from(["Dara Kowal", "Ines O'Neil", "Jean-Luc Berg"]))
def test_the_speakers_title_is_found_by_one_pattern_as_by_one_per_surname(
    text: str, speaker: str
) -> None:
    target = Target(1, speaker, "x")
    assert speaker_role(target, text) == _role_by_a_pattern_per_surname(target, text)


def test_a_statement_noun_after_an_adjective_or_the_statements_own_word_refers_back() -> None:
    findings = _after_tolvane("Councillor Ivo Brandt said her latest timetable was unrealistic.")
    assert [(f.by, f.cue) for f in findings] == [("Ivo Brandt", "unrealistic")]


def test_a_judging_word_aimed_at_saying_the_statement_disputes_it() -> None:
    findings = _after_tolvane(
        "Councillor Ivo Brandt said it was wrong to say the harbour bridge will close for two "
        "years."
    )
    assert [(f.by, f.cue) for f in findings] == [("Ivo Brandt", "wrong")]


@pytest.mark.parametrize(
    ("judged", "by"),
    [
        ("wrong, the harbour master, Mette Rud, says", "Mette Rud"),
        ("wrong, Mette Rud said on Tuesday", "Mette Rud"),
        ("wrong, the harbour master says", "the harbour master"),
        ("false, according to harbour records", None),  # the outlet's own voice
    ],
)
def test_an_attribution_closing_the_judgement_names_the_disputer(
    judged: str, by: str | None
) -> None:
    from bot.core.extract import extract_quotes

    pier = "The north pier will reopen in May"
    text = (
        "Pier row deepens\n\nCouncillor Jonas Pihl's claim that the north pier will reopen in "
        f"May is {judged}."
    )
    quotes = extract_quotes(text)
    findings = find_disputes(text, quotes, [Target(1, "Jonas Pihl", pier, ())])
    assert [(f.statement_id, f.by, f.cue) for f in findings] == [(1, by, judged.split(",")[0])]
    assert findings[0].evidence.startswith("Councillor Jonas Pihl's claim")


def test_a_judgement_hedged_by_may_is_no_dispute_and_the_month_may_is_no_hedge() -> None:
    pier = "The north pier will reopen in May"
    said = "The harbour master said Councillor Jonas Pihl's claim that the pier will reopen in May"
    hedged = f"{said} may be wrong."
    assert find_disputes(hedged, [], [Target(1, "Jonas Pihl", pier, ())]) == []
    month = f"{said} was wrong."
    assert [f.cue for f in find_disputes(month, [], [Target(1, "Jonas Pihl", pier, ())])] == [
        "wrong"
    ]


PIER = "The north pier will reopen in May"


def _pier_disputes(sentence: str, statement: str = PIER) -> list[tuple[str | None, str]]:
    from bot.core.extract import extract_quotes

    text = f"Pier row\n\n{sentence}"
    found = find_disputes(text, extract_quotes(text), [Target(1, "Jonas Pihl", statement, ())])
    return [(f.by, f.cue) for f in found]


@pytest.mark.parametrize(
    ("sentence", "by"),
    [
        (
            "“The pier will not reopen in May, whatever Councillor Pihl says,” Mette Rud said.",
            "Mette Rud",
        ),
        (
            "Engineers say the north pier cannot reopen in May, as Councillor Jonas Pihl promised.",
            "Engineers",
        ),
        ("Mette Rud said there was no way the north pier would reopen in May.", "Mette Rud"),
    ],
)
def test_another_person_saying_the_words_with_a_not_contradicts_them(
    sentence: str, by: str
) -> None:
    assert _pier_disputes(sentence) == [(by, "contradicts")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Mette Rud said the south pier will not reopen in May.",  # another pier
        "Mette Rud said the north pier will reopen in May, as Councillor Jonas Pihl has said.",
        "Mette Rud said the north pier might not reopen in May.",  # a guess
        # his own words, turned: an alteration or a walk-back, not someone contesting them
        "Councillor Jonas Pihl said on Tuesday that the north pier will not reopen in May.",
        "Mette Rud said the north pier will not reopen in May 2031.",  # another year
    ],
)
def test_no_contradiction_without_the_same_words_negated_by_someone_else(sentence: str) -> None:
    assert _pier_disputes(sentence) == []


CRIME = "Crime in Carrow fell by 20 per cent last year"


def test_another_person_telling_the_trend_the_other_way_contradicts_it() -> None:
    """Before: no dispute (the figure 12 is not the statement's, and no "not" was added)."""
    said = "Police Chief Ada Brenner said crime in Carrow rose by 12 per cent last year."
    assert _pier_disputes(said, CRIME) == [("Ada Brenner", "contradicts")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Police Chief Ada Brenner said crime in Carrow fell by 20 per cent last year.",
        "Police Chief Ada Brenner said car thefts on the Carrow quay rose last year.",
        "Police Chief Ada Brenner said crime in Carrow fell last year, though thefts rose.",
        "Police Chief Ada Brenner said crime in Carrow might have risen last year.",
    ],
)
def test_no_contradiction_without_the_trend_told_the_other_way(sentence: str) -> None:
    assert _pier_disputes(sentence, CRIME) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The Latest: Tolvane declares ‘closure,’ ignores losses.",
        "Tolvane has toned down her criticism of Councillor Bram Osei, shifting her focus.",
        "Bram Osei has picked up on the criticism of Tolvane, telling the Herald it is odd.",
        "Tolvane received widespread criticism, even earning editorials from the Herald.",
        "The rejection of the party's received wisdom was complete when Tolvane spoke.",
        "The rejection of the party's wisdom was complete when Tolvane in her announcement "
        "speech called the ferry men “pirates”.",
        "Those comments undermine what was the strongest testimonial about Tolvane's gifts.",
        "“This debate is misleading,” said Councillor Bram Osei.",
    ],
)
def test_a_cue_aimed_at_something_else_beside_the_quotation_is_no_dispute(sentence: str) -> None:
    # Each was a dispute: the sentence follows the quotation and names its speaker, but the
    # noun, the framing word or the judging word acts on a person, losses, a debate; a verb
    # whose subject is the words themselves does not contest them.
    assert _after_tolvane(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "by", "cue"),
    [
        ("Her plan drew sharp criticism from Councillor Bram Osei.", None, "criticism"),
        ("Councillor Bram Osei's rejection of Tolvane's plan was swift.", "Bram Osei", "rejection"),
        ("Tolvane is already receiving criticism for her repeated comments.", None, "criticism"),
        (
            "The bridge plan ignores the ferry timetable, Councillor Bram Osei said.",
            None,
            "ignores",
        ),
        ("“Her promise is misleading,” said Councillor Bram Osei.", "Bram Osei", "misleading"),
    ],
)
def test_a_noun_or_judging_word_that_names_the_words_still_disputes_them(
    sentence: str, by: str | None, cue: str
) -> None:
    assert [(f.by, f.cue) for f in _after_tolvane(sentence)] == [(by, cue)]


def test_a_joint_disputer_is_a_name_not_both_and_a_name() -> None:
    (finding,) = _after_tolvane("Both Osei and Brandt rejected Tolvane’s plan.")
    assert finding.by in ("Osei", "Brandt")  # "Both Osei" was the disputer


def test_a_cue_in_the_statements_own_attribution_is_no_dispute() -> None:
    # "false" describes the speaker's field of study, beside her own quotation; it judges nothing
    words = "Facts are losing their value in the harbour town"
    text = (
        f"“{words},” said Mette Rud, a Nordhaven University professor who has studied the "
        "spread of false rumours."
    )
    assert _find(text, [(words, "Mette Rud")], [(1, "Mette Rud", words)]) == []


def test_the_same_speaker_s_other_claim_spelled_out_is_not_this_statement() -> None:
    other = (
        "Ms. Tolvane never cited a source for her claim in March that the ferry company wants "
        "to double its prices (in fact, the company has proposed a rise of 3 percent)."
    )
    assert _after_tolvane(other) == []
    # the same frame with the statement's own words spelled out is a dispute
    own = (
        "Ms. Tolvane never cited a source for her claim that the harbour bridge will close "
        "for two years, which engineers have called false."
    )
    assert [f.statement_id for f in _after_tolvane(own)] == [1]


def test_the_speaker_judging_others_wrong_does_not_contest_his_own_words() -> None:
    prager = "Voting for the harbour candidate is the only way to save the port this year"
    opening = f"Radio host Dennis Prager said: “{prager}.”\n\n"

    def disputes(follow_up: str) -> list[tuple[str | None, str]]:
        text = opening + follow_up
        found = _find(text, [(prager, "Dennis Prager")], [(1, "Dennis Prager", prager)])
        return [(f.by, f.cue) for f in found]

    own = "But Prager disagrees with their position and lets them know he believes they are wrong."
    assert disputes(own) == []
    apposed = (
        "But one conservative, radio host Dennis Prager, disagrees with their position and lets "
        "them know he believes they are wrong."
    )
    assert disputes(apposed) == []
    # someone else judging him, or judging him through a pronoun, still contests his words
    assert disputes("Councillor Ada Marsh said Prager was wrong.") == [("Ada Marsh", "wrong")]
    assert disputes("Councillor Ada Marsh, asked about Prager, said he was wrong.") == [
        ("Ada Marsh", "wrong")
    ]


def test_the_outlet_framing_the_speakers_own_quotation_is_the_outlets_dispute() -> None:
    claim = "they are paying rioters to block the harbour road every night"
    text = (
        "Councillor Bram Osei spoke at the town hall on Monday.\n\n"
        "Mayor Lena Tolvane answered him on Tuesday. "
        f"She also said, without evidence, that “{claim}.”"
    )
    findings = _find(text, [(claim, "Lena Tolvane")], [(1, "Lena Tolvane", claim)])
    assert [(f.by, f.cue) for f in findings] == [(None, "without evidence")]


def test_a_disputer_named_by_surname_after_a_paragraph_ending_in_capitals() -> None:
    # A name never spans a blank line: "World War I." closing one paragraph and "Harrow"
    # opening the next had made "World War I. Harrow" the fullest form of Harrow.
    findings = _after_tolvane(
        "Port director Yusuf Harrow runs a pier built before World War I.\n\n"
        "Harrow rejected the mayor's claim that the bridge would close for two years."
    )
    assert [(f.by, f.cue) for f in findings] == [("Yusuf Harrow", "rejected")]


def test_the_speakers_own_continued_quotation_is_not_anothers_dispute() -> None:
    # "Prager continues, “In fact, the … argument is so weak …”": the quotation the quote
    # finder missed is the speaker's own; it had gone to the last other full name before it.
    before = "In the final analysis, I do not find their arguments compelling,"
    said = (
        "Take the ‘harbour’ argument that one can sleep with a clear conscience by not voting "
        "for Pihl, because it means that your harbour is empty after making it possible for "
        "Mayor Jonas Pihl to win."
    )
    text = (
        "Councillor Ines Calloway has written against Mayor Jonas Pihl for weeks.\n\n"
        f"“{before}” she writes. “{said}”\n\n"
        "Calloway continues, “In fact, the ‘harbour’ argument is so weak it needs no answer "
        "from anyone.”"
    )
    df = DocumentFrequencies(min_documents=1)
    df.add_all([text, "The ferry sails at noon.", "Pihl spoke on Tuesday.", "A school opens."])
    _, quotes, targets = _article(
        text,
        [(before, "Ines Calloway"), (said, "Ines Calloway")],
        [(1, "Ines Calloway", said)],
    )
    assert find_disputes(text, quotes, targets, df) == []


def test_a_disputer_is_named_as_the_quote_finder_resolved_him_not_with_his_title() -> None:
    # "Israeli Prime Minister Benjamin Netanyahu" as written had been the fullest form of
    # "Netanyahu", beside "Benjamin Netanyahu" from his quote: one dispute twice, two names.
    reply = "We will keep the bridge open"
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        "Danish Port Director Yusuf Harrow met her on Tuesday.\n\n"
        "Harrow rejected the mayor's claim that the bridge would close for two years. "
        f"“{reply},” he said."
    )
    findings = _find(
        text,
        [(TOLVANE, "Lena Tolvane"), (reply, "Yusuf Harrow")],
        [(1, "Lena Tolvane", TOLVANE)],
    )
    assert [(f.by, f.cue) for f in findings] == [("Yusuf Harrow", "rejected")]


def test_attacked_for_her_comments_names_who_attacked_not_a_possessive_or_the_outlet() -> None:
    # One sentence, two cues: "denouncing" after "names from the Harbour Party's past" (a
    # possessive owns what follows it: no disputer) and "attacked … for comments" by Rud.
    findings = _after_tolvane(
        "The drumbeat of prominent names from the Harbour Party’s past denouncing Mayor Lena "
        "Tolvane grew louder on Wednesday as Mette Rud, a former port director, attacked "
        "Tolvane for comments made this week about the harbour bridge closing for two years."
    )
    assert [(f.by, f.cue) for f in findings] == [("Mette Rud", "attacked")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Storms attacked the harbour bridge for two years before it was closed.",
        "Mette Rud said gulls attacked the harbour bridge for hours on Tuesday.",
    ],
)
def test_an_attack_that_is_not_on_words_is_no_cue(sentence: str) -> None:
    assert _after_tolvane(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "by"),
    [
        (
            "Councillor Ines Calloway and port director Yusuf Harrow spoke on Tuesday.\n\n"
            "Both Calloway and Harrow rejected the mayor's claim that the bridge would close "
            "for two years.",
            ["Ines Calloway", "Yusuf Harrow"],
        ),
        (
            "Ines Calloway, Yusuf Harrow and Mette Rud rejected the mayor's claim that the "
            "bridge would close for two years.",
            ["Ines Calloway", "Yusuf Harrow", "Mette Rud"],
        ),
        # a place before the names is no disputer (the first is kept, the rest left out)
        (
            "Ines Calloway spoke in Oslo on Tuesday.\n\nIn Oslo, Calloway and Yusuf Harrow "
            "rejected the mayor's claim that the bridge would close for two years.",
            ["Ines Calloway"],
        ),
    ],
)
def test_each_of_several_people_named_as_the_subject_disputes(sentence: str, by: list[str]) -> None:
    # Training split: "Both Cruz and Fiorina criticized Trump and his rhetoric." named Cruz alone.
    assert [f.by for f in _after_tolvane(sentence)] == by


def test_a_joint_source_is_no_fuller_form_of_one_of_its_people() -> None:
    # A quote the extractor credits to "Calloway and Harrow" jointly had made that pair the
    # fullest form of "Harrow": the disputer "Calloway and Harrow".
    joint = "We will fight the closure"
    text = (
        f"Mayor Lena Tolvane said: “{TOLVANE}.”\n\n"
        f"“{joint},” Calloway and Harrow said in a letter.\n\n"
        "Harrow rejected the mayor's claim that the bridge would close for two years."
    )
    findings = _find(
        text,
        [(TOLVANE, "Lena Tolvane"), (joint, "Calloway and Harrow")],
        [(1, "Lena Tolvane", TOLVANE)],
    )
    assert [f.by for f in findings] == ["Harrow"]
