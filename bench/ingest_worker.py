"""One ingest measurement in its own process, for `bench.bench_ingest`: run as a script with
the tree under test first on PYTHONPATH, so the same articles time today's code and a baseline.

    python bench/ingest_worker.py ARTICLES.jsonl   ->  one JSON line of figures

It imports only `bot` (any version of it), never `bench`.
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any


def _articles(path: Path) -> list[Any]:
    from bot.core.models import Article

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = datetime.fromisoformat(r["published"]) if r.get("published") else None
        out.append(Article(r["url"], r["outlet"], r["title"], r["text"], published=published))
    return out


def _settings_class() -> Any:
    """``Settings`` wherever the tree under test keeps it: ``bot/app/settings.py`` since the
    folders were sorted by role (issue 19), ``bot/settings.py`` before. Chosen by the file,
    since the editable install would otherwise find today's module for an older tree."""
    import importlib

    import bot

    moved = (Path(bot.__file__).parent / "app" / "settings.py").exists()
    return importlib.import_module("bot.app.settings" if moved else "bot.settings").Settings


def _digest(events: list[Any]) -> str:
    """A fingerprint of the events, in order: the same articles must give the same events
    whatever the speed work did. Their JSON lines where the tree has them, else their repr."""
    try:
        from bot.core.serialize import event_to_dict
    except ImportError:
        return hashlib.sha256("\n".join(map(repr, events)).encode()).hexdigest()[:16]
    lines = (json.dumps(event_to_dict(e), sort_keys=True, ensure_ascii=False) for e in events)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _ingest(articles: list[Any], db: Path) -> tuple[float, float, list[Any]]:
    from bot.bootstrap import open_app

    Settings = _settings_class()

    app = open_app(settings=Settings(db_path=db, console=False))
    events: list[Any] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for article in articles:
        events += app.monitor.ingest(article)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    app.close()
    return cpu, wall, events


def main() -> None:
    import bot.core.monitor as monitor
    from bot.core.extract import extract_quotes

    try:  # the learned quote model loads once per process, as at the bot's start-up
        from bot.core.extract.tagger import load_model

        load_model()
    except ImportError:
        pass
    articles = _articles(Path(sys.argv[1]))
    with tempfile.TemporaryDirectory() as tmp:
        cpu, wall, events = _ingest(articles, Path(tmp) / "whole.db")
        found = {a.text: extract_quotes(a.text) for a in articles}  # not timed
        real = monitor.extract_quotes
        monitor.extract_quotes = lambda text, **_: found[text]
        try:
            rest_cpu, _, rest_events = _ingest(articles, Path(tmp) / "rest.db")
        finally:
            monitor.extract_quotes = real
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "cpu s": cpu,
                "wall s": wall,
                "events": len(events),
                "events sha256": _digest(events),
                "after extraction cpu s": rest_cpu,
                "after extraction events": len(rest_events),
                "after extraction events sha256": _digest(rest_events),
                "peak MB": peak,
            }
        )
    )


if __name__ == "__main__":
    main()
