"""What an alert says, in words every renderer shares; Slack, Discord and the console add markup.

`alert_title`, `alert_body` and `alert_facts` decide the words once, each kind of event by its
own `KindWords` in `KINDS`; a renderer passes its `Markup` (how it escapes text, marks a diff
and links an outlet) and lays the result out its own way. `shorten` cuts long text the way a
reader expects: at a word, with an ellipsis, closing a quotation it cut into so the cut never
hides inside the quotation marks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.models import Alert, Appearance, Change, DiffOp, Event, EventType, Severity

# Commands whose answers the whole channel may read; the rest (settings, help, errors) only
# the caller sees. Slack and Discord both follow it.
PUBLIC = frozenset({"quote", "speaker", "story", "digest", "topic list", "feeds list"})

UNKNOWN_OUTLET = "unknown outlet"
UNKNOWN_DATE = "date unknown"
QUOTE_MAX = 200  # a quotation in a list of statements (a reply line)

_CLOSING = {"“": "”", "‘": "’", '"': '"'}


def as_written(words: str) -> str:
    return words


def marked(left: str, right: str) -> Callable[[str], str]:
    """A mark around words: ``marked("~", "~")("not")`` is ``~not~``."""
    return lambda words: f"{left}{words}{right}"


def _outlet_only(outlet: str, url: str) -> str:
    return outlet


_GIT_REMOVED, _GIT_ADDED = marked("[-", "-]"), marked("{+", "+}")  # git's word diff


@dataclass(frozen=True, slots=True)
class Markup:
    """How one platform writes what the core says: how text is escaped, how removed and added
    words are marked (git's word diff by default) and how an outlet links to its article."""

    text: Callable[[str], str] = as_written
    removed: Callable[[str], str] = _GIT_REMOVED
    added: Callable[[str], str] = _GIT_ADDED
    link: Callable[[str, str], str] = _outlet_only

    def quote(self, words: str) -> str:
        """Quoted words, in quotation marks."""
        return f"“{self.text(words)}”"

    def diff(self, ops: Sequence[DiffOp]) -> str:
        """A word diff from the statement to this wording: unchanged words as they are, removed
        and added ones marked."""
        shown: list[str] = []
        for op in ops:
            before, after = self.text(op.before.strip()), self.text(op.after.strip())
            if op.op == "equal" and before:
                shown.append(before)
            if op.op in ("delete", "replace") and before:
                shown.append(self.removed(before))
            if op.op in ("insert", "replace") and after:
                shown.append(self.added(after))
        return " ".join(shown)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 outlet``, ``2 outlets``; ``many`` for a plural that is not the word plus s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def severity_word(severity: Severity | None) -> str:
    """How every renderer names a severity: ``high``, ``medium``, ``low``."""
    return severity.value if severity else ""


def outlet_name(outlet: str | None) -> str:
    return outlet or UNKNOWN_OUTLET


def day_of(published: datetime | None) -> str:
    """A publication's day (``2025-11-02``), or "date unknown"."""
    return published.date().isoformat() if published else UNKNOWN_DATE


def _open_quote(text: str) -> str:
    """The marks that would close the quotations left open in ``text``, or ``""``.

    “ and ‘ open, ” and ’ close what they match (a ’ with no ‘ open is an apostrophe); a
    straight " closes an open " and opens otherwise."""
    stack: list[str] = []
    for char in text:
        if char in "“‘":
            stack.append(char)
        elif char == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append(char)
        elif char in "”’" and stack and _CLOSING[stack[-1]] == char:
            stack.pop()
    return "".join(_CLOSING[mark] for mark in reversed(stack))


def shorten(text: str, limit: int, whole: Callable[[str], str] | None = None) -> str:
    """At most ``limit`` characters. When cut: at a word where one is near, ending in ``…``,
    and a quotation the cut falls inside closed after it (``said “we will open the…”``).
    ``whole`` trims a cut back to where the platform's markup is whole (no half entity)."""
    if len(text) <= limit:
        return text
    room = limit - 1  # for the ellipsis
    while room > 0:
        cut = text[:room]
        if not text[room].isspace():
            space = max(cut.rfind(" "), cut.rfind("\n"))
            if space > room // 2:  # a word boundary in the second half: cut there
                cut = cut[:space]
        if whole is not None:
            cut = whole(cut)
        cut = cut.rstrip() + "…"
        cut += _open_quote(cut)
        if len(cut) <= limit:
            return cut
        # Each character dropped saves itself and at most one closing mark: never overshoot.
        room -= (len(cut) - limit + 1) // 2
    return "…"[:limit]


def quoted(text: str, limit: int = QUOTE_MAX) -> str:
    """``“words”`` in at most ``limit`` characters, cut at a word inside the marks with ``…``."""
    return f"“{shorten(text, max(1, limit - 2))}”"


def evidence_text(evidence: str | None) -> str:
    """The sentence that shows a dispute, its quotation marks balanced: a sentence that begins
    inside a quotation opens with ``“…``, one that ends inside it is closed, and a closing mark
    with nothing to close (``“Devastating.””``) is dropped."""
    text = " ".join((evidence or "").split())
    depth, seen, began_inside = 0, False, False
    kept: list[str] = []
    for char in text:
        if char == "“":
            depth, seen = depth + 1, True
        elif char == "”" and depth:
            depth -= 1
        elif char == "”":
            if seen:
                continue  # a stray mark: nothing is open to close
            began_inside = seen = True  # closes a quotation opened before this sentence
        kept.append(char)
    return ("“…" if began_inside else "") + "".join(kept) + "”" * depth


def change_words(change: Change) -> str:
    """``number (high): 4,000 → 400``; the words only when the change has them."""
    line = f"{change.kind.value} ({severity_word(change.severity)})"
    if change.before.strip() or change.after.strip():
        line += f": {change.before.strip() or '∅'} → {change.after.strip() or '∅'}"
    return line


Fact = tuple[str, str]  # a labelled fact of an alert: ("Speaker", "Ada Quill")


class KindWords:
    """How an alert of one kind reads: its title, its body and the facts only it states.

    The base is an outlet printing a statement (a new statement, a repeat); each kind below
    changes only what it says differently, so no function here asks an event for its type.
    """

    # A finding about coverage, its outlet named beside its title; a notice is the bot's own
    # words, with no outlet to name.
    is_finding = True

    def __init__(self, word: str, *, shows_first: bool = True) -> None:
        self.word = word  # the title's first words: "Altered quote"
        self.shows_first = shows_first  # names where the statement first appeared

    def title(self, event: Event) -> str:
        return f"{self.word}: {event.speaker}" if event.speaker else self.word

    def summary(self, event: Event) -> str:
        """The alert in one plain line, for a notification: its title, the words and outlet."""
        words = event.quote or event.canonical
        return self.title(event) + (f": “{words}”" if words else "") + f" ({event.outlet})"

    def body(self, event: Event, markup: Markup) -> str:
        return _quote(event.quote, markup)

    def about(self, event: Event, markup: Markup) -> list[Fact]:
        """The facts before the outlet: who said it (and who disputes it)."""
        return [("Speaker", _who(event, markup))]

    def outlet(self, event: Event, markup: Markup) -> list[Fact]:
        return [("Outlet", markup.link(outlet_name(event.outlet), event.article_url))]

    def statement(self, event: Event, markup: Markup) -> list[Fact]:
        """The statement as first known, after the changes (an alteration's)."""
        return []


class _Altered(KindWords):
    """The diff in the body, the worst change's severity in the title, the statement after."""

    def title(self, event: Event) -> str:
        word = f"{self.word} ({severity_word(event.severity)})" if event.severity else self.word
        return f"{word}: {event.speaker}" if event.speaker else word

    def body(self, event: Event, markup: Markup) -> str:
        return markup.diff(event.diff) if event.diff else super().body(event, markup)

    def statement(self, event: Event, markup: Markup) -> list[Fact]:
        return [("Statement", markup.quote(event.canonical))] if event.canonical else []


class _Misattributed(KindWords):
    def about(self, event: Event, markup: Markup) -> list[Fact]:
        credited = ("Credited to", markup.text(event.credited_to or "someone else"))
        return [credited, ("Said by", _who(event, markup))]


class _Disputed(KindWords):
    """The disputed statement in the body; who disputes it and the evidence after the speaker."""

    def body(self, event: Event, markup: Markup) -> str:
        return _quote(event.canonical or event.quote, markup)

    def about(self, event: Event, markup: Markup) -> list[Fact]:
        by = event.disputed_by or f"{outlet_name(event.outlet)} (in its own voice)"
        return [
            *super().about(event, markup),
            ("Disputed by", markup.text(by)),
            ("Evidence", markup.text(evidence_text(event.evidence)) or "—"),
        ]


class _TopicMatch(KindWords):
    """Titled by the topic; the story's title above the quote that matched, if one did."""

    def title(self, event: Event) -> str:
        return f"{self.word}: {event.topic}" if event.topic else super().title(event)

    def body(self, event: Event, markup: Markup) -> str:
        parts = (markup.text(event.title) if event.title else "", _quote(event.quote, markup))
        return "\n".join(p for p in parts if p)


class _Notice(KindWords):
    """The bot's own words (a feed's health, a permission, a welcome): titled by its subject,
    its detail as the body, and no speaker or outlet."""

    is_finding = False

    def title(self, event: Event) -> str:
        return f"{self.word}: {event.title}" if event.title else self.word

    def summary(self, event: Event) -> str:
        """Its title and detail: the bot's own words, not in quotation marks."""
        return self.title(event) + (f": {event.detail}" if event.detail else "")

    def body(self, event: Event, markup: Markup) -> str:
        return markup.text(event.detail or "")

    def about(self, event: Event, markup: Markup) -> list[Fact]:
        return []

    def outlet(self, event: Event, markup: Markup) -> list[Fact]:
        return []


class _Digest(_Notice):
    """Titled by its own title (``Digest for slack:C1, …``)."""

    def title(self, event: Event) -> str:
        return event.title or self.word


KINDS: dict[EventType, KindWords] = {
    EventType.NEW_STATEMENT: KindWords("New statement", shows_first=False),
    EventType.REPEAT: KindWords("Repeated"),
    EventType.ALTER: _Altered("Altered quote"),
    EventType.MISATTRIBUTION: _Misattributed("Misattributed quote"),
    EventType.DISPUTE: _Disputed("Disputed statement"),
    EventType.TOPIC: _TopicMatch("Topic match"),
    EventType.FEED_NOTICE: _Notice("Feed notice"),
    EventType.DIGEST: _Digest("Daily digest"),
}


def _who(event: Event, markup: Markup) -> str:
    return markup.text(event.speaker) if event.speaker else "unknown speaker"


def _quote(words: str | None, markup: Markup) -> str:
    return markup.quote(words) if words else ""


def alert_title(event: Event) -> str:
    """``Altered quote (high): Ada Quill``, ``Topic match: harbour``, ``Feed notice: The Lantern``;
    a digest by its own title."""
    return KINDS[event.type].title(event)


def alert_body(event: Event, markup: Markup) -> str:
    """The alert's main text: the diff of an alteration, the disputed statement, the quote."""
    return KINDS[event.type].body(event, markup)


def alert_summary(event: Event) -> str:
    """The alert in one line without markup (a notification's text): ``Repeated: Ada Quill:
    “words” (The Lantern)``; a notice's title and detail."""
    return KINDS[event.type].summary(event)


def is_finding(event: Event) -> bool:
    """Whether the alert is about coverage (its outlet named beside its title), not one of the
    bot's notices."""
    return KINDS[event.type].is_finding


def alert_facts(event: Event, markup: Markup) -> list[Fact]:
    """The alert's labelled facts, in order: who, who disputes and why, where, what changed."""
    kind = KINDS[event.type]
    facts = kind.about(event, markup) + kind.outlet(event, markup)
    if event.also_in:
        facts.append(("Also carried by", markup.text(", ".join(event.also_in))))
    if event.changes:
        facts.append(("Changes", markup.text("; ".join(change_words(c) for c in event.changes))))
    facts += kind.statement(event, markup)
    if event.first and kind.shows_first:
        facts.append(("First appeared", first_appeared(event.first, markup)))
    return facts


def first_appeared(first: Appearance, markup: Markup) -> str:
    """``The Lantern, 2025-11-02`` (the outlet linked where the platform can)."""
    return f"{markup.link(outlet_name(first.outlet), first.url)}, {day_of(first.published)}"


def alert_ref(alert: Alert) -> str:
    """The line naming the alert (``statement #12 · alert #7``), by which a retry finds it."""
    ref = f"alert #{alert.id}"
    if alert.event.statement_id is not None:
        ref = f"statement #{alert.event.statement_id} · {ref}"
    return ref


def left_out(lines: int, fields: int) -> str:
    """The last page's note on what a reply too long for the platform left out."""
    parts = [plural(n, word) for n, word in ((lines, "more line"), (fields, "more field")) if n]
    return f"… {' and '.join(parts)} not shown: ask for less (a narrower query or one channel)."
