"""The story of one statement: where it first appeared, how it spread, its variants, disputes.

Pure: the caller passes the statement and its events, each with its time (the article's
publication time, or when it was recorded if the article gave none). `story_reply` turns a
story into the answer of `verbatim story` and `/verbatim story`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.models import Appearance, Change, DiffOp, Event, EventType, Reply, Statement
from bot.core.presentation import UNKNOWN_OUTLET, day_of, evidence_text, plural, quoted
from bot.core.replies import diff_text
from bot.core.serialize import appearance_to_dict, change_to_dict, diff_to_list, format_time


@dataclass(frozen=True, slots=True)
class StoryVariant:
    text: str
    outlets: tuple[str, ...]
    severity: str | None
    misattributed_to: str | None = None
    first_seen: datetime | None = None
    changes: tuple[Change, ...] = ()
    diff: tuple[DiffOp, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryDispute:
    by: str | None  # None: the outlet, in its own voice
    evidence: str
    outlet: str
    url: str
    when: datetime | None = None
    # Set when the dispute was recorded against another statement of the same speaker that the
    # same article quotes beside this one (one proposal, quoted in two statements).
    recorded_on: int | None = None
    recorded_on_text: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    statement_id: int
    speaker: str | None
    canonical: str
    first: Appearance
    outlets: tuple[str, ...]
    # (day "YYYY-MM-DD" or hour "YYYY-MM-DD HH:00", the outlets that carried it then)
    spread: tuple[tuple[str, tuple[str, ...]], ...]
    variants: tuple[StoryVariant, ...] = ()
    disputes: tuple[StoryDispute, ...] = ()


def build_story(
    statement: Statement,
    events: Sequence[tuple[datetime, Event]],
    *,
    by_hour: bool = False,
    beside: Mapping[int, Statement] | None = None,
) -> Story:
    """Summarise ``statement`` from its ``(time, event)`` pairs, in any order.

    ``beside``: other statements of the same speaker quoted in the same articles; their
    disputes among ``events`` are told too, saying which statement they were recorded on.
    Events of any other statement are ignored.
    """
    beside = beside or {}
    mine = sorted(
        ((t, e) for t, e in events if e.statement_id == statement.id), key=lambda te: te[0]
    )
    pattern = "%Y-%m-%d %H:00" if by_hour else "%Y-%m-%d"
    spread: dict[str, list[str]] = {}
    outlets: list[str] = [statement.first.outlet] if statement.first.outlet else []
    for t, e in mine:
        if not e.type.is_coverage:
            continue
        day = spread.setdefault(t.strftime(pattern), [])
        if e.outlet not in day:
            day.append(e.outlet)
        if e.outlet not in outlets:
            outlets.append(e.outlet)
    variants: dict[str, StoryVariant] = {}
    for t, e in mine:
        if not e.type.is_variant or not e.quote:
            continue
        known = variants.get(e.quote)
        if known is None:
            severity = e.severity.value if e.severity else None
            variants[e.quote] = StoryVariant(
                e.quote, (e.outlet,), severity, e.credited_to, t, e.changes, e.diff
            )
        elif e.outlet not in known.outlets:
            variants[e.quote] = _with_outlet(known, e.outlet)
    disputes = [
        StoryDispute(e.disputed_by, e.evidence or "", e.outlet, e.article_url, t)
        for t, e in mine
        if e.type is EventType.DISPUTE
    ]
    nearby = sorted(
        ((t, e) for t, e in events if e.type is EventType.DISPUTE and e.statement_id in beside),
        key=lambda te: te[0],
    )
    for t, e in nearby:
        other = beside[e.statement_id or 0]
        disputes.append(
            StoryDispute(
                e.disputed_by,
                e.evidence or "",
                e.outlet,
                e.article_url,
                t,
                other.id,
                other.canonical,
            )
        )
    return Story(
        statement.id,
        statement.speaker,
        statement.canonical,
        statement.first,
        tuple(outlets),
        tuple((day, tuple(outs)) for day, outs in sorted(spread.items())),
        tuple(variants.values()),
        tuple(disputes),
    )


def _with_outlet(variant: StoryVariant, outlet: str) -> StoryVariant:
    return StoryVariant(
        variant.text,
        (*variant.outlets, outlet),
        variant.severity,
        variant.misattributed_to,
        variant.first_seen,
        variant.changes,
        variant.diff,
    )


def story_lines(story: Story) -> list[str]:
    """The story as readable lines: first appearance, spread, variants with diffs, disputes."""
    first = story.first
    lines = [
        f"“{story.canonical}”",
        f"First appeared: {first.outlet or 'an ' + UNKNOWN_OUTLET}, {day_of(first.published)}"
        + (f" {first.url}" if first.url else ""),
        f"Carried by {plural(len(story.outlets), 'outlet')}: {', '.join(story.outlets)}",
    ]
    if story.spread:
        lines.append("Spread:")
        lines += [f"  {day}: {plural(len(outs), 'outlet')} ({', '.join(outs)})"
                  for day, outs in story.spread]  # fmt: skip
    if story.variants:
        lines.append(f"Variants ({len(story.variants)}):")
    for v in story.variants:
        kinds = ", ".join(f"{c.kind.value} ({c.severity.value})" for c in v.changes)
        credit = f", credited to {v.misattributed_to}" if v.misattributed_to else ""
        lines.append(
            f"• {', '.join(v.outlets)}, {day_of(v.first_seen)}: {kinds or 'altered'}{credit}"
        )
        lines.append(f"  {diff_text(v.diff) or v.text}")
    if story.disputes:
        lines.append(f"Disputes ({len(story.disputes)}):")
    for d in story.disputes:
        who = d.by or f"{d.outlet} (in its own voice)"
        lines.append(f"• {who} — {d.outlet}, {day_of(d.when)} {d.url}")
        lines.append(f"  evidence: {evidence_text(d.evidence)}")
        if d.recorded_on is not None:
            lines.append(
                f"  (recorded on #{d.recorded_on} {quoted(d.recorded_on_text, 80)}, "
                "quoted beside it in the same article)"
            )
    return lines


def story_reply(story: Story | None, query: str) -> Reply:
    """The answer to ``verbatim story QUERY`` and ``/verbatim story QUERY``.

    ``story`` is what `storage.history.History.story(query)` found (None: no statement matches
    ``query``, a statement id or a few of its words). ``data`` carries `story_to_dict(story)`
    under "story" for ``--json``.
    """
    if story is None:
        return Reply(title=f"No known statement matches {quoted(query, 80)}.", ok=False)
    return Reply(
        title=f"Story of statement #{story.statement_id} by "
        f"{story.speaker or 'an unknown speaker'}",
        lines=tuple(story_lines(story)),
        data={"statement": story.statement_id, "story": story_to_dict(story)},
    )


def story_to_dict(story: Story) -> dict[str, object]:
    """The story's fields for JSON."""
    return {
        "statement": story.statement_id,
        "speaker": story.speaker,
        "canonical": story.canonical,
        "first": appearance_to_dict(story.first),
        "outlets": list(story.outlets),
        "spread": [{"day": day, "outlets": list(outs)} for day, outs in story.spread],
        "variants": [
            {
                "text": v.text,
                "outlets": list(v.outlets),
                "severity": v.severity,
                "misattributed_to": v.misattributed_to,
                "first_seen": format_time(v.first_seen),
                "changes": [change_to_dict(c) for c in v.changes],
                "diff": diff_to_list(v.diff),
                "diff_text": diff_text(v.diff),
            }
            for v in story.variants
        ],
        "disputes": [
            {
                "by": d.by,
                "evidence": d.evidence,
                "outlet": d.outlet,
                "url": d.url,
                "when": format_time(d.when),
                "recorded_on": d.recorded_on,
            }
            for d in story.disputes
        ],
    }
