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


_KIND = {"B-C": 0, "I-C": 0, "S": 1, "Q": 2}  # label -> contents, sources, cues


def _runs(
    tokens: Sequence[Token], labels: Sequence[str]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """Runs of content, source and cue labels, in one pass; a ``B-C`` always opens a new run."""
    out: tuple[list[tuple[int, int]], ...] = ([], [], [])
    kind: int | None = None  # the kind of the run being read, if any
    start = end = 0
    for t, lab in zip(tokens, labels, strict=True):
        k = _KIND.get(lab)
        if k is not None and k == kind and lab != "B-C":
            end = t.end
            continue
        if kind is not None:
            out[kind].append((start, end))
        kind, start, end = k, t.start, t.end
    if kind is not None:
        out[kind].append((start, end))
    return out[0], out[1], out[2]


def tag_article(
    model: TaggerModel, text: str, spans: Sequence[Span], sentence_starts: Sequence[int]
) -> Tagged:
    contents: list[tuple[int, int]] = []
    sources: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    stretches = [t for a, b in paragraphs(text) if (t := tokenize(text, a, b))]
    tagged = model.tag_stretches([token_groups(t, sentence_starts, spans) for t in stretches])
    for tokens, labels in zip(stretches, tagged, strict=True):
        found = _runs(tokens, labels)
        contents += found[0]
        sources += found[1]
        cues += found[2]
    return Tagged(contents, sources, cues)
