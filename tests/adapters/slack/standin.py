"""A small stand-in for Slack on 127.0.0.1: the Web API methods Verbatim calls, Socket Mode, and
the response_url, recording every call so tests can assert on what the real clients sent."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web


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

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._envelopes = itertools.count(1)
        self._socket: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def history_ts(self, params: dict[str, Any]) -> str | None:
        """The ts the stand-in gave the message posted with these parameters."""
        found = [ts for ts, m in self.history.items() if m["blocks"] == params.get("blocks")]
        return found[0] if found else None

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
        return web.json_response(self._answer(method, params))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "v"}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if method == "chat.postMessage" and params.get("channel") == "CGONE":
            return {"ok": False, "error": "channel_not_found"}
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
            ts = params.get("ts")
            thread = [m for m in self.history.values() if ts in (m["ts"], m.get("thread_ts"))]
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
        body["_to"] = request.match_info["name"]
        await self.responses.put(body)
        return web.Response(text="ok")

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1})
        self.connected.set()
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return socket

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
