"""`storage.history` on a real SQLite file: a statement's story by id or words, by publication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.models import Article
from bot.core.routing import ChannelRoute
from storage.history import History

CANON = "We will not close the Ostrava plant before the end of the year"
ARTICLES = [
    Article(
        "https://ledger.example/1",
        "Harbour Ledger",
        "Plant",
        f"The mayor spoke on Monday. “{CANON},” said Clara Vennholt, the mayor of Ostrava. "
        "She added that talks continue.",
        datetime(2026, 3, 2, 8, tzinfo=UTC),
    ),
    Article(
        "https://gazette.example/2",
        "Northfield Gazette",
        "Plant",
        "“We will close the Ostrava plant before the end of the year,” Clara Vennholt, the "
        "mayor, said on Monday.",
        datetime(2026, 3, 4, 9, tzinfo=UTC),
    ),
    Article(
        "https://lantern.example/3",
        "Daily Lantern",
        "Plant",
        f"Clara Vennholt, the mayor, said: “{CANON}.” Tomas Brill, the union leader, posted a "
        "scathing response to Ms. Vennholt’s promise. “The plant is already closing,” he said.",
        None,  # no date: the time it was recorded stands in
    ),
]


def _history(tmp_path: Path) -> History:
    return _store_with(tmp_path, ARTICLES)


def test_the_story_goes_by_publication_time(tmp_path: Path) -> None:
    history = _history(tmp_path)
    story = history.story("close the Ostrava plant")
    assert story is not None and story.canonical.startswith(CANON)
    assert story.first.outlet == "Harbour Ledger"
    days = dict(story.spread)
    assert days["2026-03-02"] == ("Harbour Ledger",)
    assert days["2026-03-04"] == ("Northfield Gazette",)  # published then, though ingested today
    # No publication date: the day it was recorded.
    recorded = [outs for day, outs in days.items() if day not in ("2026-03-02", "2026-03-04")]
    assert recorded == [("Daily Lantern",)]
    [variant] = story.variants
    assert variant.outlets == ("Northfield Gazette",)
    assert [c.kind.value for c in variant.changes] == ["negation"]
    [dispute] = story.disputes
    assert dispute.by == "Tomas Brill" and dispute.outlet == "Daily Lantern"


def test_a_statement_is_found_by_its_id(tmp_path: Path) -> None:
    history = _history(tmp_path)
    by_words = history.story("Ostrava plant")
    assert by_words is not None
    for query in (
        str(by_words.statement_id),
        f"#{by_words.statement_id}",
        f" {by_words.statement_id} ",
    ):
        found = history.story(query)
        assert found is not None and found.statement_id == by_words.statement_id
    assert history.story("99999") is None  # no such id, and no statement has the words
    assert history.story("“…”") is None  # no words at all
    assert history.story("nobody said this") is None


def _store_with(tmp_path: Path, articles: list[Article]) -> History:
    settings = Settings(
        db_path=tmp_path / "p.db",
        routes=(ChannelRoute("console:desk", new_statements="all"),),
        sample_feed=False,
        console=False,
    )
    app = open_app(settings=settings)
    for article in articles:
        app.monitor.ingest(article)
    return History(app.store)


def _said(n: int, outlet: str, published: datetime | None) -> Article:
    words = f"We will open pier number {n} to the ferries before the summer season"
    return Article(
        f"https://news.example/{n}",
        outlet,
        "Pier",
        f"“{words},” said Clara Vennholt, the mayor of Ostrava.",
        published,
    )


def test_a_period_goes_by_publication_time(tmp_path: Path) -> None:
    from storage.history import timed_events_between

    now = datetime.now(UTC)
    history = _store_with(
        tmp_path,
        [
            # Old coverage read now, dated in its own zone (12:00 UTC).
            _said(
                1, "Harbour Ledger", datetime(2022, 12, 3, 17, tzinfo=timezone(timedelta(hours=5)))
            ),
            _said(2, "Northfield Gazette", now - timedelta(hours=2)),
            _said(3, "Daily Lantern", None),  # no date: when it was read
            _said(4, "Evening Quill", now - timedelta(days=3)),  # read late, still news
            _said(5, "Coastline Post", now - timedelta(days=30)),  # a month old: not news
        ],
    )
    day = timed_events_between(history.store, now - timedelta(days=1), now + timedelta(minutes=5))
    outlets = {e.outlet for _, e in day}
    assert outlets == {"Northfield Gazette", "Daily Lantern", "Evening Quill"}
    late = next(t for t, e in day if e.outlet == "Evening Quill")
    assert late < now - timedelta(days=2)  # told with the time it was published
    december = timed_events_between(
        history.store, datetime(2022, 12, 1, tzinfo=UTC), datetime(2023, 1, 1, tzinfo=UTC)
    )
    assert [e.outlet for _, e in december] == ["Harbour Ledger"]
    # Its +05:00 time compares as the same instant in UTC.
    assert timed_events_between(
        history.store,
        datetime(2022, 12, 3, 11, 59, tzinfo=UTC),
        datetime(2022, 12, 3, 12, 1, tzinfo=UTC),
    )
