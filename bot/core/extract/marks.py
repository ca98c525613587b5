"""Pairing quotation marks into quoted spans: curly, straight, guillemets, „German“, single.

Double marks are paired first; single marks count as quotation marks only outside double quotes
and only when they cannot be apostrophes (don't, Macron's, '90s, rock 'n' roll).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«‹"
_DOUBLE_CLOSE = "”»›"
_SINGLE_OPEN = "‘‚"
_OPEN_CONTEXT = " \t\n\r([{—–-:/“„«‘\"'"
_APOSTROPHE_WORD = re.compile(r"['‘’](?:\d\d(?:s|\b)|n['’]|tis\b|em\b|cause\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Span:
    """The quoted words between an opening and a closing mark (marks excluded)."""

    start: int
    end: int
    single: bool = False


def _width(text: str, i: int) -> int:
    return 2 if text.startswith("''", i) else 1


def _is_open(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _DOUBLE_OPEN or ch in _SINGLE_OPEN:
        return True
    if ch in _DOUBLE_CLOSE:
        return False
    prev = text[i - 1] if i > 0 else " "
    w = _width(text, i)
    nxt = text[i + w] if i + w < len(text) else " "
    if prev in _OPEN_CONTEXT:
        return not nxt.isspace()
    return False


def _paragraph_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _next_paragraph_opens(text: str, nl: int, marks: str) -> int:
    """Position of an opening mark starting the paragraph after ``nl``, or -1."""
    j = nl
    while j < len(text) and text[j] in "\n\r \t":
        j += 1
    w = _width(text, j) if j < len(text) else 1
    if j < len(text) and text[j] == "'" and w != 2:
        return -1
    if j < len(text) and text[j] in marks and j + w < len(text) and not text[j + w].isspace():
        return j
    return -1


def _plural_possessive(text: str, i: int, positions: list[int], k: int, para_end: int) -> bool:
    if text[i - 1 : i] not in ("s", "S") or text[i + 1 : i + 2] != " ":
        return False
    if not text[i + 2 : i + 3].islower():
        return False
    return k + 1 < len(positions) and positions[k + 1] < para_end


def _pair(text: str, positions: list[int], opens: str, single: bool) -> list[Span]:
    spans: list[Span] = []
    start = -1  # index after the pending opening mark
    para_end = -1
    opener = ""
    k = 0
    while k < len(positions):
        i = positions[k]
        if start >= 0 and i > para_end:
            nxt = _next_paragraph_opens(text, para_end, opens)
            if nxt >= 0 and nxt <= i and not single:
                piece_end = para_end
                while piece_end > start and text[piece_end - 1].isspace():
                    piece_end -= 1
                if piece_end > start:
                    spans.append(Span(start, piece_end, single))
                start, para_end = nxt + _width(text, nxt), _paragraph_end(text, nxt)
                if i == nxt:
                    k += 1
                continue
            start = -1
        opening = _is_open(text, i)
        if start < 0:
            if opening:
                start, para_end, opener = i + _width(text, i), _paragraph_end(text, i), text[i]
        elif opening and text[i] not in "\"'" and not (opener == "„" and text[i] == "“"):
            start, para_end, opener = i + _width(text, i), _paragraph_end(text, i), text[i]
        elif single and _plural_possessive(text, i, positions, k, para_end):
            pass  # "the unions' demands": an apostrophe while a later mark can close
        elif i > start:
            spans.append(Span(start, i, single))
            start = -1
        k += 1
    return spans


def _single_candidates(text: str, blocked: list[Span]) -> list[int]:
    out: list[int] = []
    b = 0
    for m in re.finditer(r"['‘’‚]", text):
        i = m.start()
        while b < len(blocked) and blocked[b].end < i:
            b += 1
        if b < len(blocked) and blocked[b].start <= i < blocked[b].end:
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if "'" in (prev, nxt) and text[i] == "'":
            continue  # part of a '' double mark
        if prev.isalnum() and nxt.isalnum():
            continue  # don't, Macron's
        if _APOSTROPHE_WORD.match(text, i) and not prev.isalnum():
            continue  # '90s, 'n'
        if prev in "nN" and i >= 2 and text[i - 2] in "'‘’" and not text[i - 3 : i - 2].isalnum():
            continue  # closing of 'n'
        opening = (prev in _OPEN_CONTEXT or prev in '“”"') and (nxt.isalnum() or nxt in '“"$£€…')
        closing = not prev.isspace() and (
            nxt.isspace() or nxt in ',.;:!?)]—–-”"…' or i + 1 == len(text)
        )
        if not opening and (not closing or text[i] in "‘‚"):
            continue
        out.append(i)
    return out


def find_spans(text: str) -> list[Span]:
    """All quoted spans in ``text``, in order, without their marks; never raises."""
    double = [m.start() for m in re.finditer(r"''(?!')|[\"“”„«»‹›]", text)]
    spans = _pair(text, double, _DOUBLE_OPEN + "\"'", single=False)
    singles = _single_candidates(text, spans)
    spans += [
        s
        for s in _pair(text, singles, _SINGLE_OPEN + "'", single=True)
        if text[s.start : s.end].strip() and s.end - s.start < 600
    ]
    spans = [s for s in spans if text[s.start : s.end].strip()]
    spans.sort(key=lambda s: s.start)
    return spans
