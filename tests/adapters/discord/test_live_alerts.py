"""Alerts through the real client: threads, buttons after a restart, 429s, resends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.delivery import deliver_pending
from bot.core.models import EventType, Reply
from storage.outbox import Outbox
from tests.adapters.discord.conftest import RecordingBackend, StartBot
from tests.adapters.discord.payloads import (
    CHANNEL,
    answer_to,
    click,
    embed_title,
    enqueue,
    event,
)
from tests.adapters.discord.standin import CHANNEL_ID, DiscordStandIn


async def test_alerts_of_one_statement_open_a_thread_and_reply_in_it(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot()
    notifiers = {"discord": runtime.notifier}
    enqueue(outbox, 7, "The Lantern")
    assert await deliver_pending(outbox, notifiers) == 1
    (head,) = standin.in_channel(CHANNEL_ID)
    assert head["embeds"][0]["title"] == "New statement: Ada Quill"
    thread_id = int(head["id"])
    assert thread_id in standin.threads  # the thread is started from the head message
    enqueue(outbox, 7, "Harbour Post")
    assert await deliver_pending(outbox, notifiers) == 1
    (reply,) = standin.in_channel(thread_id)
    assert "harbourpost" in reply["embeds"][0]["url"]
    assert len(standin.in_channel(CHANNEL_ID)) == 1
    await runtime.notifier.update_thread(str(thread_id), CHANNEL, Reply("Picked up by 2 outlets"))
    assert standin.messages[thread_id]["content"] == "Picked up by 2 outlets"
    assert standin.messages[thread_id]["embeds"] == head["embeds"]  # the first alert stays


async def test_a_429_is_waited_out_and_the_alert_arrives_once(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot()
    standin.rate_limit_next = 1
    enqueue(outbox, 8, "The Lantern")
    assert await deliver_pending(outbox, {"discord": runtime.notifier}) == 1
    assert standin.rate_limited == 1
    assert len(standin.in_channel(CHANNEL_ID)) == 1
    assert outbox.pending() == []


async def test_a_thread_that_failed_to_open_is_opened_by_the_next_alert(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot()
    notifiers = {"discord": runtime.notifier}
    standin.fail_threads = 1
    enqueue(outbox, 9, "The Lantern")
    assert await deliver_pending(outbox, notifiers) == 1  # the message is out: no retry
    (head,) = standin.in_channel(CHANNEL_ID)
    assert int(head["id"]) not in standin.threads
    enqueue(outbox, 9, "Harbour Post")
    assert await deliver_pending(outbox, notifiers) == 1
    assert int(head["id"]) in standin.threads
    assert len(standin.in_channel(int(head["id"]))) == 1
    assert len(standin.in_channel(CHANNEL_ID)) == 1


async def test_a_mute_click_after_a_restart_stops_the_statements_next_alerts(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox, backend: RecordingBackend
) -> None:
    first = await start_bot()
    enqueue(outbox, 11, "The Lantern")
    await deliver_pending(outbox, {"discord": first.notifier})
    (head,) = standin.in_channel(CHANNEL_ID)
    buttons = [c for row in head["components"] for c in row["components"]]
    assert [b["custom_id"] for b in buttons] == [
        "verbatim:mute:11",
        "verbatim:fp:1",
        "verbatim:src:11",
    ]
    await first.close()
    second = await start_bot()  # a new process: the buttons must still work
    body = await answer_to(standin, click(head, "verbatim:mute:11"))
    assert embed_title(body) == "Muted statement #11 in this channel."
    assert body["data"]["flags"] & 64
    assert backend.calls[-1] == ("mute", (11,))
    assert not enqueue(outbox, 11, "Harbour Post")  # suppressed now
    enqueue(outbox, 12, "Harbour Post")  # another statement still alerts
    assert await deliver_pending(outbox, {"discord": second.notifier}) == 1
    footers = [m["embeds"][0]["footer"]["text"] for m in standin.in_channel(CHANNEL_ID)]
    assert footers == ["statement #11 · alert #1", "statement #12 · alert #2"]


async def test_a_resent_alert_is_posted_once(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    """The outbox may resend an alert whose first post was accepted but never confirmed."""
    runtime = await start_bot()
    enqueue(outbox, 31, "The Lantern")
    (alert,) = outbox.pending()
    first = await runtime.notifier.send(alert, None)
    again = await runtime.notifier.send(alert, None)
    assert again.message_ref == first.message_ref
    assert len(standin.in_channel(CHANNEL_ID)) == 1


async def test_the_sources_button_answers_privately(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox, backend: RecordingBackend
) -> None:
    runtime = await start_bot()
    enqueue(outbox, 41, "The Lantern")
    await deliver_pending(outbox, {"discord": runtime.notifier})
    (head,) = standin.in_channel(CHANNEL_ID)
    body = await answer_to(standin, click(head, "verbatim:src:41"))
    assert embed_title(body) == "Sources of #41"
    assert body["data"]["embeds"][0]["description"] == "The Lantern\nHarbour Post"
    assert body["data"]["flags"] & 64 and backend.calls[-1] == ("sources", (41,))


async def test_a_long_rate_limit_leaves_the_alert_to_a_later_round(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot(max_ratelimit_timeout=1.0)
    standin.rate_limit_next, standin.retry_after = 1, 120.0
    enqueue(outbox, 51, "The Lantern")
    assert await deliver_pending(outbox, {"discord": runtime.notifier}) == 0
    assert standin.in_channel(CHANNEL_ID) == [] and outbox.pending() == []  # waits its turn
    later = datetime.now(UTC) + timedelta(hours=1)
    (alert,) = outbox.pending(now=later)
    assert alert.event.statement_id == 51


async def test_a_dispute_reaches_discord_with_its_evidence_marks_balanced(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot()
    said = event(71, "North Star")
    dispute = replace(said, type=EventType.DISPUTE, disputed_by="Bea Marsh",
                      evidence="flawed vision.” Bea Marsh said", first=None)  # fmt: skip
    outbox.enqueue_alert("71:dispute", CHANNEL, dispute, "statement:71")
    assert await deliver_pending(outbox, {"discord": runtime.notifier}) == 1
    (posted,) = standin.in_channel(CHANNEL_ID)
    fields = {f["name"]: f["value"] for f in posted["embeds"][0]["fields"]}
    assert fields["Evidence"] == "“…flawed vision.” Bea Marsh said"
    assert fields["Disputed by"] == "Bea Marsh"


async def test_a_high_severity_alert_pings_the_channels_mention_and_nothing_else(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    from bot.core.models import Change, ChangeKind, Severity

    runtime = await start_bot()
    standin.pings_expected = True
    high = Change(ChangeKind.NEGATION, Severity.HIGH, "will open", "will not open")
    low = Change(ChangeKind.COSMETIC, Severity.LOW, "spring.", "spring")
    for n, change in enumerate((high, low)):
        ev = replace(event(40 + n, "The Lantern", EventType.ALTER), changes=(change,))
        outbox.enqueue_alert(f"m{n}", CHANNEL, ev, None)
    sent = await deliver_pending(outbox, {"discord": runtime.notifier}, mentions={CHANNEL: "@here"})
    assert sent == 2
    [ping] = standin.pinged
    assert ping["content"] == "@here" and ping["allowed_mentions"] == {"parse": ["everyone"]}
    assert len(standin.in_channel(CHANNEL_ID)) == 2  # the low one went out, guarded
    role = replace(event(42, "The Lantern", EventType.ALTER), changes=(high,))
    outbox.enqueue_alert("m2", CHANNEL, role, None)
    await deliver_pending(outbox, {"discord": runtime.notifier}, mentions={CHANNEL: "1234567"})
    assert standin.pinged[-1]["content"] == "<@&1234567>"
    assert standin.pinged[-1]["allowed_mentions"] == {"parse": [], "roles": [1234567]}
