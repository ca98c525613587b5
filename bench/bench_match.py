"""Statement matching at 10k, 100k (and, in the full run, 1M) stored statements; start-up.

The statements are generated from invented words. The main generator is calibrated on real
quotes (`--calibrate` prints it beside them): their number of distinct content words (median
6), their share of stop words, and a Zipf-Mandelbrot vocabulary whose commonest words and tail
match the quotes of the PolNeAR training split. The first generator (8 to 30 content words,
three times real quotes') is kept as the easy comparison. Queries are stored statements as
other outlets print them (trimmed, a word changed, a number changed, negated) and unseen ones.
`--startup` times the app's start on a SQLite store: the index rebuilt, then read back saved.

Each query goes through what the monitor does per quote: index candidates, then
`classify_quote` on those candidates. The baseline, measured in the same run, is the naive
design the index replaces: rapidfuzz's `process.extractOne` over every stored wording.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect
from collections import Counter
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core.matching import KnownStatement, StatementIndex, classify_quote, tokenize
from bot.core.matching.tokens import ELLIPSIS, STOPWORDS, content_words
from bot.core.models import QuoteKind
from storage.db import open_db
from storage.index_file import index_path

VOCABULARY = 60_000
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _words(rng: random.Random, n: int = VOCABULARY) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


class Statements:
    """The first generator: 8 to 30 words over a Zipfian vocabulary, every word a content word
    (about 18 distinct a statement, three times real quotes'): kept as the easy comparison."""

    name = "uniform 8-30 content words (easy)"

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _words(self.rng)
        self.cum = list(accumulate(1 / (rank + 1) for rank in range(VOCABULARY)))
        self.speakers = [f"Speaker {w.title()}" for w in self.words[:500]]

    def _content(self, n: int) -> list[str]:
        total = self.cum[-1]
        return [self.words[bisect(self.cum, self.rng.random() * total)] for _ in range(n)]

    def text(self) -> str:
        n = self.rng.randint(8, 30)
        picked = self._content(n)
        picked.insert(self.rng.randint(0, n), str(self.rng.randint(2, 99_999)))
        return " ".join(picked).capitalize() + "."

    def variant(self, text: str) -> str:
        words = text.rstrip(".").split()
        if len(words) < 5:
            return text  # a short quote comes back as it was
        roll = self.rng.random()
        if roll < 0.25:
            return " ".join(words[self.rng.randint(1, 3) :])
        if roll < 0.5:
            i = self.rng.randrange(len(words))
            words[i] = self.words[self.rng.randrange(1000, len(self.words))]
            return " ".join(words)
        if roll < 0.75:
            return " ".join("7" + w if w.isdigit() else w for w in words)
        return " ".join([*words[:2], "not", *words[2:]])


# Measured by `python -m bench.bench_match --calibrate` on the direct and fragment quotes the
# extractor finds in the 672 PolNeAR training-split articles (never the check articles):
# 6,619 quotes; distinct content words a quote: median 6, mean 8.2; 38% of words stop words.
CONTENT_WORDS = (
    17,
    534,
    828,
    600,
    529,
    498,
    432,
    441,
    324,
    327,
    272,
    249,
    239,
    191,
    171,
    138,
    123,
    113,
    102,
    80,
    61,
    60,
    30,
    33,
    32,
    22,
    14,
    19,
    20,
    9,
    14,
    10,
    8,
    5,
    5,
    9,
    6,
    4,
    2,
    3,
)  # fmt: skip  (quotes with 0, 1, 2, ... distinct content words)
STOP_SHARE = 0.38
# Content words drawn from a Zipf-Mandelbrot law p(r) ~ (r + 60) ** -1.5 over 200,000 words:
# on 6,619 generated quotes it gives 8.5k distinct stems (real: 8.3k), the commonest word in
# 6.9% of quotes (7.3%), the top 10 / 100 / 1,000 words 7% / 38% / 78% of content words
# (real: 6% / 29% / 70%).
REAL_VOCABULARY, REAL_OFFSET, REAL_EXPONENT = 200_000, 60, 1.5
_STOP = sorted(STOPWORDS - {"not", "no"})


class RealShapedStatements(Statements):
    """Statements shaped like real quotes: their number of content words, their share of stop
    words, and a vocabulary whose commonest words and long tail match real quotes'."""

    name = "real-shaped (calibrated on PolNeAR training quotes)"

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _words(self.rng, REAL_VOCABULARY)
        self.cum = list(
            accumulate((r + REAL_OFFSET) ** -REAL_EXPONENT for r in range(1, REAL_VOCABULARY + 1))
        )
        self.sizes = list(accumulate(CONTENT_WORDS))
        self.speakers = [f"Speaker {w.title()}" for w in self.words[-2000:]]

    def text(self) -> str:
        n = max(1, bisect(self.sizes, self.rng.random() * self.sizes[-1]))
        content: list[str] = []
        while len(content) < n:
            (word,) = self._content(1)
            if word not in content:
                content.append(word)
        stops = round(n * STOP_SHARE / (1 - STOP_SHARE))
        words = [*content, *(self.rng.choice(_STOP) for _ in range(stops))]
        self.rng.shuffle(words)
        if self.rng.random() < 0.3:
            words.insert(self.rng.randint(0, len(words)), str(self.rng.randint(2, 99_999)))
        return " ".join(words).capitalize() + "."


def quote_shape(texts: list[str]) -> dict[str, object]:
    """The figures the generator is calibrated on, for real or generated quote texts."""
    df: Counter[str] = Counter()
    sizes = []
    for text in texts:
        own = set(content_words([t for t in tokenize(text) if t.key != ELLIPSIS]))
        sizes.append(len(own))
        df.update(own)
    ranked = [n for _, n in df.most_common()]
    total = sum(ranked) or 1
    return {
        "quotes": len(texts),
        "content words median": statistics.median(sizes) if sizes else 0,
        "mean": round(statistics.mean(sizes), 1) if sizes else 0,
        "distinct words": len(ranked),
        "commonest word in % of quotes": round(100 * ranked[0] / len(texts), 1) if ranked else 0,
        "top 10 / 100 / 1000 share %": " / ".join(
            str(round(100 * sum(ranked[:k]) / total)) for k in (10, 100, 1000)
        ),
    }


def real_quotes() -> list[str]:
    """The direct and fragment quotes of the PolNeAR training split (empty without it)."""
    from bench.corpus import polnear_training_articles
    from bot.core.extract import extract_quotes
    from bot.core.matching.split import matched_quotes

    return [
        q.text
        for a in polnear_training_articles()
        for q in matched_quotes(extract_quotes(a.text))
        if q.kind is not QuoteKind.INDIRECT
    ]


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def _measure(size: int, queries: int, baseline_queries: int, gen: Statements) -> dict[str, object]:
    texts: list[str] = []
    speakers: list[str] = []
    gc.collect()
    before = _rss_mb()
    index = StatementIndex()
    started = time.perf_counter()
    for sid in range(size):
        text, speaker = gen.text(), gen.rng.choice(gen.speakers)
        texts.append(text)
        speakers.append(speaker)
        index.add(sid, speaker, text)
    build_s = time.perf_counter() - started
    index_mb = _rss_mb() - before
    picks = [gen.rng.randrange(size) for _ in range(queries)]
    # Four in five queries are a stored statement as another outlet prints it; one is unseen.
    asks = [
        (gen.variant(texts[i]), speakers[i], i) if n % 5 else (gen.text(), "Speaker Nobody", -1)
        for n, i in enumerate(picks)
    ]
    latencies: list[float] = []
    cpu: list[float] = []  # the same, in CPU time: what a shared machine's load does not add
    right = 0
    candidates = 0
    for text, speaker, expected in asks:
        t0, c0 = time.perf_counter(), time.thread_time()
        tokens = tokenize(text)  # once, as the monitor does
        ids = index.candidates(text, tokens=tokens)
        known = [KnownStatement(i, speakers[i], texts[i], ()) for i in ids]
        result = classify_quote(text, speaker, known, tokens=tokens)
        cpu.append((time.thread_time() - c0) * 1000)
        latencies.append((time.perf_counter() - t0) * 1000)
        right += result.statement_id == (expected if expected >= 0 else None)
        candidates += len(ids)
    naive: list[float] = []
    for text, _, _ in asks[:baseline_queries]:
        t0 = time.perf_counter()
        process.extractOne(text, texts, scorer=fuzz.token_set_ratio, score_cutoff=60)
        naive.append((time.perf_counter() - t0) * 1000)
    return {
        "statements": gen.name,
        "stored": f"{size:,}",
        "content words/statement": statistics.median(
            len(set(content_words(tokenize(t)))) for t in texts[:2000]
        ),
        "index build s": round(build_s, 1),
        "index MB (RSS growth)": round(index_mb),
        "candidates/query": round(candidates / len(asks), 1),
        "match p50 ms": round(_percentile(latencies, 50), 2),
        "match p99 ms": round(_percentile(latencies, 99), 2),
        "CPU p50 / p99 ms": f"{_percentile(cpu, 50):.2f} / {_percentile(cpu, 99):.2f}",
        "right answers": f"{right}/{queries}",
        "naive scan p50 ms": round(statistics.median(naive), 1),
        "naive p99 ms": round(_percentile(naive, 99), 1),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _fill_store(path: Path, size: int) -> None:
    """A database file with ``size`` real-shaped statements, each with its one wording."""
    gen = RealShapedStatements(seed=size)
    db = open_db(path)
    now = datetime.now(UTC).isoformat()
    batch = 50_000
    for first in range(1, size + 1, batch):
        ids = range(first, min(size, first + batch - 1) + 1)
        rows = [(i, gen.rng.choice(gen.speakers), gen.text()) for i in ids]
        with db.conn:
            db.conn.executemany(
                "insert into statements (id, speaker, canonical, quote_count, created_at, "
                "wording_key) values (?, ?, ?, 1, ?, ?)",
                [(i, who, text, now, f"bench-{i}") for i, who, text in rows],
            )
            db.conn.executemany(
                "insert into statement_wordings (statement_id, text) values (?, ?)",
                [(i, text) for i, _, text in rows],
            )
    db.close()


def _start(path: Path) -> dict[str, float]:
    """One process start: the app opened and its matching index ready, then closed (saved)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_match", "--start", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def _start_here(path: Path) -> None:
    from bot.app.settings import Settings
    from bot.bootstrap import open_app

    started = time.perf_counter()
    app = open_app(settings=Settings(db_path=path, console=False))
    entries = app.monitor.index.entries()
    ready = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    app.close()
    saved = time.perf_counter() - started
    print(json.dumps({"ready s": ready, "peak MB": peak, "entries": entries, "close s": saved}))


def startup(sizes: list[int]) -> list[dict[str, object]]:
    """Start-up of the app on a store of each size: rebuilding the index from the store (as
    before issue 20, and still when no saved index fits), then reading the saved one."""
    rows: list[dict[str, object]] = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "start.db"
            _fill_store(path, size)
            rebuilt = _start(path)  # no index file yet: rebuilt, then saved at close
            index_mb = index_path(path).stat().st_size / 2**20
            loaded = _start(path)
            assert loaded["entries"] == rebuilt["entries"], "the saved index differs"
        rows.append(
            {
                "stored statements": f"{size:,}",
                "start-up, rebuilt from the store s": round(rebuilt["ready s"], 1),
                "its peak RSS MB": round(rebuilt["peak MB"]),
                "start-up, saved index s": round(loaded["ready s"], 2),
                "its peak RSS MB ": round(loaded["peak MB"]),
                "index file MB": round(index_mb),
                "saving at close s": round(rebuilt["close s"], 1),
            }
        )
    return rows


def calibration() -> list[dict[str, object]]:
    """The generators beside the real quotes they are meant to look like."""
    real = real_quotes()
    rows: list[dict[str, object]] = []
    if real:
        rows.append({"corpus": "PolNeAR training split, extracted", **quote_shape(real)})
    n = len(real) or 6619
    for gen in (RealShapedStatements(seed=1), Statements(seed=1)):
        rows.append({"corpus": gen.name, **quote_shape([gen.text() for _ in range(n)])})
    return rows


def run(quick: bool, only: list[int] | None = None) -> list[dict[str, object]]:
    """``only``: just these sizes of real-shaped statements (the full run's queries)."""
    sizes = only or ([10_000, 100_000] if quick else [10_000, 100_000, 1_000_000])
    queries, baseline = (500, 20) if quick and not only else (2000, 50)
    rows = [_measure(s, queries, baseline, RealShapedStatements(seed=s)) for s in sizes]
    if not only:
        rows += [_measure(s, queries, baseline, Statements(seed=s)) for s in sizes[:2]]
    return rows


def startup_run(quick: bool) -> list[dict[str, object]]:
    return startup([100_000] if quick else [100_000, 1_000_000])


def calibration_run(quick: bool) -> list[dict[str, object]]:
    return calibration()


def main() -> None:
    from bench.__main__ import table

    parser = argparse.ArgumentParser(prog="python -m bench.bench_match")
    parser.add_argument("--full", action="store_true", help="up to 1M statements")
    parser.add_argument("--calibrate", action="store_true", help="generators against real quotes")
    parser.add_argument("--startup", action="store_true", help="start-up on a stored index")
    parser.add_argument("--start", help=argparse.SUPPRESS)  # one start, in its own process
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="only these sizes of real-shaped statements"
    )
    args = parser.parse_args()
    if args.start:
        _start_here(Path(args.start))
    elif args.calibrate:
        print(table(calibration()))
    elif args.startup:
        print(table(startup_run(quick=not args.full)))
    else:
        print(table(run(quick=not args.full, only=args.sizes)))


if __name__ == "__main__":
    main()
