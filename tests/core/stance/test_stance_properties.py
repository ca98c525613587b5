"""Whatever the text, the stance functions return well-formed answers and never crash."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.models import Quote, QuoteKind, Stance
from bot.core.stance import Target, find_disputes, judge_stance
from bot.core.stance.text import split_sentences

WORDS = st.sampled_from(
    [
        "Osei", "rejected", "Ms.", "Tolvane’s", "plan", "“", "”", '"', "not", "false",
        "never said", ".", ",", "\n\n", "denied", "entry", "bridge", "close", "he", "She",
        "flawed", "no evidence", "Mr.", "by", "ridiculous", "—", "…", "taken out of context",
    ]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(text=TEXT, statement=TEXT)
def test_judge_stance_never_crashes(text: str, statement: str) -> None:
    verdict = judge_stance(statement, text)
    assert verdict.stance in set(Stance)
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.evidence is None or verdict.evidence in text


@settings(max_examples=150, deadline=None)
@given(text=TEXT, a=st.integers(0, 400), b=st.integers(0, 400))
def test_find_disputes_never_crashes_and_quotes_its_evidence(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    quotes = [Quote(text[start:end], start, end, QuoteKind.DIRECT, "Ada Marsh")]
    targets = [Target(1, "Lena Tolvane", "the bridge will close", ((start, end),))]
    for finding in find_disputes(text, quotes, targets):
        assert finding.statement_id == 1
        assert finding.evidence in text
        assert finding.by != "Lena Tolvane" or finding.cue


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_sentences_are_exact_slices_in_order(text: str) -> None:
    sentences = split_sentences(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text and s.text.strip() == s.text and s.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))
