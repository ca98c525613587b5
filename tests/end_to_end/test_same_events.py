"""The events of a fixed corpus do not change when ingest is made faster (issue 20).

The corpus is ours (the benchmark generator's invented outlets and people, syndicated copies,
short quotes, disputes, a tracked statement and a saved topic). Its articles go through the
real pipeline (`open_app`: SQLite file, the monitor, every stage); only the extractor is replaced
by the quotes it found when the expected file was written, so a change to extraction (another
task's) does not move this test, while any change to matching, storage, the index or the
stages that alters an event, a statement or an alert does.

Rewrite the expected file only when a change of events is intended, and say why in the commit
(the quotes already recorded are kept; an article new to the corpus is read by the extractor):

    .venv/bin/python -m tests.end_to_end.test_same_events --write
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import Article, Quote, QuoteKind
from bot.core.serialize import event_to_dict
from tests.end_to_end.test_determinism import corpus as determinism_corpus

EXPECTED = Path(__file__).with_name("same_events.json")
TRACKED = ("Vennholt", "The harbour tax will not cost more than 400 million crowns")
TOPIC = ("console:default", "ferries", '"ferry line"')
CRITICS = ["Hanne Aaberg", "Rune Falk", "Milo Morvik"]
DISPUTES = [
    "{critic}, the opposition leader, rejected the claim. “That is simply false,” {last} "
    "said of {speaker}'s words that {claim}.",
    "{critic} dismissed {speaker}'s statement that {claim} as “a fantasy”.",
    "The claim that {claim} is misleading, the Harbor Audit Office said on Friday, and fails "
    "to acknowledge the overruns.",
]


def corpus() -> list[Article]:
    """The determinism corpus, with an article contesting a recent claim every ninth one."""
    out: list[Article] = []
    for i, article in enumerate(determinism_corpus()):
        out.append(article)
        if i % 9 != 4:
            continue
        claim = article.text.split("“")[1].split("”")[0].rstrip(",.") if "“" in article.text else ""
        if len(claim.split()) < 6:
            continue
        speaker = article.text.split("\n\n")[1].split(",")[0]
        critic = CRITICS[i % len(CRITICS)]
        line = DISPUTES[i % len(DISPUTES)].format(
            critic=critic,
            last=critic.split()[-1],
            speaker=speaker,
            claim=claim[0].lower() + claim[1:],
        )
        out.append(
            Article(
                url=f"https://halden-herald.example/reply-{i}",
                outlet="Halden Herald",
                title=f"{critic.split()[-1]} answers {speaker.split()[-1]}",
                text=f"{critic.split()[-1]} answers {speaker.split()[-1]}\n\n{line}\n\n"
                "The council meets again next week.",
                published=article.published,
            )
        )
    # The tracked statement itself contested, its words spelled out: a dispute of it by name.
    # (The replies above contest other claims, of speakers who share the tracked surname: no
    # dispute of the tracked statement, which is not the words they spell out.)
    out.append(
        Article(
            url="https://halden-herald.example/reply-tracked",
            outlet="Halden Herald",
            title="Falk answers Vennholt",
            text="Falk answers Vennholt\n\nRune Falk, the opposition leader, dismissed "
            f"Vennholt's promise that {TRACKED[1][0].lower()}{TRACKED[1][1:]} as “a fantasy”."
            "\n\nThe council meets again next week.",
            published=out[-1].published,
        )
    )
    return out


def _quote(text: str, row: list[Any]) -> Quote:
    """A recorded quote: its offsets in the article and what the extractor said of it."""
    start, end, kind, speaker, mention, cue = row
    return Quote(text[start:end], start, end, QuoteKind(kind), speaker, mention, cue)


def _quote_row(text: str, q: Quote) -> list[Any]:
    assert text[q.start : q.end] == q.text
    return [q.start, q.end, q.kind.value, q.speaker, q.speaker_mention, q.cue]


def ingest(
    articles: Sequence[Article],
    quotes: dict[str, list[Quote]] | None,
    restart_at: int | None = None,
    keep_index: bool = True,
) -> dict[str, Any]:
    """Every article through the real pipeline on a SQLite file; ``quotes``: the extractor's
    answer per article url (None, or an article it lacks: run the extractor and record it).
    ``restart_at``: the app is closed and opened again before that article, starting from its
    saved index (or, without ``keep_index``, rebuilding it from the store)."""
    import bot.core.monitor as monitor_module
    from bot.app.settings import Settings
    from bot.bootstrap import open_app
    from storage.index_file import index_path

    real = monitor_module.extract_quotes
    by_text: dict[str, list[Quote]] = {}
    recorded: dict[str, list[list[Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_path=Path(tmp) / "same.db", console=False)
        app = open_app(settings=settings)
        try:
            app.store.add_tracked_statement(TRACKED[1], TRACKED[0])
            app.topics.add(*TOPIC)
            events: list[dict[str, Any]] = []

            def recorded_quotes(text: str, *, learned: bool = True) -> list[Quote]:
                return by_text[text]

            monitor_module.extract_quotes = recorded_quotes
            for n, article in enumerate(articles):
                if n == restart_at:
                    app.close()
                    saved = index_path(settings.db_path)
                    assert saved.exists()
                    if not keep_index:
                        saved.unlink()
                    app = open_app(settings=settings)
                    assert app.monitor.saved is not None
                    assert (app.monitor.saved.load() is not None) == keep_index
                known = None if quotes is None else quotes.get(article.url)
                found = real(article.text) if known is None else known
                by_text[article.text] = found
                recorded[article.url] = [_quote_row(article.text, q) for q in found]
                events.extend(event_to_dict(e) for e in app.monitor.ingest(article))
        finally:
            monitor_module.extract_quotes = real
        statements = [
            list(r)
            for r in app.db.execute(
                "select id, speaker, canonical, first_article_id, quote_count, tracked "
                "from statements order by id"
            ).fetchall()
        ]
        wordings = [
            list(r)
            for r in app.db.execute(
                "select statement_id, text from statement_wordings order by rowid"
            ).fetchall()
        ]
        alerts = [list(r) for r in app.db.execute("select key, channel from alerts order by id")]
        app.close()
    return {
        "quotes": recorded,
        "events": events,
        "statements": statements,
        "wordings": wordings,
        "alerts": alerts,
    }


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module", params=["one run", "restart, saved index", "restart, rebuilt"])
def got(expected: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    articles = corpus()
    quotes = {a.url: [_quote(a.text, row) for row in expected["quotes"][a.url]] for a in articles}
    if request.param == "one run":
        return ingest(articles, quotes)
    return ingest(articles, quotes, len(articles) // 2, keep_index=request.param.endswith("index"))


def test_the_corpus_has_every_kind_of_event(expected: dict[str, Any]) -> None:
    types = {e["type"] for e in expected["events"]}
    assert {"new_statement", "repeat", "alter", "misattribution", "dispute", "topic"} <= types


@pytest.mark.parametrize("part", ["events", "statements", "wordings", "alerts"])
def test_the_same_corpus_gives_the_same_answer(
    got: dict[str, Any], expected: dict[str, Any], part: str
) -> None:
    assert len(got[part]) == len(expected[part])
    for n, (a, b) in enumerate(zip(got[part], expected[part], strict=True)):
        assert a == b, f"{part}[{n}] differs"


def _line(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python -m tests.end_to_end.test_same_events --write")
    # The quotes already recorded stay as recorded (extraction is another task's); only an
    # article new to the corpus is read by today's extractor.
    articles = corpus()
    recorded = (
        json.loads(EXPECTED.read_text(encoding="utf-8"))["quotes"] if EXPECTED.exists() else {}
    )
    result = ingest(
        articles,
        {
            a.url: [_quote(a.text, row) for row in recorded[a.url]]
            for a in articles
            if a.url in recorded
        },
    )
    with EXPECTED.open("w", encoding="utf-8") as fh:  # one record a line: a readable diff
        fh.write("{\n")
        for n, (part, rows) in enumerate(result.items()):
            items = rows.items() if isinstance(rows, dict) else enumerate(rows)
            lines = [
                (f"{json.dumps(k)}: " if isinstance(rows, dict) else "") + _line(row)
                for k, row in items
            ]
            close = "}" if isinstance(rows, dict) else "]"
            open_ = "{" if isinstance(rows, dict) else "["
            body = ",\n".join(lines)
            fh.write(f"{json.dumps(part)}: {open_}\n{body}\n{close}")
            fh.write(",\n" if n < len(result) - 1 else "\n")
        fh.write("}\n")
    counts: dict[str, int] = {}
    for e in result["events"]:
        counts[e["type"]] = counts.get(e["type"], 0) + 1
    print(f"{EXPECTED}: {len(result['events'])} events {counts}")
