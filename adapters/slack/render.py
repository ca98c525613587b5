"""Alerts and command replies as Slack Block Kit messages, within Slack's limits.

Pure functions over the core's models: every message is ``{"text": fallback, "blocks": [...]}``;
the notifier and the listeners post these, and the tests compare them with saved JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.models import Alert, DiffOp, Event, EventType, Reply

SECTION_MAX = 3000
FALLBACK_MAX = 3000
HEADER_MAX = 150
BLOCKS_MAX = 50
COUNTER_BLOCK = "verbatim_counter"
MUTE, FALSE_POSITIVE, SOURCES = "verbatim_mute", "verbatim_false_positive", "verbatim_sources"

TITLES = {
    EventType.NEW_STATEMENT: "New statement",
    EventType.REPEAT: "Repeated",
    EventType.ALTER: "Altered quote",
    EventType.MISATTRIBUTION: "Misattributed quote",
    EventType.DISPUTE: "Disputed statement",
    EventType.TOPIC: "Topic match",
    EventType.FEED_NOTICE: "Feed notice",
    EventType.DIGEST: "Daily digest",
}
Message = dict[str, Any]


def escape(text: str) -> str:
    """Text shown as written: Slack's three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in an ellipsis when cut, never inside an entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def _mark(text: str, mark: str) -> str:
    """Wrap each run of words in a Slack mark (~ or *), which must hug the words."""
    words = escape(text.strip())
    return f"{mark}{words}{mark}" if words else ""


def render_diff(diff: Sequence[DiffOp]) -> str:
    """The word diff in mrkdwn: ~removed~ *added*, unchanged words as they are."""
    parts: list[str] = []
    for op in diff:
        if op.op == "equal" and op.before.strip():
            parts.append(escape(op.before.strip()))
        if op.op in ("delete", "replace"):
            parts.append(_mark(op.before, "~"))
        if op.op in ("insert", "replace"):
            parts.append(_mark(op.after, "*"))
    return " ".join(p for p in parts if p)


def _quoted(text: str | None) -> str:
    return f"“{escape(text)}”" if text else ""


def _link(outlet: str, url: str) -> str:
    name = escape(outlet or "unknown outlet").replace("|", "¦")
    return f"<{url}|{name}>" if url.startswith(("http://", "https://")) else name


def alert_title(event: Event) -> str:
    title = TITLES.get(event.type, event.type.value)
    if event.type is EventType.ALTER and event.severity:
        title += f" ({event.severity.value})"
    if event.type is EventType.TOPIC and event.topic:
        title += f": {event.topic}"
    elif event.speaker and not event.type.is_notice:
        title += f": {event.speaker}"
    return title


def _body(event: Event) -> str:
    if event.type is EventType.ALTER and event.diff:
        return render_diff(event.diff)
    if event.type is EventType.DISPUTE:
        return _quoted(event.canonical or event.quote)
    if event.type is EventType.TOPIC:
        return "\n".join(p for p in (escape(event.title), _quoted(event.quote)) if p)
    if event.type.is_notice:
        return escape(event.detail or "")
    return _quoted(event.quote)


def _facts(event: Event) -> list[str]:
    who = escape(event.speaker) if event.speaker else "unknown speaker"
    facts: list[str] = []
    if event.type is EventType.MISATTRIBUTION:
        facts.append(f"*Credited to:* {escape(event.credited_to or 'someone else')}")
        facts.append(f"*Said by:* {who}")
    elif not event.type.is_notice:
        facts.append(f"*Speaker:* {who}")
    if event.type is EventType.DISPUTE:
        by = escape(event.disputed_by) if event.disputed_by else f"{escape(event.outlet)} itself"
        facts.append(f"*Disputed by:* {by}")
        facts.append(f"*Evidence:* {_quoted(event.evidence) or '—'}")
    if not event.type.is_notice:
        facts.append(f"*Outlet:* {_link(event.outlet, event.article_url)}")
    if event.also_in:
        facts.append(f"*Also carried by:* {escape(', '.join(event.also_in))}")
    if event.changes:
        kinds = ", ".join(f"{c.kind.value} ({c.severity.value})" for c in event.changes)
        facts.append(f"*Changes:* {kinds}")
    if event.type is EventType.ALTER and event.canonical:
        facts.append(f"*Statement:* {_quoted(event.canonical)}")
    if event.first and event.type is not EventType.NEW_STATEMENT:
        when = event.first.published.date().isoformat() if event.first.published else "date unknown"
        facts.append(f"*First appeared:* {_link(event.first.outlet, event.first.url)}, {when}")
    return facts


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}}


def _button(text: str, action_id: str, value: int) -> dict[str, Any]:
    label = {"type": "plain_text", "text": text}
    return {"type": "button", "text": label, "action_id": action_id, "value": str(value)}


def alert_blocks(alert: Alert) -> list[dict[str, Any]]:
    event = alert.event
    header = {"type": "plain_text", "text": clip(alert_title(event), HEADER_MAX)}
    blocks: list[dict[str, Any]] = [{"type": "header", "text": header}]
    body = _body(event)
    if body:
        blocks.append(_section(body))
    facts = _facts(event)
    if facts:
        blocks.append(_section("\n".join(facts)))
    ref = f"alert #{alert.id}"
    if event.statement_id is not None:
        ref = f"statement #{event.statement_id} · {ref}"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": ref}]})
    buttons = [_button("Mark as false positive", FALSE_POSITIVE, alert.id)]
    if event.statement_id is not None:
        buttons.insert(0, _button("Mute this story", MUTE, event.statement_id))
        buttons.append(_button("Show all sources", SOURCES, event.statement_id))
    if not event.type.is_notice:
        blocks.append({"type": "actions", "block_id": f"alert_{alert.id}", "elements": buttons})
    return blocks


def alert_fallback(alert: Alert) -> str:
    """The notification text: title, quote and outlet, without markup."""
    event = alert.event
    words = event.quote or event.canonical or event.detail or ""
    text = alert_title(event) + (f": “{words}”" if words else "")
    if not event.type.is_notice:
        text += f" ({event.outlet})"
    return clip(escape(text), FALLBACK_MAX)


def render_alert(alert: Alert) -> Message:
    """One alert: quote, speaker, outlet link, relation, diff, first appearance, buttons."""
    return {"text": alert_fallback(alert), "blocks": alert_blocks(alert)}


def render_batch(alerts: Sequence[Alert]) -> Message:
    """Several alerts for one channel folded into one message (a burst, never dropped)."""
    if len(alerts) == 1:
        return render_alert(alerts[0])
    blocks: list[dict[str, Any]] = []
    for alert in alerts:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(alert_blocks(alert))
    text = f"{len(alerts)} alerts: " + "; ".join(alert_fallback(a) for a in alerts)
    return {"text": clip(text, FALLBACK_MAX), "blocks": blocks[:BLOCKS_MAX]}


def with_counter(message: Message, summary: Reply) -> Message:
    """The thread head again, its "picked up by N outlets" line added or replaced."""
    blocks = [b for b in message.get("blocks", []) if b.get("block_id") != COUNTER_BLOCK]
    text = str(message.get("text", ""))
    if len(blocks) < len(message.get("blocks", [])):  # drop the old counter from the text too
        text = text.rsplit(" · ", 1)[0]
    counter = {
        "type": "context",
        "block_id": COUNTER_BLOCK,
        "elements": [{"type": "mrkdwn", "text": clip(escape(summary.title), SECTION_MAX)}],
    }
    at = next((i for i, b in enumerate(blocks) if b.get("type") == "actions"), len(blocks))
    blocks.insert(at, counter)
    text = clip(f"{text} · {summary.title}", FALLBACK_MAX)
    return {"text": text, "blocks": blocks}


def render_reply(reply: Reply) -> Message:
    """A command's answer: the title in bold, its lines, then its fields."""
    mark = "" if reply.ok else ":warning: "
    blocks: list[dict[str, Any]] = [_section(f"{mark}*{escape(reply.title)}*")]
    chunk: list[str] = []
    for line in reply.lines:
        if chunk and len("\n".join([*chunk, line])) > SECTION_MAX:
            blocks.append(_section("\n".join(chunk)))
            chunk = []
        chunk.append(escape(line))
    if chunk:
        blocks.append(_section("\n".join(chunk)))
    if reply.fields:
        fields = [
            {"type": "mrkdwn", "text": clip(f"*{escape(k)}*\n{escape(v)}", 2000)}
            for k, v in reply.fields[:10]
        ]
        blocks.append({"type": "section", "fields": fields})
    text = "\n".join([reply.title, *reply.lines])
    return {"text": clip(escape(text), FALLBACK_MAX), "blocks": blocks[:BLOCKS_MAX]}
