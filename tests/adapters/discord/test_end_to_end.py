"""The real discord.py client against the stand-in: start-up, commands, alerts, buttons, faults.

Command tests use `RecordingBackend` (conftest), a small in-test backend: the bot's own
backend over the store answers the same Protocol.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from adapters.discord.notifier import DiscordNotifier
from adapters.discord.runtime import start_discord
from bot.core.delivery import deliver_pending
from bot.core.models import Appearance, Event, EventType, Reply
from storage.outbox import Outbox
from tests.adapters.discord.conftest import (
    ADMIN_ROLE,
    MANAGE_GUILD,
    RecordingBackend,
    StartBot,
    click,
    member,
    settings_for,
    slash,
    until,
)
from tests.adapters.discord.standin import APP_ID, CHANNEL_ID, GUILD_ID, DiscordStandIn

CHANNEL = f"discord:{CHANNEL_ID}"


def event(statement: int, outlet: str, kind: EventType = EventType.NEW_STATEMENT) -> Event:
    return Event(
        type=kind,
        article_url=f"https://{outlet.lower().replace(' ', '')}.example/story",
        outlet=outlet,
        statement_id=statement,
        speaker="Ada Quill",
        quote="We will open the harbour to every small boat by spring.",
        first=Appearance("The Lantern", "https://lantern.example/a", None),
    )


def enqueue(outbox: Outbox, statement: int, outlet: str) -> bool:
    """What the monitor does for one event: queue an alert unless the channel suppressed it."""
    ev = event(statement, outlet)
    if outbox.is_suppressed(CHANNEL, statement, ev.type):
        return False
    return outbox.enqueue_alert(f"{statement}:{outlet}", CHANNEL, ev, f"statement:{statement}")


async def answer_to(standin: DiscordStandIn, payload: dict[str, Any]) -> dict[str, Any]:
    """Push one interaction through the gateway; return the callback body the bot posted."""
    await standin.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    found = await until(lambda: standin.posted("POST", path), f"callback {path}")
    assert len(found) == 1
    return found[0].body


def embed_title(body: dict[str, Any]) -> str:
    return body["data"]["embeds"][0]["title"]


async def test_start_up_reaches_ready_and_syncs_commands_to_the_guild(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    runtime = await start_bot()
    assert runtime.client.user is not None and runtime.client.user.name == "verbatim"
    assert standin.identifies == 1
    puts = standin.posted("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    assert len(puts) == 1
    (group,) = puts[0].body
    assert group["name"] == "verbatim"
    subs = {o["name"]: o for o in group["options"]}
    assert set(subs) == {"quote", "speaker", "topic", "track", "feeds", "digest", "mute", "help"}
    assert {o["name"] for o in subs["topic"]["options"]} == {"add", "list", "remove"}
    assert {o["name"] for o in subs["feeds"]["options"]} == {"add", "list", "remove", "import"}
    speaker_option = subs["speaker"]["options"][0]
    assert speaker_option["autocomplete"] is True and speaker_option["description"]
    assert all(o["description"] for sub in subs.values() for o in sub.get("options", []))


async def test_a_slash_command_is_answered_from_the_backend(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("quote", words="open the harbour"))
    assert body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    assert embed_title(body) == "“open the harbour”"
    assert backend.calls == [("quote", "open the harbour")]


async def test_a_subcommand_group_reaches_the_backend_with_the_caller(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("topic add", name="harbour", query='"small boats"'))
    assert embed_title(body) == "Topic harbour saved"
    assert body["data"]["flags"] & 64  # a settings change is answered privately
    (name, caller, *args) = backend.calls[0]
    assert (name, args) == ("topic_add", ["harbour", '"small boats"'])
    assert caller.channel == CHANNEL and caller.user == "4400000000000000777"


async def test_feed_changes_need_manage_server_or_an_admin_role(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    plain = slash("feeds add", url="https://feeds.example/rss")
    refused = await answer_to(standin, plain)
    assert not any(c[0] == "feeds_add" for c in backend.calls)
    assert refused["data"]["embeds"][0]["color"] == 0xD83C3E
    by_permission = slash("feeds add", url="https://feeds.example/rss")
    by_permission["member"] = member(permissions=MANAGE_GUILD)
    await answer_to(standin, by_permission)
    by_role = slash("feeds remove", url="https://feeds.example/rss")
    by_role["member"] = member(roles=(ADMIN_ROLE,))
    await answer_to(standin, by_role)
    admin_calls = [(c[0], c[1].is_admin) for c in backend.calls]
    assert admin_calls == [("feeds_add", True), ("feeds_remove", True)]


async def test_autocomplete_offers_speaker_names(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("speaker", kind=4, name="ad", focused="name"))
    assert body["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert [c["name"] for c in body["data"]["choices"]] == ["Ada Quill", "Adam Rook"]


async def test_a_slow_answer_is_deferred_then_sent_as_a_follow_up(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot(defer_after=0)  # every answer counts as slow
    body = await answer_to(standin, slash("speaker", name="Bea Marsh"))
    assert body["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    follow = await until(lambda: standin.posted("POST", f"/webhooks/{APP_ID}/"), "follow-up")
    assert follow[0].body["embeds"][0]["title"] == "Bea Marsh"


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
    assert backend.calls[-1][0] == "mute" and backend.calls[-1][2] == 11
    assert not enqueue(outbox, 11, "Harbour Post")  # suppressed now
    enqueue(outbox, 12, "Harbour Post")  # another statement still alerts
    assert await deliver_pending(outbox, {"discord": second.notifier}) == 1
    footers = [m["embeds"][0]["footer"]["text"] for m in standin.in_channel(CHANNEL_ID)]
    assert footers == ["statement #11 · alert #1", "statement #12 · alert #2"]


async def test_a_gateway_drop_resumes_without_losing_or_doubling_anything(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox, backend: RecordingBackend
) -> None:
    runtime = await start_bot()
    notifier: DiscordNotifier = runtime.notifier
    standin.open.clear()  # the client's reconnection waits until the test opens the gateway
    await standin.drop()
    # While the socket is down: alerts go out over REST, and a command waits in the gateway.
    enqueue(outbox, 21, "The Lantern")
    enqueue(outbox, 22, "The Lantern")
    assert await deliver_pending(outbox, {"discord": notifier}) == 2
    pending = slash("quote", words="every small boat")
    await standin.dispatch("INTERACTION_CREATE", pending)  # nobody is connected to receive it
    assert standin.replayed == 0 and backend.calls == []
    standin.open.set()
    path = f"/interactions/{pending['id']}/{pending['token']}/callback"
    (answered,) = await until(lambda: standin.posted("POST", path), "the replayed command")
    body = answered.body
    assert standin.resumes == 1 and standin.identifies == 1 and standin.replayed == 1
    assert embed_title(body) == "“every small boat”"
    enqueue(outbox, 21, "Harbour Post")
    assert await deliver_pending(outbox, {"discord": notifier}) == 1
    assert await deliver_pending(outbox, {"discord": notifier}) == 0
    assert [c for c in backend.calls if c[0] == "quote"] == [("quote", "every small boat")]
    assert len(standin.in_channel(CHANNEL_ID)) == 2
    assert len(standin.in_channel(int(standin.in_channel(CHANNEL_ID)[0]["id"]))) == 1


async def test_help_explains_one_command_from_the_shared_help(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("help", command="topic add"))
    embed = body["data"]["embeds"][0]
    assert "topic add" in embed["title"] + embed.get("description", "")
    assert body["data"]["flags"] & 64


async def test_an_opml_attachment_is_read_and_imported_by_an_admin(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    opml = '<opml version="2.0"><body><outline xmlUrl="https://feeds.example/rss"/></body></opml>'
    standin.files["feeds.opml"] = opml.encode()
    payload = slash("feeds import")
    attachment_id = "4400000000000000555"
    payload["data"]["options"][0]["options"][0]["options"] = [
        {"name": "file", "type": 11, "value": attachment_id}
    ]
    payload["data"]["resolved"] = {
        "attachments": {
            attachment_id: {
                "id": attachment_id,
                "filename": "feeds.opml",
                "size": len(opml),
                "url": f"{standin.base}/files/feeds.opml",
                "proxy_url": f"{standin.base}/files/feeds.opml",
            }
        }
    }
    payload["member"] = member(permissions=MANAGE_GUILD)
    body = await answer_to(standin, payload)
    assert embed_title(body) == "Imported feeds"
    assert backend.calls[-1][0] == "feeds_import" and backend.calls[-1][2] == opml


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


async def test_a_wrong_token_stops_start_up_with_a_clear_error(
    standin: DiscordStandIn, backend: RecordingBackend
) -> None:
    standin.token = "another-token"
    with pytest.raises(discord.LoginFailure, match="token"):
        await start_discord(settings_for(standin), backend, guild_ready_timeout=0.01)


async def test_a_failing_backend_is_answered_with_an_apology_and_the_bot_goes_on(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot()
    failed = await answer_to(standin, slash("quote", words="boom"))
    assert failed["data"]["embeds"][0]["title"].startswith("Sorry, that failed")
    assert failed["data"]["flags"] & 64
    body = await answer_to(standin, slash("quote", words="small boats"))
    assert embed_title(body) == "“small boats”"


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
    assert body["data"]["flags"] & 64 and backend.calls[-1] == ("sources", 41)


async def test_a_gateway_that_never_says_hello_fails_start_up_instead_of_hanging(
    standin: DiscordStandIn, backend: RecordingBackend
) -> None:
    standin.open.clear()
    with pytest.raises(TimeoutError, match="did not become ready"):
        await start_discord(
            settings_for(standin), backend, ready_timeout=0.2, guild_ready_timeout=0.01
        )


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
