"""The story of one statement: where it first appeared, how it spread, its variants, disputes.

Pure: the caller passes the statement and its events, each with the time it was recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.models import Appearance, Event, EventType, Statement

_SPREAD = (EventType.NEW_STATEMENT, EventType.REPEAT, EventType.ALTER, EventType.MISATTRIBUTION)


@dataclass(frozen=True, slots=True)
class StoryVariant:
    text: str
    outlets: tuple[str, ...]
    severity: str | None
    misattributed_to: str | None = None


@dataclass(frozen=True, slots=True)
class StoryDispute:
    by: str | None
    evidence: str
    outlet: str
    url: str


@dataclass(frozen=True, slots=True)
class Story:
    statement_id: int
    speaker: str | None
    canonical: str
    first: Appearance
    outlets: tuple[str, ...]
    spread: tuple[tuple[str, int], ...]  # (day "YYYY-MM-DD" or hour "YYYY-MM-DD HH:00", count)
    variants: tuple[StoryVariant, ...] = ()
    disputes: tuple[StoryDispute, ...] = ()


def build_story(
    statement: Statement, events: Sequence[tuple[datetime, Event]], *, by_hour: bool = False
) -> Story:
    """Summarise ``statement`` from its ``(recorded at, event)`` pairs, oldest first or not."""
    mine = sorted(
        ((t, e) for t, e in events if e.statement_id == statement.id), key=lambda te: te[0]
    )
    pattern = "%Y-%m-%d %H:00" if by_hour else "%Y-%m-%d"
    spread = Counter(t.strftime(pattern) for t, e in mine if e.type in _SPREAD)
    outlets: list[str] = [statement.first.outlet]
    for _, e in mine:
        if e.type in _SPREAD and e.outlet not in outlets:
            outlets.append(e.outlet)
    variant_outlets: dict[str, list[str]] = {}
    variant_info: dict[str, tuple[str | None, str | None]] = {}
    for _, e in mine:
        if e.type not in (EventType.ALTER, EventType.MISATTRIBUTION) or not e.quote:
            continue
        variant_outlets.setdefault(e.quote, [])
        if e.outlet not in variant_outlets[e.quote]:
            variant_outlets[e.quote].append(e.outlet)
        severity = e.severity.value if e.severity else None
        variant_info.setdefault(e.quote, (severity, e.credited_to))
    variants = tuple(
        StoryVariant(text, tuple(outs), *variant_info[text])
        for text, outs in variant_outlets.items()
    )
    disputes = tuple(
        StoryDispute(e.disputed_by, e.evidence or "", e.outlet, e.article_url)
        for _, e in mine
        if e.type is EventType.DISPUTE
    )
    return Story(
        statement.id,
        statement.speaker,
        statement.canonical,
        statement.first,
        tuple(outlets),
        tuple(sorted(spread.items())),
        variants,
        disputes,
    )


def render_story_text(story: Story) -> str:
    """Readable text for the console and chat replies."""
    first = story.first
    when = f" on {first.published:%Y-%m-%d %H:%M}" if first.published else ""
    out = [
        f"{story.speaker or 'Unknown speaker'}: “{story.canonical}”",
        f"First seen in {first.outlet}{when}: {first.url}",
        f"Picked up by {len(story.outlets)} outlet(s): {', '.join(story.outlets)}",
    ]
    if story.spread:
        out.append("Spread: " + ", ".join(f"{k} ×{n}" for k, n in story.spread))
    for v in story.variants:
        level = f" [{v.severity}]" if v.severity else ""
        credit = f" (credited to {v.misattributed_to})" if v.misattributed_to else ""
        out.append(f"Variant{level}{credit}: “{v.text}” — {', '.join(v.outlets)}")
    for d in story.disputes:
        out.append(f"Disputed by {d.by or d.outlet}: “{d.evidence}” ({d.url})")
    return "\n".join(out)
