"""Alerts and command replies as Slack Block Kit messages, within Slack's limits.

Pure functions over the core's models: every message is ``{"text": fallback, "blocks": [...]}``;
the notifier and the listeners post these, and the tests compare them with saved JSON. Every
message fits Slack's published limits (`fits`): what is cut ends in an ellipsis, and a reply
too long for one message is split into pages, the last one saying what was left out. Text we
quote is never parsed for mentions: mrkdwn objects are ``verbatim`` and ``<``, ``>``, ``&`` and
``@here``/``@channel``/``@everyone`` are neutralised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core import presentation
from bot.core.models import Alert, DiffOp, Reply

SECTION_MAX = 3000
FIELD_MAX = 2000
FIELDS_PER_SECTION = 10
FIELDS_SECTION_TEXT_MAX = 2 * SECTION_MAX  # so one section of fields always fits a page
FALLBACK_MAX = 3000
HEADER_MAX = 150
BLOCKS_MAX = 50
# Slack refuses messages whose blocks hold about 13k characters (`msg_blocks_too_long`); every
# text of every block counts against this budget, with room to spare.
MESSAGE_TEXT_MAX = 12_000
REPLY_PAGES_MAX = 4  # a response_url takes five answers; one is kept for a later error
BUTTON_TEXT_MAX = 75
BODY_SECTIONS_MAX = 3  # an alert's body (a digest's lines) in up to three sections
PAGE_MARK_MAX = 10  # " (2/4)" after a page's title
NOTE_MAX = 200  # the last page's line on what was left out
COUNTER_BLOCK = "verbatim_counter"
REF_BLOCK = "alert_ref_"  # the context block naming the alert, on every alert
MUTE, FALSE_POSITIVE, SOURCES = "verbatim_mute", "verbatim_false_positive", "verbatim_sources"

Message = dict[str, Any]


_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """Text shown as written: Slack's three control characters escaped, and a word joiner after
    the @ of @here/@channel/@everyone so a quote can never notify a channel."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060\\1", text)


def _whole(cut: str) -> str:
    """``cut`` without a half entity (``&am``) or a half link (``<https://…``) at its end."""
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    link = cut.rfind("<")
    if link != -1 and ">" not in cut[link:]:
        cut = cut[:link]
    return cut


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word with an ellipsis (`shorten`), never inside
    an entity (``&amp;``) or a link (``<url|name>``)."""
    return presentation.shorten(text, limit, _whole)


def render_diff(diff: Sequence[DiffOp]) -> str:
    """The word diff in mrkdwn: ~removed~ *added*, unchanged words as they are."""
    return MARKUP.diff(diff)


def _link(outlet: str, url: str) -> str:
    name = escape(presentation.outlet_name(outlet)).replace("|", "¦")
    if not url.startswith(("http://", "https://")):
        return name
    target = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
    target = target.replace("|", "%7C").replace(" ", "%20")
    return f"<{target}|{name}>"


# Slack's mrkdwn for the core's words; a mark (~ or *) must hug the words it marks.
STRUCK, BOLD = presentation.marked("~", "~"), presentation.marked("*", "*")
MARKUP = presentation.Markup(text=escape, removed=STRUCK, added=BOLD, link=_link)


def split_lines(text: str, limit: int, parts_max: int) -> list[str]:
    """``text`` in at most ``parts_max`` parts of at most ``limit`` characters, split between
    lines (a longer line is cut with an ellipsis); past them, the last part says how many lines
    were left out. A long digest stays whole where it fits, and says so where it does not."""
    lines = text.split("\n") if text else []
    parts: list[list[str]] = []
    for at, line in enumerate(lines):
        line = clip(line, limit)
        if parts and len("\n".join([*parts[-1], line])) <= limit:
            parts[-1].append(line)
            continue
        if len(parts) == parts_max:
            note = f"… {len(lines) - at} more lines not shown"
            while parts[-1] and len("\n".join([*parts[-1], note])) > limit:
                parts[-1].pop()
                at -= 1
                note = f"… {len(lines) - at} more lines not shown"
            parts[-1].append(note)
            break
        parts.append([line])
    return ["\n".join(part) for part in parts]


def _mrkdwn(text: str, limit: int = SECTION_MAX) -> dict[str, Any]:
    # ``verbatim``: Slack leaves the text as written (no auto-links, no parsed mentions).
    return {"type": "mrkdwn", "text": clip(text, limit) or " ", "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "context", **extra, "elements": [_mrkdwn(text)]}


def _button(text: str, action: str, alert_id: int, value: int) -> dict[str, Any]:
    # action_id must be unique within a message: a folded burst holds several alerts' buttons.
    label = {"type": "plain_text", "text": clip(text, BUTTON_TEXT_MAX)}
    return {
        "type": "button",
        "text": label,
        "action_id": f"{action}:{alert_id}",
        "value": str(value),
    }


def alert_blocks(alert: Alert) -> list[dict[str, Any]]:
    event = alert.event
    title = presentation.alert_title(event)
    header = {"type": "plain_text", "text": clip(title, HEADER_MAX)}
    blocks: list[dict[str, Any]] = [{"type": "header", "text": header}]
    body = presentation.alert_body(event, MARKUP)
    blocks += [_section(part) for part in split_lines(body, SECTION_MAX, BODY_SECTIONS_MAX)]
    facts = presentation.alert_facts(event, MARKUP)
    if facts:
        blocks.append(_section("\n".join(f"*{label}:* {value}" for label, value in facts)))
    ref = presentation.alert_ref(alert)
    blocks.append(_context(ref, block_id=f"{REF_BLOCK}{alert.id}"))  # found again by its id
    # Each button acts on the statement the alert names, so an alert naming none (a notice, a
    # topic match no quote made) has none, as on Discord (`adapters.discord.buttons`).
    if event.statement_id is not None:
        buttons = [
            _button("Mute this story", MUTE, alert.id, event.statement_id),
            _button("Mark as false positive", FALSE_POSITIVE, alert.id, alert.id),
            _button("Show all sources", SOURCES, alert.id, event.statement_id),
        ]
        blocks.append({"type": "actions", "block_id": f"alert_{alert.id}", "elements": buttons})
    return blocks


def alert_fallback(alert: Alert) -> str:
    """The notification text: title, quote and outlet, without markup."""
    return clip(escape(presentation.alert_summary(alert.event)), FALLBACK_MAX)


def render_alert(alert: Alert) -> Message:
    """One alert: quote, speaker, outlet link, relation, diff, first appearance, buttons; a
    channel's mention (high severity only) opens the text and the first section."""
    blocks = alert_blocks(alert)
    ping = mention_markup(alert.event.mention)
    if ping is None:
        return {"text": alert_fallback(alert), "blocks": blocks}
    return {
        "text": f"{ping} {alert_fallback(alert)}",
        "blocks": [blocks[0], _section(ping), *blocks[1:]],
    }


def mention_markup(mention: str | None) -> str | None:
    """Slack's markup for a mention: ``<!here>``, ``<!channel>``, ``<!subteam^S0123>``."""
    if not mention:
        return None
    if mention in ("@here", "@channel"):
        return f"<!{mention[1:]}>"
    if mention.isdigit():  # a Discord role id: nobody to ping on Slack
        return None
    return f"<!subteam^{mention}>"


def _texts(value: Any) -> list[str]:
    """Every text of a block structure (text objects, field texts, button labels)."""
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    if not isinstance(value, dict):
        return []
    found = [value["text"]] if isinstance(value.get("text"), str) else []
    for key, inner in value.items():
        if key != "text" or not isinstance(inner, str):
            found += _texts(inner)
    return found


def text_size(blocks: Sequence[dict[str, Any]]) -> int:
    """The characters of all of a message's blocks' texts, as Slack's size check counts them."""
    return sum(len(t) for t in _texts(list(blocks)))


def fits(message: Message) -> bool:
    """Whether one message is within Slack's block count and total size."""
    blocks = message["blocks"]
    return len(blocks) <= BLOCKS_MAX and text_size(blocks) <= MESSAGE_TEXT_MAX


def fold_alerts(alerts: Sequence[Alert]) -> tuple[Message, int]:
    """The first of ``alerts`` and as many of the next as fit, folded into one message (a burst,
    never dropped): returns the message and how many alerts it holds; the rest wait."""
    if len(alerts) == 1:
        return render_alert(alerts[0]), 1
    blocks = alert_blocks(alerts[0])
    used = 1
    for alert in alerts[1:]:
        more = [{"type": "divider"}, *alert_blocks(alert)]
        if not fits({"blocks": blocks + more}):
            break
        blocks += more
        used += 1
    if used == 1:
        return render_alert(alerts[0]), 1
    text = f"{used} alerts: " + "; ".join(alert_fallback(a) for a in alerts[:used])
    return {"text": clip(text, FALLBACK_MAX), "blocks": blocks}, used


def with_counter(message: Message, summary: Reply) -> Message:
    """The thread head again, its "picked up by N outlets" line added or replaced."""
    blocks = [b for b in message.get("blocks", []) if b.get("block_id") != COUNTER_BLOCK]
    text = str(message.get("text", ""))
    if len(blocks) < len(message.get("blocks", [])):  # drop the old counter from the text too
        text = text.rsplit(" · ", 1)[0]
    counter = _context(escape(summary.title), block_id=COUNTER_BLOCK)
    at = next((i for i, b in enumerate(blocks) if b.get("type") == "actions"), len(blocks))
    blocks.insert(at, counter)
    text = clip(f"{text} · {summary.title}", FALLBACK_MAX)
    return {"text": text, "blocks": blocks}


# One piece of a reply: a block, its lines as plain text, and how many lines and fields it holds.
_Unit = tuple[dict[str, Any], list[str], int, int]


def _reply_units(reply: Reply) -> list[_Unit]:
    units: list[_Unit] = []
    chunk: list[str] = []
    for line in reply.lines:
        shown = clip(escape(line), SECTION_MAX)
        if chunk and len("\n".join([*chunk, shown])) > SECTION_MAX:
            units.append((_section("\n".join(chunk)), chunk, len(chunk), 0))
            chunk = []
        chunk.append(shown)
    if chunk:
        units.append((_section("\n".join(chunk)), chunk, len(chunk), 0))
    group: list[dict[str, Any]] = []
    for key, value in reply.fields:
        field = _mrkdwn(f"*{escape(key)}*\n{escape(value)}", FIELD_MAX)
        size = sum(len(f["text"]) for f in group) + len(field["text"])
        if group and (len(group) == FIELDS_PER_SECTION or size > FIELDS_SECTION_TEXT_MAX):
            units.append(({"type": "section", "fields": group}, [], 0, len(group)))
            group = []
        group.append(field)
    if group:
        units.append(({"type": "section", "fields": group}, [], 0, len(group)))
    return units


def render_reply_pages(reply: Reply, max_pages: int = REPLY_PAGES_MAX) -> list[Message]:
    """A command's answer as one message or several (title, lines, fields), each within Slack's
    limits; past ``max_pages`` the last page says how many lines and fields were left out."""
    mark = "" if reply.ok else ":warning: "
    title = clip(f"{mark}*{escape(reply.title)}*", SECTION_MAX - PAGE_MARK_MAX)
    room = MESSAGE_TEXT_MAX - len(title) - PAGE_MARK_MAX - NOTE_MAX
    pages: list[list[_Unit]] = [[]]
    for unit in _reply_units(reply):
        page = pages[-1]
        size = sum(text_size([u[0]]) for u in page) + text_size([unit[0]])
        if page and (size > room or len(page) + 1 > BLOCKS_MAX - 2):
            pages.append([])
        pages[-1].append(unit)
    shown, hidden = pages[:max_pages], [u for page in pages[max_pages:] for u in page]
    messages: list[Message] = []
    for number, page in enumerate(shown, 1):
        heading = title + (f" ({number}/{len(shown)})" if len(shown) > 1 else "")
        blocks = [_section(heading), *(u[0] for u in page)]
        if number == len(shown) and hidden:
            note = presentation.left_out(sum(u[2] for u in hidden), sum(u[3] for u in hidden))
            blocks.append(_context(note))
        lines = [escape(reply.title), *(line for u in page for line in u[1])]
        text = clip("\n".join(lines), FALLBACK_MAX).strip() or "Verbatim"  # never empty
        messages.append({"text": text, "blocks": blocks})
    return messages


def render_reply(reply: Reply) -> Message:
    """A command's answer in one message (what does not fit is counted in a last line)."""
    return render_reply_pages(reply, max_pages=1)[0]
