"""Which known statement a contesting sentence is about: speaker named, content, proximity.

A cue links to a statement when its speaker is named in the cue's scope ("Mr. Macron's
proposal"), when it refers back to a recently quoted statement ("his remarks", "the claim"),
when it shares the statement's words, or when it sits next to where the statement is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.models import Quote
from bot.core.speaker_names import UPPER, fold, same_person
from bot.core.stance.lexicon import STATEMENT_NOUNS
from bot.core.stance.people import ROLE_WORDS, People
from bot.core.stance.relatedness import DocumentFrequencies, claim_weights
from bot.core.stance.text import Sentence, alternation, stem, stem_set

LINK_THRESHOLD = 2.0
_GENERIC_REF = re.compile(
    r"\b(?:his|her|their|the|this|that|these|those|such)\s+(?:(?P<modifier>[\w-]+(?:['’]s)?)\s+)?"
    + STATEMENT_NOUNS.pattern
    # "the idea of a ferry line", "the call for a vote": some other idea, not the one quoted
    + r"(?!\s+(?:of|for|to|about)\b)"
    + r"|^\s*[“\"‘']?(?:it|them|this|that)\b",
    re.IGNORECASE,
)
# After the speaker's name or role, a possessive that names people names someone else's words:
# "the mayor's critics were wrong" is no dispute of the mayor.
_NOT_HERS = (
    r"(?!['’]s\s+(?:[\w-]+\s+)?(?:critics?|opponents?|rivals?|challengers?|supporters?|allies|"
    r"aides?|staff|office|team|campaign|camp|side|spokes(?:man|woman|person)|lawyers?|"
    r"attorneys?|wife|husband|son|daughter|family|friends?|party|administration|government|"
    r"deputy|predecessor|successor)\b)"
)


# What follows the speaker's name in a scope that names the statement: not someone else's
# (``_NOT_HERS``), and "Smith's remarks", "Smith's latest claim".
_NAME_NOT_HERS = re.compile(rf"\b{_NOT_HERS}")
_NAME_WORDS = re.compile(rf"['’]?s?\s+(?:\w+\s+)?{STATEMENT_NOUNS.pattern}")


@dataclass(frozen=True, slots=True)
class Target:
    """A known statement the article may contest, and where this article quotes it."""

    statement_id: int
    speaker: str | None
    canonical: str
    spans: tuple[tuple[int, int], ...] = ()
    contestable: bool = True  # False: read as the article's words, never reported contested


def _surname(speaker: str | None) -> str | None:
    """The last word of the speaker's name as written, capitalised: names are proper nouns."""
    key = People.surname(speaker)
    if not key or not speaker:
        return None
    written = [w for w in re.findall(r"[\w-]+", speaker) if fold(w) == key]
    return written[-1] if written else key.capitalize()


def _named(surname: str | None, text: str) -> bool:
    return bool(surname) and name_then(surname or "", text, _AT_WORD)


def name_then(name: str, text: str, then: re.Pattern[str]) -> bool:
    """What ``re.search(rf"\\b{re.escape(name)}{then.pattern}", text)`` finds, without a pattern
    compiled for each name (a statement's speaker, ~0.6 ms each): each place the name stands
    is checked for a word's start before it and ``then`` after it."""
    at = text.find(name)
    while at >= 0:
        if _AT_WORD.match(text, at) and then.match(text, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


_AT_WORD = re.compile(r"\b")


def _sentence_of(sentences: Sequence[Sentence], pos: int) -> int:
    for i, s in enumerate(sentences):
        if pos < s.end:
            return i
    return len(sentences) - 1


def recently_named(
    target: Target, sentences: Sequence[Sentence], index: int, quotes: Sequence[Quote]
) -> bool:
    """Was the target's speaker named or quoted in this or the three sentences before?"""
    surname = _surname(target.speaker)
    lo = sentences[max(0, index - 3)].start
    hi = sentences[index].end
    if surname and any(
        _named(surname, sentences[i].text) for i in range(max(0, index - 3), index + 1)
    ):
        return True
    for q in quotes:
        if lo <= q.start < hi and same_person(q.speaker, target.speaker):
            return True
    return any(lo <= a < hi for a, _ in target.spans)


def speaker_role(target: Target, text: str) -> str | None:
    """The job title the article writes before the speaker's name ("Mayor Ines Calloway")."""
    surname = _surname(target.speaker)
    if not surname or surname not in text:  # no word after a title can be the name
        return None
    for role, words in _roles_and_names(text):
        for word in words:
            if word == surname or (
                word.startswith(surname) and not _WORD_CHAR.match(word, len(surname))
            ):
                return role
    return None


@lru_cache(maxsize=8)
def _roles_and_names(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each title in ``text`` with the capitalised words after it, in order: the same for every
    statement of the article, so the text is read once, not once per statement (each read
    cost a search of the whole article). The title in any case ("Mayor", "mayor"), the name's
    other words capitalised: one pattern for every speaker (a pattern per surname cost a
    compile of the role list, 4 ms, for each statement of each article)."""
    found = []
    m = _ROLE_AND_WORDS.search(text)
    while m is not None:
        found.append((m.group(1).lower(), tuple(m.group(2).split())))
        m = _ROLE_AND_WORDS.search(text, m.start(2))  # a role among those words reads on
    return tuple(found)


_ROLE_AND_WORDS = re.compile(
    rf"\b((?i:{alternation(ROLE_WORDS.split('|'))})),?\s+([{UPPER}][\w'’.-]*(?:\s+[{UPPER}][\w'’.-]*){{0,2}})"
)
_WORD_CHAR = re.compile(r"\w")


def target_weights(target: Target, df: DocumentFrequencies) -> dict[str, float]:
    return claim_weights(target.canonical, df)


def _refers_back(scope: str, weights: Mapping[str, float], role: str | None) -> bool:
    """``scope`` refers to a statement ("that promise", "her latest remarks", "the minister's
    timetable", "the bridge timetable"), not to another one: a word before the noun is a
    possessive, an adjective, the speaker's title or a word of the statement; a noun of
    something else names another statement ("the ferry timetable" is not the bridge's)."""
    for m in _GENERIC_REF.finditer(scope):
        modifier = m.group("modifier")
        if (
            modifier is None
            or modifier.endswith(("'s", "’s"))
            or modifier.lower() == role
            or stem(modifier) in weights
            or _ADJECTIVE.fullmatch(modifier) is not None
        ):
            return True
    return False


# A word before a statement noun that describes it rather than naming what it is about.
_ADJECTIVE = re.compile(
    r"(?:new|same|big|key|main|bold|rosy|early|first|last|\d[\w-]*|"
    r"\w+(?:est|er|ed|ing|al|ic|ous|ive|ful|less|able|ible|ent|ant|ly|ish))",
    re.IGNORECASE,
)


AIM_SHARE = 0.34  # share of the statement's weight a scope carries to be about its words
# Nouns for someone's words besides the statement nouns the stance model counts.
_WORDS_NOUNS = re.compile(
    r"\b(?:announcement|account|version|assessment|explanation|description|characteri[sz]ation|"
    r"depiction|portrayal|prediction|projection|warning|boast)s?\b",
    re.IGNORECASE,
)


def aims_at(
    target: Target,
    scope: str,
    weights: Mapping[str, float],
    role: str | None,
    sentences: Sequence[Sentence],
    index: int,
    *,
    near: bool = True,
) -> bool:
    """Does the sentence ``index`` (its text ``scope``) point at the statement itself, not merely
    at its speaker? It follows the statement's quotation (the same or the next sentence), or it
    carries its words (a third of their weight), names them ("Macron's proposal", "the mayor's
    account") or refers back to them ("his flawed vision", "that claim"). "McConnell said it was
    inappropriate for Ginsburg to criticize Trump", paragraphs away from Trump's words, names
    Trump and judges, but not his words. ``near=False``: following the quotation is not enough
    (``scope`` is what a noun or a framing word acts on, and it must be the words)."""
    if (
        near
        and target.spans
        and any(0 <= index - _sentence_of(sentences, a) <= 1 for a, _ in target.spans)
    ):
        return True
    total = sum(weights.values())
    if total and sum(weights[s] for s in stem_set(scope) & set(weights)) >= AIM_SHARE * total:
        return True
    surname = _surname(target.speaker)
    nouns = _WORDS_NOUNS.search(scope) is not None
    if surname and (name_then(surname, scope, _NAME_WORDS) or (nouns and surname in scope)):
        return True
    return _refers_back(scope, weights, role)


def link_score(
    target: Target,
    scope: str,
    sentences: Sequence[Sentence],
    index: int,
    quotes: Sequence[Quote],
    weights: Mapping[str, float],
    role: str | None = None,
) -> float:
    """How strongly the text ``scope`` of sentence ``index`` points at ``target``.

    ``weights`` are the target's content stems weighted by rarity (``target_weights``);
    ``role`` is the speaker's job title (``speaker_role``): "the mayor" names Mayor Calloway.
    """
    score = 0.0
    surname = _surname(target.speaker)
    if surname and name_then(surname, scope, _NAME_NOT_HERS):
        score += 2.5
        if name_then(surname, scope, _NAME_WORDS):
            score += 0.5
    elif role and re.search(rf"\bthe\s+{role}\b{_NOT_HERS}", scope, re.IGNORECASE):
        score += 2.0
    elif _refers_back(scope, weights, role) and recently_named(target, sentences, index, quotes):
        score += 1.5
    total = sum(weights.values())
    if total:
        found = stem_set(scope) & set(weights)
        score += min(2.0, 3.0 * sum(weights[s] for s in found) / total)
    if target.spans:
        distance = min(abs(_sentence_of(sentences, a) - index) for a, _ in target.spans)
        score += 1.0 if distance == 0 else 0.75 if distance <= 2 else 0.4 if distance <= 4 else 0
    return score
