"""PRODUCT.md's relations, precisely (issue 15): short quotes, truncation and its severity,
one change per kind, a fragment's diff against its span, and an index that does not depend on
the order it was filled in."""

from __future__ import annotations

import random

import pytest

from bot.core.matching import KnownStatement, StatementIndex, classify_quote
from bot.core.models import ChangeKind, QuoteKind, Relation, Severity

DIRECT, FRAGMENT = QuoteKind.DIRECT, QuoteKind.FRAGMENT
MAYOR = "Clara Vennholt"
PLEDGE = KnownStatement(
    1,
    MAYOR,
    "This means that we will keep the ferry running all winter if the council approves "
    "the budget in March, and not a day less.",
)


def judge(text: str, kind: QuoteKind = DIRECT, speaker: str | None = MAYOR, known=PLEDGE):
    return classify_quote(text, speaker, [known], kind)


def only(cls, kind: ChangeKind):
    found = [c for c in cls.changes if c.kind is kind]
    assert len(found) == 1, cls.changes
    return found[0]


# -- short quotes ------------------------------------------------------------------------------
@pytest.mark.parametrize("words", ["Not me,", "it's about me", "we have to do it", "No."])
def test_an_exact_copy_of_a_short_quote_is_a_repeat(words: str) -> None:
    known = KnownStatement(7, "Aron Falk", words)
    copy = words.replace("'", "’").upper().rstrip(",.") + "."
    assert classify_quote(copy, "Aron Falk", [known]).relation is Relation.REPEAT
    assert classify_quote(copy, "Mr. Falk", [known], FRAGMENT).statement_id == 7


def test_a_short_quote_from_someone_else_is_not_a_misattribution() -> None:
    known = KnownStatement(7, "Aron Falk", "Not me,")
    assert classify_quote("Not me.", "Edda Strand", [known]).relation is Relation.NEW


def test_a_syndicated_two_word_quote_is_found_and_repeats() -> None:
    index = StatementIndex()
    for sid in range(2, 40):
        index.add(sid, "Someone Else", f"We will build quay number {sid} this year.")
    index.add(1, "Aron Falk", "Not me,")
    ids = index.candidates("Not me")
    assert ids == [1]
    known = [KnownStatement(1, "Aron Falk", "Not me,")]
    assert classify_quote("Not me", "Aron Falk", known).relation is Relation.REPEAT


# -- truncation ------------------------------------------------------------------------------
def test_an_exact_sub_span_is_a_repeat_as_a_fragment_and_a_truncation_as_a_quotation() -> None:
    words = "we will keep the ferry running all winter"
    assert judge(words, FRAGMENT).relation is Relation.REPEAT
    cut = judge(words, DIRECT)
    assert cut.relation is Relation.ALTER
    assert [c.kind for c in cut.changes] == [ChangeKind.TRUNCATED]


@pytest.mark.parametrize(
    ("quote", "dropped", "severity"),
    [
        # the condition, the number, the negation and the name at the end are gone
        (
            "This means that we will keep the ferry running all winter",
            "if the council approves the budget in March, and not a day less.",
            Severity.HIGH,
        ),
        # filler at the start
        (
            "we will keep the ferry running all winter if the council approves the budget in "
            "March, and not a day less.",
            "This means that",
            Severity.LOW,
        ),
        # a name and a negation at the end
        (
            "This means that we will keep the ferry running all winter if the council approves "
            "the budget",
            "in March, and not a day less.",
            Severity.HIGH,
        ),
    ],
)
def test_truncation_severity_says_what_was_dropped(
    quote: str, dropped: str, severity: Severity
) -> None:
    cls = judge(quote)
    change = only(cls, ChangeKind.TRUNCATED)
    assert (change.before, change.severity) == (dropped, severity)
    assert any(d.op == "delete" and d.before == dropped for d in cls.diff)


def test_a_truncation_of_plain_words_is_medium() -> None:
    known = KnownStatement(
        3, MAYOR, "The new quay gives the island fishermen a safe harbour for their boats."
    )
    cls = judge("The new quay gives the island fishermen a safe harbour", known=known)
    assert only(cls, ChangeKind.TRUNCATED).severity is Severity.MEDIUM


def test_a_word_or_two_short_of_the_whole_is_still_a_repeat() -> None:
    assert judge(PLEDGE.canonical.removeprefix("This ")).relation is Relation.REPEAT


def test_words_dropped_at_an_ellipsis() -> None:
    two = judge(
        "This means that we will keep the ferry running … if the council approves the budget "
        "in March, and not a day less."
    )
    # two words, and the quote says it left words out: cosmetic, not a truncation
    assert only(two, ChangeKind.COSMETIC).before == "all winter"
    assert two.severity is Severity.LOW
    longer = judge("This means that we will keep the ferry running … in March, and not a day less.")
    truncated = only(longer, ChangeKind.TRUNCATED)
    assert truncated.before.startswith("all winter if") and truncated.severity is Severity.HIGH


def test_words_added_at_an_end_are_an_extension_with_their_severity() -> None:
    cls = judge(PLEDGE.canonical + " Unless the storms close the harbour.")
    assert only(cls, ChangeKind.EXTENDED).severity is Severity.HIGH
    filler = judge("I think, frankly, you know, " + PLEDGE.canonical)
    assert only(filler, ChangeKind.EXTENDED).severity is Severity.LOW


# -- every kind, once ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("quote", "kind", "severity"),
    [
        (PLEDGE.canonical.replace("will keep", "will not keep"), ChangeKind.NEGATION, "high"),
        (PLEDGE.canonical.replace("March", "May"), ChangeKind.ENTITY, "high"),
        (PLEDGE.canonical.replace("all winter", "every winter"), ChangeKind.WORDING, "medium"),
        (
            PLEDGE.canonical.replace("ferry", "Ferry").replace("all winter", "every winter"),
            ChangeKind.COSMETIC,
            "low",
        ),
    ],
)
def test_each_change_kind(quote: str, kind: ChangeKind, severity: str) -> None:
    cls = judge(quote)
    assert cls.relation is Relation.ALTER
    assert only(cls, kind).severity.value == severity


def test_a_number_change_and_a_swapped_speaker() -> None:
    known = KnownStatement(4, MAYOR, "The crossing takes 25 minutes, and the ferry leaves at six.")
    cls = classify_quote(
        "The crossing takes 40 minutes, and the ferry leaves at six.", None, [known]
    )
    assert (only(cls, ChangeKind.NUMBER).before, only(cls, ChangeKind.NUMBER).after) == (
        "25",
        "40",
    )
    blamed = classify_quote(known.canonical, "Tomas Brekke", [known])
    assert blamed.relation is Relation.MISATTRIBUTION
    assert only(blamed, ChangeKind.SPEAKER).after == "Tomas Brekke"


def test_one_entry_per_kind_with_all_its_words() -> None:
    cls = judge(
        "This means that we shall keep the boat running every winter if the council approves "
        "the budget in March, and not a day less."
    )
    wording = only(cls, ChangeKind.WORDING)
    assert wording.before == "will … ferry … all" and wording.after == "shall … boat … every"
    assert [c.kind for c in cls.changes] == [ChangeKind.WORDING]


def test_a_fragment_diff_covers_only_the_span_it_matches() -> None:
    cls = judge("ferry runs all winter", FRAGMENT)
    assert cls.relation is Relation.ALTER
    assert [c.kind for c in cls.changes] == [ChangeKind.WORDING]
    shown = " ".join(d.before for d in cls.diff)
    assert shown == "ferry running all winter"
    assert all(d.op != "delete" for d in cls.diff)


# -- the index -------------------------------------------------------------------------------
def _wordings() -> list[tuple[int, str, str]]:
    rng = random.Random(3)
    words = ["quay", "ferry", "harbour", "budget", "council", "winter", "bridge", "levy", "storm"]
    rows = []
    for sid in range(1, 400):
        picked = " ".join(rng.sample(words, 4))
        rows.append((sid, f"Speaker {sid % 7}", f"We said {picked} matter."))
        if sid % 5 == 0:  # a later variant of an older statement
            rows.append((rng.randrange(1, sid), "Speaker 1", f"They said {picked} again."))
    return rows


def test_the_index_does_not_depend_on_the_order_it_was_filled_in() -> None:
    rows = _wordings()
    running, loaded = StatementIndex(), StatementIndex()
    for sid, speaker, text in rows + rows[:50]:  # while running, some wordings come twice
        running.add(sid, speaker, text)
    for sid, speaker, text in sorted(rows, key=lambda r: (r[2], r[0]), reverse=True):
        loaded.add(sid, speaker, text)
    assert running.entries() == loaded.entries()
    for query in ["ferry winter quay budget", "storm pier levy", "harbour", "council bridge"]:
        assert running.candidates(query) == loaded.candidates(query)
        ids = running.candidates(query)
        assert len(ids) == len(set(ids))


# -- split quotations and other speakers --------------------------------------------------------
def test_a_quotation_split_around_its_attribution_is_no_truncation() -> None:
    from bot.core.models import Article
    from bot.core.monitor import Monitor
    from storage.db import open_db
    from storage.store import Store

    store = Store(open_db(":memory:"))
    monitor = Monitor(store, [])
    whole = "If the council keeps its word, the new quay will open to the public by spring."
    split = (
        "“If the council keeps its word, the new quay,” Clara Vennholt said. "
        "“will open to the public by spring.”"
    )
    first = monitor.ingest(
        Article("https://a.test/1", "Tide Post", "Quay", f"“{whole}” said Clara Vennholt.")
    )
    assert [e.type.value for e in first] == ["new_statement"]
    later = monitor.ingest(Article("https://b.test/1", "Harbour Wire", "Quay", split))
    assert [e.type.value for e in later] == ["repeat", "repeat"]
    # Alone, the second half as a quotation would be cut from the statement.
    cut = classify_quote(
        "will open to the public by spring.", "Clara Vennholt", [KnownStatement(1, MAYOR, whole)]
    )
    assert ChangeKind.TRUNCATED in {c.kind for c in cut.changes}


def test_other_words_from_another_person_are_another_statement() -> None:
    said = KnownStatement(
        9, "Rune Vennholt", "We are ready to put the rail link to a vote within 67 days."
    )
    other = "We are ready to put the rail link to a vote within 447 days."
    assert classify_quote(other, "Milo Morvik", [said]).relation is Relation.NEW
    copy = classify_quote(said.canonical, "Milo Morvik", [said])
    assert copy.relation is Relation.MISATTRIBUTION
