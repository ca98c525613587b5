"""How much of a claim an article talks about: IDF-weighted content-word overlap.

Rare words (names, places, numbers) count more than common ones. Weights come from document
frequencies learnt from the articles seen so far, or from a built-in list of common words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.core.stance.text import (
    COMMON_NEWS,
    Sentence,
    content_stems,
    stem,
    stem_set,
    word_stem,
    words,
)

_COMMON_STEMS = frozenset(stem(w) for w in COMMON_NEWS)


@dataclass
class DocumentFrequencies:
    """Counts in how many articles each stem appears; ``weight`` is its inverse frequency.

    With fewer than ``min_documents`` articles seen, weights fall back to the built-in list.
    """

    min_documents: int = 20
    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, text: str) -> None:
        self.documents += 1
        # A stem depends on its word alone: each distinct word is stemmed once, and remembered.
        self.counts.update(filter(None, set(map(word_stem, set(words(text))))))

    def add_all(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(text)

    def weight(self, stem_: str) -> float:
        if self.documents >= self.min_documents:
            df = self.counts.get(stem_, 0)
            return math.log((self.documents + 1) / (df + 1)) + 0.5
        if stem_ in _COMMON_STEMS:
            return 0.6
        return 2.0 if stem_.isdigit() else 1.5


@dataclass(frozen=True, slots=True)
class Overlap:
    """The share of the claim's weight found in the body, and the sentences that carry most."""

    coverage: float  # 0..1: weighted share of claim stems present anywhere in the body
    best: float  # 0..1: the same share within the single best sentence
    names: float  # 0..1: share of the claim's capitalised words found in the body
    ranked: tuple[int, ...]  # sentence indexes, best first
    repeated: float = 0.0  # 0..1: like coverage, each word counted up to 4 mentions
    lead: float = 0.0  # 0..1: coverage within the first four sentences

    @property
    def related(self) -> float:
        """One relatedness score: an article about a claim names its words early and often."""
        return 0.35 * self.coverage + 0.15 * self.best + 0.25 * self.repeated + 0.25 * self.lead


def claim_weights(claim: str, df: DocumentFrequencies) -> dict[str, float]:
    weights: dict[str, float] = {}
    for s in content_stems(claim):
        weights[s] = df.weight(s)
    return weights


def _names(text: str) -> set[str]:
    found = set()
    for i, word in enumerate(words(text)):
        if word[:1].isupper() and i > 0 and len(word) > 2:
            found.add(stem(word))
    return found


def measure(claim: str, sentences: Sequence[Sentence], df: DocumentFrequencies) -> Overlap:
    """Weighted overlap of the claim with the whole body and with each sentence."""
    weights = claim_weights(claim, df)
    total = sum(weights.values())
    if not total or not sentences:
        return Overlap(0.0, 0.0, 0.0, ())
    body_stems: set[str] = set()
    counts: Counter[str] = Counter()
    lead: set[str] = set()
    per_sentence = []
    for i, sentence in enumerate(sentences):
        stems = stem_set(sentence.text)
        body_stems |= stems
        counts.update(s for s in stems if s in weights)
        if i < 4:
            lead |= stems
        per_sentence.append((sum(weights.get(s, 0.0) for s in stems) / total, i))
    found = {s for s in weights if s in body_stems}
    # Near spellings ("Kyiv"/"Kiev", "Zelensky"/"Zelenskyy") count for most of their weight.
    missing = [s for s in weights if s not in body_stems and len(s) >= 5]
    near = 0.0
    if missing and len(body_stems) < 5000:
        for s in missing:
            if any(fuzz.ratio(s, b) >= 85 for b in body_stems if abs(len(b) - len(s)) <= 2):
                near += 0.8 * weights[s]
    coverage = (sum(weights[s] for s in found) + near) / total
    per_sentence.sort(reverse=True)
    claim_names = _names(claim)
    names = len(claim_names & body_stems) / len(claim_names) if claim_names else coverage
    repeated = sum(w * min(counts[s], 4) / 4 for s, w in weights.items()) / total
    in_lead = sum(w for s, w in weights.items() if s in lead) / total
    ranked = tuple(i for _, i in per_sentence)
    return Overlap(coverage, per_sentence[0][0], names, ranked, repeated, in_lead)
