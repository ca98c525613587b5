"""The Discord section of the settings, validated at start-up with a message naming what is wrong.

The token comes only from the environment (`DISCORD_TOKEN`); the api base and gateway are
overridable so the tests can point the real client at a local stand-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY = "wss://gateway.discord.gg/"


def _ids(section: Mapping[str, Any], key: str) -> tuple[int, ...]:
    raw = section.get(key, [])
    if not isinstance(raw, list | tuple):
        raise ValueError(f"discord.{key} must be a list of ids, not {raw!r}")
    ids: list[int] = []
    for item in raw:
        text = str(item).strip()
        if isinstance(item, bool) or not (text.isascii() and text.isdigit()):
            raise ValueError(f"discord.{key} holds {item!r}, which is not a Discord id")
        ids.append(int(text))
    return tuple(ids)


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    token: str
    guild_ids: tuple[int, ...] = ()
    admin_roles: tuple[int, ...] = ()
    api_base_url: str = DEFAULT_API_BASE
    gateway_url: str = DEFAULT_GATEWAY

    @classmethod
    def from_config(cls, section: Mapping[str, Any], env: Mapping[str, str]) -> DiscordSettings:
        """From the `[discord]` table and the environment; raise ValueError when incomplete."""
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise ValueError("DISCORD_TOKEN is not set: the Discord bot needs its bot token")
        api = section.get("api_base_url", DEFAULT_API_BASE)
        gateway = section.get("gateway_url", DEFAULT_GATEWAY)
        for key, value in (("api_base_url", api), ("gateway_url", gateway)):
            if not isinstance(value, str) or "://" not in value:
                raise ValueError(f"discord.{key} must be a URL, not {value!r}")
        return cls(
            token=token,
            guild_ids=_ids(section, "guild_ids"),
            admin_roles=_ids(section, "admin_roles"),
            api_base_url=api.rstrip("/"),
            gateway_url=gateway,
        )
