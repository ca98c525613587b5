"""The text a topic query is matched against, normalised once for every topic."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Élysée' -> 'elysee'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@dataclass(frozen=True, slots=True)
class Document:
    """An article or a quote, with its words folded once so many topics match it cheaply."""

    text: str
    kind: str  # "quote" | "article"
    speaker: str | None
    outlet: str
    words: tuple[str, ...] = field(init=False, repr=False, compare=False)
    word_set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = words_of(self.text)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "word_set", frozenset(words))
