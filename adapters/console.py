"""The console adapter: alerts printed readably, in colour when the terminal supports it.

Without colour, removed words read as [-words-] and added words as {+words+} (git's word diff).
Console delivery is at least once: an alert is marked sent right after it was printed and
flushed, so a process killed between the two prints it again on the next run (never loses it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.core.models import Alert, DiffOp, Event, EventType, Reply
from bot.core.ports import Delivery

_TITLES = {
    EventType.NEW_STATEMENT: "New statement",
    EventType.REPEAT: "Repeated",
    EventType.ALTER: "Altered quote",
    EventType.MISATTRIBUTION: "Misattributed quote",
    EventType.DISPUTE: "Disputed statement",
    EventType.TOPIC: "Topic match",
    EventType.FEED_NOTICE: "Feed notice",
    EventType.DIGEST: "Daily digest",
}


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def removed(self, text: str) -> str:
        return self._wrap("9;31", text) if self.colour else f"[-{text}-]"

    def added(self, text: str) -> str:
        return self._wrap("1;32", text) if self.colour else f"{{+{text}+}}"


def wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or (hasattr(stream, "isatty") and stream.isatty())


def render_diff(diff: Sequence[DiffOp], style: Style) -> str:
    parts: list[str] = []
    for op in diff:
        if op.op == "equal":
            parts.append(op.before)
        if op.op in ("delete", "replace") and op.before:
            parts.append(style.removed(op.before))
        if op.op in ("insert", "replace") and op.after:
            parts.append(style.added(op.after))
    return " ".join(p for p in parts if p)


def render_event(event: Event, style: Style) -> list[str]:
    """The lines of one alert, without the channel header."""
    title = _TITLES.get(event.type, event.type.value)
    if event.severity:
        title += f" ({event.severity.value})"
    who = event.speaker or "unknown speaker"
    if event.type.is_notice:
        lines = [style.bold(event.title or title)]
    else:
        lines = [style.bold(f"{title}: {who}") + style.dim(f"  — {event.outlet}")]
    if event.type is EventType.ALTER and event.diff:
        lines.append("  " + render_diff(event.diff, style))
        kinds = ", ".join(f"{c.kind.value} ({c.severity.value})" for c in event.changes)
        if kinds:
            lines.append(style.dim(f"  changes: {kinds}"))
    elif event.quote:
        lines.append(f"  “{event.quote}”")
    if event.type is EventType.MISATTRIBUTION:
        lines.append(f"  credited to {event.credited_to or 'someone else'}, said by {who}")
    if event.type is EventType.DISPUTE:
        by = event.disputed_by or f"{event.outlet} (in its own voice)"
        lines.append(f"  disputed by {by}: {event.evidence or ''}")
        if event.canonical:
            lines.append(style.dim(f"  statement: “{event.canonical}”"))
    if event.type is EventType.TOPIC:
        lines.append(f"  topic “{event.topic}”: {event.title}")
    if event.type.is_notice and event.detail:
        lines.extend(f"  {line}" for line in event.detail.splitlines())
    if event.attachment:
        lines.append(f"  chart: {event.attachment}")
    if event.also_in:
        lines.append(f"  also carried by: {', '.join(event.also_in)}")
    if event.first and event.type is not EventType.NEW_STATEMENT:
        when = event.first.published.date().isoformat() if event.first.published else "?"
        lines.append(style.dim(f"  first appeared: {event.first.outlet}, {when}"))
    if event.article_url:
        lines.append(style.dim(f"  {event.article_url}"))
    return lines


class ConsoleNotifier:
    """Prints alerts to a stream; threads are the statement id, shown as an indent."""

    platform = "console"

    def __init__(self, stream: TextIO | None = None, colour: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.style = Style(wants_colour(self.stream) if colour is None else colour)
        self.count = 0

    async def send(self, alert: Alert, thread_ref: str | None) -> Delivery:
        self.count += 1
        channel = alert.channel.split(":", 1)[-1]
        head = self.style.dim(f"#{channel}" + (f" ↳ thread {thread_ref}" if thread_ref else ""))
        print(head, file=self.stream)
        for line in render_event(alert.event, self.style):
            print(line, file=self.stream)
        print(file=self.stream, flush=True)
        return Delivery(message_ref=str(self.count), thread_ref=thread_ref or str(self.count))

    async def update_thread(self, thread_ref: str, channel: str, summary: Reply) -> None:
        print(self.style.dim(f"thread {thread_ref}: {summary.title}"), file=self.stream)


def render_reply(reply: Reply) -> str:
    lines = [reply.title, *reply.lines]
    lines += [f"{k}: {v}" for k, v in reply.fields]
    return "\n".join(lines)
