"""Starting the configured chat platforms for `verbatim run` and adding their notifiers.

Each platform's settings are checked before it connects, so a missing token stops the bot
with a message naming the variable instead of a stack trace from the client library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.service import BotBackend
from bot.settings import SettingsError
from bot.sources import opml_fetcher

if TYPE_CHECKING:
    from bot.runner import Runner


async def start_platforms(runner: Runner) -> None:
    """Connect Slack and Discord when their sections are enabled; the console needs nothing."""
    app = runner.app
    settings = app.settings
    if settings.slack is None and settings.discord is None:
        return
    backend = BotBackend(
        app.store,
        app.monitor,
        runner.schedule_digests,
        fetch_text=opml_fetcher(settings),
        poll_interval=settings.poll_interval,
    )
    if settings.slack is not None:
        from adapters.slack.runtime import start_slack
        from adapters.slack.settings import SlackSettings

        try:
            slack_settings = SlackSettings.from_config(settings.slack, settings.env)
        except ValueError as exc:
            raise SettingsError(f"[slack] {exc}") from exc
        slack = await start_slack(slack_settings, backend, call=runner.in_worker)
        app.notifiers["slack"] = slack.notifier
        runner.closers.append(slack.close)
    if settings.discord is not None:
        from adapters.discord.runtime import start_discord
        from adapters.discord.settings import DiscordSettings

        try:
            discord_settings = DiscordSettings.from_config(settings.discord, settings.env)
        except ValueError as exc:
            raise SettingsError(f"[discord] {exc}") from exc
        discord = await start_discord(discord_settings, backend, runner.in_worker)
        app.notifiers["discord"] = discord.notifier
        runner.closers.append(discord.close)
