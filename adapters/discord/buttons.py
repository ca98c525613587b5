"""The alert buttons: mute this story, mark as false positive, show sources.

Each button is a `DynamicItem` whose ``custom_id`` carries the action and the statement or alert
id ("verbatim:mute:12"), so a click on a message posted before a restart still reaches its
handler: the client registers the item class once at start-up (`client.add_dynamic_items`) and
discord.py matches every incoming custom id against its template. Views never time out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

import discord

from adapters.discord.commands import answer_in_time
from bot.core.backend import Caller, CommandBackend
from bot.core.models import Alert, Reply

TEMPLATE = r"verbatim:(?P<action>mute|fp|src):(?P<id>[0-9]{1,20})"
LABELS = {"mute": "Mute story", "fp": "False positive", "src": "Sources"}


class ButtonHost(Protocol):
    """What the buttons need of the client: the backend, the caller, a guarded backend call."""

    backend: CommandBackend

    def caller_of(self, interaction: discord.Interaction[Any]) -> Caller: ...
    async def answer(self, fn: Callable[..., Reply], *args: Any) -> Reply: ...

    defer_after: float


class AlertButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One button of an alert; the action and the id live in its custom id."""

    def __init__(self, action: str, ident: int) -> None:
        style = discord.ButtonStyle.danger if action == "fp" else discord.ButtonStyle.secondary
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=LABELS[action], style=style, custom_id=f"verbatim:{action}:{ident}"
        )
        super().__init__(button)
        self.action = action
        self.ident = ident

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AlertButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        host: ButtonHost = interaction.client
        backend = host.backend
        caller = host.caller_of(interaction)
        if self.action == "mute":
            work = host.answer(backend.mute, caller, self.ident)
        elif self.action == "fp":
            work = host.answer(backend.false_positive, caller, self.ident)
        else:
            work = host.answer(backend.sources, self.ident)
        await answer_in_time(interaction, work, private=True)


def alert_view(alert: Alert) -> discord.ui.View | None:
    """The buttons for one alert; feed notices and alerts without a statement get none."""
    statement = alert.event.statement_id
    if statement is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(AlertButton("mute", statement))
    view.add_item(AlertButton("fp", alert.id))
    view.add_item(AlertButton("src", statement))
    return view
