"""Alerts, digests and replies of any size through the Discord renderer, checked by the strict
stand-in's own rules (`limits.refusal`): nothing Discord would refuse, nothing cut without an
ellipsis, nothing left out of a reply without a note that counts it."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings

from adapters.discord import render
from adapters.discord.buttons import alert_view
from bot.core.models import Alert, Reply
from tests.adapters.discord.limits import refusal
from tests.adapters.sizes import alerts, assert_cut_with_ellipsis, assert_paged, replies

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)


@SETTINGS
@given(alerts(channel="discord:1"))
def test_any_alert_or_digest_is_accepted_and_cut_only_with_an_ellipsis(alert: Alert) -> None:
    embed = render.render_alert(alert)
    view = alert_view(alert)
    components = view.to_components() if view is not None else []
    assert refusal({"embeds": [embed], "components": components}) is None
    with patch.object(render, "clip", lambda text, limit: text):
        whole = render.render_alert(alert)
    assert_cut_with_ellipsis(embed, whole)
    name = render.thread_name(alert)
    assert len(name) <= 100


@SETTINGS
@given(replies())
def test_any_reply_is_paged_within_discord_limits_and_counts_what_it_leaves_out(
    reply: Reply,
) -> None:
    assert_paged(reply, render.render_reply_pages, render.REPLY_PAGES_MAX, alone, str)


def alone(page: dict[str, Any]) -> dict[str, Any] | None:
    """Discord's refusal of ``page`` as the one embed of a message: within its own 6,000."""
    return refusal({"embeds": [page]})
