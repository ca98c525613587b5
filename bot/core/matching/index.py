"""Candidate search: the few stored statements a new quote could belong to, without a scan.

An inverted index from content-word stems to statement ids (compact ``array`` postings). A
query takes its rarest words, counts which statements share them, and keeps the best few; the
matcher then scores only those with rapidfuzz. Very common words (a speaker's name in every
statement) are skipped unless nothing rarer is left.
"""

from __future__ import annotations

from array import array
from collections import Counter

from bot.core.matching.tokens import content_words, tokenize

QUERY_WORDS = 8  # the rarest words of the quote that are looked up
MAX_CANDIDATES = 25
COMMON_SHARE = 0.02  # a word in more than 2% of statements is too common to look up alone


class StatementIndex:
    """Postings of content-word stems to statement ids; add-only, rebuilt at start-up."""

    def __init__(self) -> None:
        self._postings: dict[str, array[int]] = {}
        self._known = bytearray()  # one byte per statement id: indexed or not
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, statement_id: int, speaker: str | None, text: str) -> None:
        """Index one wording of a statement (the canonical one or a variant).

        A variant may post a statement under a word twice; queries count each statement once
        per word, so no per-statement word set is kept (it would cost more than the postings).
        """
        if statement_id >= len(self._known):
            self._known.extend(bytes(max(statement_id + 1 - len(self._known), 1024)))
        if not self._known[statement_id]:
            self._known[statement_id] = 1
            self._count += 1
        for word in set(content_words(tokenize(text))):
            posting = self._postings.get(word)
            if posting is None:
                self._postings[word] = array("i", (statement_id,))
            elif posting[-1] != statement_id:
                posting.append(statement_id)

    def candidates(self, text: str, limit: int = MAX_CANDIDATES) -> list[int]:
        """Statement ids sharing the quote's rarest words, most shared first."""
        words = sorted(
            {w for w in content_words(tokenize(text)) if w in self._postings},
            key=lambda w: len(self._postings[w]),
        )
        if not words:
            return []
        ceiling = max(50, int(COMMON_SHARE * self._count))
        rare = [w for w in words if len(self._postings[w]) <= ceiling][:QUERY_WORDS] or words[:1]
        counts: Counter[int] = Counter()
        for word in rare:
            counts.update(set(self._postings[word]))
        need = 1 if len(rare) <= 2 else 2
        return [sid for sid, n in counts.most_common(limit) if n >= need]
