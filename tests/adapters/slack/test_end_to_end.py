"""The real slack-bolt app and slack_sdk clients against the stand-in Slack on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.runtime import SlackRuntime, start_slack
from bot.core.delivery_errors import PermanentDeliveryError
from bot.core.models import Reply
from tests.adapters.alerts import EVENTS, alert
from tests.adapters.slack.conftest import click, next_response, slash, socket_settings
from tests.adapters.slack.standin import SlackStandIn
from tests.fakes import RecordingBackend


@pytest.fixture
async def socket_app(
    standin: SlackStandIn, backend: RecordingBackend
) -> AsyncIterator[SlackRuntime]:
    runtime = await start_slack(socket_settings(standin), backend, min_interval=0)
    await asyncio.wait_for(standin.connected.wait(), 10)
    yield runtime
    await runtime.close()


async def test_a_slash_command_is_acked_and_answered_at_the_response_url(
    standin: SlackStandIn, socket_app: SlackRuntime, backend: RecordingBackend
) -> None:
    ack = await standin.envelope("slash_commands", slash(standin, "quote “we will not”"))
    assert ack["envelope_id"] == "env-1"
    answer = await next_response(standin)
    assert answer["_to"] == "r1"
    assert answer["response_type"] == "in_channel"
    assert answer["text"].startswith("1 statement matches “we will not”")
    assert backend.calls == [("quote", ("we will not",))]


async def test_a_usage_error_is_answered_privately_in_the_ack(
    standin: SlackStandIn, socket_app: SlackRuntime, backend: RecordingBackend
) -> None:
    ack = await standin.envelope("slash_commands", slash(standin, "topic add pensions"))
    payload = ack["payload"]
    assert payload["response_type"] == "ephemeral"
    assert "Usage: /verbatim topic add &lt;name&gt; &lt;query&gt;" in payload["text"]
    assert backend.calls == []


async def test_admin_commands_check_the_caller(
    standin: SlackStandIn, socket_app: SlackRuntime, backend: RecordingBackend
) -> None:
    feed = "feeds add <https://lantern.example/feed.xml>"
    await standin.envelope("slash_commands", slash(standin, feed, user="U1", name="plain"))
    refused = await next_response(standin)
    assert refused["response_type"] == "ephemeral"
    assert refused["text"] == "Only admins can add feeds."
    await standin.envelope("slash_commands", slash(standin, feed, user="UADMIN", name="admin"))
    accepted = await next_response(standin)
    assert accepted["text"].startswith("feeds_add done")
    assert backend.calls == [("feeds_add", ("https://lantern.example/feed.xml",))]


async def test_alerts_post_and_replies_go_in_the_thread(
    standin: SlackStandIn, socket_app: SlackRuntime
) -> None:
    notifier = socket_app.notifier
    head = await notifier.send(alert(EVENTS["new_statement"], 1), None)
    reply = await notifier.send(alert(EVENTS["alter"], 2), head.thread_ref)
    posts = standin.called("chat.postMessage")
    assert [p["channel"] for p in posts] == ["C100", "C100"]
    assert "thread_ts" not in posts[0]
    assert posts[1]["thread_ts"] == head.message_ref == head.thread_ref
    assert reply.thread_ref == head.thread_ref and reply.message_ref != head.message_ref
    assert posts[1]["blocks"][1]["text"]["text"] == "We will ~not~ raise taxes this year"


async def test_the_thread_head_counter_is_edited_in_place(
    standin: SlackStandIn, socket_app: SlackRuntime
) -> None:
    head = await socket_app.notifier.send(alert(EVENTS["new_statement"], 1), None)
    assert head.thread_ref is not None
    await socket_app.notifier.update_thread(
        head.thread_ref, "slack:C100", Reply(title="Picked up by 14 outlets")
    )
    [update] = standin.called("chat.update")
    assert update["ts"] == head.thread_ref
    assert update["blocks"][0] == standin.called("chat.postMessage")[0]["blocks"][0]
    assert "Picked up by 14 outlets" in json.dumps(update["blocks"])


async def test_after_a_restart_the_counter_edit_reads_the_head_back(
    standin: SlackStandIn, backend: RecordingBackend
) -> None:
    first = await start_slack(socket_settings(standin), backend, min_interval=0)
    head = await first.notifier.send(alert(EVENTS["new_statement"], 1), None)
    await first.close()
    second = await start_slack(socket_settings(standin), backend, min_interval=0)
    try:
        assert head.thread_ref is not None
        await second.notifier.update_thread(
            head.thread_ref, "slack:C100", Reply(title="Picked up by 2 outlets")
        )
    finally:
        await second.close()
    [update] = standin.called("chat.update")
    assert "Picked up by 2 outlets" in json.dumps(update["blocks"])
    assert update["blocks"][0]["text"]["text"] == "New statement: Mara Quillon"


async def test_a_429_is_waited_out_and_the_message_arrives_once(
    standin: SlackStandIn, socket_app: SlackRuntime
) -> None:
    standin.rate_limit_next = 1
    delivery = await socket_app.notifier.send(alert(EVENTS["dispute"], 5), None)
    statuses = [c.status for c in standin.calls if c.method == "chat.postMessage"]
    assert statuses == [429, 200]
    assert len(standin.called("chat.postMessage")) == 1
    assert delivery.message_ref == standin.called("chat.postMessage")[0].get(
        "ts", delivery.message_ref
    )


async def test_a_burst_is_batched_and_every_alert_delivered_once(
    standin: SlackStandIn, backend: RecordingBackend
) -> None:
    runtime = await start_slack(socket_settings(standin), backend, min_interval=0.2)
    try:
        # Not thread heads (no thread key), so they may share one message.
        burst = [replace(alert(EVENTS["topic"], i), thread_key=None) for i in range(1, 11)]
        deliveries = await asyncio.gather(*(runtime.notifier.send(a, None) for a in burst))
    finally:
        await runtime.close()
    posts = standin.called("chat.postMessage")
    shown = [b["block_id"] for p in posts for b in p["blocks"] if b["type"] == "actions"]
    assert sorted(shown) == sorted(f"alert_{i}" for i in range(1, 11))  # each exactly once
    assert len(posts) < len(burst)
    assert len({d.message_ref for d in deliveries}) == len(posts)


async def test_a_mute_click_changes_what_is_alerted_next(
    standin: SlackStandIn, socket_app: SlackRuntime, backend: RecordingBackend
) -> None:
    # Until the outbox honours mutes here, the fake backend decides what the channel wants.
    first = alert(EVENTS["alter"], 7)
    assert backend.wants(first)
    await socket_app.notifier.send(first, None)
    await standin.envelope("interactive", click(standin, "verbatim_mute", "12", "mute"))
    answer = await next_response(standin)
    assert answer == {
        **answer,
        "response_type": "ephemeral",
        "replace_original": False,
        "text": "Muted statement #12 in this channel.",
    }
    assert backend.muted == {("slack:C100", 12)}
    later = [alert(EVENTS["dispute"], 8), alert(EVENTS["topic"], 9)]
    for next_alert in later:
        if backend.wants(next_alert):
            await socket_app.notifier.send(next_alert, None)
    posted = [p["blocks"][-1]["block_id"] for p in standin.called("chat.postMessage")]
    assert posted == ["alert_7", "alert_9"]  # statement 12's dispute was not alerted


async def test_false_positive_and_sources_buttons_reach_the_backend(
    standin: SlackStandIn, socket_app: SlackRuntime, backend: RecordingBackend
) -> None:
    await standin.envelope("interactive", click(standin, "verbatim_false_positive", "7", "fp"))
    assert (await next_response(standin))["_to"] == "fp"
    await standin.envelope("interactive", click(standin, "verbatim_sources", "12", "src"))
    assert (await next_response(standin))["_to"] == "src"
    assert backend.false_positives == {7}
    assert backend.calls[-1] == ("sources", (12,))


async def test_a_refused_post_is_a_permanent_failure_and_the_channel_goes_on(
    standin: SlackStandIn, socket_app: SlackRuntime
) -> None:
    with pytest.raises(PermanentDeliveryError, match="channel_not_found") as refused:
        await socket_app.notifier.send(alert(EVENTS["alter"], 3, channel="slack:CGONE"), None)
    assert (refused.value.platform, refused.value.code) == ("slack", "channel_not_found")
    assert isinstance(refused.value.__cause__, SlackApiError)
    with pytest.raises(ValueError, match="not a Slack channel"):
        await socket_app.notifier.send(alert(EVENTS["alter"], 4, channel="discord:1"), None)
    delivered = await socket_app.notifier.send(alert(EVENTS["alter"], 5), None)
    assert list(standin.history) == [delivered.message_ref]


async def test_backend_calls_run_where_the_bootstrap_says(
    standin: SlackStandIn, backend: RecordingBackend
) -> None:
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verbatim-db")

    async def in_worker(fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(worker, fn, *args)

    runtime = await start_slack(socket_settings(standin), backend, call=in_worker, min_interval=0)
    try:
        await asyncio.wait_for(standin.connected.wait(), 10)
        await standin.envelope("slash_commands", slash(standin, "digest now"))
        assert (await next_response(standin))["text"].startswith("digest done")
        await standin.envelope("interactive", click(standin, "verbatim_mute", "12", "m"))
        await next_response(standin)
    finally:
        await runtime.close()
        worker.shutdown()
    assert backend.calls == [("digest", (True,)), ("mute", (12,))]
    assert [c and c.channel for c in backend.callers] == ["slack:C100"] * 2
    assert all(name.startswith("verbatim-db") for name in backend.threads)


async def test_a_dispute_reaches_slack_with_its_evidence_marks_balanced(
    standin: SlackStandIn, socket_app: SlackRuntime
) -> None:
    event = replace(EVENTS["dispute"], evidence="Tenzer commented: “Devastating.””", first=None)
    await socket_app.notifier.send(alert(event, 9), None)
    [posted] = standin.called("chat.postMessage")
    facts = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "*Evidence:* Tenzer commented: “Devastating.”\\n" in facts and "””" not in facts


async def test_a_retried_alert_already_in_the_channel_is_not_posted_again(
    standin: SlackStandIn, socket_app: SlackRuntime
) -> None:
    first = await socket_app.notifier.send(alert(EVENTS["alter"], 21), None)
    retried = replace(alert(EVENTS["alter"], 21), attempts=1)  # its answer was lost
    again = await socket_app.notifier.send(retried, None)
    assert len(standin.called("chat.postMessage")) == 1
    assert again.message_ref == first.message_ref
