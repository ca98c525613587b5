"""How one new quote stands to the statements it may belong to: repeat, alter, misattribution.

PRODUCT.md's definitions: a repeat is the same words after folding typography, or an exact
sub-span of the statement; an alter is recognisably the same statement with different words,
with a word-level diff and its kinds of change; the same words credited to another person are a
misattribution. Anything else is a new statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.core.matching.diff import SEVERITY, Alignment, align
from bot.core.matching.tokens import ELLIPSIS, STOPWORDS, Token, tokenize
from bot.core.models import Change, ChangeKind, Classification, Relation
from bot.core.names import same_person

MIN_COVERAGE = 0.6  # share of the quote's words found, in order, in the statement
MIN_SHARED_CONTENT = 3  # content words in common (fewer for a quote with fewer of its own)
MISATTRIBUTION_COVERAGE = 0.85  # near-identical words before another speaker is blamed
MISATTRIBUTION_MIN_WORDS = 6
# Content words a quote needs before the same words from two people mean one copied the other:
# "we have no comment on the investigation at this time" is said by many, independently.
MISATTRIBUTION_MIN_CONTENT = 3
# Words of stock replies that say nothing about who said them.
_STOCK = frozenset(
    {
        "comment", "comments", "time", "moment", "question", "questions", "statement",
        "thank", "thanks", "know", "think", "going", "thing", "things", "people", "way",
        "lot", "right", "today", "look", "forward",
    }
)  # fmt: skip
SHORT_FRAGMENT = 3  # quotes this short must be a sub-span (by stem) of the statement


@dataclass(frozen=True, slots=True)
class KnownStatement:
    """A stored statement as the matcher sees it: its canonical wording and other wordings."""

    id: int
    speaker: str | None
    canonical: str
    variants: tuple[str, ...] = ()


@lru_cache(maxsize=50_000)
def _wording(text: str) -> list[Token]:
    """A stored wording's tokens, kept: the same statements are candidates again and again.
    Callers must not change the list."""
    return tokenize(text)


def _contains(inner: list[str], outer: list[str]) -> bool:
    n = len(inner)
    if n == 0 or n > len(outer):
        return False
    first = inner[0]
    return any(outer[i] == first and outer[i : i + n] == inner for i in range(len(outer) - n + 1))


@dataclass(frozen=True, slots=True)
class _Verdict:
    relation: Relation
    score: float
    alignment: Alignment | None = None


def _judge(q: list[Token], speaker: str | None, known: KnownStatement) -> _Verdict | None:
    words = [t for t in q if t.key != ELLIPSIS]
    keys = [t.key for t in words]
    same_speaker = speaker is None or known.speaker is None or same_person(speaker, known.speaker)
    canonical = _wording(known.canonical)
    wordings = [canonical] + [_wording(v) for v in known.variants]
    content = [t for t in words if t.key not in STOPWORDS]
    if not content:
        return None  # "it is what it is" matches everything and says nothing
    exact = any(keys == [t.key for t in w if t.key != ELLIPSIS] for w in wordings)
    fragment = not exact and _contains(keys, [t.key for t in canonical if t.key != ELLIPSIS])
    if (exact or fragment) and same_speaker:
        return _Verdict(Relation.REPEAT, 1.0 if exact else len(keys) / max(1, len(canonical)))
    if len(words) <= SHORT_FRAGMENT:
        if same_speaker and _contains([t.stem for t in words], [t.stem for t in canonical]):
            found = align(canonical, q, STOPWORDS)
            return _Verdict(Relation.ALTER, 0.9, found)
        return None
    found = align(canonical, q, STOPWORDS)
    coverage = found.matched / max(1, found.quote_words)
    shared_needed = min(MIN_SHARED_CONTENT, max(2, len(content) - 1))
    if found.matched_content < shared_needed or coverage < MIN_COVERAGE:
        return None
    if same_speaker:
        if not found.changes:
            return _Verdict(Relation.REPEAT, coverage)
        return _Verdict(Relation.ALTER, coverage, found)
    if (
        coverage >= MISATTRIBUTION_COVERAGE
        and len(words) >= MISATTRIBUTION_MIN_WORDS
        and len({t.stem for t in content} - _STOCK) >= MISATTRIBUTION_MIN_CONTENT
    ):
        return _Verdict(Relation.MISATTRIBUTION, coverage, found)
    return None


def classify_quote(
    text: str, speaker: str | None, candidates: list[KnownStatement]
) -> Classification:
    """The best relation of a quote to any candidate; NEW when none is recognisably it."""
    q = tokenize(text)
    if not any(t.key != ELLIPSIS for t in q):
        return Classification(Relation.NEW)
    best: tuple[int, float, KnownStatement, _Verdict] | None = None
    rank = {Relation.REPEAT: 2, Relation.ALTER: 1, Relation.MISATTRIBUTION: 0}
    for known in candidates:
        verdict = _judge(q, speaker, known)
        if verdict is None:
            continue
        key = (rank[verdict.relation], verdict.score)
        if best is None or key > best[:2]:
            best = (*key, known, verdict)
    if best is None:
        return Classification(Relation.NEW)
    _, score, known, verdict = best
    found = verdict.alignment
    if verdict.relation is Relation.REPEAT or found is None:
        return Classification(Relation.REPEAT, known.id, round(score, 3))
    changes: tuple[Change, ...] = found.changes
    if verdict.relation is Relation.MISATTRIBUTION:
        speaker_change = Change(
            ChangeKind.SPEAKER, SEVERITY[ChangeKind.SPEAKER], known.speaker or "", speaker or ""
        )
        changes = (speaker_change, *changes)
    return Classification(verdict.relation, known.id, round(score, 3), changes, found.diff)
