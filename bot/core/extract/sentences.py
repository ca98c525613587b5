"""Sentence boundaries that never cut through a quotation (quote interiors are masked first).

Abbreviations (Mr., Dr., U.S., Feb., initials) do not end a sentence; paragraphs always do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.extract.marks import Span

_ABBREV = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "sen", "rep", "gov", "gen", "col",
        "lt", "sgt", "capt", "rev", "hon", "no", "vs", "etc", "inc", "corp", "ltd", "co",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "gop", "approx", "fig", "mt", "ft",
        "cpl", "cst", "const", "supt", "insp", "det", "coun", "cmdr", "maj", "adm", "brig",
        "pte", "atty",
    }
)  # fmt: skip
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+|\n+")


# No-break and narrow spaces read as spaces by the rules ("…,”\u00a0Simon Rosenberg told"):
# one character for one, so every offset stays the text's.
# A pattern, not `str.translate`: a table of non-ASCII characters sends `translate` down its
# slow path, a character at a time (0.3 ms an article); a search that finds none copies nothing.
_SPACES = re.compile("[\u00a0\u2007\u2009\u202f]")


def mask(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every quoted interior replaced by ``x`` and no-break spaces by spaces
    (same length, same offsets)."""
    text = _SPACES.sub(" ", text)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for s in spans:
        if s.start < pos:
            continue
        parts.append(text[pos : s.start])
        inner = text[s.start : s.end]
        masked = "\n".join("x" * len(line) for line in inner.split("\n"))  # newlines kept
        if inner and inner[-1] in ".!?…":
            masked = masked[:-1] + inner[-1]  # a quoted sentence still ends its sentence
        parts.append(masked)
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def _is_abbreviation(masked: str, dot: int) -> bool:
    j = dot
    while j > 0 and (masked[j - 1].isalpha() or masked[j - 1] == "."):
        j -= 1
    word = masked[j:dot].lower()
    if not word:
        return False
    if len(word) == 1 and word.isalpha() and masked[j].isupper():
        return True  # an initial: Vladimir V. Putin
    return word in _ABBREV


def split(text: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """(start, end) of every sentence, quotes kept whole, whitespace trimmed."""
    masked = mask(text, spans)
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(masked):
        if m.group().startswith((".", "!", "?", "…")) and "\n" not in m.group():
            nxt = m.end()
            if masked[m.start()] == "." and _is_abbreviation(masked, m.start()):
                continue
            if nxt < len(masked) and (masked[nxt].islower() or masked[nxt] in "—–-(,;"):
                continue
        end = m.start() + len(m.group().rstrip())
        _add(text, out, start, end)
        start = m.end()
    _add(text, out, start, len(text))
    return out


def _add(text: str, out: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
