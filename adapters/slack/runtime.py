"""Starting and stopping Slack for `verbatim run`: the bolt app, its transport, the notifier.

Socket Mode needs no public URL (the app dials out) and reconnects by itself when Slack drops the
socket or asks it to; HTTP mode serves bolt's aiohttp app, which refuses unsigned, badly
signed, stale, malformed and replayed requests before any handler runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.checks import missing_scopes
from adapters.slack.listeners import register
from adapters.slack.notifier import SlackNotifier
from adapters.slack.replay import request_guard
from adapters.slack.settings import SlackSettings
from bot.core.backend import CommandBackend
from bot.core.ports import BackendCall, call_inline

log = logging.getLogger(__name__)


def make_client(settings: SlackSettings, rate_limit_retries: int = 3) -> AsyncWebClient:
    """A Web API client that waits out 429s (``Retry-After``) instead of failing the post.

    Broken connections are not retried here: a post may have reached Slack before the break,
    so the outbox retries it later and the notifier first checks whether it went out.
    """
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.api_base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries)],
    )


def make_app(
    settings: SlackSettings,
    backend_factory: Callable[[], CommandBackend],
    client: AsyncWebClient | None = None,
    call: BackendCall = call_inline,
) -> AsyncApp:
    """The bolt app with Verbatim's listeners; HTTP mode verifies every request's signature."""
    app = AsyncApp(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret,
        request_verification_enabled=settings.mode == "http",
    )
    register(app, backend_factory, settings.admins, call)
    return app


@dataclass
class SlackRuntime:
    """The running Slack app: post alerts through ``notifier``; ``close()`` on shutdown."""

    app: AsyncApp
    notifier: SlackNotifier
    socket: AsyncSocketModeHandler | None = None
    site_runner: web.AppRunner | None = None
    port: int | None = None  # HTTP mode: the port actually bound
    lacking_scopes: tuple[str, ...] = ()  # required scopes the bot token lacks (auth.test)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
        if self.site_runner is not None:
            await self.site_runner.cleanup()


async def start_slack(
    settings: SlackSettings,
    backend: CommandBackend,
    *,
    call: BackendCall = call_inline,
    min_interval: float = 1.0,
    ping_interval: float = 10.0,
) -> SlackRuntime:
    """Connect (Socket Mode) or listen (HTTP mode) and return the runtime with its notifier.

    ``call`` runs each backend call (pass `Runner.in_worker` so the store stays on its thread).
    Socket Mode pings every ``ping_interval`` seconds, and reconnects when a ping goes
    unanswered or the socket closes, as well as when Slack sends ``disconnect``.
    """
    client = make_client(settings)
    # Tokens Slack refuses stop start-up here (SlackApiError): the Socket Mode client would
    # retry a refused app token forever, and a refused bot token would fail every alert.
    auth = await client.auth_test()
    lacking = tuple(missing_scopes(auth.headers.get("x-oauth-scopes")))
    if settings.mode == "socket":
        opener = AsyncWebClient(base_url=settings.api_base_url)
        await opener.apps_connections_open(app_token=settings.app_token or "")
    app = make_app(settings, lambda: backend, client, call)
    notifier = SlackNotifier(client, min_interval=min_interval)
    if settings.mode == "socket":
        handler = AsyncSocketModeHandler(
            app, app_token=settings.app_token, ping_interval=ping_interval
        )
        await handler.connect_async()
        log.info("Slack connected in Socket Mode")
        return SlackRuntime(app=app, notifier=notifier, socket=handler, lacking_scopes=lacking)
    served = app.web_app(path=settings.path, port=settings.port)
    served.middlewares.append(request_guard(settings.path))  # malformed and replayed: 401
    runner = web.AppRunner(served)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else settings.port
    log.info("Slack HTTP endpoint on %s:%s%s", settings.host, bound, settings.path)
    return SlackRuntime(
        app=app, notifier=notifier, site_runner=runner, port=bound, lacking_scopes=lacking
    )
