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
from tests.adapters.slack.limits import refusal
from tests.adapters.slack.sizes import alerts, replies

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)


def uncut(fn: Any, *args: Any) -> Any:
    """What the renderer would produce without any limit."""
    with patch.object(render, "clip", lambda text, limit: text):
        return fn(*args)


def pairs(cut: Any, whole: Any) -> list[tuple[str, str]]:
    """The strings at the same places of two renderings of one structure."""
    if isinstance(cut, dict):
        return [p for k in cut for p in pairs(cut[k], whole[k])]
    if isinstance(cut, list):
        assert len(cut) == len(whole)
        return [p for c, w in zip(cut, whole, strict=True) for p in pairs(c, w)]
    return [(cut, whole)] if isinstance(cut, str) else []


def assert_cut_with_ellipsis(cut: Any, whole: Any) -> None:
    for shown, full in pairs(cut, whole):
        if shown != full:
            assert shown.endswith("…"), f"cut without an ellipsis: {shown[-40:]!r}"
            assert full.startswith(shown[:-1]), "a cut keeps the beginning"


@SETTINGS
@given(alerts())
def test_any_alert_or_digest_is_accepted_and_cut_only_with_an_ellipsis(alert: Alert) -> None:
    message = render.render_alert(alert)
    assert refusal(message) is None
    assert_cut_with_ellipsis(message, uncut(render.render_alert, alert))


@settings(SETTINGS, max_examples=20)  # eight big alerts an example: fewer examples
@given(st.lists(alerts(), min_size=2, max_size=8, unique_by=lambda a: a.id))
def test_any_burst_folds_into_messages_slack_accepts(burst: list[Alert]) -> None:
    rest = list(burst)
    while rest:
        message, used = render.fold_alerts(rest)
        assert used >= 1 and refusal(message) is None
        rest = rest[used:]


def marked(reply: Reply) -> Reply:
    """Each line and field tagged with its number, to find it again in the pages."""
    lines = tuple(f"⟦{n}⟧{line}" for n, line in enumerate(reply.lines))
    fields = tuple((f"⟦f{n}⟧{k}", v) for n, (k, v) in enumerate(reply.fields))
    return Reply(reply.title, lines, reply.ok, fields)


@SETTINGS
@given(replies())
def test_any_reply_is_paged_within_slack_limits_and_counts_what_it_leaves_out(
    reply: Reply,
) -> None:
    reply = marked(reply)
    pages = render.render_reply_pages(reply)
    assert 1 <= len(pages) <= render.REPLY_PAGES_MAX
    for page in pages:
        assert refusal(page) is None
    shown = "".join(str(t) for p in pages for t in render._texts(p["blocks"]))
    lines = [int(n) for n in re.findall(r"⟦(\d+)⟧", shown)]
    fields = [int(n) for n in re.findall(r"⟦f(\d+)⟧", shown)]
    assert lines == list(range(len(lines))) and fields == list(range(len(fields)))  # in order
    note = re.search(r"… (?:(\d+) more lines?)?(?: and )?(?:(\d+) more fields?)? not shown", shown)
    left_lines = int(note[1] or 0) if note else 0
    left_fields = int(note[2] or 0) if note else 0
    assert len(lines) + left_lines == len(reply.lines)
    assert len(fields) + left_fields == len(reply.fields)
