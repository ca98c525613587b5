"""The stance model: the committed file loads, and a retrain on a slice of FNC-1 matches sklearn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Collection

import pytest

from bot.core.models import Stance
from bot.core.stance import judge_stance
from bot.core.stance.features import FEATURES, read_body, vector
from bot.core.stance.model import MODEL_PATH, default_model, load_model, model_from_dict
from tests.conftest import REPO, SHARED

FNC = SHARED / "data" / "fnc-1-train"


def test_the_committed_model_loads_and_names_its_provenance() -> None:
    model = default_model()
    assert model.features == FEATURES
    assert model.related.trees and model.stance.trees
    assert MODEL_PATH.stat().st_size < 5_000_000
    provenance = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["provenance"]
    assert "FNC-1" in provenance["data"] and provenance["command"].startswith("python -m bench")


def test_a_model_trained_on_other_features_is_refused(tmp_path) -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    (tmp_path / "old.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        load_model(tmp_path / "old.json")


def test_a_retrain_on_a_slice_predicts_what_sklearn_predicts() -> None:
    if not (FNC / "train_stances.csv").exists():
        pytest.skip(f"{FNC} is not present")
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    from bench.train_stance import (
        export_bag,
        export_model,
        featurize,
        fit_bag,
        fit_stages,
        learn_weights,
        load,
        story_groups,
    )

    bodies, pairs, check = load(FNC)
    keep = sorted({p.body_id for p in pairs if p.body_id not in check})[:40]
    sliced = [p for p in pairs if p.body_id in set(keep)]
    weights = learn_weights([bodies[b] for b in keep])
    x, bags = featurize(sliced, bodies, weights)
    assert np.array_equal(
        x[0], vector(sliced[0].headline, bodies[sliced[0].body_id], weights).values
    )
    labels = [p.label for p in sliced]
    first, second = fit_stages(x, labels, 10, 13)
    bag = fit_bag(bags, labels, story_groups(sliced), min_stories=2)
    assert bag.vocabulary
    exported = export_model(
        weights, first, second, 0.5, [1.0, 1.0, 1.0], {"data": "slice"}, export_bag(bag, 0.0)
    )
    model = model_from_dict(json.loads(json.dumps(exported)))  # through JSON, as committed
    assert model.bag is not None

    # The bag of words gives sklearn's probabilities on the same words.
    for words, p_bag in zip(bags[:50], bag.predict_proba(bags[:50]), strict=True):
        assert model.bag.probabilities(words) == pytest.approx(tuple(p_bag), abs=1e-5)

    # The pure-Python trees give sklearn's probabilities on the same features.
    related = 0
    for row, p_rel, p_stance in zip(
        x, first.predict_proba(x)[:, 1], second.predict_proba(x), strict=True
    ):
        ours = model.predict(list(row))
        assert ours.related == pytest.approx(p_rel, abs=1e-5)
        if ours.is_related:
            related += 1
            assert ours.stances == pytest.approx(tuple(p_stance), abs=1e-5)
    assert related > 0

    # Blended, stage two is (1 - share) trees + share bag, the bag's words asked for only
    # when a pair is related.
    blended = model_from_dict(
        json.loads(
            json.dumps(
                export_model(
                    weights, first, second, 0.5, [1.0, 1.0, 1.0], {"data": "slice"},
                    export_bag(bag, 0.25),
                )
            )
        )
    )  # fmt: skip
    asked: list[int] = []

    def words_of(i: int) -> Callable[[], Collection[str]]:
        def words() -> Collection[str]:
            asked.append(i)
            return bags[i]

        return words

    p_bags = bag.predict_proba(bags)
    for i, (row, p_stance) in enumerate(zip(x, second.predict_proba(x), strict=True)):
        ours = blended.predict(list(row), words_of(i))
        if ours.is_related:
            mixed = tuple(0.75 * t + 0.25 * b for t, b in zip(p_stance, p_bags[i], strict=True))
            assert ours.stances == pytest.approx(mixed, abs=1e-5)
    assert asked and len(asked) == related  # never for an unrelated pair

    # And the retrained model judges pairs end to end, with evidence from the body.
    pair = next(p for p in sliced if p.label != "unrelated")
    verdict = judge_stance(pair.headline, bodies[pair.body_id], model=model)
    assert verdict.stance in set(Stance) and 0.0 <= verdict.score <= 1.0
    assert verdict.evidence is None or verdict.evidence in bodies[pair.body_id]
    assert read_body(bodies[pair.body_id], model.weights).sentences


def test_features_do_not_change_with_the_hash_seed() -> None:
    """Sums over sets are exact (math.fsum), so a retrain gives the committed file again."""
    script = (
        "from bot.core.stance.features import Weights, vector\n"
        "df = {'plant': 31, 'close': 97, 'march': 120, 'hoax': 23, 'battery': 7, 'worker': 55,\n"
        "      'union': 40, 'ostrava': 1, 'dynamic': 4, 'site': 88, 'job': 77}\n"
        "claim = ('Vellmar Dynamics will close its Ostrava battery plant and cut 900 union '\n"
        "         'jobs at the site in March')\n"
        "body = ('Vellmar Dynamics denied it will close the Ostrava battery plant. The rumour '\n"
        "        'of a March closure and cuts to 900 union jobs at the site is a hoax, the '\n"
        "        'company said. Workers at the site were calm.')\n"
        "print(repr(vector(claim, body, Weights(1347, df)).values))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(runs) == 1
