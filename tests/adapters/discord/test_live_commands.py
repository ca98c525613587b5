"""Slash commands through the real client: options, groups, admins, autocomplete, deferral.

They run against `RecordingBackend` (conftest), a small in-test backend answering the same
Protocol as the bot's own backend over the store."""

from __future__ import annotations

from tests.adapters.discord.conftest import ADMIN_ROLE, RecordingBackend, StartBot
from tests.adapters.discord.payloads import (
    CHANNEL,
    MANAGE_GUILD,
    answer_to,
    embed_title,
    member,
    slash,
    until,
)
from tests.adapters.discord.standin import APP_ID, DiscordStandIn


async def test_a_slash_command_is_answered_from_the_backend(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("quote", words="open the harbour"))
    assert body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    assert embed_title(body) == "1 statement matches “open the harbour”"
    assert backend.calls == [("quote", ("open the harbour",))]


async def test_a_story_is_asked_for_and_answered_for_the_whole_channel(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("story", query="#12"))
    assert embed_title(body) == "story done"
    assert not body["data"].get("flags", 0) & 64  # a lookup: the channel sees it
    assert backend.calls == [("story", ("#12",))]


async def test_a_subcommand_group_reaches_the_backend_with_the_caller(
    standin: DiscordStandIn, start_bot: StartBot, backend: RecordingBackend
) -> None:
    await start_bot()
    body = await answer_to(standin, slash("topic add", name="harbour", query='"small boats"'))
    assert embed_title(body) == "topic_add done"
    assert body["data"]["flags"] & 64  # a settings change is answered privately
    assert backend.calls == [("topic_add", ("harbour", '"small boats"'))]
    [caller] = backend.callers
    assert caller is not None
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
    whom = zip(backend.calls, backend.callers, strict=True)
    admin_calls = [(call[0], caller and caller.is_admin) for call, caller in whom]
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
    assert follow[0].body["embeds"][0]["title"] == "speaker done"


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
    assert embed_title(body) == "feeds_import done"
    assert backend.calls[-1] == ("feeds_import", (opml,))


async def test_a_failing_backend_is_answered_with_an_apology_and_the_bot_goes_on(
    standin: DiscordStandIn, start_bot: StartBot
) -> None:
    await start_bot()
    failed = await answer_to(standin, slash("quote", words="boom"))
    assert failed["data"]["embeds"][0]["title"].startswith("Sorry, that failed")
    assert failed["data"]["flags"] & 64
    body = await answer_to(standin, slash("quote", words="small boats"))
    assert embed_title(body) == "1 statement matches “small boats”"
