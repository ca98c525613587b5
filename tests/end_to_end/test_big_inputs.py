"""Big inputs in bounded memory: a 250 KB article (extraction, then ingest into SQLite) and a
feed file of 100,000 entries. Peaks are Python allocations seen by tracemalloc; no timing.

250 KB, not the 5 MB a fetch may bring: tracemalloc traces every allocation of the tagger's
features and makes extraction some 25 times slower (500 KB took 35 s a test). Each article test
measures two sizes, a quarter of the article and the whole, and bounds both the peak against the
input and its growth: four times the text may take at most five times the memory. Linear
memory grows at most four times (less, with a fixed part); a copy of the text per quote, or
anything quadratic, grows about sixteen times, at any size. The quote model is loaded before
tracing: once per process, not per article.
"""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from adapters.feed_entries import MAX_ENTRIES
from adapters.local_feed import read_feed_file
from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.extract import extract_quotes
from bot.core.extract.tagger import load_model
from bot.core.models import Article, Event, Quote

MB = 1_000_000
T = TypeVar("T")
FIRST = ["Orla", "Tamsin", "Bram", "Idris", "Nell", "Caspar", "Wren", "Ottoline"]
LAST = ["Penhallow", "Quennell", "Marrow", "Voss", "Kettleby", "Ashdown"]
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def big_article(size: int, seed: int = 1, every: int = 8) -> str:
    """``size`` characters of paragraphs, one in ``every`` quoting a named person.

    Each quote says different (invented) words, as a long transcript or live blog would; the
    speakers are named in each paragraph (see the report on pronoun and descriptor speakers).
    """
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(5000)
    ]
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if i % every == 0:
            words = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 16)))
            paragraph = f"“We will {words} by {2026 + i % 7},” {who} said on Tuesday."
        else:
            paragraph = (
                f"The council met on day {i} to discuss the plan, which has been delayed "
                f"since {2000 + i % 25}, and residents of the district filled the hall."
            )
        parts.append(paragraph)
        total += len(paragraph) + 2
        i += 1
    return "\n\n".join(parts)


def peak_of(work: Callable[[], T]) -> tuple[T, int]:
    """``work()``'s result and the peak of Python allocations made while it ran."""
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


ARTICLE = MB // 4
GROWTH = 5  # the most a peak may grow when the article is four times as long


def extraction_peak(size: int) -> tuple[str, list[Quote], int]:
    """An article of ``size`` characters, its quotes and the peak of extracting them."""
    text = big_article(size)
    load_model()
    extract_quotes(text)  # the tagger's cache of weight sums is bounded, not the input's cost
    quotes, peak = peak_of(lambda: extract_quotes(text))
    return text, quotes, peak


def test_a_big_article_is_extracted_in_memory_linear_in_its_size() -> None:
    *_, small_peak = extraction_peak(ARTICLE // 4)
    text, quotes, peak = extraction_peak(ARTICLE)
    assert len(quotes) >= 200  # one paragraph in eight carries a quote
    assert all(text[q.start : q.end] == q.text for q in quotes[::97])
    assert {q.speaker for q in quotes} <= {f"{f} {s}" for f in FIRST for s in LAST}
    # Measured: 5.7x the input (the quotes, their slices, sentence offsets, one paragraph's
    # tagger features at a time), 4.2 times the quarter's peak. The bound is 10x the input: one
    # more copy of the text per quote would be 240 x the input.
    assert peak < 10 * len(text)
    assert peak < GROWTH * small_peak


@dataclass(frozen=True)
class Ingested:
    text: str
    events: list[Event]
    peak: int
    stored: list[tuple[int]]  # the length of each stored article's text
    quotes: int
    statements: int


def ingest_peak(db_path: Path, size: int) -> Ingested:
    """An article of ``size`` characters ingested into a new database at ``db_path``."""
    text = big_article(size, seed=2)
    app = open_app(settings=Settings(db_path=db_path, console=False))
    try:
        article = Article(
            "https://fenwick-courier.example/transcript", "Fenwick Courier", "T", text
        )
        load_model()
        events, peak = peak_of(lambda: app.monitor.ingest(article))
        db = app.store.db
        return Ingested(
            text,
            events,
            peak,
            stored=db.execute("select length(text) from articles").fetchall(),
            quotes=db.execute("select count(*) from quotes").fetchone()[0],
            statements=db.execute("select count(*) from statements").fetchone()[0],
        )
    finally:
        app.close()


def test_a_big_article_is_ingested_into_sqlite_in_memory_linear_in_its_size(
    tmp_path: Path,
) -> None:
    small = ingest_peak(tmp_path / "small.db", ARTICLE // 4)
    big = ingest_peak(tmp_path / "big.db", ARTICLE)
    assert big.stored == [(len(big.text),)]
    # each quote says new words
    assert big.quotes >= 200 and big.statements == big.quotes == len(big.events)
    # Measured before the tagger: 88 MB for 5 MB, 17 MB for 1 MB (linear), as ingest holds the
    # text, its quotes, their tokens and alignments, events and the SQLite parameters. Now 25x
    # the input, 2.9 times the quarter's peak (its fixed part weighs more). The bound is 30x.
    assert big.peak < 30 * len(big.text)
    assert big.peak < GROWTH * small.peak


def write_feed(path: Path, entries: int) -> datetime:
    """An Atom file of ``entries`` entries, a minute apart, oldest first; returns the newest."""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Fenwick Courier</title>'
            "<id>urn:fenwick</id><updated>2026-11-21T09:00:00Z</updated>\n"
        )
        for i in range(entries):
            stamp = (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            url = f"https://fenwick-courier.example/{i}"
            fh.write(
                f'<entry><title>Story {i}</title><link href="{url}"/><id>{url}</id>'
                f'<updated>{stamp}</updated><content type="text">“The tram depot will open '
                f"by {2026 + i % 9},” Orla Penhallow said of item {i}.</content></entry>\n"
            )
        fh.write("</feed>\n")
    return start + timedelta(minutes=entries - 1)


def test_a_feed_of_100000_entries_keeps_the_newest_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.atom"
    newest = write_feed(path, 100_000)
    size = path.stat().st_size
    articles, peak = peak_of(lambda: read_feed_file(path))
    assert len(articles) == MAX_ENTRIES  # the newest entries, the rest counted as skipped
    assert articles[-1].url == "https://fenwick-courier.example/99999"
    assert articles[-1].published == newest
    assert [a.published for a in articles] == sorted(a.published or newest for a in articles)
    # Measured: 31 MB for a 27 MB file: the bytes once, then only the first and last
    # MAX_ENTRIES entries are parsed. The bound is the file plus 32 MB.
    assert peak < size + 32 * MB
