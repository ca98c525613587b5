"""The tagger's fast paths against plain readings of the same thing (issue 20).

``tokens.token_groups`` builds its keys a sentence and a cue at a time with list operations;
here each feature is worked out token by token, as the feature's description says. The
decoder reads words and pairs of neighbours once for several groups (``WORD_AT``, ``PAIR_AT``)
and keeps back-pointers in its generated forward pass; here each token's weights are summed
group by group and decoded by the textbook Viterbi. The articles are invented.
"""

from __future__ import annotations

import random
from bisect import bisect_right

from bot.core.extract.marks import find_spans
from bot.core.extract.sentences import split
from bot.core.extract.tagger import load_model
from bot.core.extract.tokens import (
    CUES,
    END,
    GROUPS,
    START,
    Token,
    _shape,
    paragraphs,
    token_features,
    token_groups,
    tokenize,
)
from tests.core.extract.test_learned import WIRE_STORY, _textbook_viterbi

TEXTS = [
    WIRE_STORY,
    "“We will not cede the port,” Mayor Ines Calloway said on Monday. “Never.”\n\n"
    "Critics said the plan, which the council called “a necessary step,” would fail. "
    "Dr. Aron Falk told reporters he was “deeply worried” and added that costs rose.",
    "She said. He said: “Yes.” They said, “no”, and “maybe” — said the U.S. envoy.",
]


def _bucket(d: int | None) -> str:
    if d is None:
        return "none"
    return next((str(x) for x in (1, 3, 8, 16, 32) if d <= x), "far")


def _plain_features(tokens: list[Token], starts: list[int], spans: list) -> list[list[str]]:
    """Each token's named features, read one token at a time."""
    n = len(tokens)
    low = [t.text.lower() for t in tokens]
    sent = [bisect_right(starts, t.start) for t in tokens]

    def quoted(i: int) -> bool:
        inside = [s for s in spans if s.start <= tokens[i].start]
        return bool(inside) and tokens[i].start < inside[-1].end

    def cue(i: int) -> bool:
        return low[i] in CUES and not quoted(i)

    def same(i: int, j: int) -> bool:
        return 0 <= j < n and sent[j] == sent[i]

    out = []
    for i, t in enumerate(tokens):
        word = t.text
        w = low[i]
        f = ["w=" + w, "sh=" + _shape(word), "s3=" + w[-3:]]
        f += ["cue"] * (w in CUES) + ["pron"] * (w in {"he", "she", "they", "i", "we", "it", "you"})
        before = low[i - 1] if i > 0 else START
        f.append("p=" + before)
        f.append("p2=" + (low[i - 2] if i > 1 else START))
        after = low[i + 1] if i + 1 < n else END
        f += ["n=" + after, "ns3=" + after[-3:]]
        f.append("n2=" + (low[i + 2] if i + 2 < n else END))
        f += ["pw=" + before + "|" + w, "wn=" + w + "|" + after]
        left = next((i - j for j in range(i - 1, -1, -1) if same(i, j) and cue(j)), None)
        right = next((j - i for j in range(i + 1, n) if same(i, j) and cue(j)), None)
        if left is not None:
            f.append("lcw=" + low[i - left])
            if left <= 8:
                c = i - left
                f.append("lcp=" + (low[c - 1] if same(c, c - 1) else START) + "|" + _bucket(left))
        if right is not None:
            f.append("rcw=" + low[i + right])
        first = not same(i, i - 1)
        last = not same(i, i + 1)
        to_end = max(j for j in range(i, n) if same(i, j)) - i
        lc, rc = _bucket(left), _bucket(right)
        f += ["b", "end=" + _bucket(to_end), "lc=" + lc, "rc=" + rc, "lr=" + lc + "|" + rc]
        opening = [j for j in range(i) if same(i, j) and quoted(j)]
        if opening and not quoted(i):
            f.append("lq")
        if quoted(i):
            f += ["inq", "inq|lc=" + lc, "inq|rc=" + rc]
        elif any(quoted(j) for j in range(n) if same(i, j)):
            f.append("sq")
        if first:
            f += ["sbeg", "sbeg|sh=" + _shape(word)]
        if last:
            f.append("send")
        if not first and word[0].isupper() and _shape(word) == "X":
            f.append("cap-mid")
        out.append(f)
    return out


def _stretches(texts: list[str]):
    for text in texts:
        spans = find_spans(text)
        starts = [s for s, _ in split(text, spans)]
        for a, b in paragraphs(text):
            tokens = tokenize(text, a, b)
            if tokens:
                yield tokens, starts, spans


def _random_texts(count: int) -> list[str]:
    rng = random.Random(5)
    pieces = ["said", "Said", "told", "“", "”", '"', ".", ",", " ", " ", "\n", "Mr.", "Lind",
              "the", "plan", "U.S.", "?", "she", "according", "—", "x", "A"]  # fmt: skip
    return [
        "".join(rng.choice(pieces) + " " for _ in range(rng.randint(1, 60))) for _ in range(count)
    ]


def test_token_groups_give_the_features_read_one_token_at_a_time() -> None:
    for tokens, starts, spans in _stretches(TEXTS + _random_texts(300)):
        assert token_features(tokens, starts, spans) == _plain_features(tokens, starts, spans)


def test_the_decoder_finds_the_textbook_path_over_each_groups_summed_weights() -> None:
    model = load_model()
    assert model is not None
    base = model._base
    for tokens, starts, spans in _stretches(TEXTS + _random_texts(100)):
        columns = token_groups(tokens, starts, spans)
        emissions = []
        for keys in zip(*columns, strict=True):
            score = list(base)
            for group, key in zip(GROUPS, keys, strict=True):
                row = model._row(group(key))
                score = [s + r for s, r in zip(score, row, strict=True)]
            emissions.append(score)
        assert model.tag(columns) == _textbook_viterbi(model, emissions)
