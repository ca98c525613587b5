"""The tagger reads an article's paragraphs together: numpy sums every token's label scores at
once (``TaggerModel._scores``). Here those scores are held to each group's summed weights added
one token at a time in GROUPS' order, float for float, and the paragraphs decoded together to
each decoded alone; the texts are invented or random.
"""

from __future__ import annotations

import json
import random

from bot.core.extract import tagger
from bot.core.extract.tokens import GROUPS, token_groups, tokenize
from tests.core.extract.test_tagger_paths import TEXTS, _random_texts, _stretches


def _model() -> tagger.TaggerModel:
    model = tagger.load_model()
    assert model is not None
    return model


def _articles() -> list[list[tuple[list, ...]]]:
    """Each text's paragraphs, as the group keys the tagger reads."""
    out = []
    for text in TEXTS + _random_texts(200):
        out.append([token_groups(*stretch) for stretch in _stretches([text])])
    return out


def test_the_summed_scores_are_the_token_by_token_sums_float_for_float() -> None:
    model = _model()
    for stretches in _articles():
        if not stretches:
            continue
        expected = []
        for columns in stretches:
            for keys in zip(*columns, strict=True):
                score = list(model._base)
                for group, key in zip(GROUPS, keys, strict=True):
                    row = model._row(group(key))
                    score = [s + r for s, r in zip(score, row, strict=True)]
                expected.append(score)
        assert model._scores(stretches).tolist() == expected


def test_paragraphs_read_together_get_the_labels_each_gets_alone() -> None:
    model = _model()
    rng = random.Random(3)
    for stretches in _articles():
        mixed = list(stretches)
        mixed.insert(rng.randint(0, len(mixed)), token_groups([], [0], []))  # an empty one
        assert model.tag_stretches(mixed) == [model.tag(columns) for columns in mixed]


def test_new_words_past_the_first_rows_and_a_cleared_cache_change_no_label() -> None:
    model = _model()
    text = " ".join(f"Word{i} said{i % 7} “Mayor{i}”" for i in range(300))
    columns = token_groups(tokenize(text), [0], [])
    for cache in model._caches:
        cache.clear()
    first = model.tag(columns)  # 600 new keys: the matrices grow while they are read
    for cache in model._caches:
        cache.clear()
    assert model.tag(columns) == first
    assert model.tag(columns) == first  # every key known now


def test_the_rows_of_new_words_made_together_are_each_words_rows_made_alone() -> None:
    model = _model()
    words = ["said", "Said", "SAID", "he", "Calloway", "Vennholt's", "“", ",", "2024", "x"]
    words += [w for text in TEXTS for w in text.split()]
    block = model._records(words)
    for j, word in enumerate(words):
        assert [plane[j].tolist() for plane in block] == [list(r) for r in model._record(word)]


def test_the_weight_array_holds_the_model_files_weights_feature_by_feature() -> None:
    data = json.loads(tagger.MODEL_PATH.read_text(encoding="utf-8"))
    model = tagger.TaggerModel.from_json(data)
    k = len(model.labels)
    for name, flat in data["features"].items():
        row = [0.0] * k
        for i in range(0, len(flat), 2):
            row[int(flat[i])] = float(flat[i + 1])
        assert model.weights[name] == tuple(row)
    assert model.matrix.tolist() == [list(r) for r in model.weights.values()] + [[0.0] * k]
    assert len(model.weights) == len(data["features"])
