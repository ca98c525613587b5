"""Deep queries: one depth limit, checked while parsing, so no query can exhaust the stack."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.topics import Document, QueryError, parse_query
from bot.core.topics.parser import MAX_DEPTH

DOC = Document("The harbour tax stays, Councillor Osk said.", "quote", "Brenna Osk", "Ledger")


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("(" * 245 + "tax" + ")" * 245, MAX_DEPTH),
        ("NOT " * 2000 + "tax", 4 * MAX_DEPTH),
        ("(NOT " * 200 + "tax" + ")" * 200, 5 * (MAX_DEPTH // 2)),
    ],
)
def test_nesting_past_the_limit_is_refused_with_a_caret(query: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    error = caught.value
    assert error.position == position
    assert f"nested more than {MAX_DEPTH} deep" in error.reason
    shown, caret = str(error).splitlines()[1:]
    assert len(shown) < 100  # a long query is shown around the error, not whole
    assert caret.strip() == "^"


def test_nesting_up_to_the_limit_parses_and_matches() -> None:
    assert parse_query("(" * MAX_DEPTH + "tax" + ")" * MAX_DEPTH).matches(DOC)
    assert parse_query("NOT " * MAX_DEPTH + "tax").matches(DOC)  # an even number of NOTs
    assert not parse_query("NOT " * (MAX_DEPTH - 1) + "tax").matches(DOC)


PIECES = st.sampled_from(["(", ")", "NOT ", "tax ", "OR ", "AND ", '"harbour tax" ', "osk~ "])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=400), st.integers(0, 3000))
def test_any_mix_of_nesting_parses_or_says_where(pieces: list[str], extra_nots: int) -> None:
    """Whatever the nesting, the answer is a query or a QueryError with its caret: never a
    RecursionError, in parsing or in matching."""
    text = "NOT " * (extra_nots % 7 * 400) + "".join(pieces)
    try:
        query = parse_query(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        assert str(error).splitlines()[-1].strip() == "^"
        return
    query.matches(DOC)
