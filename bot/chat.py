"""Starting the configured chat platforms for `verbatim run` and adding their notifiers.

Each platform's settings are checked before it connects, so a missing token stops the bot
with a message naming the variable instead of a stack trace from the client library. A token
the platform refuses stops start-up too; a platform that cannot be reached is logged and left
out, and the others go on (its alerts wait in the outbox).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.core.backend import Caller
from bot.core.commands import Command, run_command
from bot.service import BotBackend
from bot.settings import SettingsError
from bot.sources import opml_fetcher

if TYPE_CHECKING:
    from bot.runner import Runner

log = logging.getLogger(__name__)


class OpmlPrefetch:
    """OPML links fetched on a thread of their own before `feeds import` reaches the database
    thread, so a slow site (up to the fetch timeout) never holds up other commands there.

    The backend's ``fetch_text`` then takes the fetched text (or re-raises the fetch's error,
    which the backend reports as usual); only admins' imports are fetched ahead.
    """

    def __init__(self, fetch: Callable[[str], str]) -> None:
        self.fetch = fetch
        self.ready: dict[str, str | Exception] = {}

    def __call__(self, url: str) -> str:
        found = self.ready.pop(url, None)
        if found is None:
            return self.fetch(url)
        if isinstance(found, Exception):
            raise found
        return found

    async def before(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        if fn is not run_command or len(args) < 2:
            return
        command, caller = args[0], args[1]
        if not (isinstance(command, Command) and command.name == "feeds import"):
            return
        text = command.get("opml").strip()
        is_link = text.lower().startswith(("http://", "https://")) and " " not in text
        if not (is_link and isinstance(caller, Caller) and caller.is_admin):
            return
        try:
            self.ready[text] = await asyncio.to_thread(self.fetch, text)
        except Exception as exc:  # the backend reports it, as it would its own fetch's
            self.ready[text] = exc


async def start_platforms(runner: Runner) -> None:
    """Connect Slack and Discord when their sections are enabled; the console needs nothing."""
    app = runner.app
    settings = app.settings
    if settings.slack is None and settings.discord is None:
        return
    prefetch = OpmlPrefetch(opml_fetcher(settings))
    backend = BotBackend(
        app.store,
        app.monitor,
        runner.schedule_digests,
        fetch_text=prefetch,
        poll_interval=settings.poll_interval,
    )

    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        await prefetch.before(fn, args)
        return await runner.in_worker(fn, *args)

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
