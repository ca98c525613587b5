"""Digest build time for one day of coverage: 10k articles (--quick: 1k) in a real SQLite store.

The day is written through the store's own methods (articles, statements, quotes, events), so
the digest reads what ingest would have left. The mix per article is set here rather than
taken from ingesting bench.corpus (whose templated claims make most quotes misattributions, and
whose ingest would take minutes): three quotes, of which 55% are new statements, 30% repeats of
an earlier statement (Zipf-popular), 12% alterations and 3% misattributions; 3% of articles
carry a dispute and 10% a topic match. Timed: what `verbatim digest` and a channel's scheduled
digest do (`bot.app.channel_digests.digest_for`: the period's events by publication time, their
statements, the build), its reads also timed alone first, then the rendering.
"""

from __future__ import annotations

import hashlib
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.corpus import FIRST, LAST, OUTLETS
from bot.app.channel_digests import digest_for, last_day
from bot.core.digest import digest_to_json, render_digest_text
from bot.core.models import (
    Appearance,
    Article,
    Change,
    ChangeKind,
    Classification,
    DiffOp,
    Event,
    EventType,
    Quote,
    QuoteKind,
    Relation,
    Severity,
)
from storage.db import open_db
from storage.history import History
from storage.store import Store

CHANNEL = "slack:CDESK"
QUOTES_PER_ARTICLE = 3
TOPICS = ("harbour", "ferry", "budget", "schools", "housing")


def _said(rng: random.Random, n: int) -> str:
    subject = rng.choice(["The ferry line", "The budget", "The school reform", "The new wing"])
    return f"{subject} will cost {rng.randint(10, 900)} million and open by {2026 + n % 5}"


def fill_day(store: Store, n_articles: int, seed: int = 5) -> dict[str, int]:
    """Write a day of ``n_articles`` articles and their events; returns what was written."""
    rng = random.Random(seed)
    published = datetime.now(UTC) - timedelta(hours=12)
    statements: list[tuple[int, str, str]] = []  # (id, speaker, canonical)
    counts = {"articles": n_articles, "statements": 0, "events": 0}
    for i in range(n_articles):
        outlet = rng.choice(OUTLETS)
        url = f"https://{outlet.lower().replace(' ', '-')}.example/{i}"
        speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        with store.transaction():
            article = Article(url, outlet, f"Story {i}", f"Text of story {i}.", published)
            article_id, _ = store.add_article(article, hashlib.sha1(url.encode()).hexdigest())
            events = [
                _quote_event(store, rng, statements, article_id, article, speaker, q)
                for q in range(QUOTES_PER_ARTICLE)
            ]
            if rng.random() < 0.03 and statements:
                sid, who, canonical = statements[rng.randrange(len(statements))]
                evidence = f"{speaker} said the claim that {canonical.lower()} was false."
                events.append(
                    Event(EventType.DISPUTE, url, outlet, sid, who, canonical=canonical,
                          disputed_by=speaker, evidence=evidence)
                )  # fmt: skip
            if rng.random() < 0.10:
                events.append(Event(EventType.TOPIC, url, outlet, topic=rng.choice(TOPICS)))
            for n, event in enumerate(events):
                store.add_event(f"{url}#{n}", event, article_id)
        counts["events"] += len(events)
    counts["statements"] = len(statements)
    return counts


def _quote_event(
    store: Store,
    rng: random.Random,
    statements: list[tuple[int, str, str]],
    article_id: int,
    article: Article,
    speaker: str,
    n: int,
) -> Event:
    roll = rng.random()
    changes: tuple[Change, ...] = ()
    diff: tuple[DiffOp, ...] = ()
    if not statements or roll < 0.55:
        text = _said(rng, len(statements))
        sid = store.add_statement(speaker, text, article_id)
        statements.append((sid, speaker, text))
        kind, cls = EventType.NEW_STATEMENT, Classification(Relation.NEW, sid, 1.0)
        who, printed, canonical = speaker, text, text
    else:
        # Zipf-like popularity: a few statements are repeated all day, most once or twice.
        sid, who, canonical = statements[int(len(statements) * rng.random() ** 3)]
        printed = canonical
        kind, relation = EventType.REPEAT, Relation.REPEAT
        if roll >= 0.85:
            old = canonical.split(" cost ")[1].split()[0]
            printed = canonical.replace(old, str(int(old) * 2), 1)
            changes = (Change(ChangeKind.NUMBER, Severity.HIGH, old, str(int(old) * 2)),)
            diff = (DiffOp("equal", "will cost", "will cost"), DiffOp("replace", old, printed))
            kind, relation = EventType.ALTER, Relation.ALTER
        if roll >= 0.97:
            changes = (Change(ChangeKind.SPEAKER, Severity.HIGH, who, speaker),)
            kind, relation = EventType.MISATTRIBUTION, Relation.MISATTRIBUTION
        cls = Classification(relation, sid, 0.9, changes, diff)
    quote = Quote(printed, n * 100, n * 100 + len(printed), QuoteKind.DIRECT, speaker)
    store.add_quote(article_id, quote, cls)
    return Event(
        kind, article.url, article.outlet, sid, who, quote=printed, canonical=canonical,
        changes=changes, diff=diff, title=article.title,
        first=Appearance(article.outlet, article.url, article.published),
        credited_to=speaker if kind is EventType.MISATTRIBUTION else None,
    )  # fmt: skip


def run(quick: bool) -> list[dict[str, object]]:
    n = 1_000 if quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(open_db(Path(tmp) / "digest.db"))
        started = time.perf_counter()
        written = fill_day(store, n)
        fill_s = time.perf_counter() - started
        history = History(store)  # what `verbatim digest` and the scheduler read through
        end = datetime.now(UTC) + timedelta(minutes=1)
        start, end = last_day(end)
        t0 = time.perf_counter()
        timed = history.events_between(start, end)  # by publication time
        t1 = time.perf_counter()
        ids = sorted({e.statement_id for _, e in timed if e.statement_id is not None})
        history.statements_by_id(ids)
        t2 = time.perf_counter()
        digest = digest_for(history, CHANNEL, start, end)  # reads both again, then builds
        t3 = time.perf_counter()
        text = render_digest_text(digest)
        digest_to_json(digest)
        t4 = time.perf_counter()
        store.db.close()
    assert len(timed) == written["events"] and text
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        {
            "benchmark": "digest of one day (SQLite file, WAL)",
            "articles": n,
            "events": written["events"],
            "statements": written["statements"],
            "read events s": round(t1 - t0, 3),
            "read statements s": round(t2 - t1, 3),
            "digest_for s (reads again + build)": round(t3 - t2, 3),
            "render text+JSON s": round(t4 - t3, 3),
            "total s (digest_for + render)": round(t4 - t2, 3),
            "set-up s (not timed)": round(fill_s, 1),
            "peak RSS MB": round(peak_mb),
        }
    ]


if __name__ == "__main__":
    for row in run(quick=True):
        print(row)
