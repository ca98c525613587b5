"""End-to-end ingest throughput: generated articles through extraction, matching and SQLite."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from bench.corpus import generate
from bot.bootstrap import open_app
from bot.core.extract.tagger import load_model
from bot.settings import Settings


def run(quick: bool) -> list[dict[str, object]]:
    n = 300 if quick else 3000
    articles = list(generate(n, seed=3))
    with tempfile.TemporaryDirectory() as tmp:
        app = open_app(settings=Settings(db_path=Path(tmp) / "bench.db", console=False))
        load_model()  # once per process, like the bot's start-up: not part of the rate
        started = time.perf_counter()
        events = 0
        for article in articles:
            events += len(app.monitor.ingest(article))
        elapsed = time.perf_counter() - started
        alerts = app.outbox.pending_count()
        app.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        {
            "benchmark": "ingest end to end (SQLite file, WAL)",
            "articles": n,
            "articles/s": round(n / elapsed, 1),
            "events": events,
            "alerts queued": alerts,
            "peak RSS MB": round(peak_mb),
        }
    ]
