"""Grouped-CV experiments for the stance model, on FNC-1's fit bodies only (issue 14).

`python -m bench.stance_dev.experiment [--ideas base,base+sent,...] [--seeds 13,5,7]`

The committed model's features are computed once (cached under /tmp); each idea adds candidate
features, or another stage two, and is measured by the same grouped CV as bench/train_stance.py:
a fold holds whole stories (bodies and headlines joined by related pairs), and no claim of a
test fold is trained on. Stage one's out-of-fold P(related) is the base model's, shared by every
idea, so the figures differ only in stage two. The threshold and class weights are chosen on the
out-of-fold predictions, as the training command chooses them. Check bodies are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from bench.train_stance import (
    _STANCE_WEIGHTS,
    DATA,
    SEED,
    Pair,
    _classifier,
    decide,
    f1_table,
    learn_weights,
    load,
    story_groups,
    tune,
)
from bot.core.stance.features import (
    FEATURES,
    BodyView,
    PairFeatures,
    Weights,
    pair_features,
    read_body,
)
from bot.core.stance.lexicon import HEDGES, REFUTING_KINDS, SUPPORT
from bot.core.stance.model import STANCES
from bot.core.stance.text import content_stems, stem, words

CACHE = Path("/tmp/hs3_stance_cache")

# ---------------------------------------------------------------------------------------------
# Candidate features at the sentence level of the claim's best-evidence sentences.

_STRONG = re.compile(
    "|".join(REFUTING_KINDS[k].pattern for k in ("fakery", "denial", "falsity")), re.IGNORECASE
)
_NEG = frozenset({"not", "no", "never", "nobody", "nothing", "none", "neither", "nor"})
_QUOTED = re.compile(r"[\"“‘']([^\"“”‘’']{1,40})[\"”’']")
_STORY_NOUN = re.compile(
    r"\b(?:story|stories|report|reports|rumou?rs?|claims?|news|photos?|video|image|pictures?|"
    r"article|post|tweet|site|website|account)\b",
    re.IGNORECASE,
)


def _is_neg(token: str) -> bool:
    return token in _NEG or token.endswith("n't")


def _window_hits(tokens: list[str], at: list[int], pattern: re.Pattern[str], span: int) -> int:
    """Matches of ``pattern`` within ``span`` tokens of any claim word of the sentence."""
    if not at:
        return 0
    lo, hi = max(0, at[0] - span), at[-1] + span + 1
    return len(pattern.findall(" ".join(tokens[lo:hi])))


def sentence_evidence(
    claim: str, view: BodyView, found: PairFeatures, weights: Weights
) -> list[float]:
    """Refuting, hedging and confirming words in the same stretch as the claim's words."""
    n = len(view.sentences)
    claim_stems = {stem(w.lower()) for w in words(claim)}
    claim_neg = any(_is_neg(w.lower().replace("’", "'")) for w in words(claim))
    ref_win = hedge_win = sup_win = 0.0
    neg_scope = 0.0
    quoted_ref = 0.0
    story_ref = 0.0
    best_ref_close = 0.0
    ref_minus_hedge = 0.0
    first_sentence_ref = 0.0
    considered = 0
    for rank, i in enumerate(found.ranked[:5]):
        close = found.closeness[i]
        if close < 0.2:
            break
        considered += 1
        text = view.sentences[i].text.replace("’", "'")
        tokens = [w.lower() for w in words(text)]
        at = [j for j, t in enumerate(tokens) if stem(t) in claim_stems]
        r = _window_hits(tokens, at, _STRONG, 6)
        h = _window_hits(tokens, at, HEDGES, 6)
        s = _window_hits(tokens, at, SUPPORT, 6)
        ref_win += close * r
        hedge_win += close * h
        sup_win += close * s
        ref_minus_hedge += close * (float(r > 0) - float(h > 0))
        if r:
            best_ref_close = max(best_ref_close, close)
        if rank < 3:
            scoped = sum(1 for j in at if any(_is_neg(t) for t in tokens[max(0, j - 3) : j]))
            neg_scope += close * (float(scoped > 0) != float(claim_neg))
        for m in _QUOTED.finditer(text):
            if _STRONG.search(m.group(1)):
                quoted_ref += close
        for m in _STRONG.finditer(text):
            near = text[max(0, m.start() - 40) : m.end() + 40]
            if _STORY_NOUN.search(near):
                story_ref += close
                break
        if i == 0 and r:
            first_sentence_ref = 1.0
    body_quoted = sum(
        1.0 for s in view.sentences for m in _QUOTED.finditer(s.text) if _STRONG.search(m.group(1))
    )
    body_story = sum(
        1.0
        for s in view.sentences
        for m in _STRONG.finditer(s.text)
        if _STORY_NOUN.search(s.text[max(0, m.start() - 40) : m.end() + 40])
    )
    per10 = 10.0 / max(1, n)
    return [
        ref_win,
        hedge_win,
        sup_win,
        ref_minus_hedge,
        best_ref_close,
        neg_scope,
        quoted_ref,
        story_ref,
        first_sentence_ref,
        body_quoted * per10,
        body_story * per10,
        float(considered),
    ]


IDEAS: dict[str, Callable[[str, BodyView, PairFeatures, Weights], list[float]]] = {
    "sent": sentence_evidence,
}

# ---------------------------------------------------------------------------------------------


# The code the features are computed by: a changed cue list must not read a stale cache.
_FEATURE_CODE = ("features.py", "lexicon.py", "disputes.py", "text.py", "relatedness.py")


def _key(pairs: Sequence[Pair], name: str) -> Path:
    """A cache file named by the pairs, the feature names and the code that computes them."""
    stance = Path(pair_features.__code__.co_filename).parent
    code = "".join((stance / f).read_text(encoding="utf-8") for f in _FEATURE_CODE)
    text = "".join(p.headline + p.body_id for p in pairs) + ",".join(FEATURES) + code
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
        idea = IDEAS.get(name)
        rows.append(idea(p.headline, view, found, weights) if idea else found.values)
    x = np.array(rows, dtype=float)
    CACHE.mkdir(exist_ok=True)
    np.save(path, x)
    return x


def folds_of(pairs: Sequence[Pair], k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped folds by story; seed 13 gives GroupKFold's folds (the training command's)."""
    groups = np.array(story_groups(pairs))
    if seed != SEED:  # other fold assignments: the stories renumbered before grouping
        groups = np.random.RandomState(seed).permutation(groups.max() + 1)[groups]
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
    x: np.ndarray, labels: Sequence[str], folds, max_iter: int, make: Callable[[], Any] | None
) -> np.ndarray:
    """Stage two's out-of-fold probabilities, trained as bench/train_stance.py trains it."""
    y = np.array([STANCES.index(lab) if lab != "unrelated" else -1 for lab in labels])
    probs = np.zeros((len(labels), 3))
    for train, test in folds:
        tr = train[y[train] >= 0]
        clf = make() if make else _classifier(max_iter, _STANCE_WEIGHTS, SEED)
        clf.fit(x[tr], y[tr])
        probs[test] = clf.predict_proba(x[test])
    return probs


def report(name: str, labels, p_rel, probs) -> dict[str, float]:
    fixed = f1_table(labels, decide(p_rel, probs, 0.6, [1.0, 3.0, 1.0]))
    threshold, cw, _ = tune(labels, p_rel, probs)
    tuned = f1_table(labels, decide(p_rel, probs, threshold, cw))
    print(
        f"{name:<30} fixed(0.6,1/3/1): macro {fixed['macro']:.4f} dispute {fixed['dispute']:.4f}"
        f" support {fixed['support']:.4f} discuss {fixed['discuss']:.4f} | tuned({threshold},"
        f"{cw[0]}/{cw[1]}): macro {tuned['macro']:.4f} dispute {tuned['dispute']:.4f}"
        f" support {tuned['support']:.4f}",
        flush=True,
    )
    return tuned


def _gbm(**changes: float) -> Callable[[], object]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    params: dict[str, object] = dict(
        learning_rate=0.08, max_iter=200, max_leaf_nodes=15, min_samples_leaf=30,
        l2_regularization=1.0, class_weight=_STANCE_WEIGHTS, early_stopping=False,
        random_state=SEED,
    )  # fmt: skip
    params.update(changes)
    return lambda: HistGradientBoostingClassifier(**params)


def evidence_text(
    pairs: Sequence[Pair], bodies: dict[str, str], weights: Weights, top: int
) -> list[str]:
    """The stems of each pair's ``top`` closest sentences, and the claim's stems marked ``h_``."""
    path = _key(pairs, f"text{top}").with_suffix(".txt")
    if path.exists():
        return path.read_text(encoding="utf-8").split("\n")
    out = []
    for p in pairs:
        view = read_body(bodies[p.body_id], weights)
        found = pair_features(p.headline, view, weights)
        body = " ".join(" ".join(content_stems(view.sentences[i].text)) for i in found.ranked[:top])
        claim = " ".join("h_" + s for s in content_stems(p.headline))
        out.append((claim + " " + body).replace("\n", " "))
    CACHE.mkdir(exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    return out


def refuting_context(
    pairs: Sequence[Pair], bodies: dict[str, str], weights: Weights, span: int = 5
) -> list[str]:
    """Per pair, the stems within ``span`` words of a refuting word of the body, marked ``r_``."""
    from bot.core.stance.lexicon import REFUTING

    path = _key(pairs, f"ctx{span}").with_suffix(".txt")
    if path.exists():
        return path.read_text(encoding="utf-8").split("\n")
    per_body: dict[str, str] = {}
    for body_id in sorted({p.body_id for p in pairs}):
        view = read_body(bodies[body_id], weights)
        found: set[str] = set()
        for sentence in view.sentences:
            if not REFUTING.search(sentence.text):
                continue
            toks = words(sentence.text)
            low = [t.lower() for t in toks]
            hits = [j for j, t in enumerate(low) if REFUTING.fullmatch(t)]
            for j in hits:
                found.update(content_stems(" ".join(toks[max(0, j - span) : j + span + 1])))
        per_body[body_id] = " ".join("r_" + w for w in sorted(found))
    out = [per_body[p.body_id] for p in pairs]
    CACHE.mkdir(exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    return out


def oof_bow(
    texts: Sequence[str], pairs: Sequence[Pair], folds, c: float, min_stories: int, claim: bool
) -> np.ndarray:
    """A logistic regression over binary stems of the evidence sentences, out of fold."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [p.label for p in pairs]
    y = np.array([STANCES.index(lab) if lab != "unrelated" else -1 for lab in labels])
    groups = story_groups(pairs)
    docs = [t if claim else " ".join(w for w in t.split() if not w.startswith("h_")) for t in texts]
    probs = np.zeros((len(labels), 3))
    for train, test in folds:
        tr = train[y[train] >= 0]
        stories: dict[str, set[int]] = {}
        for i in tr:
            for w in set(docs[i].split()):
                stories.setdefault(w, set()).add(groups[i])
        vocab = sorted(w for w, g in stories.items() if len(g) >= min_stories)
        vec = CountVectorizer(vocabulary=vocab, binary=True, token_pattern=r"\S+", lowercase=False)
        xt = vec.transform([docs[i] for i in tr])
        clf = LogisticRegression(C=c, max_iter=2000, class_weight=_STANCE_WEIGHTS)
        clf.fit(xt, y[tr])
        probs[test] = clf.predict_proba(vec.transform([docs[i] for i in test]))
    return probs


def oof_stacked(
    x: np.ndarray, texts: Sequence[str], pairs: Sequence[Pair], folds, c: float, ms: int
) -> np.ndarray:
    """Stage two over the features and the bag's probabilities (out of an inner CV in training)."""
    labels = [p.label for p in pairs]
    y = np.array([STANCES.index(lab) if lab != "unrelated" else -1 for lab in labels])
    groups = np.array(story_groups(pairs))
    probs = np.zeros((len(labels), 3))
    for train, test in folds:
        inner_groups = groups[train]
        inner = []
        for itr, ite in GroupKFold(n_splits=5).split(train, groups=inner_groups):
            inner.append((train[itr], train[ite]))
        bag_in = oof_bow(texts, pairs, inner, c, ms, True)  # out of fold on the train part
        bag_out = oof_bow(texts, pairs, [(train, test)], c, ms, True)
        tr = train[y[train] >= 0]
        xa = np.hstack([x, bag_in])
        xb = np.hstack([x, bag_out])
        clf = _classifier(200, _STANCE_WEIGHTS, SEED).fit(xa[tr], y[tr])
        probs[test] = clf.predict_proba(xb[test])
    return probs


SECOND: dict[str, Callable[[], object]] = {
    "it100": _gbm(max_iter=100),
    "it300lr05": _gbm(max_iter=300, learning_rate=0.05),
    "leaf7": _gbm(max_leaf_nodes=7),
    "leaf31": _gbm(max_leaf_nodes=31),
    "msl80": _gbm(min_samples_leaf=80),
    "msl80leaf7it300": _gbm(min_samples_leaf=80, max_leaf_nodes=7, max_iter=300),
    "l2_5": _gbm(l2_regularization=5.0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ideas", default="base,base+sent")
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
            if idea.startswith("bow"):  # bow[c]:top:C:min_stories:claim[@trees] (c: refuting ctx)
                spec, _, trees = idea.partition("@")
                kind, top, c, ms, cl = spec.split(":")
                texts = evidence_text(fit, bodies, weights, int(top))
                if kind == "bowc":
                    ctx = refuting_context(fit, bodies, weights)
                    texts = [a + " " + b for a, b in zip(texts, ctx, strict=True)]
                bow = oof_bow(texts, fit, folds, float(c), int(ms), cl == "1")
                report(f"{idea} alone s{seed}", labels, p_rel, bow)
                gb = np.load(_key(fit, f"oof-stance-base{'@' + trees if trees else ''}-{seed}"))
                for a in (0.1, 0.2, 0.3, 0.4):
                    report(f"{idea} blend{a} s{seed}", labels, p_rel, (1 - a) * gb + a * bow)
                continue
            if idea.startswith("stack"):  # stack:top:C:min_stories: bag probabilities as features
                _, top, c, ms = idea.split(":")
                texts = evidence_text(fit, bodies, weights, int(top))
                probs = oof_stacked(base, texts, fit, folds, float(c), int(ms))
                report(f"{idea} s{seed}", labels, p_rel, probs)
                continue
            name, _, second = idea.partition("@")
            parts = [base] + [
                features(part, fit, bodies, weights) for part in name.split("+") if part != "base"
            ]
            probs = oof_stance(np.hstack(parts), labels, folds, 200, SECOND.get(second))
            report(f"{idea} s{seed}", labels, p_rel, probs)
            if name == "base":
                np.save(_key(fit, f"oof-stance-{idea}-{seed}"), probs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
