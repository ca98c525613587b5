"""The monitor's stages after quote matching, wired from the core modules that provide them."""

from __future__ import annotations

from bot.core.monitor import Stage
from storage.store import Store


def default_stages(store: Store) -> list[Stage]:
    return []
