"""Grouped-CV experiments aimed at dispute F1, on FNC-1's fit bodies only (issue 14).

`python -m bench.stance_dev.dispute [--ideas now,...] [--seeds 13,5,7] [--errors N]`

Replicates the training command's whole stage two (100 trees blended with the bag of words,
the threshold, class weights and bag share chosen on the out-of-fold predictions) on folds that
hold whole stories, and measures each idea against it. Stage one's out-of-fold P(related) is
shared (bench/stance_dev/experiment.py's cache). Check bodies are never read.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.stance_dev.experiment import IDEAS, _key, features, folds_of, oof_related
from bench.train_stance import (
    _STANCE_WEIGHTS,
    DATA,
    STANCE_ITER,
    Pair,
    _classifier,
    decide,
    f1_table,
    fit_bag,
    learn_weights,
    load,
    story_groups,
    tune,
)
from bot.core.stance.features import evidence_words, negated_near, pair_features, read_body
from bot.core.stance.lexicon import HEDGES, REFUTING
from bot.core.stance.model import STANCES
from bot.core.stance.text import STOPWORDS, content_stems, stem, words


def bags_of(
    pairs: Sequence[Pair], bodies: dict[str, str], weights, name: str = "bags"
) -> list[frozenset[str]]:
    """Each pair's bag of words as bot/core builds it (``name``: the cache of one version)."""
    path = _key(pairs, name).with_suffix(".pkl")
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for p in pairs:
        view = read_body(bodies[p.body_id], weights)
        found = pair_features(p.headline, view, weights)
        out.append(evidence_words(p.headline, view, found))
    path.write_bytes(pickle.dumps(out))
    return out


_NEG = frozenset({"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without"})


def _neg_grams(text: str) -> set[str]:
    """ "not_<stem>" for the first content word within three words after a negation."""
    toks = [w.lower().replace("’", "'") for w in words(text)]
    out = set()
    for j, t in enumerate(toks):
        if t in _NEG or t.endswith("n't"):
            for u in toks[j + 1 : j + 4]:
                if u not in STOPWORDS and len(u) > 1:
                    out.add("not_" + stem(u))
                    break
    return out


def _grams(text: str) -> set[str]:
    st = content_stems(text)
    return {a + "_" + b for a, b in itertools.pairwise(st)}


def extra_tokens(pairs, bodies, weights) -> dict[str, list[frozenset[str]]]:
    """Candidate words for the bag, per variant, cached."""
    path = _key(pairs, "extra5").with_suffix(".pkl")
    if path.exists():
        return pickle.loads(path.read_bytes())
    out: dict[str, list[frozenset[str]]] = {
        k: [] for k in ("neg", "lead", "leadneg", "grams", "claimneg")
    }
    whole_cache: dict[str, frozenset[str]] = {}
    lead_cache: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for p in pairs:
        view = read_body(bodies[p.body_id], weights)
        found = pair_features(p.headline, view, weights)
        if p.body_id not in lead_cache:
            lead = [s.text for s in view.sentences[:2]]
            lead_cache[p.body_id] = (
                frozenset("l_" + s for t in lead for s in content_stems(t)),
                frozenset("l" + g for t in lead for g in _neg_grams(t)),
            )
        top = [view.sentences[i].text for i in found.ranked[:5]]
        out.setdefault("negsent", []).append(frozenset(
            "n_" + s for t in top if any(u.lower() in _NEG or u.lower().endswith("n't")
                                        for u in words(t)) for s in content_stems(t)))  # fmt: skip
        out["neg"].append(frozenset(g for t in top for g in _neg_grams(t)))
        out["lead"].append(lead_cache[p.body_id][0])
        out["leadneg"].append(lead_cache[p.body_id][1])
        out["grams"].append(frozenset(g for t in top for g in _grams(t)))
        low = p.headline
        flagged = bool(_neg_grams(low)) or bool(REFUTING.search(low))
        out["claimneg"].append(frozenset({"h_NEG"} | {"h_" + g for g in _neg_grams(low)})
                               if flagged else frozenset())  # fmt: skip
        out.setdefault("whole", []).append(whole_cache.setdefault(p.body_id, frozenset(
            "w_" + s for ss in view.stems for s in ss)))  # fmt: skip
    path.write_bytes(pickle.dumps(out))
    return out


def polarity(claim: str, view, found, weights) -> list[float]:
    """Does the body's lead or its closest sentences deny what the claim asserts, or assert
    what the claim denies?"""
    claim_set = frozenset(content_stems(claim))
    claim_neg = bool(_neg_grams(claim))
    claim_ref = bool(REFUTING.search(claim))
    n = len(view.sentences)
    lead = view.sentences[:2]
    lead_neg = sum(1.0 for s in lead if negated_near(s.text, claim_set))
    lead_ref = sum(float(len(REFUTING.findall(s.text))) for s in lead)
    top = found.ranked[:3]
    top_neg = sum(found.closeness[i] for i in top if negated_near(view.sentences[i].text,
                                                                  claim_set))  # fmt: skip
    top_ref = sum(found.closeness[i] * len(REFUTING.findall(view.sentences[i].text)) for i in top)
    body_neg = any(negated_near(s.text, claim_set) for s in view.sentences[:5])
    flag = 1.0 if (claim_neg or claim_ref) else 0.0
    return [
        flag,
        lead_neg,
        lead_ref,
        top_neg,
        top_ref,
        flag * (lead_ref + lead_neg),
        (1 - flag) * (lead_ref + lead_neg),
        flag * (top_ref + top_neg),
        (1 - flag) * (top_ref + top_neg),
        float(body_neg) - flag,
        float(n),
    ]


IDEAS["polarity"] = polarity


def claim_flags(claim: str) -> frozenset[str]:
    """n: a negation, r: a refuting word, q: a question, h: a hedge ("reportedly", "may")."""
    return frozenset(
        (["n"] if _neg_grams(claim) else [])
        + (["r"] if REFUTING.search(claim) else [])
        + (["q"] if "?" in claim else [])
        + (["h"] if HEDGES.search(claim) else [])
    )


def _turned(bag: frozenset[str]) -> frozenset[str]:
    return bag | frozenset("x_" + w for w in bag if not w.startswith(("h_", "w_")))


def oof_trees(x, labels, folds, weights=_STANCE_WEIGHTS, iters=STANCE_ITER) -> np.ndarray:
    y = np.array([STANCES.index(lab) if lab != "unrelated" else -1 for lab in labels])
    probs = np.zeros((len(labels), 3))
    for train, test in folds:
        tr = train[y[train] >= 0]
        clf = _classifier(iters, weights, 13).fit(x[tr], y[tr])
        probs[test] = clf.predict_proba(x[test])
    return probs


def oof_bag(bags, labels, groups, folds) -> np.ndarray:
    probs = np.zeros((len(labels), 3))
    for train, test in folds:
        bag = fit_bag([bags[i] for i in train], [labels[i] for i in train],
                      [groups[i] for i in train])  # fmt: skip
        probs[test] = bag.predict_proba([bags[i] for i in test])
    return probs


def show(name: str, labels, p_rel, trees, bag) -> tuple[float, list[float], float, dict]:
    threshold, cw, alpha = tune(labels, p_rel, trees, bag)
    blended = (1 - alpha) * trees + alpha * bag
    f = f1_table(labels, decide(p_rel, blended, threshold, cw))
    print(
        f"{name:<28} t{threshold} cw{cw[0]}/{cw[1]} a{alpha}: macro {f['macro']:.4f} "
        f"support {f['support']:.4f} dispute {f['dispute']:.4f} discuss {f['discuss']:.4f} "
        f"unrelated {f['unrelated']:.4f}",
        flush=True,
    )
    return threshold, cw, alpha, f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ideas", default="now")
    parser.add_argument("--seeds", default="13")
    parser.add_argument("--errors", type=int, default=0)
    args = parser.parse_args(argv)
    bodies, pairs, check = load(args.data)
    fit = [p for p in pairs if p.body_id not in check]
    del check
    weights = learn_weights([bodies[b] for b in sorted({p.body_id for p in fit})])
    labels = [p.label for p in fit]
    groups = story_groups(fit)
    base = features("base", fit, bodies, weights)
    bags = bags_of(fit, bodies, weights)
    for seed in (int(s) for s in args.seeds.split(",")):
        folds = folds_of(fit, 5, seed)
        rel_path = _key(fit, f"oof-related-{seed}-5")
        if rel_path.exists():
            p_rel = np.load(rel_path)
        else:
            p_rel = oof_related(base, labels, folds, 200)
            np.save(rel_path, p_rel)
        print(f"-- folds seed {seed}", file=sys.stderr)
        for idea in args.ideas.split(","):
            if idea == "now":
                trees = oof_trees(base, labels, folds)
                bag = oof_bag(bags, labels, groups, folds)
                np.save(_key(fit, f"oof-bag-{seed}"), bag)
                t, cw, a, _ = show(f"now s{seed}", labels, p_rel, trees, bag)
                np.save(_key(fit, f"oof-trees100-{seed}"), trees)
                if args.errors:
                    errors(fit, bodies, labels, p_rel, (1 - a) * trees + a * bag, t, cw,
                           args.errors)  # fmt: skip
            elif idea == "committed":  # the bag as features.evidence_words builds it now
                trees = np.load(_key(fit, f"oof-trees100-{seed}"))
                bag = oof_bag(bags_of(fit, bodies, weights, "bags-turned"), labels, groups, folds)
                show(f"{idea} s{seed}", labels, p_rel, trees, bag)
            elif idea.startswith("trees+"):  # trees+NAME: stage two with candidate features
                x = np.hstack([base] + [features(n, fit, bodies, weights)
                                        for n in idea.split("+")[1:]])  # fmt: skip
                trees = oof_trees(x, labels, folds)
                bag = np.load(_key(fit, f"oof-bag-{seed}"))
                show(f"{idea} s{seed}", labels, p_rel, trees, bag)
            elif idea.startswith("bag+"):  # bag+neg+lead...[@C=0.5,W=1/3/1]: more words
                idea, _, opts = idea.partition("@")
                import bench.train_stance as ts

                saved = (ts.BAG_C, dict(ts._STANCE_WEIGHTS))
                for opt in filter(None, opts.split(",")):
                    k, _, v = opt.partition("=")
                    if k == "C":
                        ts.BAG_C = float(v)
                    else:
                        ts._STANCE_WEIGHTS.update(enumerate(float(w) for w in v.split("/")))
                extra = extra_tokens(fit, bodies, weights)
                trees = np.load(_key(fit, f"oof-trees100-{seed}"))
                more = bags
                for part in idea.split("+")[1:]:
                    if part == "flip":
                        flag = [bool(c) for c in extra["claimneg"]]
                        more = [b | frozenset("x_" + w for w in b if not w.startswith("h_"))
                                if f else b for b, f in zip(more, flag, strict=True)]  # fmt: skip
                    elif part == "hedgemark":  # a hedged claim's body words marked y_
                        more = [
                            b | frozenset("y_" + w for w in b if not w.startswith(("h_", "x_")))
                            if "h" in claim_flags(p.headline)
                            else b
                            for b, p in zip(more, fit, strict=True)
                        ]
                    elif part.startswith("flip:"):  # flip:nr -- keyed on those claim flags
                        keys = set(part[5:])
                        flags = [claim_flags(p.headline) for p in fit]
                        more = [_turned(b) if f & keys else b
                                for b, f in zip(more, flags, strict=True)]  # fmt: skip
                    else:
                        more = [b | e for b, e in zip(more, extra[part], strict=True)]
                bag = oof_bag(more, labels, groups, folds)
                ts.BAG_C, weights_now = saved[0], saved[1]
                ts._STANCE_WEIGHTS.update(weights_now)
                show(f"{idea}@{opts} s{seed}", labels, p_rel, trees, bag)
    return 0


def errors(fit, bodies, labels, p_rel, probs, t, cw, n) -> None:
    pred = decide(p_rel, probs, t, cw)
    conf = Counter((g, p) for g, p in zip(labels, pred, strict=True) if "dispute" in (g, p))
    print(sorted(conf.items()))
    rng = np.random.RandomState(0)
    missed = [i for i, (g, p) in enumerate(zip(labels, pred, strict=True))
              if g == "dispute" and p == "discuss"]  # fmt: skip
    for i in rng.choice(missed, size=min(n, len(missed)), replace=False):
        p = fit[i]
        print("=" * 100)
        print(f"[{i}] {p.headline}  probs={np.round(probs[i], 2)}")
        print(bodies[p.body_id][:700].replace("\n", " "))


if __name__ == "__main__":
    raise SystemExit(main())
