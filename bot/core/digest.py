"""The daily digest: what a channel should know about one period, built from stored events.

Pure: the caller fetches events and statements; adapters render the text, JSON or chart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.models import DiffOp, Event, EventType, Statement
from bot.core.presentation import evidence_text, plural
from bot.core.replies import diff_text
from bot.core.serialize import diff_to_list

TOP = 5
LISTED = 25  # items per section in the text form; the JSON form has every one


@dataclass(frozen=True, slots=True)
class StatementLine:
    statement_id: int
    speaker: str | None
    text: str
    outlets: tuple[str, ...]
    mentions: int


@dataclass(frozen=True, slots=True)
class AlterationLine:
    statement_id: int | None
    speaker: str | None
    canonical: str
    printed: str
    outlet: str
    url: str
    severity: str | None
    diff: tuple[DiffOp, ...]
    credited_to: str | None = None  # a misattribution: who the outlet credits instead


@dataclass(frozen=True, slots=True)
class DisputeLine:
    statement_id: int | None
    speaker: str | None
    canonical: str
    disputed_by: str | None
    evidence: str
    outlet: str
    url: str


@dataclass(frozen=True, slots=True)
class SpreadPoint:
    """One outlet carrying a top statement at one time: what the chart draws."""

    when: datetime
    outlet: str
    kind: str  # an EventType value: new_statement, repeat, alter, misattribution, dispute


@dataclass(frozen=True, slots=True)
class Digest:
    channel: str
    start: datetime
    end: datetime
    new_statements: tuple[StatementLine, ...] = ()
    most_repeated: tuple[StatementLine, ...] = ()
    alterations: tuple[AlterationLine, ...] = ()
    disputes: tuple[DisputeLine, ...] = ()
    topics: tuple[tuple[str, int], ...] = ()
    outlets: tuple[tuple[str, int], ...] = ()
    # For each top statement (most repeated, else new) when its events were published, in time
    # order: only when the caller gave the events' times.
    spread: tuple[tuple[int, tuple[SpreadPoint, ...]], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.new_statements or self.most_repeated or self.alterations) and not (
            self.disputes or self.topics or self.outlets
        )


def _fold(name: str | None) -> str:
    return (name or "").casefold()


def _text(event: Event, statements: Mapping[int, Statement]) -> str:
    if event.statement_id is not None and event.statement_id in statements:
        return statements[event.statement_id].canonical
    return event.canonical or event.quote or ""


def build_digest(
    events: Sequence[Event],
    statements: Mapping[int, Statement],
    *,
    channel: str,
    start: datetime,
    end: datetime,
    watched_speakers: Collection[str] = (),
    times: Sequence[datetime] | None = None,
) -> Digest:
    """Summarise ``events`` (already limited to [start, end)) for ``channel``; ``times``, one
    per event (its publication time), gives the top statements' spread for the chart."""
    timed = list(zip(times, events, strict=True)) if times is not None else []
    mine = [e for e in events if e.channel is None or e.channel == channel]
    watched = {_fold(s) for s in watched_speakers}
    outlets_of: dict[int, dict[str, None]] = defaultdict(dict)  # ordered sets
    mentions: Counter[int] = Counter()
    first_of: dict[int, Event] = {}
    new_ids: dict[int, None] = {}
    for event in mine:
        sid = event.statement_id
        if sid is None or not event.type.is_coverage:
            continue
        mentions[sid] += 1
        outlets_of[sid][event.outlet] = None
        first_of.setdefault(sid, event)
        is_new = event.type is EventType.NEW_STATEMENT and sid not in new_ids
        if is_new and (not watched or _fold(event.speaker) in watched):
            new_ids[sid] = None

    def line(sid: int) -> StatementLine:
        first = first_of[sid]
        speaker = statements[sid].speaker if sid in statements else first.speaker
        return StatementLine(
            sid, speaker, _text(first, statements), tuple(outlets_of[sid]), mentions[sid]
        )

    repeated = [sid for sid in mentions if len(outlets_of[sid]) > 1 or mentions[sid] > 1]
    repeated.sort(key=lambda sid: (-len(outlets_of[sid]), -mentions[sid], sid))
    alterations = tuple(
        AlterationLine(
            e.statement_id,
            e.speaker,
            _text(e, statements),
            e.quote or "",
            e.outlet,
            e.article_url,
            e.severity.value if e.severity else None,
            e.diff,
            e.credited_to if e.type is EventType.MISATTRIBUTION else None,
        )
        for e in mine
        if e.type.is_variant
    )
    disputes = tuple(
        DisputeLine(
            e.statement_id,
            e.speaker,
            _text(e, statements),
            e.disputed_by,
            e.evidence or "",
            e.outlet,
            e.article_url,
        )
        for e in mine
        if e.type is EventType.DISPUTE
    )
    top = repeated[:TOP] or list(new_ids)[:TOP]
    spread = tuple((sid, points) for sid in top if (points := _spread(sid, timed, channel)))
    topics = Counter(e.topic for e in mine if e.type is EventType.TOPIC and e.topic)
    outlets = Counter(e.outlet for e in mine if not e.type.is_notice)
    return Digest(
        channel=channel,
        start=start,
        end=end,
        new_statements=tuple(line(sid) for sid in new_ids),
        most_repeated=tuple(line(sid) for sid in repeated[:TOP]),
        alterations=alterations,
        disputes=disputes,
        topics=tuple(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
        outlets=tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]),
        spread=spread,
    )


def _spread(
    sid: int, timed: Sequence[tuple[datetime, Event]], channel: str
) -> tuple[SpreadPoint, ...]:
    points = [
        SpreadPoint(t, e.outlet, e.type.value)
        for t, e in timed
        if e.statement_id == sid
        and (e.channel is None or e.channel == channel)
        and (e.type.is_coverage or e.type is EventType.DISPUTE)
    ]
    return tuple(sorted(points, key=lambda p: p.when))


def _who(speaker: str | None) -> str:
    return speaker or "Unknown speaker"


def _more(total: int, shown: int) -> list[str]:
    return [f"  … and {total - shown} more (verbatim digest --json lists them all)"] * (
        total > shown
    )


def render_digest_text(d: Digest, listed: int = LISTED) -> str:
    """Readable text; empty sections are left out, an empty period is one line, and a long
    section shows its first ``listed`` items and how many more there are."""
    period = f"{d.start:%Y-%m-%d %H:%M} – {d.end:%Y-%m-%d %H:%M}"
    if d.empty:
        return f"Digest for {d.channel}, {period}: nothing new."
    out = [f"Digest for {d.channel}, {period}"]
    if d.new_statements:
        out += ["", f"New statements ({len(d.new_statements)})"]
        out += [
            f"  • {_who(s.speaker)}: “{s.text}” ({', '.join(s.outlets)})"
            for s in d.new_statements[:listed]
        ]
        out += _more(len(d.new_statements), listed)
    if d.most_repeated:
        out += ["", "Most repeated"]
        out += [
            f"  • {_who(s.speaker)}: “{s.text}” — {plural(len(s.outlets), 'outlet')}, "
            f"{plural(s.mentions, 'quote')}"
            for s in d.most_repeated
        ]
    if d.alterations:
        out += ["", f"Alterations ({len(d.alterations)})"]
        for a in d.alterations[:listed]:
            level = f" [{a.severity}]" if a.severity else ""
            verb = "misattributed" if a.credited_to else "altered"
            out.append(f"  • {a.outlet}{level} {verb} {_who(a.speaker)}: “{a.printed}”")
            if a.credited_to:
                out.append(f"    credited to {a.credited_to}, said by {_who(a.speaker)}")
            if a.diff and any(op.op != "equal" for op in a.diff):
                out.append(f"    diff: {diff_text(a.diff)}")
        out += _more(len(d.alterations), listed)
    if d.disputes:
        out += ["", f"Disputes ({len(d.disputes)})"]
        for x in d.disputes[:listed]:
            by = x.disputed_by or x.outlet
            out.append(f"  • {by} disputes {_who(x.speaker)}: “{x.canonical}”")
            if x.evidence:
                out.append(f"    {evidence_text(x.evidence)} ({x.outlet})")
        out += _more(len(d.disputes), listed)
    if d.topics:
        out += ["", "Topics: " + ", ".join(f"{name} ({n})" for name, n in d.topics)]
    if d.outlets:
        out += ["", "Most active outlets: " + ", ".join(f"{o} ({n})" for o, n in d.outlets)]
    return "\n".join(out)


def _statement_json(s: StatementLine) -> dict[str, object]:
    return {
        "statement_id": s.statement_id,
        "speaker": s.speaker,
        "text": s.text,
        "outlets": list(s.outlets),
        "mentions": s.mentions,
    }


def digest_to_json(d: Digest) -> dict[str, object]:
    """A JSON-ready dict; sections always present (empty lists) so consumers need no guards."""
    return {
        "channel": d.channel,
        "start": d.start.isoformat(),
        "end": d.end.isoformat(),
        "empty": d.empty,
        "new_statements": [_statement_json(s) for s in d.new_statements],
        "most_repeated": [_statement_json(s) for s in d.most_repeated],
        "alterations": [
            {
                "statement_id": a.statement_id,
                "speaker": a.speaker,
                "canonical": a.canonical,
                "printed": a.printed,
                "outlet": a.outlet,
                "url": a.url,
                "severity": a.severity,
                "credited_to": a.credited_to,
                "diff": diff_to_list(a.diff),
            }
            for a in d.alterations
        ],
        "disputes": [
            {
                "statement_id": x.statement_id,
                "speaker": x.speaker,
                "canonical": x.canonical,
                "disputed_by": x.disputed_by,
                "evidence": x.evidence,
                "outlet": x.outlet,
                "url": x.url,
            }
            for x in d.disputes
        ],
        "topics": [{"name": n, "count": c} for n, c in d.topics],
        "outlets": [{"outlet": o, "count": c} for o, c in d.outlets],
        "spread": [
            {
                "statement_id": sid,
                "points": [
                    {"when": p.when.isoformat(), "outlet": p.outlet, "kind": p.kind} for p in points
                ],
            }
            for sid, points in d.spread
        ],
    }
