"""Answers to `quote`, `speaker` and "show sources", as core Replies the adapters render."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.models import DiffOp, Relation, Reply, Statement, Variant
from bot.core.presentation import UNKNOWN_OUTLET, day_of, plural, quoted
from bot.core.serialize import appearance_to_dict, change_to_dict, diff_to_list


def diff_text(diff: Sequence[DiffOp]) -> str:
    """A word diff in plain text: [-removed-] {+added+}."""
    parts: list[str] = []
    for op in diff:
        if op.op == "equal":
            parts.append(op.before)
        if op.op in ("delete", "replace") and op.before:
            parts.append(f"[-{op.before}-]")
        if op.op in ("insert", "replace") and op.after:
            parts.append(f"{{+{op.after}+}}")
    return " ".join(p for p in parts if p)


def statement_to_dict(statement: Statement) -> dict[str, object]:
    """A statement's fields for ``--json``."""
    return {
        "id": statement.id,
        "speaker": statement.speaker,
        "canonical": statement.canonical,
        "first": appearance_to_dict(statement.first),
        "quote_count": statement.quote_count,
        "outlets": list(statement.outlets),
        "tracked": statement.tracked,
    }


def variant_to_dict(variant: Variant) -> dict[str, object]:
    """One printed wording of a statement, its outlet and how it differs, for ``--json``."""
    return {
        "text": variant.text,
        **(appearance_to_dict(variant.appearance) or {}),
        "relation": variant.relation.value,
        "speaker": variant.speaker,
        "changes": [change_to_dict(c) for c in variant.changes],
        "diff": diff_to_list(variant.diff),
        "diff_text": diff_text(variant.diff),
    }


def _when(v: Variant | Statement) -> str:
    return day_of(v.appearance.published if isinstance(v, Variant) else v.first.published)


def statement_lines(statement: Statement, variants: Sequence[Variant]) -> list[str]:
    lines = [
        f"“{statement.canonical}”",
        f"Said by {statement.speaker or 'an unknown speaker'}; first in "
        f"{statement.first.outlet or 'an ' + UNKNOWN_OUTLET} ({_when(statement)})"
        + (f" {statement.first.url}" if statement.first.url else ""),
    ]
    outlets = sorted({v.appearance.outlet for v in variants})
    if outlets:
        lines.append(
            f"Quoted {plural(len(variants), 'time')} by {plural(len(outlets), 'outlet')}: "
            f"{', '.join(outlets)}"
        )
    for v in variants:
        if v.relation in (Relation.ALTER, Relation.MISATTRIBUTION):
            kinds = ", ".join(f"{c.kind.value} ({c.severity.value})" for c in v.changes)
            lines.append(f"• {v.appearance.outlet}, {_when(v)}: {kinds or 'altered'}")
            lines.append(f"  {diff_text(v.diff) or v.text}")
    return lines


def quote_reply(words: str, found: Sequence[tuple[Statement, Sequence[Variant]]]) -> Reply:
    if not found:
        return Reply(title=f"No known statement matches “{words}”.", ok=False)
    statement, variants = found[0]
    lines = statement_lines(statement, variants)
    others = [s for s, _ in found[1:]]
    if others:
        lines.append(
            "Also close: " + "; ".join(f"#{s.id} {quoted(s.canonical, 80)}" for s in others)
        )
    match = {
        **statement_to_dict(statement),
        "variants": [variant_to_dict(v) for v in variants],
        "also_close": [statement_to_dict(s) for s in others],
    }
    return Reply(
        title=f"Statement #{statement.id} by {statement.speaker or 'unknown speaker'}",
        lines=tuple(lines),
        data={"statement": statement.id, "match": match},
    )


def speaker_reply(name: str, statements: Sequence[Statement]) -> Reply:
    if not statements:
        return Reply(title=f"No statements by {name} yet.", ok=False)
    lines = [
        f"#{s.id} {quoted(s.canonical)} — {s.first.outlet or 'an ' + UNKNOWN_OUTLET}, {_when(s)}, "
        f"{plural(len(s.outlets), 'outlet')}"
        for s in statements
    ]
    return Reply(
        title=f"Recent statements by {statements[0].speaker or name}",
        lines=tuple(lines),
        data={"statements": [statement_to_dict(s) for s in statements]},
    )


def sources_reply(statement: Statement | None, variants: Sequence[Variant]) -> Reply:
    if statement is None:
        return Reply(title="That statement is no longer known.", ok=False)
    lines = [
        f"{v.appearance.outlet}, {_when(v)}: {v.relation.value} {v.appearance.url}"
        for v in variants
    ]
    return Reply(
        title=f"Sources for statement #{statement.id}",
        lines=tuple(lines) or ("No outlet has quoted it yet.",),
    )
