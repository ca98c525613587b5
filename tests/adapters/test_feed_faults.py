"""Feed faults on real parts (127.0.0.1 server, SQLite feed store): a huge Retry-After, an
entry that cannot be stored, a feed that breaks in any way: the other feeds go on, and an
entry is seen only once its article is stored."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.feeds import FeedPoller
from adapters.fetch import Fetcher, FetchPolicy
from bot.core.models import Article, Event, Feed
from storage.db import open_db
from storage.feeds import BACKOFF_CAP, FeedStore
from tests.adapters.httpserver import RecordedRequest, Reply, TestHTTPServer
from tests.adapters.test_feed_poller import NOW, RSS, item, rss

POLICY = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), timeout_seconds=5)


class Ingested:
    """The articles "stored"; urls in ``broken`` fail the way a bug in a stage used to."""

    def __init__(self, broken: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.broken = set(broken)
        self.urls: list[str] = []

    def __call__(self, article: Article, silent: bool, feed: Feed) -> object:
        if article.url in self.broken:
            raise RecursionError("maximum recursion depth exceeded")
        self.urls.append(article.url)
        return []


def poller(store: FeedStore, ingest: Ingested, notices: list[tuple[Event, str]]) -> FeedPoller:
    return FeedPoller(store, Fetcher(POLICY), ingest, lambda e, k: notices.append((e, k)))


def test_a_huge_retry_after_is_recorded_and_the_next_feed_is_polled(
    server: TestHTTPServer, tmp_path: Path
) -> None:
    store = FeedStore(open_db(tmp_path / "v.db"))
    huge = {"Content-Type": "text/plain", "Retry-After": "99999999999999999999"}
    server.routes["/slow"] = (429, huge, b"slow down")
    server.routes["/fine"] = (200, RSS, rss(item(1) + item(2)))
    slow = store.add(server.url("/slow"))
    store.add(server.url("/fine"))
    ingest = Ingested()
    report = poller(store, ingest, []).poll_due(NOW)
    assert [o.status for o in report.outcomes] == ["failed", "ok"]
    assert len(ingest.urls) == 2
    status = store.status(slow.id)
    assert status["failures"] == 1 and "HTTP 429" in str(status["last_error"])
    assert status["next_poll_at"] == (NOW + BACKOFF_CAP).isoformat(timespec="microseconds")
    # It waits out the cap, then is polled again; the other feed is due on its own interval.
    assert [o.feed.url for o in poller(store, ingest, []).poll_due(NOW).outcomes] == []


def test_an_entry_is_seen_only_once_its_article_is_stored(
    server: TestHTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def answer(request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**RSS, "ETag": '"v1"'}, rss(item(1) + item(2) + item(3))

    server.routes["/feed"] = answer
    store = FeedStore(open_db(tmp_path / "v.db"))
    feed = store.add(server.url("/feed"), interval=600)
    ingest = Ingested({"https://harbour-herald.example/news/2"})
    with caplog.at_level(logging.WARNING, logger="adapters.feeds"):
        first = poller(store, ingest, [])
        outcome = first.poll_due(NOW).outcomes[0]
        assert (outcome.status, outcome.ingested, outcome.unstored) == ("ok", 2, 1)
        first.poll_due(NOW + timedelta(seconds=600))  # still broken: retried, logged briefly
    assert len(ingest.urls) == 2
    full = [r for r in caplog.records if "could not be stored" in r.getMessage()]
    assert len(full) == 1 and full[0].exc_info is not None
    assert sum("still cannot be stored" in r.getMessage() for r in caplog.records) == 1

    ingest.broken.clear()  # the bug is fixed: the entry comes in, and only it
    poller(store, ingest, []).poll_due(NOW + timedelta(seconds=1200))
    assert ingest.urls == [f"https://harbour-herald.example/news/{n}" for n in (1, 3, 2)]
    # While an entry was missing, the feed was fetched in full (no If-None-Match sent).
    assert [r.headers.get("if-none-match") for r in server.requests_to("/feed")] == [
        None,
        None,
        None,
    ]
    poller(store, ingest, []).poll_due(NOW + timedelta(seconds=1800))
    assert server.requests_to("/feed")[-1].headers.get("if-none-match") == '"v1"'
    assert store.status(feed.id)["failures"] == 0


def test_an_entry_whose_link_does_not_parse_is_skipped_and_the_others_read(
    server: TestHTTPServer, tmp_path: Path
) -> None:
    """``<link>http://[::1</link>`` made urllib raise ValueError out of the whole feed: the
    good entry beside it was never read and the feed counted a failure each poll."""
    google = "https://www.google.com/url?q=x&amp;url=http://[::1"  # a redirect to such a link
    bad = (
        item(2, link="http://[::1")
        + item(3, link="http://127.0.0.1:abc/news/3")
        + item(4, link=google)
    )
    server.routes["/feed"] = (200, RSS, rss(item(1) + bad))
    store = FeedStore(open_db(tmp_path / "v.db"))
    feed = store.add(server.url("/feed"))
    ingest = Ingested()
    (outcome,) = poller(store, ingest, []).poll_due(NOW).outcomes
    assert (outcome.status, outcome.ingested, outcome.skipped) == ("ok", 2, 2)
    assert ingest.urls[0] == "https://harbour-herald.example/news/1"
    assert ingest.urls[1].startswith("https://www.google.com/url?")  # read under its own link
    assert store.status(feed.id)["failures"] == 0


# -- property: whatever each feed does, no exception escapes and the good feeds are read ----

BEHAVIOUR = st.one_of(
    st.tuples(st.just(429), st.sampled_from(["99999999999999999999", "-5", "nan", "1e999",
                                             "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "9" * 400])),
    st.tuples(st.sampled_from([200, 500, 503, 404, 301, 204]), st.binary(max_size=300)),
    st.tuples(st.just(200), st.text(max_size=200).map(lambda t: rss(item(7, text=t or "x")))),
)  # fmt: skip


def serve_behaviour(behaviour: tuple[int, object]) -> Reply:
    status, detail = behaviour
    if status == 429:
        return 429, {"Content-Type": "text/plain", "Retry-After": str(detail)}, b"wait"
    if status == 301:
        return 301, {"Location": "http://10.0.0.1/feed"}, b""  # a redirect to a private host
    body = detail if isinstance(detail, bytes) else str(detail).encode()
    return status, RSS, body


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(BEHAVIOUR, min_size=1, max_size=4), st.integers(1, 40))
def test_no_feed_stops_another(
    server: TestHTTPServer,
    migrated_db: Callable[[Path], Path],
    behaviours: list[tuple[int, object]],
    streak: int,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = FeedStore(open_db(migrated_db(Path(tmp) / "v.db")))
        good: list[str] = []
        for n, behaviour in enumerate(behaviours):
            server.routes[f"/bad{n}"] = serve_behaviour(behaviour)
            bad = store.add(server.url(f"/bad{n}"), interval=60)
            store.db.execute("update feeds set failures = ? where id = ?", [streak, bad.id])
            server.routes[f"/good{n}"] = (200, RSS, rss(item(n + 10)))
            store.add(server.url(f"/good{n}"))
            good.append(f"https://harbour-herald.example/news/{n + 10}")
        ingest = Ingested()
        report = poller(store, ingest, []).poll_due(NOW)  # raises nothing
        assert len(report.outcomes) == 2 * len(behaviours)
        assert set(good) <= set(ingest.urls)
        for outcome in report.outcomes:
            if outcome.status == "failed":
                assert str(store.status(outcome.feed.id)["next_poll_at"]) > NOW.isoformat()


def dated(n: int, date: str) -> str:
    return item(n).replace(
        f"<pubDate>01 Nov 2026 0{n % 10}:00:00 GMT</pubDate>", f"<pubDate>{date}</pubDate>"
    )


def test_feed_dates_in_common_forms_are_read_and_the_rest_logged_once_per_feed(
    server: TestHTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from adapters.feeds import parse_feed

    entries = (
        dated(1, "31/12/2025")
        + dated(2, "2025-02-30")
        + dated(3, "Wed, 31 Dec 2025 10:30:00 +0100")
    )
    parsed = parse_feed(rss(entries).encode(), "test")
    published = {a.url.rsplit("/", 1)[1]: a.published for a in parsed.articles}
    assert published["1"] is not None and published["1"].date().isoformat() == "2025-12-31"
    assert published["2"] is None  # not 2 March, as feedparser alone would have it
    assert published["3"] is not None and published["3"].hour == 9
    assert parsed.bad_dates == ("'2025-02-30': no such date",)

    server.routes["/dated"] = (200, RSS, rss(entries))
    store = FeedStore(open_db(tmp_path / "v.db"))
    store.add(server.url("/dated"), interval=600)
    running = poller(store, Ingested(), [])
    with caplog.at_level(logging.WARNING, logger="adapters.feeds"):
        for minutes in (0, 10, 20):
            running.poll_due(NOW + timedelta(minutes=minutes))
    said = [r.getMessage() for r in caplog.records if "date(s) not understood" in r.getMessage()]
    assert len(said) == 1 and "'2025-02-30': no such date" in said[0]
