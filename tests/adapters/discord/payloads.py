"""Building Discord payloads for the stand-in, and waiting for what the bot sends back."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from bot.core.models import Appearance, Event, EventType
from storage.outbox import Outbox
from tests.adapters.discord.standin import APP_ID, CHANNEL_ID, GUILD_ID, DiscordStandIn, user

MANAGE_GUILD = 1 << 5
_ids = itertools.count(4400000000000050000)


async def until(check: Callable[[], Any], what: str, limit: float = 10.0) -> Any:
    """Wait for ``check()`` to be truthy; a guard against hanging, not a timing assertion."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not (result := check()):
        if loop.time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.01)
    return result


def member(*, permissions: int = 0, roles: tuple[int, ...] = ()) -> dict[str, Any]:
    return {
        "user": user(4400000000000000777, "ada"),
        "roles": [str(r) for r in roles],
        "joined_at": "2025-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def interaction(kind: int, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An INTERACTION_CREATE payload in a guild text channel."""
    payload = {
        "id": str(next(_ids)),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"tok{next(_ids)}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL_ID),
        "channel": {
            "id": str(CHANNEL_ID),
            "type": 0,
            "guild_id": str(GUILD_ID),
            "name": "newsdesk",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        },
        "member": member(),
        "app_permissions": "0",
        "attachment_size_limit": 10_485_760,
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "data": data,
    }
    payload.update(extra)
    return payload


def slash(path: str, kind: int = 2, **options: Any) -> dict[str, Any]:
    """``/verbatim <path>`` with options (strings, ints, bools); ``focused`` marks autocomplete."""
    focused = options.pop("focused", None)
    types = {str: 3, bool: 5, int: 4}
    leaf = [
        {
            "name": k,
            "type": types[type(v)],
            "value": v,
            **({"focused": True} if k == focused else {}),
        }
        for k, v in options.items()
    ]
    names = path.split()
    tree: list[dict[str, Any]] = leaf
    for depth, name in reversed(list(enumerate(names))):
        is_group = depth < len(names) - 1
        tree = [{"name": name, "type": 2 if is_group else 1, "options": tree}]
    data = {
        "id": str(next(_ids)),
        "name": "verbatim",
        "type": 1,
        "guild_id": str(GUILD_ID),  # Discord names the guild of a guild command
        "options": tree,
    }
    return interaction(kind, data)


def click(message: dict[str, Any], custom_id: str) -> dict[str, Any]:
    return interaction(3, {"custom_id": custom_id, "component_type": 2}, message=message)


CHANNEL = f"discord:{CHANNEL_ID}"


def event(statement: int, outlet: str, kind: EventType = EventType.NEW_STATEMENT) -> Event:
    return Event(
        type=kind,
        article_url=f"https://{outlet.lower().replace(' ', '')}.example/story",
        outlet=outlet,
        statement_id=statement,
        speaker="Ada Quill",
        quote="We will open the harbour to every small boat by spring.",
        first=Appearance("The Lantern", "https://lantern.example/a", None),
    )


def enqueue(outbox: Outbox, statement: int, outlet: str) -> bool:
    """What the monitor does for one event: queue an alert unless the channel suppressed it."""
    ev = event(statement, outlet)
    if outbox.is_suppressed(CHANNEL, statement, ev.type):
        return False
    return outbox.enqueue_alert(f"{statement}:{outlet}", CHANNEL, ev, f"statement:{statement}")


async def answer_to(standin: DiscordStandIn, payload: dict[str, Any]) -> dict[str, Any]:
    """Push one interaction through the gateway; return the callback body the bot posted."""
    await standin.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    found = await until(lambda: standin.posted("POST", path), f"callback {path}")
    assert len(found) == 1
    return found[0].body


def embed_title(body: dict[str, Any]) -> str:
    return body["data"]["embeds"][0]["title"]
