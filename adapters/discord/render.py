"""Alerts and command replies as Discord embed dicts, within Discord's limits.

Pure functions over the core's models: the notifier and the command handlers turn these dicts
into `discord.Embed.from_dict`, and the tests compare them with saved embeds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core import presentation
from bot.core.models import Alert, DiffOp, Event, EventType, Reply, Severity

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

_MARKDOWN = re.compile(r"([\\*_~`|>\[\]])")


def escape(text: str) -> str:
    """Text shown as written: Discord markdown characters are backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word and ending in an ellipsis (`shorten`)."""
    return presentation.shorten(text, limit, _whole)


def _whole(cut: str) -> str:
    """``cut`` without a lone escaping backslash or half a link (``[name](https://…``)."""
    link = cut.rfind("[")
    if link != -1 and (link == 0 or cut[link - 1] != "\\") and ")" not in cut[link:]:
        cut = cut[:link]
    return cut[:-1] if cut.endswith("\\") and not cut.endswith("\\\\") else cut


def render_diff(diff: Sequence[DiffOp]) -> str:
    """The word diff in Discord markdown: ~~removed~~ **added**, unchanged words as they are."""
    return MARKUP.diff(diff)


def _link(outlet: str, url: str) -> str:
    name = escape(presentation.outlet_name(outlet))
    return f"[{name}]({url})" if url.startswith(("http://", "https://")) else name


STRUCK, BOLD = presentation.marked("~~", "~~"), presentation.marked("**", "**")
MARKUP = presentation.Markup(text=escape, removed=STRUCK, added=BOLD, link=_link)


def _colour(event: Event) -> int:
    """The kind's colour; an alteration, which has none of its own, its severity's."""
    return TYPE_COLOURS.get(event.type, COLOURS[event.severity or Severity.MEDIUM])


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


def render_alert(alert: Alert) -> dict[str, Any]:
    """One alert as an embed dict: quote, speaker, outlet link, relation, diff, first appearance."""
    event = alert.event
    title, body = presentation.alert_title(event), presentation.alert_body(event, MARKUP)
    embed = _embed(title, body, _colour(event), presentation.alert_facts(event, MARKUP))
    if event.article_url.startswith(("http://", "https://")):
        embed["url"] = event.article_url
    embed["footer"] = {"text": presentation.alert_ref(alert)}
    return fit_total(embed)


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
            lines_left, fields_left = sum(len(p[0]) for p in hidden), sum(len(p[1]) for p in hidden)
            left = presentation.left_out(lines_left, fields_left)
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
