"""Full article pages for summary-only feed entries, on by default (issue 18): polite per-host
pacing (checked on a fake clock), the newest entries of a poll only, and the page's text
reaching the store through the ordinary feed poller on 127.0.0.1."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.feeds import MAX_PAGES, FeedPoller
from adapters.fetch import Fetcher, FetchError, FetchPolicy, HostPace
from adapters.pages import fetch_article
from bot.app.settings import Settings, settings_from_mapping
from bot.bootstrap import feed_poller, open_app
from bot.core.models import Article
from storage.db import open_db
from storage.feeds import FeedStore
from tests.adapters.httpserver import serve
from tests.adapters.test_feed_poller import NOW, RSS, item, rss
from tests.adapters.test_pages import ARTICLE, PARAGRAPHS

HTML = {"Content-Type": "text/html; charset=utf-8"}


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_host_that_answered_waits_its_turn_and_other_hosts_do_not() -> None:
    time = FakeTime()
    pace = HostPace(2.0, clock=time.clock, sleep=time.sleep)
    pace.wait("a.example")  # never asked: no wait
    pace.reached("a.example")
    time.now += 0.5
    pace.wait("b.example")
    pace.wait("A.example")
    assert time.slept == [1.5]
    pace.reached("a.example")
    time.now += 5
    pace.wait("a.example")
    assert time.slept == [1.5]


def test_fetch_article_paces_hosts_that_answered_even_with_an_error() -> None:
    time = FakeTime()
    pace = HostPace(2.0, clock=time.clock, sleep=time.sleep)
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))
    with serve({"/a": (200, HTML, ARTICLE)}) as site, Fetcher(policy) as fetcher:
        assert fetch_article(fetcher, site.url("/a"), pace).text.split("\n\n") == PARAGRAPHS
        with pytest.raises(FetchError):
            fetch_article(fetcher, site.url("/missing"), pace)  # a 404 is an answer
        assert time.slept == [2.0]
        closed = "http://127.0.0.1:9/x"  # nothing listens: nobody was bothered
        for _ in range(2):
            with pytest.raises(FetchError):
                fetch_article(fetcher, closed, pace)
        assert time.slept == [2.0, 2.0]  # only the 127.0.0.1 host's turn, once more


def test_only_the_newest_summary_only_entries_of_a_poll_are_fetched(tmp_path: Path) -> None:
    pages: list[str] = []

    def fetch_page(url: str) -> Article:
        pages.append(url)
        return Article(url, "page", "title", "Full text.")

    store = FeedStore(open_db(tmp_path / "v.db"))
    count = MAX_PAGES + 5
    body = rss("".join(item(n, day=1 + n) for n in range(count)))
    with serve({"/f": (200, RSS, body)}) as site:
        store.add(site.url("/f"))
        poller = FeedPoller(
            store,
            Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))),
            lambda article, silent, feed: None,
            lambda event, key: None,
            fetch_page=fetch_page,
        )
        [outcome] = poller.poll_due(NOW).outcomes
    assert outcome.ingested == count
    newest = [f"https://harbour-herald.example/news/{n}" for n in range(5, count)]
    assert pages == newest


def test_full_pages_are_on_by_default_and_their_text_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings().fetch_full_pages and settings_from_mapping({}, {}).fetch_full_pages
    monkeypatch.setattr("bot.bootstrap.PAGE_PACE_SECONDS", 0.0)
    with serve({"/a": (200, HTML, ARTICLE)}) as site:
        entry = item(1, link=site.url("/a"), text="A short summary of the vote.")
        site.routes["/f"] = (200, RSS, rss(entry))
        settings = replace(
            settings_from_mapping({"sources": {"allow_private_hosts": ["127.0.0.1"]}}, {}),
            db_path=tmp_path / "v.db",
        )
        app = open_app(settings=settings, stream=io.StringIO())
        try:
            app.feeds.add(site.url("/f"))
            with Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))) as fetcher:
                [outcome] = feed_poller(app, fetcher).poll_due(NOW).outcomes
            assert outcome.ingested == 1
            text = app.db.execute("select text, outlet from articles").fetchone()
        finally:
            app.close()
    assert text[0].split("\n\n") == PARAGRAPHS
    assert text[1] == "Harbour Herald"  # the feed's outlet, not the page's site name
