"""Split quotations: one quoted sentence printed in parts around its attribution.

``“We will not raise the tax,” Dahl said. “The passes stay.”`` gives two direct quotes; each
part alone is a sub-span of the statement, yet nothing was cut. The parts are matched as
fragments of the quotation they belong to, so they repeat the statement instead of
truncating it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.models import Quote, QuoteKind

MAX_GAP = 80  # characters of attribution between two parts: `,” Dahl said, “`
_PARAGRAPH = re.compile(r"\n\s*\n")


def _joined(text: str, a: Quote, b: Quote) -> bool:
    """``b`` goes on with the sentence ``a`` left unfinished, by the same speaker."""
    if a.kind is not QuoteKind.DIRECT or b.kind is not QuoteKind.DIRECT:
        return False
    if not a.speaker or a.speaker != b.speaker:
        return False
    gap = text[a.end : b.start]
    if len(gap) > MAX_GAP or _PARAGRAPH.search(gap):
        return False
    unfinished = not a.text.rstrip(" \"'”’)").endswith((".", "!", "?"))
    return unfinished and b.text.lstrip(" \"'“‘(….")[:1].islower()


def matching_kinds(text: str, quotes: Sequence[Quote]) -> list[QuoteKind]:
    """The kind each quote is matched as: a part of a split quotation as a fragment."""
    kinds = [q.kind for q in quotes]
    for i in range(len(quotes) - 1):
        if _joined(text, quotes[i], quotes[i + 1]):
            kinds[i] = kinds[i + 1] = QuoteKind.FRAGMENT
    return kinds


def matched_quotes(quotes: Sequence[Quote]) -> list[Quote]:
    """The quotes an article's statements are matched from, in order: each quote, and the
    quoted words inside reported speech (``Quote.quoted``) as fragments of their own."""
    if not any(q.quoted for q in quotes):
        return list(quotes)
    units = [u for q in quotes for u in (q, *q.quoted)]
    # A fragment sharing its report's start comes first, as it was found first.
    return sorted(units, key=lambda q: (q.start, q.kind is QuoteKind.INDIRECT))
