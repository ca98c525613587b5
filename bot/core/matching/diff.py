"""Word-level alignment of a quote against a statement's wording, and the changes it shows.

Words are aligned on their stems (LCS, rapidfuzz Indel); a short quote is first placed on its
best window of the statement (rapidfuzz partial alignment over word codes) so a trim is seen as
a truncation rather than as words scattered over the whole statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from bot.core.matching.tokens import ELLIPSIS, Token, fold_typography
from bot.core.models import Change, ChangeKind, DiffOp, Severity

SEVERITY = {
    ChangeKind.COSMETIC: Severity.LOW,
    ChangeKind.WORDING: Severity.MEDIUM,
    ChangeKind.TRUNCATED: Severity.MEDIUM,
    ChangeKind.EXTENDED: Severity.MEDIUM,
    ChangeKind.NEGATION: Severity.HIGH,
    ChangeKind.NUMBER: Severity.HIGH,
    ChangeKind.ENTITY: Severity.HIGH,
    ChangeKind.SPEAKER: Severity.HIGH,
}
_QUIET_PUNCT = "\"'-,.;:!?()[] "


@dataclass(frozen=True, slots=True)
class Alignment:
    diff: tuple[DiffOp, ...]
    changes: tuple[Change, ...]
    matched: int  # quote words aligned to an equal statement word (by stem)
    matched_content: int  # of which not stop words
    quote_words: int  # quote words, ellipses not counted


def _codes(a: list[Token], b: list[Token]) -> tuple[str, str]:
    table: dict[str, str] = {}
    enc = [[table.setdefault(t.stem, chr(0x10000 + len(table))) for t in side] for side in (a, b)]
    return "".join(enc[0]), "".join(enc[1])


def _window(w: list[Token], q: list[Token]) -> tuple[int, int]:
    """The part of ``w`` that a much shorter ``q`` is taken from, with a little slack."""
    if len(q) * 3 >= len(w) * 2 or not q:
        return 0, len(w)
    qs, ws = _codes(q, w)
    found = fuzz.partial_ratio_alignment(qs, ws)
    if found is None:
        return 0, len(w)
    slack = max(2, len(q) // 4)
    return max(0, found.dest_start - slack), min(len(w), found.dest_end + slack)


def _text(tokens: list[Token]) -> str:
    return " ".join(t.display for t in tokens)


def _quiet(display: str) -> str:
    return fold_typography(display).strip(_QUIET_PUNCT)


def _region_kind(
    before: list[Token], after: list[Token], at_start: bool, at_end: bool, b0: int, a0: int
) -> ChangeKind:
    b_words = [t for t in before if t.key != ELLIPSIS]
    a_words = [t for t in after if t.key != ELLIPSIS]
    if not a_words and (at_start or at_end or any(t.key == ELLIPSIS for t in after)):
        return ChangeKind.TRUNCATED
    if not b_words and (at_start or at_end):
        return ChangeKind.EXTENDED
    if not b_words and not a_words:
        return ChangeKind.COSMETIC
    if sum(t.is_negation for t in b_words) != sum(t.is_negation for t in a_words):
        return ChangeKind.NEGATION
    b_nums = sorted(n for t in b_words for n in t.numbers)
    a_nums = sorted(n for t in a_words for n in t.numbers)
    if b_nums != a_nums:
        return ChangeKind.NUMBER
    a_stems = {t.stem for t in a_words}
    b_stems = {t.stem for t in b_words}
    names_before = [t for i, t in enumerate(before, b0) if i > 0 and t.capitalised]
    names_after = [t for i, t in enumerate(after, a0) if i > 0 and t.capitalised]
    if any(t.stem not in a_stems for t in names_before) or any(
        t.stem not in b_stems for t in names_after
    ):
        return ChangeKind.ENTITY
    return ChangeKind.WORDING


def align(w: list[Token], q: list[Token], stopwords: frozenset[str]) -> Alignment:
    """Diff from the statement's words ``w`` to the quote's words ``q``, with its changes."""
    start, end = _window(w, q)
    raw = Indel.opcodes([t.stem for t in w[start:end]], [t.stem for t in q])
    ops: list[tuple[str, int, int, int, int]] = []
    if start:
        ops.append(("delete", 0, start, 0, 0))
    ops.extend(
        (o.tag, o.src_start + start, o.src_end + start, o.dest_start, o.dest_end) for o in raw
    )
    if end < len(w):
        ops.append(("delete", end, len(w), len(q), len(q)))

    diff: list[DiffOp] = []
    changes: list[Change] = []
    matched = matched_content = 0

    def emit(op: str, before: str, after: str) -> None:
        if diff and diff[-1].op == op:
            last = diff[-1]
            before = f"{last.before} {before}".strip()
            after = f"{last.after} {after}".strip()
            diff[-1] = DiffOp(op, before, after)
        else:
            diff.append(DiffOp(op, before, after))

    def change(kind: ChangeKind, before: str, after: str) -> None:
        changes.append(Change(kind, SEVERITY[kind], before, after))

    i = 0
    while i < len(ops):
        tag, i1, i2, j1, j2 = ops[i]
        if tag == "equal":
            for k in range(i2 - i1):
                wt, qt = w[i1 + k], q[j1 + k]
                if wt.key == ELLIPSIS:
                    emit("equal", wt.display, qt.display)
                    continue
                matched += 1
                matched_content += wt.key not in stopwords
                edge = (j1 + k == 0) or (i1 + k == 0)
                if wt.key != qt.key:
                    emit("replace", wt.display, qt.display)
                    kind = ChangeKind.NUMBER if wt.numbers != qt.numbers else ChangeKind.WORDING
                    change(kind, wt.display, qt.display)
                elif _quiet(wt.display) != _quiet(qt.display) and not (
                    edge and _quiet(wt.display).lower() == _quiet(qt.display).lower()
                ):
                    emit("replace", wt.display, qt.display)
                    change(ChangeKind.COSMETIC, wt.display, qt.display)
                else:
                    emit("equal", wt.display, qt.display)
            i += 1
            continue
        # a run of non-equal ops is one region of change
        b1, b2, a1, a2 = i1, i2, j1, j2
        while i + 1 < len(ops) and ops[i + 1][0] != "equal":
            i += 1
            b2, a2 = max(b2, ops[i][2]), max(a2, ops[i][4])
        before, after = w[b1:b2], q[a1:a2]
        at_start = b1 == 0 and a1 == 0
        at_end = b2 == len(w) and a2 == len(q)
        kind = _region_kind(before, after, at_start, at_end, b1, a1)
        op = "delete" if not after else "insert" if not before else "replace"
        emit(op, _text(before), _text(after))
        change(kind, _text(before), _text(after))
        i += 1
    quote_words = sum(t.key != ELLIPSIS for t in q)
    return Alignment(tuple(diff), tuple(changes), matched, matched_content, quote_words)
