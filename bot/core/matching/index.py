"""Candidate search: the few stored statements a new quote could belong to, without a scan.

An inverted index from content-word stems to statement ids (compact ``array`` postings, kept
sorted and without duplicates, so the index built while running equals the one loaded at
start-up whatever order the wordings came in). A query takes its rarest words, counts which
statements share them, and keeps the best few (ties broken by size, then by age); the matcher
then scores only those with rapidfuzz. Very common words (a speaker's name in every statement)
are skipped unless nothing rarer is left. Wordings with almost no content words ("Not me",
"we have to do it") are also kept under their whole normalised form, so an exact copy is found.
"""

from __future__ import annotations

import marshal
from array import array
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from heapq import nsmallest
from itertools import compress, repeat
from operator import eq, ge, lt

from bot.core.matching.tokens import ELLIPSIS, Token, content_words, tokenize

QUERY_WORDS = 8  # the rarest words of the quote that are looked up
MAX_CANDIDATES = 25
COMMON_SHARE = 0.02  # a word in more than 2% of statements is too common to look up alone
SHORT_WORDS = 2  # wordings with this few distinct content words are also found by exact form
FORMAT = 1  # of ``to_bytes``: a file of another format is not read, the index is rebuilt


def exact_form(tokens: list[Token]) -> str:
    """The wording as compared for an exact repeat: folded words, ellipses left out."""
    return " ".join(t.key for t in tokens if t.key != ELLIPSIS)


def _insert(posting: array[int], statement_id: int) -> None:
    """Add an id to a sorted posting once (nearly always an append: ids only grow)."""
    if not posting or posting[-1] < statement_id:
        posting.append(statement_id)
        return
    at = bisect_left(posting, statement_id)
    if posting[at] != statement_id:
        posting.insert(at, statement_id)


def _shared(postings: dict[str, array[int]], words: list[str], need: int) -> Counter[int]:
    """How many of the words' postings hold each id, right for every id held by ``need`` or
    more. ``words`` go from the shortest posting to the longest; when ``need`` is 2, an id only
    in the longest posting counts once, too few: that posting is only looked up, not counted."""
    counts: Counter[int] = Counter()
    if need < 2:
        for word in words:
            counts.update(postings[word])  # each id once per word: postings are sets
        return counts
    for word in words[:-1]:
        counts.update(postings[word])
    counts.update(counts.keys() & postings[words[-1]])
    return counts


@lru_cache(maxsize=256)
def _gaps(own_size: int) -> bytes:
    """A ``bytes.translate`` table from a statement's size byte to its distance from
    ``own_size``."""
    return bytes(abs(size - own_size) for size in range(256))


def _ranked(
    ids: list[int], counts: Counter[int], need: int, limit: int, own_size: int, size: bytearray
) -> list[int]:
    """The ``limit`` best of ``ids``: most shared words first, then closest in size, then
    oldest, as ``sorted(ids, key=(-count, size gap, id))[:limit]`` gives them. Those sharing
    more than ``need`` words are few and sorted; among the many sharing exactly ``need``, the
    closest are found by their size gaps, as bytes."""
    if limit <= 0:
        return []
    gaps = _gaps(own_size)

    def key(sid: int) -> tuple[int, int, int]:
        return -counts[sid], gaps[size[sid]], sid

    get = counts.__getitem__
    above = list(compress(ids, map(lt, repeat(need), map(get, ids))))
    if len(above) >= limit:
        return nsmallest(limit, above, key=key)
    ranked = sorted(above, key=key)
    left = limit - len(ranked)
    level = list(compress(ids, map(eq, repeat(need), map(get, ids)))) if above else ids
    if len(level) <= left:
        return ranked + sorted(level, key=key)
    level.sort()
    row = bytes(map(size.__getitem__, level)).translate(gaps)  # each id's gap, in id order
    gap = 0
    while left:
        at = row.find(gap)
        while at >= 0 and left:
            ranked.append(level[at])
            left -= 1
            at = row.find(gap, at + 1)
        gap += 1
    return ranked


class StatementIndex:
    """Postings of content-word stems to statement ids; add-only, rebuilt at start-up."""

    def __init__(self) -> None:
        self._postings: dict[str, array[int]] = {}
        self._exact: dict[str, array[int]] = {}
        # One byte per statement id: 0 when not indexed, else 1 + the fewest distinct content
        # words of its wordings (a minimum, so the order wordings come in does not matter).
        self._size = bytearray()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def entries(self) -> int:
        """Every (word, statement) and (exact form, statement) pair held: to compare indexes."""
        return sum(map(len, self._postings.values())) + sum(map(len, self._exact.values()))

    def add(
        self, statement_id: int, speaker: str | None, text: str, tokens: list[Token] | None = None
    ) -> None:
        """Index one wording of a statement (the canonical one or a variant); adding the same
        wording twice changes nothing."""
        if statement_id >= len(self._size):
            self._size.extend(bytes(max(statement_id + 1 - len(self._size), 1024)))
        tokens = tokenize(text) if tokens is None else tokens
        words = set(content_words(tokens))
        size = 1 + min(len(words), 254)
        if not self._size[statement_id]:
            self._size[statement_id] = size
            self._count += 1
        elif size < self._size[statement_id]:
            self._size[statement_id] = size
        for word in words:
            posting = self._postings.get(word)
            if posting is None:
                self._postings[word] = array("i", (statement_id,))
            else:
                _insert(posting, statement_id)
        if len(words) <= SHORT_WORDS and (form := exact_form(tokens)):
            _insert(self._exact.setdefault(form, array("i")), statement_id)

    def candidates(
        self, text: str, limit: int = MAX_CANDIDATES, tokens: list[Token] | None = None
    ) -> list[int]:
        """Statement ids the quote could belong to: the same short wording first, then those
        sharing the quote's rarest words, most shared first; among equals the one closest in
        number of content words (an exact copy before the many that share its words), then
        the older."""
        tokens = tokenize(text) if tokens is None else tokens
        own = set(content_words(tokens))
        exact = list(self._exact.get(exact_form(tokens), ())) if len(own) <= SHORT_WORDS else []
        postings = self._postings
        # The rarest first, ties by the word: (posting length, word) pairs sort so.
        known = sorted((len(postings[w]), w) for w in own if w in postings)
        if not known:
            return exact[:limit]
        ceiling = max(50, int(COMMON_SHARE * self._count))
        rare = [w for n, w in known if n <= ceiling][:QUERY_WORDS] or [known[0][1]]
        need = 1 if len(rare) <= 2 else 2
        counts = _shared(self._postings, rare, need)
        for sid in exact:  # already first
            counts.pop(sid, None)
        ids = list(compress(counts.keys(), map(ge, counts.values(), repeat(need))))
        own_size = 1 + min(len(own), 254)
        return exact[:limit] + _ranked(ids, counts, need, limit - len(exact), own_size, self._size)

    def to_bytes(self) -> bytes:
        """The whole index as compact bytes (postings as 4-byte ids), to keep beside the store."""
        return marshal.dumps(
            (
                FORMAT,
                self._count,
                bytes(self._size),
                {w: p.tobytes() for w, p in self._postings.items()},
                {f: p.tobytes() for f, p in self._exact.items()},
            )
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> StatementIndex:
        """The index ``to_bytes`` wrote; ValueError for bytes of another format or damaged."""
        try:
            fmt, count, size, postings, exact = marshal.loads(data)
        except (EOFError, ValueError, TypeError) as exc:
            raise ValueError(f"not a saved index: {exc}") from exc
        if fmt != FORMAT or array("i").itemsize != 4:
            raise ValueError(f"saved index of format {fmt!r}, this version reads {FORMAT}")
        index = cls()
        index._count = count
        index._size = bytearray(size)
        index._postings = {w: array("i", p) for w, p in postings.items()}
        index._exact = {f: array("i", p) for f, p in exact.items()}
        return index
