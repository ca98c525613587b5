"""Alerts, digests and replies of any size, and the checks of what both renderers make of them,
for the property tests of Slack and Discord.

Texts run from empty to several times the platforms' limits, with the characters that need
escaping on each platform and the words that would ping (@here, <@U1>, @everyone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from bot.core.models import (
    Alert,
    Appearance,
    Change,
    ChangeKind,
    DiffOp,
    Event,
    EventType,
    Reply,
    Severity,
)

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
_PIECES = st.sampled_from(
    ["harbour ", "Quill ", "& ", "<b> ", "@here ", "<@U1> ", "@everyone ", "*x* ", "_y_ ", "~z~ ",
     "`c` ", "|", "> ", "\n", "“quoted” ", "é", "🙂", "https://x.example/a?b=1&c=2 "]
)  # fmt: skip


def text(max_pieces: int) -> st.SearchStrategy[str]:
    """Text of up to ``max_pieces`` pieces; long runs come from repeating a piece."""
    run = st.tuples(_PIECES, st.integers(1, 400)).map(lambda p: p[0] * p[1])
    return st.lists(st.one_of(_PIECES, run), max_size=max_pieces).map("".join)


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), strategy)


@st.composite
def alerts(draw: Callable[..., Any], channel: str = "slack:C1") -> Alert:
    """An alert of any kind (digests and notices included), every text of any size."""
    kind = draw(st.sampled_from(list(EventType)))
    big = text(30)
    diff = draw(st.lists(st.builds(DiffOp, st.sampled_from(["equal", "delete", "insert",
                                                            "replace"]), big, big),
                         max_size=6))  # fmt: skip
    changes = draw(st.lists(st.builds(Change, st.sampled_from(list(ChangeKind)),
                                      st.sampled_from(list(Severity)), big, big),
                            max_size=5))  # fmt: skip
    first = draw(st.one_of(st.none(), st.builds(Appearance, big, st.just("https://a.example/x"),
                                                st.none())))  # fmt: skip
    event = Event(
        kind,
        draw(st.sampled_from(["https://news.example/a", "", "not a url", "https://x.example/<>|"])),
        draw(big),
        statement_id=draw(st.one_of(st.none(), st.integers(1, 10**12))),
        speaker=draw(maybe(big)),
        quote=draw(maybe(big)),
        canonical=draw(maybe(big)),
        changes=tuple(changes),
        diff=tuple(diff),
        first=first,
        disputed_by=draw(maybe(big)),
        evidence=draw(maybe(big)),
        topic=draw(maybe(big)),
        title=draw(big),
        credited_to=draw(maybe(big)),
        detail=draw(maybe(text(60))),  # a digest's body: the longest of all
        also_in=tuple(draw(st.lists(text(3), max_size=300))),
    )
    ident = draw(st.integers(1, 10**12))
    thread = f"statement:{event.statement_id}" if event.statement_id else None
    return Alert(ident, f"k{ident}", channel, event, WHEN, thread_key=thread)


def replies() -> st.SearchStrategy[Reply]:
    """A command's answer: a title, up to 2,500 lines, up to 60 fields, all of any size."""
    return st.builds(
        Reply,
        text(10),
        st.lists(text(4), max_size=2500).map(tuple),
        st.booleans(),
        st.lists(st.tuples(text(3), text(8)), max_size=60).map(tuple),
    )


def is_cut_of(shown: str, full: str) -> bool:
    """``shown`` is the start of ``full`` and an ellipsis, then the marks closing a quotation
    the cut fell inside (`bot.core.presentation.shorten`)."""
    kept = shown.rstrip('”’"')
    return kept.endswith("…") and full.startswith(kept[:-1].rstrip())


def pairs(cut: Any, whole: Any) -> list[tuple[str, str]]:
    """The strings at the same places of two renderings of one structure."""
    if isinstance(cut, dict):
        return [p for k in cut for p in pairs(cut[k], whole[k])]
    if isinstance(cut, list):
        assert len(cut) == len(whole)
        return [p for c, w in zip(cut, whole, strict=True) for p in pairs(c, w)]
    return [(cut, whole)] if isinstance(cut, str) else []


def assert_cut_with_ellipsis(cut: Any, whole: Any) -> None:
    for shown, full in pairs(cut, whole):
        if shown != full:
            assert is_cut_of(shown, full), f"not a cut with an ellipsis: {shown[-40:]!r}"


def marked(reply: Reply) -> Reply:
    """Each line and field tagged with its number, to find it again in the pages."""
    lines = tuple(f"⟦{n}⟧{line}" for n, line in enumerate(reply.lines))
    fields = tuple((f"⟦f{n}⟧{k}", v) for n, (k, v) in enumerate(reply.fields))
    return Reply(reply.title, lines, reply.ok, fields)


def assert_paged(
    reply: Reply,
    render_pages: Callable[[Reply], Sequence[Any]],
    pages_max: int,
    refused: Callable[[Any], object],
    text_of: Callable[[Any], str],
) -> None:
    """``reply`` in 1 to ``pages_max`` pages, none of them ``refused``, whose ``text_of`` shows
    each of its lines and fields in order or counts it in the note of what is not shown."""
    pages = render_pages(marked(reply))
    assert 1 <= len(pages) <= pages_max
    for page in pages:
        assert refused(page) is None
    shown = "".join(text_of(page) for page in pages)
    lines = [int(n) for n in re.findall(r"⟦(\d+)⟧", shown)]
    fields = [int(n) for n in re.findall(r"⟦f(\d+)⟧", shown)]
    assert lines == list(range(len(lines))) and fields == list(range(len(fields)))  # in order
    note = re.search(r"… (?:(\d+) more lines?)?(?: and )?(?:(\d+) more fields?)? not shown", shown)
    left_lines = int(note[1] or 0) if note else 0
    left_fields = int(note[2] or 0) if note else 0
    assert len(lines) + left_lines == len(reply.lines)
    assert len(fields) + left_fields == len(reply.fields)
