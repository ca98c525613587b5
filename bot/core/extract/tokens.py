"""Tokens with character offsets and the named features the quote tagger reads.

One function serves training (bench/train_quotes.py) and extraction, so the model always sees
the features it was trained on. Features are plain strings (``w=said``, ``lcue<=3``) so that a
model file says in words what it learned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
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
    make = tuple.__new__  # Token's own __new__ is a Python function: twice the time per word
    found = _TOKEN.finditer(text, start, stop)
    return [make(Token, (m.start(), m.end(), m.group())) for m in found]


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


_BUCKET_OF: dict[int | None, str] = {None: "none", **dict(enumerate(_BUCKETS))}  # else "far"


def _bucket(distance: int | None) -> str:
    return _BUCKET_OF.get(distance, "far")


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


def named(name: str) -> tuple[str, ...]:
    """A group of one feature whose name is its key: the model's weights are its sums."""
    return (name,)


def _left_cue(w: str | None) -> tuple[str, ...]:
    """The nearest cue word on the left in the sentence."""
    return () if w is None else ("lcw=" + w,)


def _before_left_cue(key: str | None) -> tuple[str, ...]:
    """The word before that cue, with how far the cue is (only when it is close)."""
    return () if key is None else ("lcp=" + key,)


def _right_cue(w: str | None) -> tuple[str, ...]:
    return () if w is None else ("rcw=" + w,)


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


Group = tuple[Callable[[Any], tuple[str, ...]], Any]
GROUPS: tuple[Callable[[Any], tuple[str, ...]], ...] = (
    _word, named, named, _next, named, named, named, _left_cue, _before_left_cue,
    _right_cue, _context,
)  # fmt: skip


def _cue_distances(cue: list[bool], edges: list[bool], order: range) -> list[int | None]:
    """How far each token is from the last cue met walking in ``order``, within its sentence."""
    out: list[int | None] = [None] * len(cue)
    at: int | None = None
    for i in order:
        if edges[i]:
            at = None
        if at is not None:
            out[i] = abs(i - at)
        if cue[i]:
            at = i
    return out


def token_groups(
    tokens: Sequence[Token],
    sentence_starts: Sequence[int],
    spans: Sequence[Span],
) -> tuple[list[Any], ...]:
    """The feature-group keys of one stretch of text (a paragraph), one column per group.

    Column ``g`` holds, token by token, the keys of ``GROUPS[g]``. ``sentence_starts`` are the
    character offsets where sentences begin; ``spans`` the quoted spans of the article
    (marks.find_spans), sorted by start.
    """
    n = len(tokens)
    texts = [t.text for t in tokens]
    low = [w.lower() for w in texts]
    sent = [bisect_right(sentence_starts, t.start) for t in tokens]
    span_starts = [s.start for s in spans]
    quoted = []
    for t in tokens:
        k = bisect_right(span_starts, t.start) - 1
        quoted.append(k >= 0 and spans[k].start <= t.start < spans[k].end)
    # Sentence edges: first[i] (token i opens a sentence), last[i] (it closes one).
    first = [True, *map(int.__ne__, sent[1:], sent)]
    last = [*first[1:], True]
    cue = [w in CUES and not q for w, q in zip(low, quoted, strict=True)]  # outside quotes
    # Distance to the nearest cue on each side within the sentence, outside quotation marks.
    left = _cue_distances(cue, first, range(n))
    right = _cue_distances(cue, last, range(n - 1, -1, -1))
    sentence_quoted = {sent[i] for i in range(n) if quoted[i]}
    # How far the sentence runs on: ", said the mayor." ends soon, "said the state needs …" not.
    # Is there quoted text earlier in the same sentence? ("…,” said the mayor.)
    to_end = [0] * n
    end = n - 1
    for i in range(n - 1, -1, -1):
        if last[i]:
            end = i
        to_end[i] = end - i
    quoted_left = [False] * n
    seen = False
    for i in range(n):
        if first[i]:
            seen = False
        quoted_left[i] = seen and not quoted[i]
        seen = seen or quoted[i]
    before = ["<s>", *low[:-1]]
    after = [*low[1:], "</s>"]
    lcw: list[str | None] = [None] * n
    lcp: list[str | None] = [None] * n
    rcw: list[str | None] = [None] * n
    buckets = _BUCKET_OF
    context = []
    for i in range(n):
        d = left[i]
        if d is not None:
            cue_at = i - d
            lcw[i] = low[cue_at]
            if d <= 8:
                word_before = low[cue_at - 1] if cue_at > 0 and not first[cue_at] else "<s>"
                lcp[i] = word_before + "|" + buckets[d]
        r = right[i]
        if r is not None:
            rcw[i] = low[i + r]
        sbeg = first[i]
        word = texts[i]
        context.append(
            (
                buckets.get(to_end[i], "far"),
                buckets.get(d, "far"),
                buckets.get(r, "far"),
                quoted_left[i],
                2 if quoted[i] else 1 if sent[i] in sentence_quoted else 0,
                sbeg,
                _shape(word) if sbeg else "",
                last[i],
                not sbeg and word[0].isupper() and _shape(word) == "X",
            )
        )
    return (
        texts,
        ["p=" + w for w in before],
        ["p2=" + w for w in ["<s>", "<s>", *low[:-2]][:n]],
        after,
        ["n2=" + w for w in [*low[2:], "</s>", "</s>"][:n]],
        ["pw=" + p + "|" + w for p, w in zip(before, low, strict=True)],
        ["wn=" + w + "|" + x for w, x in zip(low, after, strict=True)],
        lcw,
        lcp,
        rcw,
        context,
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
