"""Grouped-CV experiments for the stance model's stage two, on FNC-1's fit bodies only.

`python -m bench.stance_dev.experiment [--ideas base,relation,...] [--folds 5] [--seeds 13]`

The committed model's features are computed once (cached under /tmp); each idea adds candidate
features (or changes how stage two decides) and is measured by the same grouped CV as
bench/train_stance.py: a fold holds whole stories, and no claim of a test fold is trained on.
Stage one's out-of-fold P(related) is the base model's, shared by every idea, so the figures
differ only in stage two. Check bodies are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from bench.train_stance import (
    _STANCE_WEIGHTS,
    DATA,
    SEED,
    STANCE_ITER,
    Pair,
    _classifier,
    decide,
    f1_table,
    learn_weights,
    load,
    story_groups,
    story_weights,
    tune,
)
from bot.core.stance.features import (
    FEATURES,
    BodyView,
    PairFeatures,
    Weights,
    _aimed_values,
    _aims,
    pair_features,
    read_body,
)
from bot.core.stance.lexicon import (
    FRAMING_CUE,
    HEDGES,
    REFUTING_KINDS,
    SUPPORT,
    WALKBACK_CUE,
    WORD_CUE,
)
from bot.core.stance.model import STANCES
from bot.core.stance.text import content_stems, stem, words

CACHE = Path("/tmp/hs_stance_cache")

# ---------------------------------------------------------------------------------------------
# Candidate features: each returns a list of floats for one pair.

_STRONG_REFUTE = re.compile(
    r"\b(?:hoax\w*|fake\w*|false\w*|debunk\w*|not true|untrue|no evidence|fabricat\w*|"
    r"den(?:y|ies|ied|ying|ial)|refut\w*|made up|satir\w*|never happened|not real|"
    r"did not happen|didn't happen|baseless|bogus)\b",
    re.IGNORECASE,
)
_NEG = frozenset({"not", "no", "never", "nobody", "nothing", "none", "neither", "nor"})
_DIGITS = re.compile(r"\d[\d,.]*")
_UPDATE = re.compile(r"\b(?:update[sd]?|editor'?s note|correction)\b", re.IGNORECASE)


def _is_neg(token: str) -> bool:
    low = token.lower().replace("’", "'")
    return low in _NEG or low.endswith("n't")


def relation(claim: str, view: BodyView, found: PairFeatures, weights: Weights) -> list[float]:
    """How the claim's closest sentences and its key words' neighbourhoods relate to it."""
    n = len(view.sentences)
    stems = set(content_stems(claim))
    key = sorted(stems, key=lambda s: (-weights(s), s))[:3]  # the claim's rarest words
    # refuting words within 12 tokens of a key word of the claim
    windows = hits = 0
    for s in view.sentences:
        toks = words(s.text)
        st = [stem(t.lower()) for t in toks]
        at = [i for i, x in enumerate(st) if x in key]
        if not at:
            continue
        windows += 1
        txt = [t.lower() for t in toks]
        for i in at:
            seg = " ".join(txt[max(0, i - 12) : i + 13])
            if _STRONG_REFUTE.search(seg):
                hits += 1
                break
    # position of the first refuting sentence, and refutes among the claim's closest 5
    first = next((i for i in range(n) if _STRONG_REFUTE.search(view.sentences[i].text)), n)
    top5 = found.ranked[:5]
    ref5 = sum(1 for i in top5 if _STRONG_REFUTE.search(view.sentences[i].text))
    hed5 = sum(1 for i in top5 if HEDGES.search(view.sentences[i].text))
    sup5 = sum(1 for i in top5 if SUPPORT.search(view.sentences[i].text))
    # the strongest refuting sentence weighted by closeness
    strong = max(
        (found.closeness[i] for i in range(n) if _STRONG_REFUTE.search(view.sentences[i].text)),
        default=0.0,
    )
    # negation flip in any of the 3 closest sentences that carry a third of the claim
    claim_neg = any(_is_neg(t) for t in words(claim))
    flips = 0
    for i in found.ranked[:3]:
        if found.closeness[i] < 0.35:
            break
        toks = words(view.sentences[i].text)
        st = [stem(t.lower()) for t in toks]
        at = [j for j, x in enumerate(st) if x in stems]
        if at:
            win = toks[max(0, at[0] - 4) : at[-1] + 1]
            if any(_is_neg(t) for t in win) != claim_neg:
                flips += 1
    # figures: claim has some, the closest sentence has others and none of the claim's
    cf = set(_DIGITS.findall(claim))
    conflict = 0.0
    if cf and n:
        bf = set(_DIGITS.findall(view.sentences[found.ranked[0]].text))
        conflict = 1.0 if bf and not (cf & bf) else 0.0
    tail = sum(1 for s in view.sentences[-3:] if _STRONG_REFUTE.search(s.text))
    update = 1.0 if _UPDATE.search(" ".join(s.text for s in view.sentences)) else 0.0
    return [
        hits / windows if windows else -1.0,
        float(hits),
        first / n if n else 1.0,
        float(first < 3),
        float(ref5),
        float(hed5),
        float(sup5),
        float(ref5 - hed5),
        strong,
        float(flips),
        conflict,
        float(tail),
        update,
    ]


RELATION_NAMES = (
    "key_refute_share", "key_refute_hits", "first_refute_pos", "first_refute_lead",
    "top5_refute", "top5_hedge", "top5_support", "top5_refute_minus_hedge",
    "strong_refute_closeness", "top3_flips", "figure_conflict", "tail_refute", "update",
)  # fmt: skip


def kinds_positions(
    claim: str, view: BodyView, found: PairFeatures, weights: Weights
) -> list[float]:
    """Per refuting kind: the relative position of its first sentence and its best closeness."""
    n = len(view.sentences)
    out = []
    for pattern in REFUTING_KINDS.values():
        at = [i for i in range(n) if pattern.search(view.sentences[i].text)]
        out.append(at[0] / n if at else 1.0)
        out.append(max((found.closeness[i] for i in at), default=0.0))
    return out


_MORE = {
    "framing": FRAMING_CUE,
    "walkback": WALKBACK_CUE,
    "word": WORD_CUE,
    **{k: REFUTING_KINDS[k] for k in ("fakery", "denial", "falsity", "debunking")},
    "negation": re.compile(r"\b(?:not|never|no)\b|n't", re.IGNORECASE),
}


def aimed_more(claim: str, view: BodyView, found: PairFeatures, weights: Weights) -> list[float]:
    """The model's aimed_* features for more word lists (the cue kinds, the refuting kinds)."""
    w = {s: weights(s) for s in set(content_stems(claim))}
    total = math.fsum(w.values()) or 1.0
    aims = _aims(view.sentences, tuple(_MORE.values()))
    return _aimed_values(aims, claim, w, total, len(view.sentences))


IDEAS: dict[str, Callable[[str, BodyView, PairFeatures, Weights], list[float]]] = {
    "relation": relation,
    "kinds": kinds_positions,
    "aimed_more": aimed_more,
}

# ---------------------------------------------------------------------------------------------


def _key(pairs: Sequence[Pair], name: str) -> Path:
    """A cache file named by the pairs and the model's feature names (a new feature: new file)."""
    text = "".join(p.headline + p.body_id for p in pairs) + ",".join(FEATURES)
    h = hashlib.sha1(text.encode()).hexdigest()[:10]
    return CACHE / f"{name}-{h}.npy"


def features(
    name: str, pairs: Sequence[Pair], bodies: dict[str, str], weights: Weights
) -> np.ndarray:
    path = _key(pairs, name)
    if path.exists():
        return np.load(path)
    rows: list[Sequence[float]] = []
    for p in pairs:
        view = read_body(bodies[p.body_id], weights)
        found = pair_features(p.headline, view, weights)
        if name == "base":
            rows.append(found.values)
        else:
            rows.append(IDEAS[name](p.headline, view, found, weights))
    x = np.array(rows, dtype=float)
    CACHE.mkdir(exist_ok=True)
    np.save(path, x)
    return x


def folds_of(pairs: Sequence[Pair], k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped folds by story; seed 13 gives GroupKFold's folds (the training command's)."""
    groups = np.array(story_groups(pairs))
    if seed != SEED:  # other fold assignments: the stories shuffled before grouping
        rng = np.random.RandomState(seed)
        perm = rng.permutation(groups.max() + 1)
        groups = perm[groups]
    headlines = [p.headline for p in pairs]
    labels = [p.label for p in pairs]
    out = []
    for train, test in GroupKFold(n_splits=k).split(groups, groups=groups):
        unseen = {headlines[i] for i in test if labels[i] != "unrelated"}
        out.append((np.array([i for i in train if headlines[i] not in unseen]), test))
    return out


def oof_related(x: np.ndarray, labels: Sequence[str], folds, max_iter: int) -> np.ndarray:
    related = np.array([lab != "unrelated" for lab in labels], dtype=int)
    p = np.zeros(len(labels))
    for train, test in folds:
        clf = _classifier(max_iter, None, SEED).fit(x[train], related[train])
        p[test] = clf.predict_proba(x[test])[:, 1]
    return p


def oof_stance(
    x: np.ndarray, labels: Sequence[str], groups: Sequence[int], folds, max_iter: int
) -> np.ndarray:
    """Stage two's out-of-fold probabilities, trained as bench/train_stance.py trains it."""
    y = np.array([STANCES.index(lab) if lab != "unrelated" else -1 for lab in labels])
    probs = np.zeros((len(labels), 3))
    for train, test in folds:
        tr = train[y[train] >= 0]
        sw = story_weights([groups[i] for i in tr])
        clf = _classifier(max_iter, _STANCE_WEIGHTS, SEED).fit(x[tr], y[tr], sample_weight=sw)
        probs[test] = clf.predict_proba(x[test])
    return probs


def report(name: str, labels, p_rel, probs) -> dict[str, float]:
    fixed = f1_table(labels, decide(p_rel, probs, 0.6, [1.0, 3.0, 1.0]))
    threshold, cw = tune(labels, p_rel, probs)
    tuned = f1_table(labels, decide(p_rel, probs, threshold, cw))
    print(
        f"{name:<28} fixed(0.6,1/3/1): macro {fixed['macro']:.4f} dispute {fixed['dispute']:.4f} "
        f"support {fixed['support']:.4f} discuss {fixed['discuss']:.4f} | tuned({threshold},"
        f"{cw[0]}/{cw[1]}): macro {tuned['macro']:.4f} dispute {tuned['dispute']:.4f}",
        flush=True,
    )
    return tuned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ideas", default="base,relation,kinds")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", default="13", help="fold assignments (13: the command's)")
    parser.add_argument("--max-iter", type=int, default=200, help="stage one's trees")
    args = parser.parse_args(argv)
    bodies, pairs, check = load(args.data)
    fit = [p for p in pairs if p.body_id not in check]
    del check  # never read again
    used = sorted({p.body_id for p in fit})
    weights = learn_weights([bodies[b] for b in used])
    labels = [p.label for p in fit]
    base = features("base", fit, bodies, weights)
    groups = story_groups(fit)
    for seed in (int(s) for s in args.seeds.split(",")):
        folds = folds_of(fit, args.folds, seed)
        rel_path = _key(fit, f"oof-related-{seed}-{args.folds}")
        if rel_path.exists():
            p_rel = np.load(rel_path)
        else:
            p_rel = oof_related(base, labels, folds, args.max_iter)
            np.save(rel_path, p_rel)
        print(f"-- folds seed {seed}", file=sys.stderr)
        for idea in args.ideas.split(","):
            parts = [base] + [
                features(part, fit, bodies, weights) for part in idea.split("+") if part != "base"
            ]
            x = np.hstack(parts)
            probs = oof_stance(x, labels, groups, folds, STANCE_ITER)
            report(f"{idea} s{seed}", labels, p_rel, probs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
