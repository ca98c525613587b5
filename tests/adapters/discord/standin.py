"""A stand-in for Discord's REST API and gateway on 127.0.0.1, for the real discord.py client.

It answers what the bot uses (login, application info, command sync, interaction callbacks and
follow-ups, channel messages, threads, edits), records every request, can answer the next
message post with a 429 (with `Via` and a JSON `retry_after`, as Discord does), and runs a
gateway that says HELLO, answers IDENTIFY with READY and RESUME with the missed events.
The payload shapes are those discord.py 2.7 reads (see test_contract.py).

It is as strict as Discord: a message over Discord's limits (`limits.py`) is answered 400 with
code 50035 and kept in ``refused``, and one that could ping someone in ``unguarded`` (the
fixtures assert both empty); a channel the bot may not post in answers 403 / 50013, an unknown
one 404 / 10003; command sync to a guild the bot is not in 403 / 50001. Interactions follow
Discord's rules: one callback each, none once ``expire`` says the three seconds are over, no
follow-up once ``stale`` says the fifteen minutes are; the first follow-up after a defer takes
the defer's visibility. A nonce is honoured until ``forget_nonces`` (Discord keeps it minutes).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import discord
import pytest
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

from adapters.discord import runtime
from tests.adapters.discord.limits import THREAD_NAME_MAX, invalid, pings, refusal

APP_ID = 4400000000000000001
BOT_ID = 4400000000000000002
GUILD_ID = 4400000000000000100
CHANNEL_ID = 4400000000000000200
API = "/api/v10"


def user(ident: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(ident),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user(BOT_ID, "verbatim", bot=True)


def member_of_bot() -> dict[str, Any]:
    return {"user": BOT_USER, "roles": [], "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False, "mute": False, "flags": 0}  # fmt: skip


def dumps(data: Any, status: int = 200, **headers: str) -> web.Response:
    # discord.py parses JSON only when the content type is exactly application/json.
    headers["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(data).encode(), headers=headers)


def error(status: int, message: str, code: int = 0) -> web.Response:
    return dumps({"message": message, "code": code}, status)


@dataclass
class InteractionState:
    """What Discord knows of one interaction: how it was answered, what its original is."""

    ident: str
    answered: str = ""  # "", "message", "deferred", "autocomplete", "update"
    ephemeral: bool = False  # the visibility the callback chose
    original: str = "none"  # "none", "loading" (deferred), "done", "deleted"
    expired: bool = False  # past the 3 s to answer or defer
    stale: bool = False  # past the 15 minutes the token works for
    shown: list[tuple[bool, dict[str, Any]]] = field(default_factory=list)  # (ephemeral, body)


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    query: dict[str, str] = field(default_factory=dict)  # e.g. with_response=1 on callbacks


def point_discord_at(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py's REST and gateway endpoints at the stand-in serving at ``base``, until the
    test ends (as `start_discord` points them at the configured ones)."""
    monkeypatch.setattr(discord.http.Route, "BASE", base + "/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(base + "/gateway")
    )


Server = TypeVar("Server", bound="DiscordStandIn")


@contextlib.asynccontextmanager
async def serving(server: Server, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Server]:
    """``server`` started, with discord.py pointed at it, for the block; then stopped, and
    nothing it was sent may have been refused (the stand-in fixtures)."""
    await server.start()
    point_discord_at(server.base, monkeypatch)
    yield server
    await server.stop()
    server.assert_nothing_refused()


def keep_discord_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot points discord.py at the endpoints its settings name: put them back after."""
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    gateway = yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY))
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)


def start_discord_without_guild_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot's own start-up (`bot.entrypoints.chat`) starts discord.py with its default wait
    of 2 s after the last GUILD_CREATE; the stand-in sends its guilds right after READY, so a
    test running the whole bot waits 0.01 s, as the adapter tests do."""
    fast = functools.partial(runtime.start_discord, guild_ready_timeout=0.01)
    monkeypatch.setattr(runtime, "start_discord", fast)


class DiscordStandIn:
    def __init__(self) -> None:
        self.token = "test-token"
        self.requests: list[Recorded] = []
        self.messages: dict[int, dict[str, Any]] = {}  # message id -> message
        self.threads: dict[int, dict[str, Any]] = {}  # thread id -> thread channel
        self.nonces: dict[str, int] = {}
        self.rate_limit_next = 0  # answer this many message posts with 429 first
        self.rate_limited = 0
        self.retry_after = 0.05
        self.fail_threads = 0  # refuse this many thread creations (403)
        self.files: dict[str, bytes] = {}
        self.file_gate = asyncio.Event()
        self.file_gate.set()
        self.uploads: list[tuple[str, bytes]] = []  # (filename, bytes) of files sent with messages
        self.ids = itertools.count(4400000000000010000)
        self.sequence = 0
        self.events: list[dict[str, Any]] = []  # every dispatch, for RESUME replays
        self.socket: web.WebSocketResponse | None = None
        self.open = asyncio.Event()
        self.open.set()
        self.replayed = 0
        self.identifies = 0
        self.resumes = 0
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.guilds = {GUILD_ID}  # the servers the bot is in
        self.channels = {CHANNEL_ID}  # text channels that exist (threads are in `threads`)
        self.denied: dict[int, set[str]] = {}  # channel -> "send", "attach_files" refused (403)
        self.refused: list[tuple[str, dict[str, Any]]] = []  # (path, Discord's 400 answer)
        self.unguarded: list[str] = []  # paths of messages sent without allowed_mentions none
        # A test that expects a ping (a channel's mention on a high-severity alert) opts in;
        # those messages are kept here with what they allow instead of counting as unguarded.
        self.pings_expected = False
        self.pinged: list[dict[str, Any]] = []
        self.interactions: dict[str, InteractionState] = {}  # by token
        # What the doctor reads: the @everyone role's permissions and channel overwrites.
        self.everyone_permissions = (1 << 41) - 1 & ~(1 << 3)  # all but Administrator
        self.overwrites: dict[int, list[dict[str, Any]]] = {}

    # -- life ----------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_get("/files/{name}", self.file)
        app.router.add_route("*", API + "/{tail:.*}", self.rest)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self.open.set()
        if self.socket is not None:
            await self.socket.close()
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def assert_nothing_refused(self) -> None:
        """Nothing went over Discord's limits, nothing could ping (fixtures call this)."""
        assert self.refused == [], f"Discord would have refused: {self.refused}"
        assert self.unguarded == [], f"sent without allowed_mentions none: {self.unguarded}"

    def expire(self, payload: dict[str, Any]) -> None:
        """The interaction's three seconds are over: it can no longer be answered or deferred."""
        self.interactions[payload["token"]].expired = True

    def stale(self, payload: dict[str, Any]) -> None:
        """The interaction's token is past its fifteen minutes: no more follow-ups."""
        self.interactions[payload["token"]].stale = True

    def forget_nonces(self) -> None:
        """Minutes have passed: Discord no longer deduplicates by the nonces it has seen."""
        self.nonces.clear()

    def shown(self, payload: dict[str, Any]) -> list[tuple[bool, dict[str, Any]]]:
        """What users saw of an interaction's answers: (ephemeral, body) in order."""
        return self.interactions[payload["token"]].shown

    def posted(self, method: str, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and path_part in r.path]

    # -- REST ----------------------------------------------------------------------------
    async def file(self, request: web.Request) -> web.Response:
        await self.file_gate.wait()  # a test may hold a download as a slow CDN would
        return web.Response(body=self.files[request.match_info["name"]])

    async def rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.content_type.startswith("multipart/"):
            body = await self._multipart(request)
        elif request.can_read_body:
            body = await request.json()
        self.requests.append(Recorded(request.method, path, body, dict(request.query)))
        parts = path.strip("/").split("/")
        method = request.method
        token_free = parts[0] in ("interactions", "webhooks")  # the interaction token suffices
        if not token_free and request.headers.get("Authorization") != f"Bot {self.token}":
            return error(401, "401: Unauthorized", 0)
        sends = method in ("POST", "PATCH") and (
            parts[0] == "webhooks" or parts[-1] in ("messages", "callback") or len(parts) == 4
        )
        if sends and parts[-1] != "threads":
            message_body = (body or {}).get("data") if parts[-1] == "callback" else body
            found = refusal(message_body)
            if found is not None:
                self.refused.append((path, found))
                return dumps(found, 400)
            if pings(message_body) and self.pings_expected and message_body is not None:
                self.pinged.append(message_body)
            elif pings(message_body):
                self.unguarded.append(path)
        if path == "/users/@me":
            return dumps(BOT_USER)
        if path == "/oauth2/applications/@me":
            return dumps(self.application())
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            if len(parts) == 5 and int(parts[3]) not in self.guilds:
                return error(403, "Missing Access", 50001)
            return dumps([self.command(c) for c in body])
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self.callback(parts[2], body)
        if parts[0] == "webhooks":
            return self.follow_up(method, parts, body)
        if parts[0] == "guilds" and int(parts[1]) not in self.guilds:
            return error(404 if len(parts) == 2 else 403, "Unknown Guild", 10004)
        if parts[0] == "guilds" and len(parts) == 2:
            return dumps(self.guild(int(parts[1])))
        if parts[0] == "guilds" and parts[2] == "members" and method == "GET":
            return dumps({**member_of_bot(), "roles": []})
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            return self.channel(int(parts[1]))
        if parts[0] == "channels" and parts[2:] == ["messages"] and method == "GET":
            return self.history(int(parts[1]), request.query)
        if parts[0] == "channels" and parts[2:] == ["messages"] and method == "POST":
            return self.post_message(int(parts[1]), body)
        if parts[0] == "channels" and parts[-1] == "threads" and method == "POST":
            if len(str(body.get("name", ""))) > THREAD_NAME_MAX:
                self.refused.append((path, invalid(["name"], THREAD_NAME_MAX)))
                return dumps(invalid(["name"], THREAD_NAME_MAX), 400)
            return self.open_thread(int(parts[1]), int(parts[3]), body)
        if parts[0] == "channels" and len(parts) == 4 and method == "PATCH":
            message = self.messages[int(parts[3])]
            message.update({k: v for k, v in body.items() if k in ("content", "embeds")})
            return dumps(message)
        return error(404, "Unknown", 0)

    async def _multipart(self, request: web.Request) -> dict[str, Any]:
        """A message with files: ``payload_json`` plus one part per file, kept in ``uploads``."""
        body: dict[str, Any] = {}
        files: list[dict[str, Any]] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                body.update(json.loads(await part.text()))
            else:
                data = await part.read()
                self.uploads.append((part.filename or "", bytes(data)))
                files.append({"filename": part.filename, "size": len(data)})
        body["_files"] = files
        return body

    def application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "Verbatim",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": user(4400000000000000003, "owner"),
            "flags": 0,
        }

    def command(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(next(self.ids)),
            "application_id": str(APP_ID),
            "version": "1",
            "default_member_permissions": None,
            "nsfw": False,
            **payload,
        }

    def callback(self, token: str, body: dict[str, Any]) -> web.Response:
        state = self.interactions.get(token)
        if state is None or (state.expired and not state.answered):
            return error(404, "Unknown interaction", 10062)
        if state.answered:
            return error(400, "Interaction has already been acknowledged.", 40060)
        kind = body["type"]
        data = body.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & 64)
        state.answered = {4: "message", 5: "deferred", 8: "autocomplete"}.get(kind, "update")
        state.ephemeral = ephemeral
        resource: dict[str, Any] = {"type": kind}
        if kind == 4:
            resource["message"] = self.message(CHANNEL_ID, data, keep=False)
            state.original = "done"
            state.shown.append((ephemeral, data))
        elif kind == 5:
            state.original = "loading"
        answer = {
            "interaction": {
                "id": state.ident,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": ephemeral,
            },
            "resource": resource,
        }
        return dumps(answer)

    def follow_up(self, method: str, parts: list[str], body: Any) -> web.StreamResponse:
        """Follow-ups and the original response, as the interaction's webhook."""
        state = self.interactions.get(parts[2]) if len(parts) > 2 else None
        if state is None or state.stale:
            return error(401, "Invalid Webhook Token", 50027)
        if not state.answered:
            return error(404, "Unknown Webhook", 10015)
        original = parts[-1] == "@original"
        if method == "DELETE" and original:
            if state.original not in ("loading", "done"):
                return error(404, "Unknown Message", 10008)
            state.original = "deleted"
            return web.Response(status=204)
        if method == "PATCH" and original:
            state.original = "done"
            state.shown.append((state.ephemeral, body))
            return dumps(self.message(CHANNEL_ID, body, keep=False))
        if method != "POST":
            return error(404, "Unknown", 0)
        if state.original == "loading":
            # The first follow-up after a defer fills the "thinking" message: the defer's
            # visibility holds, whatever the follow-up's flags say.
            state.original = "done"
            ephemeral = state.ephemeral
        else:
            ephemeral = bool((body or {}).get("flags", 0) & 64)
        state.shown.append((ephemeral, body))
        return dumps(self.message(CHANNEL_ID, body, keep=False))

    def message(self, channel: int, body: dict[str, Any], keep: bool = True) -> dict[str, Any]:
        """A message as Discord returns it; ``keep`` it among the channel's messages."""
        ident = next(self.ids)
        message = {
            "id": str(ident),
            "channel_id": str(channel),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": "2026-01-05T09:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            "nonce": body.get("nonce"),
        }
        if keep:
            self.messages[ident] = message
        return message

    def post_message(self, channel: int, body: dict[str, Any]) -> web.Response:
        if self.rate_limit_next:
            self.rate_limit_next -= 1
            self.rate_limited += 1
            limited = {"message": "Rate limited.", "retry_after": self.retry_after, "global": False}
            return dumps(limited, 429, Via="1.1 google", **{"Retry-After": "1"})
        if channel not in self.threads and channel not in self.channels:
            return error(404, "Unknown Channel", 10003)
        denied = self.denied.get(channel, set())
        if "send" in denied or ("attach_files" in denied and body.get("_files")):
            return error(403, "Missing Permissions", 50013)
        nonce = body.get("nonce")
        if body.get("enforce_nonce") and nonce in self.nonces:
            return dumps(self.messages[self.nonces[nonce]])  # Discord returns the first one
        message = self.message(channel, body)
        if nonce is not None:
            self.nonces[str(nonce)] = int(message["id"])
        return dumps(message)

    def open_thread(self, channel: int, message_id: int, body: dict[str, Any]) -> web.Response:
        if self.fail_threads:
            self.fail_threads -= 1
            # Not a 5xx: discord.py retries those itself. A missing permission is final.
            return error(403, "Missing Permissions", 50013)
        thread = {
            "id": str(message_id),
            "type": 11,
            "guild_id": str(GUILD_ID),
            "parent_id": str(channel),
            "owner_id": str(BOT_ID),
            "name": body["name"],
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body["auto_archive_duration"],
                "archive_timestamp": "2026-01-05T09:00:00+00:00",
                "locked": False,
            },
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
        }
        self.threads[message_id] = thread
        return dumps(thread)

    def history(self, channel: int, query: Any) -> web.Response:
        """GET /channels/{id}/messages: newest first, after a snowflake, at most ``limit``."""
        if channel not in self.threads and channel not in self.channels:
            return error(404, "Unknown Channel", 10003)
        after = int(query.get("after") or 0)
        limit = int(query.get("limit") or 50)
        found = [m for m in self.in_channel(channel) if int(m["id"]) > after]
        listed = sorted(found, key=lambda m: int(m["id"]), reverse=True)[:limit]
        return dumps([{k: v for k, v in m.items() if k != "nonce"} for m in listed])

    def guild(self, ident: int) -> dict[str, Any]:
        everyone = {"id": str(ident), "name": "@everyone", "permissions":
                    str(self.everyone_permissions), "position": 0, "color": 0, "hoist": False,
                    "managed": False, "mentionable": False, "flags": 0}  # fmt: skip
        return {"id": str(ident), "name": "Newsdesk", "owner_id": "4400000000000000003",
                "roles": [everyone], "features": [], "icon": None}  # fmt: skip

    def channel(self, ident: int) -> web.Response:
        if ident not in self.channels:
            return error(404, "Unknown Channel", 10003)
        return dumps({"id": str(ident), "type": 0, "guild_id": str(GUILD_ID), "name": "newsdesk",
                      "position": 0, "permission_overwrites": self.overwrites.get(ident, []),
                      "nsfw": False, "parent_id": None})  # fmt: skip

    def in_channel(self, channel: int) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if m["channel_id"] == str(channel)]

    # -- gateway -------------------------------------------------------------------------
    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await self.open.wait()  # a test may hold the gateway shut while events pile up
        self.socket = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op = payload["op"]
            if op == 1:
                await ws.send_json({"op": 11})
            elif op == 2:
                self.identifies += 1
                await self.dispatch("READY", self.ready())
            elif op == 6:
                self.resumes += 1
                for event in self.events:
                    if event["s"] > (payload["d"]["seq"] or 0):
                        self.replayed += 1
                        await ws.send_json(event)
                await self.dispatch("RESUMED", {})
        return ws

    def ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "session_id": "standin-session",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "application": {"id": str(APP_ID), "flags": 0},
        }

    async def dispatch(self, name: str, data: dict[str, Any]) -> None:
        """Send one event; kept for RESUME, and sent now only if a client is connected."""
        self.sequence += 1
        event = {"op": 0, "t": name, "s": self.sequence, "d": data}
        if name == "INTERACTION_CREATE":
            self.interactions[data["token"]] = InteractionState(data["id"])
        if name not in ("READY", "RESUMED"):
            self.events.append(event)
        if self.socket is not None and not self.socket.closed:
            await self.socket.send_json(event)

    async def drop(self, code: int = 4000) -> None:
        """Close the gateway socket as Discord does when it restarts a node."""
        if self.socket is not None:
            await self.socket.close(code=code)
