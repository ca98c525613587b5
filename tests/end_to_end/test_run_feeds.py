"""`verbatim run --once` on a real feed served over HTTP on 127.0.0.1, as a user runs it.

The config file subscribes to the feed; the first round learns its backlog silently, a new
entry alerts once, a restart re-posts nothing, and a feed that starts failing is backed off
while the bot keeps going.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from bot.app.settings import load_settings
from bot.bootstrap import open_app
from tests.adapters.httpserver import TestHTTPServer, serve
from tests.conftest import run_cli
from tests.end_to_end.conftest import bot_running

CONFIG = """
[sources]
sample_feed = false
allow_private_hosts = ["127.0.0.1"]

[[channels]]
id = "console:desk"
new_statements = "all"

[[feeds]]
url = "{url}"
channel = "console:desk"
interval = 60
"""

ENTRY = """
  <item>
    <title>{title}</title>
    <link>https://fenwick-courier.example/{slug}</link>
    <guid>fenwick-{slug}</guid>
    <pubDate>{date}</pubDate>
    <description><![CDATA[<p>{text}</p>]]></description>
  </item>"""


def rss(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Fenwick Courier</title><link>https://fenwick-courier.example/</link>"
        + "".join(entries)
        + "</channel></rss>"
    )


OLD = ENTRY.format(
    title="Pier repairs",
    slug="pier",
    date="Mon, 16 Nov 2026 08:00:00 GMT",
    text="“The pier will reopen in March and not a day later,” harbour master Edda Strand said.",
)
NEW = ENTRY.format(
    title="Ferry timetable",
    slug="ferry",
    date="Tue, 17 Nov 2026 08:00:00 GMT",
    text="“Every crossing will run on the hour from next week,” ferry chief Rune Aaberg said.",
)


def _run(tmp_path: Path) -> str:
    done = run_cli("run", "--once", "--config", "verbatim.toml", "--db", "v.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _feed(server: TestHTTPServer, body: str, status: int = 200) -> None:
    server.routes["/feed.xml"] = (status, {"Content-Type": "application/rss+xml"}, body)


def test_run_polls_a_real_feed_backlog_silently_then_alerts_new_entries_once(
    tmp_path: Path,
) -> None:
    with serve() as server:
        _feed(server, rss(OLD))
        config = CONFIG.format(url=server.url("/feed.xml"))
        (tmp_path / "verbatim.toml").write_text(config)

        first = _run(tmp_path)
        assert "Edda Strand" not in first  # the backlog is learned, not alerted

        _feed(server, rss(NEW, OLD))
        second = _run(tmp_path)
        assert second.count("Every crossing will run on the hour") == 1  # alerted once

        third = _run(tmp_path)  # a restart: nothing new, nothing re-posted
        assert "Rune Aaberg" not in third and "Edda Strand" not in third
        agents = {r.headers.get("user-agent", "") for r in server.requests}
        assert all(a.startswith("Verbatim/") for a in agents)


def test_a_failing_feed_does_not_stop_the_bot(tmp_path: Path) -> None:
    with serve() as server:
        _feed(server, "server trouble", status=500)
        (tmp_path / "verbatim.toml").write_text(CONFIG.format(url=server.url("/feed.xml")))
        done = run_cli(
            "run", "--once", "--config", "verbatim.toml", "--db", "v.db", "-v", cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert "500" in done.stderr


async def test_a_feed_added_while_the_bot_runs_is_polled(tmp_path: Path) -> None:
    with serve() as server:
        _feed(server, rss(NEW, OLD))
        config = tmp_path / "verbatim.toml"
        config.write_text(CONFIG.split("[[feeds]]")[0])  # no feed at start
        stream = io.StringIO()
        settings = load_settings(config, {}, str(tmp_path / "v.db"))
        async with bot_running(open_app(settings=settings, stream=stream)) as runner:
            while runner.poller is None:
                await asyncio.sleep(0.01)
            # An admin subscribes from chat (or the command line) while the bot is running.
            url = server.url("/feed.xml")
            await runner.in_worker(lambda: runner.app.feeds.add(url, backfill=1))
            # The scheduler's first round may run before or after ours, never beside it: between
            # them, both entries are read once.
            await runner.poll_feeds(runner.poller)
            stored = await runner.in_worker(
                lambda: runner.app.store.db.execute("select count(*) from articles").fetchone()[0]
            )
            assert stored == 2
    assert "Rune Aaberg" in stream.getvalue()  # the newest entry, backfilled
    assert "Edda Strand" not in stream.getvalue()  # the rest of the backlog, learned silently
