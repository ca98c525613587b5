"""How one new quote stands to the statements it may belong to: repeat, alter, misattribution.

PRODUCT.md's definitions: a repeat is the same words after folding typography, whatever their
length, or a fragment that is an exact sub-span of the statement; a direct quote cut from the
statement (three or more words gone at an end) is an alter with a truncation; an alter is
recognisably the same statement with different words, with a word-level diff and its kinds of
change; the same words credited to another person are a misattribution. Anything else is new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.core.matching.diff import SEVERITY, Alignment, align
from bot.core.matching.tokens import ELLIPSIS, STOPWORDS, Token, tokenize
from bot.core.models import Change, ChangeKind, Classification, QuoteKind, Relation
from bot.core.speaker_names import names_someone, same_person

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
# Another number, name or negation from another person: another statement, not the same words.
_SUBSTANTIVE = frozenset({ChangeKind.NEGATION, ChangeKind.NUMBER, ChangeKind.ENTITY})
SHORT_FRAGMENT = 3  # quotes this short must be a sub-span (by stem) of the statement
_RANK = {Relation.REPEAT: 2, Relation.ALTER: 1, Relation.MISATTRIBUTION: 0}


@dataclass(frozen=True, slots=True)
class KnownStatement:
    """A stored statement as the matcher sees it: its canonical wording and other wordings."""

    id: int
    speaker: str | None
    canonical: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Words:
    """A wording as the matcher compares it, computed once per wording."""

    tokens: list[Token]
    keys: tuple[str, ...]  # folded words, ellipses left out: the exact form
    stems: tuple[str, ...]
    content: Counter[str]  # stems of the words that are not stop words
    every: Counter[str]  # stems of every word


def _prepare(tokens: list[Token]) -> _Words:
    words = [t for t in tokens if t.key != ELLIPSIS]
    stems = tuple(t.stem for t in words)
    content = Counter(t.stem for t in words if t.key not in STOPWORDS)
    return _Words(tokens, tuple(t.key for t in words), stems, content, Counter(stems))


@lru_cache(maxsize=20_000)
def _same_person(a: str, b: str) -> bool:
    """``same_person``, remembered: a few speakers meet the same candidates' speakers again."""
    return same_person(a, b)


def _one_speaker(speaker: str | None, known: KnownStatement) -> bool:
    """The quote's speaker is the statement's, or either is unknown."""
    return speaker is None or known.speaker is None or _same_person(speaker, known.speaker)


# The latest quotes' words, by text: a quote's words are its statement's (or a variant's)
# when it becomes one, so ``_wording`` need not prepare them again.
QUOTED_KEPT = 4096
_QUOTED: dict[str, _Words] = {}


@lru_cache(maxsize=50_000)
def _wording(text: str) -> _Words:
    """A stored wording, kept: the same statements are candidates again and again."""
    return _QUOTED.get(text) or _prepare(tokenize(text))


def _find(inner: tuple[str, ...], outer: tuple[str, ...]) -> int:
    """Where ``inner`` starts inside ``outer`` as a contiguous run; -1 when it does not."""
    n = len(inner)
    if n == 0 or n > len(outer):
        return -1
    first, last = inner[0], len(outer) - n + 1
    at = -1
    while True:  # each place its first word stands, found by ``index`` rather than a loop
        try:
            at = outer.index(first, at + 1, last)
        except ValueError:
            return -1
        if outer[at : at + n] == inner:
            return at


@dataclass(frozen=True, slots=True)
class _Verdict:
    relation: Relation
    score: float
    alignment: Alignment | None = None


def _judge(
    q: _Words, speaker: str | None, known: KnownStatement, kind: QuoteKind
) -> _Verdict | None:
    canonical = _wording(known.canonical)
    # Whether the speakers are one person is asked after the words, where it matters: most
    # candidates share too few words to be judged at all.
    if (
        q.keys == canonical.keys or any(q.keys == _wording(v).keys for v in known.variants)
    ) and _one_speaker(speaker, known):
        return _Verdict(Relation.REPEAT, 1.0)  # the same words, however few
    if _find(q.keys, canonical.keys) >= 0 and _one_speaker(speaker, known):
        score = len(q.keys) / max(1, len(canonical.keys))
        if kind is not QuoteKind.DIRECT:
            return _Verdict(Relation.REPEAT, score)  # a fragment: an exact sub-span
        cut = align(canonical.tokens, q.tokens, kind)
        if any(c.kind is ChangeKind.TRUNCATED for c in cut.changes):
            return _Verdict(Relation.ALTER, 1.0, cut)
        return _Verdict(Relation.REPEAT, score)  # a word or two short of the whole
    content = sum(q.content.values())
    if not content:
        return None  # "it is what it is" matches everything and says nothing
    if len(q.keys) <= SHORT_FRAGMENT:
        if _find(q.stems, canonical.stems) >= 0 and _one_speaker(speaker, known):
            return _Verdict(Relation.ALTER, 0.9, align(canonical.tokens, q.tokens, kind))
        return None
    shared_needed = min(MIN_SHARED_CONTENT, max(2, content - 1))
    if _hopeless(canonical, q, shared_needed, speaker, known):
        return None
    found = align(canonical.tokens, q.tokens, kind)
    coverage = found.matched / max(1, found.quote_words)
    if found.matched_content < shared_needed or coverage < MIN_COVERAGE:
        return None
    if _one_speaker(speaker, known):
        if not found.changes:
            return _Verdict(Relation.REPEAT, coverage)
        return _Verdict(Relation.ALTER, coverage, found)
    if (
        speaker is not None
        and names_someone(speaker)  # a clause taken for a source credits no one
        and _may_be_misattributed(q, coverage)
        and not any(c.kind in _SUBSTANTIVE for c in found.changes)
    ):
        return _Verdict(Relation.MISATTRIBUTION, coverage, found)
    return None


def _may_be_misattributed(q: _Words, coverage: float) -> bool:
    """Enough of the same words, and words enough, to blame another speaker for them."""
    return (
        coverage >= MISATTRIBUTION_COVERAGE
        and len(q.keys) >= MISATTRIBUTION_MIN_WORDS
        and len(set(q.content) - _STOCK) >= MISATTRIBUTION_MIN_CONTENT
    )


def _exact_repeat(q: _Words, speaker: str | None, known: KnownStatement) -> bool:
    """The verdict nothing ranks above: a repeat of the same words by the same speaker, of a
    wording as long as the canonical one (the canonical itself, or a variant of its length)."""
    canonical = _wording(known.canonical).keys
    if len(canonical) != len(q.keys):
        return False
    if q.keys != canonical and not any(q.keys == _wording(v).keys for v in known.variants):
        return False
    return _one_speaker(speaker, known)


def _overlap(a: Counter[str], b: Counter[str]) -> int:
    """``sum((a & b).values())`` without building the intersection."""
    return sum(min(a[k], b[k]) for k in a.keys() & b.keys())


def _hopeless(
    canonical: _Words, q: _Words, shared_needed: int, speaker: str | None, known: KnownStatement
) -> bool:
    """No alignment can give a verdict: it pairs equal stems one to one, so the stems the two
    share bound the content words it matches and its coverage. Skips most alignments."""
    if _overlap(canonical.content, q.every) < shared_needed:
        return True
    coverage_bound = _overlap(canonical.every, q.every) / max(1, len(q.keys))
    if coverage_bound < MIN_COVERAGE:
        return True
    return not _one_speaker(speaker, known) and not _may_be_misattributed(q, coverage_bound)


def classify_quote(
    text: str,
    speaker: str | None,
    candidates: list[KnownStatement],
    kind: QuoteKind = QuoteKind.DIRECT,
    tokens: list[Token] | None = None,
) -> Classification:
    """The best relation of a quote to any candidate; NEW when none is recognisably it.

    ``tokens``: the quote's words when the caller has them already (``tokenize(text)``).
    """
    q = _prepare(tokenize(text) if tokens is None else tokens)
    if len(_QUOTED) >= QUOTED_KEPT:
        _QUOTED.clear()
    _QUOTED[text] = q
    if not q.keys:
        return Classification(Relation.NEW)
    exact = next((k for k in candidates if _exact_repeat(q, speaker, k)), None)
    if exact is not None:  # the same words by the same speaker: nothing can rank above it
        return Classification(Relation.REPEAT, exact.id, 1.0)
    best: tuple[tuple[int, float, int], KnownStatement, _Verdict] | None = None
    for known in candidates:
        verdict = _judge(q, speaker, known, kind)
        if verdict is None:
            continue
        # Among equals, the wording closest in length: the statement it was taken from, not a
        # longer one that happens to contain it.
        extra = abs(len(_wording(known.canonical).keys) - len(q.keys))
        key = (_RANK[verdict.relation], verdict.score, -extra)
        if best is None or key > best[0]:
            best = (key, known, verdict)
    if best is None:
        return Classification(Relation.NEW)
    (_, score, _), known, verdict = best
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
