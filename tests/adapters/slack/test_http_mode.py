"""HTTP mode: bolt verifies every request's signature before any handler runs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.runtime import SlackRuntime, start_slack
from tests.adapters.slack.conftest import SECRET, http_settings, next_response, slash
from tests.adapters.slack.fake_backend import RecordingBackend
from tests.adapters.slack.standin import SlackStandIn


@pytest.fixture
async def http_app(standin: SlackStandIn, backend: RecordingBackend) -> AsyncIterator[SlackRuntime]:
    runtime = await start_slack(http_settings(standin), backend, min_interval=0)
    yield runtime
    await runtime.close()


async def post_signed(
    runtime: SlackRuntime, body: str, *, secret: str = SECRET, age: int = 0
) -> int:
    ts = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    url = f"http://127.0.0.1:{runtime.port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


async def test_http_mode_accepts_a_signed_command(
    standin: SlackStandIn, http_app: SlackRuntime, backend: RecordingBackend
) -> None:
    body = urlencode(slash(standin, "speaker Mara Quillon"))
    assert await post_signed(http_app, body) == 200
    answer = await next_response(standin)
    assert answer["text"].startswith("speaker done")
    assert backend.calls == [("speaker", ("Mara Quillon",))]


async def test_http_mode_refuses_bad_and_stale_signatures(
    standin: SlackStandIn, http_app: SlackRuntime, backend: RecordingBackend
) -> None:
    body = urlencode(slash(standin, "speaker Mara Quillon"))
    assert await post_signed(http_app, body, secret="not-the-secret") == 401
    assert await post_signed(http_app, body, age=6 * 60) == 401
    url = f"http://127.0.0.1:{http_app.port}/slack/events"
    async with aiohttp.ClientSession() as session, session.post(url, data=body) as r:
        assert r.status == 401  # unsigned
    assert backend.calls == []
