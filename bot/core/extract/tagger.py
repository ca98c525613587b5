"""A linear-chain CRF tagger in plain Python: the learned half of quote extraction.

The model (``quote_model.json``, rebuilt by ``python -m bench.train_quotes``) labels each token
as outside (``O``), the start or inside of a quoted or reported content (``B-C``, ``I-C``), part
of a source (``S``) or of a cue (``Q``). Decoding is Viterbi over the feature weights the file
names, so extraction needs neither a download nor a native library.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import repeat
from pathlib import Path
from typing import Any

from bot.core.extract.tokens import END, GROUPS, PAIR_AT, START, WORD_AT, Prefixed

MODEL_PATH = Path(__file__).with_name("quote_model.json")
_CACHE_LIMIT = 100_000  # cached group sums, all groups together (about 15 MB at most)


class _Memo(dict[Any, Any]):
    """Values made from their key the first time it is asked for, and kept."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._make(key)
        return value


Row = tuple[float, ...]
Layout = tuple[tuple[int, int | None], ...]  # group -> (column, field of the column's item)


@dataclass(frozen=True, slots=True)
class TaggerModel:
    labels: tuple[str, ...]
    transitions: tuple[tuple[float, ...], ...]  # [previous][current]
    weights: dict[str, tuple[float, ...]]  # feature -> its weight for each label
    provenance: dict[str, object]
    content_bias: float = 0.0  # added to the content labels: recall against precision
    _caches: tuple[_Memo, ...] = field(init=False, repr=False, compare=False)
    _tables: tuple[dict[str, Row] | None, ...] = field(init=False, repr=False, compare=False)
    _pairs: dict[str, tuple[Row, ...]] = field(init=False, repr=False, compare=False)
    _edges: tuple[tuple[Row, ...], tuple[Row, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A group of one prefixed feature reads its weights from a table of the model's features
        # under that prefix, by the bare key; every other group sums its features once per key.
        # A token's word is looked up once for its own group and the WORD_AT groups (one record
        # of rows, made the first time the word is met), a pair of neighbours once for the
        # PAIR_AT groups.
        tables: dict[str, dict[str, Row]] = {str(g): {} for g in GROUPS if isinstance(g, Prefixed)}
        for name, row in self.weights.items():
            table = tables.get(name[: name.find("=") + 1])
            if table is not None:
                table[name[name.find("=") + 1 :]] = row
        own = tuple(tables.get(g) if isinstance(g, Prefixed) else None for g in GROUPS)
        set_ = object.__setattr__
        set_(self, "_tables", own)
        paired = [t for g in PAIR_AT if (t := own[g]) is not None]
        assert len(paired) == len(PAIR_AT), "the PAIR_AT groups are Prefixed"
        zero = self._zero
        set_(self, "_pairs", {k: tuple(t.get(k, zero) for t in paired) for t in paired for k in t})
        edge = tuple((zero, *(self._group_row(g, w) for g in WORD_AT)) for w in (START, END))
        set_(self, "_edges", edge)
        memos = [_Memo(self._record)]
        for g, group in enumerate(GROUPS):
            if g and g not in WORD_AT and g not in PAIR_AT and own[g] is None:
                memos.append(_Memo(partial(self._summed, group)))
        set_(self, "_caches", tuple(memos))

    def _summed(self, group: Callable[[Any], Sequence[str]], key: Any) -> Row:
        return self._row(group(key))

    def _group_row(self, g: int, key: str) -> Row:
        """Group ``g``'s summed weights for ``key``."""
        table = self._tables[g]
        return table.get(key, self._zero) if table is not None else self._row(GROUPS[g](key))

    def _record(self, word: str) -> tuple[Row, ...]:
        """A word's rows: its own group's, then each WORD_AT group's for its lowercase form."""
        low = word.lower()
        return (self._row(GROUPS[0](word)), *(self._group_row(g, low) for g in WORD_AT))

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
        """The most likely labels of one stretch of tokens, given its group keys.

        ``columns`` is what ``tokens.token_groups`` returns, a column of keys per feature group:
        a group's weights are summed once per distinct key and kept, so a word or a context
        seen before costs one dictionary lookup.
        """
        n = len(columns[0]) if columns else 0
        if n == 0:
            return []
        caches = self._caches
        if sum(map(len, caches)) > _CACHE_LIMIT:  # a long run: memory stays bounded
            for cache in caches:
                cache.clear()
        rows = self._columns(columns, n)
        forward = _forward(self.transitions, self._base, _LAYOUT)
        return self._backtrack(forward(zip(*rows, strict=True)))

    def _columns(self, columns: Sequence[Sequence[Any]], n: int) -> list[Iterable[Any]]:
        """What the forward pass reads (_LAYOUT): the word records at each WORD_AT offset, the
        pair records at each PAIR_AT offset, then every other group's rows."""
        zero = self._zero
        records, *memos = self._caches
        start, end = self._edges
        pad = _PAD
        padded = [*repeat(start, pad), *map(records.__getitem__, columns[0]), *repeat(end, pad)]
        out: list[Iterable[Any]] = [padded[pad + o : pad + o + n] for o in _WORD_OFFSETS]
        low, high = _PAIR_OFFSETS[0], _PAIR_OFFSETS[-1]
        keys = [*columns[_PAIR_FIRST], *columns[_PAIR_LAST][n - (high - low) :]]
        pairs = list(map(self._pairs.get, keys, repeat((zero,) * len(PAIR_AT))))
        out += [pairs[o - low : o - low + n] for o in _PAIR_OFFSETS]
        memo = iter(memos)
        for g in _OTHERS:
            table = self._tables[g]
            if table is not None:  # the model's own weights: nothing to keep
                out.append(map(table.get, columns[g], repeat(zero)))
            else:  # a new key is summed on the way
                out.append(map(next(memo).__getitem__, columns[g]))
        return out

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


_WORD_OFFSETS = tuple(sorted({0, *WORD_AT.values()}))
_PAIR_OFFSETS = tuple(sorted(set(PAIR_AT.values())))
_PAD = max(map(abs, _WORD_OFFSETS))
_PAIR_FIRST = next(g for g, o in PAIR_AT.items() if o == _PAIR_OFFSETS[0])
_PAIR_LAST = next(g for g, o in PAIR_AT.items() if o == _PAIR_OFFSETS[-1])
_OTHERS = tuple(g for g in range(1, len(GROUPS)) if g not in WORD_AT and g not in PAIR_AT)
_LAYOUT: Layout = (
    (_WORD_OFFSETS.index(0), 0),
    *(
        (_WORD_OFFSETS.index(WORD_AT[g]), 1 + list(WORD_AT).index(g))
        if g in WORD_AT
        else (len(_WORD_OFFSETS) + _PAIR_OFFSETS.index(PAIR_AT[g]), list(PAIR_AT).index(g))
        if g in PAIR_AT
        else (len(_WORD_OFFSETS) + len(_PAIR_OFFSETS) + _OTHERS.index(g), None)
        for g in range(1, len(GROUPS))
    ),
)


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
    It returns the pointers of every token after the first and the last token's scores.
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
    columns = range(1 + max(c for c, _ in layout))
    token = ", ".join(row(plain[c]) if c in plain else f"c{c}" for c in columns) + ","
    fields = [f"{row(g)} = c{c}[{f}]" for g, (c, f) in enumerate(layout) if f is not None]

    def emission(label: int) -> str:  # the label's base score first, then each group's weight
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
