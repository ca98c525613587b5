"""The whole bot (`verbatim run`'s Runner, real store, real slack-bolt) on the Slack stand-in.

Settings come from a config file and environment variables as a user would write them; an
article goes in, its alert comes out in the channel; slash commands are answered from the real
store; the digest job posts once per local day.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app.settings import SettingsError, load_settings
from bot.bootstrap import App, open_app
from bot.core.models import Article
from bot.entrypoints.runner import Runner
from tests.adapters.discord.standin import keep_discord_endpoints
from tests.adapters.httpserver import RecordedRequest, Route, serve
from tests.adapters.slack.conftest import click, next_response, slash
from tests.adapters.slack.standin import SlackStandIn
from tests.end_to_end.conftest import alert_about, bot_running

CONFIG = """
[sources]
sample_feed = false

[slack]
enabled = true
api_base_url = "{base}"

[[channels]]
id = "slack:C100"
new_statements = "all"
digest_at = "09:00"
timezone = "Europe/Paris"
"""

ARTICLE = Article(
    url="https://harbour-ledger.example/ferry",
    outlet="Harbour Ledger",
    title="Ferry line promised",
    text=(
        "Harbour minister Tomas Ekdahl said on Monday: “The new ferry line will carry two "
        "million passengers a year by 2028.”\n\nThe ministry expects the line to open in spring."
    ),
    published=datetime(2026, 11, 23, 8, tzinfo=UTC),
)


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[Runner, SlackStandIn]]:
    standin = SlackStandIn(admins={"UADMIN"})
    async with on_slack(tmp_path, standin) as runner:
        yield runner, standin
    standin.assert_nothing_refused()


async def test_an_article_alerts_the_slack_channel_and_commands_read_the_store(
    running: tuple[Runner, SlackStandIn],
) -> None:
    runner, standin = running
    await alert_about(runner, ARTICLE)
    posts = standin.called("chat.postMessage")
    assert [p["channel"] for p in posts] == ["C100"]
    assert "Tomas Ekdahl" in posts[0]["text"]
    assert "two million passengers" in posts[0]["text"]
    await runner.deliver()
    assert len(standin.called("chat.postMessage")) == 1  # delivered once

    await standin.envelope("slash_commands", slash(standin, "quote ferry line", name="q"))
    answer = await next_response(standin)
    assert "Tomas Ekdahl" in answer["text"]

    await standin.envelope("slash_commands", slash(standin, "topic add ferries ferry*", name="t"))
    assert "Saved topic" in (await next_response(standin))["text"]
    await standin.envelope("slash_commands", slash(standin, "topic list", name="l"))
    listed = await next_response(standin)
    assert "ferries: ferry*" in str(listed)


async def test_story_is_answered_from_the_store_on_slack(
    running: tuple[Runner, SlackStandIn],
) -> None:
    runner, standin = running
    await runner.in_worker(runner.app.monitor.ingest, ARTICLE)
    await standin.envelope("slash_commands", slash(standin, "story new ferry line", name="s"))
    answer = str(await next_response(standin))
    assert "Story of statement #1 by Tomas Ekdahl" in answer and "Harbour Ledger" in answer


async def test_the_digest_posts_once_per_local_day(running: tuple[Runner, SlackStandIn]) -> None:
    runner, standin = running
    now = datetime.now(UTC)  # the day that just passed holds the article, by publication
    fresh = replace(ARTICLE, published=now - timedelta(hours=2))
    await alert_about(runner, fresh)
    route = runner.app.settings.routes[0]
    assert await runner.post_digest(route, now)
    assert not await runner.post_digest(route, now)  # a misfired job run again: not resent
    digests = [p for p in standin.called("chat.postMessage") if "digest" in p["text"].lower()]
    assert len(digests) == 1
    assert digests[0]["channel"] == "C100"
    assert "Tomas Ekdahl" in str(digests[0]["blocks"])
    # The coverage chart goes into the digest's thread as a PNG.
    [done] = standin.called("files.completeUploadExternal")
    assert done["channel_id"] == "C100"
    assert done["thread_ts"] == standin.history_ts(digests[0])
    [png] = [data for data in standin.uploads.values() if data]
    assert png.startswith(b"\x89PNG")


async def test_an_admin_reroutes_the_channel_from_slack_and_it_survives_a_restart(
    running: tuple[Runner, SlackStandIn],
) -> None:
    runner, standin = running
    await standin.envelope("slash_commands", slash(standin, "route new none", name="u"))
    refused = await next_response(standin)
    assert "Only admins" in refused["text"]
    change = slash(standin, "route new none", user="UADMIN", name="a")
    await standin.envelope("slash_commands", change)
    assert "Routing updated" in (await next_response(standin))["text"]
    digest = slash(standin, "route digest 07:15 Europe/Oslo", user="UADMIN", name="d")
    await standin.envelope("slash_commands", digest)
    shown = await next_response(standin)
    assert "every day at 07:15 (Europe/Oslo)" in str(shown)
    assert runner.scheduler is not None
    job = runner.scheduler.get_job("digest:slack:C100")
    assert job is not None and "hour='7', minute='15'" in str(job.trigger)

    # New statements are no longer alerted in this channel; it was welcomed once already, at
    # start-up (it is set up in the config), so its first command brings no second welcome.
    await alert_about(runner, ARTICLE)
    assert standin.called("chat.postMessage") == []

    # The routing is in the database: a restarted bot reads it back over the config file.
    again = open_app(settings=runner.app.settings)
    try:
        route = next(r for r in again.monitor.routes if r.channel == "slack:C100")
        assert (route.new_statements, route.digest_at, route.timezone) == (
            "none",
            "07:15",
            "Europe/Oslo",
        )
    finally:
        again.close()


async def test_mute_from_the_alert_stops_the_next_alert_of_that_statement(
    running: tuple[Runner, SlackStandIn],
) -> None:
    runner, standin = running
    await alert_about(runner, ARTICLE)
    [head] = standin.called("chat.postMessage")
    mute = next(
        e for b in head["blocks"] if b["type"] == "actions" for e in b["elements"]
        if e["action_id"].startswith("verbatim_mute")
    )  # fmt: skip
    await standin.envelope("interactive", click(standin, mute["action_id"], mute["value"], "m"))
    assert "Muted statement" in (await next_response(standin))["text"]
    altered = Article(
        "https://tide-post.example/ferry",
        "Tide Post",
        "Ferry plans",
        ARTICLE.text.replace("two million", "three million"),
    )
    events = await alert_about(runner, altered)
    assert [e.type.value for e in events] == ["alter"]
    assert len(standin.called("chat.postMessage")) == 1  # the alter was not posted


async def test_admins_manage_feeds_from_slack(tmp_path: Path) -> None:
    """`feeds add` fetches the feed once, off the database thread, and answers with what it
    found; a page is read through to the feed it names; OPML imports; list; remove."""
    items = "".join(
        f"<item><title>Ferry line, part {n}</title><link>https://fenwick-courier.example/{n}"
        f"</link><description>&quot;The ferry line {n} opens in spring,&quot; minister Tomas "
        "Ekdahl said.</description></item>"
        for n in (1, 2)
    )
    rss = f'<rss version="2.0"><channel><title>Fenwick Courier</title>{items}</channel></rss>'
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>'
    routes: dict[str, Route] = {
        "/rss": (200, {"Content-Type": "application/rss+xml"}, rss),
        "/": (200, {"Content-Type": "text/html"}, home),
    }
    standin = SlackStandIn(admins={"UADMIN"})
    with serve(routes) as site:
        async with on_slack(tmp_path, standin, private=True) as runner:
            add = slash(standin, f"feeds add {site.url('/')}", user="UADMIN", name="a")
            await standin.envelope("slash_commands", add)
            added = str(await next_response(standin))
            assert f"Watching {site.url('/rss')}" in added
            assert "Found “Fenwick Courier”: 2 entries; 2 quotes in the 2 newest." in added
            again = slash(standin, f"feeds add {site.url('/rss')}", user="UADMIN", name="b")
            await standin.envelope("slash_commands", again)
            assert "Already watching" in (await next_response(standin))["text"]
            opml = (
                '<opml version="2.0"><body>'
                '<outline type="rss" text="Tide Post" xmlUrl="https://tide-post.example/feed"/>'
                '<outline type="rss" text="Bad" xmlUrl="ftp://nowhere.example/feed"/>'
                "</body></opml>"
            )
            imp = slash(standin, f"feeds import {opml}", user="UADMIN", name="i")
            await standin.envelope("slash_commands", imp)
            imported = await next_response(standin)
            assert "Imported 1 feed" in imported["text"]
            await standin.envelope("slash_commands", slash(standin, "feeds list", name="l"))
            listed = str(await next_response(standin))
            assert site.url("/rss") in listed and "tide-post.example/feed" in listed
            rm = slash(
                standin, "feeds remove https://tide-post.example/feed", user="UADMIN", name="r"
            )
            await standin.envelope("slash_commands", rm)
            assert "Stopped watching" in (await next_response(standin))["text"]
            feeds = await runner.in_worker(lambda: [f.url for f in runner.app.feeds.list()])
            assert feeds == [site.url("/rss")]
    standin.assert_nothing_refused()


@contextlib.asynccontextmanager
async def on_slack(
    tmp_path: Path,
    standin: SlackStandIn,
    *,
    private: bool = False,
    extra: str = "",
    admins: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> AsyncIterator[Runner]:
    """The whole bot on ``standin`` (started here, stopped after), its welcomes posted, with
    feeds on 127.0.0.1 allowed when ``private``, ``extra`` config after the rest, ``admins``
    listed in [slack] and ``env`` beside the Slack tokens."""
    await standin.start()
    try:
        app = _slack_app(tmp_path, standin, private, extra, admins, env or {})
        async with bot_running(app) as runner:
            await asyncio.wait_for(standin.connected.wait(), 20)
            await settle_welcomes(runner, standin)
            yield runner
    finally:
        await standin.stop()


def _slack_app(
    tmp_path: Path,
    standin: SlackStandIn,
    private: bool,
    extra: str,
    admins: tuple[str, ...],
    env: dict[str, str],
) -> App:
    config = tmp_path / "verbatim.toml"
    text = CONFIG.format(base=standin.base_url) + extra
    if admins:
        listed = ", ".join(f'"{a}"' for a in admins)
        text = text.replace(
            "[slack]\nenabled = true", f"[slack]\nenabled = true\nadmins = [{listed}]"
        )
    if private:
        text = text.replace(
            "sample_feed = false", 'sample_feed = false\nallow_private_hosts = ["127.0.0.1"]'
        )
    config.write_text(text)
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test", **env}
    return open_app(settings=load_settings(config, env, str(tmp_path / "v.db")))


async def settle_welcomes(runner: Runner, standin: SlackStandIn) -> list[dict[str, Any]]:
    """Post the configured channels' one welcome (and the note about one that could not be
    posted), return what was posted, and forget the calls so a test sees only its own."""
    await runner.deliver()
    await runner.deliver()
    posted = standin.called("chat.postMessage")
    standin.calls.clear()
    return posted


OPML = (
    '<opml version="2.0"><body>'
    '<outline type="rss" text="Tide Post" xmlUrl="https://tide-post.example/feed"/>'
    "</body></opml>"
)


async def test_an_opml_link_is_fetched_off_the_database_thread(tmp_path: Path) -> None:
    """While a slow site serves an OPML import, other commands are answered (issue 17, 5)."""
    release = threading.Event()

    def slow_opml(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        release.wait(30)  # the site takes its time until the test has seen another answer
        return 200, {"Content-Type": "text/x-opml"}, OPML.encode()

    standin = SlackStandIn(admins={"UADMIN"})
    with serve({"/feeds.opml": slow_opml}) as site:
        async with on_slack(tmp_path, standin, private=True):
            try:
                url = site.url("/feeds.opml")
                imp = slash(standin, f"feeds import {url}", user="UADMIN", name="i")
                await standin.envelope("slash_commands", imp)
                while not site.requests_to("/feeds.opml"):
                    await asyncio.sleep(0.01)  # the fetch has begun, and waits
                await standin.envelope("slash_commands", slash(standin, "topic list", name="l"))
                listed = await next_response(standin)  # answered while the import still waits
                assert listed["_to"] == "l"
                release.set()
                imported = await next_response(standin)
                assert imported["_to"] == "i" and "Imported 1 feed" in imported["text"]
            finally:
                release.set()  # before the bot stops: its worker waits on the site
    standin.assert_nothing_refused()


async def test_a_refused_app_token_stops_start_up_with_a_message(tmp_path: Path) -> None:
    standin = SlackStandIn()
    await standin.start()
    try:
        config = tmp_path / "verbatim.toml"
        config.write_text(CONFIG.format(base=standin.base_url))
        env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-revoked"}
        runner = Runner(open_app(settings=load_settings(config, env, str(tmp_path / "v.db"))))
        with pytest.raises(SettingsError, match=r"SLACK_APP_TOKEN .*invalid_auth"):
            await asyncio.wait_for(runner.run(), 20)
    finally:
        await standin.stop()


async def test_slack_goes_on_when_discord_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_discord_endpoints(monkeypatch)
    closed = unused_port()
    discord = (
        f'\n[discord]\nenabled = true\napi_base_url = "http://127.0.0.1:{closed}/api/v10"\n'
        f'gateway_url = "ws://127.0.0.1:{closed}/gateway"\n'
    )
    standin = SlackStandIn()
    async with on_slack(tmp_path, standin, extra=discord, env={"DISCORD_TOKEN": "t"}) as runner:
        await standin.envelope("slash_commands", slash(standin, "topic list", name="l"))
        assert (await next_response(standin))["_to"] == "l"
        assert "discord" not in runner.app.notifiers and "slack" in runner.app.notifiers


def unused_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
