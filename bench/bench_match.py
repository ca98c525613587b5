"""Statement matching at 10k, 100k (and, in the full run, 1M) stored statements.

The statements are generated: 8 to 30 words drawn from a Zipf-distributed vocabulary of
60,000 invented words (news text follows Zipf's law, so common words are shared by many
statements and rare ones by few), plus a speaker. Queries are stored statements as other
outlets print them (trimmed, a word changed, a number changed, negated) and unseen ones.

Each query goes through what the monitor does per quote: index candidates, then
`classify_quote` on those candidates. The baseline, measured in the same run, is the naive
design the index replaces: rapidfuzz's `process.extractOne` over every stored wording.
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import time
from bisect import bisect
from itertools import accumulate

from rapidfuzz import fuzz, process

from bot.core.matching import KnownStatement, StatementIndex, classify_quote, tokenize

VOCABULARY = 60_000
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _words(rng: random.Random) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < VOCABULARY:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


class Statements:
    """A reproducible stream of statement texts over a Zipfian vocabulary."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _words(self.rng)
        self.cum = list(accumulate(1 / (rank + 1) for rank in range(VOCABULARY)))
        self.speakers = [f"Speaker {w.title()}" for w in self.words[:500]]

    def text(self) -> str:
        total = self.cum[-1]
        n = self.rng.randint(8, 30)
        picked = [self.words[bisect(self.cum, self.rng.random() * total)] for _ in range(n)]
        picked.insert(self.rng.randint(0, n), str(self.rng.randint(2, 99_999)))
        return " ".join(picked).capitalize() + "."

    def variant(self, text: str) -> str:
        words = text.rstrip(".").split()
        roll = self.rng.random()
        if roll < 0.25:
            return " ".join(words[self.rng.randint(1, 3) :])
        if roll < 0.5:
            i = self.rng.randrange(len(words))
            words[i] = self.words[self.rng.randrange(1000, VOCABULARY)]
            return " ".join(words)
        if roll < 0.75:
            return " ".join("7" + w if w.isdigit() else w for w in words)
        return " ".join([*words[:2], "not", *words[2:]])


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def _measure(size: int, queries: int, baseline_queries: int) -> dict[str, object]:
    gen = Statements(seed=size)
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
    right = 0
    for text, speaker, expected in asks:
        t0 = time.perf_counter()
        tokens = tokenize(text)  # once, as the monitor does
        ids = index.candidates(text, tokens=tokens)
        known = [KnownStatement(i, speakers[i], texts[i], ()) for i in ids]
        result = classify_quote(text, speaker, known, tokens=tokens)
        latencies.append((time.perf_counter() - t0) * 1000)
        right += result.statement_id == (expected if expected >= 0 else None)
    naive: list[float] = []
    for text, _, _ in asks[:baseline_queries]:
        t0 = time.perf_counter()
        process.extractOne(text, texts, scorer=fuzz.token_set_ratio, score_cutoff=60)
        naive.append((time.perf_counter() - t0) * 1000)
    return {
        "stored statements": f"{size:,}",
        "index build s": round(build_s, 1),
        "index MB (RSS growth)": round(index_mb),
        "match p50 ms": round(_percentile(latencies, 50), 2),
        "match p99 ms": round(_percentile(latencies, 99), 2),
        "right answers": f"{right}/{queries}",
        "naive scan p50 ms": round(statistics.median(naive), 1),
        "naive p99 ms": round(_percentile(naive, 99), 1),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(quick: bool) -> list[dict[str, object]]:
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    return [_measure(size, 500 if quick else 2000, 20 if quick else 50) for size in sizes]


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run(quick=True)))
