"""What the tagger reads in an article: content, source and cue spans with their offsets."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
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
    found: tuple[list[tuple[int, int]], ...] = ([], [], [])
    for batch in _batches(text):
        columns = [token_groups(tokens, sentence_starts, spans) for tokens in batch]
        for tokens, labels in zip(batch, model.tag_stretches(columns), strict=True):
            for runs, more in zip(found, _runs(tokens, labels), strict=True):
                runs += more
    return Tagged(*found)


_BATCH = 500  # tokens (an article of the 672 fit ones holds 860): no slower than a whole article


def _batches(text: str) -> Iterator[list[list[Token]]]:
    """The tokens of each paragraph, some paragraphs at a time: the tagger sums many tokens'
    scores at once, and a long text's features are never all held at once (a batch ends at the
    first paragraph that brings it to ``_BATCH`` tokens)."""
    batch: list[list[Token]] = []
    size = 0
    for start, end in paragraphs(text):
        tokens = tokenize(text, start, end)
        if tokens:
            batch.append(tokens)
            size += len(tokens)
        if size >= _BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
