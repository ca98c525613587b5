"""The frozen syntax tree of a topic query; each node knows how to match a Document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from bot.core.topics.document import Document, fold


def _tolerance(word: str) -> int:
    return 1 if len(word) <= 6 else 2


@dataclass(frozen=True, slots=True)
class Term:
    """One word; ``prefix`` for a trailing '*', ``fuzzy`` for a trailing '~'."""

    word: str
    prefix: bool = False
    fuzzy: bool = False

    def accepts(self, candidate: str) -> bool:
        if self.prefix:
            return candidate.startswith(self.word)
        if self.fuzzy:
            limit = _tolerance(self.word)
            return Levenshtein.distance(candidate, self.word, score_cutoff=limit) <= limit
        return candidate == self.word

    def matches(self, doc: Document) -> bool:
        if not self.prefix and not self.fuzzy:
            return self.word in doc.word_set
        return any(self.accepts(w) for w in doc.word_set)

    def spans(self, doc: Document) -> Iterator[tuple[int, int]]:
        for i, w in enumerate(doc.words):
            if self.accepts(w):
                yield i, i


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must follow one another."""

    terms: tuple[Term, ...]

    def matches(self, doc: Document) -> bool:
        if not all(t.matches(doc) for t in self.terms):
            return False
        return next(self.spans(doc), None) is not None

    def spans(self, doc: Document) -> Iterator[tuple[int, int]]:
        n = len(self.terms)
        words = doc.words
        for i in range(len(words) - n + 1):
            if all(t.accepts(words[i + k]) for k, t in enumerate(self.terms)):
                yield i, i + n - 1


@dataclass(frozen=True, slots=True)
class Near:
    """Two terms or phrases at most ``distance`` words apart, in either order."""

    left: Term | Phrase
    right: Term | Phrase
    distance: int

    def matches(self, doc: Document) -> bool:
        if not (self.left.matches(doc) and self.right.matches(doc)):
            return False
        rights = list(self.right.spans(doc))
        for ls, le in self.left.spans(doc):
            for rs, re_ in rights:
                gap = max(rs - le, ls - re_)
                if gap <= self.distance:
                    return True
        return False


@dataclass(frozen=True, slots=True)
class Filter:
    """``speaker:``, ``outlet:`` or ``kind:``; speaker and outlet match by folded substring."""

    field: str
    value: str

    def matches(self, doc: Document) -> bool:
        if self.field == "kind":
            return doc.kind == self.value
        target = doc.speaker if self.field == "speaker" else doc.outlet
        if target is None:
            return False
        return fold(self.value) in fold(target)


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node

    def matches(self, doc: Document) -> bool:
        return not self.operand.matches(doc)


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]

    def matches(self, doc: Document) -> bool:
        return all(o.matches(doc) for o in self.operands)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]

    def matches(self, doc: Document) -> bool:
        return any(o.matches(doc) for o in self.operands)


Node = Term | Phrase | Near | Filter | Not | And | Or
