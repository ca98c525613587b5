"""The Discord bot's life: log in, register commands and buttons, sync, run, close.

`start_discord` is what the bootstrap calls: it returns once the gateway is READY, with the
notifier the delivery loop posts through. Backend calls go through ``call`` so the bootstrap
can run them on its one database thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import yarl
from discord import app_commands

from adapters.discord.buttons import AlertButton
from adapters.discord.commands import verbatim_group
from adapters.discord.notifier import DiscordNotifier
from adapters.discord.settings import DiscordSettings
from bot.core.backend import Caller, CommandBackend
from bot.core.models import Reply
from bot.core.ports import BackendCall, call_inline

log = logging.getLogger(__name__)

MAX_RATE_LIMIT_WAIT = 30.0  # seconds
FAILED = Reply(title="Sorry, that failed on our side; the bot's log has the details.", ok=False)

# Everything the bot does in a channel, and nothing more (docs/discord.md explains each):
# the digest's chart is an attached file, and a retried alert is looked for in the history.
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    create_public_threads=True,
    send_messages_in_threads=True,
)


def invite_url(application_id: int) -> str:
    """The link that adds the bot to a server with its commands and the permissions above."""
    return discord.utils.oauth_url(
        application_id,
        permissions=REQUIRED_PERMISSIONS,
        scopes=("bot", "applications.commands"),
    )


class VerbatimClient(discord.Client):
    """A `discord.Client` with the `/verbatim` command tree and the alert buttons."""

    def __init__(
        self,
        settings: DiscordSettings,
        backend: CommandBackend,
        call: BackendCall = call_inline,
        *,
        defer_after: float = 2.0,
        command_state: Path | None = None,
        **options: Any,
    ) -> None:
        # Slash commands and buttons arrive as interactions whatever the intents: ask for none.
        # Nothing the bot sends may ping anyone, whatever the quoted text says.
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        super().__init__(intents=discord.Intents.none(), **options)
        self.settings = settings
        self.backend = backend
        self._call = call
        # Seconds before a slow answer is deferred: Discord drops an interaction unanswered at 3.
        self.defer_after = min(max(defer_after, 0.0), 2.5)
        self.tree = app_commands.CommandTree(self)
        self.synced: list[int | None] = []  # where the commands are in place (None: global)
        self.unchanged: list[int | None] = []  # of those, where they were already up to date
        self.sync_failures: dict[int | None, str] = {}  # where they could not be synced, why
        self.command_state = command_state  # the last synced command tree's hash, per guild
        self.ready_event = asyncio.Event()

    async def on_ready(self) -> None:
        self.ready_event.set()

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self._call(fn, *args)

    async def answer(self, fn: Callable[..., Reply], *args: Any) -> Reply:
        """A backend answer; a failure is logged and told to the user, never left unanswered."""
        try:
            reply: Reply = await self._call(fn, *args)
        except Exception:
            log.exception("discord: %s failed", getattr(fn, "__name__", fn))
            return FAILED
        return reply

    def caller_of(self, interaction: discord.Interaction[Any]) -> Caller:
        """Who clicked or typed, where, and whether they may run admin commands."""
        user = interaction.user
        admin = interaction.permissions.manage_guild
        roles = getattr(user, "_roles", ())  # role ids, present even without a member cache
        if not admin and self.settings.admin_roles:
            admin = any(role in roles for role in self.settings.admin_roles)
        return Caller(
            channel=f"discord:{interaction.channel_id}",
            user=str(user.id) if user else "",
            is_admin=bool(admin),
        )

    async def setup_hook(self) -> None:
        self.add_dynamic_items(AlertButton)
        group = verbatim_group()
        guilds = [discord.Object(id=g) for g in self.settings.guild_ids]
        if guilds:
            self.tree.add_command(group, guilds=guilds)
            for guild in guilds:
                await self.sync_commands(guild)
        else:
            self.tree.add_command(group)  # global commands: slower to appear, but no guild needed
            await self.sync_commands(None)

    async def sync_commands(self, guild: discord.Object | None) -> None:
        """Sync the tree to one guild (or globally) when it changed since the last sync; a guild
        the bot cannot reach is logged and skipped, never fatal to the rest of the bot."""
        ident = guild.id if guild is not None else None
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"{self.application_id}:{ident if ident is not None else 'global'}"
        state = self._read_state()
        if state.get(key) == digest:
            self.synced.append(ident)
            self.unchanged.append(ident)
            return
        try:
            await self.tree.sync(guild=guild)
        except discord.HTTPException as exc:
            why = f"{exc.status} {exc.text or exc}"
            self.sync_failures[ident] = why
            log.error(
                "discord: commands not synced to guild %s (%s): is the bot in that server, "
                "invited with the applications.commands scope? Other guilds go on.",
                ident,
                why,
            )
            return
        self.synced.append(ident)
        state[key] = digest
        self._write_state(state)

    def _read_state(self) -> dict[str, str]:
        if self.command_state is None or not self.command_state.is_file():
            return {}
        try:
            loaded = json.loads(self.command_state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # unreadable: sync again, which is always safe
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}

    def _write_state(self, state: dict[str, str]) -> None:
        if self.command_state is None:
            return
        try:
            self.command_state.parent.mkdir(parents=True, exist_ok=True)
            self.command_state.write_text(json.dumps(state, indent=1), encoding="utf-8")
        except OSError as exc:
            log.warning("discord: could not record the synced commands (%s); next start syncs", exc)


@dataclass
class DiscordRuntime:
    """The running bot: its client, its notifier, and the task running the gateway."""

    client: VerbatimClient
    notifier: DiscordNotifier
    task: asyncio.Task[None]

    async def close(self) -> None:
        await self.client.close()
        await _finish(self.task)


async def _finish(task: asyncio.Task[None]) -> None:
    """Let the gateway task end after `client.close()`; how it ended no longer matters."""
    done, _ = await asyncio.wait({task}, timeout=5.0)
    if not done:
        task.cancel()
    elif not task.cancelled() and task.exception() is not None:
        # Closing mid-handshake can end discord.py's connect loop with an error.
        log.debug("discord: gateway task ended with %r on close", task.exception())


def point_at(settings: DiscordSettings) -> None:
    """Direct discord.py's REST and gateway to the configured endpoints (stand-ins in tests)."""
    discord.http.Route.BASE = settings.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


async def start_discord(
    settings: DiscordSettings,
    backend: CommandBackend,
    call: BackendCall = call_inline,
    *,
    ready_timeout: float = 60.0,
    **options: Any,
) -> DiscordRuntime:
    """Log in, sync the commands, connect the gateway; return once READY (or raise).

    ``options`` go to the client (`defer_after`, discord.py's `guild_ready_timeout`, ...).
    """
    point_at(settings)
    # A rate limit longer than this raises instead of stalling the delivery loop; the outbox
    # then retries the alert later with backoff.
    options.setdefault("max_ratelimit_timeout", MAX_RATE_LIMIT_WAIT)
    client = VerbatimClient(settings, backend, call, **options)
    task = asyncio.create_task(client.start(settings.token), name="discord-gateway")
    ready = asyncio.create_task(client.ready_event.wait())
    done, _ = await asyncio.wait(
        {task, ready}, timeout=ready_timeout, return_when="FIRST_COMPLETED"
    )
    if ready not in done:
        ready.cancel()
        await client.close()
        failure = task.exception() if task in done and not task.cancelled() else None
        if failure is not None:
            raise failure  # a bad token, a refused connection
        await _finish(task)
        raise TimeoutError(f"Discord did not become ready within {ready_timeout:.0f} s")
    log.info("discord: ready as %s, commands in place in %s", client.user, client.synced)
    if client.application_id is not None:
        log.info("discord: invite the bot with %s", invite_url(client.application_id))
    return DiscordRuntime(client, DiscordNotifier(client), task)
