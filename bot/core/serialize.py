"""Plain-dict forms of events and quotes: the JSON contract of the CLI and the outbox rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.models import (
    Appearance,
    Change,
    ChangeKind,
    DiffOp,
    Event,
    EventType,
    Quote,
    Severity,
)


def format_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 string (or None) back to a datetime; anything unparsable is None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind.value,
        "speaker": quote.speaker,
        "speaker_mention": quote.speaker_mention,
        "cue": quote.cue,
        # reported speech: the quoted words inside it, each a fragment record
        "quoted": [quote_to_dict(part) for part in quote.quoted],
    }


def change_to_dict(change: Change) -> dict[str, str]:
    return {
        "kind": change.kind.value,
        "severity": change.severity.value,
        "before": change.before,
        "after": change.after,
    }


def change_from_dict(data: Mapping[str, str]) -> Change:
    return Change(
        ChangeKind(data["kind"]), Severity(data["severity"]), data["before"], data["after"]
    )


def diff_to_list(diff: Sequence[DiffOp]) -> list[dict[str, str]]:
    """A word diff as JSON: one ``{op, before, after}`` a step."""
    return [{"op": d.op, "before": d.before, "after": d.after} for d in diff]


def diff_from_list(data: Iterable[Mapping[str, str]]) -> tuple[DiffOp, ...]:
    return tuple(DiffOp(d["op"], d["before"], d["after"]) for d in data)


def appearance_to_dict(first: Appearance | None) -> dict[str, Any] | None:
    if first is None:
        return None
    return {"outlet": first.outlet, "url": first.url, "published": format_time(first.published)}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The `verbatim ingest --json` line for one event (PRODUCT.md vocabulary)."""
    out: dict[str, Any] = {
        "type": event.type.value,
        "article": event.article_url,
        "outlet": event.outlet,
        "title": event.title,
        "statement": event.statement_id,
        "speaker": event.speaker,
        "quote": event.quote,
        "canonical": event.canonical,
        "changes": [change_to_dict(c) for c in event.changes],
        "severity": event.severity.value if event.severity else None,
        "diff": diff_to_list(event.diff),
        "first": appearance_to_dict(event.first),
    }
    optional = {
        "disputed_by": event.disputed_by,
        "evidence": event.evidence,
        "topic": event.topic,
        "credited_to": event.credited_to,
        "detail": event.detail,
        "channel": event.channel,
        "also_in": list(event.also_in) or None,
        "attachment": event.attachment,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    return out


def event_from_dict(data: dict[str, Any]) -> Event:
    first = data.get("first")
    return Event(
        type=EventType(data["type"]),
        article_url=data.get("article", ""),
        outlet=data.get("outlet", ""),
        title=data.get("title", ""),
        statement_id=data.get("statement"),
        speaker=data.get("speaker"),
        quote=data.get("quote"),
        canonical=data.get("canonical"),
        changes=tuple(change_from_dict(c) for c in data.get("changes", ())),
        diff=diff_from_list(data.get("diff", ())),
        first=(
            Appearance(first["outlet"], first["url"], parse_time(first.get("published")))
            if first
            else None
        ),
        disputed_by=data.get("disputed_by"),
        evidence=data.get("evidence"),
        topic=data.get("topic"),
        credited_to=data.get("credited_to"),
        detail=data.get("detail"),
        channel=data.get("channel"),
        also_in=tuple(data.get("also_in") or ()),
        attachment=data.get("attachment"),
    )
