"""Tokens with character offsets and the named features the quote tagger reads.

One function serves training (bench/train_quotes.py) and extraction, so the model always sees
the features it was trained on. Features are plain strings (``w=said``, ``lcue<=3``) so that a
model file says in words what it learned.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import compress, pairwise, repeat
from typing import Any, NamedTuple

from bot.core.extract.marks import Span
from bot.core.extract.vocabulary import CUE_STEMS

_TOKEN = re.compile(r"\w+(?:[’'`.\-]\w+)*|[^\w\s]")
_QUOTE_MARKS = frozenset('"“”‘’«»„‹›')
CUES = frozenset(CUE_STEMS.split("|")) | frozenset(
    {
        "according", "believe", "believes", "believed", "expects", "expected", "hopes", "hoped",
        "wants", "wanted", "knows", "knew", "feels", "felt", "fears", "feared", "worries",
        "worried", "disputed", "rejected", "rejects", "signaled", "signalled", "vowed",
        "insisting", "confirmed", "confirms", "revealed", "reveals", "indicated", "indicates",
        "showed", "shows", "found", "finds", "suggesting", "claiming", "announcing", "promising",
        "criticizing", "blasted", "slammed", "mocked", "touting", "praising", "defended",
        "insists", "pointed", "cited", "citing", "stating", "decried", "questioning", "urging",
        "poll", "polls", "survey", "statement", "interview", "spokesman", "spokeswoman",
        "spokesperson", "tweet", "speech", "remarks", "told", "asserting", "declaring",
    }
)  # fmt: skip
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you"})


class Token(NamedTuple):  # a tuple: made ~25% faster than a frozen dataclass, a word at a time
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words and marks of ``text[start:end]``, each with its offsets in ``text``."""
    stop = len(text) if end is None else end
    found = list(_TOKEN.finditer(text, start, stop))
    # tuple.__new__: Token's own __new__ is a Python function (twice the time per word); the
    # fields read with map, no Python code per word
    fields = zip(map(_START, found), map(_END, found), map(_GROUP, found), strict=True)
    return list(map(tuple.__new__, repeat(Token), fields))


_START, _END, _GROUP = re.Match.start, re.Match.end, re.Match.group


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: the stretches the tagger labels one at a time."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _shape(word: str) -> str:
    if word in _QUOTE_MARKS:
        return "q"
    c = word[0]
    if c.isdigit():
        return "d"
    if not c.isalnum():
        return "p"
    if word.isupper() and len(word) > 1:
        return "U"
    return "X" if c.isupper() else "x"


_BUCKETS = tuple(
    next(str(limit) for limit in (1, 3, 8, 16, 32) if d <= limit) for d in range(33)
)  # distance -> its bucket's name, for every distance up to 32
_NEAR = tuple("|" + _BUCKETS[d] for d in range(1, 9))  # lcp's ending, distances 1 to 8


# Features come in groups, each a function of a few values: the decoder sums a group's weights
# once per distinct key and reuses the sum (most keys recur: the same word, the same context),
# while training expands every group into its named features. One definition serves both.
def _word(word: str) -> tuple[str, ...]:
    w = word.lower()
    f = ["w=" + w, "sh=" + _shape(word), "s3=" + w[-3:]]
    if w in CUES:
        f.append("cue")
    if w in _PRONOUNS:
        f.append("pron")
    return tuple(f)


def _next(w: str) -> tuple[str, ...]:
    return ("n=" + w, "ns3=" + w[-3:])


class Prefixed(str):
    """A group of one feature, its name a fixed prefix and the key (``p=`` and the word before);
    no feature for a key of None. The decoder reads such a group's weights straight from a table
    of the model's features under that prefix."""

    __slots__ = ()

    def __call__(self, key: str | None) -> tuple[str, ...]:
        return () if key is None else (self + key,)


def _context(key: tuple[str, str, str, bool, int, bool, str, bool, bool]) -> tuple[str, ...]:
    """Where the token sits: sentence edges, distance to cues, inside or beside a quotation."""
    end, lc, rc, lq, quoted, sbeg, shape, send, capmid = key
    f = ["b", "end=" + end, "lc=" + lc, "rc=" + rc, "lr=" + lc + "|" + rc]
    if lq:
        f.append("lq")
    if quoted == 2:
        f += ["inq", "inq|lc=" + lc, "inq|rc=" + rc]
    elif quoted == 1:
        f.append("sq")
    if sbeg:
        f += ["sbeg", "sbeg|sh=" + shape]
    if send:
        f.append("send")
    if capmid:
        f.append("cap-mid")
    return tuple(f)


GROUPS: tuple[Callable[[Any], tuple[str, ...]], ...] = (
    _word,
    Prefixed("p="),  # the word before
    Prefixed("p2="),  # the one before that
    _next,
    Prefixed("n2="),  # the word after the next
    Prefixed("pw="),  # the word before and this one
    Prefixed("wn="),  # this word and the next
    Prefixed("lcw="),  # the nearest cue word on the left in the sentence
    Prefixed("lcp="),  # the word before that cue, with how far the cue is (when close)
    Prefixed("rcw="),  # the nearest cue word on the right
    _context,
)


# How some groups' keys follow from others, for a decoder that looks up each token's word and
# each pair of neighbours once: group g of WORD_AT is keyed by column 0's word lowercased, at
# offset WORD_AT[g] from the token (START before the first, END after the last); group g of
# PAIR_AT by the pair "a|b" at offset PAIR_AT[g] in [START, *lowercased words, END].
START, END = "<s>", "</s>"
WORD_AT = {1: -1, 2: -2, 3: 1, 4: 2}
PAIR_AT = {5: 0, 6: 1}


def _down(top: int, bottom: int) -> list[str]:
    """The buckets of the distances ``top``, ``top - 1`` … ``bottom``."""
    if top < len(_BUCKETS):
        return list(_BUCKETS[top : bottom - 1 if bottom else None : -1])
    return ["far"] * (top - len(_BUCKETS) + 1) + _down(len(_BUCKETS) - 1, bottom)


def _up(bottom: int, top: int) -> list[str]:
    """The buckets of the distances ``bottom`` … ``top``."""
    if top < len(_BUCKETS):
        return list(_BUCKETS[bottom : top + 1])
    return _up(bottom, len(_BUCKETS) - 1) + ["far"] * (top - max(bottom, len(_BUCKETS)) + 1)


def _quoted(starts: list[int], spans: Sequence[Span]) -> list[bool]:
    """For each token start: does it lie inside the last span that starts at or before it?"""
    n = len(starts)
    quoted = [False] * n
    if not spans or not n:
        return quoted
    span_starts = [s.start for s in spans]
    first = max(0, bisect_right(span_starts, starts[0]) - 1)
    for k in range(first, bisect_right(span_starts, starts[-1])):
        span = spans[k]
        stop = span.end if k + 1 == len(spans) else min(span.end, spans[k + 1].start)
        lo, hi = bisect_left(starts, span.start), bisect_left(starts, stop)
        quoted[lo:hi] = [True] * (hi - lo)
    return quoted


def token_groups(
    tokens: Sequence[Token],
    sentence_starts: Sequence[int],
    spans: Sequence[Span],
) -> tuple[list[Any], ...]:
    """The feature-group keys of one stretch of text (a paragraph), one column per group.

    Column ``g`` holds, token by token, the keys of ``GROUPS[g]``. ``sentence_starts`` are the
    character offsets where sentences begin; ``spans`` the quoted spans of the article
    (marks.find_spans), sorted by start. Built a sentence and a cue at a time with list
    operations, since this runs for every token the tagger reads.
    """
    n = len(tokens)
    if not n:
        return tuple([] for _ in GROUPS)
    texts = list(map(operator.itemgetter(2), tokens))
    low = list(map(str.lower, texts))
    starts = list(map(operator.itemgetter(0), tokens))
    quoted = _quoted(starts, spans)
    # Sentences as [a, b) token ranges; first[i] (token i opens a sentence), last[i] (closes one).
    # A sentence start after the first token opens a sentence at the first token from there on
    # (several starts between two tokens: one sentence).
    inside = sentence_starts[
        bisect_right(sentence_starts, starts[0]) : bisect_right(sentence_starts, starts[-1])
    ]
    cuts = [0, *dict.fromkeys(map(bisect_left, repeat(starts), inside)), n]
    ranges = list(pairwise(cuts))
    first = [False] * n
    last = [False] * n
    for a, b in ranges:
        first[a] = last[b - 1] = True
    cue = list(map(CUES.__contains__, low))
    any_quoted = True in quoted
    if any_quoted:  # cue words count only outside quotation marks
        cue = [c and not q for c, q in zip(cue, quoted, strict=True)]
    # Distance to the nearest cue on each side within the sentence, outside quotation marks,
    # with the cue word and (when close on the left) the word before it.
    lcw: list[str | None] = [None] * n
    lcp: list[str | None] = [None] * n
    rcw: list[str | None] = [None] * n
    left = ["none"] * n
    right = ["none"] * n
    to_end: list[str] = []
    quoted_left = [False] * n
    in_quote = [0] * n
    capmid = [False] * n  # a capitalised word inside a sentence: a name?
    for i in compress(range(n), map(str.isupper, map(operator.itemgetter(0), texts))):
        capmid[i] = _shape(texts[i]) == "X"
    shape = [""] * n
    cue_at = list(compress(range(n), cue))
    for a, b in ranges:
        to_end += _down(b - 1 - a, 0)
        shape[a] = _shape(texts[a])
        capmid[a] = False
        if any_quoted and True in quoted[a:b]:
            f = quoted.index(True, a, b)
            quoted_left[f + 1 : b] = map(operator.not_, quoted[f + 1 : b])
            in_quote[a:b] = map((1).__add__, quoted[a:b])  # 2 quoted, 1 beside a quotation
        here = cue_at[bisect_left(cue_at, a) : bisect_left(cue_at, b)]
        before = a  # the first token whose right cue is the next cue met
        for k, c in enumerate(here):
            after = here[k + 1] if k + 1 < len(here) else b - 1  # the last whose left cue is c
            word = low[c]
            if after > c:
                lcw[c + 1 : after + 1] = [word] * (after - c)
                left[c + 1 : after + 1] = _up(1, after - c)
                near = min(after - c, 8)
                word_before = low[c - 1] if c > a else START
                lcp[c + 1 : c + near + 1] = map(word_before.__add__, _NEAR[:near])
            if c > before:
                rcw[before:c] = [word] * (c - before)
                right[before:c] = _down(c - before, 1)
            before = c
    words = [START, *low, END]
    pairs = list(map(str.__add__, map(str.__add__, words, repeat("|", n + 1)), words[1:]))
    return (
        texts,
        words[:n],
        [START, *words[: n - 1]],
        words[2:],
        [*words[3:], END],
        pairs[:n],
        pairs[1:],
        lcw,
        lcp,
        rcw,
        list(
            zip(to_end, left, right, quoted_left, in_quote, first, shape, last, capmid, strict=True)
        ),
    )


def token_features(
    tokens: Sequence[Token],
    sentence_starts: Sequence[int],
    spans: Sequence[Span],
) -> list[list[str]]:
    """Named features of each token of one stretch of text: every group expanded (training)."""
    columns = token_groups(tokens, sentence_starts, spans)
    return [
        [name for group, key in zip(GROUPS, keys, strict=True) for name in group(key)]
        for keys in zip(*columns, strict=True)
    ]
