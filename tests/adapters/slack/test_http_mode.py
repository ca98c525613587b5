"""HTTP mode: bolt verifies every request's signature before any handler runs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.replay import WINDOW_SECONDS, SeenSignatures
from adapters.slack.runtime import SlackRuntime, start_slack
from tests.adapters.slack.conftest import SECRET, http_settings, next_response, slash
from tests.adapters.slack.standin import SlackStandIn
from tests.fakes import RecordingBackend


@pytest.fixture
async def http_app(standin: SlackStandIn, backend: RecordingBackend) -> AsyncIterator[SlackRuntime]:
    runtime = await start_slack(http_settings(standin), backend, min_interval=0)
    yield runtime
    await runtime.close()


def signed(body: str, *, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    ts = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": str(signature),
    }


async def post(runtime: SlackRuntime, body: str, headers: dict[str, str]) -> int:
    url = f"http://127.0.0.1:{runtime.port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


async def post_signed(
    runtime: SlackRuntime, body: str, *, secret: str = SECRET, age: int = 0
) -> int:
    return await post(runtime, body, signed(body, secret=secret, age=age))


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


@pytest.mark.parametrize("stamp", ["soon", "", "1e9", "١٧٠٠٠٠٠٠٠٠", "-5", "9" * 40])
async def test_a_malformed_timestamp_is_refused_with_401_not_500(
    standin: SlackStandIn, http_app: SlackRuntime, backend: RecordingBackend, stamp: str
) -> None:
    body = urlencode(slash(standin, "speaker Mara Quillon"))
    headers = {**signed(body), "X-Slack-Request-Timestamp": stamp}
    assert await post(http_app, body, headers) == 401
    assert backend.calls == []


async def test_a_signed_request_replayed_within_the_window_runs_once(
    standin: SlackStandIn, http_app: SlackRuntime, backend: RecordingBackend
) -> None:
    body = urlencode(slash(standin, "speaker Mara Quillon"))
    headers = signed(body)
    assert await post(http_app, body, headers) == 200
    await next_response(standin)
    assert await post(http_app, body, headers) == 401  # the same signature again: a replay
    fresh = signed(urlencode(slash(standin, "speaker Mara Quillon", name="r2")))
    assert await post(http_app, urlencode(slash(standin, "speaker Mara Quillon", name="r2")),
                      fresh) == 200  # fmt: skip
    await next_response(standin)
    assert backend.calls == [("speaker", ("Mara Quillon",))] * 2


def test_seen_signatures_are_forgotten_after_the_window() -> None:
    now = [0.0]
    seen = SeenSignatures(clock=lambda: now[0])
    assert seen.first_time("v0=a") and not seen.first_time("v0=a")
    now[0] += WINDOW_SECONDS + 1
    assert seen.first_time("v0=a")  # bolt refuses it as stale by now anyway
