"""Starting the configured chat platforms for `verbatim run` and adding their notifiers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.settings import SettingsError

if TYPE_CHECKING:
    from bot.runner import Runner

log = logging.getLogger(__name__)


async def start_platforms(runner: Runner) -> None:
    settings = runner.app.settings
    if settings.slack is not None or settings.discord is not None:
        raise SettingsError("chat platforms are not wired into this build yet")
