"""A linear-chain CRF tagger in plain Python: the learned half of quote extraction.

The model (``quote_model.json``, rebuilt by ``python -m bench.train_quotes``) labels each token
as outside (``O``), the start or inside of a quoted or reported content (``B-C``, ``I-C``), part
of a source (``S``) or of a cue (``Q``). Decoding is Viterbi over the feature weights the file
names, so extraction needs neither a download nor a native library.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("quote_model.json")


@dataclass(frozen=True, slots=True)
class TaggerModel:
    labels: tuple[str, ...]
    transitions: tuple[tuple[float, ...], ...]  # [previous][current]
    weights: dict[str, tuple[float, ...]]  # feature -> its weight for each label
    provenance: dict[str, object]
    content_bias: float = 0.0  # added to the content labels: recall against precision

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

    def tag(self, features: Sequence[Sequence[str]]) -> list[str]:
        """The most likely label sequence for one stretch of tokens (Viterbi)."""
        n = len(features)
        if n == 0:
            return []
        k = len(self.labels)
        get = self.weights.get
        base = [self.content_bias if lab in ("B-C", "I-C") else 0.0 for lab in self.labels]
        zero = repeat((0.0,) * k)
        # One C-level pass per token: each feature's row of weights, summed label by label.
        emissions: list[list[float]] = [
            list(map(sum, zip(base, *map(get, feats, zero), strict=True))) for feats in features
        ]
        columns = list(enumerate(self.columns))
        add = float.__add__
        score = emissions[0]
        back: list[list[int]] = []
        for t in range(1, n):
            em = emissions[t]
            new = [0.0] * k
            ptr = [0] * k
            for j, col in columns:
                vals = list(map(add, score, col))
                best = max(vals)
                new[j] = best + em[j]
                ptr[j] = vals.index(best)
            score = new
            back.append(ptr)
        best_last = max(score)
        j = score.index(best_last)
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
