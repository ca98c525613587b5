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

from bot.core.models import Alert, DiffOp, Event, Reply
from bot.core.ports import Delivery
from bot.core.presentation import (
    Markup,
    alert_body,
    alert_facts,
    alert_title,
    is_finding,
    outlet_name,
)


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


def console_markup(style: Style) -> Markup:
    """The core's words as terminal text: a diff in colour, or as git's word diff without; the
    outlet by name (the article's address is printed on the alert's last line)."""
    return Markup(removed=style.removed, added=style.added)


def render_diff(diff: Sequence[DiffOp], style: Style) -> str:
    return console_markup(style).diff(diff)


def render_event(event: Event, style: Style) -> list[str]:
    """The lines of one alert, without the channel header: the title, the body, the facts
    (``speaker: Ada Quill``) and the article's address."""
    markup = console_markup(style)
    title = style.bold(alert_title(event))
    if is_finding(event):
        title += style.dim(f"  — {outlet_name(event.outlet)}")
    lines = [title]
    lines += [f"  {line}" for line in alert_body(event, markup).splitlines()]
    for label, value in alert_facts(event, markup):
        if label not in ("Speaker", "Outlet"):  # the title line names both
            lines.append(f"  {label.lower()}: {value}")
    if event.attachment:
        lines.append(f"  chart: {event.attachment}")
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
