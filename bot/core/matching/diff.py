"""Word-level alignment of a quote against a statement's wording, and the changes it shows.

Words are aligned on their stems (LCS, rapidfuzz Indel); a short quote is first placed on its
best window of the statement (rapidfuzz partial alignment over word codes). The diff covers the
span of the statement the quote matches: words outside it are shown only when they make a
truncation (a direct quote that drops three or more words at either end, PRODUCT.md) or an
extension. Each kind of change is listed once, with all the words it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from bot.core.matching.tokens import ELLIPSIS, STOPWORDS, Token, fold_typography
from bot.core.models import Change, ChangeKind, DiffOp, QuoteKind, Severity

SEVERITY = {
    ChangeKind.COSMETIC: Severity.LOW,
    ChangeKind.WORDING: Severity.MEDIUM,
    ChangeKind.TRUNCATED: Severity.MEDIUM,  # raised or lowered by what was dropped: trim_severity
    ChangeKind.EXTENDED: Severity.MEDIUM,
    ChangeKind.NEGATION: Severity.HIGH,
    ChangeKind.NUMBER: Severity.HIGH,
    ChangeKind.ENTITY: Severity.HIGH,
    ChangeKind.SPEAKER: Severity.HIGH,
}
MIN_TRIM = 3  # words dropped or added at an end (or at an ellipsis) that make a truncation
_QUIET_PUNCT = "\"'-,.;:!?()[] "


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Dropped words that change what the rest means: "if Russia returns", "unless", "not yet".
CONDITIONS = _vocabulary("if unless until provided providing whether except otherwise assuming")
QUALIFIERS = _vocabulary(
    """yet only almost nearly partly partially maybe perhaps probably possibly likely unlikely
    some most few least less more still already ever always never hardly barely mostly rather
    somewhat temporarily initially eventually might may could would should"""
)
# Dropped words that change nothing of substance: "This means that", "I think", "Look, ...".
FILLER = _vocabulary(
    """a an the and so but then now well look listen this that it it's is was i i'm you we
    think believe guess suppose mean means say said know see tell let me of course frankly
    honestly basically actually really obviously clearly simply just there here to as oh okay
    yes"""
)


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


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.key != ELLIPSIS]


def _names(tokens: list[Token], first: int, whole: list[Token]) -> list[Token]:
    """Capitalised words that are not capitalised for starting the wording or a sentence."""
    out = []
    for i, t in enumerate(tokens, first):
        before = whole[i - 1].display.rstrip("\"'”’)") if i > 0 else ""
        if i > 0 and t.capitalised and before[-1:] not in ".!?…:" and before != ELLIPSIS:
            out.append(t)
    return out


def _weighty(words: list[Token]) -> bool:
    """Words whose loss changes the sense: a negation, a number, a condition."""
    return any(t.is_negation or t.numbers or t.key in CONDITIONS for t in words)


def trim_severity(tokens: list[Token], first: int, whole: list[Token]) -> Severity:
    """How much a truncation (or extension) matters, from the words dropped (or added):
    high for a condition, negation, number, name or qualifier, low for filler."""
    words = _words(tokens)
    if _weighty(words) or any(t.key in QUALIFIERS for t in words) or _names(tokens, first, whole):
        return Severity.HIGH
    if all(t.key in FILLER for t in words):
        return Severity.LOW
    return Severity.MEDIUM


def _region_kind(
    before: list[Token], after: list[Token], b0: int, a0: int, w: list[Token], q: list[Token]
) -> ChangeKind:
    b_words, a_words = _words(before), _words(after)
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
    if any(t.stem not in a_stems for t in _names(before, b0, w)) or any(
        t.stem not in b_stems for t in _names(after, a0, q)
    ):
        return ChangeKind.ENTITY
    return ChangeKind.WORDING


class _Diff:
    """The diff and the changes, built region by region."""

    def __init__(self, w: list[Token], q: list[Token]) -> None:
        self.w, self.q = w, q
        self.ops: list[DiffOp] = []
        self.changes: list[Change] = []
        self.lead_negations = 0  # negations in words the quote adds at an end (extended)

    def emit(self, op: str, before: str, after: str) -> None:
        if self.ops and self.ops[-1].op == op:
            last = self.ops[-1]
            before = f"{last.before} {before}".strip()
            after = f"{last.after} {after}".strip()
            self.ops[-1] = DiffOp(op, before, after)
        else:
            self.ops.append(DiffOp(op, before, after))

    def change(
        self, kind: ChangeKind, before: str, after: str, severity: Severity | None = None
    ) -> None:
        self.changes.append(Change(kind, severity or SEVERITY[kind], before, after))

    def trim(self, kind: ChangeKind, tokens: list[Token], first: int) -> None:
        """Words dropped (TRUNCATED, from ``w``) or added (EXTENDED, from ``q``) as a whole."""
        whole = self.w if kind is ChangeKind.TRUNCATED else self.q
        severity = trim_severity(tokens, first, whole)
        words = _text(tokens).strip(f" {ELLIPSIS}")
        if kind is ChangeKind.TRUNCATED:
            self.emit("delete", _text(tokens), "")
            self.change(kind, words, "", severity)
        else:
            self.emit("insert", "", _text(tokens))
            self.change(kind, "", words, severity)
            self.lead_negations += sum(t.is_negation for t in tokens)

    def region(self, b1: int, b2: int, a1: int, a2: int) -> None:
        """Words ``w[b1:b2]`` printed as ``q[a1:a2]``, inside the matched span."""
        before, after = self.w[b1:b2], self.q[a1:a2]
        dropped = _words(before)
        spliced = bool(before) and not _words(after) and any(t.key == ELLIPSIS for t in after)
        if spliced and (len(dropped) >= MIN_TRIM or _weighty(dropped)):
            self.trim(ChangeKind.TRUNCATED, before, b1)
            return
        if spliced:  # a word or two left out, and the quote says so
            self.emit("delete", _text(before), "")
            self.change(ChangeKind.COSMETIC, _text(before), "")
            return
        kind = _region_kind(before, after, b1, a1, self.w, self.q)
        op = "delete" if not after else "insert" if not before else "replace"
        self.emit(op, _text(before), _text(after))
        self.change(kind, _text(before), _text(after))

    def edge(self, b1: int, b2: int, a1: int, a2: int, at_start: bool, direct: bool) -> None:
        """The words outside the matched span, at the start or the end of the quote.

        Words of the statement the quote does not reach are a truncation of a direct quote when
        three or more are gone (or fewer that carry a negation, a number or a condition), and
        otherwise out of the diff; three or more words of its own are an extension.
        """
        pair = min(b2 - b1, a2 - a1)  # words printed differently, next to the span
        if at_start:
            outer_w, inner_w = (b1, b2 - pair), (b2 - pair, b2)
            outer_q, inner_q = (a1, a2 - pair), (a2 - pair, a2)
        else:
            inner_w, outer_w = (b1, b1 + pair), (b1 + pair, b2)
            inner_q, outer_q = (a1, a1 + pair), (a1 + pair, a2)
        gone = self.w[outer_w[0] : outer_w[1]]
        added = self.q[outer_q[0] : outer_q[1]]
        cut = direct and (len(_words(gone)) >= MIN_TRIM or _weighty(_words(gone)))
        longer = len(_words(added)) >= MIN_TRIM
        mine = inner_q if longer else (a1, a2)  # a few words of its own stay in the region

        def outer() -> None:
            if cut:
                self.trim(ChangeKind.TRUNCATED, gone, outer_w[0])
            if longer:
                self.trim(ChangeKind.EXTENDED, added, outer_q[0])

        def inner() -> None:
            if inner_w[1] > inner_w[0] or mine[1] > mine[0]:
                self.region(*inner_w, *mine)

        for step in (outer, inner) if at_start else (inner, outer):
            step()

    def equal(self, i1: int, i2: int, j1: int) -> tuple[int, int]:
        """Words aligned on their stems: the same word, a cosmetic or a wording change."""
        matched = content = 0
        for k in range(i2 - i1):
            wt, qt = self.w[i1 + k], self.q[j1 + k]
            if wt.key == ELLIPSIS:
                self.emit("equal", wt.display, qt.display)
                continue
            matched += 1
            content += wt.key not in STOPWORDS
            edge = (j1 + k == 0) or (i1 + k == 0)
            if wt.key != qt.key:
                self.emit("replace", wt.display, qt.display)
                kind = ChangeKind.NUMBER if wt.numbers != qt.numbers else ChangeKind.WORDING
                self.change(kind, wt.display, qt.display)
            elif _quiet(wt.display) != _quiet(qt.display) and not (
                edge and _quiet(wt.display).lower() == _quiet(qt.display).lower()
            ):
                self.emit("replace", wt.display, qt.display)
                self.change(ChangeKind.COSMETIC, wt.display, qt.display)
            else:
                self.emit("equal", wt.display, qt.display)
        return matched, content


def merge_changes(changes: list[Change]) -> tuple[Change, ...]:
    """One change per kind, in order of first appearance, with every word it concerns."""
    merged: dict[ChangeKind, Change] = {}
    for c in changes:
        seen = merged.get(c.kind)
        if seen is None:
            merged[c.kind] = c
            continue
        severity = max(seen.severity, c.severity, key=lambda s: s.rank)
        merged[c.kind] = Change(
            c.kind, severity, _join(seen.before, c.before), _join(seen.after, c.after)
        )
    return tuple(merged.values())


def _join(a: str, b: str) -> str:
    return f"{a} … {b}" if a and b else a or b


def align(w: list[Token], q: list[Token], kind: QuoteKind = QuoteKind.DIRECT) -> Alignment:
    """Diff from the statement's words ``w`` to the quote's words ``q``, with its changes."""
    start, end = _window(w, q)
    raw = Indel.opcodes([t.stem for t in w[start:end]], [t.stem for t in q])
    ops = [
        (o.tag, o.src_start + start, o.src_end + start, o.dest_start, o.dest_end)
        for o in raw
        if o.tag == "equal"
    ]
    out = _Diff(w, q)
    quote_words = len(_words(q))
    if not ops:
        out.region(0, len(w), 0, len(q))
        return Alignment(tuple(out.ops), merge_changes(out.changes), 0, 0, quote_words)
    direct = kind is QuoteKind.DIRECT
    matched = matched_content = 0
    out.edge(0, ops[0][1], 0, ops[0][3], True, direct)
    for n, (_, i1, i2, j1, _) in enumerate(ops):
        if n:
            _, _, p2, _, q2 = ops[n - 1]
            if i1 > p2 or j1 > q2:
                out.region(p2, i1, q2, j1)
        m, c = out.equal(i1, i2, j1)
        matched += m
        matched_content += c
    out.edge(ops[-1][2], len(w), ops[-1][4], len(q), False, direct)
    if out.lead_negations and sum(t.is_negation for t in w[start:end]) == sum(
        t.is_negation for t in q
    ):
        # "The pier will not reopen" printed as "There is no way the pier reopens": the "not"
        # moved into words the quote adds at an end, the sense kept; a wording change, not a
        # negation (a "not" dropped in one clause and added in another stays one)
        out.changes = [
            Change(ChangeKind.WORDING, SEVERITY[ChangeKind.WORDING], c.before, c.after)
            if c.kind is ChangeKind.NEGATION
            else c
            for c in out.changes
        ]
    changes = merge_changes(out.changes)
    return Alignment(tuple(out.ops), changes, matched, matched_content, quote_words)
