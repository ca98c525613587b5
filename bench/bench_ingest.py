"""End-to-end ingest: real and generated articles through extraction, matching and SQLite,
timed for this tree and for a baseline commit on the same articles in the same run.

Each measurement runs in its own process (`bench/ingest_worker.py`, the tree under test first
on the path); rounds alternate baseline and this tree, and the median of the rounds is kept.
Rates are articles per CPU second of the worker (`time.process_time`): on a shared machine
wall time also counts the other engineers' work. "After extraction" replays the quotes the
extractor found (not timed) through the rest: matching, storage, the stages.

The baselines are `VERBATIM_BENCH_BASELINE` (commits, comma-separated; default: the code
before issue 20's speed work), each taken out of git with `git archive`; without git the rows
say so. Every tree's "×" columns compare it with the first baseline, measured in the same run.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from bench.corpus import generate, polnear_training_articles
from bot.core.models import Article
from bot.core.serialize import format_time

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BASELINE = "b341f30"  # the code before issue 20's speed work
BASELINES = [
    b.strip()
    for b in os.environ.get("VERBATIM_BENCH_BASELINE", DEFAULT_BASELINE).split(",")
    if b.strip()
]


def _write(path: Path, articles: list[Article]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            record: dict[str, str | None] = {"url": a.url, "outlet": a.outlet, "title": a.title}
            record["text"] = a.text
            record["published"] = format_time(a.published) if a.published else None
            fh.write(json.dumps(record) + "\n")
    return path


def _baseline_tree(commit: str, into: Path) -> Path | str:
    """The commit's files under ``into``, or why there are none."""
    try:
        data = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"baseline {commit} not available ({exc})"
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _one(tree: Path, batch: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "ingest_worker.py"), str(batch)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"ingest worker failed in {tree}: {done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _row(corpus: str, code: str, n: int, runs: list[dict[str, Any]]) -> dict[str, Any]:
    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "corpus": corpus,
        "code": code,
        "articles": n,
        "articles/s (CPU)": round(n / med("cpu s"), 1),
        "articles/s (wall)": round(n / med("wall s"), 1),
        "after extraction articles/s": round(n / med("after extraction cpu s"), 1),
        "events": int(med("events")),
        # the same in every run, or the runs disagree: each distinct value is shown
        "events sha256": "/".join(sorted({str(r.get("events sha256", "?")) for r in runs})),
        "peak RSS MB": round(med("peak MB")),
        "runs": len(runs),
    }


def run(quick: bool) -> list[dict[str, object]]:
    rounds = 1 if quick else 3
    corpora = []
    real = polnear_training_articles(150 if quick else None)
    if real:
        corpora.append(("PolNeAR training split (real US news)", real))
    corpora.append(("generated corpus (invented)", list(generate(300 if quick else 3000, seed=3))))
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        trees: list[tuple[str, Path]] = []
        missing: list[str] = []
        for n, commit in enumerate(BASELINES):
            base = _baseline_tree(commit, Path(tmp) / f"baseline{n}")
            if isinstance(base, str):
                missing.append(base)
                continue
            label = " (before issue 20)" if commit == DEFAULT_BASELINE else ""
            trees.append((f"baseline {commit}{label}", base))
        trees.append((f"this tree ({_head()})", REPO))
        for name, articles in corpora:
            batch = _write(Path(tmp) / f"{len(rows)}.jsonl", articles)
            runs: dict[str, list[dict[str, Any]]] = {code: [] for code, _ in trees}
            for _ in range(rounds):  # interleaved: the machine's load falls on both alike
                for code, tree in trees:
                    runs[code].append(_one(tree, batch))
            done = [_row(name, code, len(articles), runs[code]) for code, _ in trees]
            if len(done) > 1:
                for now in done[1:]:
                    for key in ("articles/s (CPU)", "after extraction articles/s"):
                        ratio = float(now[key]) / float(done[0][key])
                        now[f"{key} ×"] = round(ratio, 2)
            rows.extend(done)
        rows.extend({"corpus": why} for why in missing)
    return rows


def _head() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "working tree"
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "diff", "--quiet", "HEAD", "--", "bot", "storage"],
        capture_output=True,
    ).returncode
    return f"{out}{' + uncommitted' if dirty else ''}"


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run(quick="--full" not in sys.argv)))
