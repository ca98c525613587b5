"""HTTP mode's guard in front of bolt: malformed timestamps and replayed requests get 401.

Bolt refuses a bad signature or a timestamp more than five minutes off, but a non-numeric
``X-Slack-Request-Timestamp`` makes it fail with 500, and a signed request sent again within
the five minutes runs twice. Each accepted signature is remembered for as long as bolt would
accept its timestamp, and the same signature again is refused.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

WINDOW_SECONDS = 2 * 5 * 60  # bolt accepts timestamps five minutes either side of now
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SeenSignatures:
    """Signatures of requests accepted lately, each forgotten once its timestamp is too old."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}

    def first_time(self, signature: str) -> bool:
        """True (and remembered) unless ``signature`` was seen within the window."""
        now = self._clock()
        self._until = {s: t for s, t in self._until.items() if t > now}
        if signature in self._until:
            return False
        self._until[signature] = now + WINDOW_SECONDS
        return True

    def forget(self, signature: str) -> None:
        self._until.pop(signature, None)


def refused() -> web.Response:
    return web.json_response({"error": "invalid request"}, status=401)  # bolt's own answer


def request_guard(path: str, seen: SeenSignatures | None = None) -> Middleware:
    """An aiohttp middleware for bolt's endpoint at ``path``."""
    signatures = seen or SeenSignatures()

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != path:
            return await handler(request)
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (stamp.isascii() and stamp.isdigit()) or not signature:
            return refused()
        if not signatures.first_time(signature):
            return refused()
        response = await handler(request)
        if response.status == 401:  # bolt refused it: a later genuine request is not a replay
            signatures.forget(signature)
        return response

    return guard
