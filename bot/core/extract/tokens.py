"""Tokens with character offsets and the named features the quote tagger reads.

One function serves training (bench/train_quotes.py) and extraction, so the model always sees
the features it was trained on. Features are plain strings (``w=said``, ``lcue<=3``) so that a
model file says in words what it learned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words and marks of ``text[start:end]``, each with its offsets in ``text``."""
    stop = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, stop)]


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


def _bucket(distance: int | None) -> str:
    if distance is None:
        return "none"
    for limit in (1, 3, 8, 16, 32):
        if distance <= limit:
            return str(limit)
    return "far"


def token_features(
    tokens: Sequence[Token],
    sentence_starts: Sequence[int],
    spans: Sequence[Span],
) -> list[list[str]]:
    """Named features of each token of one stretch of text (a paragraph).

    ``sentence_starts`` are the character offsets where sentences begin; ``spans`` the quoted
    spans of the article (marks.find_spans), sorted by start.
    """
    n = len(tokens)
    low = [t.text.lower() for t in tokens]
    sent = [bisect_right(sentence_starts, t.start) for t in tokens]
    span_starts = [s.start for s in spans]
    quoted = []
    for t in tokens:
        k = bisect_right(span_starts, t.start) - 1
        quoted.append(k >= 0 and spans[k].start <= t.start < spans[k].end)
    cue = [w in CUES for w in low]
    # Distance to the nearest cue on each side within the sentence, outside quotation marks.
    left: list[int | None] = [None] * n
    last: int | None = None
    for i in range(n):
        if i and sent[i] != sent[i - 1]:
            last = None
        left[i] = None if last is None else i - last
        if cue[i] and not quoted[i]:
            last = i
    right: list[int | None] = [None] * n
    nxt: int | None = None
    for i in range(n - 1, -1, -1):
        if i < n - 1 and sent[i] != sent[i + 1]:
            nxt = None
        right[i] = None if nxt is None else nxt - i
        if cue[i] and not quoted[i]:
            nxt = i
    sentence_quoted: dict[int, bool] = {}
    for i in range(n):
        if quoted[i]:
            sentence_quoted[sent[i]] = True
    # How far the sentence runs on: ", said the mayor." ends soon, "said the state needs …" not.
    sentence_end = [0] * n
    last_of_sentence = n - 1
    for i in range(n - 1, -1, -1):
        if i < n - 1 and sent[i] != sent[i + 1]:
            last_of_sentence = i
        sentence_end[i] = last_of_sentence
    # Is there quoted text earlier / later in the same sentence? ("…,” said the mayor.)
    quoted_left = [False] * n
    seen = False
    for i in range(n):
        if i and sent[i] != sent[i - 1]:
            seen = False
        quoted_left[i] = seen and not quoted[i]
        seen = seen or quoted[i]
    out: list[list[str]] = []
    for i in range(n):
        w = low[i]
        word = tokens[i].text
        shape = _shape(word)
        prev = low[i - 1] if i else "<s>"
        prev2 = low[i - 2] if i > 1 else "<s>"
        nx = low[i + 1] if i + 1 < n else "</s>"
        nx2 = low[i + 2] if i + 2 < n else "</s>"
        f = [
            "b",
            "end=" + _bucket(sentence_end[i] - i),
            "ns3=" + nx[-3:],
            "w=" + w,
            "p=" + prev,
            "n=" + nx,
            "p2=" + prev2,
            "n2=" + nx2,
            "pw=" + prev + "|" + w,
            "wn=" + w + "|" + nx,
            "sh=" + shape,
            "s3=" + w[-3:],
            "lc=" + _bucket(left[i]),
            "rc=" + _bucket(right[i]),
            "lr=" + _bucket(left[i]) + "|" + _bucket(right[i]),
        ]
        d = left[i]
        if d is not None:
            f.append("lcw=" + low[i - d])
            if d <= 8:
                before_cue = low[i - d - 1] if i - d > 0 and sent[i - d - 1] == sent[i] else "<s>"
                f.append("lcp=" + before_cue + "|" + _bucket(d))
        if quoted_left[i]:
            f.append("lq")
        r = right[i]
        if r is not None:
            f.append("rcw=" + low[i + r])
        if quoted[i]:
            f.append("inq")
            f.append("inq|lc=" + _bucket(left[i]))
            f.append("inq|rc=" + _bucket(right[i]))
        elif sentence_quoted.get(sent[i]):
            f.append("sq")
        if cue[i]:
            f.append("cue")
        if i == 0 or sent[i] != sent[i - 1]:
            f.append("sbeg")
            f.append("sbeg|sh=" + shape)
        if i == n - 1 or sent[i] != sent[i + 1]:
            f.append("send")
        if w in _PRONOUNS:
            f.append("pron")
        if shape == "X" and i and sent[i] == sent[i - 1]:
            f.append("cap-mid")
        out.append(f)
    return out
