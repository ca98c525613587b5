"""The candidate search's shortcuts (issue 20) change no candidate: the longest posting only
looked up when two shared words are needed, the many sharing just enough words ranked by their
size gaps as bytes, and words tokenised from a table of words met before. Each is held to the
plain computation it replaces."""

from __future__ import annotations

from collections import Counter
from heapq import nsmallest

import pytest

import bot.core.matching.tokens as tokens
from bench.bench_match import RealShapedStatements
from bot.core.matching import StatementIndex, tokenize
from bot.core.matching.index import (
    COMMON_SHARE,
    MAX_CANDIDATES,
    QUERY_WORDS,
    SHORT_WORDS,
    exact_form,
)
from bot.core.matching.tokens import content_words


def plainly(index: StatementIndex, text: str, limit: int = MAX_CANDIDATES) -> list[int]:
    """The candidates as first written: every id of every posting counted, then sorted."""
    postings, size = index._postings, index._size
    toks = tokenize(text)
    own = set(content_words(toks))
    exact = list(index._exact.get(exact_form(toks), ())) if len(own) <= SHORT_WORDS else []
    words = sorted((w for w in own if w in postings), key=lambda w: (len(postings[w]), w))
    if not words:
        return exact[:limit]
    ceiling = max(50, int(COMMON_SHARE * len(index)))
    rare = [w for w in words if len(postings[w]) <= ceiling][:QUERY_WORDS] or words[:1]
    counts: Counter[int] = Counter()
    for word in rare:
        counts.update(postings[word])
    need = 1 if len(rare) <= 2 else 2
    own_size = 1 + min(len(own), 254)
    ranked = nsmallest(
        max(0, limit - len(exact)),
        (sid for sid, n in counts.items() if n >= need and sid not in set(exact)),
        key=lambda sid: (-counts[sid], abs(size[sid] - own_size), sid),
    )
    return exact[:limit] + ranked


@pytest.fixture(scope="module")
def stored() -> tuple[StatementIndex, list[str]]:
    gen = RealShapedStatements(seed=5)
    index = StatementIndex()
    texts = []
    for sid in range(1, 6001):
        text = gen.text()
        texts.append(text)
        index.add(sid, gen.rng.choice(gen.speakers), text)
    # Short wordings found by their exact form too, among statements sharing their words.
    for sid, text in enumerate(["Not me.", "We have to do it.", "Never again"], start=6001):
        index.add(sid, "Someone", text)
        texts.append(text)
    queries = [gen.variant(t) for t in texts[::7]] + [gen.text() for _ in range(300)]
    return index, [*queries, "not me", "never again", "we have to do it"]


def test_the_candidates_are_those_of_the_plain_count(
    stored: tuple[StatementIndex, list[str]],
) -> None:
    index, queries = stored
    needs: Counter[int] = Counter()
    for query in queries:
        assert index.candidates(query) == plainly(index, query), query
        needs[len(plainly(index, query))] += 1
    assert needs[MAX_CANDIDATES] > 100  # many queries fill every place: the ranking is tested
    for limit in (1, 3, 40):
        for query in queries[:200]:
            assert index.candidates(query, limit=limit) == plainly(index, query, limit)


def test_words_met_before_give_the_tokens_of_words_never_met(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        "We spent 1.5 million on it... and “three” more — said the mayor’s aide.",
        "million dollars, 2,500 of them: Café and cafe … Not yet!",
        "Tax -- tax, TAX; the tax's rates (taxes) ... rates…",
        "1.5 million",
    ]
    monkeypatch.setattr(tokens, "_PLAIN", {})
    tokens._tokens.cache_clear()
    fresh = [tokenize(t) for t in texts]
    tokens._tokens.cache_clear()
    again = [tokenize(t) for t in texts]  # now every plain word comes from the table
    assert again == fresh
    assert tokens._PLAIN  # the table was used
    monkeypatch.setattr(tokens, "PLAIN_WORDS", 3)  # a full table is emptied, not grown
    monkeypatch.setattr(tokens, "_PLAIN", {})
    tokens._tokens.cache_clear()
    assert [tokenize(t) for t in texts] == fresh
    assert len(tokens._PLAIN) <= 3
    tokens._tokens.cache_clear()
