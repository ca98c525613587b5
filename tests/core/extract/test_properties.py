"""Property tests: the extractor never raises and every span indexes the text exactly."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.extract import extract_quotes
from bot.core.extract.quotes import _extract, _nearest, _overlap
from bot.core.extract.tagger import load_model
from bot.core.models import QuoteKind
from bot.core.speaker_names import NAME_GAP

_PIECES = st.sampled_from(
    [
        "“", "”", '"', "'", "‘", "’", "«", "»", "„", "\n", "\n\n", " ", ",", ".", ":", "—",
        " said", " he said", "Mr. ", "Dr. Jane Doe", " according to ", "The US", "she",
        "Ana Ruiz", " told the Gazette", " don't", "'90s", " rock 'n' roll", "x", "Éa",
    ]
)  # fmt: skip
_TEXT = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=80).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    quotes = (
        _extract(text, load_model()) if text.strip() else extract_quotes(text)
    )  # unguarded: bugs surface
    assert isinstance(quotes, list)
    previous = -1
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.kind in set(QuoteKind)
        assert q.start >= previous
        previous = q.start


@given(st.text(alphabet="“”\"'‘’«»„ ab.\n", max_size=120))
def test_mark_soup_keeps_valid_spans(text: str) -> None:
    for q in extract_quotes(text):
        assert text[q.start : q.end] == q.text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n\r\xa0\u2009\u3000\x1cab", max_size=12))
def test_the_gap_inside_a_name_is_any_white_space_but_a_blank_line(gap: str) -> None:
    # The written-out form the gap replaced for speed (the same strings, 7% of extraction).
    written_out = r"(?=\s)[^\S\n]*\n?[^\S\n]*"
    assert bool(re.fullmatch(NAME_GAP, gap)) == bool(re.fullmatch(written_out, gap))
    assert bool(re.fullmatch(NAME_GAP, gap)) == (
        gap != "" and gap.isspace() and gap.count("\n") <= 1
    )


def _nearest_by_reading_all(
    spans: list[tuple[int, int]],
    target: tuple[int, int],
    lo: int,
    hi: int,
    avoid: tuple[int, int] | None = None,
) -> tuple[int, int] | None:
    """What _nearest answers, by reading every span: the closest one in the sentence lo:hi
    overlapping neither target nor avoid, the one before on a tie."""
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] | None = None
    for s in spans:
        if s[0] >= hi or s[1] <= lo or _overlap(s, target) or (avoid and _overlap(s, avoid)):
            continue
        distance = target[0] - s[1] if s[1] <= target[0] else s[0] - target[1]
        key = (distance, 0 if s[1] <= target[0] else 1)
        if best_key is None or key < best_key:
            best, best_key = s, key
    return best


_SPAN = st.tuples(st.integers(0, 45), st.integers(1, 8)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(1, 5)), max_size=9),
    _SPAN,
    st.integers(0, 30),
    st.integers(0, 40),
    st.none() | _SPAN,
)
def test_the_nearest_span_is_found_without_reading_every_span(
    steps: list[tuple[int, int]],
    target: tuple[int, int],
    lo: int,
    width: int,
    avoid: tuple[int, int] | None,
) -> None:
    spans: list[tuple[int, int]] = []
    pos = 0
    for gap, size in steps:  # sorted and never overlapping, as the tagger's runs are
        spans.append((pos + gap, pos + gap + size))
        pos += gap + size
    hi = lo + width
    assert _nearest(spans, target, lo, hi, avoid) == _nearest_by_reading_all(
        spans, target, lo, hi, avoid
    )


_TITLE_PIECES = st.sampled_from(
    ["Mr. ", "Mrs ", "Dr. ", "former ", "Former ", "Staff Sgt. ", "Coun. ", "MPP ", "Mayor ",
     "Ines Calloway", "Pihl", "de la Cruz", " ", ", ", "said ", "x", "M", "Mr", "\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_TITLE_PIECES, max_size=40).map("".join)))
def test_the_roster_title_pattern_finds_what_the_plain_one_does(text: str) -> None:
    from bot.core.extract.names import _TITLE_RE, _TITLED_NAME, NAME

    plain = re.compile(rf"(?<![\w’'])((?:{_TITLE_RE})\.?\s+){{1,4}}({NAME})")
    assert [m.span() for m in _TITLED_NAME.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


_WORDY = st.lists(
    st.sampled_from(["ab", "cd", "Ef", " ", "-", "’", "'", "x1", "é", "\n", ".", "_", "a"]),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_WORDY, st.integers(min_value=1, max_value=9))
def test_the_lower_words_read_a_stretch_at_a_time_are_those_of_the_whole_text(
    text: str, stretch: int
) -> None:
    from bot.core.extract import names

    whole = frozenset(m.group() for m in names._LOWER_WORD.finditer(text))
    old, names._STRETCH = names._STRETCH, stretch  # stretches of a few characters
    try:
        assert names.lower_words(text) == whole
    finally:
        names._STRETCH = old
    assert names.lower_words(text) == whole


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=300))
def test_tokens_are_the_pattern_matches_with_their_offsets(text: str, start: int, end: int) -> None:
    from bot.core.extract.tokens import _TOKEN, Token, tokenize

    expected = [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    assert tokenize(text, start, end) == expected
    assert all(type(t) is Token for t in tokenize(text, start, end))
    assert tokenize(text) == [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
