"""Every quoting and attribution pattern, on short articles we wrote (invented people, outlets)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.extract import extract_quotes
from bot.core.extract.quotes import _bare_cue, _folded, _head_mention
from bot.core.matching.split import matched_quotes
from bot.core.models import Quote, QuoteKind


def _one(text: str, words: str) -> Quote:
    """The quote of ``words`` the bot matches: a fragment inside reported speech included."""
    units = matched_quotes(extract_quotes(text))
    found = [q for q in units if q.text == words]
    assert found, [q.text for q in units]
    return found[0]


def test_quoted_words_inside_reported_speech_are_one_quote() -> None:
    t = "Councillor Ines Calloway said the harbour plan was “a costly fantasy” and would not pass."
    (quote,) = extract_quotes(t)
    assert quote.kind is QuoteKind.INDIRECT and quote.speaker == "Ines Calloway"
    assert quote.text == "the harbour plan was “a costly fantasy” and would not pass"
    (part,) = quote.quoted  # the quoted words: matched as a fragment of her statements
    assert (part.text, part.kind, part.speaker) == (
        "a costly fantasy",
        QuoteKind.FRAGMENT,
        "Ines Calloway",
    )
    assert t[part.start : part.end] == part.text
    assert [q.text for q in matched_quotes([quote])] == [quote.text, "a costly fantasy"]


def test_quoted_words_credited_to_someone_else_stay_a_quote_of_their_own() -> None:
    report = Quote(
        "Pihl's “no new taxes” pledge was broken", 0, 39, QuoteKind.INDIRECT, "Ines Calloway"
    )
    own = Quote("no new taxes", 7, 19, QuoteKind.FRAGMENT, "Jonas Pihl")
    nobody = Quote("no new taxes", 7, 19, QuoteKind.FRAGMENT, None)
    assert _folded([report, own]) == [report, own]
    assert _folded([report, nobody]) == [replace(report, quoted=(nobody,))]


def test_curly_quote_said_after_with_trailing_comma() -> None:
    t = "“We will rebuild the bridge by spring,” said Mayor Olivia Brandt of Westmere."
    q = _one(t, "We will rebuild the bridge by spring,")
    assert (q.kind, q.speaker, q.cue) == (QuoteKind.DIRECT, "Olivia Brandt", "said")


def test_straight_quotes_and_pronoun_to_full_name() -> None:
    t = (
        "Finance Minister Tomas Varga presented the budget on Monday.\n\n"
        '"The deficit will shrink next year," he said.'
    )
    q = _one(t, "The deficit will shrink next year,")
    assert (q.speaker, q.speaker_mention) == ("Tomas Varga", "he")


def test_gender_agreement_picks_the_woman() -> None:
    t = (
        "Ms. Ilse Marten met Peter Kolb in the capital. "
        "Later, Mr. Kolb left early.\n\n“The talks went well,” she said."
    )
    assert _one(t, "The talks went well,").speaker == "Ilse Marten"


def test_honorific_mention_resolves_to_fullest_name() -> None:
    t = (
        "Dr. Renata Oduya, a virologist at the Calder Institute, studied the outbreak. "
        "“It is contained,” Dr. Oduya told the Harbor Ledger."
    )
    q = _one(t, "It is contained,")
    assert (q.speaker, q.speaker_mention, q.cue) == ("Renata Oduya", "Dr. Oduya", "told")


def test_appositive_spokesperson() -> None:
    t = "Lena Fisk, a spokesperson for the Norland Rail Company, said: “Trains will run.”"
    q = _one(t, "Trains will run.")
    assert (q.speaker, q.cue) == ("Lena Fisk", "said")


def test_according_to_and_organisation_speaker() -> None:
    t = "The US said at the time that the proposals were “unworkable”."
    q = _one(t, "unworkable")
    assert (q.kind, q.speaker) == (QuoteKind.FRAGMENT, "United States")
    t2 = "Prices will rise again, according to the Verdant Bank."
    r = [q for q in extract_quotes(t2) if q.kind is QuoteKind.INDIRECT]
    assert r and r[0].cue == "according to" and r[0].speaker == "Verdant Bank"


def test_indirect_speech() -> None:
    t = "Governor Amos Reel said the state needs to prepare for a dry summer."
    r = [q for q in extract_quotes(t) if q.kind is QuoteKind.INDIRECT]
    assert r[0].text == "the state needs to prepare for a dry summer"
    assert (r[0].speaker, r[0].cue) == ("Amos Reel", "said")


def test_guillemets_german_marks_and_single_quotes() -> None:
    t = "Jonas Weber said «Nous verrons.» Then Weber said „Wir sehen.“ And he said 'We will see.'"
    texts = [q.text for q in extract_quotes(t)]
    assert "Nous verrons." in texts and "Wir sehen." in texts and "We will see." in texts


def test_apostrophes_are_not_quotes() -> None:
    t = "They don't miss the '90s, Kara Voss's band plays rock 'n' roll and the players' bus."
    assert [q for q in extract_quotes(t) if q.kind is not QuoteKind.INDIRECT] == []


def test_nested_quotes_stay_inside() -> None:
    t = "“He told me ‘never again’ and left,” said Mira Sol."
    q = _one(t, "He told me ‘never again’ and left,")
    assert q.speaker == "Mira Sol"


def test_missing_space_after_closing_mark() -> None:
    t = "Sen. Hugo Alder spoke. “The vote is on Friday”he added."
    q = _one(t, "The vote is on Friday")
    assert (q.speaker, q.cue) == ("Hugo Alder", "added")


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"])
def test_a_no_break_space_before_the_speaker_is_a_space(space: str) -> None:
    # Web copy often puts a no-break space after the closing mark; the rules read it as one.
    t = (
        f"Harbour traffic “has never been this heavy, not in twenty years of records,”{space}"
        "Lena Moravec, a pilot with the port, told the Tidewater Courier.\n\n"
        "“We are turning ships away at night now.”"
    )
    for learned in (True, False):  # the rules alone too: the tagger reads it either way
        first, second = extract_quotes(t, learned=learned)
        assert first.text == "has never been this heavy, not in twenty years of records,"
        assert (first.speaker, first.cue) == ("Lena Moravec", "told")
        assert (second.text, second.speaker) == (
            "We are turning ships away at night now.",
            "Lena Moravec",
        )


def test_the_speaker_beside_an_inverted_cue_not_the_one_asked_about() -> None:
    t = (
        "“The pier must stay open all winter,” said harbour pilot Lena Moravec when asked "
        "about Mayor Ines Calloway. Moravec has worked the port for years."
    )
    for learned in (True, False):
        (q,) = extract_quotes(t, learned=learned)  # the words after "said" are who, not what
        assert (q.text, q.speaker, q.cue) == (
            "The pier must stay open all winter,",
            "Lena Moravec",
            "said",
        )


def test_who_follows_a_quotation_and_its_verb_is_no_statement() -> None:
    t = (
        "Few expected it. “That is a smoking gun. I never had a case like it,” said Brandt, "
        "who served as county prosecutor for the Nordhaven district from 1993 to 1999 and as "
        "a judge after that."
    )
    (q,) = extract_quotes(t)
    assert (q.kind, q.speaker_mention) == (QuoteKind.DIRECT, "Brandt")


def test_a_study_or_poll_of_people_is_named_whole() -> None:
    t = "Polling of harbour workers shows that Mayor Ines Calloway remains broadly popular."
    (q,) = extract_quotes(t)
    assert (q.speaker, q.speaker_mention) == (None, "Polling of harbour workers")


def test_multi_paragraph_quote_and_split_quote() -> None:
    t = (
        "Coach Dana Pike was blunt.\n\n“We lost our shape in the second half.\n\n"
        "“We will fix it before the final,” Ms. Pike said. “Nobody panics.”"
    )
    qs = extract_quotes(t)
    assert [q.text for q in qs] == [
        "We lost our shape in the second half.",
        "We will fix it before the final,",
        "Nobody panics.",
    ]
    assert {q.speaker for q in qs} == {"Dana Pike"}


def test_floating_quote_paragraph_continues_previous_speaker() -> None:
    t = (
        "“The reservoir is full,” said engineer Paolo Brisk.\n\n"
        "“We expect no shortages this year.”\n\nThe city council meets on Tuesday."
    )
    assert _one(t, "We expect no shortages this year.").speaker == "Paolo Brisk"


def test_a_quote_after_a_sentence_about_another_person_is_theirs() -> None:
    t = (
        "“The reservoir is full,” said engineer Paolo Brisk.\n\n"
        "Mayor Ilse Varga toured the dam on Friday. “We will open the new pumping station in "
        "May.”\n\nThe city council meets on Tuesday."
    )
    assert _one(t, "We will open the new pumping station in May.").speaker == "Ilse Varga"


def test_quote_opening_article_named_in_next_sentence() -> None:
    t = (
        "“There is no plan B.” Chancellor Edda Rhim repeated the line on Sunday, "
        "the Tidewater Post reported."
    )
    assert _one(t, "There is no plan B.").speaker == "Edda Rhim"


def test_dash_attribution_and_pleaded() -> None:
    t = "“Stay home tonight.” — Fire Chief Ruth Calloway\n\n“Please help us”pleaded Ana Ruiz."
    assert _one(t, "Stay home tonight.").speaker == "Ruth Calloway"
    q = _one(t, "Please help us")
    assert (q.speaker, q.cue) == ("Ana Ruiz", "pleaded")


def test_scare_quote_fragment_and_document_speaker() -> None:
    t = (
        "The dispute goes back to the Harlow Accord, signed in 2001. Under the accord, both "
        "towns guaranteed the river's “free and shared use” for ever, the Harlow Accord says."
    )
    q = _one(t, "free and shared use")
    assert (q.kind, q.speaker) == (QuoteKind.FRAGMENT, "Harlow Accord")


def test_unbalanced_marks_keep_the_rest() -> None:
    t = "An opening “mark never closes.\n\n“This one is fine,” said Omar Dene."
    assert _one(t, "This one is fine,").speaker == "Omar Dene"


def test_said_then_long_role_then_name() -> None:
    t = "“Rates will fall by winter,” said Northfield College economist Rhea Lindqvist on Monday."
    q = _one(t, "Rates will fall by winter,")
    assert (q.speaker, q.cue) == ("Rhea Lindqvist", "said")


def test_appositive_after_the_quote() -> None:
    t = "''I would have been all in,'' Mr. Okafor, the mayor of Dunmore, said in his office."
    q = _one(t, "I would have been all in,")
    assert (q.speaker_mention, q.cue) == ("Mr. Okafor", "said")


def test_descriptor_resolves_through_title() -> None:
    t = "Prime Minister Hana Tesar met unions on Friday. “We have a deal,” the prime minister said."
    assert _one(t, "We have a deal,").speaker == "Hana Tesar"


def test_shared_surname_resolved_by_honorific() -> None:
    t = (
        "Greta Holm and her husband, Anders Holm, toured the plant. Greta Holm spoke first. "
        "“We are proud,” Mr. Holm said. “So am I,” Ms. Holm said."
    )
    assert _one(t, "We are proud,").speaker == "Anders Holm"
    assert _one(t, "So am I,").speaker == "Greta Holm"


BRITISH = """Prime Minister Rosa Vell said the talks had been 'constructive'.

'We are close,' she told the Morning Courier. 'The unions' demands are fair.'

Union leader Tom Brask disagreed. He said: 'It's 1990s thinking, and the workers won't accept it.'

"We will see," a spokesperson for the ministry said."""


def test_british_single_quotes_possessives_and_role_subjects() -> None:
    qs = {q.text: q for q in extract_quotes(BRITISH)}
    assert qs["constructive"].kind is QuoteKind.FRAGMENT
    assert qs["The unions' demands are fair."].speaker == "Rosa Vell"
    assert "the Morning Courier" not in qs
    assert qs["It's 1990s thinking, and the workers won't accept it."].speaker == "Tom Brask"
    spokesperson = qs["We will see,"]
    assert (spokesperson.speaker, spokesperson.speaker_mention) == (
        None,
        "a spokesperson for the ministry",
    )
    # The quoted word is a third of what she is reported to have said: it stands for the
    # statement, with her name and the cue, and the clause is not a second statement.
    assert (qs["constructive"].speaker, qs["constructive"].cue) == ("Rosa Vell", "said")
    assert "the talks had been 'constructive'" not in qs


def test_gender_inferred_from_pronouns_for_unlisted_names() -> None:
    t = (
        "Zorya Pelk runs the port. She took the job in May and she has kept her promises. "
        "Dmitar Vusk, her deputy, said he would stay.\n\n“The cranes are back,” she said."
    )
    assert _one(t, "The cranes are back,").speaker == "Zorya Pelk"


def test_a_name_keeps_none_of_the_words_that_lead_it_in() -> None:
    # Party labels, sentence openers and a place's possessive are not part of a name: the
    # speaker is the person, so every outlet's quotes of her are credited to the same name.
    t = (
        "Republican Ada Brennan toured the harbour on Monday. So Ada Brennan came back, and "
        "Lakeview’s Tomas Ruud came with her.\n\n"
        "“The pier stays open,” Brennan said.\n\n"
        "“We will fund it,” Ruud said."
    )
    assert _one(t, "The pier stays open,").speaker == "Ada Brennan"
    assert _one(t, "We will fund it,").speaker == "Tomas Ruud"


def test_she_is_never_a_capitalised_phrase() -> None:
    # "Harbour Health" is written like a name but never as a person, and John Ekland is a man:
    # nobody the article names is "she", so her words keep the pronoun and no speaker.
    t = (
        "John Ekland came to the clinic on Pier Road on Friday.\n\n"
        "After he answered a question about Harbour Health, she said the budget was far too "
        "small for the winter."
    )
    budget = _one(t, "the budget was far too small for the winter")
    assert (budget.speaker, budget.speaker_mention) == (None, "she")


def test_the_dots_of_an_abbreviation_do_not_end_a_source() -> None:
    t = (
        "Harbour talks.\n\n"
        "The U.N. mission has always claimed that its staff in Port Ellis stayed neutral."
    )
    (q,) = [q for q in extract_quotes(t) if "stayed neutral" in q.text]
    assert (q.speaker, q.speaker_mention) == (None, "The U.N. mission")


def test_of_in_an_institution_is_part_of_its_name() -> None:
    # "of" belongs to titles only after one ("Secretary of State Ada Brennan"): the Ministry of
    # Transport is not "Transport", and the Secretary of State is Ada Brennan.
    t = (
        "Ferry fares.\n\n"
        "The Ministry of Transport said the fares would rise in May.\n\n"
        "Secretary of State Ada Brennan said the rise was too steep."
    )
    fares = _one(t, "the fares would rise in May")
    assert fares.speaker == "Ministry of Transport"
    assert _one(t, "the rise was too steep").speaker == "Ada Brennan"


def test_inverted_present_tense_cues() -> None:
    t = (
        "Ferry timetable.\n\n"
        "The website noted that the timetable works against the islanders.\n\n"
        "“The timetable has two problems,” writes Odile King. “One is the winter service.”"
    )
    assert _one(t, "The timetable has two problems,").speaker == "Odile King"
    assert _one(t, "One is the winter service.").speaker == "Odile King"


def test_a_statement_introduced_by_a_colon_in_the_paragraph_before() -> None:
    t = (
        "Harbour fire.\n\nMayor Ines Calloway issued the following statement:\n\n"
        "“Our thoughts are with everyone affected by the fire on Pier Road.”"
    )
    thoughts = _one(t, "Our thoughts are with everyone affected by the fire on Pier Road.")
    assert thoughts.speaker == "Ines Calloway"


def test_a_hyphenated_given_name_is_part_of_the_name() -> None:
    # "-moon" is no lead-in like "-based": the pronoun finds the person, and the hyphenated
    # title is a title.
    t = (
        "Harbour talks.\n\nSecretary-General Han Ji-woo spoke on Monday. “I am grateful to all "
        "the parties involved,” he said."
    )
    assert _one(t, "I am grateful to all the parties involved,").speaker == "Han Ji-woo"


def test_a_nationality_is_no_speaker() -> None:
    t = (
        "Pier talks.\n\n"
        "The French minister’s remark came days after the vote on the harbour levy, suggesting "
        "the council should cede the pier to the ferry company."
    )
    (q,) = [q for q in extract_quotes(t) if "cede the pier" in q.text]
    assert q.speaker is None and q.speaker_mention != "French"


def test_a_source_opening_on_when_and_where_is_the_name_after_them() -> None:
    text = "Wednesday at the town hall, councillor Ines Calloway said the tax would stay."
    source = (0, text.index(" said"))
    assert _head_mention(text, source) == ("Ines Calloway", text.index("Ines"))
    # A description before the name is no time or place: "Doug Andres, a spokesman for House
    # Speaker Paul Ryan," is Andres, not the speaker he speaks for.
    text = "Tor Haug, a spokesman for Mayor Ines Calloway, said the tax would stay."
    assert _head_mention(text, (0, text.index(", said")))[0] == "Tor Haug"


def test_after_when_and_where_a_description_and_never_a_state() -> None:
    text = "In a video found by the Ellsmere Courier, a former ferry captain said it was old."
    source = (0, text.index(" said"))
    assert _head_mention(text, source)[0] == "a former ferry captain"
    text = "Officials from the port in Ellsmere, N.Y., speaking on condition of anonymity, said so."
    assert _head_mention(text, (0, text.index(", said")))[0] != "N.Y."


def test_a_cue_is_its_words_without_the_punctuation_after_them() -> None:
    assert [_bare_cue(c) for c in ("said;", "noted:", "said, twice,", ":", "said Tuesday")] == [
        "said",
        "noted",
        "said, twice",
        ":",
        "said",
    ]
    text = "Ferry audit\n\nJan Brewer, the harbour master, said the audit was fair."
    # "Jan" is a first name, not the month.
    assert "Jan Brewer" in {q.speaker for q in extract_quotes(text)}


def test_a_later_quotation_in_the_sentence_keeps_the_speaker_found_for_the_first() -> None:
    t = (
        "“There were no campaigns, no petitions, no calls to the ministry,” said Rolf Aune, "
        "who was chief of staff to the foreign minister.\n\n"
        "“This was an example of the minister at work” and her team “quietly deciding that "
        "we had some leverage here and should use it.”"
    )
    q = _one(t, "quietly deciding that we had some leverage here and should use it.")
    assert q.speaker == "Rolf Aune"


def test_a_list_of_titles_passes_no_speaker_on() -> None:
    t = (
        "Old shows are back. “Harbour Lights,” whose heyday was the 1990s, returns -- and so "
        "are “Tide,” “Deckhands” and “Pier Nine.”\n\n"
        "“We now live in a world where shows never die,” said Ada Lindqvist, who runs the "
        "Kestrel Channel."
    )
    assert not [q for q in extract_quotes(t) if q.text.startswith("Pier Nine") and q.speaker]


def test_a_few_quoted_words_after_a_quotation_are_the_same_speakers() -> None:
    t = (
        "“She still has the friends she had in grade school,” Tor Haug has said of his wife. "
        "That makes her “by definition a trustworthy and reliable person.”\n\n"
        "The campaign ends on Sunday."
    )
    assert _one(t, "by definition a trustworthy and reliable person.").speaker == "Tor Haug"


def test_the_subject_of_said_is_the_name_a_relative_clause_describes() -> None:
    from bot.core.extract.quotes import _extract

    t = (
        "Retired judge Lars Brun, who led the inquiry into the pier collapse for Governor Tor "
        "Haug, said the report would be published in May."
    )
    rules = _extract(t, None)  # the rules' reading: the tagger's is tested on real news
    assert [(q.text, q.speaker) for q in rules] == [
        ("the report would be published in May", "Lars Brun")
    ]
    t = (
        "Vice Mayor Ines Calloway rose to the defence of Jonas Pihl, the embattled head of the "
        "Eastport Ferry Company, who is under investigation, saying he should be thanked."
    )
    assert all(q.speaker != "Eastport Ferry Company" for q in _extract(t, None))


def test_a_subject_and_its_relative_clause_are_no_statement() -> None:
    t = (
        "Mayor Ines Calloway, who has led the town since 2019 and chaired the harbour board "
        "before that, said on Tuesday that the tax would not rise this year."
    )
    assert [(q.text, q.speaker) for q in extract_quotes(t)] == [
        ("that the tax would not rise this year", "Ines Calloway")
    ]


def test_whom_someone_spoke_to_is_not_what_they_said() -> None:
    t = (
        "Maja Fors, who spoke to reporters after the meeting with Pihl, said the vote was a "
        "mistake."
    )
    assert [(q.text, q.speaker) for q in extract_quotes(t)] == [
        ("the vote was a mistake", "Maja Fors")
    ]


def test_a_name_is_not_resolved_to_a_headline_word_before_it() -> None:
    t = (
        "Understated Haugen raises her profile.\n\n"
        "Labour Minister Rita Haugen spoke in Tromsdal on Monday. “Nobody who works full time "
        "should live in poverty,” Haugen said."
    )
    assert _one(t, "Nobody who works full time should live in poverty,").speaker == "Rita Haugen"


@pytest.mark.parametrize(
    ("closing", "cue"), [(", Brandt said.", "said"), (", Brandt told the Courier.", "told")]
)
def test_an_attribution_closing_the_sentence_is_the_source_of_all_before_it(
    monkeypatch: pytest.MonkeyPatch, closing: str, cue: str
) -> None:
    # A reading a tagger trained on other articles gave: the words after "plans" as content,
    # "Pihl" as their source. The sentence's closing "Brandt said" is the source of all of it.
    from bot.core.extract import quotes
    from bot.core.extract.learned import Tagged

    t = (
        "Pihl plans to remain in the party and would have joined it if Eastport had a branch"
        + closing
    )

    def at(words: str) -> tuple[int, int]:
        return t.index(words), t.index(words) + len(words)

    reading = Tagged(
        [at("to remain in the party and would have joined it if Eastport had a branch")],
        [at("Pihl")],
        [at("plans")],
    )
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading)
    found = [(q.text, q.speaker, q.cue) for q in extract_quotes(t)]
    assert found == [
        (
            "Pihl plans to remain in the party and would have joined it if Eastport had a branch",
            "Brandt",
            cue,
        )
    ]


def test_the_tagger_source_a_relative_clause_describes_or_a_preposition_names() -> None:
    t = (
        "Although there was no such meeting with the union's team, a harbour official who "
        "spoke anonymously to discuss internal planning said Wednesday, “Certainly there are "
        "talks between the port and the ferry company.”\n\n"
        "Councillor Maja Fors tweeted back at the mayor pointing out how odd the plan was "
        "coming from a council that promised lower fares: “Your proposal is to spend millions "
        "on a pier nobody uses.”\n\n"
        "On Thursday, Pihl won his first endorsement from a council colleague, from Ada Lind, "
        "who declared in the town hall, “I am sending the signal that it is time to unite.”"
    )
    found = {q.text: (q.speaker, q.speaker_mention) for q in extract_quotes(t)}
    assert found["Certainly there are talks between the port and the ferry company."] == (
        None,
        "a harbour official",
    )
    assert found["Your proposal is to spend millions on a pier nobody uses."][0] == "Maja Fors"
    assert found["I am sending the signal that it is time to unite."][0] == "Ada Lind"


@pytest.mark.parametrize(
    ("closing", "source"),
    [
        ("the harbour master says", "the harbour master"),
        ("the harbour master, Mette Rud, says", "Mette Rud"),  # the name the description gives
    ],
)
def test_words_that_took_in_their_closing_attribution_end_before_it(
    closing: str, source: str
) -> None:
    t = f"Councillor Jonas Pihl's claim that the pier will open in May is wrong, {closing}."
    assert [(q.text, q.speaker_mention, q.cue) for q in extract_quotes(t)] == [
        ("Councillor Jonas Pihl's claim that the pier will open in May is wrong", source, "says")
    ]


def test_a_report_closed_by_a_description_the_tagger_read_as_its_source() -> None:
    t = "The mayor spoke on Monday. The ferry will run in June, the harbour master said on Tuesday."
    assert [(q.text, q.speaker_mention) for q in extract_quotes(t)] == [
        ("The ferry will run in June", "the harbour master")
    ]


def test_a_clause_inside_reported_words_credits_its_words_to_the_one_it_names() -> None:
    t = (
        "EASTPORT — Council voted 7-4 on Tuesday to approve a harbour levy that Mayor Ines "
        "Calloway says will keep the ferry running through the winter."
    )
    found = [(q.text, q.speaker) for q in extract_quotes(t)]
    assert ("will keep the ferry running through the winter", "Ines Calloway") in found
    t = "Sexton said he is unconvinced that Pihl believes some of what he is saying."
    assert all(q.speaker != "Pihl" for q in extract_quotes(t))  # an object, not a clause


def test_a_closing_spokesperson_for_someone_in_an_email_is_the_source() -> None:
    t = (
        "Ferry talks.\n\nThe province has not said whether it will match the funding, a "
        "spokesperson for the transport ministry said in an email."
    )
    assert [(q.text, q.speaker_mention) for q in extract_quotes(t)] == [
        (
            "The province has not said whether it will match the funding",
            "a spokesperson for the transport ministry",
        )
    ]


def test_reported_words_end_with_their_sentence_before_the_next_quotation() -> None:
    t = (
        "Const. Mira Dahl said officers were called to the scene just after 11 p.m. “Both "
        "drivers were taken to hospital with serious injuries,” she said."
    )
    found = [(q.text, q.speaker) for q in extract_quotes(t)]
    assert found == [
        ("officers were called to the scene just after 11 p.m.", "Mira Dahl"),
        ("Both drivers were taken to hospital with serious injuries,", "Mira Dahl"),
    ]


def test_a_relative_clause_after_a_name_is_not_what_they_said() -> None:
    t = (
        "MPP Lina Vik, whose riding includes the intersection, welcomed the review but said "
        "it was overdue."
    )
    assert [(q.text, q.speaker) for q in extract_quotes(t)] == [("it was overdue", "Lina Vik")]


def test_an_age_between_the_name_and_the_verb() -> None:
    t = (
        "“We've heard this before,” association president Jonas Pihl, 63, said. “Last time "
        "the tax went up eight per cent.”"
    )
    assert [q.speaker for q in extract_quotes(t)] == ["Jonas Pihl", "Jonas Pihl"]


def test_a_think_tank_is_no_one_thinking() -> None:
    from bot.core.extract.reported import find_reported

    t = "Her day job is director of analysis at the Harbour Forum, a conservative think tank."
    assert find_reported(t, 0) is None
    t = "The council would vote in May, a spokesperson for the Harbour Forum thinks."
    assert find_reported(t, 0) is not None


def test_a_description_then_the_name_it_gives_is_the_name() -> None:
    t = (
        "The union has hired a lawyer. Its president, Mette Rud, told reporters the union "
        "would file for an injunction next week."
    )
    assert [(q.text, q.speaker) for q in extract_quotes(t)] == [
        ("the union would file for an injunction next week", "Mette Rud")
    ]


def test_the_people_of_a_place_speak_not_the_place() -> None:
    from bot.core.extract.attribution import subject_before

    assert subject_before("Fishers in Eastport ", 0) == ("Fishers", 0)
    assert subject_before("Speaking in Tromsdal, Ines Calloway ", 0) == ("Ines Calloway", 22)


def test_a_name_inside_the_subjects_relative_clause_is_not_the_speaker() -> None:
    t = (
        "Many of the local council members who would rather be working on a campaign for "
        "Ines Calloway or Jonas Pihl said they have rallied behind the mayor."
    )
    assert [(q.text, q.speaker, q.speaker_mention) for q in extract_quotes(t)] == [
        ("they have rallied behind the mayor", None, "Many of the local council members")
    ]


def test_some_of_a_group_is_the_group_not_its_first_word() -> None:
    t = "Some of the harbour pilots said the new pier was too short for the ferries."
    assert [q.speaker_mention for q in extract_quotes(t)] == ["Some of the harbour pilots"]


def test_who_found_the_words_is_not_who_said_them() -> None:
    t = (
        "In a 2013 video uncovered by the Eastport Courier, a veteran diplomat said the "
        "minister put speed over security."
    )
    assert [(q.text, q.speaker_mention) for q in extract_quotes(t)] == [
        ("the minister put speed over security", "a veteran diplomat")
    ]


def test_a_quotation_after_but_x_said_is_xs_not_the_one_who_declined() -> None:
    t = (
        "Transport Minister Dara Kowal declined to comment on Tuesday, but a spokesperson for "
        'her office said the province "will look at any request that comes in."'
    )
    assert [(q.text, q.speaker, q.speaker_mention) for q in extract_quotes(t)] == [
        ("will look at any request that comes in.", None, "a spokesperson for her office")
    ]


def test_all_the_clause_after_according_to_is_what_its_source_says() -> None:
    t = "According to a staff report, the levy is expected to raise about $1.4 million a year."
    assert [(q.text, q.speaker_mention) for q in extract_quotes(t)] == [
        ("the levy is expected to raise about $1.4 million a year", "a staff report")
    ]


def test_a_possessive_description_then_the_name_it_gives_is_the_name() -> None:
    t = (
        "Haug's lawyer, Pavel Dahl, argued that his client had repaid part of the money and had "
        "shown remorse."
    )
    assert [q.speaker for q in extract_quotes(t)] == ["Pavel Dahl"]


def test_a_sentence_the_tagger_read_whole_loses_its_own_attribution() -> None:
    # the tagger reads the last sentence, attribution and all, as one content with no cue
    t = (
        "Justice Mara Strand said the sentence had to deter others. One of the victims, Lena "
        "Morvik, said she was relieved. “I just want my money back,” she said.\n\nThe harbour "
        "authority said it has since changed how fees are collected."
    )
    last = extract_quotes(t)[-1]
    assert (last.text, last.speaker_mention, last.cue) == (
        "it has since changed how fees are collected",
        "The harbour authority",
        "said",
    )


def test_words_a_banner_or_an_email_reads_are_no_ones_nearby() -> None:
    t = (
        "“The north pier will reopen in May,” Mayor Ines Calloway said.\n\n"
        "“The harbour is ours!” read one banner outside the town hall.\n\n"
        "“Friend, let me be blunt. I can beat the mayor,” the email read."
    )
    assert [(q.speaker, q.speaker_mention, q.cue) for q in extract_quotes(t)] == [
        ("Ines Calloway", "Mayor Ines Calloway", "said"),
        (None, "one banner", "read"),
        (None, "the email", "read"),
    ]


def test_a_source_phrase_is_cut_at_a_word_not_inside_one() -> None:
    from bot.core.extract.attribution import clean

    # "top" is not "to", "associates" not "as", "intelligence" not "in", "one" not "on"
    assert (
        clean("the top officials of both harbour towns")
        == "the top officials of both harbour towns"
    )
    assert clean("Several Calloway associates") == "Several Calloway associates"
    assert clean("the intelligence officers") == "the intelligence officers"
    assert clean("the mayor in her office") == "the mayor"  # the words themselves still cut
    assert clean("the harbour master, Mette Rud") == "the harbour master"
    assert clean("the United States and others including engineers") == (
        "the United States and others"
    )


def test_an_event_or_some_people_is_nobody_a_description_can_name() -> None:
    from bot.core.extract.names import build_roster
    from bot.core.extract.quotes import _descriptor

    text = (
        "Before his attack, Arne Holt posted messages online. The attack sparked a debate. "
        "Several Calloway associates, Ines Calloway's aides, met. The harbour master, Mette Rud, "
        "spoke."
    )
    roster = build_roster(text)
    assert _descriptor("The attack", text, text.index("The attack"), roster) is None
    assert _descriptor("some involved", text, text.index("Several"), roster) is None
    assert _descriptor("the harbour master", text, len(text), roster) == "Mette Rud"


def _reading(t: str, contents: list[str], sources: list[str], cues: list[str]) -> object:
    """A tagger's reading of ``t``, as one trained on other articles gave it."""
    from bot.core.extract.learned import Tagged

    def at(words: str) -> tuple[int, int]:
        return t.index(words), t.index(words) + len(words)

    return Tagged([at(w) for w in contents], [at(w) for w in sources], [at(w) for w in cues])


def test_a_tagger_source_that_runs_into_its_verb_gives_way_to_the_closing_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.core.extract import quotes

    t = "Pihl cannot say that “from his perspective,” Mayor Ines Calloway added."
    reading = _reading(t, ["from his perspective,"], ["Pihl cannot"], ["say"])
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading)
    assert [(q.text, q.speaker) for q in extract_quotes(t)] == [
        ("from his perspective,", "Ines Calloway")
    ]


def test_the_attribution_closing_a_quotation_speaks_not_the_subject_of_its_clause() -> None:
    t = "Pihl will never admit it was “a costly mistake,” Mayor Ines Calloway added."
    assert _one(t, "a costly mistake,").speaker == "Ines Calloway"


def test_a_role_before_the_closing_name_and_an_attribution_between_commas() -> None:
    from bot.core.extract.quotes import _closing, _parenthetical

    t = "The union will sit out the vote, Harbour Union director Jonas Pihl told the Herald."
    assert _closing(t, t.index(","), len(t)) == ("Jonas Pihl", t.index("Jonas"), "told")
    t2 = "The union will sit out the vote, Jonas Pihl told the Herald."
    assert _closing(t2, t2.index(","), len(t2)) == ("Jonas Pihl", t2.index("Jonas"), "told")
    t3 = "The plan, an inside source said, is to have volunteers hand out the leaflets."
    assert _parenthetical(t3, (0, t3.index(" said")), "The plan", 0) == (
        "an inside source",
        t3.index("an inside"),
    )
    t4 = "Mayor Ines Calloway, a sailor, said the ferry will run."
    assert _parenthetical(t4, (0, t4.index(" said")), "Mayor Ines Calloway", 0) == (
        "Mayor Ines Calloway",
        0,
    )


def test_a_participle_after_an_addressee_is_the_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.core.extract import quotes

    t = "Mayor Jonas Pihl wrote a letter to Minister Ines Calloway asking the ministry to act."
    reading = _reading(
        t,
        ["the ministry to act."],
        ["Mayor Jonas Pihl", "Minister Ines Calloway"],
        ["wrote a letter to", "asking"],
    )
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading)
    assert [(q.text, q.speaker) for q in extract_quotes(t)] == [
        ("the ministry to act.", "Jonas Pihl")
    ]
    t2 = "Mayor Jonas Pihl wrote to Minister Ines Calloway, who said the ministry would act."
    reading2 = _reading(
        t2,
        ["the ministry would act."],
        ["Mayor Jonas Pihl", "Minister Ines Calloway"],
        ["wrote to", "said"],
    )
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading2)
    assert [q.speaker for q in extract_quotes(t2)] == ["Ines Calloway"]


def test_a_source_that_opens_with_its_time_is_who_comes_after_it() -> None:
    t = "Last September, harbour authorities worried by the fares wrote to the ministry."
    source = (0, t.index(" worried"))
    assert _head_mention(t, source) == ("harbour authorities", t.index("harbour"))
    t2 = "On Monday, Mayor Jonas Pihl said the ferry would run."
    assert _head_mention(t2, (0, t2.index(" said")))[0] == "Mayor Jonas Pihl"


def test_an_attribution_between_commas_after_a_name_in_the_subject(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.core.extract import quotes

    t = (
        "The source of the attraction to Mayor Ines Calloway, union members and leaders say, "
        "is manifold: her positions on trade."
    )
    reading = _reading(
        t,
        ["is manifold: her positions on trade."],
        ["The source of the attraction to Mayor Ines Calloway, union members and leaders"],
        ["say"],
    )
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading)
    assert [(q.speaker, q.speaker_mention) for q in extract_quotes(t)] == [
        (None, "union members and leaders")
    ]


def test_the_second_half_of_a_place_is_no_source(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.core.extract import quotes

    t = (
        "As they met in Oslo, Calloway was 300 miles away in Bergen, Hordaland, promising to "
        "build a new pier at the harbour."
    )
    reading = _reading(t, ["to build a new pier at the harbour."], ["Hordaland,"], ["promising"])
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading)
    assert [q.speaker for q in extract_quotes(t)] == ["Calloway"]
    t2 = "Speaking in Bergen, Calloway said the pier would open."
    reading2 = _reading(t2, ["the pier would open."], ["Calloway"], ["said"])
    monkeypatch.setattr(quotes, "tag_article", lambda *_: reading2)
    assert [q.speaker for q in extract_quotes(t2)] == ["Calloway"]


def test_the_name_inside_an_object_relative_clause_speaks() -> None:
    t = (
        "The harbour is a point of pride, one which Eastport historian Jonas Pihl calls “a "
        "foundation of our town’s culture.” It dates to 1890."
    )
    assert _one(t, "a foundation of our town’s culture.").speaker == "Jonas Pihl"


def test_a_description_stands_for_the_person_just_written_of() -> None:
    # The article titles only Marsh "Mayor"; the paragraph is about Brun. "the mayor" there is
    # not Marsh (left unresolved, as written), and "He" after it is Brun.
    t = (
        "Mayor Ada Marsh opened the debate on Monday with a long speech on the harbour.\n\n"
        "Lars Brun sought to rally volunteers as he stopped by his campaign office in "
        "Nordhaven. Walking into the office to chants of “Lars! Lars!,” the mayor said his "
        "campaign was “closing really strong.” He noted that supporters had come from across "
        "the county to knock on doors."
    )
    qs = extract_quotes(t)
    assert {q.speaker for q in qs if q.speaker_mention == "the mayor"} == {None}
    supporters = "that supporters had come from across the county to knock on doors"
    assert _one(t, supporters).speaker == "Lars Brun"
    # with no one else named in between, the description is still the person it titles
    alone = (
        "Mayor Ada Marsh opened the debate on Monday with a long speech on the harbour.\n\n"
        "The mayor said the ferry would run all winter."
    )
    assert _one(alone, "the ferry would run all winter").speaker == "Ada Marsh"
