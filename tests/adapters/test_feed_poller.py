"""The feed poller against feeds served on 127.0.0.1 and a real SQLite feed store."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.feeds import FeedPoller, parse_feed
from adapters.fetch import Fetcher, FetchPolicy
from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.models import Alert, Article, Event, EventType
from storage.db import open_db
from storage.feeds import BACKOFF_CAP, DISABLE_AFTER, FeedStore
from tests.adapters.httpserver import RecordedRequest, Reply, TestHTTPServer, serve

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def item(n: int, *, guid: str = "", day: int = 1, text: str = "", link: str = "") -> str:
    link = link or f"https://harbour-herald.example/news/{n}"
    return (
        f"<item><title>Councillor Brenna Osk speaks on quay number {n}</title>"
        f"<link>{link}</link><guid>{guid or f'hh-{n}'}</guid>"
        f"<pubDate>{day:02d} Nov 2026 0{n % 10}:00:00 GMT</pubDate>"
        f"<description>{text or f'Osk said the quay {n} would reopen.'}</description></item>"
    )


def rss(items: str, title: str = "Harbour Herald") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://harbour-herald.example/</link>{items}"
        "</channel></rss>"
    )


@dataclass
class Rig:
    server: TestHTTPServer
    store: FeedStore
    path: Path
    ingested: list[tuple[Article, bool]] = field(default_factory=list)
    notices: list[tuple[Event, str]] = field(default_factory=list)

    def poller(self, **kwargs: object) -> FeedPoller:
        policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), max_body_bytes=40_000_000)
        return FeedPoller(
            self.store,
            Fetcher(policy),
            lambda article, silent, _feed: self.ingested.append((article, silent)),
            lambda event, key: self.notices.append((event, key)),
            **kwargs,  # type: ignore[arg-type]
        )


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    with serve() as server:
        path = tmp_path / "v.db"
        yield Rig(server, FeedStore(open_db(path)), path)


def test_etag_round_trip_gives_304_and_nothing_new(rig: Rig) -> None:
    body = rss(item(1) + item(2))

    def answer(request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**RSS, "ETag": '"v1"'}, body

    rig.server.routes["/feed"] = answer
    feed = rig.store.add(rig.server.url("/feed"), channel="console:default")
    poller = rig.poller()
    first = poller.poll_due(NOW)
    second = poller.poll_due(NOW + timedelta(seconds=feed.interval_seconds))
    assert [o.status for o in first.outcomes] == ["ok"]
    assert [o.status for o in second.outcomes] == ["not-modified"]
    assert len(rig.ingested) == 2
    sent = rig.server.requests_to("/feed")
    assert "if-none-match" not in sent[0].headers
    assert sent[1].headers["if-none-match"] == '"v1"'
    assert sent[1].headers["user-agent"].startswith("Verbatim/")
    assert rig.store.require(feed.id).title == "Harbour Herald"


def test_dead_feed_backs_off_is_disabled_once_and_recovers_once(rig: Rig) -> None:
    alive = {"yes": False}

    def answer(request: RecordedRequest) -> Reply:
        if alive["yes"]:
            return 200, RSS, rss(item(1))
        return 500, {"Content-Type": "text/plain"}, b"down"

    rig.server.routes["/dying"] = answer
    feed = rig.store.add(rig.server.url("/dying"), channel="slack:C1", interval=600)
    poller = rig.poller()
    now = NOW
    for _ in range(DISABLE_AFTER + 3):  # keeps failing after it is disabled
        assert [o.status for o in poller.poll_due(now).outcomes] == ["failed"]
        assert poller.poll_due(now).outcomes == ()  # backing off: not due again at once
        now += BACKOFF_CAP
    assert len(rig.server.requests_to("/dying")) == DISABLE_AFTER + 3
    assert rig.store.require(feed.id).disabled
    assert len(rig.notices) == 1
    event, key = rig.notices[0]
    assert event.type is EventType.FEED_NOTICE and event.channel == "slack:C1"
    assert "disabled" in (event.detail or "") and "HTTP 500" in (event.detail or "")
    assert key.startswith(f"feed-disabled:{feed.id}:")

    alive["yes"] = True
    assert [o.status for o in poller.poll_due(now).outcomes] == ["ok"]
    poller.poll_due(now + BACKOFF_CAP)
    assert len(rig.notices) == 2
    event, key = rig.notices[1]
    assert "is back" in (event.detail or "")
    assert key == "feed-recovered:" + rig.notices[0][1].removeprefix("feed-disabled:")
    assert not rig.store.require(feed.id).disabled


def test_one_failing_feed_does_not_stop_the_others(rig: Rig) -> None:
    rig.server.routes["/ok"] = (200, RSS, rss(item(1)))
    rig.server.routes["/html"] = (200, {"Content-Type": "image/png"}, b"\x89PNG")
    rig.store.add(rig.server.url("/missing"))
    rig.store.add(rig.server.url("/html"))
    rig.store.add("http://10.0.0.1/feed")  # refused: private address
    rig.store.add(rig.server.url("/ok"))
    report = rig.poller().poll_due(NOW)
    assert [o.status for o in report.outcomes] == ["failed", "failed", "failed", "ok"]
    assert "private" in (report.outcomes[2].error or "") or "non-public" in (
        report.outcomes[2].error or ""
    )
    assert len(rig.ingested) == 1


def test_malformed_feed_keeps_partial_entries_and_logs(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    broken = rss(item(1) + item(2)).replace("</channel></rss>", "<item><title>Cut off &bogus; <")
    rig.server.routes["/broken"] = (200, RSS, broken)
    rig.store.add(rig.server.url("/broken"))
    with caplog.at_level(logging.WARNING, logger="adapters.feeds"):
        report = rig.poller().poll_due(NOW)
    assert report.outcomes[0].status == "ok"
    assert {a.url for a, _ in rig.ingested} == {
        "https://harbour-herald.example/news/1",
        "https://harbour-herald.example/news/2",
    }
    assert any("malformed" in r.getMessage() for r in caplog.records)


def test_changed_guid_date_description_or_tracking_do_not_reingest(rig: Rig) -> None:
    rig.server.routes["/f"] = (200, RSS, rss(item(1) + item(2) + item(3)))
    feed = rig.store.add(rig.server.url("/f"))
    poller = rig.poller()
    poller.poll_due(NOW)
    assert len(rig.ingested) == 3
    republished = (
        item(1, guid="new-guid-1", day=9)
        + item(2, text="Updated: Osk said more.")
        + item(3, link="http://WWW.harbour-herald.example/news/3/?utm_source=rss&fbclid=x")
        + item(4)
    )
    rig.server.routes["/f"] = (200, RSS, rss(republished))
    report = poller.poll(feed, NOW + timedelta(hours=1))
    assert report.ingested == 1
    assert rig.ingested[-1][0].url == "https://harbour-herald.example/news/4"


def test_backlog_is_silent_on_first_poll_except_the_newest_backfill(rig: Rig) -> None:
    rig.server.routes["/f"] = (200, RSS, rss("".join(item(n, day=n) for n in range(5, 0, -1))))
    feed = rig.store.add(rig.server.url("/f"), backfill=2)
    poller = rig.poller()
    poller.poll_due(NOW)
    assert [(a.url[-1], silent) for a, silent in rig.ingested] == [
        ("1", True),
        ("2", True),
        ("3", True),
        ("4", False),
        ("5", False),
    ]
    rig.server.routes["/f"] = (200, RSS, rss(item(6, day=6) + item(5, day=5)))
    poller.poll(feed, NOW + timedelta(hours=1))
    assert rig.ingested[-1][0].url.endswith("/6") and rig.ingested[-1][1] is False


def test_restart_reposts_nothing(rig: Rig) -> None:
    rig.server.routes["/f"] = (200, RSS, rss(item(1) + item(2)))
    feed = rig.store.add(rig.server.url("/f"))
    rig.poller().poll_due(NOW)
    rig.store.db.close()
    rig.store = FeedStore(open_db(rig.path))
    rig.ingested.clear()
    report = rig.poller().poll(feed, NOW + timedelta(hours=2))
    assert report.status == "ok" and rig.ingested == []


def test_huge_feed_is_capped_and_the_next_feed_still_polled(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    body = rss("".join(item(n, day=1 + n % 28) for n in range(100_000)))
    rig.server.routes["/huge"] = (200, RSS, body)
    rig.server.routes["/small"] = (200, RSS, rss(item(7)))
    rig.store.add(rig.server.url("/huge"))
    rig.store.add(rig.server.url("/small"))
    with caplog.at_level(logging.INFO, logger="adapters.feeds"):
        report = rig.poller(max_entries=500).poll_due(NOW)
    huge, small = report.outcomes
    assert (huge.status, huge.ingested, huge.skipped) == ("ok", 500, 99_500)
    assert (small.status, small.ingested) == ("ok", 1)
    assert any("99500 entries skipped" in r.getMessage() for r in caplog.records)


def test_summary_only_entries_use_the_full_page_when_asked(rig: Rig) -> None:
    rig.server.routes["/f"] = (200, RSS, rss(item(1)))
    pages: list[str] = []

    def fetch_page(url: str) -> Article:
        pages.append(url)
        return Article(url, "page outlet", "Quay 1", "Full text of the page.")

    rig.store.add(rig.server.url("/f"))
    rig.poller(fetch_page=fetch_page).poll_due(NOW)
    assert pages == ["https://harbour-herald.example/news/1"]
    article = rig.ingested[0][0]
    assert article.text == "Full text of the page." and article.outlet == "Harbour Herald"


def test_parse_feed_keeps_the_newest_whichever_end_they_are_at() -> None:
    oldest_first = "".join(item(n, day=1 + n // 100) for n in range(2_000))
    parsed = parse_feed(rss(oldest_first).encode(), "test", limit=100)
    assert len(parsed.articles) == 100 and parsed.skipped == 1_900
    assert {a.url.rsplit("/", 1)[1] for a in parsed.articles} == {str(n) for n in range(1900, 2000)}
    dates = [a.published for a in parsed.articles if a.published]
    assert len(dates) == 100
    assert dates == sorted(dates)  # oldest first


def test_parse_feed_turns_html_into_paragraphs_and_reads_atom() -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay Gazette</title><entry>'
        "<title>Osk &amp; the quays</title><id>urn:x</id>"
        '<link href="https://quay-gazette.example/a?utm_medium=feed&amp;id=3#top"/>'
        '<content type="html">&lt;p&gt;&amp;ldquo;Open,&amp;rdquo; Osk said.&lt;/p&gt;'
        "&lt;p&gt;More&lt;br&gt;text.&lt;/p&gt;</content></entry></feed>"
    )
    (article,) = parse_feed(atom.encode(), "test").articles
    assert article.url == "https://quay-gazette.example/a?id=3"
    assert article.text == "\u201cOpen,\u201d Osk said.\n\nMore\n\ntext."
    assert (article.title, article.outlet) == ("Osk & the quays", "Quay Gazette")


_XML_BITS = st.sampled_from(
    [
        "<rss>",
        "<channel>",
        "<item>",
        "</item>",
        "<entry>",
        "</entry>",
        "<link>",
        "</link>",
        "<title>",
        "</title>",
        "<description>",
        "&amp;",
        "&bogus;",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE",
        "http://x.example/a",
        "\u201cq\u201d",
        "\x00",
        "<?xml version='1.0'?>",
        "</rss>",
        "&#x110000;",  # numeric references that name no character
        "&#xD800;",
        "&#99999999999;",
        "&bogus;",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=2000), st.lists(_XML_BITS | st.text(max_size=20)).map("".join)))
def test_parse_feed_never_raises(data: bytes | str) -> None:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    parsed = parse_feed(raw, "fuzz", limit=5)
    assert len(parsed.articles) <= 5
    assert all(a.url.startswith(("http://", "https://")) and a.text for a in parsed.articles)


def test_a_reference_to_no_character_costs_neither_the_feed_nor_its_entry() -> None:
    # Not well-formed (a bare &), so feedparser's lenient parser reads it: it raised ValueError
    # on &#x110000; and the whole feed was lost.
    bad = item(2, text="Osk &amp Lund said the quay &#x110000; reopens &#xD800; soon.")
    parsed = parse_feed(rss(item(1) + bad).encode(), "f")
    assert parsed.error is not None  # said, as for any malformed feed
    assert [a.url[-1] for a in parsed.articles] == ["1", "2"]
    assert "the quay \ufffd reopens \ufffd soon" in parsed.articles[1].text


def _app_poller(settings: Settings) -> tuple[Any, FeedPoller]:
    app = open_app(settings=settings, stream=io.StringIO())
    poller = FeedPoller(
        FeedStore(app.db, app.store.lock),
        Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))),
        lambda article, silent, _feed: app.monitor.ingest(article, silent=silent),
        app.monitor.notice,
    )
    return app, poller


def _notices(app: Any, now: datetime) -> list[Alert]:
    return [a for a in app.outbox.pending(now) if a.event.type is EventType.FEED_NOTICE]


def test_monitor_queues_one_notice_per_streak_across_a_restart(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "app.db", sample_feed=False)
    outcome = {"status": 500}
    with serve() as server:
        server.routes["/f"] = lambda r: (outcome["status"], RSS, rss(item(1)))
        app, poller = _app_poller(settings)
        FeedStore(app.db).add(server.url("/f"), channel="console:default")
        now = NOW
        for n in range(2 * DISABLE_AFTER):
            if n == DISABLE_AFTER:  # restart half-way through the dead spell
                app.close()
                app, poller = _app_poller(settings)
            poller.poll_due(now)
            now += BACKOFF_CAP
        (notice,) = _notices(app, now)
        assert notice.channel == "console:default" and "disabled" in (notice.event.detail or "")
        outcome["status"] = 200
        poller.poll_due(now)
        poller.poll_due(now + BACKOFF_CAP)
        assert ["is back" in (a.event.detail or "") for a in _notices(app, now)] == [False, True]
        app.close()


def _stopping_after(rig: Rig, poller: FeedPoller, count: int) -> None:
    """The bot is stopped (from another thread) while the ``count``-th entry is stored."""

    def ingest(article: Article, silent: bool, _feed: object) -> None:
        rig.ingested.append((article, silent))
        if len(rig.ingested) == count:
            poller.stop()

    poller.ingest = ingest


def test_a_stopped_first_poll_ends_between_entries_and_the_next_reads_the_rest_alike(
    rig: Rig,
) -> None:
    rig.server.routes["/f"] = (200, RSS, rss("".join(item(n, day=n) for n in range(5, 0, -1))))
    rig.server.routes["/g"] = (200, RSS, rss(item(9)))
    rig.store.add(rig.server.url("/f"), backfill=2)
    rig.store.add(rig.server.url("/g"))
    poller = rig.poller()
    _stopping_after(rig, poller, 2)
    report = poller.poll_due(NOW)
    assert [(o.status, o.ingested) for o in report.outcomes] == [("stopped", 2)]  # /g not polled
    assert rig.server.requests_to("/g") == []
    rig.store.db.close()  # a restart
    rig.store = FeedStore(open_db(rig.path))
    report = rig.poller().poll_due(NOW + timedelta(seconds=5))  # both still due
    assert [(o.status, o.ingested) for o in report.outcomes] == [("ok", 3), ("ok", 1)]
    # The same entries silent and alerted as one uninterrupted first poll: the 2 newest alerted.
    assert [(a.url[-1], silent) for a, silent in rig.ingested] == [
        ("1", True), ("2", True), ("3", True), ("4", False), ("5", False), ("9", True),
    ]  # fmt: skip


def test_a_stopped_poll_keeps_no_validators_that_would_hide_the_rest(rig: Rig) -> None:
    served = {"etag": '"v1"', "body": rss(item(1, day=1))}

    def conditional(request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == served["etag"]:
            return (304, {"ETag": served["etag"]}, b"")
        return (200, {**RSS, "ETag": served["etag"]}, served["body"])

    rig.server.routes["/f"] = conditional
    feed = rig.store.add(rig.server.url("/f"))
    rig.poller().poll(feed, NOW)  # learned, with its ETag
    served.update(etag='"v2"', body=rss("".join(item(n, day=n) for n in range(5, 0, -1))))
    poller = rig.poller()
    _stopping_after(rig, poller, 3)  # entry 1 read before, 2 and 3 now
    assert poller.poll(feed, NOW + timedelta(hours=1)).status == "stopped"
    report = rig.poller().poll(feed, NOW + timedelta(hours=1, seconds=5))
    assert (report.status, report.ingested) == ("ok", 2)
    assert [a.url[-1] for a, _ in rig.ingested] == ["1", "2", "3", "4", "5"]
    assert rig.poller().poll(feed, NOW + timedelta(hours=2)).status == "not-modified"
