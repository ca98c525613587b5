"""A small stand-in for Slack on 127.0.0.1: the Web API methods Verbatim calls, Socket Mode, and
the response_url, recording every call so tests can assert on what the real clients sent.

It is as strict as Slack: a message over Slack's limits (`limits.py`) is refused with Slack's
error (``invalid_blocks``, ``msg_blocks_too_long``, ``no_text``) and kept in ``refused``, which
the fixtures assert empty; a response_url takes five answers; channels the bot is not in answer
``not_in_channel`` and unknown ones ``channel_not_found``; a wrong token ``invalid_auth``. Socket
Mode can be told to send ``disconnect`` or to drop the socket, and the client must reconnect.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.adapters.slack.limits import TEXT_MAX, refusal

BOT_SCOPES = ("chat:write", "commands", "files:write", "users:read", "channels:history",
              "groups:history")  # fmt: skip
RESPONSES_PER_URL = 5


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class SlackStandIn:
    """Start with ``await standin.start()``; ``base_url`` goes to the AsyncWebClient."""

    admins: set[str] = field(default_factory=set)
    rate_limit_next: int = 0  # answer this many chat.postMessage calls with a 429 first
    calls: list[Call] = field(default_factory=list)
    responses: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    history: dict[str, dict[str, Any]] = field(default_factory=dict)  # ts -> message
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id -> the bytes uploaded
    port: int = 0
    bot_token: str = "xoxb-test"
    app_token: str = "xapp-test"
    scopes: tuple[str, ...] = BOT_SCOPES
    outside: set[str] = field(default_factory=lambda: {"COUT"})  # channels the bot is not in
    gone: set[str] = field(default_factory=lambda: {"CGONE"})  # channels that do not exist
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (where, error, why)
    truncated: int = 0  # messages whose text Slack would have cut at 40,000 characters
    connections: int = 0  # Socket Mode connections opened so far

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._envelopes = itertools.count(1)
        self._socket: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self._answers: dict[str, int] = {}  # response_url name -> answers taken
        self._transport: Any = None  # the Socket Mode connection's TCP transport

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def history_ts(self, params: dict[str, Any]) -> str | None:
        """The ts the stand-in gave the message posted with these parameters."""
        found = [ts for ts, m in self.history.items() if m["blocks"] == params.get("blocks")]
        return found[0] if found else None

    def assert_nothing_refused(self) -> None:
        """No message went over Slack's limits (a fixture calls this after every test)."""
        assert self.refused == [], f"Slack would have refused: {self.refused}"
        assert self.truncated == 0, "Slack would have cut a message's text"

    def called(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every accepted call of ``method``, in order."""
        return [c.params for c in self.calls if c.method == method and c.status == 200]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # users.info, conversations.history
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/link", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        # slack_sdk sends some methods' arguments in the query string (files.* uploads).
        params: dict[str, Any] = {**request.query, **{k: str(v) for k, v in form.items()}}
        if isinstance(params.get("blocks"), str):
            params["blocks"] = json.loads(params["blocks"])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if method == "chat.postMessage" and self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            self.calls.append(Call(method, params, 429))
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers={"Retry-After": "0"})
        self.calls.append(Call(method, params))
        token = self.app_token if method == "apps.connections.open" else self.bot_token
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        headers = {"x-oauth-scopes": ",".join(self.scopes)} if method == "auth.test" else {}
        return web.json_response(self._answer(method, params), headers=headers)

    def _refuse(self, where: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer to a message over its limits (kept in ``refused``), or None."""
        if len(str(params.get("text") or "")) > TEXT_MAX:
            self.truncated += 1
        found = refusal(params)
        if found is None:
            return None
        self.refused.append((where, *found))
        return {"ok": False, "error": found[0], "response_metadata": {"messages": [found[1]]}}

    def _channel_error(self, channel: str) -> dict[str, Any] | None:
        if channel in self.gone:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.outside:
            return {"ok": False, "error": "not_in_channel"}
        return None

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "v"}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if method == "conversations.info":
            channel = str(params.get("channel"))
            if channel in self.gone:
                return {"ok": False, "error": "channel_not_found"}
            return {
                "ok": True,
                "channel": {"id": channel, "is_member": channel not in self.outside},
            }
        if method in ("conversations.history", "conversations.replies"):
            gone = self._channel_error(str(params.get("channel")))
            if gone is not None:
                return gone
        if method in ("chat.postMessage", "chat.update"):
            refused = self._channel_error(str(params.get("channel"))) or self._refuse(
                method, params
            )
            if refused is not None:
                return refused
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            self.history[ts] = {
                "ts": ts,
                "text": params.get("text"),
                "blocks": params.get("blocks"),
                "_channel": params.get("channel"),
                "thread_ts": params.get("thread_ts"),
            }
            return {"ok": True, "channel": params.get("channel"), "ts": ts}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + 1:04d}"
            self.uploads[file_id] = b""
            url = f"http://127.0.0.1:{self.port}/upload/{file_id}"
            return {"ok": True, "upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in listed]}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "conversations.history":
            if params.get("latest") and params.get("latest") == params.get("oldest"):
                found = self.history.get(str(params.get("latest")))
                return {"ok": True, "messages": [found] if found else []}
            listed = [
                m for m in self.history.values()
                if m["_channel"] == params.get("channel") and not m.get("thread_ts")
            ]  # fmt: skip
            return {"ok": True, "messages": listed[::-1][: int(params.get("limit") or 100)]}
        if method == "conversations.replies":
            head = params.get("ts")
            thread = [m for m in self.history.values() if head in (m["ts"], m.get("thread_ts"))]
            return {"ok": True, "messages": thread[: int(params.get("limit") or 100)]}
        if method == "users.info":
            user = str(params.get("user"))
            return {"ok": True, "user": {"id": user, "is_admin": user in self.admins}}
        return {"ok": False, "error": "unknown_method"}

    async def _upload(self, request: web.Request) -> web.Response:
        """Step two of files_upload_v2: the bytes, posted to the URL step one handed out."""
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - 200")

    async def _respond(self, request: web.Request) -> web.Response:
        body = dict(await request.json())
        name = request.match_info["name"]
        self._answers[name] = self._answers.get(name, 0) + 1
        if self._answers[name] > RESPONSES_PER_URL:
            self.refused.append(("response_url", "used_url", f"answer {self._answers[name]}"))
            return web.Response(status=404, text="used_url")
        refused = self._refuse("response_url", body)
        if refused is not None:
            return web.json_response(refused, status=400)
        body["_to"] = name
        await self.responses.put(body)
        return web.Response(text="ok")

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        self._transport = request.transport
        self.connections += 1
        await socket.send_json({"type": "hello", "num_connections": 1})
        self.connected.set()
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return socket

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours, then close the socket."""
        assert self._socket is not None, "no Socket Mode client is connected"
        old, before = self._socket, self.connections
        self.connected.clear()
        await old.send_json({"type": "disconnect", "reason": reason})
        await self.reconnected(before)
        await old.close()

    async def drop(self) -> None:
        """Close the socket without a word, as a network failure or a Slack restart does."""
        assert self._transport is not None, "no Socket Mode client is connected"
        self.connected.clear()
        self._transport.close()

    async def reconnected(self, before: int) -> None:
        """Wait until the client opened a connection after the ``before``-th one."""
        while self.connections <= before or not self.connected.is_set():
            await asyncio.wait_for(self.connected.wait(), 30)
            if self.connections <= before:
                await asyncio.sleep(0.01)

    async def envelope(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Push one Socket Mode envelope and return the client's acknowledgement of it."""
        assert self._socket is not None, "no Socket Mode client is connected"
        envelope_id = f"env-{next(self._envelopes)}"
        await self._socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
            }
        )
        while True:
            ack = await asyncio.wait_for(self.acks.get(), 10)
            if ack.get("envelope_id") == envelope_id:
                return ack
