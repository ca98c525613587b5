"""`python -m bench.eval_stance [--limit N]`: macro-F1 and per-class F1 of judge_stance.

Runs on the generated development set (bench/stance_dev), judging every pair the way
`verbatim stance --jsonl` does. A set we generated measures little about real news: the figures
that count are those of `../shared/eval/score_stance.py` on FNC-1's check bodies (RESULTS.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from bench.stance_dev.generate import POLNEAR, build_pairs
from bot.core.stance import judge_stance

LABELS = ("support", "dispute", "discuss", "unrelated")


def f1_scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    scores = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=400, help="articles to draw pairs from")
    parser.add_argument("--seed", type=int, default=7, help="which articles and pairings")
    parser.add_argument("--errors", type=int, default=0, help="print this many mistakes")
    args = parser.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"no PolNeAR texts at {POLNEAR}", file=sys.stderr)
        return 2
    pairs = build_pairs(limit=args.limit, seed=args.seed)
    started = time.perf_counter()
    verdicts = [judge_stance(p.statement, p.text) for p in pairs]
    elapsed = time.perf_counter() - started
    gold = [p.label for p in pairs]
    predicted = [v.stance.value for v in verdicts]
    scores = f1_scores(gold, predicted)
    print(f"pairs: {len(pairs)}  {dict(Counter(gold))}")
    print("confusion (rows gold, columns predicted):")
    print(f"{'':>10} " + " ".join(f"{label:>9}" for label in LABELS))
    confusion = Counter(zip(gold, predicted, strict=True))
    for g in LABELS:
        print(f"{g:>10} " + " ".join(f"{confusion[(g, p)]:>9}" for p in LABELS))
    for label in LABELS:
        print(f"F1 {label:<10} {scores[label]:.3f}")
    print(f"macro-F1      {sum(scores.values()) / len(LABELS):.3f}")
    pairs_gp = zip(gold, predicted, strict=True)
    related_ok = sum((g == "unrelated") == (p == "unrelated") for g, p in pairs_gp)
    print(f"related/unrelated accuracy {related_ok / len(gold):.3f}")
    print(f"speed: {len(pairs) / elapsed:.0f} pairs/s")
    shown = 0
    for pair, verdict in zip(pairs, verdicts, strict=True):
        if shown < args.errors and verdict.stance.value != pair.label:
            shown += 1
            print(
                f"- {pair.id} gold={pair.label} got={verdict.stance.value} "
                f"claim={pair.statement[:90]!r} evidence={str(verdict.evidence)[:120]!r}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
