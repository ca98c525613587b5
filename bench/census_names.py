"""Which census first names are words, not names: the list ``names.NOT_CENSUS_NAMES`` holds.

    .venv/bin/python -m bench.census_names ../shared/data/polnear-train

The 1990 US Census first-name files (the PyPI package ``names``) hold ordinary words ("Will",
"May", "Hope", "In"), surnames ("Cruz", "Christie") and places ("Carolina", "Georgia"). A name the
hand lists of bot/core/extract/names.py lack is left out when the training texts (every article
of DIR but those in DIR/check_articles.txt) show it is not used as a first name:

- they write it in lower case at least once (``will``, ``hope``, ``rose``, ``sue``); or
- they write it capitalised at least three times (MIN_CAPITALISED) and fewer than half of those
  times before another capitalised word, as a first name stands before a surname (``Cruz
  said``, ``South Carolina``, ``in June``).

It prints the words, sorted, for the constant in names.py.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from bench.train_quotes import held_out
from bot.core.extract.names import CENSUS_FIRST, HAND_FIRST_NAMES, lower_words

# A capitalised word, and whether a capitalised word follows it ("Cruz Campaign", "Carly Fiorina")
_CAPITALISED = re.compile(r"(?<![\w’'-])([A-Z][a-z]+)(?![\w’'-])(?=(\s+[A-Z])?)")
MIN_CAPITALISED = 3


def not_names(texts: list[str]) -> list[str]:
    added = set(CENSUS_FIRST) - HAND_FIRST_NAMES
    lower: set[str] = set()
    capitalised: Counter[str] = Counter()
    before_capital: Counter[str] = Counter()
    for text in texts:
        lower |= lower_words(text) & added
        for m in _CAPITALISED.finditer(text):
            low = m.group(1).lower()
            if low in added:
                capitalised[low] += 1
                before_capital[low] += m.group(2) is not None
    return sorted(
        lower
        | {w for w, n in capitalised.items() if n >= MIN_CAPITALISED and 2 * before_capital[w] < n}
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="a PolNeAR-style directory (text/*.txt)")
    args = ap.parse_args(argv)
    skip = held_out(args.data)
    paths = sorted(p for p in (args.data / "text").glob("*.txt") if p.stem not in skip)
    words = not_names([p.read_text(encoding="utf-8") for p in paths])
    print(
        f"{len(words)} of the census names are words here ({len(paths)} articles)", file=sys.stderr
    )
    print(" ".join(words))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
