"""Slack's limits, end to end: the strict stand-in refuses what Slack refuses, and what the bot
sends (long replies, bursts of big alerts, quotes full of mentions) is never refused."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.runtime import SlackRuntime, make_client, start_slack
from bot.core.delivery_errors import PermanentDeliveryError
from tests.adapters.alerts import EVENTS, alert
from tests.adapters.slack.conftest import next_response, slash, socket_settings
from tests.adapters.slack.standin import SlackStandIn
from tests.fakes import ManyFeeds, RecordingBackend


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(action_id: str) -> dict[str, Any]:
    label = {"type": "plain_text", "text": "Go"}
    return {"type": "button", "text": label, "action_id": action_id, "value": "1"}


HEADER = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
ACTIONS = {"type": "actions", "elements": [button("a"), button("a")]}
CONTEXT = {"type": "context", "elements": [section("x")["text"]] * 11}
REFUSED = {
    "51 blocks": ([section("x")] * 51, "invalid_blocks"),
    "a section of 3,001": ([section("x" * 3001)], "invalid_blocks"),
    "an empty section": ([section("")], "invalid_blocks"),
    "a header of 151": ([HEADER], "invalid_blocks"),
    "a repeated action_id": ([ACTIONS], "invalid_blocks"),
    "11 context elements": ([CONTEXT], "invalid_blocks"),
    "13k of text in 5 blocks": ([section("y" * 2700)] * 5, "msg_blocks_too_long"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_the_stand_in_refuses_what_slack_refuses(standin: SlackStandIn, case: str) -> None:
    blocks, error = REFUSED[case]
    client = make_client(socket_settings(standin))
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C100", text="fallback", blocks=blocks)
    assert refused.value.response["error"] == error
    assert standin.refused and standin.refused[-1][1] == error
    standin.refused.clear()  # refused on purpose


async def test_a_channel_the_bot_is_not_in_is_a_permanent_failure(standin: SlackStandIn) -> None:
    runtime = await start_slack(socket_settings(standin), RecordingBackend(), min_interval=0)
    try:
        with pytest.raises(PermanentDeliveryError, match="not_in_channel") as refused:
            await runtime.notifier.send(alert(EVENTS["alter"], 3, channel="slack:COUT"), None)
    finally:
        await runtime.close()
    assert "/invite @Verbatim" in refused.value.reason


async def listed(standin: SlackStandIn, count: int) -> list[dict[str, object]]:
    runtime = await start_slack(
        socket_settings(standin), ManyFeeds(count, channel="slack:C100"), min_interval=0
    )
    try:
        await asyncio.wait_for(standin.connected.wait(), 10)
        await standin.envelope("slash_commands", slash(standin, "feeds list"))
        first = await next_response(standin)
        pages = [first]
        total = re.search(r"\((\d+)/(\d+)\)", str(first["text"]) + str(first["blocks"]))
        for _ in range(int(total[2]) - 1 if total else 0):
            pages.append(await next_response(standin))
    finally:
        await runtime.close()
    return pages


async def test_150_feeds_are_listed_over_several_messages_none_refused(
    standin: SlackStandIn,
) -> None:
    pages = await listed(standin, 150)
    assert len(pages) >= 2  # 19k characters: more than one message can hold
    shown = "".join(str(p["blocks"]) for p in pages)
    assert all(f"feeds-{n:04d}" in shown for n in range(150))  # every feed, none cut
    assert "not shown" not in shown
    assert all(p["response_type"] == "in_channel" for p in pages)


async def test_a_list_too_long_for_the_response_url_says_what_was_left_out(
    standin: SlackStandIn,
) -> None:
    pages = await listed(standin, 1000)
    assert len(pages) == 4  # a response_url takes five answers: four pages, one spare
    last = str(pages[-1]["blocks"])
    left = re.search(r"… (\d+) more lines not shown", last)
    assert left is not None
    shown = sum(f"feeds-{n:04d}" in "".join(str(p["blocks"]) for p in pages) for n in range(1000))
    assert shown + int(left[1]) == 1000  # what is not shown is counted, to the line


async def test_quoted_mentions_and_markup_never_ping(
    standin: SlackStandIn, backend: RecordingBackend
) -> None:
    quote = "Tell @here and @channel, <!everyone> and <@U0ADMIN>: <https://evil.example|click> & go"
    runtime = await start_slack(socket_settings(standin), backend, min_interval=0)
    try:
        event = replace(EVENTS["new_statement"], quote=quote, speaker="@everyone")
        await runtime.notifier.send(alert(event, 4), None)
    finally:
        await runtime.close()
    [post] = standin.called("chat.postMessage")
    texts = [str(post["text"])]
    for block in post["blocks"]:
        objects = [block.get("text"), *block.get("fields", []), *block.get("elements", [])]
        for obj in objects:
            if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                assert obj["verbatim"] is True  # Slack parses no mention, no channel, no link
                texts.append(obj["text"])
    for text in texts:
        assert "<!" not in text and "<@" not in text and "<https://evil" not in text
        assert not re.search(r"@(here|channel|everyone)\b", text)
    assert any("Tell @\u2060here and @\u2060channel, &lt;!everyone&gt;" in t for t in texts)


async def test_a_burst_of_long_alerts_folds_only_what_fits_and_loses_none(
    standin: SlackStandIn, backend: RecordingBackend
) -> None:
    runtime = await start_slack(socket_settings(standin), backend, min_interval=0.2)
    try:
        long = replace(EVENTS["topic"], quote="The harbour dues will fall. " * 100)
        burst = [replace(alert(long, i), thread_key=None) for i in range(1, 9)]
        await asyncio.gather(*(runtime.notifier.send(a, None) for a in burst))
    finally:
        await runtime.close()
    posts = standin.called("chat.postMessage")
    shown = [b["block_id"] for p in posts for b in p["blocks"] if b["type"] == "actions"]
    assert sorted(shown) == sorted(f"alert_{i}" for i in range(1, 9))  # each exactly once
    assert 1 < len(posts) < 8  # folded, but never more than one message can hold


@pytest.fixture
async def reconnecting(
    standin: SlackStandIn, backend: RecordingBackend
) -> AsyncIterator[SlackRuntime]:
    runtime = await start_slack(
        socket_settings(standin), backend, min_interval=0, ping_interval=0.05
    )
    await asyncio.wait_for(standin.connected.wait(), 10)
    yield runtime
    await runtime.close()


async def test_socket_mode_survives_disconnect_and_a_dropped_socket(
    standin: SlackStandIn, reconnecting: SlackRuntime, backend: RecordingBackend
) -> None:
    notifier = reconnecting.notifier
    await standin.disconnect("refresh_requested")  # Slack asks; the client opens a new socket
    await standin.envelope("slash_commands", slash(standin, "speaker Mara Quillon", name="a"))
    assert (await next_response(standin))["text"].startswith("speaker done")

    before = standin.connections
    await standin.drop()  # no word: the socket is simply gone
    during = await notifier.send(alert(EVENTS["alter"], 21), None)  # alerts go over the Web API
    await standin.reconnected(before)
    await standin.disconnect("warning")
    after = await notifier.send(alert(EVENTS["dispute"], 22), None)
    await standin.envelope("slash_commands", slash(standin, "speaker Tobin Arkwright", name="b"))
    assert (await next_response(standin))["text"].startswith("speaker done")

    assert standin.connections == 4
    speakers = [c[1] for c in backend.calls if c[0] == "speaker"]
    assert speakers == [("Mara Quillon",), ("Tobin Arkwright",)]  # each command once
    posts = standin.called("chat.postMessage")
    ids = [b["block_id"] for p in posts for b in p["blocks"] if b["type"] == "actions"]
    assert ids == ["alert_21", "alert_22"]  # no alert lost, none doubled
    assert during.message_ref != after.message_ref
