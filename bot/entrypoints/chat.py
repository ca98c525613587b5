"""Starting the configured chat platforms for `verbatim run` and adding their notifiers.

Each platform's settings are checked before it connects, so a missing token stops the bot
with a message naming the variable instead of a stack trace from the client library. A token
the platform refuses stops start-up too; a platform that cannot be reached is logged and left
out, and the others go on (its alerts wait in the outbox).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from bot.app.settings import SettingsError
from bot.bootstrap import App, feed_checker, opml_fetcher
from bot.core.backend import Caller
from bot.core.commands import Command, run_command
from bot.core.routing import ChannelRoute

log = logging.getLogger(__name__)
T = TypeVar("T")


class Prefetch(Generic[T]):
    """What one chat command fetches, fetched on a thread of its own before the command reaches
    the database thread, so a slow site (up to the fetch timeout) never holds up other
    commands there: OPML links for `feeds import`, the feed for `feeds add`.

    The backend's fetch function is this object: it takes the fetched value (or re-raises the
    fetch's error, which the backend reports as usual); only admins' commands are fetched ahead.
    """

    def __init__(self, command: str, argument: str, fetch: Callable[[str], T]) -> None:
        self.command = command
        self.argument = argument
        self.fetch = fetch
        self.ready: dict[str, T | Exception] = {}

    def __call__(self, key: str) -> T:
        if key not in self.ready:
            return self.fetch(key)
        found = self.ready.pop(key)
        if isinstance(found, Exception):
            raise found
        return found

    def key(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> str | None:
        """What this call would fetch, when it is this command run by an admin."""
        if fn is not run_command or len(args) < 2:
            return None
        command, caller = args[0], args[1]
        if not (isinstance(command, Command) and command.name == self.command):
            return None
        if not (isinstance(caller, Caller) and caller.is_admin):
            return None
        text = command.get(self.argument).strip()
        is_link = text.lower().startswith(("http://", "https://")) and " " not in text
        return text if is_link else None

    async def before(self, key: str) -> None:
        try:
            self.ready[key] = await asyncio.to_thread(self.fetch, key)
        except Exception as exc:  # the backend reports it, as it would its own fetch's
            self.ready[key] = exc


class Host(Protocol):
    """What starting the platforms needs from the running bot (`bot.entrypoints.runner.Runner`):
    its app, its database thread, what to close at the end, and the digest scheduler."""

    app: App
    closers: list[Callable[[], Awaitable[Any]]]

    async def in_worker(self, fn: Callable[..., T], *args: Any) -> T: ...
    def schedule_digests(self, routes: Sequence[ChannelRoute]) -> None: ...


async def start_platforms(runner: Host) -> None:
    """Connect Slack and Discord when their sections are enabled; the console needs nothing."""
    app = runner.app
    settings = app.settings
    if settings.slack is None and settings.discord is None:
        return
    opml = Prefetch("feeds import", "opml", opml_fetcher(settings))
    feed = Prefetch("feeds add", "url", feed_checker(settings))
    backend = app.backend(
        runner.schedule_digests, fetch_text=opml, check_feed=feed, chart_folder=app.chart_folder
    )
    # Every routed chat channel is welcomed once ever, those set up in the config too (they may
    # never see a first command): the welcome goes out with the next delivery round.
    enabled = {name for name, section in (("slack", settings.slack), ("discord", settings.discord))
               if section is not None}  # fmt: skip
    for route in app.monitor.routes:
        if route.channel.partition(":")[0] in enabled:
            await runner.in_worker(backend.welcome, route.channel)

    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        fetched = [(p, key) for p in (opml, feed) if (key := p.key(fn, args)) is not None]
        for prefetch, key in fetched:
            await prefetch.before(key)
        try:
            answer = await runner.in_worker(fn, *args)
        finally:
            for prefetch, key in fetched:
                prefetch.ready.pop(key, None)  # not taken (the command was refused first)
        if fn is run_command and len(args) > 1 and isinstance(args[1], Caller):
            # The first command in a channel: say once (the next delivery round posts it)
            # what the bot posts there and how to change it.
            await runner.in_worker(backend.welcome, args[1].channel)
        return answer

    if settings.slack is not None:
        from slack_sdk.errors import SlackApiError

        from adapters.slack.runtime import start_slack
        from adapters.slack.settings import SlackSettings

        try:
            slack_settings = SlackSettings.from_config(settings.slack, settings.env)
        except ValueError as exc:
            raise SettingsError(f"[slack] {exc}") from exc
        try:
            slack = await start_slack(slack_settings, backend, call=call)
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
                raise SettingsError(
                    f"[slack] Slack refused SLACK_BOT_TOKEN or SLACK_APP_TOKEN ({error}); "
                    "`verbatim doctor` says which"
                ) from exc
            log.error("slack did not start (%s); the other platforms go on", error)
        except OSError as exc:
            log.error("slack did not start (%s); the other platforms go on", exc)
        else:
            app.notifiers["slack"] = slack.notifier
            runner.closers.append(slack.close)
            from adapters.slack.checks import SCOPE_FIX

            lacking = slack.lacking_scopes
            if lacking:  # told once ever in each Slack channel the bot posts to, not only logged
                log.error("slack token lacks %s: %s", ", ".join(lacking), SCOPE_FIX)
                for route in app.monitor.routes:
                    if route.channel.startswith("slack:"):
                        await runner.in_worker(
                            backend.permission_notice, route.channel, lacking, SCOPE_FIX
                        )
    if settings.discord is not None:
        import discord

        from adapters.discord.runtime import start_discord
        from adapters.discord.settings import DiscordSettings

        try:
            discord_settings = DiscordSettings.from_config(settings.discord, settings.env)
        except ValueError as exc:
            raise SettingsError(f"[discord] {exc}") from exc
        state = settings.db_path.parent / "discord-commands.json"
        try:
            bot = await start_discord(discord_settings, backend, call, command_state=state)
        except discord.LoginFailure as exc:
            raise SettingsError(f"[discord] Discord refused DISCORD_TOKEN ({exc})") from exc
        except (OSError, TimeoutError, discord.HTTPException) as exc:
            log.error("discord did not start (%s); the other platforms go on", exc)
        else:
            app.notifiers["discord"] = bot.notifier
            runner.closers.append(bot.close)
