"""Slack and Discord answering 429, 500 and dropped connections: every alert arrives once.

The real notifiers and clients post a real SQLite outbox through `deliver_pending` to the
stand-ins, wrapped here to misbehave on a script of message posts; rounds repeat until the
outbox is empty, and the messages the stand-in kept are counted per alert.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from adapters.discord.runtime import start_discord
from adapters.slack.notifier import SlackNotifier
from adapters.slack.runtime import make_client
from bot.core.delivery import deliver_pending
from bot.core.models import Alert, Event, EventType
from bot.core.ports import Notifier
from storage.db import DbLock, open_db
from storage.outbox import Outbox
from tests.adapters.discord.conftest import RecordingBackend, settings_for
from tests.adapters.discord.standin import CHANNEL_ID, DiscordStandIn, error, serving
from tests.adapters.slack.conftest import socket_settings
from tests.adapters.slack.standin import Call, SlackStandIn

ROUNDS = 12  # far more than the scripts need: a guard against an endless loop, not a bound


class LaterOutbox(Outbox):
    """The real outbox read an hour ahead: every retry's backoff has run out by the next round."""

    def pending(self, now: datetime | None = None, limit: int = 100, after: int = 0) -> list[Alert]:
        return super().pending(now or datetime.now(UTC) + timedelta(hours=1), limit, after)


@dataclass
class FaultySlack(SlackStandIn):
    """The Slack stand-in with a script for chat.postMessage: "429", "500", "drop", "lost" or
    "ok". "lost" takes the post (the message exists) and closes the connection before the
    answer, so the bot cannot know it went out."""

    script: list[str] = field(default_factory=list)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method != "chat.postMessage" or not self.script:
            return await super()._api(request)
        fault = self.script.pop(0)
        if fault == "429":
            self.calls.append(Call(method, await self._params(request), 429))
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers={"Retry-After": "1"})
        if fault == "500":
            self.calls.append(Call(method, await self._params(request), 500))
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        if fault == "drop":  # the connection closes before Slack takes the post
            self.calls.append(Call(method, {}, 0))
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if fault == "lost":  # Slack takes the post, then the connection breaks
            answer = await super()._api(request)
            assert request.transport is not None
            request.transport.close()
            return answer
        return await super()._api(request)


class FaultyDiscord(DiscordStandIn):
    """The Discord stand-in with a script for message posts: "429", "500", "drop", "lost", "ok".

    "drop" closes the connection before the post is taken; "lost" takes it (the message
    exists) and closes the connection before the answer, so the bot cannot know it went out.
    """

    def __init__(self) -> None:
        super().__init__()
        self.script: list[str] = []
        self.faults: Counter[str] = Counter()

    async def rest(self, request: web.Request) -> web.StreamResponse:
        tail = request.match_info["tail"]
        posting = request.method == "POST" and tail.startswith("channels/")
        if not (posting and tail.endswith("/messages") and self.script):
            return await super().rest(request)
        fault = self.script.pop(0)
        self.faults[fault] += 1
        assert request.transport is not None
        if fault == "429":
            self.rate_limit_next = 1
        elif fault == "500":
            await request.read()
            return error(500, "500: Internal Server Error")
        elif fault == "drop":
            request.transport.close()
            return web.Response()
        elif fault == "lost":
            answer = await super().rest(request)
            request.transport.close()
            return answer
        return await super().rest(request)


def event(statement: int, outlet: str) -> Event:
    kind = EventType.NEW_STATEMENT if outlet == "Harbour Lantern" else EventType.REPEAT
    return Event(
        kind,
        f"https://{outlet.lower().replace(' ', '')}.example/{statement}",
        outlet,
        statement_id=statement,
        speaker="Orla Penhallow",
        quote=f"Statement number {statement} stands as said",
        canonical=f"Statement number {statement} stands as said",
    )


def fill(outbox: Outbox, channel: str) -> list[int]:
    """Three statements, four outlets each: heads open threads, the rest reply in them."""
    for statement in (101, 102, 103):
        for outlet in ("Harbour Lantern", "Fenwick Courier", "Moorland Post", "Tidewater Star"):
            ev = event(statement, outlet)
            key = f"{channel}:{statement}:{outlet}"
            assert outbox.enqueue_alert(key, channel, ev, f"statement:{statement}")
    return [a.id for a in outbox.pending()]


async def drain(outbox: Outbox, notifiers: dict[str, Notifier]) -> int:
    rounds = 0
    while outbox.pending_count() and rounds < ROUNDS:
        await deliver_pending(outbox, notifiers)
        rounds += 1
    return rounds


def assert_sent_once(outbox: Outbox, ids: list[int], posted: Counter[int]) -> None:
    assert posted == Counter({i: 1 for i in ids})  # each alert in exactly one kept message
    assert outbox.pending_count() == 0
    sent = outbox.sent()
    assert sorted(a.id for a in sent) == ids
    failed = outbox.db.execute("select count(*) from alerts where attempts > 0").fetchone()[0]
    assert failed > 0  # the faults did reach the outbox: some alerts took a second round


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return LaterOutbox(open_db(tmp_path / "verbatim.db"), DbLock())


@pytest.fixture
async def slack() -> AsyncIterator[FaultySlack]:
    server = FaultySlack()
    await server.start()
    yield server
    await server.stop()
    server.assert_nothing_refused()


async def test_slack_every_alert_once_through_429_500_and_dropped_connections(
    slack: FaultySlack, outbox: Outbox
) -> None:
    ids = fill(outbox, "slack:C100")
    # A dropped connection fails that alert's try; the outbox retries it next round.
    slack.script = ["429", "ok", "500", "drop", "ok", "drop", "drop", "500", "ok", "429", "500"]
    notifier = SlackNotifier(make_client(socket_settings(slack)), min_interval=0)
    rounds = await drain(outbox, {"slack": notifier})
    assert 1 < rounds < ROUNDS
    statuses = {c.status for c in slack.calls if c.method == "chat.postMessage"}
    assert statuses == {200, 429, 500, 0}  # 0: a dropped connection
    posts = slack.called("chat.postMessage")
    shown = slack_alert_ids(posts)
    assert_sent_once(outbox, ids, shown)
    heads = [p for p in posts if "thread_ts" not in p]
    assert len(heads) == 3  # one thread per statement, even when its head failed first
    refs = [r[0] for r in outbox.db.execute("select message_ref from alerts").fetchall()]
    assert set(refs) == set(slack.history)  # each alert points at the message that carried it


@pytest.fixture
async def discord_standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FaultyDiscord]:
    async with serving(FaultyDiscord(), monkeypatch) as server:
        yield server


def slack_alert_ids(posts: list[dict[str, Any]]) -> Counter[int]:
    """How many times each alert appears in the posted messages (a batch holds several)."""
    return Counter(
        int(block["block_id"].removeprefix("alert_"))
        for post in posts
        for block in post["blocks"]
        if block["type"] == "actions"
    )


def alert_ids_in(messages: list[dict[str, Any]]) -> Counter[int]:
    return Counter(
        int(button["custom_id"].rsplit(":", 1)[1])
        for message in messages
        for row in message["components"]
        for button in row["components"]
        if button["custom_id"].startswith("verbatim:fp:")
    )


async def test_discord_every_alert_once_through_429_500_drops_and_lost_answers(
    discord_standin: FaultyDiscord, outbox: Outbox
) -> None:
    server = discord_standin
    ids = fill(outbox, f"discord:{CHANNEL_ID}")
    # discord.py waits out a 429 and retries a 500 itself; a drop or a lost answer fails the
    # round, and the retry carries the same nonce, so a post that did go out is not repeated.
    server.script = ["429", "lost", "500", "ok", "drop", "lost", "ok", "429", "drop", "lost"]
    runtime = await start_discord(
        settings_for(server), RecordingBackend(outbox), guild_ready_timeout=0.01
    )
    try:
        rounds = await drain(outbox, {"discord": runtime.notifier})
    finally:
        await runtime.close()
    assert server.script == [] and 1 < rounds < ROUNDS
    assert server.faults == {"429": 2, "lost": 3, "500": 1, "ok": 2, "drop": 2}
    assert_sent_once(outbox, ids, alert_ids_in(list(server.messages.values())))


async def test_a_failed_thread_head_keeps_its_statement_in_one_thread(
    slack: FaultySlack, outbox: Outbox
) -> None:
    ids = fill(outbox, "slack:C100")
    slack.script = ["500"]  # the first statement's head fails once
    notifier = SlackNotifier(make_client(socket_settings(slack)), min_interval=0)
    await drain(outbox, {"slack": notifier})
    posts = slack.called("chat.postMessage")
    shown = slack_alert_ids(posts)
    assert shown == Counter({i: 1 for i in ids})  # replies may share a message; none is lost
    heads = [p for p in posts if "thread_ts" not in p]
    assert ["New statement" in p["text"] for p in heads] == [True, True, True]
    # The failed head's statement opened its thread with the head itself, on its retry.
    assert heads[-1]["text"].startswith("New statement: Orla Penhallow: “Statement number 101")


async def test_slack_a_post_whose_answer_was_lost_is_not_posted_again(
    slack: FaultySlack, outbox: Outbox
) -> None:
    ids = fill(outbox, "slack:C100")
    slack.script = ["lost", "ok", "lost", "lost", "500"]
    notifier = SlackNotifier(make_client(socket_settings(slack)), min_interval=0)
    rounds = await drain(outbox, {"slack": notifier})
    assert 1 < rounds < ROUNDS
    assert_sent_once(outbox, ids, slack_alert_ids(slack.called("chat.postMessage")))
    # The lost ones were found in the channel or thread, not posted a second time.
    assert slack.called("conversations.history") or slack.called("conversations.replies")


async def test_discord_a_lost_answer_retried_after_the_nonce_expired_is_not_posted_twice(
    discord_standin: FaultyDiscord, outbox: Outbox
) -> None:
    """Issue 17, 6: the outbox's backoff outlasts Discord's nonce; the notifier looks first."""
    server = discord_standin
    ids = fill(outbox, f"discord:{CHANNEL_ID}")
    server.script = ["lost", "ok", "lost", "ok", "lost"]
    runtime = await start_discord(
        settings_for(server), RecordingBackend(outbox), guild_ready_timeout=0.01
    )
    try:
        rounds = 0
        while outbox.pending_count() and rounds < ROUNDS:
            await deliver_pending(outbox, {"discord": runtime.notifier})
            server.forget_nonces()  # minutes pass before each retry
            rounds += 1
    finally:
        await runtime.close()
    assert server.faults["lost"] == 3
    assert_sent_once(outbox, ids, alert_ids_in(list(server.messages.values())))
    assert server.posted("GET", "/messages")  # the retries looked for their alert first
