"""Does an article body support, dispute, merely discuss a claim, or is it about something else?

First relatedness (weighted word overlap); then, among the sentences closest to the claim,
contesting cues and negations (dispute), hedges (discuss) and assertions or confirmations
(support). Each verdict carries the sentence that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.models import Stance
from bot.core.stance.disputes import find_cues
from bot.core.stance.lexicon import HEDGES, SUPPORT, CueKind
from bot.core.stance.relatedness import DocumentFrequencies, measure
from bot.core.stance.text import Sentence, content_stems, split_sentences, stem, stem_set, words

RELATED = 0.25  # relatedness (Overlap.related) above which a body is about the claim
ASSERTED = 0.75  # share of the claim in one unhedged sentence that counts as asserting it
_MAX_BODY = 200_000
_NEGATION = frozenset({"not", "no", "never", "n't", "nobody", "nothing", "none", "neither"})
_CUE_WEIGHT = {CueKind.FRAMING: 1.2, CueKind.WALKBACK: 1.0, CueKind.VERB: 0.5, CueKind.WORD: 0.7}
_STRONG = re.compile(
    r"\b(?:hoax|fake|false|debunk\w*|untrue|not true|fabricat\w*|satir\w*|baseless|"
    r"no evidence|denied|denies|deny|refuted|misleading|bogus|prank|doctored|photoshopped|"
    r"fiction|never happened|did not happen|didn.t happen|never took place|never occurred|"
    r"does not hold up|doesn.t hold up|inaccurate|incorrect|no truth|made up|not real|"
    r"urban legend|misinformation|disinformation|myth)\b",
    re.IGNORECASE,
)


# Sentences that refer to the claim as an object ("the report", "the rumour") are close to it.
_REFERENCE = re.compile(
    r"\b(?:the|this|that|these|such)\s+(?:\w+\s+)?(?:reports?|claims?|story|stories|rumou?rs?|"
    r"headlines?|allegations?|accounts?|assertions?|article|video|photos?|image)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StanceVerdict:
    """The body's stance to a claim, a confidence in 0..1, and the deciding sentence."""

    stance: Stance
    score: float
    evidence: str | None = None


def _negated(text: str, claim: set[str] | None = None) -> bool:
    """Does a negation stand among the words of ``text`` (within the claim's words if given)?"""
    tokens = [w.lower().replace("’", "'") for w in words(text)]
    if claim is not None:
        at = [i for i, t in enumerate(tokens) if stem(t) in claim]
        if len(at) < 2:
            return False
        tokens = tokens[max(0, at[0] - 4) : at[-1] + 1]
    return any(t in _NEGATION or t.endswith("n't") for t in tokens)


def _overlap(claim: set[str], sentence: Sentence) -> float:
    stems = stem_set(sentence.text)
    return len(claim & stems) / len(claim) if claim else 0.0


def judge_stance(statement: str, body: str, df: DocumentFrequencies | None = None) -> StanceVerdict:
    """The stance of ``body`` towards ``statement``; ``df`` weights words by rarity."""
    df = df or DocumentFrequencies()
    sentences = split_sentences(body[:_MAX_BODY])
    overlap = measure(statement, sentences, df)
    related = overlap.related
    if related < RELATED or not sentences:
        return StanceVerdict(Stance.UNRELATED, round(1.0 - related, 3), None)
    claim = set(content_stems(statement))
    claim_lower = statement.lower()
    ranked = overlap.ranked
    top = {i for i in ranked[:6]} | set(range(min(3, len(sentences))))
    scores: list[tuple[float, int]] = []
    hedge = support = 0.0
    for i, s in enumerate(sentences):
        closeness = _overlap(claim, s)
        if _REFERENCE.search(s.text):
            closeness = max(closeness, 0.6)
        closeness = max(0.3, closeness)
        points = sum(
            _CUE_WEIGHT[c.kind] for c in find_cues(s.text) if c.word.lower() not in claim_lower
        )
        points += 0.8 * sum(1 for m in _STRONG.findall(s.text) if m.lower() not in claim_lower)
        if points:
            scores.append((points * closeness, i))
        if i in top or closeness >= 0.5:
            hedge += len(HEDGES.findall(s.text)) * closeness
            support += len(SUPPORT.findall(s.text)) * closeness
    scores.sort(reverse=True)
    dispute = (
        scores[0][0] + 0.5 * scores[1][0] if len(scores) > 1 else (scores[0][0] if scores else 0.0)
    )
    dispute_at = sentences[scores[0][1]] if scores else None
    best = sentences[ranked[0]]
    claim_negated = _negated(statement, claim)
    for i in ranked[:6]:
        close = _overlap(claim, sentences[i])
        if close >= 0.5 and _negated(sentences[i].text, claim) != claim_negated:
            # The claim's own words with a "not" added or dropped: decisive when nearly verbatim.
            dispute += 1.6 if close >= 0.7 else 0.6
            dispute_at = sentences[i] if close >= 0.7 else dispute_at or sentences[i]
            break
    if dispute >= 1.0 and dispute_at is not None:
        return StanceVerdict(Stance.DISPUTE, round(min(1.0, dispute / 2), 3), dispute_at.text)
    unhedged = not any(HEDGES.search(x.text) for x in (best, *sentences[:2]))
    if (overlap.best >= 0.85 and not HEDGES.search(best.text)) or (
        overlap.best >= ASSERTED and unhedged and hedge < 1.0
    ):
        return StanceVerdict(Stance.SUPPORT, round(min(1.0, overlap.best), 3), best.text)
    if overlap.best >= 0.6 and support > hedge:
        return StanceVerdict(Stance.SUPPORT, round(min(1.0, overlap.best), 3), best.text)
    return StanceVerdict(Stance.DISCUSS, round(related, 3), best.text)
