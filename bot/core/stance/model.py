"""The trained stance model: two stages of gradient-boosted trees, evaluated in pure Python.

Stage one says whether a body is about a claim (related or unrelated); stage two, for a related
body, whether it supports, disputes or discusses it. Stage two's probabilities are blended with a
bag of words (a linear model over the stems of the claim and of its closest sentences: it learnt
which words go with a debunking, a confirmation or a relayed report). All were trained by
`bench/train_stance.py` on FNC-1's training data and exported to ``stance_model.json`` beside
this module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.stance.features import FEATURES, Weights

MODEL_PATH = Path(__file__).with_name("stance_model.json")
STANCES = ("support", "dispute", "discuss")

# A tree is a list of nodes: [feature, threshold, left, right] or a leaf [value].
Tree = list[list[float]]


def _tree_value(tree: Tree, x: Sequence[float]) -> float:
    node = tree[0]
    while len(node) == 4:
        node = tree[int(node[2]) if x[int(node[0])] <= node[1] else int(node[3])]
    return node[0]


@dataclass(frozen=True, slots=True)
class Forest:
    """Boosted trees: ``baseline[k]`` plus the sum of class ``k``'s trees is its raw score."""

    baseline: tuple[float, ...]
    trees: tuple[tuple[Tree, ...], ...]  # per iteration, one tree per class

    def raw(self, x: Sequence[float]) -> list[float]:
        out = list(self.baseline)
        for iteration in self.trees:
            for k, tree in enumerate(iteration):
                out[k] += _tree_value(tree, x)
        return out

    @classmethod
    def load(cls, data: dict[str, Any]) -> Forest:
        return cls(tuple(data["baseline"]), tuple(tuple(it) for it in data["trees"]))


@dataclass(frozen=True, slots=True)
class Bag:
    """A multinomial linear model over present words; ``alpha`` is its share of the blend."""

    coefficients: Mapping[str, tuple[float, float, float]]
    intercept: tuple[float, float, float]
    alpha: float

    def probabilities(self, present: Collection[str]) -> tuple[float, float, float]:
        raw = list(self.intercept)
        for word in sorted(present):  # a fixed order: the same sums whatever the hash seed
            c = self.coefficients.get(word)
            if c is not None:
                raw[0] += c[0]
                raw[1] += c[1]
                raw[2] += c[2]
        return _softmax(raw)

    @classmethod
    def load(cls, data: dict[str, Any]) -> Bag:
        words = data["words"].items()
        coefficients = {w: (float(c[0]), float(c[1]), float(c[2])) for w, c in words}
        i = data["intercept"]
        return cls(coefficients, (float(i[0]), float(i[1]), float(i[2])), float(data["alpha"]))


def _softmax(raw: Sequence[float]) -> tuple[float, float, float]:
    top = max(raw)
    exp = [math.exp(r - top) for r in raw]
    total = sum(exp)
    return (exp[0] / total, exp[1] / total, exp[2] / total)


@dataclass(frozen=True, slots=True)
class Prediction:
    """P(related), and P(support|dispute|discuss given related), zero when not related."""

    related: float
    stances: tuple[float, float, float]
    is_related: bool
    stance: str  # one of STANCES, or "unrelated"


@dataclass(frozen=True, slots=True)
class StanceModel:
    weights: Weights
    related: Forest
    stance: Forest
    threshold: float  # P(related) from which a body counts as related
    class_weights: tuple[float, float, float]  # multiply stage-two probabilities before argmax
    features: tuple[str, ...]
    bag: Bag | None = None

    def predict(
        self, x: Sequence[float], words: Callable[[], Collection[str]] | None = None
    ) -> Prediction:
        """The verdict on feature vector ``x``; ``words`` gives the bag's words, when it has one,
        and is called only for a related pair (most are not)."""
        p_related = 1.0 / (1.0 + math.exp(-self.related.raw(x)[0]))
        if p_related < self.threshold:  # stage two is not needed: most pairs end here
            return Prediction(p_related, (0.0, 0.0, 0.0), False, "unrelated")
        probs = _softmax(self.stance.raw(x))
        if self.bag is not None and words is not None:
            a = self.bag.alpha
            bag = self.bag.probabilities(words())
            probs = (
                (1 - a) * probs[0] + a * bag[0],
                (1 - a) * probs[1] + a * bag[1],
                (1 - a) * probs[2] + a * bag[2],
            )
        weighted = [p * w for p, w in zip(probs, self.class_weights, strict=True)]
        best = max(range(3), key=lambda k: weighted[k])
        return Prediction(p_related, probs, True, STANCES[best])


def model_from_dict(data: dict[str, Any]) -> StanceModel:
    """A model from its exported form; refuses one trained on other features."""
    if tuple(data["features"]) != FEATURES:
        raise ValueError("stance model was trained on other features: retrain it")
    idf = data["idf"]
    return StanceModel(
        weights=Weights(int(idf["documents"]), dict(idf["df"])),
        related=Forest.load(data["related"]),
        stance=Forest.load(data["stance"]),
        threshold=float(data["threshold"]),
        class_weights=(
            float(data["class_weights"][0]),
            float(data["class_weights"][1]),
            float(data["class_weights"][2]),
        ),
        features=FEATURES,
        bag=Bag.load(data["bag"]) if data.get("bag") else None,
    )


def load_model(path: Path | str = MODEL_PATH) -> StanceModel:
    with open(path, encoding="utf-8") as fh:
        return model_from_dict(json.load(fh))


@lru_cache(maxsize=1)
def default_model() -> StanceModel:
    """The committed model, read once per process."""
    return load_model(MODEL_PATH)
