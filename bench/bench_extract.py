"""Quote-extraction throughput on one core: PolNeAR texts, the seed articles, a generated corpus.

Each corpus is read twice in the same run: by the extractor as it ships (rules and the learned
tagger) and by the rules alone, the baseline the tagger has to pay for.

``run(quick)`` returns one row per corpus for the bench runner; ``python -m bench.bench_extract``
prints the table.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.corpus import generate, polnear_training_articles
from bot.core.extract import extract_quotes

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")


def _texts(folder: Path, limit: int | None) -> list[str]:
    files = sorted(folder.glob("*.txt")) if folder.exists() else []
    return [f.read_text(encoding="utf-8") for f in files[:limit]]


def _measure(name: str, texts: list[str], rounds: int, learned: bool) -> dict[str, object]:
    quotes = 0
    extract_quotes("Warm-up: the model is loaded once, said Ada Lind.", learned=learned)
    started = time.process_time()  # CPU time of this process: one core, whatever else runs
    for _ in range(rounds):
        for text in texts:
            quotes += len(extract_quotes(text, learned=learned))
    elapsed = time.process_time() - started
    n = len(texts) * rounds
    chars = sum(len(t) for t in texts) * rounds
    return {
        "corpus": name,
        "extractor": "rules + learned tagger" if learned else "rules only (baseline)",
        "articles": n,
        "articles/s": round(n / elapsed, 1) if elapsed else 0.0,
        "kchars/s": round(chars / elapsed / 1000, 1) if elapsed else 0.0,
        "quotes/article": round(quotes / n, 1) if n else 0.0,
    }


def run(quick: bool) -> list[dict[str, object]]:
    """Articles per second of ``extract_quotes`` on each available corpus."""
    rows: list[dict[str, object]] = []
    # the training split without its check articles (those are only reported on)
    polnear = [a.text for a in polnear_training_articles(150 if quick else None)]
    corpora = []
    if polnear:
        corpora.append(("PolNeAR training split (real US news)", polnear, 1))
    seeds = _texts(SHARED / "samples" / "seeds", None)
    if seeds:
        corpora.append(("seed articles", seeds, 20 if quick else 100))
    generated = [a.text for a in generate(200 if quick else 2000, seed=11)]
    corpora.append(("generated corpus", generated, 1))
    for name, texts, rounds in corpora:
        for learned in (True, False):
            rows.append(_measure(name, texts, rounds, learned))
    return rows


def main() -> None:
    rows = run(quick=False)
    cols = list(rows[0])
    print(" | ".join(f"{c:>26}" if i == 0 else f"{c:>14}" for i, c in enumerate(cols)))
    for r in rows:
        print(
            " | ".join(f"{r[c]!s:>26}" if i == 0 else f"{r[c]!s:>14}" for i, c in enumerate(cols))
        )


if __name__ == "__main__":
    main()
