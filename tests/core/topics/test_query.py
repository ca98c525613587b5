"""Topic queries: parsing errors point at the problem; matching on texts we wrote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.topics import Document, QueryError, parse_query

QUOTE = Document(
    "We will never raise the carbon tax on Élodie's farmers, the minister insisted.",
    "quote",
    "Margot Delacroix-Vey",
    "The Harbour Ledger",
)
ARTICLE = Document(
    "Climate policy: a new levy on fuel, and after long talks a tax on shipping.",
    "article",
    None,
    "Northfield Gazette",
)


@pytest.mark.parametrize(
    ("query", "quote", "article"),
    [
        ("carbon", True, False),
        ("CARBON tax", True, False),
        ('"carbon tax"', True, False),
        ('"tax carbon"', False, False),
        ("elodie", True, False),
        ("carbon OR shipping", True, True),
        ("tax NOT carbon", False, True),
        ("tax AND NOT (carbon OR levy)", False, False),
        ("clim*", False, True),
        ("levy NEAR/3 fuel", False, True),
        ("fuel NEAR/3 levy", False, True),
        ("climate NEAR/3 shipping", False, False),
        ('"carbon tax" NEAR/4 farmers', True, False),
        ('"carbon tax" NEAR/3 farmers', False, False),
        ("minster~", True, False),
        ("minster", False, False),
        ("speaker:delacroix", True, False),
        ('speaker:"margot delacroix"', True, False),
        ("outlet:northfield tax", False, True),
        ("kind:article", False, True),
        ("kind:quote tax", True, False),
    ],
)
def test_matches(query: str, quote: bool, article: bool) -> None:
    parsed = parse_query(query)
    assert (parsed.matches(QUOTE), parsed.matches(ARTICLE)) == (quote, article)


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        ("(carbon OR tax", 14, "missing ')'"),
        ('"carbon tax', 0, "unclosed quote"),
        ("carbon AND", 10, "query ends too early"),
        ("kind:video", 0, "kind: is 'quote' or 'article'"),
        ("colour:red", 0, "unknown filter"),
        ("", 0, "empty query"),
        ("tax )", 4, "unexpected ')'"),
        ("tax NEAR/2 (a OR b)", 4, "NEAR joins two words or phrases"),
        ("a*", 0, "wildcard"),
    ],
)
def test_errors_point_at_the_problem(query: str, position: int, reason: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.position == position
    assert reason in caught.value.reason
    caret_line = str(caught.value).splitlines()[-1]
    assert caret_line.index("^") == position + 2


def test_query_is_frozen_and_reusable() -> None:
    query = parse_query("carbon tax")
    assert query == parse_query("carbon tax")
    assert hash(query) == hash(parse_query("carbon tax"))


ALPHABET = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "*",
        "~",
        ":",
        " ",
        "a",
        "b",
        "é",
        "AND",
        "OR",
        "NOT",
        "NEAR/2",
        "kind:",
        "speaker:",
        "-",
        "/",
        "x",
    ]
)


@given(st.lists(ALPHABET, max_size=20).map("".join))
def test_no_token_soup_crashes(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert "^" in str(error)
    else:
        query.matches(QUOTE)


@given(st.text(max_size=60))
def test_no_text_crashes(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert "^" in str(error)
    else:
        assert query.matches(ARTICLE) in (True, False)
