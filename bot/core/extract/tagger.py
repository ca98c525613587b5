"""A linear-chain CRF tagger in Python and numpy: the learned half of quote extraction.

The model (``quote_model.json``, rebuilt by ``python -m bench.train_quotes``) labels each token
as outside (``O``), the start or inside of a quoted or reported content (``B-C``, ``I-C``), part
of a source (``S``) or of a cue (``Q``). Decoding is Viterbi over the feature weights the file
names, so extraction needs no download and no training library. numpy sums a whole article's
label scores at once, the same additions in the same order as a token at a time in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.extract.tokens import END, GROUPS, PAIR_AT, START, WORD_AT, Prefixed

MODEL_PATH = Path(__file__).with_name("quote_model.json")
_CACHE_LIMIT = 100_000  # cached group sums, all groups together (about 15 MB at most)


class _Rows(dict[Any, int]):
    """Keys numbered in the order they are first asked for, each key's rows of weights kept in
    ``matrix`` at its number (one plane per row: ``matrix[p][i]`` is row p of key i), so the
    decoder gathers a whole article's rows with a numpy ``take``. A new key's rows are made by
    ``make``, unless there is none (a fixed table). The ``fixed`` keys (their rows ``block``,
    ``block[p][j]`` row p of ``fixed[j]``) come first and survive ``clear``."""

    __slots__ = ("_block", "_fixed", "_make", "matrix")

    def __init__(
        self,
        fixed: Sequence[Any],
        block: np.ndarray,
        make: Callable[[Any], Sequence[Row]] | None = None,
    ) -> None:
        super().__init__()
        self._make = make
        self._fixed = tuple(fixed)
        self._block = block
        planes, _, labels = block.shape
        self.matrix = np.zeros((planes, max(64, 2 * len(fixed)), labels))
        self.clear()

    def __missing__(self, key: Any) -> int:
        if self._make is None:
            raise KeyError(key)
        i = self[key] = len(self)
        self._room(i + 1)
        self.matrix[:, i] = self._make(key)
        return i

    def add_block(self, keys: Sequence[Any], block: np.ndarray) -> None:
        """Number new ``keys`` at once, ``block[p][j]`` being row p of ``keys[j]``."""
        i = len(self)
        self.update(zip(keys, range(i, i + len(keys)), strict=True))
        self._room(i + len(keys))
        self.matrix[:, i : i + len(keys)] = block

    def _room(self, size: int) -> None:
        """Grow the matrix (doubling) until it holds ``size`` keys."""
        have = self.matrix.shape[1]
        if size > have:
            while have < size:
                have *= 2
            grown = np.zeros((self.matrix.shape[0], have, self.matrix.shape[2]))
            grown[:, : self.matrix.shape[1]] = self.matrix
            self.matrix = grown

    def clear(self) -> None:
        super().clear()
        self.add_block(self._fixed, self._block)


Row = tuple[float, ...]
Layout = tuple[tuple[int, int | None], ...]  # group -> (column, field of the column's item)
_NONE = object()  # the key of a fixed table's row of zeros: what a key it lacks reads


@dataclass(frozen=True, slots=True)
class TaggerModel:
    labels: tuple[str, ...]
    transitions: tuple[tuple[float, ...], ...]  # [previous][current]
    weights: dict[str, tuple[float, ...]]  # feature -> its weight for each label
    provenance: dict[str, object]
    content_bias: float = 0.0  # added to the content labels: recall against precision
    # the weights as one array: row i the i-th feature of ``weights``, then a row of zeros
    matrix: np.ndarray = field(init=False, repr=False, compare=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _caches: tuple[_Rows, ...] = field(init=False, repr=False, compare=False)
    _tables: tuple[_Rows | None, ...] = field(init=False, repr=False, compare=False)
    _pairs: _Rows = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A group of one prefixed feature reads its weights from a fixed table of the model's
        # features under that prefix, by the bare key; the other groups sum their features
        # once per key. A token's word is looked up once for its own group and the WORD_AT
        # groups (one record of rows, made the first time the word is met), a pair of
        # neighbours once for the PAIR_AT groups.
        set_ = object.__setattr__
        k, zero = len(self.labels), self._zero
        index = dict(zip(self.weights, range(len(self.weights)), strict=True))
        nothing = len(index)  # the row of zeros
        set_(self, "matrix", np.array([*self.weights.values(), zero], dtype=float))
        set_(self, "_index", index)
        tables: dict[str, dict[str, int]] = {str(g): {} for g in GROUPS if isinstance(g, Prefixed)}
        for name, i in index.items():
            table = tables.get(name[: name.find("=") + 1])
            if table is not None:
                table[name[name.find("=") + 1 :]] = i
        take = self.matrix.take

        def fixed(keys: Sequence[Any], *rows: Sequence[int]) -> _Rows:
            return _Rows(keys, np.stack([take(list(r), axis=0) for r in rows]))

        own = tuple(
            fixed([_NONE, *tables[group]], [nothing, *tables[group].values()])
            if isinstance(group, Prefixed) and g not in WORD_AT and g not in PAIR_AT
            else None
            for g, group in enumerate(GROUPS)
        )
        paired = [tables[str(GROUPS[g])] for g in PAIR_AT]
        keys = list(dict.fromkeys(key for table in paired for key in table))
        pairs = fixed(
            [_NONE, *keys], *([nothing, *map(t.get, keys, repeat(nothing))] for t in paired)
        )
        edges = [[zero, *(self._group_row(g, w) for g in WORD_AT)] for w in (START, END)]
        block = np.array(edges, dtype=float).transpose(1, 0, 2)  # [plane][edge][label]
        memos = [_Rows([START, END], block, self._record)]
        for g, group in enumerate(GROUPS):
            if g and g not in WORD_AT and g not in PAIR_AT and own[g] is None:
                memos.append(_Rows([], np.zeros((1, 0, k)), partial(self._summed, group)))
        set_(self, "_tables", own)
        set_(self, "_pairs", pairs)
        set_(self, "_caches", tuple(memos))

    def _summed(self, group: Callable[[Any], Sequence[str]], key: Any) -> tuple[Row]:
        return (self._row(group(key)),)

    def _group_row(self, g: int, key: str) -> Row:
        """Group ``g``'s summed weights for ``key``."""
        group = GROUPS[g]
        return self._row(group(key))

    def _record(self, word: str) -> tuple[Row, ...]:
        """A word's rows: its own group's, then each WORD_AT group's for its lowercase form."""
        low = word.lower()
        return (self._row(GROUPS[0](word)), *(self._group_row(g, low) for g in WORD_AT))

    def _records(self, words: Sequence[str]) -> np.ndarray:
        """``_record`` of many new words at once: ``[p][j]`` is row p of ``words[j]``."""
        low = list(map(str.lower, words))
        planes = [self._rows(map(GROUPS[0], words))]
        planes += [self._rows(map(GROUPS[g], low)) for g in WORD_AT]
        return np.stack(planes)

    def _rows(self, names: Iterable[tuple[str, ...]]) -> np.ndarray:
        """``_row`` of each list of feature names, as one array: each label's weights added in
        the names' order, as ``_row`` adds them. A shorter list is padded with zeros at its
        end, which can turn a sum of -0.0 into 0.0 and changes nothing else (no comparison
        and no later sum tells the two apart)."""
        lists = list(names)
        width = max(map(len, lists))
        index, nothing = self._index, len(self._index)
        padded: Iterable[Any] = chain.from_iterable(
            lists
            if width == min(map(len, lists))
            else (n + (_NONE,) * (width - len(n)) for n in lists)
        )
        found = np.fromiter(map(index.get, padded, repeat(nothing)), np.intp, len(lists) * width)
        rows = self.matrix.take(found, axis=0).reshape(len(lists), width, len(self.labels))
        if width == 1:
            return rows[:, 0]
        total = np.zeros((len(lists), len(self.labels)))
        for i in range(width):
            total += rows[:, i]
        return total

    @property
    def _zero(self) -> tuple[float, ...]:
        return (0.0,) * len(self.labels)

    @property
    def _base(self) -> tuple[float, ...]:
        return tuple(self.content_bias if lab in ("B-C", "I-C") else 0.0 for lab in self.labels)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> TaggerModel:
        labels = tuple(str(x) for x in data["labels"])  # type: ignore[attr-defined]
        trans = tuple(tuple(float(w) for w in row) for row in data["transitions"])  # type: ignore[attr-defined]
        raw = data["features"]
        assert isinstance(raw, dict)
        weights: dict[str, tuple[float, ...]] = {}
        for name, flat in raw.items():
            row = [0.0] * len(labels)
            for i in range(0, len(flat), 2):
                row[int(flat[i])] = float(flat[i + 1])
            weights[name] = tuple(row)
        prov = data.get("provenance", {})
        bias = data.get("content_bias", 0.0)
        provenance = dict(prov) if isinstance(prov, dict) else {}
        return cls(labels, trans, weights, provenance, float(bias))  # type: ignore[arg-type]

    def tag(self, columns: Sequence[Sequence[Any]]) -> list[str]:
        """The most likely labels of one stretch of tokens, given its group keys
        (what ``tokens.token_groups`` returns, a column of keys per feature group)."""
        return self.tag_stretches([columns])[0]

    def tag_stretches(self, stretches: Sequence[Sequence[Sequence[Any]]]) -> list[list[str]]:
        """The most likely labels of each stretch (a paragraph), decoded one at a time.

        A group's weights are summed once per distinct key and kept, so a word or a context
        seen before costs one dictionary lookup; the label scores of every token of all the
        stretches are then summed at once with numpy, group after group in GROUPS' order (the
        same additions in the same order as a token at a time: the same floats), and only
        Viterbi's recursion over the labels runs a token at a time.
        """
        full = [columns for columns in stretches if columns and columns[0]]
        if not full:
            return [[] for _ in stretches]
        caches = self._caches
        if sum(map(len, caches)) > _CACHE_LIMIT:  # a long run: memory stays bounded
            for cache in caches:
                cache.clear()
        flat = iter(self._scores(full).ravel().tolist())  # one list: fewer objects than rows
        scores = zip(*repeat(flat, len(self.labels)), strict=True)  # token by token
        forward = _forward(self.transitions, self._base, ())
        out = []
        for columns in stretches:
            n = len(columns[0]) if columns else 0
            out.append(self._backtrack(forward(islice(scores, n))) if n else [])
        return out

    def _scores(self, stretches: Sequence[Sequence[Sequence[Any]]]) -> np.ndarray:
        """Every token's label scores, the stretches one after another: the content bias, then
        each group's row in GROUPS' order. Each stretch's words are read with ``_PAD`` edge
        words either side, and its pairs of neighbours at the same places, so that a WORD_AT
        or PAIR_AT group reads its row at its offset from the token."""
        records, *memos = self._caches
        words: list[str] = []
        pairs: list[str | None] = []
        edge_pairs = (None,) * (_PAD - 1)  # a key no table holds: zeros
        start, end = (START,) * _PAD, (END,) * _PAD
        for columns in stretches:
            words += start
            words += columns[0]
            words += end
            pairs += edge_pairs
            pairs.append(None)
            pairs += columns[_PAIR_FIRST]  # the pair before each token, then the last pair
            pairs.append(columns[_PAIR_LAST][-1])
            pairs += edge_pairs
        ids = np.fromiter(map(records.get, words, repeat(-1)), np.intp, len(words))
        missing = np.flatnonzero(ids < 0).tolist()
        if missing:  # words met for the first time: their rows made together
            new = list(dict.fromkeys(map(words.__getitem__, missing)))
            records.add_block(new, self._records(new))
            ids[missing] = list(map(records.__getitem__, map(words.__getitem__, missing)))
        at = np.flatnonzero(ids >= 2)  # the tokens: ids 0 and 1 are the edges
        pair_ids = np.fromiter(map(self._pairs.get, pairs, repeat(0)), np.intp, len(pairs))
        planes = records.matrix
        total = np.add(self._base, planes[0].take(ids.take(at), axis=0))
        memo = iter(memos)
        for g in range(1, len(GROUPS)):
            if g in WORD_AT:
                total += planes[_PLANE[g]].take(ids.take(at + WORD_AT[g]), axis=0)
                continue
            if g in PAIR_AT:
                found = pair_ids.take(at + PAIR_AT[g])
                total += self._pairs.matrix[_PAIR_PLANE[g]].take(found, axis=0)
                continue
            keys = chain.from_iterable(columns[g] for columns in stretches)
            table = self._tables[g]
            if table is not None:  # the model's own weights: a key it lacks reads zeros
                found = np.fromiter(map(table.get, keys, repeat(0)), np.intp)
            else:  # a new key is summed on the way (and the matrix may grow)
                table = next(memo)
                found = np.fromiter(map(table.__getitem__, keys), np.intp)
            total += table.matrix[0].take(found, axis=0)
        return total

    def _row(self, names: Sequence[str]) -> tuple[float, ...]:
        """The summed weights of some features, label by label."""
        zero = self._zero
        if len(names) == 1:
            return self.weights.get(names[0], zero)
        return tuple(map(sum, zip(zero, *map(self.weights.get, names, repeat(zero)), strict=True)))

    def _backtrack(self, forward: tuple[list[tuple[int, ...]], tuple[float, ...]]) -> list[str]:
        """The best path, read back from the forward pass's pointers (Viterbi's second half)."""
        pointers, last = forward
        j = last.index(max(last))
        path = [j]
        for back in reversed(pointers):
            j = back[j]
            path.append(j)
        path.reverse()
        labels = self.labels
        return [labels[i] for i in path]


_PAD = max(map(abs, WORD_AT.values()))
_PLANE = {g: 1 + p for p, g in enumerate(WORD_AT)}  # a WORD_AT group's plane in a word record
_PAIR_PLANE = {g: p for p, g in enumerate(PAIR_AT)}
_PAIR_FIRST = next(g for g, o in PAIR_AT.items() if o == 0)  # pairs[:n] of token_groups
_PAIR_LAST = next(g for g, o in PAIR_AT.items() if o == 1)  # pairs[1:]
assert sorted(PAIR_AT.values()) == [0, 1] and _PAD >= 1


Forward = Callable[
    [Iterable[tuple[tuple[float, ...], ...]]], tuple[list[tuple[int, ...]], tuple[float, ...]]
]


@lru_cache(maxsize=8)
def _forward(
    transitions: tuple[tuple[float, ...], ...], base: tuple[float, ...], layout: Layout
) -> Forward:
    """Viterbi's forward pass written out for this model's labels and feature groups.

    Each token comes as one item per column: group g's row is column c's item itself when
    ``layout[g]`` is (c, None), or field f of it when (c, f) (a word's record of rows read once
    for several groups); the pass adds the rows to each label's ``base``
    score (the content bias) to make the token's label scores, and keeps, for each label, the
    best score of a path ending there and the label that path comes from (its back-pointer).
    It returns the pointers of every token after the first and the last token's scores. With no
    groups (an empty ``layout``) each token is its label scores, the base already in them.
    Written as generic loops over labels and groups this is most of extraction's time; spelled
    out, with the base and transition weights as constants and one name per value, and the
    best way into a label found by comparisons rather than a call to max(), it runs more than
    twice as fast, with the same additions in the same order (so the same answers, ties
    included: the first of the highest, as max() keeps). The source is generated from the
    model's numbers only (``repr`` of floats) and compiled once per model.
    """
    k = len(transitions)
    scores = ", ".join(f"s{i}" for i in range(k))
    groups = len(layout)

    def row(g: int) -> str:
        return "(" + "".join(f"r{g}_{i}, " for i in range(k)) + ")"

    # Each token is one item per column: a group's row itself, or a record whose field is it.
    plain = {c: g for g, (c, f) in enumerate(layout) if f is None}
    columns = range(1 + max((c for c, _ in layout), default=-1))
    token = ", ".join(row(plain[c]) if c in plain else f"c{c}" for c in columns) + ","
    fields = [f"{row(g)} = c{c}[{f}]" for g, (c, f) in enumerate(layout) if f is not None]
    if not layout:  # no groups: each token is its label scores, the base already in them
        token = ", ".join(f"e{i}" for i in range(k))

    def emission(label: int) -> str:  # the label's base score first, then each group's weight
        if not layout:
            return f"e{label}"
        return " + ".join([f"{float(base[label])!r}", *(f"r{g}_{label}" for g in range(groups))])

    lines = ["def forward(tokens):", "    tokens = iter(tokens)", f"    {token} = next(tokens)"]
    lines += [f"    {line}" for line in fields]
    lines += [f"    s{i} = {emission(i)}" for i in range(k)]
    lines += ["    back = []", f"    for {token} in tokens:"]
    lines += [f"        {line}" for line in fields]
    for j in range(k):  # the best way into label j
        lines.append(f"        n{j} = s0 + {float(transitions[0][j])!r}")
        lines.append(f"        b{j} = 0")
        for i in range(1, k):
            lines.append(f"        x = s{i} + {float(transitions[i][j])!r}")
            lines.append(f"        if x > n{j}: n{j} = x; b{j} = {i}")
        lines.append(f"        n{j} += {emission(j)}")
    lines.append(f"        {scores} = " + ", ".join(f"n{i}" for i in range(k)))
    lines.append("        back.append((" + ", ".join(f"b{i}" for i in range(k)) + ",))")
    lines.append(f"    return back, ({scores},)")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<viterbi forward, {k} labels>", "exec"), namespace)
    forward: Forward = namespace["forward"]
    return forward


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> TaggerModel | None:
    """The committed model, or None when the file is missing (extraction then uses rules)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return TaggerModel.from_json(data)
