"""What the shared scorer's direct@0.3 figure would read if it knew the NYT's quotation marks.

    python3 -m bench.direct_marks ../shared/data/polnear-train OUT.jsonl [--only LIST]

`../shared/eval/score_quotes.py` calls a gold content direct when it holds “ or ". The New York
Times articles of PolNeAR quote with two apostrophes (''It is all lies,'' he said), so their
direct quotations count as indirect golds there, and each direct prediction of one is a false
positive of direct@0.3 while it is a true positive of all@0.3. This script reads the scorer's
own loader and scoring (imported, not copied) over an extractor's saved output (the JSON lines
of `verbatim extract --json`) twice: as the scorer reads the golds, and with '' counted as a
quotation mark too. An explanation beside the scorer's figure, never a replacement for it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score_quotes.py"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"direct_marks: no scorer at {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("data", type=Path, help="a PolNeAR-style folder (text/, attributions/)")
    ap.add_argument("output", type=Path, help="the JSON lines of verbatim extract --json")
    ap.add_argument("--only", type=Path, help="a file of article names, one a line")
    a = ap.parse_args(argv)
    sq = _scorer()
    only = set(a.only.read_text(encoding="utf-8").split()) if a.only else None
    docs: list[dict[str, Any]] = sq.load(str(a.data), only)
    preds: dict[str, list[dict[str, Any]]] = {}
    for line in a.output.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "quotes" in record:
            preds[os.path.abspath(record["source"])] = record["quotes"]
    rows = [("as the scorer reads the golds", sq.score(docs, preds, 0.3, True))]
    for doc in docs:
        for gold in doc["gold"]:
            gold["direct"] = gold["direct"] or "''" in doc["text"][gold["start"] : gold["end"]]
    rows.append(("'' counted as a quotation mark", sq.score(docs, preds, 0.3, True)))
    for name, r in rows:
        print(
            f"direct@0.3, {name}: P={r['P']:.3f} R={r['R']:.3f} F1={r['F1']:.3f} "
            f"speaker={r['speaker']:.3f} (tp {r['tp']} fp {r['fp']} fn {r['fn']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
