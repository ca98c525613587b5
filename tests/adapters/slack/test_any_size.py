"""Alerts, digests and replies of any size through the Slack renderer, checked by the strict
stand-in's own rules (`limits.refusal`): nothing Slack would refuse, nothing cut without an
ellipsis, nothing left out of a reply without a note that counts it."""

from __future__ import annotations

import re
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack import render
from bot.core.models import Alert, Reply
from bot.core.presentation import alert_body
from tests.adapters.sizes import (
    alerts,
    assert_cut_with_ellipsis,
    assert_paged,
    is_cut_of,
    replies,
    text,
)
from tests.adapters.slack.limits import refusal

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)


def uncut(fn: Any, *args: Any) -> Any:
    """What the renderer would produce without any limit (the body as one placeholder)."""
    with (
        patch.object(render, "clip", lambda text, limit: text),
        patch.object(render, "split_lines", one_body),
    ):
        return fn(*args)


def one_body(text: str, limit: int, parts_max: int) -> list[str]:
    return ["(body)"] if text else []


def assert_lines_kept(parts: list[str], text: str, limit: int, parts_max: int) -> None:
    """Every line of ``text`` in order, whole or cut with an ellipsis, or counted in a note."""
    assert len(parts) <= parts_max and all(len(p) <= limit for p in parts)
    shown = "\n".join(parts).split("\n") if parts else []
    lines = text.split("\n") if text else []
    note = re.fullmatch(r"… (\d+) more lines not shown", shown[-1]) if shown else None
    if note:
        shown = shown[:-1]
        assert len(shown) + int(note[1]) == len(lines)
    else:
        assert len(shown) == len(lines)
    for got, line in zip(shown, lines, strict=False):
        assert got == line or is_cut_of(got, line)


@SETTINGS
@given(alerts())
def test_any_alert_or_digest_is_accepted_and_cut_only_with_an_ellipsis(alert: Alert) -> None:
    message = render.render_alert(alert)
    assert refusal(message) is None
    with patch.object(render, "split_lines", one_body):
        assert_cut_with_ellipsis(render.render_alert(alert), uncut(render.render_alert, alert))
    body = alert_body(alert.event, render.MARKUP)
    parts = render.split_lines(body, render.SECTION_MAX, render.BODY_SECTIONS_MAX)
    assert_lines_kept(parts, body, render.SECTION_MAX, render.BODY_SECTIONS_MAX)


@SETTINGS
@given(text(80), st.integers(100, 3000), st.integers(1, 4))
def test_a_long_body_is_split_between_lines_and_says_what_it_left_out(
    body: str, limit: int, parts_max: int
) -> None:
    assert_lines_kept(render.split_lines(body, limit, parts_max), body, limit, parts_max)


@settings(SETTINGS, max_examples=20)  # eight big alerts an example: fewer examples
@given(st.lists(alerts(), min_size=2, max_size=8, unique_by=lambda a: a.id))
def test_any_burst_folds_into_messages_slack_accepts(burst: list[Alert]) -> None:
    rest = list(burst)
    while rest:
        message, used = render.fold_alerts(rest)
        assert used >= 1 and refusal(message) is None
        rest = rest[used:]


@SETTINGS
@given(replies())
def test_any_reply_is_paged_within_slack_limits_and_counts_what_it_leaves_out(
    reply: Reply,
) -> None:
    assert_paged(reply, render.render_reply_pages, render.REPLY_PAGES_MAX, refusal, page_text)


def page_text(page: Any) -> str:
    return "".join(str(t) for t in render._texts(page["blocks"]))
