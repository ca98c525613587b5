"""Sentences with offsets, content words and light stems: the units every stance rule reads.

Kept simple and deterministic so a rule's verdict can be explained by pointing at words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


def word_set(spaced: str) -> frozenset[str]:
    """A set from a white-space separated word list (lists read better than literals)."""
    return frozenset(spaced.split())


def alternation(strings: Iterable[str]) -> str:
    """A pattern of the literal ``strings`` that matches what their alternation, longest first,
    matches, written as a tree of their letters: each place in a text is read against a few
    letters, not against every string (3-4x faster on an article's titles and cue words)."""
    tree: dict[str, Any] = {}
    for string in strings:
        node = tree
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}  # a string ends here

    def branch(node: dict[str, Any]) -> str:
        options = [re.escape(char) + branch(rest) for char, rest in sorted(node.items()) if char]
        if not options:
            return ""
        if len(options) == 1 and "" not in node:
            return options[0]
        group = f"(?:{'|'.join(options)})"
        return f"{group}?" if "" in node else group  # the longer first, then the one ending

    return branch(tree) if tree else "(?!)"  # no string: nothing matches


# Function words and reporting filler: they say nothing about which story a text is about.
STOPWORDS = word_set(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each few for from further had hadn has hasn have haven having he her here
    hers herself him himself his how i if in into is isn it its itself just let me more most
    mustn my myself no nor not now of off on once only or other ought our ours ourselves out
    over own same shan she should shouldn so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon very was
    wasn we were weren what when where which while who whom why will with won would wouldn you
    your yours yourself yourselves said says say saying told tell tells according also would
    could may might must shall one two three new like get got make made well back still even
    much many us mr mrs ms dr s t re ve ll d m o y per via yet though however whether among
    within without across around already another ever every however including since via
    """
)

# Words so frequent in news that sharing them is weak evidence of sharing a story.
COMMON_NEWS = word_set(
    """
    year years time people day days week weeks month months today yesterday tomorrow last
    first second next government president state states country countries world official
    officials report reports reported news statement statements percent million billion
    number part public group way thing things man woman men women home city say told public
    week interview added asked called including according former national international
    political policy plan issue issues end going want need know think take see come use
    work call good right left long high big old early late less least lot work house
    """
)

_ABBREVIATIONS = word_set(
    """
    mr mrs ms dr prof st jr sr gen col capt lt sgt rep sen gov rev no vs etc inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m
    """
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]+(?:['’][A-Za-z]+)?")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article and where it sits: ``text == article[start:end]``."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences by terminal punctuation and line breaks, skipping abbreviations like "Mr."."""
    out: list[Sentence] = []
    begin = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if "\n" not in match.group() and match.group()[0] == ".":
            before = text[begin : match.start()].rsplit(None, 1)
            last = before[-1].lower().lstrip("(\"“'‘") if before else ""
            if last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last):
                continue
            rest = text[end : end + 3].lstrip()
            if rest[:1].islower():
                continue
        _append(out, text, begin, end)
        begin = end
    _append(out, text, begin, len(text))
    return out


def _append(out: list[Sentence], text: str, begin: int, end: int) -> None:
    piece = text[begin:end]
    stripped = piece.strip()
    if not stripped:
        return
    start = begin + (len(piece) - len(piece.lstrip()))
    out.append(Sentence(stripped, start, start + len(stripped)))


def words(text: str) -> list[str]:
    """Word tokens as written (letters, digits, an inner apostrophe), in order."""
    return _WORD.findall(text)  # one C call: the dispute stage reads every article's words


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "denies"/"denied"/"deny", "talks"/"talk"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ied"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_AMOUNT = re.compile(r"(\d+)(?:m|bn|b|k)")  # "$800M" meets "$800 million"


@lru_cache(maxsize=200_000)
def word_stem(word: str) -> str | None:
    """The stem of one word as ``words`` finds it, None for a stop word or a single letter;
    remembered by the word as written: the same words come back in every article."""
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if len(low) < 2 or low in STOPWORDS:
        return None
    amount = _AMOUNT.fullmatch(low)
    return amount.group(1) if amount else stem(low)


def content_stems(text: str) -> list[str]:
    """The stems of the words that carry meaning, in order (stop words and 1-letter dropped)."""
    return [s for s in map(word_stem, words(text)) if s is not None]


@lru_cache(maxsize=100_000)
def stem_set(text: str) -> frozenset[str]:
    """``content_stems`` as a set, cached: one body is judged against many claims."""
    return frozenset(content_stems(text))


NEGATION = frozenset({"not", "no", "never", "n't", "nobody", "nothing", "none", "neither"})


def negated_near(text: str, claim: frozenset[str]) -> bool:
    """A negation within or just before the stretch of ``text`` holding the claim's words."""
    tokens = [w.lower().replace("’", "'") for w in words(text)]
    at = [i for i, t in enumerate(tokens) if stem(t) in claim]
    if not at:
        return False
    window = tokens[max(0, at[0] - 4) : at[-1] + 1]
    return any(t in NEGATION or t.endswith("n't") for t in window)


# A claim whose "not" sets a bound ("will not cost more than 400 crowns") is restated without
# the "not" by a text that keeps the bound in other words ("380 crowns, below the ceiling").
_NOT = r"(?:\b(?:not|no|never)|n't)\s+(?:\w+\s+){0,3}?"
_UPPER = re.compile(_NOT + r"(?:more|over|above|exceed\w*|higher|greater|beyond)\b", re.I)
_LOWER = re.compile(_NOT + r"(?:less|fewer|under|below|lower)\b", re.I)
_WITHIN = re.compile(
    r"\b(?:below|under|within|at most|up to|less than|fewer than|lower than|no more than)\b", re.I
)
_AT_LEAST = re.compile(r"\b(?:at least|above|more than|higher than|no less than)\b", re.I)


def negation_flipped(claim: str, text: str, stems: frozenset[str]) -> bool:
    """``text`` holds the claim's words (``stems``) with a "not" added or dropped, unless the
    claim's "not" sets a bound that ``text`` keeps in other words."""
    claim_text = claim.replace("’", "'")
    kept = (
        _WITHIN if _UPPER.search(claim_text) else _AT_LEAST if _LOWER.search(claim_text) else None
    )
    if kept and kept.search(text.replace("’", "'")):
        return False
    return negated_near(text, stems) != negated_near(claim, stems)


# A trend and its opposite: "crime fell by 20 per cent" told as "crime rose by 12 per cent".
_RISE = re.compile(
    r"\b(?:ris(?:e|es|en|ing)|rose|increas(?:e|es|ed|ing)|gr[eo]w|grow(?:s|n|ing)|"
    r"climb(?:s|ed|ing)?|jump(?:s|ed|ing)?|soar(?:s|ed|ing)?|(?:went|gone|is|are|was|were) up)\b",
    re.IGNORECASE,
)
_FALL = re.compile(
    r"\b(?:f[ae]ll|falls|fallen|falling|decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|"
    r"drop(?:s|ped|ping)?|shr[aiu]nk(?:s|ing)?|plung(?:e|es|ed|ing)|"
    r"(?:went|gone|is|are|was|were) down)\b",
    re.IGNORECASE,
)


def direction_flipped(claim: str, text: str, stems: frozenset[str]) -> bool:
    """``text`` tells the claim's one trend the other way ("crime rose" for "crime fell"),
    neither of them negated near the claim's words (``stems``)."""
    rises, falls = _RISE.search(claim) is not None, _FALL.search(claim) is not None
    if rises == falls:
        return False  # no trend, or both ("fell, then rose")
    if (_RISE.search(text) is not None, _FALL.search(text) is not None) != (falls, rises):
        return False
    return not negated_near(text, stems) and not negated_near(claim, stems)
