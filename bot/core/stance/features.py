"""Named features of a (claim, article body) pair, the stance model's only input.

How much of the claim the body carries (IDF-weighted overlap with the body, its lead and its
closest sentences, TF-IDF cosine, shared bigrams and figures), and what the body says near the
claim's words: refuting, hedging and confirming words, contesting cues, negations. Sums over
sets use math.fsum, so no feature (and no retrained model) changes with the hash seed.
Everything that depends on the body alone is computed once per body (``BodyView``): FNC-style
batches judge one body against many claims.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.stance.disputes import find_cues
from bot.core.stance.lexicon import HEDGES, REFUTING, REFUTING_KINDS, SOURCING, SUPPORT, CueKind
from bot.core.stance.text import (
    NEGATION,
    Sentence,
    content_stems,
    negated_near,
    split_sentences,
    words,
)

MAX_BODY = 60_000  # characters of a body read: the claim's evidence sits near the top
_LEAD = 3  # sentences that make an article's lead
_TOP = 3  # closest sentences whose words are counted
_DIGITS = re.compile(r"\d+")
_QUOTE_MARKS = re.compile(r"[\"“”]")
_CUE_KINDS = (CueKind.VERB, CueKind.WORD, CueKind.FRAMING, CueKind.WALKBACK)

# Per-sentence counts, in this order: (refute, hedge, support, source, negation, verb cue,
# word cue, framing cue, walk-back cue, question, quotation marks).
_SENTENCE_COUNTS = (
    "refute", "hedge", "support", "source", "negation",
    "verb_cue", "word_cue", "framing_cue", "walkback_cue", "question", "quoted",
    *REFUTING_KINDS,
)  # fmt: skip
_CLOSE_COUNTS = ("refute", "hedge", "support", "source", "negation", "verb_cue", "word_cue",
                 "framing_cue", "walkback_cue", "question", "quoted", *REFUTING_KINDS)  # fmt: skip
_MAXED = ("refute", "hedge", "support", "negation", "verb_cue", "framing_cue",
          *REFUTING_KINDS)  # fmt: skip

FEATURES: tuple[str, ...] = (
    # how much of the claim the body carries
    "cosine", "coverage", "coverage_plain", "lead_coverage", "best", "second", "top3",
    "best_position", "best_in_lead", "bigrams", "figures", "missing_idf", "missing_rare",
    "sentences_half", "repeated",
    # the claim itself
    "claim_words", "claim_question", "claim_hedge", "claim_refute", "claim_negated",
    "claim_quoted", "claim_support", *(f"claim_{n}" for n in REFUTING_KINDS),
    # the body as a whole (per 10 sentences)
    "body_sentences", *(f"body_{n}" for n in _SENTENCE_COUNTS),
    "lead_refute", "lead_hedge", "lead_support",
    # near the claim: in its closest sentences, and weighted by closeness over all
    *(f"top_{n}" for n in _CLOSE_COUNTS), *(f"near_{n}" for n in _CLOSE_COUNTS),
    *(f"max_{n}" for n in _MAXED), *(f"first_{n}" for n in REFUTING_KINDS),
    "best_negated", "polarity_flip", "best_refute", "best_hedge",
    *(f"close_{n}" for n in ("refute", "hedge", "support", "negation", "denial", "fakery")),
)  # fmt: skip
_INDEX = {n: i for i, n in enumerate(_SENTENCE_COUNTS)}


@dataclass(frozen=True, slots=True)
class BodyView:
    """One body read once: its sentences, their stems and cue counts, its word weights."""

    sentences: tuple[Sentence, ...]
    stems: tuple[frozenset[str], ...]
    counts: tuple[tuple[float, ...], ...]  # per sentence, in _SENTENCE_COUNTS order
    totals: tuple[float, ...]  # summed over the body
    lead: tuple[float, ...]  # summed over the lead
    tf: Mapping[str, int]
    bigrams: frozenset[tuple[str, str]]
    figures: frozenset[str]
    norm: float  # length of the body's TF-IDF vector


class Weights:
    """Inverse document frequencies learnt at training time; unseen words weigh most."""

    def __init__(self, documents: int, df: Mapping[str, int]) -> None:
        self.documents = documents
        self.df = df
        self.unseen = math.log((documents + 1) / 1) + 1.0

    def __call__(self, stem: str) -> float:
        n = self.df.get(stem)
        return self.unseen if n is None else math.log((self.documents + 1) / (n + 1)) + 1.0


def _negations(text: str) -> int:
    return sum(
        1 for w in words(text) if (low := w.lower().replace("’", "'")) in NEGATION or
        low.endswith("n't")
    )  # fmt: skip


def _sentence_counts(text: str) -> tuple[float, ...]:
    kinds = Counter(c.kind for c in find_cues(text, as_trained=True))
    return (
        float(len(REFUTING.findall(text))),
        float(len(HEDGES.findall(text))),
        float(len(SUPPORT.findall(text))),
        float(len(SOURCING.findall(text))),
        float(_negations(text)),
        *(float(kinds[k]) for k in _CUE_KINDS),
        1.0 if "?" in text else 0.0,
        1.0 if _QUOTE_MARKS.search(text) else 0.0,
        *(float(len(p.findall(text))) for p in REFUTING_KINDS.values()),
    )


def read_body(text: str, weights: Weights) -> BodyView:
    """A body's per-sentence work, done once however many claims it is judged against."""
    return _read_body(text, weights)


@lru_cache(maxsize=4096)
def _read_body(text: str, weights: Weights) -> BodyView:
    sentences = tuple(split_sentences(text[:MAX_BODY]))
    all_stems: list[str] = []
    stems = []
    counts = []
    for s in sentences:
        these = content_stems(s.text)
        all_stems.extend(these)
        stems.append(frozenset(these))
        counts.append(_sentence_counts(s.text))
    tf = Counter(all_stems)
    norm = math.sqrt(math.fsum(((1 + math.log(n)) * weights(t)) ** 2 for t, n in tf.items()))
    width = len(_SENTENCE_COUNTS)
    totals = tuple(sum(c[k] for c in counts) for k in range(width))
    lead = tuple(sum(c[k] for c in counts[:_LEAD]) for k in range(width))
    return BodyView(
        sentences,
        tuple(stems),
        tuple(counts),
        totals,
        lead,
        tf,
        frozenset(itertools.pairwise(all_stems)),
        frozenset(_DIGITS.findall(text[:MAX_BODY])),
        norm,
    )


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """The feature vector (in ``FEATURES`` order) and each sentence's closeness to the claim."""

    values: tuple[float, ...]
    closeness: tuple[float, ...]
    ranked: tuple[int, ...]  # sentence indexes, closest first


def _claim_counts(claim: str) -> tuple[float, ...]:
    low = claim.lower()
    return (
        float(len(claim.split())),
        1.0 if "?" in claim else 0.0,
        float(len(HEDGES.findall(claim))),
        float(len(REFUTING.findall(claim))),
        float(_negations(claim)),
        1.0 if _QUOTE_MARKS.search(claim) or "'" in low[:1] else 0.0,
        float(len(SUPPORT.findall(claim))),
        *(float(len(p.findall(claim))) for p in REFUTING_KINDS.values()),
    )


def pair_features(claim: str, body: BodyView, weights: Weights) -> PairFeatures:
    """The named features of ``claim`` against one read body."""
    stems = content_stems(claim)
    claim_set = frozenset(stems)
    w = {s: weights(s) for s in claim_set}
    total = math.fsum(w.values()) or 1.0
    n = len(body.sentences)
    closeness = tuple(math.fsum(w[s] for s in claim_set & ss) / total for ss in body.stems)
    ranked = tuple(sorted(range(n), key=lambda i: -closeness[i]))
    top = ranked[:_TOP]
    in_body = {s for s in claim_set if s in body.tf}
    lead_stems: set[str] = set().union(*body.stems[:_LEAD]) if n else set()
    missing = [w[s] for s in claim_set - in_body]
    claim_tf = Counter(stems)
    dot = math.fsum(
        (1 + math.log(c)) * (1 + math.log(body.tf[s])) * w[s] ** 2
        for s, c in claim_tf.items()
        if s in body.tf
    )
    claim_norm = math.sqrt(math.fsum(((1 + math.log(c)) * w[s]) ** 2 for s, c in claim_tf.items()))
    claim_bigrams = set(itertools.pairwise(stems))
    claim_figures = set(_DIGITS.findall(claim))
    best = closeness[ranked[0]] if n else 0.0
    second = closeness[ranked[1]] if n > 1 else 0.0
    per10 = 10.0 / max(1, n)
    width = len(_CLOSE_COUNTS)
    top_counts = [sum(body.counts[i][k] for i in top) for k in range(width)]
    near_counts = [sum(c[k] * x for c, x in zip(body.counts, closeness, strict=True))
                   for k in range(width)]  # fmt: skip
    best_counts = body.counts[ranked[0]] if n else (0.0,) * len(_SENTENCE_COUNTS)
    claim_counts = _claim_counts(claim)
    best_negated = negated_near(body.sentences[ranked[0]].text, claim_set) if n else False
    claim_negated = claim_counts[4] > 0
    values = (
        dot / (claim_norm * body.norm) if claim_norm and body.norm else 0.0,
        math.fsum(w[s] for s in in_body) / total,
        len(in_body) / len(claim_set) if claim_set else 0.0,
        math.fsum(w[s] for s in claim_set & lead_stems) / total,
        best,
        second,
        sum(closeness[i] for i in top) / _TOP,
        ranked[0] / n if n else 1.0,
        1.0 if n and ranked[0] < _LEAD else 0.0,
        len(claim_bigrams & body.bigrams) / len(claim_bigrams) if claim_bigrams else -1.0,
        len(claim_figures & body.figures) / len(claim_figures) if claim_figures else -1.0,
        max(missing, default=0.0),
        float(sum(1 for x in missing if x > 6.0)),
        sum(1 for x in closeness if x >= 0.5) / max(1, n),
        math.fsum(w[s] * min(body.tf.get(s, 0), 4) / 4 for s in claim_set) / total,
        *claim_counts,
        float(n),
        *(t * per10 for t in body.totals),
        body.lead[0],
        body.lead[1],
        body.lead[2],
        *top_counts,
        *(x * per10 for x in near_counts),
        *(
            max(
                (c[_INDEX[m]] * x for c, x in zip(body.counts, closeness, strict=True)), default=0.0
            )
            for m in _MAXED
        ),
        *(body.counts[0][_INDEX[m]] if n else 0.0 for m in REFUTING_KINDS),
        1.0 if best_negated else 0.0,
        1.0 if n and best >= 0.5 and best_negated != claim_negated else 0.0,
        best_counts[0],
        best_counts[1],
        *(
            sum(c[_INDEX[m]] for c, x in zip(body.counts, closeness, strict=True) if x >= 0.35)
            for m in ("refute", "hedge", "support", "negation", "denial", "fakery")
        ),
    )
    return PairFeatures(values, closeness, ranked)


EVIDENCE_TOP = 5  # closest sentences whose words the bag of words reads
CLAIM_MARK = "h_"  # a claim's stems are words of their own in the bag ("h_hoax")
TURNED_MARK = "x_"  # the body's words again when the claim debunks or asks ("x_hoax")


def claim_turned(claim: str) -> bool:
    """A claim that itself debunks, denies or asks ("Death of X a hoax", "X denies …", "Is X
    …?"): the same body words then point another way ("hoax" in the body agrees with it).

    A claim with a plain "not" is left out: on grouped CV it added nothing, and it made a
    tracked "… will not cost more than …" look disputed by articles that merely cover it.
    """
    return "?" in claim or REFUTING.search(claim) is not None


def evidence_words(claim: str, body: BodyView, found: PairFeatures) -> frozenset[str]:
    """The stems of the claim (marked) and of its closest sentences: the bag model's input.

    For a turned claim the sentences' stems come twice, once marked: a linear model cannot
    otherwise learn that "hoax" in the body disputes "X died" but supports "X death a hoax".
    """
    out: set[str] = set()
    for i in found.ranked[:EVIDENCE_TOP]:
        out |= body.stems[i]
    if claim_turned(claim):
        out |= {TURNED_MARK + s for s in out}
    return frozenset(out | {CLAIM_MARK + s for s in content_stems(claim)})


def vector(claim: str, body_text: str, weights: Weights) -> PairFeatures:
    """``pair_features`` of a claim and a body given as text."""
    return pair_features(claim, read_body(body_text, weights), weights)


def describe(values: Sequence[float]) -> dict[str, float]:
    """A feature vector as a name -> value mapping, for reports and debugging."""
    return dict(zip(FEATURES, values, strict=True))
