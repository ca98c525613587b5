"""Ctrl-C while a feed round is reading a real feed served on 127.0.0.1, as a user stops the bot.

The round stops between two articles: what it stored is whole (the article, its statements, its
alerts queued or sent), nothing is logged as an error, the database closes after the round and
not under it, and the next start reads the rest of the feed, each entry once, each alert once.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.app.settings import Settings, load_settings
from bot.bootstrap import App, open_app
from bot.entrypoints.runner import Runner
from tests.adapters.discord.payloads import until
from tests.adapters.httpserver import RecordedRequest, Reply, serve
from tests.conftest import REPO
from tests.end_to_end.conftest import bot_running

CONFIG = """
[sources]
sample_feed = false
fetch_full_pages = true
allow_private_hosts = ["127.0.0.1"]

[[channels]]
id = "console:desk"
new_statements = "all"
"""

SPEAKERS = [
    ("Ines Marlow", "harbour master", "The breakwater holds through the winter storms"),
    ("Tobias Renk", "ferry chief", "Every crossing runs on the hour from Monday"),
    ("Wanda Oakes", "mayor of Fenwick", "The old cannery becomes a library by spring"),
    ("Piet Halloran", "school governor", "Lessons start an hour later after the half term"),
    ("Greta Lindqvist", "fire officer", "The north road stays shut until the bridge is tested"),
    ("Oskar Brandt", "market warden", "Stall rents stay as they are for another year"),
    ("Mira Castell", "council treasurer", "The pool repairs come in under the budget we set"),
    ("Hugo Ferrand", "port surveyor", "Dredging the inner basin begins in the first week of May"),
]
RSS = {"Content-Type": "application/rss+xml"}
SLOW = 3  # the fourth entry has only a summary: its page is fetched, and that page is slow


def entry(n: int, page_url: str) -> str:
    name, role, said = SPEAKERS[n]
    text = f"<p>“{said},” {role} {name} said on the quay.</p>"
    body = (
        f"<description><![CDATA[{text}]]></description>"
        if n == SLOW
        else f"<description>Summary {n}</description><content:encoded><![CDATA[{text}]]>"
        "</content:encoded>"
    )
    link = page_url if n == SLOW else f"https://fenwick-courier.example/story-{n}"
    return (
        f"<item><title>Story {n}</title><link>{link}</link><guid>fenwick-{n}</guid>"
        f"<pubDate>Mon, {16 + n:02d} Nov 2026 08:00:00 GMT</pubDate>{body}</item>"
    )


def rss(page_url: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Fenwick Courier</title><link>https://fenwick-courier.example/</link>"
        + "".join(entry(n, page_url) for n in range(len(SPEAKERS)))
        + "</channel></rss>"
    )


def _whole(app: App) -> list[str]:
    """The stored articles' URLs, each checked whole: its quote, its statement, the statement's
    alert queued (or sent) for the desk."""
    db = app.store.db
    for article_id, url in db.execute("select id, url from articles"):
        sids = [
            r[0]
            for r in db.execute(
                "select statement_id from quotes where article_id = ?", [article_id]
            )
        ]
        assert len(sids) == 1 and sids[0] is not None, url
        alerts = db.execute(
            "select count(*) from alerts where channel = 'console:desk' and thread_key = ?",
            [f"statement:{sids[0]}"],
        ).fetchone()[0]
        assert alerts == 1, f"{url}: {alerts} alerts queued"
    return [r[0] for r in db.execute("select url from articles order by id")]


PAGE = "<html><body><p>Short.</p></body></html>"


def _config(tmp_path: Path) -> Settings:
    config = tmp_path / "verbatim.toml"
    config.write_text(CONFIG)
    return load_settings(config, {}, str(tmp_path / "v.db"))


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def _start_round(runner: Runner, feed_url: str) -> asyncio.Task[int]:
    """The feed subscribed (all 8 entries alerted) and a round started by hand; the scheduler's
    first may run instead, never beside it."""
    await until(lambda: runner.poller is not None, "the poller", 30)
    assert runner.poller is not None
    await runner.in_worker(lambda: runner.app.feeds.add(feed_url, backfill=len(SPEAKERS)))
    return asyncio.create_task(runner.poll_feeds(runner.poller))


def _stored_part(settings: Settings) -> list[str]:
    """What the stopped round left: some articles, each whole and marked seen."""
    app = open_app(settings=settings, stream=io.StringIO())
    try:
        stored = _whole(app)
        assert 0 < len(stored) < len(SPEAKERS)  # stopped mid-round, between articles
        seen = app.store.db.execute("select count(*) from feed_entries").fetchone()[0]
        assert seen == len(stored)  # each stored entry is marked seen, and no other
        return stored
    finally:
        app.close()


async def _restart(settings: Settings, out: io.StringIO) -> None:
    """The next start reads the rest of the feed: every entry stored once, whole."""
    async with bot_running(open_app(settings=settings, stream=out)) as runner:
        await until(lambda: runner.poller is not None, "the poller", 30)
        assert runner.poller is not None
        await runner.poll_feeds(runner.poller)
    app = open_app(settings=settings, stream=io.StringIO())
    try:
        assert len(_whole(app)) == len(SPEAKERS)
    finally:
        app.close()


def _alerted_once(*outs: io.StringIO) -> None:
    text = "".join(out.getvalue() for out in outs)
    for _, _, said in SPEAKERS:
        assert text.count(said) == 1, said  # each alert sent once, across the stop


async def test_ctrl_c_mid_round_stops_between_articles_and_a_restart_reads_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    reached, closing, told = threading.Event(), threading.Event(), threading.Event()

    def slow_page(request: RecordedRequest) -> Reply:
        reached.set()
        told.wait(30)  # meanwhile the bot is told to stop
        # Served once the database is being closed (the old runner closed it under the round)
        # or after a while (the round is waited for).
        closing.wait(3)
        return (200, {"Content-Type": "text/html"}, PAGE)

    settings = _config(tmp_path)
    first, second = io.StringIO(), io.StringIO()
    with serve() as server:
        server.routes["/story-3"] = slow_page
        server.routes["/feed.xml"] = (200, RSS, rss(server.url("/story-3")))
        app = open_app(settings=settings, stream=first)
        close = app.close

        def close_and_say() -> None:
            closing.set()
            close()

        app.close = close_and_say  # type: ignore[method-assign]
        try:
            async with bot_running(app) as runner:
                round_ = await _start_round(runner, server.url("/feed.xml"))
                assert await asyncio.to_thread(reached.wait, 30)
                runner.stopping.set()  # what Ctrl-C does (the block's end does it too)
                told.set()
        finally:
            told.set()
        # Out of the block: the bot was asked to stop (what Ctrl-C does) and has stopped.
        await asyncio.wait_for(round_, 30)  # (the scheduler's first round may be the one that read)
        assert not _errors(caplog)
        assert len(_stored_part(settings)) == 3

        closing.set()  # the page is quick now
        await _restart(settings, second)
    _alerted_once(first, second)
    assert not _errors(caplog)


async def test_a_second_ctrl_c_stops_without_waiting_for_the_round(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    reached, release = threading.Event(), threading.Event()

    def stuck_page(request: RecordedRequest) -> Reply:
        reached.set()
        release.wait(60)  # until the bot has stopped: it must not wait for this
        return (200, {"Content-Type": "text/html"}, PAGE)

    settings = _config(tmp_path)
    first, second = io.StringIO(), io.StringIO()
    with serve() as server:
        server.routes["/story-3"] = stuck_page
        server.routes["/feed.xml"] = (200, RSS, rss(server.url("/story-3")))
        runner = Runner(open_app(settings=settings, stream=first))
        bot = asyncio.create_task(runner.run())
        try:
            round_ = await _start_round(runner, server.url("/feed.xml"))
            assert await asyncio.to_thread(reached.wait, 30)
            assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
            signal.raise_signal(signal.SIGINT)  # Ctrl-C: the round is waited for
            await until(lambda: runner.stopping.is_set(), "the first Ctrl-C", 30)
            signal.raise_signal(signal.SIGINT)  # again: it is not
            await asyncio.wait_for(bot, 30)
            await asyncio.wait_for(round_, 30)
            # After it, Ctrl-C is the interpreter's own again.
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        finally:
            release.set()
        for thread in threading.enumerate():  # the round's thread, once its page comes
            if thread.name == "verbatim-feeds":
                thread.join(30)
        assert not _errors(caplog)
        assert len(_stored_part(settings)) == 3
        await _restart(settings, second)
    _alerted_once(first, second)
    assert not _errors(caplog)


def test_ctrl_c_twice_stops_the_real_process_at_once_and_cleanly(tmp_path: Path) -> None:
    """The same in a real process (`python -m bot run`), whose interpreter must not wait at
    exit for the round's thread, stuck on a page."""
    reached, release = threading.Event(), threading.Event()

    def stuck_page(request: RecordedRequest) -> Reply:
        reached.set()
        release.wait(60)
        return (200, {"Content-Type": "text/html"}, PAGE)

    settings = _config(tmp_path)
    with serve() as server:
        server.routes["/story-3"] = stuck_page
        server.routes["/feed.xml"] = (200, RSS, rss(server.url("/story-3")))
        app = open_app(settings=settings, stream=io.StringIO())
        app.feeds.add(server.url("/feed.xml"), backfill=len(SPEAKERS))
        app.close()
        env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", "verbatim.toml", "--db", "v.db"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert reached.wait(60), "the round never reached the page"
            bot.send_signal(signal.SIGINT)
            err = bot.stderr
            assert err is not None
            said = []
            for line in err:  # the bot says it waits for the round, and how not to
                said.append(line)
                if "Ctrl-C again" in line:
                    break
            bot.send_signal(signal.SIGINT)
            _, rest = bot.communicate(timeout=60)  # while the page is still stuck
            rest = "".join(said) + rest
        finally:
            release.set()
            if bot.poll() is None:
                bot.kill()
        assert bot.returncode == 0, rest
        assert "ERROR" not in rest and "Traceback" not in rest, rest
        assert "feed round left unfinished" in rest
        assert len(_stored_part(settings)) == 3
