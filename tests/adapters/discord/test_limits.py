"""Discord's limits and rules, end to end: the strict stand-in refuses what Discord refuses, and
what the bot sends (long alerts and replies, quotes full of mentions, errors after a defer,
late retries, digests without Attach Files, a guild it is not in) is handled as Discord wants."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.discord.render import EMBED_TOTAL_MAX, embed_length, render_alert
from adapters.discord.runtime import REQUIRED_PERMISSIONS, invite_url, start_discord
from bot.core.delivery_errors import PermanentDeliveryError
from bot.core.models import Alert, Event, EventType, Reply
from storage.outbox import Outbox
from tests.adapters.discord.conftest import RecordingBackend, StartBot, settings_for
from tests.adapters.discord.payloads import (
    CHANNEL,
    MANAGE_GUILD,
    answer_to,
    click,
    enqueue,
    event,
    member,
    slash,
    until,
)
from tests.adapters.discord.standin import APP_ID, CHANNEL_ID, GUILD_ID, DiscordStandIn
from tests.fakes import ManyFeeds

LONG = "The harbour will stay open to every small boat, whatever the council decides. "

REFUSED: dict[str, dict[str, Any]] = {
    "content of 2,001": {"content": "x" * 2001},
    "a description of 4,097": {"embed": {"description": "d" * 4097}},
    "a title of 257": {"embed": {"title": "t" * 257}},
    "26 fields": {"embed": {"fields": [{"name": "n", "value": "v"}] * 26}},
    "a field value of 1,025": {"embed": {"fields": [{"name": "n", "value": "v" * 1025}]}},
    "6,001 with the footer": {
        "embed": {"description": "d" * 4000, "title": "t" * 256, "footer": {"text": "f" * 1745}}
    },
}


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_the_stand_in_refuses_what_discord_refuses(
    standin: DiscordStandIn, start_bot: StartBot, case: str
) -> None:
    runtime = await start_bot()
    given = dict(REFUSED[case])
    if "embed" in given:
        given["embed"] = discord.Embed.from_dict(given["embed"])
    with pytest.raises(discord.HTTPException) as refused:
        await runtime.client.get_partial_messageable(CHANNEL_ID).send(**given)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    standin.refused.clear()  # refused on purpose


async def test_the_stand_in_refuses_a_long_custom_id_and_six_rows(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    runtime = await start_bot()
    channel = runtime.client.get_partial_messageable(CHANNEL_ID)
    for view in (long_id_view(), six_rows_view()):
        with pytest.raises(discord.HTTPException, match="Invalid Form Body"):
            await channel.send("x", view=view)
    assert len(standin.refused) == 2
    standin.refused.clear()


def long_id_view() -> discord.ui.View:
    view = discord.ui.View()
    view.add_item(discord.ui.Button(label="x", custom_id="c" * 100))
    raw = view.to_components
    # Past what discord.py itself checks: the custom id grows once the view is built.
    view.to_components = lambda: [  # type: ignore[method-assign]
        {**row, "components": [{**c, "custom_id": "c" * 101} for c in row["components"]]}
        for row in raw()
    ]
    return view


def six_rows_view() -> discord.ui.View:
    view = discord.ui.View()
    for row in range(5):
        view.add_item(discord.ui.Button(label="x", custom_id=f"b{row}", row=row))
    raw = view.to_components
    view.to_components = lambda: [*raw(), raw()[0]]  # type: ignore[method-assign]
    return view


def long_dispute(alert_id: int = 1) -> Alert:
    """The shape of the dispute that measured 6,032 once its footer was added."""
    ev = Event(
        EventType.DISPUTE,
        "https://northstar.example/reply",
        "North Star",
        statement_id=3,
        speaker="Ada Quill",
        canonical=LONG * 60,
        disputed_by="Bea Marsh " * 30,
        evidence=LONG * 20,
        also_in=tuple(f"Outlet {n}" for n in range(200)),
        first=event(3, "The Lantern").first,
    )
    return Alert(alert_id, "k", CHANNEL, ev, datetime_now(), thread_key=None)


def datetime_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_a_long_dispute_counts_its_footer_in_the_6000() -> None:
    embed = render_alert(long_dispute(123456))
    assert embed["footer"]["text"] == "statement #3 · alert #123456"
    assert embed_length(embed) <= EMBED_TOTAL_MAX
    assert embed["description"].endswith("…”")  # cut, says so, and closes the quotation


async def test_a_long_dispute_is_accepted_by_discord(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    runtime = await start_bot()
    await runtime.notifier.send(long_dispute(), None)
    (posted,) = standin.in_channel(CHANNEL_ID)
    assert posted["embeds"][0]["footer"]["text"].endswith("alert #1")


async def listing(standin: DiscordStandIn, outbox: Outbox, count: int) -> list[dict[str, Any]]:
    backend = ManyFeeds(count, outbox)
    runtime = await start_discord(settings_for(standin), backend, guild_ready_timeout=0.01)
    try:
        payload = slash("feeds list")
        await answer_to(standin, payload)
        shown = await until(lambda: len(standin.shown(payload)) >= 2 and standin.shown(payload),
                            "the follow-up pages")  # fmt: skip
        title = shown[0][1]["embeds"][0]["title"]
        pages = int(title.rsplit("/", 1)[1].rstrip(")"))
        return [b for _, b in await until(lambda: len(standin.shown(payload)) == pages
                                          and standin.shown(payload), "every page")]  # fmt: skip
    finally:
        await runtime.close()


async def test_150_feeds_are_listed_over_several_messages(
    standin: DiscordStandIn, outbox: Outbox
) -> None:
    pages = await listing(standin, outbox, 150)
    text = "".join(str(p["embeds"]) for p in pages)
    assert all(f"feeds-{n:04d}" in text for n in range(150))
    assert "not shown" not in text


async def test_a_list_past_five_messages_says_what_was_left_out(
    standin: DiscordStandIn, outbox: Outbox
) -> None:
    pages = await listing(standin, outbox, 2000)
    assert len(pages) == 5
    text = "".join(str(p["embeds"]) for p in pages)
    note = pages[-1]["embeds"][0]["footer"]["text"]
    left = int(note.split()[1])
    assert sum(f"feeds-{n:04d}" in text for n in range(2000)) + left == 2000


async def test_quoted_mentions_never_ping(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot()
    quote = "Thanks @everyone and @here, and <@4400000000000000777> and <@&4400000000000000900>"
    ev = replace(event(5, "The Lantern"), quote=quote)
    assert outbox.enqueue_alert("k5", CHANNEL, ev, "statement:5")
    (alert,) = outbox.pending()
    await runtime.notifier.send(alert, None)
    await runtime.notifier.update_thread(
        standin.in_channel(CHANNEL_ID)[0]["id"], CHANNEL, Reply("@everyone picked it up")
    )
    posts = standin.posted("POST", f"/channels/{CHANNEL_ID}/messages")
    edits = standin.posted("PATCH", f"/channels/{CHANNEL_ID}/messages/")
    sent_messages = [r for r in [*posts, *edits] if not r.path.endswith("/threads")]
    assert len(sent_messages) == 2
    for sent in sent_messages:
        assert sent.body["allowed_mentions"] == {"parse": []}  # nobody, whatever the text


async def test_an_error_after_a_public_defer_is_shown_privately(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot(defer_after=0)  # every answer counts as slow: deferred, publicly for quote
    payload = slash("quote", words="boom")  # the backend fails on these words
    body = await answer_to(standin, payload)
    assert body["type"] == 5 and not (body.get("data") or {}).get("flags", 0) & 64  # public
    shown = await until(lambda: standin.shown(payload), "the answer")
    assert [(private, b["embeds"][0]["title"][:5]) for private, b in shown] == [(True, "Sorry")]
    assert standin.interactions[payload["token"]].original == "deleted"  # no public "thinking"


async def test_a_public_answer_after_a_defer_stays_public(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot(defer_after=0)
    payload = slash("quote", words="small boats")
    await answer_to(standin, payload)
    shown = await until(lambda: standin.shown(payload), "the answer")
    assert [private for private, _ in shown] == [False]


async def test_a_slow_button_is_deferred_and_answered_after_the_three_seconds(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot(defer_after=0)
    enqueue(outbox, 41, "The Lantern")
    (alert,) = outbox.pending()
    await runtime.notifier.send(alert, None)
    (head,) = standin.in_channel(CHANNEL_ID)
    payload = click(head, "verbatim:src:41")
    body = await answer_to(standin, payload)
    assert body["type"] == 5 and body["data"]["flags"] & 64  # deferred, privately
    standin.expire(payload)  # past three seconds: only the follow-up may come now
    shown = await until(lambda: standin.shown(payload), "the follow-up")
    assert shown[0][0] is True and shown[0][1]["embeds"][0]["title"] == "Sources of #41"


async def test_slow_suggestions_answer_none_in_time(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot(defer_after=0)  # every lookup counts as too slow for autocomplete
    body = await answer_to(standin, slash("speaker", kind=4, name="ad", focused="name"))
    assert body["type"] == 8 and body["data"]["choices"] == []


async def test_a_retry_after_the_nonce_expired_is_not_posted_twice(
    standin: DiscordStandIn, start_bot: StartBot, outbox: Outbox
) -> None:
    runtime = await start_bot()
    enqueue(outbox, 61, "The Lantern")
    (alert,) = outbox.pending()
    first = await runtime.notifier.send(alert, None)  # its answer was lost, say
    standin.forget_nonces()  # the retry comes minutes later: the nonce no longer protects it
    outbox.mark_failed(alert.id, "lost")
    (again,) = [a for a in outbox.pending(now=datetime_now().replace(year=2100))]
    delivery = await runtime.notifier.send(again, None)
    assert delivery.message_ref == first.message_ref == delivery.thread_ref
    assert len(standin.in_channel(CHANNEL_ID)) == 1
    assert standin.posted("GET", f"/channels/{CHANNEL_ID}/messages")  # it looked first


async def test_a_digest_where_files_are_denied_is_a_permanent_failure(
    standin: DiscordStandIn, start_bot: StartBot, tmp_path: Path
) -> None:
    runtime = await start_bot()
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n")
    digest = Event(EventType.DIGEST, "", "", title="Daily digest", detail="2 statements",
                   attachment=str(chart))  # fmt: skip
    standin.denied[CHANNEL_ID] = {"attach_files"}
    with pytest.raises(PermanentDeliveryError) as refused:
        await runtime.notifier.send(Alert(9, "d", CHANNEL, digest, datetime_now()), None)
    assert refused.value.code == "50013" and "Attach Files" in refused.value.reason
    assert REQUIRED_PERMISSIONS.attach_files and REQUIRED_PERMISSIONS.read_message_history
    assert f"permissions={REQUIRED_PERMISSIONS.value}" in invite_url(APP_ID)


async def test_an_unknown_channel_is_a_permanent_failure(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    runtime = await start_bot()
    gone = Alert(1, "g", "discord:4400000000000000299", event(1, "The Lantern"), datetime_now())
    with pytest.raises(PermanentDeliveryError) as refused:
        await runtime.notifier.send(gone, None)
    assert refused.value.code == "10003"


async def test_a_guild_the_bot_is_not_in_is_skipped_and_the_rest_synced(
    standin: DiscordStandIn, backend: RecordingBackend, caplog: pytest.LogCaptureFixture
) -> None:
    missing = 4400000000000000101
    settings = settings_for(standin, guild_ids=[str(missing), str(GUILD_ID)])
    with caplog.at_level(logging.ERROR):
        runtime = await start_discord(settings, backend, guild_ready_timeout=0.01)
    try:
        assert runtime.client.synced == [GUILD_ID]
        assert missing in runtime.client.sync_failures
        assert f"guild {missing}" in caplog.text
        body = await answer_to(standin, slash("speaker", name="Bea Marsh"))
        assert body["data"]["embeds"][0]["title"] == "speaker done"  # the bot runs
    finally:
        await runtime.close()


async def test_commands_are_synced_again_only_when_they_changed(
    standin: DiscordStandIn, backend: RecordingBackend, tmp_path: Path
) -> None:
    state = tmp_path / "discord-commands.json"
    puts = f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    for _ in range(2):
        runtime = await start_discord(
            settings_for(standin), backend, guild_ready_timeout=0.01, command_state=state
        )
        await runtime.close()
    assert len(standin.posted("PUT", puts)) == 1  # the second start found them unchanged
    assert runtime.client.unchanged == [GUILD_ID]
    state.write_text(state.read_text().replace('": "', '": "0'))  # as if the tree changed
    runtime = await start_discord(
        settings_for(standin), backend, guild_ready_timeout=0.01, command_state=state
    )
    await runtime.close()
    assert len(standin.posted("PUT", puts)) == 2


async def test_a_slow_opml_download_is_deferred_within_the_three_seconds(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot(defer_after=0.05)
    opml = '<opml version="2.0"><body><outline xmlUrl="https://feeds.example/rss"/></body></opml>'
    standin.files["feeds.opml"] = opml.encode()
    standin.file_gate.clear()  # the attachment's download hangs
    payload = slash("feeds import")
    attachment = "4400000000000000555"
    payload["data"]["options"][0]["options"][0]["options"] = [
        {"name": "file", "type": 11, "value": attachment}
    ]
    url = f"{standin.base}/files/feeds.opml"
    payload["data"]["resolved"] = {"attachments": {attachment: {
        "id": attachment, "filename": "feeds.opml", "size": len(opml), "url": url,
        "proxy_url": url}}}  # fmt: skip
    payload["member"] = member(permissions=MANAGE_GUILD)
    body = await answer_to(standin, payload)  # answered while the download still hangs
    assert body["type"] == 5 and body["data"]["flags"] & 64
    standin.expire(payload)
    standin.file_gate.set()
    shown = await until(lambda: standin.shown(payload), "the import's answer")
    assert shown[0][0] is True and shown[0][1]["embeds"][0]["title"] == "feeds_import done"
    assert backend.calls[-1] == ("feeds_import", (opml,))
