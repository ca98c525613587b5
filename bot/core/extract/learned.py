"""What the tagger reads in an article: content, source and cue spans with their offsets."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.extract.marks import Span
from bot.core.extract.tagger import TaggerModel
from bot.core.extract.tokens import Token, paragraphs, token_groups, tokenize


@dataclass(frozen=True, slots=True)
class Tagged:
    """Character spans the tagger labelled, each a run of tokens of one label."""

    contents: list[tuple[int, int]]  # sorted, never overlapping
    sources: list[tuple[int, int]]
    cues: list[tuple[int, int]]

    def covered(self, start: int, end: int) -> int:
        """How many characters of ``start:end`` lie inside a content."""
        runs = self.contents
        i = max(0, bisect_right(runs, (start, start)) - 1)
        total = 0
        while i < len(runs) and runs[i][0] < end:
            total += max(0, min(end, runs[i][1]) - max(start, runs[i][0]))
            i += 1
        return total


def _runs(
    tokens: Sequence[Token], labels: Sequence[str], begin: str | None, inside: str
) -> list[tuple[int, int]]:
    """Runs of ``inside`` labels; a ``begin`` label always opens a new run."""
    out: list[tuple[int, int]] = []
    current: list[int] | None = None
    for t, lab in zip(tokens, labels, strict=True):
        if lab == begin or (lab == inside and current is None):
            if current is not None:
                out.append((current[0], current[1]))
            current = [t.start, t.end]
        elif lab == inside and current is not None:
            current[1] = t.end
        else:
            if current is not None:
                out.append((current[0], current[1]))
            current = None
    if current is not None:
        out.append((current[0], current[1]))
    return out


def tag_article(
    model: TaggerModel, text: str, spans: Sequence[Span], sentence_starts: Sequence[int]
) -> Tagged:
    contents: list[tuple[int, int]] = []
    sources: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    for start, end in paragraphs(text):
        tokens = tokenize(text, start, end)
        if not tokens:
            continue
        labels = model.tag(token_groups(tokens, sentence_starts, spans))
        contents += _runs(tokens, labels, "B-C", "I-C")
        sources += _runs(tokens, labels, None, "S")
        cues += _runs(tokens, labels, None, "Q")
    return Tagged(contents, sources, cues)
