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

from bot.core.extract.tokens import GROUPS, named

MODEL_PATH = Path(__file__).with_name("quote_model.json")
_total: Callable[[Iterable[float]], float] = sum  # typed: sum of floats is a float
_CACHE_LIMIT = 100_000  # cached group sums, all groups together (about 15 MB at most)


@dataclass(frozen=True, slots=True)
class TaggerModel:
    labels: tuple[str, ...]
    transitions: tuple[tuple[float, ...], ...]  # [previous][current]
    weights: dict[str, tuple[float, ...]]  # feature -> its weight for each label
    provenance: dict[str, object]
    content_bias: float = 0.0  # added to the content labels: recall against precision
    _caches: tuple[dict[Any, tuple[float, ...]], ...] = field(
        default_factory=lambda: tuple({} for _ in GROUPS), init=False, repr=False, compare=False
    )

    @property
    def _zero(self) -> tuple[float, ...]:
        return (0.0,) * len(self.labels)

    @property
    def _base(self) -> tuple[float, ...]:
        return tuple(self.content_bias if lab in ("B-C", "I-C") else 0.0 for lab in self.labels)

    @property
    def columns(self) -> tuple[tuple[float, ...], ...]:
        """Transition weights into each label, from every label ([current][previous])."""
        k = len(self.labels)
        return tuple(tuple(self.transitions[i][j] for i in range(k)) for j in range(k))

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
        rows: list[list[tuple[float, ...]]] = [[self._base] * n]
        for cache, group, keys in zip(caches, GROUPS, columns, strict=True):
            if group is named:  # the model's own weights: nothing to keep
                rows.append(list(map(self.weights.get, keys, repeat(self._zero))))
                continue
            column = list(map(cache.get, keys))
            if None in column:
                for t, row in enumerate(column):
                    if row is None:
                        key = keys[t]
                        row = cache.get(key)
                        if row is None:
                            row = cache[key] = self._row(group(key))
                        column[t] = row
            rows.append(column)  # type: ignore[arg-type]
        emissions: list[list[float]] = [
            list(map(_total, zip(*token, strict=True))) for token in zip(*rows, strict=True)
        ]
        return self._viterbi(emissions)

    def _row(self, names: Sequence[str]) -> tuple[float, ...]:
        """The summed weights of some features, label by label."""
        zero = self._zero
        if len(names) == 1:
            return self.weights.get(names[0], zero)
        return tuple(map(sum, zip(zero, *map(self.weights.get, names, repeat(zero)), strict=True)))

    def _viterbi(self, emissions: list[list[float]]) -> list[str]:
        k = len(self.labels)
        columns = list(enumerate(self.columns))
        add = float.__add__
        score = emissions[0]
        back: list[list[int]] = []
        for em in emissions[1:]:
            new = [0.0] * k
            ptr = [0] * k
            for j, col in columns:
                vals = list(map(add, score, col))
                best = max(vals)
                new[j] = best + em[j]
                ptr[j] = vals.index(best)
            score = new
            back.append(ptr)
        j = score.index(max(score))
        path = [j]
        for ptr in reversed(back):
            j = ptr[j]
            path.append(j)
        path.reverse()
        labels = self.labels
        return [labels[i] for i in path]


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> TaggerModel | None:
    """The committed model, or None when the file is missing (extraction then uses rules)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return TaggerModel.from_json(data)
