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
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from bot.core.extract.tokens import GROUPS, Prefixed

MODEL_PATH = Path(__file__).with_name("quote_model.json")
_CACHE_LIMIT = 100_000  # cached group sums, all groups together (about 15 MB at most)


class _Sums(dict[Any, tuple[float, ...]]):
    """One feature group's summed weights by key, each summed the first time it is asked for."""

    __slots__ = ("_group", "_sum")

    def __init__(
        self,
        group: Callable[[Any], Sequence[str]],
        sum_of: Callable[[Sequence[str]], tuple[float, ...]],
    ) -> None:
        super().__init__()
        self._group = group
        self._sum = sum_of

    def __missing__(self, key: Any) -> tuple[float, ...]:
        row = self[key] = self._sum(self._group(key))
        return row


@dataclass(frozen=True, slots=True)
class TaggerModel:
    labels: tuple[str, ...]
    transitions: tuple[tuple[float, ...], ...]  # [previous][current]
    weights: dict[str, tuple[float, ...]]  # feature -> its weight for each label
    provenance: dict[str, object]
    content_bias: float = 0.0  # added to the content labels: recall against precision
    _caches: tuple[_Sums, ...] = field(init=False, repr=False, compare=False)
    _tables: tuple[dict[str, tuple[float, ...]] | None, ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # A group of one prefixed feature reads its weights from a table of the model's features
        # under that prefix, by the bare key; every other group sums its features once per key.
        tables: dict[str, dict[str, tuple[float, ...]]] = {
            str(g): {} for g in GROUPS if isinstance(g, Prefixed)
        }
        for name, row in self.weights.items():
            table = tables.get(name[: name.find("=") + 1])
            if table is not None:
                table[name[name.find("=") + 1 :]] = row
        object.__setattr__(
            self,
            "_tables",
            tuple(tables.get(g) if isinstance(g, Prefixed) else None for g in GROUPS),
        )
        caches = tuple(_Sums(g, self._row) for g in GROUPS if not isinstance(g, Prefixed))
        object.__setattr__(self, "_caches", caches)

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
        zero = self._zero
        summed = iter(caches)
        rows: list[Iterable[tuple[float, ...]]] = []
        for table, keys in zip(self._tables, columns, strict=True):
            if table is not None:  # the model's own weights: nothing to keep
                rows.append(map(table.get, keys, repeat(zero)))
            else:  # a new key is summed on the way
                rows.append(map(next(summed).__getitem__, keys))
        forward = _forward(self.transitions, self._base, len(rows))
        return self._backtrack(forward(zip(*rows, strict=True)))

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


Forward = Callable[
    [Iterable[tuple[tuple[float, ...], ...]]], tuple[list[tuple[int, ...]], tuple[float, ...]]
]


@lru_cache(maxsize=8)
def _forward(
    transitions: tuple[tuple[float, ...], ...], base: tuple[float, ...], groups: int
) -> Forward:
    """Viterbi's forward pass written out for this model's labels and feature groups.

    Each token comes as one weight row per group; the pass adds them to each label's ``base``
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
    token = (
        ", ".join("(" + "".join(f"r{g}_{i}, " for i in range(k)) + ")" for g in range(groups)) + ","
    )

    def emission(label: int) -> str:  # the label's base score first, then each group's weight
        return " + ".join([f"{float(base[label])!r}", *(f"r{g}_{label}" for g in range(groups))])

    lines = ["def forward(tokens):", "    tokens = iter(tokens)", f"    {token} = next(tokens)"]
    lines += [f"    s{i} = {emission(i)}" for i in range(k)]
    lines += ["    back = []", f"    for {token} in tokens:"]
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
