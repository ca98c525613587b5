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
CONTENT_MAX = 2000
REPLY_PAGES_MAX = 5  # the answer and four follow-ups
PAGE_MARK_MAX = 10  # " (2/5)" after a page's title
NOTE_MAX = 200  # the last page's footer on what was left out

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
        {"name": clip(name, FIELD_NAME_MAX) or "—", "value": clip(value or "—", FIELD_VALUE_MAX)}
        for name, value in list(fields)[:FIELDS_MAX]
    ]
    if rows:
        embed["fields"] = rows
    return embed


def fit_total(embed: dict[str, Any]) -> dict[str, Any]:
    """Within Discord's 6,000 characters for all of an embed's text, footer included: the
    longest texts are shortened first, to one common length, each cut ending in an ellipsis.
    Call it last, once every part (footer, author) is in."""
    slots: list[tuple[dict[str, Any], str]] = [(embed, "title"), (embed, "description")]
    slots += [(f, key) for f in embed.get("fields", []) for key in ("value", "name")]
    slots = [(holder, key) for holder, key in slots if holder.get(key)]
    fixed = embed_length(embed) - sum(len(holder[key]) for holder, key in slots)
    budget = EMBED_TOTAL_MAX - fixed
    lengths = [len(holder[key]) for holder, key in slots]
    if sum(lengths) <= budget:
        return embed
    low, high = 1, max(lengths)  # the longest common length that fits
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in lengths) <= budget:
            low = cap
        else:
            high = cap - 1
    for holder, key in slots:
        holder[key] = clip(holder[key], low)
    return embed


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts against the 6,000 total: title, description, field names
    and values, footer text and author name."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
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
    embed["footer"] = {"text": alert_ref(alert)}
    return fit_total(embed)


def alert_ref(alert: Alert) -> str:
    """The footer naming the alert, by which a retry finds it already posted."""
    ref = f"alert #{alert.id}"
    if alert.event.statement_id is not None:
        ref = f"statement #{alert.event.statement_id} · {ref}"
    return ref


def _left_out(lines: int, fields: int) -> str:
    parts = [f"{n} more {word}{'' if n == 1 else 's'}"
             for n, word in ((lines, "line"), (fields, "field")) if n]  # fmt: skip
    return f"… {' and '.join(parts)} not shown: ask for less (a narrower query or one channel)."


def render_reply_pages(reply: Reply, max_pages: int = REPLY_PAGES_MAX) -> list[dict[str, Any]]:
    """A command's answer as one embed or several (title, lines as the description, fields),
    each within Discord's limits; past ``max_pages`` the last one says what was left out."""
    colour = OK_COLOUR if reply.ok else ERROR_COLOUR
    title = clip(reply.title, TITLE_MAX - PAGE_MARK_MAX)
    room = EMBED_TOTAL_MAX - len(title) - PAGE_MARK_MAX - NOTE_MAX
    pages: list[tuple[list[str], list[tuple[str, str]]]] = [([], [])]
    for line in reply.lines:
        lines, fields = pages[-1]
        shown = clip(line, DESCRIPTION_MAX)
        description = len("\n".join([*lines, shown]))
        if (lines or fields) and (fields or description > min(DESCRIPTION_MAX, room)):
            pages.append(([], []))
        pages[-1][0].append(shown)
    for name, value in reply.fields:
        lines, fields = pages[-1]
        pair = (clip(name, FIELD_NAME_MAX) or "—", clip(value or "—", FIELD_VALUE_MAX))
        size = len("\n".join(lines)) + sum(len(n) + len(v) for n, v in [*fields, pair])
        if (lines or fields) and (len(fields) == FIELDS_MAX or size > room):
            pages.append(([], []))
        pages[-1][1].append(pair)
    shown_pages, hidden = pages[:max_pages], pages[max_pages:]
    embeds: list[dict[str, Any]] = []
    for number, (lines, fields) in enumerate(shown_pages, 1):
        mark = f" ({number}/{len(shown_pages)})" if len(shown_pages) > 1 else ""
        embed = _embed(title + mark, "\n".join(lines), colour, fields)
        if number == len(shown_pages) and hidden:
            left = _left_out(sum(len(p[0]) for p in hidden), sum(len(p[1]) for p in hidden))
            embed["footer"] = {"text": left}
        embeds.append(fit_total(embed))
    return embeds


def render_reply(reply: Reply) -> dict[str, Any]:
    """A command's answer as one embed (what does not fit is counted in its footer)."""
    return render_reply_pages(reply, max_pages=1)[0]


def thread_name(alert: Alert) -> str:
    """A thread title (at most 100 characters) naming the statement."""
    event = alert.event
    words = event.canonical or event.quote or event.title or "statement"
    who = f"{event.speaker}: " if event.speaker else ""
    return clip(f"{who}{words}", 100)
