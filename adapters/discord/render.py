"""Alerts and command replies as Discord embed dicts, within Discord's limits.

Pure functions over the core's models: the notifier and the command handlers turn these dicts
into `discord.Embed.from_dict`, and the tests compare them with saved embeds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.models import Alert, Change, DiffOp, Event, EventType, Reply, Severity

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
EMBED_TOTAL_MAX = 6000

COLOURS = {
    Severity.HIGH: 0xD83C3E,
    Severity.MEDIUM: 0xE8912D,
    Severity.LOW: 0x8A939B,
}
TYPE_COLOURS = {
    EventType.NEW_STATEMENT: 0x3B82C4,
    EventType.REPEAT: 0x8A939B,
    EventType.DISPUTE: 0x8E44AD,
    EventType.MISATTRIBUTION: 0xD83C3E,
    EventType.TOPIC: 0x16A085,
    EventType.FEED_NOTICE: 0x5D6D7E,
    EventType.DIGEST: 0x2E86C1,
}
OK_COLOUR = 0x2E9E5B
ERROR_COLOUR = 0xD83C3E

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

_MARKDOWN = re.compile(r"([\\*_~`|>\[\]])")


def escape(text: str) -> str:
    """Text shown as written: Discord markdown characters are backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_diff(diff: Sequence[DiffOp]) -> str:
    """The word diff in Discord markdown: ~~removed~~ **added**, unchanged words as they are."""
    parts: list[str] = []
    for op in diff:
        if op.op == "equal" and op.before:
            parts.append(escape(op.before))
        if op.op in ("delete", "replace") and op.before.strip():
            parts.append(f"~~{escape(op.before.strip())}~~")
        if op.op in ("insert", "replace") and op.after.strip():
            parts.append(f"**{escape(op.after.strip())}**")
    return " ".join(parts)


def _quoted(text: str | None) -> str:
    return f"“{escape(text)}”" if text else ""


def _link(outlet: str, url: str) -> str:
    name = escape(outlet or "unknown outlet")
    return f"[{name}]({url})" if url.startswith(("http://", "https://")) else name


def _change(change: Change) -> str:
    """``number (high): 4,000 → 400``; the words only when the change has them."""
    line = f"{change.kind.value} ({change.severity.value})"
    if change.before.strip() or change.after.strip():
        line += f": {escape(change.before) or '∅'} → {escape(change.after) or '∅'}"
    return line


def _colour(event: Event) -> int:
    if event.type is EventType.ALTER:
        return COLOURS[event.severity or Severity.MEDIUM]
    return TYPE_COLOURS.get(event.type, COLOURS[Severity.LOW])


def _description(event: Event) -> str:
    if event.type is EventType.ALTER and event.diff:
        return render_diff(event.diff)
    if event.type is EventType.DISPUTE:
        return _quoted(event.canonical or event.quote)
    if event.type is EventType.TOPIC:
        return "\n".join(p for p in (escape(event.title), _quoted(event.quote)) if p)
    if event.type.is_notice:
        return escape(event.detail or "")
    return _quoted(event.quote)


def _fields(event: Event) -> list[tuple[str, str]]:
    who = escape(event.speaker) if event.speaker else "unknown speaker"
    fields: list[tuple[str, str]] = []
    if event.type is EventType.MISATTRIBUTION:
        fields.append(("Credited to", escape(event.credited_to or "someone else")))
        fields.append(("Said by", who))
    elif not event.type.is_notice:
        fields.append(("Speaker", who))
    if event.type is EventType.DISPUTE:
        by = escape(event.disputed_by) if event.disputed_by else f"{escape(event.outlet)} itself"
        fields.append(("Disputed by", by))
        fields.append(("Evidence", escape(event.evidence or "") or "—"))
    if event.type is EventType.TOPIC and event.topic:
        fields.append(("Topic", escape(event.topic)))
    if not event.type.is_notice:
        fields.append(("Outlet", _link(event.outlet, event.article_url)))
    if event.also_in:
        fields.append(("Also carried by", escape(", ".join(event.also_in))))
    if event.changes:
        fields.append(("Changes", "\n".join(_change(c) for c in event.changes)))
    if event.type is EventType.ALTER and event.canonical:
        fields.append(("Statement", _quoted(event.canonical)))
    if event.first and event.type is not EventType.NEW_STATEMENT:
        when = event.first.published.date().isoformat() if event.first.published else "date unknown"
        fields.append(("First appeared", f"{_link(event.first.outlet, event.first.url)}, {when}"))
    return fields


def _embed(title: str, description: str, colour: int, fields: Sequence[tuple[str, str]]) -> dict:
    embed: dict[str, Any] = {"title": clip(title, TITLE_MAX), "color": colour, "type": "rich"}
    if description:
        embed["description"] = clip(description, DESCRIPTION_MAX)
    rows = [
        {"name": clip(name, FIELD_NAME_MAX), "value": clip(value or "—", FIELD_VALUE_MAX)}
        for name, value in list(fields)[:FIELDS_MAX]
    ]
    if rows:
        embed["fields"] = rows
    return _within_total(embed)


def _within_total(embed: dict[str, Any]) -> dict[str, Any]:
    """Discord refuses an embed over 6,000 characters in all: shorten the description first."""
    total = embed_length(embed)
    if total > EMBED_TOTAL_MAX and "description" in embed:
        keep = max(1, len(embed["description"]) - (total - EMBED_TOTAL_MAX))
        embed["description"] = clip(embed["description"], keep)
    while embed_length(embed) > EMBED_TOTAL_MAX and embed.get("fields"):
        embed["fields"].pop()
    return embed


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts against the 6,000 total."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    return total + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))


def alert_title(event: Event) -> str:
    title = TITLES.get(event.type, event.type.value)
    if event.type is EventType.ALTER and event.severity:
        title += f" ({event.severity.value})"
    if event.type is EventType.TOPIC and event.topic:
        title += f": {event.topic}"
    elif event.speaker and not event.type.is_notice:
        title += f": {event.speaker}"
    return title


def render_alert(alert: Alert) -> dict[str, Any]:
    """One alert as an embed dict: quote, speaker, outlet link, relation, diff, first appearance."""
    event = alert.event
    embed = _embed(alert_title(event), _description(event), _colour(event), _fields(event))
    if event.article_url.startswith(("http://", "https://")):
        embed["url"] = event.article_url
    ref = f"alert #{alert.id}"
    if event.statement_id is not None:
        ref = f"statement #{event.statement_id} · {ref}"
    embed["footer"] = {"text": ref}
    return embed


def render_reply(reply: Reply) -> dict[str, Any]:
    """A command's answer as an embed: title, lines as the description, fields as fields."""
    colour = OK_COLOUR if reply.ok else ERROR_COLOUR
    description = "\n".join(reply.lines)
    return _embed(reply.title, description, colour, reply.fields)


def thread_name(alert: Alert) -> str:
    """A thread title (at most 100 characters) naming the statement."""
    event = alert.event
    words = event.canonical or event.quote or event.title or "statement"
    who = f"{event.speaker}: " if event.speaker else ""
    return clip(f"{who}{words}", 100)
