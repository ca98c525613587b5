"""What `verbatim doctor` asks Discord: the token, the application, each guild, and the bot's
permissions in each alert channel, computed as Discord computes them (roles, then overwrites).

Each check is one finding ``(name, ok, detail)``; a failing one's detail says what to fix. The
calls are read-only REST requests; no gateway connection is opened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord.http import HTTPClient, Route

from adapters.discord.runtime import REQUIRED_PERMISSIONS, invite_url, point_at
from adapters.discord.settings import DiscordSettings

Finding = tuple[str, bool, str]  # (what was checked, passed, what it found or how to fix it)
ALL = (1 << 53) - 1


def channel_permissions(
    guild: Mapping[str, Any], member: Mapping[str, Any], channel: Mapping[str, Any], bot_id: int
) -> discord.Permissions:
    """The bot's permissions in ``channel``: @everyone and its roles, then the channel's
    overwrites for @everyone, its roles and itself (Discord's documented order)."""
    if int(guild.get("owner_id") or 0) == bot_id:
        return discord.Permissions(ALL)
    roles = {int(r["id"]): int(r["permissions"]) for r in guild.get("roles", [])}
    guild_id = int(guild["id"])
    mine = {int(r) for r in member.get("roles", [])}
    value = roles.get(guild_id, 0)
    for role in mine:
        value |= roles.get(role, 0)
    if value & discord.Permissions(administrator=True).value:
        return discord.Permissions(ALL)
    overwrites = {int(o["id"]): o for o in channel.get("permission_overwrites", [])}

    def apply(allow: int, deny: int) -> None:
        nonlocal value
        value = (value & ~deny) | allow

    if guild_id in overwrites:
        everyone = overwrites[guild_id]
        apply(int(everyone["allow"]), int(everyone["deny"]))
    allow = deny = 0
    for role in mine:
        if role in overwrites:
            allow |= int(overwrites[role]["allow"])
            deny |= int(overwrites[role]["deny"])
    apply(allow, deny)
    if bot_id in overwrites:
        apply(int(overwrites[bot_id]["allow"]), int(overwrites[bot_id]["deny"]))
    return discord.Permissions(value)


def missing(granted: discord.Permissions) -> list[str]:
    """The names of the permissions the bot needs and lacks ("Attach Files", ...)."""
    return [
        name.replace("_", " ").title()
        for name, needed in REQUIRED_PERMISSIONS
        if needed and not getattr(granted, name)
    ]


async def check_discord(settings: DiscordSettings, channels: Sequence[int]) -> list[Finding]:
    """Token, application, guilds, and the bot's permissions in ``channels``."""
    point_at(settings)
    http = HTTPClient(asyncio.get_running_loop())
    try:
        return await _checks(http, settings, channels)
    finally:
        await http.close()


async def _checks(
    http: HTTPClient, settings: DiscordSettings, channels: Sequence[int]
) -> list[Finding]:
    try:
        me = await http.static_login(settings.token)
    except discord.LoginFailure:
        fix = "reset the bot token on the Bot tab and put it in DISCORD_TOKEN"
        return [("discord token", False, f"Discord refused DISCORD_TOKEN: {fix}")]
    except (OSError, discord.HTTPException) as exc:
        return [("discord token", False, f"Discord is unreachable: {exc}")]
    bot_id = int(me["id"])
    findings: list[Finding] = [("discord token", True, f"valid: bot {me['username']} ({bot_id})")]
    findings.append(("discord intents", True, "none needed: commands arrive as interactions"))
    app = await http.application_info()
    invite = invite_url(int(app["id"]))
    findings.append(("discord invite", True, invite))
    guilds: dict[int, Mapping[str, Any]] = {}
    for guild_id in settings.guild_ids:
        try:
            guilds[guild_id] = await http.request(Route("GET", "/guilds/{g}", g=guild_id))
        except discord.HTTPException as exc:
            fix = f"the bot is not in that server: invite it with {invite}"
            findings.append((f"discord guild {guild_id}", False, f"{exc.status}: {fix}"))
            continue
        findings.append(
            (f"discord guild {guild_id}", True, f"reachable: {guilds[guild_id]['name']}")
        )
    for channel_id in channels:
        findings.append(await _channel(http, channel_id, bot_id, guilds))
    return findings


async def _channel(
    http: HTTPClient, channel_id: int, bot_id: int, guilds: dict[int, Mapping[str, Any]]
) -> Finding:
    name = f"discord channel {channel_id}"
    try:
        channel: Mapping[str, Any] = await http.get_channel(channel_id)
    except discord.HTTPException as exc:
        return (name, False, f"{exc.status}: no such channel, or the bot lacks View Channel there")
    guild_id = int(channel.get("guild_id") or 0)
    try:
        guild = guilds.get(guild_id) or await http.request(Route("GET", "/guilds/{g}", g=guild_id))
        member = await http.get_member(guild_id, bot_id)
    except discord.HTTPException as exc:
        return (name, False, f"{exc.status}: cannot read the bot's roles in guild {guild_id}")
    lacking = missing(channel_permissions(guild, member, channel, bot_id))
    if lacking:
        fix = "allow them for the bot's role in the channel's settings (Permissions)"
        return (name, False, f"missing {', '.join(lacking)}: {fix}")
    return (name, True, "every permission the bot needs")
