"""The learned quote tagger: its committed file, its training path, and the errors it fixes.

The articles here are ours (invented outlets and people); each test names one kind of error
the rules alone made on real news (issue 13).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.extract import extract_quotes
from bot.core.extract.quotes import _AND_NEXT, _NAMED_AS, _extract
from bot.core.extract.tagger import MODEL_PATH, TaggerModel, load_model
from bot.core.extract.tagger import _forward as tagger_forward
from bot.core.matching.split import matched_quotes
from bot.core.models import Quote, QuoteKind
from bot.core.serialize import quote_to_dict
from tests.conftest import REPO, SEEDS, SHARED

POLNEAR = SHARED / "data" / "polnear-train"


def _texts(text: str) -> dict[str, Quote]:
    return {q.text: q for q in extract_quotes(text)}


# -- the committed model ------------------------------------------------------------------


def test_the_committed_model_loads_without_network_and_says_where_it_came_from() -> None:
    model = load_model()
    assert model is not None, f"{MODEL_PATH} is missing: run python -m bench.train_quotes"
    assert model.labels == ("O", "B-C", "I-C", "S", "Q")
    assert MODEL_PATH.stat().st_size < 8_000_000
    prov = model.provenance
    assert "PolNeAR" in str(prov["data"]) and "check_articles.txt held out" in str(prov["data"])
    assert prov["command"] == "python -m bench.train_quotes ../shared/data/polnear-train"
    assert prov["articles"] == 672  # the 840 training articles less the 168 check articles


def test_a_missing_model_file_means_rules_only(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.json") is None
    # Without a model the rules read alone: a scare quote they cannot tell from speech is
    # still there, where the tagger drops it.
    text = "The so-called “independent” review was published, said Mayor Ines Calloway."
    assert "independent" in {q.text for q in matched_quotes(_extract(text, None))}
    assert "independent" not in {q.text for q in matched_quotes(extract_quotes(text))}
    assert _extract(text, None) == extract_quotes(text, learned=False)


@pytest.mark.skipif(not POLNEAR.exists(), reason="../shared/data is absent")
def test_retraining_on_a_slice_is_reproducible_and_gives_a_working_tagger(tmp_path: Path) -> None:
    from bench.train_quotes import held_out, read_articles, train

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    stats = train(POLNEAR, a, limit=6, iterations=15)
    train(POLNEAR, b, limit=6, iterations=15)
    assert stats["articles"] == 6 and stats["features"] > 100
    assert a.read_bytes() == b.read_bytes()  # seeded and deterministic
    model = TaggerModel.from_json(json.loads(a.read_text()))
    assert not {a.name for a in read_articles(POLNEAR, skip=held_out(POLNEAR))} & held_out(POLNEAR)
    from bot.core.extract.tokens import token_groups, tokenize

    text = "Senator Ida Marsh said that the budget would pass."
    labels = model.tag(token_groups(tokenize(text), [0], []))
    assert len(labels) == len(tokenize(text)) and set(labels) <= set(model.labels)


@pytest.mark.skipif(not POLNEAR.exists(), reason="../shared/data is absent")
def test_the_trial_slice_is_seeded_and_never_a_check_article(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.train_quotes import extract_with, held_out, main, trial_slice

    slice_ = trial_slice(POLNEAR, 20)
    assert slice_ == trial_slice(POLNEAR, 20) and len(slice_) == 20
    assert not set(slice_) & held_out(POLNEAR)
    # A trial model is read for the scorer as `verbatim extract --json` reads the committed one.
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))[:2]
    extract_with(MODEL_PATH, seeds)
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [ln["source"] for ln in lines] == seeds
    for line, path in zip(lines, seeds, strict=True):
        expected = [quote_to_dict(q) for q in extract_quotes(Path(path).read_text())]
        assert line["quotes"] == json.loads(json.dumps(expected))
    with pytest.raises(SystemExit) as exit_:  # no model named: a usage error, not a traceback
        main(["--extract-with"])
    assert exit_.value.code == 2


# -- kinds of error -----------------------------------------------------------------------


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    text = (
        "The so-called “independent” review of the Harbour Board was published on Monday.\n"
        "Critics dismissed the report as a “mutant” version of last year's plan.\n"
        "Lena Ostrova, who starred in “The Long Winter” and wrote “Salt and Iron”, was in the "
        "audience.\n"
        "Speaking on Harbour Radio’s “Morning Tide with Ada Quill,” the mayor promised more.\n"
        "“We will publish every figure,” said Mayor Ines Calloway."
    )
    found = _texts(text)
    # American commas stand inside the marks: “Morning Tide with Ada Quill,” is still a title.
    for words in (
        "independent",
        "The Long Winter",
        "Salt and Iron",
        "Morning Tide with Ada Quill,",
    ):
        assert words not in found, words
    assert found["We will publish every figure,"].speaker == "Ines Calloway"


def test_a_term_in_quotation_marks_that_nobody_said_is_not_a_quote() -> None:
    text = (
        "The firm's “psychographic” profiles of voters were on sale for years, and a course on "
        "“spear phishing” was added in May.\n\n"
        "Mayor Ines Calloway called the levy “imperial” and said it would be repealed."
    )
    found = _texts(text)
    assert not {"psychographic", "spear phishing"} & set(found)
    assert found["imperial"].kind is QuoteKind.FRAGMENT  # one word, but someone said it
    assert found["imperial"].speaker == "Ines Calloway"


def test_a_headline_in_quotation_marks_is_not_a_statement() -> None:
    text = (
        "Mayor on Harbour Tax: ‘No Rise This Year’ and ‘Ferries Will Run’\n\n"
        "Mayor Ines Calloway told the council on Tuesday that the harbour tax would not rise. "
        "“Not this year, not next year,” she said."
    )
    found = _texts(text)
    assert "No Rise This Year" not in found and "Ferries Will Run" not in found
    assert found["Not this year, not next year,"].speaker == "Ines Calloway"


def test_reported_speech_without_quotation_marks_is_found_with_its_speaker() -> None:
    text = "Governor Amos Reel said the state needs to prepare for a dry summer."
    reported = [q for q in extract_quotes(text) if q.kind is QuoteKind.INDIRECT]
    assert [q.text for q in reported] == ["the state needs to prepare for a dry summer"]
    assert (reported[0].speaker, reported[0].cue) == ("Amos Reel", "said")


def test_an_addressee_or_an_activity_is_not_reported_speech() -> None:
    text = (
        "Councillor Maren Dahl told Westmere's councillors at Tuesday's meeting.\n"
        "The chef says while rolling up her sleeves to make meatballs."
    )
    texts = [q.text for q in extract_quotes(text)]
    assert not any("councillors at Tuesday" in t for t in texts), texts
    assert not any("rolling up her sleeves" in t for t in texts), texts


def test_a_dateline_is_not_part_of_a_quote() -> None:
    text = (
        "LUNDHAVEN, March 3 (Coastline Wire) - The council should vote again, said Mayor Ines "
        "Calloway."
    )
    for q in extract_quotes(text):
        assert "LUNDHAVEN" not in q.text and "Coastline Wire" not in q.text


def test_days_places_and_courts_are_not_speakers() -> None:
    text = (
        "On Tuesday, “the ferry will run on time,” the timetable promised.\n"
        "In Saskaton, “we expect a ruling soon,” Mayor Ines Calloway said.\n"
        "READ MORE\n"
        "“The appeal is without merit,” the Superior Court wrote in its ruling."
    )
    for q in extract_quotes(text):
        assert q.speaker not in ("Tuesday", "Saskaton", "READ MORE", "READ"), q
    found = _texts(text)
    assert found["we expect a ruling soon,"].speaker == "Ines Calloway"


def test_a_floating_quote_belongs_to_the_speaker_of_the_paragraph_before() -> None:
    text = (
        "Harbour master Jonas Weber said the ferries were safe.\n\n"
        "“Every hull was inspected last month. Every one.”\n\n"
        "The council meets again on Friday."
    )
    found = _texts(text)
    assert found["Every hull was inspected last month. Every one."].speaker == "Jonas Weber"


def test_a_description_is_resolved_to_the_name_the_article_gives() -> None:
    text = (
        "Dana Whitlock, the lawyer for the fishermen's society, filed the appeal on Monday.\n"
        "“We will take this to the highest court,” the lawyer for the society said."
    )
    found = _texts(text)
    assert found["We will take this to the highest court,"].speaker == "Dana Whitlock"


# -- determinism ---------------------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/samples is absent")
def test_two_runs_of_extract_print_identical_bytes(tmp_path: Path) -> None:
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    if POLNEAR.exists():
        files += sorted(str(p) for p in (POLNEAR / "text").glob("*.txt"))[:40]
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run(
            [sys.executable, "-m", "bot", "extract", "--json", *files],
            capture_output=True,
            env=env,
            cwd=REPO,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and outputs[0]


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/samples is absent")
def test_the_headline_phrases_of_seed_004_are_not_quotes() -> None:
    (path,) = SEEDS.glob("004_*.txt")
    quotes = extract_quotes(path.read_text(encoding="utf-8"))
    texts = {q.text for q in quotes}
    assert "Security Guarantees" not in texts
    assert "Russia Will Be at the Table" not in texts
    # Each would have been a "new statement by an unknown speaker" alert.
    assert not any(q.start < 400 and q.kind is not QuoteKind.INDIRECT for q in quotes)


def test_a_speaker_of_a_place_is_the_person_not_the_place() -> None:
    text = "Senator Ada Marsh of Vermont said the budget would not pass before the summer recess."
    (quote,) = [q for q in extract_quotes(text) if q.kind is QuoteKind.INDIRECT]
    assert (quote.speaker, quote.text) == (
        "Ada Marsh",
        "the budget would not pass before the summer recess",
    )


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "Mark Ostrowski of the Red Cross said volunteers were ready to open shelters.",
            "Mark Ostrowski",
        ),
        (
            "Hydrologist Petra Lindqvist of the Northshore Conservation Authority said volunteers "
            "were ready to open shelters.",
            "Petra Lindqvist",
        ),
        (
            "Pastor Jo Brown of Elm Street Church said volunteers were ready to open shelters.",
            "Jo Brown",
        ),
        # the "of" of an office stays: the name after it is the speaker's
        (
            "Former Secretary of State and Democratic frontrunner Hillary Clinton said volunteers "
            "were ready to open shelters.",
            "Hillary Clinton",
        ),
        (
            "Harbour Union Director of Government Affairs Tor Haugen said volunteers were ready "
            "to open shelters.",
            "Tor Haugen",
        ),
        # a job in lower case before the name, a title the list gives
        (
            "Political scientist Prof. Xiaoming Lu of the University of Northbridge said "
            "volunteers were ready to open shelters.",
            "Xiaoming Lu",
        ),
        (
            "Reeve Alistair McGillivray of the County of Cold Spring said volunteers were ready "
            "to open shelters.",
            "Alistair McGillivray",
        ),
        # an organisation's own "of" stays in its name
        (
            "The Communications Workers of America said volunteers were ready to open shelters.",
            "Communications Workers of America",
        ),
    ],
)
def test_a_person_of_an_organisation_is_the_speaker_not_the_organisation(
    sentence: str, speaker: str
) -> None:
    (quote,) = [q for q in extract_quotes(sentence) if q.kind is QuoteKind.INDIRECT]
    assert quote.text == "volunteers were ready to open shelters"
    assert quote.speaker is not None and quote.speaker.endswith(speaker)


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # a body whose own "of" is followed by a name of two words is named whole
        ("The Canadian Union of Harbour Employees said", "Canadian Union of Harbour Employees"),
        ("The Federation of Coastal Municipalities said", "Federation of Coastal Municipalities"),
        ("The Bureau of Ferry Statistics said", "Bureau of Ferry Statistics"),
        # the people a phrase is about are not its speakers: the phrase as written
        ("Supporters of Ines Calloway said", "Supporters of Ines Calloway"),
        # a person's name may close the office after "of"
        ("Wellmouth County Supervisor of Elections Dana Pike said", "Dana Pike"),
        ("The mayor of Fenwick Wanda Oakes said", "Wanda Oakes"),
        # a body's own "and" too, unless a person's name follows it
        ("Fisheries and Coastal Waters Canada said", "Fisheries and Coastal Waters Canada"),
        ("Councillors Ines Calloway and Jonas Pihl said", "Jonas Pihl"),
        # past a phrase of place opening the sentence, the one it introduces
        (
            "Outside council chambers, restaurant owner Rajinder Kaur Bains said",
            "Rajinder Kaur Bains",
        ),
        # a role with a hyphen opening the sentence is no part of the name
        ("Co-author Nils Redsky said", "Nils Redsky"),
        ("Co-author Liam Redsky said", "Liam Redsky"),  # a first name no list holds
    ],
)
def test_the_name_after_of_belongs_to_the_phrase(sentence: str, speaker: str | None) -> None:
    """Before: "Harbour Employees", "Coastal Municipalities", "Ferry Statistics", Ines
    Calloway, "Elections Dana Pike", "Coastal Waters Canada", no one ("Outside council
    chambers"), "Co-author Nils Redsky"."""
    (quote,) = extract_quotes(f"{sentence} volunteers were ready to open shelters.")
    assert (quote.speaker, quote.text) == (speaker, "volunteers were ready to open shelters")


def test_a_body_named_with_and_stays_whole_where_its_last_word_stands_alone() -> None:
    """Before: "Oceans Canada", which the article's "Canada" alone made look like a person's
    name written as a surname elsewhere."""
    text = (
        "Lobster deal\n\n"
        "Canada signed the deal on Friday.\n\n"
        "In a news release, Fisheries and Oceans Canada said the agreement would protect stocks."
    )
    (quote,) = [q for q in extract_quotes(text) if "protect" in q.text]
    assert quote.speaker == "Fisheries and Oceans Canada"


def test_an_office_run_into_a_name_is_not_part_of_it() -> None:
    """A run of capitals that opens on an office or a word the article writes in lower case
    too, then a known first name, is the person's name; one that opens on a name the list does
    not know is kept whole. Before: "Pastor Joseph Renk", "Maricopa County Recorder Helen
    Lund", "The Real Jonas Pihl" as the speakers' names."""
    text = (
        "Pastor Joseph Renk said the pastor would stay on.\n\n"
        "“We counted every ballot,” said Wellmouth County Recorder Helen Lund, the county's "
        "recorder since 2019.\n\n"
        "His memoir, The Real Jonas Pihl, sold well. “I wrote it in a year,” Pihl said. Jonas "
        "Pihl is a ferry captain.\n\n"
        "The choir sang, and Kerstin Ann Holm said it would sing again on Sunday."
    )
    assert [q.speaker for q in extract_quotes(text)] == [
        "Joseph Renk",
        "Helen Lund",
        "Jonas Pihl",
        "Kerstin Ann Holm",
    ]


def test_court_and_chamber_reports() -> None:
    """Before: "the judge" resolved to no one (the title written was "Justice"), "the House of
    Commons" was reported as what Sandhu said, and the words before ", according to both
    sides" were cut to "No new talks"."""
    text = (
        "Driver sentenced\n\n"
        "Court of King's Bench Justice Eleanor Fiddler delivered her decision on Friday.\n\n"
        "“This is one of the hardest parts of this job,” the judge said.\n\n"
        "“They opened the floodgates,” Harpreet Sandhu said in the House of Commons.\n\n"
        "No new talks have been scheduled, according to both sides."
    )
    assert [(q.speaker or q.speaker_mention, q.text) for q in extract_quotes(text)] == [
        ("Eleanor Fiddler", "This is one of the hardest parts of this job,"),
        ("Harpreet Sandhu", "They opened the floodgates,"),
        ("both sides", "No new talks have been scheduled"),
    ]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # an aside between dashes after the name (before: "Shelf", and the aside itself
        # reported as what he said)
        (
            "Shelf stocker Aiden Kowalczyk — no relation to the union president — said the "
            "strike was hard on everyone.",
            "Aiden Kowalczyk",
        ),
        # a phrase of place, then a role and a name a "who" clause describes (before: no one)
        (
            "On the picket line in Hamilton, cashier Nguyen Thi Lan, who has worked at the "
            "store for nine years, said the strike was hard on everyone.",
            "Nguyen Thi Lan",
        ),
    ],
)
def test_the_subject_past_an_aside(sentence: str, speaker: str) -> None:
    assert [(q.speaker, q.text) for q in extract_quotes(f"Strike\n\n{sentence}")] == [
        (speaker, "the strike was hard on everyone")
    ]


def test_a_first_name_and_a_statement_resolve_to_who_they_stand_for() -> None:
    """Before: the speakers "Lorraine" and no one."""
    text = (
        "Waits grow longer\n\n"
        "Lorraine MacIsaac waited 14 hours at the Glace Bay hospital last month.\n\n"
        "“I sat there in a plastic chair,” Lorraine says.\n\n"
        "Health critic Marc-Antoine Gagnon-Beaulieu, who represents the riding of Haut-Rivage, "
        "said in a statement that the province should act.\n\n"
        "“Ottawa should transfer the money and get out of the way,” the statement said."
    )
    found = {q.text: q.speaker for q in extract_quotes(text)}
    assert found["I sat there in a plastic chair,"] == "Lorraine MacIsaac"
    assert found["Ottawa should transfer the money and get out of the way,"] == (
        "Marc-Antoine Gagnon-Beaulieu"
    )


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # Before: "She" went to the library's chief, the last woman who spoke, and her title
        # stayed in her name ("CEO Anjali Raghunathan").
        (
            "Budget night\n\n"
            "Library CEO Anjali Raghunathan said her staff were bracing for the worst.\n\n"
            "The debate also drew out Coun. Marie Whitecap, who is no relation to her Ward 4 "
            "colleague. She said the library cut would fall hardest on the west side.",
            ["Anjali Raghunathan", "Marie Whitecap"],
        ),
        # Before: the second "she said" went to Youssef Haddad, a first name no list held.
        (
            "Child care costs\n\n"
            "Farah Haddad pays $1,400 a month for daycare in Laval, she said.\n\n"
            "Her partner, Youssef Haddad, has reduced his hours at work to stay home with Lina "
            "three days a week, she said.",
            ["Farah Haddad", "Farah Haddad"],
        ),
        # Before: both of the minister's quotations went to Jasmine Zhang, who is introduced after
        # them (the longer name of the two).
        pytest.param(
            "Clinics open across the province\n\n"
            "Health Minister Peter Zhang said the walk-in clinics would open on Monday.\n\n"
            "“No appointment, no cost, no questions,” Zhang said.\n\n"
            "Jasmine Zhang, a nurse in Wellmouth, said staff were ready.\n\n"
            "“We have trained for weeks,” Zhang said.",
            ["Peter Zhang", "Peter Zhang", "Jasmine Zhang", "Jasmine Zhang"],
            id="a surname is never someone not yet named in full",
        ),
        # Before: "She" went to the coach, the last speaker (Amélie was no known first name, and a
        # first name alone was no mention of anyone).
        pytest.param(
            "Young curlers shine\n\n"
            "Coach Réjean Ouellette watched from the stands as the Lachance twins won the "
            "final.\n\n"
            "Amélie Lachance, 17, threw the last stone. Her brother Mathis Lachance swept it "
            "home.\n\n"
            "“It was the best shot I've seen all year,” Ouellette said.\n\n"
            "Amélie, 17, was more modest. She said she had missed the same shot twice in "
            "practice.",
            ["Réjean Ouellette", "Amélie Lachance"],
            id="a first name alone is its one bearer",
        ),
        # Before: no speaker for "The ministry said" and "the health authority said".
        pytest.param(
            "Evacuation ordered\n\n"
            "The Ministry of Emergency Preparedness opened a reception centre in Fort Carrow.\n\n"
            "The ministry said it was working closely with the town.\n\n"
            "Staff of the Eastern Shore Health Authority moved 40 patients overnight.\n\n"
            "“Everyone is safe,” the health authority said.",
            ["Ministry of Emergency Preparedness", "Eastern Shore Health Authority"],
            id="a body described is the one named",
        ),
    ],
)
def test_who_speaks_in_an_article_we_wrote(text: str, speakers: list[str]) -> None:
    assert [q.speaker for q in extract_quotes(text)] == speakers


def test_names_opening_on_an_accented_capital_are_names() -> None:
    text = (
        "MONTRÉAL — Éric Lavoie, the city's housing commissioner, said rents had risen 14 per "
        "cent.\n\n"
        "Transport critic Élise Gagnon-Baptiste said the increase was unfair.\n\n"
        "“We will appeal,” said Łukasz Nowak. “The ruling is wrong,” Nowak added."
    )
    assert [(q.speaker, q.text) for q in extract_quotes(text)] == [
        ("Éric Lavoie", "rents had risen 14 per cent"),
        ("Élise Gagnon-Baptiste", "the increase was unfair"),
        ("Łukasz Nowak", "We will appeal,"),
        ("Łukasz Nowak", "The ruling is wrong,"),
    ]


def test_a_person_with_a_force_is_the_speaker() -> None:
    text = "Sgt. Kyle Anand with the Halifax detachment said there had been no incidents."
    (quote,) = extract_quotes(text)
    assert (quote.speaker, quote.text) == ("Kyle Anand", "there had been no incidents")
    text = "People with knowledge of the talks said the two sides were close to a deal."
    (quote,) = extract_quotes(text)
    assert quote.speaker is None  # a description, not a person "People"


@pytest.mark.parametrize(
    ("text", "field", "value", "words"),
    [
        # where it was said is part of the cue
        (
            "The RCMP said in a news release that traffic at the terminal would be managed.",
            "cue",
            "said in a news release",
            "that traffic at the terminal would be managed",
        ),
        # or with no "that": the clause opens on its subject (before: the words began "an
        # interview …", or there was no quote at all)
        (
            "Chief Darlene Moosewood said in an interview with CBC News the band would appeal.",
            "cue",
            "said in an interview with CBC News",
            "the band would appeal",
        ),
        (
            "The Wellmouth Treaty Council said in a statement it is saddened by the elder's death.",
            "speaker",
            "Wellmouth Treaty Council",
            "it is saddened by the elder's death",
        ),
        # a named organisation closing the sentence reports it, the dateline left out
        (
            "HALIFAX — Fares on the Bay Narrows ferry will rise nine per cent in April, the Bay "
            "Narrows Ferry Corporation said Tuesday.",
            "speaker_mention",
            "the Bay Narrows Ferry Corporation",
            "Fares on the Bay Narrows ferry will rise nine per cent in April",
        ),
        # whom she told, then what, with no "that" (before: no quote)
        (
            "City treasurer Roxanne Delorme-Baptiste told councillors the gap could not be "
            "closed with reserves alone.",
            "speaker",
            "Roxanne Delorme-Baptiste",
            "the gap could not be closed with reserves alone",
        ),
    ],
)
def test_the_report_of_an_organisation(text: str, field: str, value: str, words: str) -> None:
    (quote,) = extract_quotes(text)
    assert (getattr(quote, field), quote.text) == (value, words)


@pytest.mark.parametrize(
    ("sentence", "speaker", "mention"),
    [
        (
            "A spokesperson for Premier Lorna Whitfield said the premier supported the plan.",
            None,
            "spokesperson for Premier Lorna Whitfield",
        ),
        ("A lawyer for Ines Calloway said the premier supported the plan.", None, None),
        # a name after the one spoken for is the speaker's own
        (
            "Assistant to the President Jane Roe said the premier supported the plan.",
            "Jane Roe",
            None,
        ),
    ],
)
def test_someone_speaking_for_a_person_is_not_that_person(
    sentence: str, speaker: str | None, mention: str | None
) -> None:
    (quote,) = extract_quotes(sentence)
    assert quote.text == "the premier supported the plan"
    assert quote.speaker == speaker
    assert mention is None or quote.speaker_mention == mention


def test_canadian_titles_are_not_part_of_the_name() -> None:
    text = (
        "Reeve Alistair McGillivray said the county road would reopen in May.\n\n"
        "(Trustee Nguyễn Thị Lan holds a copy of the book.)\n\n"
        "“I’ve read the book twice,” said trustee Nguyễn Thị Lan."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Alistair McGillivray", "Nguyễn Thị Lan"]


def test_a_spokespersons_next_quotation_is_the_spokespersons_too() -> None:
    text = (
        "Superintendent Marc-André Thériault declined to take a position.\n\n"
        "“It’s the job of the trustees to set policy,” a spokesperson for Thériault said. "
        "“The superintendent’s job is to implement it.”"
    )
    direct = [q for q in extract_quotes(text) if q.kind is QuoteKind.DIRECT]
    assert [(q.speaker, q.speaker_mention) for q in direct] == [
        (None, "a spokesperson for Thériault"),
        (None, "a spokesperson for Thériault"),
    ]


def test_whom_someone_told_is_not_what_they_said() -> None:
    text = "Tamsin Drew told CBC News the cap would push small landlords out of the market."
    (quote,) = extract_quotes(text)
    assert (quote.speaker, quote.text) == (
        "Tamsin Drew",
        "the cap would push small landlords out of the market",
    )


def test_a_clause_describing_the_speaker_is_not_what_they_said() -> None:
    text = (
        "Mayor Renata Kowalczyk, who had championed the levy since last fall, called the vote "
        "a turning point for the city and its buses.\n\n"
        "Patient advocate Natalia Petrovska, whose mother spent 11 hours in the waiting room in "
        "December, said families feel abandoned.\n\n"
        "Councillor Ines Kowal, who said in May that the pier would open by the summer, now "
        "says the work will take a year."
    )
    words = [q.text for q in extract_quotes(text)]
    assert not any("championed" in w or "the levy since" in w for w in words)
    assert not any("waiting room" in w for w in words)
    assert "families feel abandoned" in words
    assert any(w.startswith("that the pier would open") for w in words)  # the clause says it
    assert "the work will take a year" in words


def test_words_running_on_from_a_clause_about_the_speaker_start_at_the_verb_of_saying() -> None:
    text = (
        "Coun. Devin Osterhout, who voted against the levy, told the Ledger the city had not "
        "done enough to consult residents."
    )
    (quote,) = extract_quotes(text)
    assert (quote.speaker, quote.cue, quote.text) == (
        "Devin Osterhout",
        "told",
        "the city had not done enough to consult residents",
    )


def test_a_verb_of_saying_before_the_words_keeps_the_taggers_reading() -> None:
    text = "The mayor has insisted on building a new ferry pier on the north shore this year."
    (quote,) = extract_quotes(text)
    assert quote.text.startswith("building a new ferry pier")


def test_the_source_in_the_quotes_sentence_wins_over_the_previous_speaker() -> None:
    text = (
        "“The ferry runs at six,” said harbour master Jonas Weber.\n"
        "“It will not run on Sunday,” council spokeswoman Lena Ostrova told reporters."
    )
    found = _texts(text)
    assert found["The ferry runs at six,"].speaker == "Jonas Weber"
    assert found["It will not run on Sunday,"].speaker == "Lena Ostrova"


def test_a_lone_surname_the_article_gives_a_person_is_a_speaker() -> None:
    # "Halling" ends like a gerund and "King" is a title word: alone, neither is a name, but
    # the article names Mira Halling and Odile King, so here they are.
    text = (
        "Mira Halling has run the bakery on Quay Street for thirty years. Odile King, who "
        "owns the shop next door, has known her since school.\n\n"
        "Crossing to the counter, Halling said the new harbour levy would close half the "
        "street by spring.\n\n"
        "King says the council “has not walked a single step of the quay” before voting."
    )
    quotes = extract_quotes(text)
    levy = next(q for q in quotes if "harbour levy" in q.text)
    assert (levy.speaker, levy.speaker_mention) == ("Mira Halling", "Halling")
    walked = next(q for q in quotes if q.text.startswith("has not walked"))
    assert (walked.speaker, walked.speaker_mention) == ("Odile King", "King")


def test_a_surname_ending_like_a_gerund_speaks_its_own_quotes() -> None:
    # "Halling said" is the attribution, though "Halling" alone looks like a gerund: the quote
    # and the one after it in its paragraph are hers, never the previous speaker's.
    text = (
        "Mira Halling has run the bakery on Quay Street for thirty years.\n\n"
        "“The levy is a disgrace,” Odile King told the council on Tuesday.\n\n"
        "“We opened in 1994,” Halling said. “We will not close for a tax.”"
    )
    found = _texts(text)
    assert found["The levy is a disgrace,"].speaker == "Odile King"
    for words in ("We opened in 1994,", "We will not close for a tax."):
        assert (found[words].speaker, found[words].speaker_mention) == ("Mira Halling", "Halling")


def test_who_after_a_name_is_that_person() -> None:
    text = (
        "Harbour master Tove Lindqvist opened the new pier on Monday.\n\n"
        "Applause followed for Lindqvist, who warned that the dredging budget would run out "
        "by March."
    )
    warning = next(q for q in extract_quotes(text) if "dredging budget" in q.text)
    assert (warning.speaker, warning.speaker_mention) == ("Tove Lindqvist", "who")


def test_a_clause_taken_for_the_source_is_no_speaker() -> None:
    # The source span swallowed a clause: kept as written, never made a speaker (who would then
    # "say" things, and be blamed for other people's words).
    text = (
        "Harbour master Tove Lindqvist opened the new pier on Monday.\n\n"
        "Reporters spoke to Lindqvist, who told them the dredging budget would run out by March."
    )
    budget = next(q for q in extract_quotes(text) if "dredging budget" in q.text)
    assert budget.speaker is None and budget.speaker_mention == "Reporters spoke to Lindqvist"


def test_the_taggers_cache_of_weight_sums_stays_bounded() -> None:
    from bot.core.extract import tagger
    from bot.core.extract.tokens import token_groups, tokenize

    model = load_model()
    assert model is not None
    words = " ".join(f"Word{i} said{i % 7} Mayor{i}" for i in range(tagger._CACHE_LIMIT // 2))
    for start in range(0, len(words), 20_000):
        model.tag(token_groups(tokenize(words[start : start + 20_000]), [0], []))
        assert sum(map(len, model._caches)) <= tagger._CACHE_LIMIT + 20_000
    before = model.tag(token_groups(tokenize("Mayor Ada Lind said the bridge will open."), [0], []))
    for cache in model._caches:
        cache.clear()
    after = model.tag(token_groups(tokenize("Mayor Ada Lind said the bridge will open."), [0], []))
    assert before == after  # what is cached never changes an answer


def _textbook_viterbi(model: TaggerModel, emissions: list[list[float]]) -> list[str]:
    """Viterbi as the textbooks write it, with back-pointers: what the decoder must agree with."""
    k = len(model.labels)
    score = emissions[0]
    back = []
    for em in emissions[1:]:
        ptr = []
        new = []
        for j in range(k):
            vals = [score[i] + model.transitions[i][j] for i in range(k)]
            best = max(vals)
            ptr.append(vals.index(best))
            new.append(best + em[j])
        back.append(ptr)
        score = new
    path = [score.index(max(score))]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return [model.labels[i] for i in reversed(path)]


def test_the_generated_decoder_finds_the_textbook_viterbi_path() -> None:
    import random

    model = load_model()
    assert model is not None
    rng = random.Random(7)
    k = len(model.labels)
    for _ in range(300):
        n = rng.randint(1, 40)
        groups = rng.randint(1, 4)
        rows = [[tuple(rng.gauss(0, 3) for _ in range(k)) for _ in range(n)] for _ in range(groups)]
        if rng.random() < 0.2:  # ties: equal rows everywhere
            rows = [[(0.5,) * k for _ in range(n)] for _ in range(groups)]
        base = tuple(rng.choice((0.0, 0.15)) for _ in range(k))
        emissions = [[base[j] + r[t][j] for j in range(k)] for t in range(n) for r in rows[:1]]
        for r in rows[1:]:
            for t in range(n):
                for j in range(k):
                    emissions[t][j] += r[t][j]
        forward = tagger_forward(model.transitions, base, tuple((g, None) for g in range(groups)))
        assert model._backtrack(forward(zip(*rows, strict=True))) == _textbook_viterbi(
            model, emissions
        )


WIRE_STORY = (
    "Marlow to cap hydro rates.\n\n"
    "PORT ELLIS — Premier Dara Kowal announced Tuesday that hydro rates will be capped for two "
    "years.\n\n"
    "“Families have paid enough,” the premier told reporters.\n\n"
    "Opposition leader Marit Selby said the plan would cost taxpayers billions.\n\n"
    "Ines Calloway, who runs the campaign for Selby, was not available. The campaign said the "
    "cap came too late.\n\n"
    "The minister of energy, Joel Pratt, said he had not seen the figures. The minister added "
    "that the board “will report in June.”"
)


def test_a_dateline_is_not_part_of_the_speaker() -> None:
    announced = next(q for q in extract_quotes(WIRE_STORY) if "capped" in q.text)
    assert (announced.speaker, announced.speaker_mention) == ("Dara Kowal", "Premier Dara Kowal")


def test_narration_with_no_one_and_no_verb_of_saying_is_no_quote() -> None:
    # The headline reads like a report, but nobody says it and no verb of saying reports it.
    assert not [q for q in extract_quotes(WIRE_STORY) if "to cap hydro" in q.text]


def test_a_description_resolves_to_the_person_it_was_given_to() -> None:
    report = next(q for q in extract_quotes(WIRE_STORY) if q.text.startswith("will report"))
    assert (report.speaker, report.speaker_mention) == ("Joel Pratt", "The minister")


def test_an_institution_is_not_the_person_named_before_it() -> None:
    # "The campaign" is not Ines Calloway, though her name stands just before "the campaign".
    late = next(q for q in extract_quotes(WIRE_STORY) if "came too late" in q.text)
    assert (late.speaker, late.speaker_mention) == (None, "The campaign")


def test_a_dateline_with_a_region_and_the_day_of_the_statement_are_not_its_words() -> None:
    text = (
        "Harbour vote.\n\n"
        "PORT ELLIS, N.S. — Mayor Ines Calloway told reporters the city “cannot wait any "
        "longer.”\n\n"
        "GRAYSTONE — Councillor Tomas Ruud said Tuesday the council would vote in May."
    )
    found = _texts(text)
    wait = found["cannot wait any longer."]
    assert (wait.speaker, wait.speaker_mention) == ("Ines Calloway", "Mayor Ines Calloway")
    vote = found["the council would vote in May"]
    assert (vote.speaker, vote.cue) == ("Tomas Ruud", "said")


def test_according_to_heading_a_sentence_is_its_source_not_its_words() -> None:
    text = (
        "Flu season.\n\n"
        "According to the harbour health agency, 1,200 people were admitted last week."
    )
    (q,) = [q for q in extract_quotes(text) if "admitted" in q.text]
    assert (q.text, q.speaker_mention, q.cue) == (
        "1,200 people were admitted last week",
        "the harbour health agency",
        "according to",
    )


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        (
            "According to a statement from the Nova Scotia Ferry Workers' Union, members were not "
            "consulted.",
            "a statement from the Nova Scotia Ferry Workers' Union",
        ),
        ("According to police, the driver fled on foot.", "police"),
    ],
)
def test_according_to_opening_a_sentence_the_tagger_left_empty(sentence: str, source: str) -> None:
    """The tagger reads no content in these; the sentence's opening names its source whatever
    it is written as (PolNeAR's annotators mark nearly every such opening). Before: no quote."""
    (q,) = extract_quotes(f"Ferry news.\n\n{sentence}")
    assert (q.speaker_mention, q.cue, q.kind) == (source, "according to", QuoteKind.INDIRECT)
    assert q.text == sentence.split(", ", 1)[1].rstrip(".")


def test_descriptions_resolve_to_the_name_the_article_gives() -> None:
    # Issue 13's examples: an age given beside the name, and a role written once as a capital
    # ("Lawyer Dana Pike", capitalised only because it opens the sentence) and once in lower case.
    text = (
        "Worker hurt at site.\n\n"
        "Marco Venn, 32, was injured on Monday when a beam fell at the Pier Road site.\n\n"
        "“I thought I was going to die,” the 32-year-old labourer said from his hospital bed.\n\n"
        "Lawyer Dana Pike represents the Harbour Workers Society. “This was preventable,” said "
        "the lawyer for the society."
    )
    found = _texts(text)
    assert found["I thought I was going to die,"].speaker == "Marco Venn"
    assert found["This was preventable,"].speaker == "Dana Pike"


def test_an_attribution_closing_the_sentence_is_not_part_of_the_words() -> None:
    text = (
        "Transit.\n\nSome residents are worried about construction.\n\n"
        "The first trains are expected to run in 2031, the city said."
    )
    (q,) = [q for q in extract_quotes(text) if "2031" in q.text]
    assert (q.text, q.speaker_mention, q.cue) == (
        "The first trains are expected to run in 2031",
        "the city",
        "said",
    )


STRIKE = (  # the anonymity boilerplate of a wire story
    "Port workers strike\n\n"
    "Dock workers in Port Ellis walked off the job on Monday after talks broke down.\n\n"
    "The Port Authority, which runs the terminals, said in an email it was “disappointed” by "
    "the walkout and urged workers to return.\n\n"
    "A spokesperson for the authority, who asked not to be named because they were not "
    "authorized to speak publicly, said contingency plans were in place.\n\n"
    "Commuters were resigned. “You just get used to it,” said one, who did not want to be "
    "named. Another commuter did not want to be quoted by name."
)


def test_why_a_source_is_not_named_is_not_a_statement() -> None:
    found = _texts(STRIKE)
    assert not [words for words in found if "to be named" in words or "by name" in words]
    assert "contingency plans were in place" in found
    assert "You just get used to it," in found


def test_declining_to_comment_and_a_headline_of_two_words_are_no_statements() -> None:
    text = (
        "Council rejects harbour levy\n\n"
        "Mayor Clara Vennholt disagreed: 'The levy is the only way to pay for the quays.'\n\n"
        "The mayor's office declined to comment further. Her lawyer, Sandeep Gill, declined an "
        "interview request. The harbour board did not immediately respond to a request for "
        "comment."
    )
    for learned in (True, False):
        found = {q.text for q in extract_quotes(text, learned=learned)}
        assert "harbour levy" not in found and "to comment further" not in found, found
        assert not [words for words in found if "request" in words], found
    assert "The levy is the only way to pay for the quays." in _texts(text)


def test_who_between_dashes_is_the_name_before_it() -> None:
    text = (
        "Harbour vote.\n\n"
        "Harbour master Tove Lindqvist - who previously said the pier was safe - said on Friday "
        "that the dredging budget would run out by March."
    )
    budget = next(q for q in extract_quotes(text) if "dredging budget" in q.text)
    assert budget.speaker == "Tove Lindqvist"


def test_it_opening_a_cleft_sentence_is_not_the_speaker() -> None:
    text = (
        "Levy row.\n\n"
        "It was less than three years ago that Clara Vennholt, who now runs the harbour board, "
        "said it was impossible for the town to raise the levy."
    )
    levy = next(q for q in extract_quotes(text) if "raise the levy" in q.text)
    assert levy.speaker == "Clara Vennholt"


def test_words_named_rather_than_said_are_no_quote() -> None:
    text = (
        "Harbour vote.\n\n"
        "The vote was called to force the council to adopt the so called “Harbour Levy "
        "Initiative.” Critics disliked the phrase “quay tax.”\n\n"
        "“We will publish every figure,” said Mayor Ines Calloway."
    )
    found = _texts(text)
    assert not {"Harbour Levy Initiative.", "quay tax."} & set(found), found
    assert found["We will publish every figure,"].speaker == "Ines Calloway"


def test_where_it_was_said_and_narration_about_it_are_no_statements() -> None:
    text = (
        "Harbour levy.\n\n"
        "The levy should provide guarantees for the docks, Mayor Clara Vennholt said in remarks "
        "broadcast on Saturday.\n\n"
        "Mayor Clara Vennholt said in remarks broadcast on Saturday that the levy would stay.\n\n"
        "It drew an angry reaction in Port Ellis.\n\n"
        "For the dock workers and their union in the old town, the levy is a matter of jobs."
    )
    found = _texts(text)
    docks = found["The levy should provide guarantees for the docks"]
    assert (docks.speaker, docks.cue) == ("Clara Vennholt", "said")
    assert "that the levy would stay" in found
    assert not [w for w in found if w.startswith(("in remarks", "an angry reaction"))], found
    assert not [q for q in extract_quotes(text) if q.cue and q.cue.lower() == "for"]


def test_said_the_family_was_relieved_is_what_the_sister_said() -> None:
    # "said the family …" reads like "said the mayor", but here "the family" opens the words.
    text = (
        "Man sentenced in harbour assault.\n\n"
        "Defence lawyer Tor Haug said his client would appeal.\n\n"
        "The victim's sister, Anja Lind, said the family was relieved. “We can finally move on,” "
        "she said."
    )
    found = _texts(text)
    relieved = found["the family was relieved"]
    assert (relieved.speaker, relieved.speaker_mention) == ("Anja Lind", "Anja Lind")
    assert found["We can finally move on,"].speaker == "Anja Lind"


FARES = (
    "Ferry fares to rise\n\n"
    "Fares on the harbour ferry will rise by 12 per cent in January, the transit authority "
    "announced Wednesday.\n\n"
    "“We know this is hard for families,” authority chair Lena Morvik said, “but the fleet is 40 "
    "years old.”\n\n"
    "Supporters say the money is overdue, while critics argue the rise hits the poorest riders "
    "hardest.\n\n"
    "Rider Sam Okafor, who takes the ferry twice a day, was not impressed. “It's a slap in the "
    "face,” he said.\n\n"
    "Asked whether the fare could be frozen, Morvik said: “Not this year.”"
)


def test_a_ferry_story_as_a_reader_would_credit_it() -> None:
    found = _texts(FARES)
    fares = found["Fares on the harbour ferry will rise by 12 per cent in January"]
    assert (fares.speaker_mention, fares.cue) == ("the transit authority", "announced")
    assert found["It's a slap in the face,"].speaker == "Sam Okafor"  # not "Rider", not Morvik
    assert found["Not this year."].speaker == "Lena Morvik"
    # The question put to her is not her statement.
    assert not [w for w in found if w.startswith("whether the fare")]


TOLL = (
    "Bridge toll stays, council decides\n\n"
    "The Ellsmere council voted on Tuesday to keep the toll on the Narrows bridge.\n\n"
    "Some Democrats on the council said they feared a backlash from commuters.\n\n"
    "And councillor Ines Calloway, in a letter published in The Ellsmere Courier, rebuked the "
    "mayor for suggesting that the toll would be temporary.\n\n"
    "Nonetheless, the toll brings in 4 million a year, council treasurer Paul Dray said.\n\n"
    "I drove across the bridge twice on Wednesday. I found the booths empty and the barriers up."
)


def test_a_toll_story_credits_groups_subjects_and_never_the_writer() -> None:
    found = _texts(TOLL)
    feared = found["they feared a backlash from commuters"]
    # A group is credited as the article writes it, as "Officials" is.
    assert (feared.speaker, feared.speaker_mention) == ("Some Democrats", "Some Democrats")
    letter = next(q for t, q in found.items() if "the toll would be temporary" in t)
    # The subject of "rebuked", past the phrase the sentence puts between them.
    assert (letter.speaker, letter.speaker_mention) == ("Ines Calloway", "Ines Calloway")
    toll = next(q for t, q in found.items() if "4 million a year" in t)
    assert toll.speaker == "Paul Dray"  # not "Nonetheless"
    assert "Nonetheless" not in {q.speaker for q in found.values()}
    # "I" outside quotation marks is the writer: no one in the article said those words.
    mine = [q for q in found.values() if q.speaker_mention == "I"]
    assert all(q.speaker is None for q in mine), mine


def test_a_statement_is_not_the_event_named_before_it() -> None:
    # "the accord" is the agreement the article names (seed 001's Budapest Memorandum, in
    # test_gold); "the statement" is no convention, even one named just before it.
    text = (
        "Port deal signed\n\n"
        "Delegates arrived on Monday for the Ellsmere Harbour Convention, a trade fair.\n\n"
        "The port authority issued a statement after the fair opened. “The new berths will open "
        "in May,” the statement said."
    )
    said = _texts(text)["The new berths will open in May,"]
    assert (said.speaker, said.speaker_mention) == (None, "the statement")


DEBATE = (
    "Mayor and challenger clash over harbour tax\n\n"
    "Mayor Ines Calloway and her challenger, Luis Ortega, met on Tuesday night at the Ellsmere "
    "library. A partial transcript follows.\n\n"
    "MODERATOR: Mayor Calloway, did you promise not to raise the harbour tax?\n\n"
    "CALLOWAY: I did, and I kept that promise every single year.\n\n"
    "ORTEGA: That is simply not true. I think the tax went up twice.\n\n"
    "UPDATE: The debate ended at 9 p.m.\n\n"
    "Ortega spoke to supporters afterwards. He’s predicting a close vote in March."
)


def test_a_transcript_credits_each_turn_to_the_person_named_in_capitals() -> None:
    found = _texts(DEBATE)
    kept = found["I did, and I kept that promise every single year."]
    assert (kept.kind, kept.speaker, kept.speaker_mention) == (
        QuoteKind.DIRECT,
        "Ines Calloway",
        "CALLOWAY",
    )
    assert found["That is simply not true. I think the tax went up twice."].speaker == "Luis Ortega"
    # The moderator's question states nothing, and a label naming no one is no one's turn.
    assert not [t for t in found if "harbour tax" in t or "9 p.m." in t], found
    # "He’s predicting": the pronoun, not a speaker called "He".
    close = next(q for t, q in found.items() if "close vote" in t)
    assert close.speaker == "Luis Ortega"
    assert "He" not in {q.speaker for q in found.values()}


def test_offices_initials_and_quantifiers_are_read_as_a_reader_would() -> None:
    text = (
        "Ferry review ordered\n\n"
        "The Justice Department said on Monday that the ferry review would start in May.\n\n"
        "Supporters of the ferry gathered outside. Some said the review was long overdue.\n\n"
        "Harbour investor William A. Ackman spoke to reporters. He said the fleet needed "
        "new engines before the winter."
    )
    found = _texts(text)
    review = found["the ferry review would start in May"]
    # The "Justice" of "Justice Department" is no judge's title: the office is the speaker.
    assert review.speaker == "Justice Department", review
    # "Some" is kept as written, and stands for no one to credit.
    overdue = found["the review was long overdue"]
    assert (overdue.speaker, overdue.speaker_mention) == (None, "Some")
    # The "A." of "William A. Ackman" is an initial, not the article "a" of an organisation's
    # name: he is a person, and "He" is him.
    assert found["the fleet needed new engines before the winter"].speaker == "William A. Ackman"


def test_a_quotation_goes_on_with_the_speaker_of_the_one_before_it() -> None:
    text = (
        "Ferry report\n\n"
        "“Riders are waiting longer every year,” the audit concluded. “The fleet needs "
        "replacing.”\n\n"
        "“We were not happy when the fares were announced,” said Jock Varga, head of the "
        "riders' group. Now, “most riders accept the rise.”"
    )
    found = _texts(text)
    assert found["The fleet needs replacing."].speaker_mention == "the audit"
    assert found["most riders accept the rise."].speaker == "Jock Varga"


def test_initials_titles_and_a_clause_for_a_source_still_give_the_name() -> None:
    text = (
        "Ferry board\n\n"
        "“The fares are too high,” said J. J. Varga, a rider from Ellsmere. “Something must "
        "change.”\n\n"
        "“We will publish the audit,” wrote port General Counsel Ada B. Lind in a letter.\n\n"
        "On Thursday, after weeks of silence, Varga appeared with the harbour master Tor Haug "
        "and backed the audit, saying, “I think the riders deserve to read it.”"
    )
    found = _texts(text)
    assert found["The fares are too high,"].speaker == "J. J. Varga"  # not a shouted "J. J."
    assert found["Something must change."].speaker == "J. J. Varga"
    assert found["We will publish the audit,"].speaker == "Ada B. Lind"  # "Counsel" a title
    assert found["I think the riders deserve to read it."].speaker == "J. J. Varga"


def test_a_quotation_of_several_paragraphs_keeps_its_speaker() -> None:
    # Each paragraph of a long quotation opens with a mark and only the last one closes.
    text = (
        "Checklist for the harbour\n\n"
        "Mayor Ada Lind wrote to the members on Monday.\n\n"
        "She listed the qualities the next harbour master needs:\n\n"
        "“Has the candidate run a port before?\n\n"
        "“Is the candidate trusted by the ferry crews?\n\n"
        "“Will the candidate publish the accounts?”\n\n"
        "The vote is in March."
    )
    found = _texts(text)
    for words in (
        "Has the candidate run a port before?",
        "Is the candidate trusted by the ferry crews?",
        "Will the candidate publish the accounts?",
    ):
        assert found[words].speaker == "Ada Lind", found[words]


def test_an_outlets_possessive_or_a_place_of_origin_is_no_part_of_the_name() -> None:
    text = (
        "Ferry debate on air\n\n"
        "“The fares are a scandal,” said Harbour Radio’s Tomas Brink on Monday.\n\n"
        "“The board has no plan,” said Ellsmere-based consultant Mira Holt.\n\n"
        "Some riders said the boats were always late.\n\n"
        "The panel is right to note that the fleet is forty years old."
    )
    found = _texts(text)
    assert found["The fares are a scandal,"].speaker == "Tomas Brink"
    assert found["The board has no plan,"].speaker == "Mira Holt"
    late = found["the boats were always late"]
    assert late.speaker_mention == "Some riders" and late.speaker != "riders"
    # "the panel" is no one person a name can stand for
    assert all(q.speaker is None for t, q in found.items() if "forty years" in t)


def test_no_name_spans_two_paragraphs_and_a_day_is_no_speaker() -> None:
    text = (
        "Plan B.\n\n"
        "Mayor Ines Calloway said on Monday that the ferry would keep running.\n\n"
        "Voters going to the polls on Super Tuesday said they wanted the ferry kept.\n\n"
        "Kristen Day, who runs the riders' group, said the fares were too high."
    )
    quotes = extract_quotes(text)
    speakers = {q.speaker for q in quotes}
    assert "Ines Calloway" in speakers and "Kristen Day" in speakers, quotes
    assert not [s for s in speakers if s and ("Plan B" in s or "Tuesday" in s)], quotes
    # A relative clause the source took is written as its relative: "who", not the clause.
    assert not [q for q in quotes if (q.speaker_mention or "").startswith("who ")], quotes


def test_a_common_word_opening_a_headline_or_a_sentence_is_no_speaker() -> None:
    text = (
        "Report: Harbour ferry to lose its night service\n\n"
        "The report was leaked to the Ellsmere Courier on Monday.\n\n"
        "Hundreds said they would protest at the pier. Police said the protest was allowed.\n\n"
        "The hundreds who came were mostly night-shift workers."
    )
    quotes = extract_quotes(text)
    speakers = {q.speaker for q in quotes}
    assert "Report" not in speakers and "Hundreds" not in speakers, quotes
    assert "Police" in speakers  # a group the article credits stays


def test_an_acronym_leading_a_name_in_is_no_shouted_headline() -> None:
    text = "Ferry union\n\n“We will strike in May,” said EFW-ATU President Bob Samuels on Friday."
    assert _texts(text)["We will strike in May,"].speaker == "Bob Samuels"


def test_it_is_the_organisation_just_named_not_whatever_spoke_last() -> None:
    text = (
        "Port and court\n\n"
        "The Ellsmere Port Authority said on Monday that it would cut night sailings. It added "
        "that the cut would last a year.\n\n"
        "Riders were angry. The old ferry terminal, built in 1931, will close in June, and the "
        "harbour court has already heard two complaints about it.\n\n"
        "Last year it ruled that the fares were lawful."
    )
    found = _texts(text)
    added = next(q for t, q in found.items() if "would last a year" in t)
    assert added.speaker == "Ellsmere Port Authority"
    ruled = [q for t, q in found.items() if "fares were lawful" in t]
    assert all(q.speaker != "Ellsmere Port Authority" for q in ruled), ruled


def test_an_interviews_answers_are_the_interviewees_words() -> None:
    text = (
        "Harbour master looks back\n\n"
        "Harbour master Ada Lind retires this month after 30 years. Lind spoke to the Ellsmere "
        "Courier about the ferries. Questions and answers have been edited for length.\n\n"
        "Q: Why did you stay so long?\n\n"
        "A: Because I think the port needed someone who knew every boat.\n\n"
        "Q: What will you miss?\n\n"
        "A: The early crossings. I will miss them most."
    )
    found = _texts(text)
    stay = found["Because I think the port needed someone who knew every boat."]
    assert (stay.kind, stay.speaker, stay.speaker_mention) == (QuoteKind.DIRECT, "Ada Lind", "A")
    assert found["The early crossings. I will miss them most."].speaker == "Ada Lind"
    # The interviewer's questions are no one's statements.
    assert not [t for t in found if "Why did you stay" in t or "What will you miss" in t]


def test_an_interviewee_named_once_beside_the_newspaper_answers() -> None:
    # "the Coastline Herald" was a person too, named as often as the harbour master: no telling
    # who answered, so the answers were no one's and their sentences read as reports.
    text = (
        "Five questions for the harbour master\n\n"
        "Harbour master Sigrun Tolvane has run the port for eleven years. She spoke to the "
        "Coastline Herald about the storms.\n\n"
        "Q: Was the pier damage worse than the city admitted?\n\n"
        "A: It was worse, yes. The survey found cracks in six of the nine pylons.\n\n"
        "Q: Will the harbour tax pay for the repairs?\n\n"
        "A: Only part of them."
    )
    found = _texts(text)
    worse = found["It was worse, yes. The survey found cracks in six of the nine pylons."]
    assert (worse.kind, worse.speaker) == (QuoteKind.DIRECT, "Sigrun Tolvane")
    assert found["Only part of them."].speaker == "Sigrun Tolvane"
    assert not [q for q in found.values() if q.speaker_mention == "The survey"]


def test_a_surname_that_is_also_a_month_is_the_person_the_article_names() -> None:
    # "May said" opened sentences only as the month, so Elizabeth May's words had no speaker;
    # "Leader Elizabeth May" was read as an organisation for the month in it.
    text = (
        "Harbour Party leader Elizabeth May spoke to reporters in Halden on Tuesday.\n\n"
        "“We will not support this budget,” May said. “It fails the coast.”\n\n"
        "May said the harbour tax had been promised away twice before.\n\n"
        "In May, the council met again. “Nothing changed,” said councillor Ivo Brandt."
    )
    found = _texts(text)
    assert found["We will not support this budget,"].speaker == "Elizabeth May"
    assert found["It fails the coast."].speaker == "Elizabeth May"
    reported = [q for q in found.values() if q.kind is QuoteKind.INDIRECT]
    assert [q.speaker for q in reported] == ["Elizabeth May"]
    assert found["Nothing changed,"].speaker == "Ivo Brandt"


def test_the_question_someone_was_asked_is_not_their_statement_the_answer_is() -> None:
    # The tagger read "Asked whether …, Whitford said his door was open" as one content cued by
    # "Asked" and dropped it with the question; elsewhere it gave the question to Whitford.
    text = (
        "Harbour strike enters second week\n\n"
        "Teachers rallied outside the town hall in Ellsmere on Thursday.\n\n"
        "Asked whether he would meet the teachers, Mayor Dale Whitford said his door was "
        "always open.\n\n"
        "Asked about the tax, Whitford said it would not rise this year.\n\n"
        "When asked about the budget, the mayor said the numbers were sound.\n\n"
        "Asked about the strike, Whitford shrugged."
    )
    for learned in (True, False):
        found = {q.text: q for q in extract_quotes(text, learned=learned)}
        assert {t: (q.kind, q.speaker) for t, q in found.items()} == {
            "his door was always open": (QuoteKind.INDIRECT, "Dale Whitford"),
            "it would not rise this year": (QuoteKind.INDIRECT, "Dale Whitford"),
            "the numbers were sound": (QuoteKind.INDIRECT, "Dale Whitford"),
        }, learned


def test_a_word_describing_a_named_person_still_gives_the_name() -> None:
    # "The younger Whitford said" left the words without a speaker, and the "he" after them
    # went to the last person named; a quantifier or a preposition is no description.
    text = (
        "Premier Dale Whitford defended the cuts on Thursday. Teachers' union president Greg "
        "Holm said teachers were angry.\n\n"
        "“Enough,” Holm said.\n\n"
        "Whitford's father, former premier Roy Whitford, cut school funding in the 1990s. The "
        "younger Whitford said comparisons were unfair.\n\n"
        "“That was a different time,” he said.\n\n"
        "A spokeswoman for Whitford said the premier would take questions next week."
    )
    found = _texts(text)
    assert found["comparisons were unfair"].speaker == "Dale Whitford"
    assert found["That was a different time,"].speaker == "Dale Whitford"
    assert found["the premier would take questions next week"].speaker is None


def test_what_someone_told_an_outlet_is_theirs_not_the_outlets() -> None:
    # "…, told the Gazette that …" was read as an inverted "…, said the Gazette": the words went
    # to the outlet and the speaker's name became the content; "told reporters the fire
    # started" without "that" gave nothing at all.
    text = (
        "Cruise ship fire\n\n"
        "A fire broke out aboard the Nordlys on Sunday.\n\n"
        "Erik Solberg, 58, told the Harbour Gazette that the fire started in a galley.\n\n"
        "Deckhand Nils Marek told reporters the crew had drilled for it twice this year.\n\n"
        "The mayor told the council members at the meeting."
    )
    for learned in (True, False):
        found = {q.text: q for q in extract_quotes(text, learned=learned)}
        said = {t.removeprefix("that "): q.speaker for t, q in found.items()}
        assert said == {
            "the fire started in a galley": "Erik Solberg",
            "the crew had drilled for it twice this year": "Nils Marek",
        }, learned


def test_he_and_she_go_to_the_person_their_gender_and_role_fit() -> None:
    # A "She" inside the critic's quotation voted him a woman; an unlisted first name with a
    # role ("foreign minister, Erlan Idrissov,") was never a person "he" could be; a plural
    # possessive ("Harbour News’ Sean Vale") stayed part of the name.
    text = (
        "Hospital waits climb\n\n"
        "Health Minister Carla Benoit said the government was adding 200 beds.\n\n"
        "“Help is coming,” Benoit said.\n\n"
        "The opposition health critic, Raj Malhotra, said the minister had been warned.\n\n"
        "“She knew,” he said. “Everyone knew.”\n\n"
        "Westland's foreign minister, Erlan Idrissov, plays down concerns. The beds will not "
        "be enough for every region, but they are good news for the north, he says.\n\n"
        "Harbour News’ Sean Vale asked whether the beds were funded. Vale said no one answered."
    )
    found = _texts(text)
    assert found["She knew,"].speaker == "Raj Malhotra"
    assert found["Everyone knew."].speaker == "Raj Malhotra"
    reported = {q.text: q.speaker for q in found.values() if q.kind is QuoteKind.INDIRECT}
    beds = [s for t, s in reported.items() if t.startswith("The beds will not be enough")]
    assert beds == ["Erlan Idrissov"]
    assert reported["no one answered"] == "Sean Vale"


def test_the_subject_of_a_passive_verb_of_saying_is_spoken_of_not_speaking() -> None:
    # "Aldous has been accused of walking away" gave Aldous the accusers' words, and "Dahl is
    # expected to sign" made a forecast Dahl's statement.
    text = (
        "Rail talks stall\n\n"
        "The transport secretary, Helen Aldous, has been accused of walking away from talks "
        "with the rail unions.\n\n"
        "Mayor Ola Dahl is expected to sign the harbour agreement later this week.\n\n"
        "Dahl is reported to have called the unions' offer a serious step forward.\n\n"
        "Union leader Mick Tanner accused the government of ignoring its own figures."
    )
    said = {q.text: q.speaker for q in extract_quotes(text) if q.kind is QuoteKind.INDIRECT}
    assert [s for t, s in said.items() if t.startswith("walking away")] == [None]
    assert [s for t, s in said.items() if "sign the harbour agreement" in t] in ([], [None])
    assert [s for t, s in said.items() if "serious step forward" in t] == ["Ola Dahl"]
    assert [s for t, s in said.items() if "ignoring its own figures" in t] == ["Mick Tanner"]


def test_a_title_before_the_article_names_its_holder_and_an_age_makes_a_person() -> None:
    # "The mayor of Westmere promised" went to the town; "Resident Ada Lind, 72," was no one
    # "she" could be, so her words went to the mayor; "the Nordish president" is not the one
    # president the article titles.
    text = (
        "Mayor vows to rebuild\n\n"
        "The mayor of Westmere promised Monday to rebuild the town's flooded downtown “brick "
        "by brick.”\n\n"
        "“We will rebuild,” Mayor Ines Calloway told a packed community hall.\n\n"
        "Resident Ada Lind, 72, lost everything.\n\n"
        "“Everything,” she said.\n\n"
        "The French president offered to send engineers to help with the repairs. President "
        "Tomas Varga of Nordland sent his sympathy."
    )
    found = _texts(text)
    promised = [q for q in found.values() if q.text.startswith("to rebuild the town")]
    assert [q.speaker for q in promised] == ["Ines Calloway"]
    assert found["Everything,"].speaker == "Ada Lind"
    offered = [q for q in found.values() if "engineers" in q.text]
    assert [q.speaker for q in offered] == [None]


def test_a_members_title_or_a_police_rank_is_no_part_of_the_name() -> None:
    text = (
        "Pipeline news\n\n"
        "NDP MP Leah Hart said the pipeline would never be built.\n\n"
        "“Not on my watch,” said Liberal MPP Tom Brady.\n\n"
        "Staff Sgt. Ian Dow said police were ready for the protest."
    )
    said = {q.text: q.speaker for q in extract_quotes(text)}
    assert said == {
        "the pipeline would never be built": "Leah Hart",
        "Not on my watch,": "Tom Brady",
        "police were ready for the protest": "Ian Dow",
    }


def test_a_programmes_name_and_a_so_called_name_are_not_speech() -> None:
    # "CBC's “The National,”" came out as the deputy chief's words, the tagger read her whole
    # sentence with no cue, and "the so-called “harbour convoy” returned" was a report.
    text = (
        "Convoy returns\n\n"
        "Organizers of the so-called “harbour convoy” returned to Ellsmere on Saturday, two "
        "years after the protest that paralyzed the port.\n\n"
        "Speaking on WBN's “The Evening,” Deputy Chief Anne Moreau said police were prepared. "
        "“We learned a lot,” she said."
    )
    found = _texts(text)
    assert "The Evening," not in found
    assert not [t for t in found if "returned to Ellsmere" in t]
    assert found["police were prepared"].speaker == "Anne Moreau"
    assert found["We learned a lot,"].speaker == "Anne Moreau"


def test_a_surname_that_is_also_a_word_after_a_first_name_is_a_person() -> None:
    text = (
        "Al From, a co-founder of the Harbour Council, agreed.\n\n"
        "“The circumstances are different now,” From said.\n\n"
        "From agreed that the tax was never the real issue."
    )
    found = _texts(text)
    assert found["The circumstances are different now,"].speaker == "Al From"
    assert found["that the tax was never the real issue"].speaker == "Al From"


def test_a_line_linking_to_another_article_quotes_nobody_here() -> None:
    text = (
        "Province to hire 500 nurses\n\n"
        "The province will hire 500 nurses over two years, Health Minister Carla Benoit "
        "announced Thursday.\n\n"
        "READ MORE: 'We're exhausted': Nurses say staffing crisis is getting worse\n\n"
        "“This is the largest single investment in nursing in a decade,” Benoit said.\n\n"
        "WATCH: Minister says new positions will be filled by spring"
    )
    found = _texts(text)
    assert set(found) == {
        "The province will hire 500 nurses over two years",
        "This is the largest single investment in nursing in a decade,",
    }


def test_the_description_of_a_named_speaker_is_not_what_they_said() -> None:
    # Seed 001: "Nicolas Tenzer, a prominent French political scientist and essayist,
    # commented: “Devastating.”" gave "a prominent … essayist" as a report.
    text = (
        "Reactions\n\n"
        "Responding to the mayor's remarks, Ivo Marek, a veteran harbour pilot and union "
        "organiser, commented: “Devastating.”"
    )
    found = _texts(text)
    assert set(found) == {"Devastating."}
    assert found["Devastating."].speaker == "Ivo Marek"


def test_a_police_rank_with_its_dot_does_not_end_the_sentence() -> None:
    # "said Cpl. Nadine Boucher" was cut at "Cpl.": the quote went to no one.
    text = (
        "Cruise ship fire\n\n"
        "“No one was hurt,” said Cpl. Nadine Boucher, a spokesperson for the Harbour Police.\n\n"
        "“We are ready,” said Supt. Karen Bell. Const. Ivo Marek said the road was closed."
    )
    found = _texts(text)
    assert found["No one was hurt,"].speaker == "Nadine Boucher"
    assert found["We are ready,"].speaker == "Karen Bell"
    assert found["the road was closed"].speaker == "Ivo Marek"


_OBJECTS = (
    "Harbour ferry\n\n"
    "The dockworkers' union has become such a presence that Mayor Ines Calloway on Sunday "
    "thanked its members “for their support in my campaign” and called the Harbour Workers "
    "Guild “one of the pillars of my campaign and I appreciate that.”\n\n"
    "Teachers were among the earliest supporters of Ines Calloway, with the Harbour Teachers "
    "Union calling her “the champion working families need.”\n\n"
    "Calloway said she would visit the docks. Tor Haug, Arne Holt said, has created a “strange "
    "and chaotic mood.”"
)


@pytest.mark.parametrize("learned", [True, False], ids=["tagger", "rules"])
def test_whom_a_quote_names_or_a_sentence_mentions_is_not_its_speaker(learned: bool) -> None:
    # Real kinds from the training split: "called National Nurses United “one of the
    # sponsors of my campaign”" went to the union, "with the American Federation of Teachers
    # calling her “…”" to her, "Trump, Sexton said, has created a “…”" to Trump.
    found = {q.text: q for q in _extract(_OBJECTS, load_model() if learned else None)}
    # The guild is what she called it; no speaker is better than the wrong one.
    assert found["one of the pillars of my campaign and I appreciate that."].speaker is None
    assert found["the champion working families need."].speaker == "Harbour Teachers Union"
    assert found["strange and chaotic mood."].speaker == "Arne Holt"


def test_the_name_of_a_book_show_or_memo_is_no_quote_and_no_report() -> None:
    # Training-split kinds: "a memo titled “The Facts on Where the Race Stands.”", "his 2012
    # book, “An American Son.”", "his TBS late night show “Lopez Tonight.”": each was a
    # direct quote, a "New statement" alert in the bot.
    text = (
        "Harbour campaign\n\n"
        "Mayor Ines Calloway wrote about the docks in her 2019 book, “Salt and Iron.”\n\n"
        "On Monday night, harbour campaign manager Arne Holt released a memo titled “Where "
        "the race stands.” He writes the mayor has “built a lead that no rival can close.”\n\n"
        "Tor Haug hosts the late night show “Harbour Tonight.” “The show was a disaster,” "
        "Haug said. He called the book “a fine piece of work.”"
    )
    found = _texts(text)
    assert not {"Salt and Iron.", "Where the race stands.", "Harbour Tonight."} & set(found)
    assert not any("memo titled" in words for words in found)
    # "He" is the campaign manager the sentence before opens on, past "On Monday night,"
    assert found["built a lead that no rival can close."].speaker == "Arne Holt"
    assert found["The show was a disaster,"].speaker == "Tor Haug"
    assert found["a fine piece of work."].speaker == "Tor Haug"


def test_a_work_named_between_the_new_york_times_two_marks_or_after_a_broadcaster() -> None:
    # Training split: "in his 2012 book, ''An American Son.''", "on CBS' ''60 Minutes.''",
    # "said on NBC's ''Meet the Press'' on Sunday that …": the marks the NYT prints as two
    # apostrophes hid the name of a book or show from the rule that knows one.
    text = (
        "Harbour campaign\n\n"
        "Mayor Ines Calloway wrote about the docks in her 2019 book, ''Salt and Iron.'' "
        "She defended the plan in an interview on CBS' ''Harbour Hour.'' ''The bridge will "
        "open in May,'' she said.\n\n"
        "Arne Holt said on NBC's ''Meet the Harbour'' on Sunday that the bridge would be late."
    )
    found = _texts(text)
    assert not {"Salt and Iron.", "Harbour Hour.", "Meet the Harbour"} & set(found)
    assert found["The bridge will open in May,"].speaker == "Ines Calloway"


def test_a_slogan_between_the_new_york_times_marks_is_no_quote() -> None:
    # Training split: "challenged it … under the slogan ''Axe the tax.''" was a direct quote
    # credited to the party.
    text = (
        "Harbour tax\n\n"
        "The Harbour Party kept the tax even as the Coast Party fought it in the elections the "
        "next year under the slogan ''Axe the tax.'' The Harbour Party won soundly."
    )
    assert _texts(text) == {}


@pytest.mark.parametrize(
    ("before", "named"),
    [
        ("to keep so-called northern “", True),  # a word after "so-called"
        ("under the slogan ''", True),  # the NYT's two marks
        ("the so-called “", True),
        ("so-called experts said “", False),  # a verb of saying after the noun: speech
    ],
)
def test_words_named_after_so_called_or_the_slogan(before: str, named: bool) -> None:
    assert bool(_NAMED_AS.search(before)) is named


def test_the_second_of_a_coordinated_pair_of_named_words_is_named_too() -> None:
    # "so-called Mexican “rapists” and “criminals”": both fragments had been quotes, credited
    # to "Given", the word opening the sentence.
    assert _AND_NEXT.fullmatch("” and “")
    assert _AND_NEXT.fullmatch("'' or ''")
    assert not _AND_NEXT.fullmatch("” and then said “")


def test_a_headline_speaker_is_the_person_its_first_words_name_before_a_verb() -> None:
    # Training split: "Trump Addresses Munich Attack: ‘This Cannot Continue.’" was credited to
    # "Trump Addresses Munich Attack", every word of a headline being capitalised.
    body = (
        "\n\nMayor Lena Tolvane and her former aide Arne Holt spoke at the harbour on Tuesday "
        "after the bridge collapsed. “This cannot continue,” she said."
    )
    found = _texts("Tolvane Addresses Harbour Crowd: ‘This Cannot Continue.’" + body)
    assert found["This Cannot Continue."].speaker == "Lena Tolvane"
    # a name inside a description is not the speaker: "Former Tolvane Aide" is not Tolvane
    found = _texts("Former Tolvane Aide: ‘This Cannot Continue.’" + body)
    assert found["This Cannot Continue."].speaker != "Lena Tolvane"


def test_a_quote_after_a_sentence_opening_on_where_and_when_is_its_subjects() -> None:
    # Training split: "During a rally Tuesday night in Raleigh, North Carolina, Trump remarked
    # upon a … story … “That’s like a bribe”" went on with the speaker quoted before.
    text = (
        "Harbour tax\n\n"
        "“The tax will rise,” said Arne Holt, the council's treasurer.\n\n"
        "During a rally on Tuesday night in Kestrel Bay, Northfield, Mayor Ines Calloway "
        "remarked upon a report in which council sources said the tax would rise. “That is "
        "like a bribe, isn't it?”"
    )
    found = _texts(text)
    assert found["The tax will rise,"].speaker == "Arne Holt"
    assert found["That is like a bribe, isn't it?"].speaker == "Ines Calloway"


@pytest.mark.parametrize("learned", [True, False], ids=["tagger", "rules"])
def test_a_question_or_exclamation_is_credited_by_the_sentence_after_its_mark(
    learned: bool,
) -> None:
    # "“That would be you?” Borger asked." ends its sentence at "?”": "Borger asked." is a
    # sentence of its own, and the question went to whoever was quoted before (10 quotes on
    # the training split's fit articles, all to the wrong person).
    text = (
        "Harbour tax\n\n"
        "“The tax will rise,” said Arne Holt, the council's treasurer.\n\n"
        "Mayor Ines Calloway spoke at the harbour on Tuesday. “Is that not a bribe? Is it "
        "not?” Calloway asked. “We will not pay it.”\n\n"
        "“That is a false equivalency!” Tor Haug replied. “Who asked us?”"
    )
    found = {q.text: q for q in _extract(text, load_model() if learned else None)}
    assert found["The tax will rise,"].speaker == "Arne Holt"
    assert found["Is that not a bribe? Is it not?"].speaker == "Ines Calloway"
    assert found["We will not pay it."].speaker == "Ines Calloway"
    assert found["That is a false equivalency!"].speaker == "Tor Haug"
    assert found["Who asked us?"].speaker == "Tor Haug"


def test_a_name_written_family_name_first_is_one_person() -> None:
    # "Ban Ki-moon, the … secretary general" then "Ban recalled", "he said": the lone "Ban"
    # was no one the article named in full, and every "he" went to a man quoted later.
    text = (
        "Harbour treaty\n\n"
        "The harbour minister, Ryo Tae-jin, spoke at the port on Monday.\n\n"
        "“That was the hardest night of the talks,” Ryo recalled. He said the treaty would "
        "hold.\n\n"
        "Mayor Calloway welcomed it. “It is a good day,” Calloway said. The Calloway Harbour "
        "Fund, a charity, paid for the ceremony.\n\n"
        "“I am sure it will last,” he said."
    )
    found = _texts(text)
    assert found["That was the hardest night of the talks,"].speaker == "Ryo Tae-jin"
    assert found["the treaty would hold"].speaker == "Ryo Tae-jin"
    # A charity with the mayor's name is not the mayor.
    assert found["It is a good day,"].speaker == "Calloway"


def test_a_quote_after_a_sentence_whose_verb_is_irregular_is_its_subjects() -> None:
    # "Clinton began Sunday with a personally signed tweet … “Woke up to hear …”" went to the
    # man quoted before: only verbs in -s or -ed made a subject.
    text = (
        "Harbour tax\n\n"
        "“The tax will rise,” said Arne Holt. Mayor Ines Calloway spoke next. “We will not "
        "pay it.” She won applause. Tor Haug began his speech with a joke. “Nobody asked us.”"
    )
    found = _texts(text)
    assert found["We will not pay it."].speaker == "Ines Calloway"
    assert found["Nobody asked us."].speaker == "Tor Haug"


def test_a_statement_introduced_after_a_lower_case_role_is_the_named_persons() -> None:
    # "In response to …, Republican presidential nominee Donald Trump issued the following
    # statement:" left the statement with no speaker: the subject had to open the sentence.
    text = (
        "Harbour fire\n\n"
        "In response to the fire, Harbour Party mayoral candidate Ines Calloway issued the "
        "following statement:\n\n"
        "“Our thoughts are with the families of the dockworkers.”"
    )
    found = _texts(text)
    assert found["Our thoughts are with the families of the dockworkers."].speaker == (
        "Ines Calloway"
    )


# Each case below broke a rule of this file's tests above (found in review, 2026-12-02).
_REVIEWED = [
    pytest.param(
        "Councillor Tor Haug defended the pier plan on Tuesday. “It is paid for,” Haug said.\n\n"
        "Mayor Ines Calloway turned to the gallery. “Who will pay for this pier?” Haug said the "
        "council would.",
        "Who will pay for this pier?",
        "Ines Calloway",
        id="a sentence of his own words after a question is no cue for it",
    ),
    pytest.param(
        "Harbour pier\n\nMayor Ines Calloway visited the docks on Monday.\n\n"
        "Mayor Ines Calloway, with Councillor Tor Haug, said the pier would “open on time and "
        "under budget.”",
        "open on time and under budget.",
        "Ines Calloway",
        id="with a companion: the mayor speaks",
    ),
    pytest.param(
        "Councillor Tor Haug defended the budget on Tuesday. “It is balanced,” Haug said.\n\n"
        "After Arne Holt left the chamber, Mayor Ines Calloway took the microphone. “This "
        "budget is a disgrace to the harbour.”",
        "This budget is a disgrace to the harbour.",
        "Ines Calloway",
        id="the subject of the main clause, not of the one opening it",
    ),
    pytest.param(
        "Councillor Tor Haug defended the budget on Tuesday. “It is balanced,” Haug said.\n\n"
        "The Kestrel Bay Times won a press award for its budget coverage. “It is a rotten deal "
        "for the town.”",
        "It is a rotten deal for the town.",
        "Tor Haug",
        id="a newspaper winning an award does not speak next",
    ),
    pytest.param(
        "Harbour race\n\nMayor Tor Haug thanked his volunteers on Monday, especially campaign "
        "manager Arne Holt. He said the race “is not over yet, not by a long way.”",
        "is not over yet, not by a long way.",
        "Tor Haug",
        id="a role after a main clause makes no subject for he",
    ),
    pytest.param(
        "Harbour deal\n\nKestrel Amundsen, the chief executive of a fishing cooperative, "
        "attended the signing.\n\nKestrel said in a statement that the deal would “bring three "
        "hundred jobs to the bay.” The company, Kestrel Marine, employs 40 people.",
        "bring three hundred jobs to the bay.",
        "Kestrel",
        id="a first word that opens two names is no family name",
    ),
    pytest.param(
        "Harbour budget\n\nMayor Ines Calloway said taxpayers were entitled, “at the very "
        "least, to an apology from the council.”",
        "at the very least, to an apology from the council.",
        "Ines Calloway",
        id="entitled to: what they are owed, not a title",
    ),
]


_REVIEWED.append(
    pytest.param(
        "Harbour ferry\n\nThe dockworkers' union has become such a presence that Mayor Ines "
        "Calloway on Sunday thanked its members “for their support in my campaign” and called "
        "her old friend Tor Haug “one of the pillars of my campaign and I appreciate that.”",
        "one of the pillars of my campaign and I appreciate that.",
        None,
        id="whom she called by a description and a name is not the speaker",
    )
)


@pytest.mark.parametrize(("text", "words", "speaker"), _REVIEWED)
def test_reviewed_cases_credit_the_right_person(text: str, words: str, speaker: str | None) -> None:
    found = _texts(text)
    assert found[words].speaker == speaker


def test_a_letter_shared_by_one_person_is_not_their_statement() -> None:
    text = (
        "Harbour pier\n\nOn Tuesday, campaign volunteer Arne Holt shared a letter from Mayor "
        "Ines Calloway, which read:\n\n“The pier will stay closed until the survey is finished.”"
    )
    found = _texts(text)
    assert found["The pier will stay closed until the survey is finished."].speaker != "Arne Holt"


def test_you_with_its_verb_is_no_speaker() -> None:
    # "Q: You’ve been talking about …": "You’ve" was the speaker of the question.
    text = (
        "Harbour interview\n\nMayor Ines Calloway spoke to the Gazette.\n\n"
        "Q: You’ve been talking about how the harbour is on the upswing, but the docks are empty."
    )
    assert all(q.speaker is None for q in extract_quotes(text))
    assert all(q.speaker_mention != "You’ve" for q in extract_quotes(text))


def test_a_name_with_an_adverb_after_it_is_the_named_person() -> None:
    # The tagger's source was "Calloway later", a description of no one: speaker unknown.
    text = (
        "Harbour vote\n\nMayor Ines Calloway spoke on Monday.\n\nCalloway later told local "
        "radio that the vote would take place “within weeks, not months.”"
    )
    assert _texts(text)["within weeks, not months."].speaker == "Ines Calloway"


def test_narration_joined_to_a_report_by_and_is_not_what_was_said() -> None:
    # "… cancelled 14 crossings last week, and its chief executive says …": the first clause is
    # the outlet's, and was its chief executive's statement.
    text = (
        "Ferry crossings\n\nThe operator of the Eastport-Holm ferry cancelled 14 crossings last "
        "week, and its chief executive says the weather, not its ageing fleet, is to blame."
    )
    found = _texts(text)
    assert "the weather, not its ageing fleet, is to blame" in found
    assert not any("cancelled 14 crossings" in words for words in found)


def test_the_subject_of_a_participle_past_a_role_and_an_irregular_verb() -> None:
    # "Opposition spokesman Lars Brun went further, calling …": "Opposition" was the speaker;
    # the subject is read past the role, before a past tense without -ed.
    text = (
        "Bridge row\n\nOpposition spokesman Lars Brun went further, calling the minister's "
        "promise “a fantasy.”"
    )
    assert _texts(text)["a fantasy."].speaker == "Lars Brun"


def test_a_plural_title_before_two_names_is_no_part_of_either() -> None:
    # "Councillors Ivo Brandt and Maja Fors voted against": the speaker was "Councillors Ivo
    # Brandt".
    text = (
        "Harbour budget\n\nThe vote was 7-4. Councillors Ivo Brandt and Maja Fors voted "
        "against.\n\nBrandt, a former fisherman, told the chamber the budget “punishes the "
        "people who built this harbour.”"
    )
    assert _texts(text)["punishes the people who built this harbour."].speaker == "Ivo Brandt"


def test_when_it_was_said_is_no_part_of_what_was_said() -> None:
    # "told reporters afterwards he would appeal": the content began with "afterwards".
    text = (
        "Harbour vote\n\nThe council voted 7-4 in favour. Councillor Ivo Brandt told reporters "
        "afterwards he would appeal to the regional court."
    )
    found = _texts(text)
    assert found["he would appeal to the regional court"].speaker == "Ivo Brandt"
