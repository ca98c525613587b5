"""The `/verbatim` app-command group: thin handlers over the shared command language.

Every subcommand only gathers its options, builds the shared `Command` (`bot.core.commands`),
runs it against the backend and renders the `Reply`, so Discord and Slack mean the same thing
by every command. An answer slower than the client's ``defer_after`` is deferred first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from adapters.discord.render import render_reply_pages
from bot.core.commands import COMMANDS, command_from_options, run_command
from bot.core.models import Reply
from bot.core.presentation import PUBLIC
from bot.core.routing import ROUTE_SETTINGS

log = logging.getLogger(__name__)

MAX_OPML_BYTES = 1_000_000


async def respond(
    interaction: discord.Interaction[Any], name: str, options: Mapping[str, object] | None = None
) -> None:
    """Run one command for ``interaction`` and answer it (deferring when it is slow)."""
    host: Any = interaction.client
    caller = host.caller_of(interaction)
    given = {k: v for k, v in (options or {}).items() if v is not None}
    private = name not in PUBLIC
    try:
        command = command_from_options(name, given)
    except ValueError as exc:
        await send_reply(interaction, Reply(title=str(exc), ok=False), private=True)
        return
    await answer_in_time(interaction, host.answer(run_command, command, caller, host.backend),
                         private=private)  # fmt: skip


async def import_attachment(
    interaction: discord.Interaction[Any], file: discord.Attachment
) -> Reply:
    """`feeds import` of an attached OPML file: the download counts against the deadline too."""
    host: Any = interaction.client
    try:
        opml = (await file.read()).decode("utf-8", errors="replace")
    except discord.HTTPException as exc:
        return Reply(title=f"{file.filename} could not be downloaded ({exc.status}).", ok=False)
    command = command_from_options("feeds import", {"opml": opml})
    caller = host.caller_of(interaction)
    reply: Reply = await host.answer(run_command, command, caller, host.backend)
    return reply


async def answer_in_time(
    interaction: discord.Interaction[Any], work: Awaitable[Reply], *, private: bool
) -> None:
    """Answer with ``work``'s reply, deferring first when it takes longer than the client's
    ``defer_after`` (Discord drops an interaction not answered within 3 s). A failure is always
    private, even when the defer was public."""
    host: Any = interaction.client
    task = asyncio.ensure_future(work)
    deferred: bool | None = None
    try:
        reply = await asyncio.wait_for(asyncio.shield(task), host.defer_after)
    except TimeoutError:
        await interaction.response.defer(thinking=True, ephemeral=private)
        deferred = private
        reply = await task
    await send_reply(interaction, reply, private=private or not reply.ok, deferred=deferred)


async def send_reply(
    interaction: discord.Interaction[Any],
    reply: Reply,
    *,
    private: bool,
    deferred: bool | None = None,
) -> None:
    """Send the reply's pages in order. After a defer, the first follow-up takes the defer's
    visibility, so a private answer to a public defer first deletes the "thinking" message."""
    embeds = [discord.Embed.from_dict(page) for page in render_reply_pages(reply)]
    first, rest = embeds[0], embeds[1:]
    if not interaction.response.is_done():
        await interaction.response.send_message(embed=first, ephemeral=private)
    else:
        if deferred is False and private:
            await interaction.delete_original_response()
        await interaction.followup.send(embed=first, ephemeral=private)
    for embed in rest:
        await interaction.followup.send(embed=embed, ephemeral=private)


async def _suggestions(
    interaction: discord.Interaction[Any], what: str, fn: Any, *args: Any
) -> list[app_commands.Choice[str]]:
    """Autocomplete cannot be deferred: names found in time, or none rather than too late."""
    host: Any = interaction.client
    try:
        names = await asyncio.wait_for(host.call(fn, *args), host.defer_after)
    except TimeoutError:
        log.warning("discord: %s suggestions took too long; none offered", what)
        return []
    except Exception:  # suggestions are a convenience: none rather than an error
        log.exception("discord: %s suggestions failed", what)
        return []
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25]]


async def speaker_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    host: Any = interaction.client
    return await _suggestions(interaction, "speaker", host.backend.speaker_names, current, 25)


async def topic_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    host: Any = interaction.client
    caller = host.caller_of(interaction)
    return await _suggestions(interaction, "topic", host.backend.topic_names, caller, current, 25)


Suggest = Callable[
    [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]


@dataclass(frozen=True, slots=True)
class TextCommand:
    """A subcommand whose only option is one required text, so one handler serves them all."""

    name: str  # the shared command's name ("feeds add")
    description: str
    option: str  # the option's name, as Discord shows it and `command_from_options` reads it
    option_help: str
    suggest: Suggest | None = None


TEXT_COMMANDS = (
    TextCommand("quote", "Who said these words, where first, and variants", "words",
                "A few words of the quote"),
    TextCommand("story", "One statement's history: first, spread, disputes", "query",
                "A few words of the statement, or its number (#12)"),
    TextCommand("speaker", "What a person said recently", "name", "The speaker's name",
                speaker_choices),
    TextCommand("topic remove", "Delete one of this channel's topics", "name", "The topic's name",
                topic_choices),
    TextCommand("feeds add", "Watch an RSS or Atom feed (admins)", "url", "The feed's address"),
    TextCommand("feeds remove", "Stop watching a feed (admins)", "url", "The feed's address"),
)  # fmt: skip


def text_command(
    spec: TextCommand, parent: app_commands.Group
) -> app_commands.Command[Any, ..., None]:
    """``spec`` as an app command under ``parent``: discord.py reads the option from the
    handler's one text parameter, shown under the spec's option name."""

    async def handler(interaction: discord.Interaction[Any], text: str) -> None:
        await respond(interaction, spec.name, {spec.option: text})

    handler = app_commands.rename(text=spec.option)(handler)
    handler = app_commands.describe(text=spec.option_help)(handler)
    if spec.suggest is not None:
        handler = app_commands.autocomplete(text=spec.suggest)(handler)
    name = spec.name.rpartition(" ")[2]
    return app_commands.Command(
        name=name, description=spec.description, callback=handler, parent=parent
    )


def verbatim_group() -> app_commands.Group:
    """A fresh `/verbatim` group (one per client, so tests can run several)."""
    group = app_commands.Group(
        name="verbatim", description="Who said what, and who changed it", guild_only=True
    )
    topic = app_commands.Group(
        name="topic", description="Saved searches over coverage", parent=group
    )
    feeds = app_commands.Group(
        name="feeds", description="The feeds this channel watches", parent=group
    )
    parents = {"": group, "topic": topic, "feeds": feeds}
    for spec in TEXT_COMMANDS:
        parent = parents[spec.name.rpartition(" ")[0]]
        parent.add_command(text_command(spec, parent))

    @group.command(
        name="track", description="Pin a statement: alert on its repeats, alters, disputes"
    )
    @app_commands.describe(text="The statement's exact words", speaker="Who said it")
    @app_commands.autocomplete(speaker=speaker_choices)
    async def track(
        interaction: discord.Interaction[Any], text: str, speaker: str | None = None
    ) -> None:
        await respond(interaction, "track", {"text": text, "speaker": speaker})

    @group.command(name="digest", description="The channel's digest settings, or a digest now")
    @app_commands.describe(now="Post a digest of the last day right away")
    async def digest(interaction: discord.Interaction[Any], now: bool = False) -> None:
        await respond(interaction, "digest", {"now": now})

    @group.command(name="mute", description="Stop alerts about one statement in this channel")
    @app_commands.describe(statement="The statement number shown under an alert")
    async def mute(
        interaction: discord.Interaction[Any], statement: app_commands.Range[int, 1]
    ) -> None:
        await respond(interaction, "mute", {"statement": statement})

    @group.command(name="route", description="What this channel is alerted about (admins change)")
    @app_commands.describe(
        setting="show, or what to change",
        value="alerts: kinds or all · speakers: names or everyone · new: watched/all/none"
        " · digest: HH:MM [zone] or off",
    )
    @app_commands.choices(setting=[app_commands.Choice(name=s, value=s) for s in ROUTE_SETTINGS])
    async def route(
        interaction: discord.Interaction[Any], setting: str = "show", value: str | None = None
    ) -> None:
        await respond(interaction, "route", {"setting": setting, "value": value})

    @group.command(name="help", description="What Verbatim can do")
    @app_commands.describe(command="Explain one command")
    @app_commands.choices(command=[app_commands.Choice(name=c, value=c) for c in COMMANDS])
    async def help_(interaction: discord.Interaction[Any], command: str | None = None) -> None:
        await respond(interaction, "help", {"command": command})

    @topic.command(name="add", description="Save a topic: phrases, AND/OR/NOT, speaker:, outlet:")
    @app_commands.describe(name="A short name", query='e.g. "pension reform" AND speaker:Dupont')
    async def topic_add(interaction: discord.Interaction[Any], name: str, query: str) -> None:
        await respond(interaction, "topic add", {"name": name, "query": query})

    @topic.command(name="list", description="This channel's topics")
    async def topic_list(interaction: discord.Interaction[Any]) -> None:
        await respond(interaction, "topic list")

    @feeds.command(name="list", description="The feeds being watched")
    async def feeds_list(interaction: discord.Interaction[Any]) -> None:
        await respond(interaction, "feeds list")

    @feeds.command(name="import", description="Watch every feed of an OPML file (admins)")
    @app_commands.describe(file="An OPML export from a feed reader (at most 1 MB)")
    async def feeds_import(interaction: discord.Interaction[Any], file: discord.Attachment) -> None:
        if file.size > MAX_OPML_BYTES:
            too_big = Reply(title=f"{file.filename} is over 1 MB; split it first.", ok=False)
            await send_reply(interaction, too_big, private=True)
            return
        await answer_in_time(interaction, import_attachment(interaction, file), private=True)

    return group
