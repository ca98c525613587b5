"""The matcher's verdicts on statements we wrote: every kind of change, and what is not a match."""

from __future__ import annotations

import pytest

from bot.core.matching import KnownStatement, StatementIndex, classify_quote, normalised
from bot.core.models import ChangeKind, QuoteKind, Relation, Severity

CANON = (
    "We will not raise the harbour tax this year, and the 20,000 families on the island "
    "will keep their ferry passes."
)
VENN = KnownStatement(1, "Clara Vennholt", CANON)


def verdict(text: str, speaker: str | None = "Clara Vennholt", kind: QuoteKind = QuoteKind.DIRECT):
    return classify_quote(text, speaker, [VENN], kind)


def fragment(text: str, speaker: str | None = "Clara Vennholt"):
    return verdict(text, speaker, QuoteKind.FRAGMENT)


def change_of(cls, kind: ChangeKind):
    return next(c for c in cls.changes if c.kind is kind)


def kinds(cls) -> set[ChangeKind]:
    return {c.kind for c in cls.changes}


def test_typography_case_and_trailing_punctuation_are_a_repeat() -> None:
    cls = verdict(
        "we will NOT raise the harbour tax this year — and the 20,000 families on the island "
        "will keep their ferry passes"
    )
    # case inside the sentence is cosmetic, so this is an alter of low severity at most
    assert cls.relation in (Relation.REPEAT, Relation.ALTER)
    assert cls.severity in (None, Severity.LOW)
    same = verdict(CANON.replace(",", "").replace(".", "!"))
    assert same.relation is Relation.REPEAT and same.statement_id == 1


def test_exact_fragment_is_a_repeat() -> None:
    cls = fragment("keep their ferry passes")
    assert cls.relation is Relation.REPEAT


def test_negation_dropped_is_high() -> None:
    cls = verdict(CANON.replace("will not raise", "will raise"))
    assert cls.relation is Relation.ALTER
    assert ChangeKind.NEGATION in kinds(cls)
    assert cls.severity is Severity.HIGH
    assert any(op.op == "delete" and op.before == "not" for op in cls.diff)


def test_a_negation_moved_into_the_quotes_own_words_is_no_negation_change() -> None:
    cls = verdict(
        "There is no way we raise the harbour tax this year, and the 20,000 families on the "
        "island will keep their ferry passes."
    )
    assert cls.relation is Relation.ALTER
    assert ChangeKind.NEGATION not in kinds(cls)  # the sense is the same: still no rise
    assert ChangeKind.WORDING in kinds(cls)
    # a "not" dropped in one clause and added in another is two negation changes
    turned = verdict(
        CANON.replace("will not raise", "will raise").replace("will keep", "will not keep")
    )
    assert ChangeKind.NEGATION in kinds(turned) and turned.severity is Severity.HIGH


def test_number_changed_is_high_and_number_forms_are_normalised() -> None:
    changed = verdict(CANON.replace("20,000", "12,000"))
    assert ChangeKind.NUMBER in kinds(changed) and changed.severity is Severity.HIGH
    assert normalised("1.5 million people") == normalised("1,500,000 people")
    assert normalised("three ferries") == normalised("3 ferries")
    rewritten = verdict(CANON.replace("20,000", "20 thousand"))
    assert ChangeKind.NUMBER not in kinds(rewritten)


def test_number_dropped_by_a_trim_is_a_truncation() -> None:
    # Printed as a fragment, an exact sub-span is a repeat; as a direct quote it is a trim.
    assert fragment("We will not raise the harbour tax this year").relation is Relation.REPEAT
    trimmed = verdict("We will not raise the harbour tax this year")
    assert trimmed.relation is Relation.ALTER and kinds(trimmed) == {ChangeKind.TRUNCATED}
    assert change_of(trimmed, ChangeKind.TRUNCATED).severity is Severity.HIGH  # the 20,000
    cut = verdict("We won't raise the harbour tax this year")
    assert cut.relation is Relation.ALTER
    assert ChangeKind.TRUNCATED in kinds(cut) and ChangeKind.NUMBER not in kinds(cut)


def test_entity_swapped_is_high() -> None:
    known = KnownStatement(
        2, "Tomas Brekke", "The new ferry line will link Osterby and Halvik by May."
    )
    cls = classify_quote(
        "The new ferry line will link Osterby and Sundvik by May.", "Tomas Brekke", [known]
    )
    assert cls.relation is Relation.ALTER
    assert ChangeKind.ENTITY in kinds(cls)


def test_wording_truncation_extension_and_ellipsis() -> None:
    cls = verdict(
        "We must not raise the harbour tax this year, and the 20,000 families "
        "will keep their passes."
    )
    assert cls.relation is Relation.ALTER
    assert ChangeKind.WORDING in kinds(cls)
    assert cls.severity is Severity.MEDIUM
    spliced = verdict(
        "We will not raise the harbour tax this year, and the 20,000 families … "
        "will keep their ferry passes."
    )
    assert ChangeKind.TRUNCATED in kinds(spliced)  # "on the island" gone at the ellipsis
    assert change_of(spliced, ChangeKind.TRUNCATED).before == "on the island"
    two = verdict(
        "We will not raise the harbour tax … and the 20,000 families on the island "
        "will keep their ferry passes."
    )
    assert kinds(two) == {ChangeKind.COSMETIC}  # two words, and the quote says it left them
    longer = verdict(CANON + " That is a promise to every household.")
    assert longer.relation is Relation.ALTER and ChangeKind.EXTENDED in kinds(longer)


def test_same_words_from_someone_else_is_a_misattribution() -> None:
    cls = verdict(CANON, speaker="Tomas Brekke")
    assert cls.relation is Relation.MISATTRIBUTION
    assert cls.changes[0].kind is ChangeKind.SPEAKER
    assert cls.changes[0].before == "Clara Vennholt" and cls.changes[0].after == "Tomas Brekke"


@pytest.mark.parametrize("credited", ["Ursula von der Leyen", "Bank of England", "Brekke"])
def test_a_name_with_its_particles_can_be_blamed(credited: str) -> None:
    assert verdict(CANON, speaker=credited).relation is Relation.MISATTRIBUTION


@pytest.mark.parametrize(
    "clause", ["Reporters spoke to Vennholt", "Harbour officials believe Brekke"]
)
def test_a_clause_taken_for_a_speaker_is_never_blamed_for_the_words(clause: str) -> None:
    # An extraction slip must not tell a channel that an outlet misattributed a statement: the
    # words are recorded as they came (a new statement, never alerted without a watched speaker).
    assert verdict(CANON, speaker=clause).relation is Relation.NEW


def test_surname_only_is_the_same_speaker_and_unknown_speaker_matches() -> None:
    assert verdict(CANON, speaker="Ms. Vennholt").relation is Relation.REPEAT
    assert verdict(CANON, speaker=None).relation is Relation.REPEAT


@pytest.mark.parametrize(
    "text",
    [
        "imperial",
        "We will raise money for the island library next spring, the mayor said.",
        "It is what it is.",
    ],
)
def test_unrelated_or_too_thin_is_new(text: str) -> None:
    assert verdict(text).relation is Relation.NEW


def test_short_fragment_from_another_speaker_is_not_blamed() -> None:
    assert fragment("the harbour").relation is Relation.REPEAT  # her own words, a sub-span
    assert fragment("the harbour", speaker="Tomas Brekke").relation is Relation.NEW
    assert fragment("ferry passes", speaker="Tomas Brekke").relation is Relation.NEW


def test_index_finds_the_statement_without_scanning() -> None:
    index = StatementIndex()
    for i in range(2, 500):
        index.add(i, "Someone Else", f"Statement number {i} about topic{i} and budget{i % 7}.")
    index.add(1, "Clara Vennholt", CANON)
    assert 1 in index.candidates("we will raise the harbour tax this year")
    assert index.candidates("nothing in common here at all") == []
    assert len(index.candidates("statement about budget3")) <= 25


def test_a_fragment_of_a_statement_with_an_ellipsis_is_a_repeat() -> None:
    spliced = KnownStatement(
        2,
        "Clara Vennholt",
        "We fixed the quays…now the ferries will run every hour, and the island will see it.",
    )
    words = "now the ferries will run every hour, and the island will see it"
    cls = classify_quote(words, None, [spliced], QuoteKind.FRAGMENT)
    assert (cls.relation, cls.statement_id) == (Relation.REPEAT, 2)
    direct = classify_quote(words, None, [spliced], QuoteKind.DIRECT)
    assert (direct.relation, kinds(direct)) == (Relation.ALTER, {ChangeKind.TRUNCATED})
    assert change_of(direct, ChangeKind.TRUNCATED).before == "We fixed the quays"


def test_a_number_inside_a_hyphenated_word_is_a_number_change() -> None:
    timed = KnownStatement(3, "Clara Vennholt", "The crossing will take a 25-minute ride at most.")
    cls = classify_quote("The crossing will take a 45-minute ride at most.", None, [timed])
    assert cls.relation is Relation.ALTER
    assert ChangeKind.NUMBER in kinds(cls) and cls.severity is Severity.HIGH


def test_a_shared_stock_phrase_from_two_people_is_not_a_misattribution() -> None:
    said = KnownStatement(4, "Lena Morvik", "We have no comment on the investigation at this time.")
    cls = classify_quote(
        "We have no comment on the investigation at this time.", "Aron Falk", [said]
    )
    assert cls.relation is Relation.NEW
    short = KnownStatement(5, "Lena Morvik", "No comment.")
    assert classify_quote("No comment.", "Aron Falk", [short]).relation is Relation.NEW


def test_another_statement_reported_by_another_outlet_is_new() -> None:
    other = "The harbour budget will be published in the spring, before the council votes."
    assert verdict(other).relation is Relation.NEW
    assert verdict(other, speaker="Tomas Brekke").relation is Relation.NEW
