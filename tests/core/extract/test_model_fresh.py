"""The committed quote model is what its training command makes of today's code and data.

Training takes minutes; reading what it would train on takes seconds. The model's provenance
holds the hash of every training sequence (features and labels) it was trained on: when the
tagger's features, the sentence splitter or the data change, the hash changes too, and the
committed file is stale until `python -m bench.train_quotes ../shared/data/polnear-train`
is run again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.train_quotes import training_digest
from bot.core.extract.tagger import MODEL_PATH

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "polnear-train"


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not beside the checkout")
def test_the_committed_model_was_trained_on_what_training_reads_today() -> None:
    provenance = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["provenance"]
    assert provenance["training_sequences_sha256"] == training_digest(DATA), (
        "the tagger's features or its data changed since the model was trained: run "
        "python -m bench.train_quotes ../shared/data/polnear-train and commit the file"
    )
