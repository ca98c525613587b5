"""Feeds persist with their schedule, validators, failure streak and seen entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.db import open_db
from storage.feeds import BACKOFF_CAP, DISABLE_AFTER, FeedError, FeedStore, backoff

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
URL = "https://news.example/feed.xml"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "v.db"


@pytest.fixture
def store(path: Path) -> FeedStore:
    return FeedStore(open_db(path))


def test_add_list_get_remove(store: FeedStore) -> None:
    feed = store.add(URL, channel="slack:C1", interval=600, title="Harbour Herald")
    other = store.add("http://other.example/rss", now=NOW)
    assert store.get(URL) == feed
    assert store.get(feed.id) == feed
    assert (feed.channel, feed.interval_seconds, feed.title) == ("slack:C1", 600, "Harbour Herald")
    assert store.list() == [feed, other]
    assert store.list("slack:C1") == [feed]
    assert store.remove(URL)
    assert not store.remove(URL)
    assert store.get(URL) is None
    assert store.list() == [other]


def test_duplicate_and_bad_urls_are_clear_errors(store: FeedStore) -> None:
    store.add(URL)
    with pytest.raises(FeedError, match="already watching"):
        store.add(f"  {URL} ")
    for bad in ("ftp://x.example/f", "news.example/feed", "https://", "javascript:alert(1)"):
        with pytest.raises(FeedError, match="not a feed address"):
            store.add(bad)
    with pytest.raises(FeedError, match="too short"):
        store.add("https://fast.example/f", interval=5)
    with pytest.raises(FeedError, match="not watching"):
        store.pause("https://unknown.example/f")


def test_numbers_past_what_sqlite_holds_are_refused_or_mean_all(store: FeedStore) -> None:
    # 10**23 overflowed SQLite's integer: OverflowError, a traceback from `feeds add`.
    with pytest.raises(FeedError, match="too long: poll at least once a year"):
        store.add("https://slow.example/f", interval=10**23)
    feed = store.add(URL, backfill=10**23)  # more than any poll reads: every entry alerted
    assert store.pending_backfill(feed.id) == 1_000_000


def test_due_respects_schedule_and_pause(store: FeedStore) -> None:
    feed = store.add(URL, interval=900)
    assert store.due(NOW) == [feed]
    store.record_ok(feed, '"v1"', "Mon, 23 Nov 2026 08:00:00 GMT", NOW)
    assert store.due(NOW + timedelta(seconds=899)) == []
    assert [f.id for f in store.due(NOW + timedelta(seconds=900))] == [feed.id]
    assert store.pause(URL).paused
    assert store.due(NOW + timedelta(days=2)) == []
    assert not store.resume(URL).paused
    assert [f.id for f in store.due(NOW)] == [feed.id]


def test_validators_kept_on_304_and_title_filled_once(store: FeedStore) -> None:
    feed = store.add(URL)
    store.record_ok(feed, '"v1"', "Mon, 23 Nov 2026 08:00:00 GMT", NOW, title="Herald")
    store.record_ok(feed, None, None, NOW, title="Other name")
    assert store.validators(feed.id) == ('"v1"', "Mon, 23 Nov 2026 08:00:00 GMT")
    assert store.require(feed.id).title == "Herald"


def test_backoff_doubles_is_capped_and_disables_once(store: FeedStore) -> None:
    feed = store.add(URL, interval=3600)
    results = [store.record_failure(feed, "HTTP 500", NOW) for _ in range(DISABLE_AFTER + 2)]
    counts = [r[0] for r in results]
    delays = [r[1] - NOW for r in results]
    assert counts == list(range(1, DISABLE_AFTER + 3))
    assert delays[:3] == [timedelta(hours=2), timedelta(hours=4), timedelta(hours=8)]
    assert all(d <= BACKOFF_CAP for d in delays)
    assert [r[2] for r in results].count(True) == 1
    assert results[DISABLE_AFTER - 1][2]
    assert store.require(feed.id).disabled
    assert store.failing_since(feed.id) == NOW.isoformat(timespec="microseconds")
    # Disabled feeds stay in the schedule at the cap, so a recovery is noticed.
    assert store.due(NOW + BACKOFF_CAP) != []
    streak = store.record_ok(feed, None, None, NOW + BACKOFF_CAP)
    assert streak == NOW.isoformat(timespec="microseconds")
    assert not store.require(feed.id).disabled
    assert store.failing_since(feed.id) is None
    assert store.record_ok(feed, None, None, NOW + BACKOFF_CAP) is None


def test_retry_after_is_honoured_within_the_cap(store: FeedStore) -> None:
    feed = store.add(URL, interval=60)
    _, until, _ = store.record_failure(feed, "HTTP 503", NOW, retry_after=7200)
    assert until == NOW + timedelta(hours=2)
    _, until, _ = store.record_failure(feed, "HTTP 503", NOW, retry_after=10**9)
    assert until == NOW + BACKOFF_CAP


def test_backfill_pending_only_until_first_success(store: FeedStore) -> None:
    feed = store.add(URL, backfill=3)
    assert store.pending_backfill(feed.id) == 3
    store.record_failure(feed, "timeout", NOW)
    assert store.pending_backfill(feed.id) == 3
    store.record_ok(feed, None, None, NOW)
    assert store.pending_backfill(feed.id) is None


def test_seen_entries_survive_a_restart_and_go_with_the_feed(path: Path) -> None:
    store = FeedStore(open_db(path))
    feed = store.add(URL)
    keys = [f"link:news.example/{i}" for i in range(1200)]
    store.mark_seen(feed.id, keys, NOW)
    store.mark_seen(feed.id, keys[:10], NOW)  # idempotent
    store.db.close()
    again = FeedStore(open_db(path))
    assert again.seen(feed.id, [*keys, "link:news.example/new"]) == set(keys)
    assert again.seen(feed.id + 1, keys) == set()
    again.remove(URL)
    assert again.db.execute("select count(*) from feed_entries").fetchone()[0] == 0


def test_resume_reenables_a_disabled_feed(store: FeedStore) -> None:
    feed = store.add(URL)
    for _ in range(DISABLE_AFTER):
        store.record_failure(feed, "HTTP 404", NOW)
    assert store.due(NOW) == []
    resumed = store.resume(URL)
    assert not resumed.disabled
    assert store.due(NOW) == [resumed]
    assert store.status(feed.id)["failures"] == 0


@given(
    st.integers(60, 10**9),
    st.integers(1, 10**6),
    st.none() | st.floats(allow_nan=True, allow_infinity=True),
)
def test_backoff_is_always_a_valid_delay_within_the_cap(
    interval: int, failures: int, retry_after: float | None
) -> None:
    delay = backoff(interval, failures, retry_after)
    assert timedelta(0) < delay <= BACKOFF_CAP


def test_a_failure_with_a_huge_retry_after_or_a_long_streak_is_recorded(tmp_path: Path) -> None:
    store = FeedStore(open_db(tmp_path / "v.db"))
    feed = store.add("https://harbour-herald.example/feed.xml", interval=900)
    failures, until, _ = store.record_failure(feed, "HTTP 429", NOW, retry_after=1e20)
    assert (failures, until) == (1, NOW + BACKOFF_CAP)
    store.db.execute("update feeds set failures = 5000 where id = ?", [feed.id])
    failures, until, _ = store.record_failure(feed, "HTTP 500", NOW)  # 900 * 2**5001 s
    assert (failures, until) == (5001, NOW + BACKOFF_CAP)
