"""A new team's first hour on the Slack stand-in (issue 18): a feed added in a channel sends
its findings there, the first command in a channel is followed by one welcome, and an alert
that cannot be posted is told to the admins once (issue 16).

Real store on a SQLite file, real slack-bolt, feeds served on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.adapters.httpserver import serve
from tests.adapters.slack.conftest import next_response, slash
from tests.adapters.slack.standin import SlackStandIn
from tests.end_to_end.conftest import alert_about, bot_running
from tests.end_to_end.test_run_on_slack import ARTICLE, on_slack

ALTERED = (
    "<item><title>Ferry line doubts</title><link>https://tide-post.example/ferry</link>"
    "<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate><description>Harbour minister Tomas Ekdahl"
    " said on Monday: &#8220;The new ferry line will carry three million passengers a year by"
    " 2028.&#8221; Critics doubt it.</description></item>"
)
OLD = (
    "<item><title>Harbour budget</title><link>https://tide-post.example/budget</link>"
    "<pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate><description>The budget passed."
    "</description></item>"
)


def rss(items: str) -> str:
    return f'<rss version="2.0"><channel><title>Tide Post</title>{items}</channel></rss>'


def posts_to(standin: SlackStandIn, channel: str) -> list[dict[str, Any]]:
    return [p for p in standin.called("chat.postMessage") if p["channel"] == channel]


async def test_a_feed_added_in_a_channel_sends_its_alterations_there_after_one_welcome(
    tmp_path: Path,
) -> None:
    feed = {"body": rss(OLD)}
    standin = SlackStandIn(admins={"UADMIN"})
    with serve(
        {"/rss": lambda _: (200, {"Content-Type": "application/rss+xml"}, feed["body"])}
    ) as site:
        async with on_slack(tmp_path, standin, private=True) as runner:
            # C100 is routed by the config file; C200 is not routed at all.
            await alert_about(runner, ARTICLE)
            assert len(posts_to(standin, "C100")) == 1  # the new statement
            add = {
                **slash(standin, f"feeds add {site.url('/rss')}", user="UADMIN", name="a"),
                "channel_id": "C200",
            }
            await standin.envelope("slash_commands", add)
            answer = str(await next_response(standin))
            assert "Alterations, misattributions and disputes found in it" in answer
            assert runner.poller is not None
            await runner.poll_feeds(runner.poller, every_feed=True)  # the backlog: silent
            await runner.deliver()
            [welcome] = posts_to(standin, "C200")
            assert "Verbatim is set up in this channel" in welcome["text"]
            assert "found in the feed added here" in str(welcome["blocks"])

            feed["body"] = rss(ALTERED + OLD)
            await runner.poll_feeds(runner.poller, every_feed=True)
            await runner.deliver()
            welcome_again, altered = posts_to(standin, "C200")
            assert welcome_again == welcome  # once
            assert "three million" in str(altered["blocks"]) and "Alter" in altered["text"]
            # The routed channel gets the alteration by its own routing, once.
            assert len(posts_to(standin, "C100")) == 2

            # Another command in C200: no second welcome; route show says what comes here.
            shown = {**slash(standin, "route show", name="l"), "channel_id": "C200"}
            await standin.envelope("slash_commands", shown)
            said = str(await next_response(standin))
            assert "alterations, misattributions and disputes found in the feed added here" in said
            await runner.deliver()
            assert len(posts_to(standin, "C200")) == 2
    standin.assert_nothing_refused()


async def test_an_alert_the_bot_may_not_post_is_told_to_the_admins_once(tmp_path: Path) -> None:
    """The bot was never invited to COUT: the alert is kept as failed and the listed admin
    gets one direct message naming it and the command that re-sends it."""
    standin = SlackStandIn(admins={"UADMIN"})
    extra = '\n[[channels]]\nid = "slack:COUT"\nnew_statements = "all"\n'
    async with on_slack(tmp_path, standin, extra=extra, admins=("UADMIN",)) as runner:
        await alert_about(runner, ARTICLE)
        [told] = posts_to(standin, "UADMIN")
        kept = await runner.in_worker(runner.app.outbox.failed)
        # COUT's welcome failed the same way at start-up (its admins were told then).
        [failed] = [f for f in kept if not f.alert.key.startswith("welcome:")]
        assert failed.alert.channel == "slack:COUT"
        assert f"Alert #{failed.alert.id} for slack:COUT" in str(told["blocks"])
        assert "not_in_channel" in str(told["blocks"])
        assert f"verbatim alerts --retry {failed.alert.id}" in str(told["blocks"])
        assert (
            len(posts_to(standin, "COUT")) == 1 and len(posts_to(standin, "C100")) == 1
        )  # tried once

        await runner.in_worker(runner.app.outbox.retry_failed)  # still not invited
        await runner.deliver()
        await runner.deliver()
        assert len(posts_to(standin, "UADMIN")) == 1  # told once


async def test_feeds_add_fetches_off_the_database_thread(tmp_path: Path) -> None:
    """While a slow site answers `feeds add`'s check, other commands are answered."""
    import threading

    release = threading.Event()

    def slow_feed(_: object) -> tuple[int, dict[str, str], str]:
        release.wait(30)  # the site takes its time until the test has seen another answer
        return 200, {"Content-Type": "application/rss+xml"}, rss(OLD)

    standin = SlackStandIn(admins={"UADMIN"})
    with serve({"/rss": slow_feed}) as site:
        async with on_slack(tmp_path, standin, private=True):
            try:
                add = slash(standin, f"feeds add {site.url('/rss')}", user="UADMIN", name="a")
                await standin.envelope("slash_commands", add)
                while not site.requests_to("/rss"):
                    await asyncio.sleep(0.01)  # the check has begun, and waits
                await standin.envelope("slash_commands", slash(standin, "topic list", name="l"))
                assert (await next_response(standin))["_to"] == "l"  # answered meanwhile
                release.set()
                added = await next_response(standin)
                assert added["_to"] == "a" and "Found “Tide Post”: 1 entry" in str(added)
            finally:
                release.set()  # before the bot stops: its worker waits on the site
    standin.assert_nothing_refused()


async def test_a_channel_set_up_in_the_config_is_welcomed_once_ever(tmp_path: Path) -> None:
    standin = SlackStandIn(admins={"UADMIN"})
    await standin.start()
    try:
        await _run_twice(tmp_path, standin)  # a restart welcomes nobody again
        [welcome] = posts_to(standin, "C100")
        assert "Verbatim is set up in this channel" in welcome["text"]
        assert "digest" in str(welcome["blocks"]).lower()  # says what it will post there
    finally:
        await standin.stop()
    standin.assert_nothing_refused()


def test_the_monitor_queues_a_feeds_channel_findings_with_the_article(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.app.settings import Settings
    from bot.bootstrap import open_app
    from bot.core.models import EventType

    app = open_app(settings=Settings(db_path=tmp_path / "v.db", console=False))
    try:
        app.monitor.ingest(ARTICLE, also_to="slack:C200")
        altered = replace(
            ARTICLE,
            url="https://tide-post.example/ferry",
            outlet="Tide Post",
            text=ARTICLE.text.replace("two million", "three million"),
        )
        app.monitor.ingest(altered, also_to="slack:C200")
        queued = [a for a in app.outbox.pending() if a.channel == "slack:C200"]
    finally:
        app.close()
    # Queued by the ingest itself (its one transaction), not after it: the new statement is no
    # finding for the feed's channel, the alteration is, once.
    assert [a.event.type for a in queued] == [EventType.ALTER]


async def test_a_missing_slack_scope_is_told_once_in_the_channel(tmp_path: Path) -> None:
    """The token lacks files:write (digest charts): the routed channel is told once, with the
    fix, beside its welcome; a restart tells nobody again."""
    from tests.adapters.slack.standin import BOT_SCOPES

    standin = SlackStandIn(scopes=tuple(s for s in BOT_SCOPES if s != "files:write"))
    await standin.start()
    try:
        await _run_twice(tmp_path, standin)
        told = [p for p in posts_to(standin, "C100") if "lacks" in p["text"]]
    finally:
        await standin.stop()
    [notice] = told
    assert "files:write" in notice["text"] and "reinstall" in str(notice["blocks"])


async def _run_twice(tmp_path: Path, standin: SlackStandIn) -> None:
    """The bot on the stand-in from test_run_on_slack's config, one delivery round, stopped;
    twice over the same database (a restart)."""
    from bot.app.settings import load_settings
    from bot.bootstrap import open_app
    from tests.end_to_end.test_run_on_slack import CONFIG

    config = tmp_path / "verbatim.toml"
    config.write_text(CONFIG.format(base=standin.base_url))
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test"}
    for _ in range(2):
        app = open_app(settings=load_settings(config, env, str(tmp_path / "v.db")))
        async with bot_running(app) as runner:
            await asyncio.wait_for(standin.connected.wait(), 20)
            await runner.deliver()
        standin.connected.clear()
