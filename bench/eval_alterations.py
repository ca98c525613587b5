"""How many altered quotes the matcher catches, and how often an untouched copy alerts.

Real quotes: the direct quotes (six words or more, with a speaker) the extractor finds in the
PolNeAR articles of `../shared/data` (real US news; the matcher was never tuned on them). All of
them are stored as statements; then each is fed back as another outlet might print it —
untouched (typography changed only), negated, with a number changed, with a name swapped,
trimmed at either end, or credited to another speaker — and classified against the whole
store through the candidate index, as the monitor does.

Right: the right statement, and the change kinds expected among those reported (a swapped
speaker: a misattribution). A trim printed as a fragment (a few quoted words inside the
outlet's sentence) is an exact sub-span, which PRODUCT.md defines as a repeat; the same trim
printed as a direct quote drops three or more words at an end, which PRODUCT.md defines as an
alter `truncated`. False alert: a copy that should be a repeat classified as anything that
alerts.
Run: ``.venv/bin/python -m bench.eval_alterations`` (also part of ``python -m bench``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from bot.core.extract import extract_quotes
from bot.core.matching import KnownStatement, StatementIndex, classify_quote, normalised, tokenize
from bot.core.models import ChangeKind, Classification, QuoteKind, Relation

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear-train" / "text"
_AUX = re.compile(
    r"\b(is|are|was|were|will|would|can|could|should|must|has|have|had|do|does|did)\b"
)
_NOT = re.compile(r"\b(not|never|n't)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NAME = re.compile(r"(?<=\w )[A-Z][a-z]{2,}(?: [A-Z][a-z]+)?")
_SWAP_NAMES = ["Ohio", "Nevada", "Canada", "Mexico", "Brussels", "Johnson", "Warren"]

Quote = tuple[str, str]  # text, speaker


def real_quotes(limit_articles: int | None) -> list[Quote]:
    files = sorted(DATA.glob("*.txt"))[:limit_articles]
    seen: set[str] = set()
    out: list[Quote] = []
    for path in files:
        for q in extract_quotes(path.read_text(encoding="utf-8")):
            if q.kind is not QuoteKind.DIRECT or not q.speaker or len(q.text.split()) < 6:
                continue
            key = normalised(q.text)  # the bot stores typographic twins as one statement
            if key not in seen:
                seen.add(key)
                out.append((q.text, q.speaker))
    return out


def _negate(text: str, rng: random.Random) -> str | None:
    if _NOT.search(text):
        return _NOT.sub("", text, count=1).replace("  ", " ")
    m = _AUX.search(text)
    return text[: m.end()] + " not" + text[m.end() :] if m else None


def _number(text: str, rng: random.Random) -> str | None:
    m = _NUMBER.search(text)
    if not m:
        return None
    digits = m.group().replace(",", "").rstrip(".")
    try:
        value = float(digits)
    except ValueError:
        return None
    new = str(int(value * 2 + 3)) if value == int(value) else f"{value * 2:.1f}"
    return text[: m.start()] + new + text[m.start() + len(digits) :]


def _entity(text: str, rng: random.Random) -> str | None:
    m = _NAME.search(text)
    if not m:
        return None
    other = rng.choice([n for n in _SWAP_NAMES if n not in m.group()])
    return text[: m.start()] + other + text[m.end() :]


def _trim_start(text: str, rng: random.Random) -> str | None:
    words = text.split()
    return " ".join(words[3:]) if len(words) >= 10 else None


def _trim_end(text: str, rng: random.Random) -> str | None:
    words = text.split()
    return " ".join(words[:-3]) if len(words) >= 10 else None


def _trim_two_fifths(text: str, rng: random.Random) -> str | None:
    words = text.split()
    cut = (len(words) * 2) // 5
    return " ".join(words[cut:]) if cut >= 3 else None


def _untouched(text: str, rng: random.Random) -> str | None:
    return text.replace("'", "’").replace('"', "“") + ("," if rng.random() < 0.5 else "")


def _trim_and_negate(text: str, rng: random.Random) -> str | None:
    trimmed = _trim_start(text, rng)
    return _negate(trimmed, rng) if trimmed else None


def _speaker_copy(text: str, rng: random.Random) -> str | None:
    return text


Alteration = Callable[[str, random.Random], str | None]
DIRECT, FRAGMENT = QuoteKind.DIRECT, QuoteKind.FRAGMENT
TRUNCATED = frozenset({ChangeKind.TRUNCATED})
# name -> (how to alter, what a right answer is: a repeat, or an alter with these change kinds,
# and how the copy is printed: as a direct quote or as a fragment)
ALTERATIONS: dict[str, tuple[Alteration, str | frozenset[ChangeKind], QuoteKind]] = {
    "untouched copy": (_untouched, "repeat", DIRECT),
    "trim start, as a fragment": (_trim_start, "repeat", FRAGMENT),
    "trim end, as a fragment": (_trim_end, "repeat", FRAGMENT),
    "trim start, as a quotation": (_trim_start, TRUNCATED, DIRECT),
    "trim end, as a quotation": (_trim_end, TRUNCATED, DIRECT),
    "first 40% cut, as a quotation": (_trim_two_fifths, TRUNCATED, DIRECT),
    "negation": (_negate, frozenset({ChangeKind.NEGATION}), DIRECT),
    "number": (_number, frozenset({ChangeKind.NUMBER}), DIRECT),
    "entity": (_entity, frozenset({ChangeKind.ENTITY}), DIRECT),
    "trim start + negation": (
        _trim_and_negate,
        frozenset({ChangeKind.TRUNCATED, ChangeKind.NEGATION}),
        DIRECT,
    ),
    "swapped speaker": (_speaker_copy, frozenset({ChangeKind.SPEAKER}), DIRECT),
}


def _right(cls: Classification, sid: int, expected: str | frozenset[ChangeKind]) -> bool:
    if cls.statement_id != sid:
        return False
    if expected == "repeat":
        return cls.relation is Relation.REPEAT
    if expected == frozenset({ChangeKind.SPEAKER}):
        return cls.relation is Relation.MISATTRIBUTION
    kinds = {c.kind for c in cls.changes}
    return cls.relation is Relation.ALTER and set(expected) <= kinds


def run(quick: bool) -> list[dict[str, object]]:
    if not DATA.exists():
        return [{"alteration": f"not run: {DATA} is absent"}]
    quotes = real_quotes(250 if quick else None)
    index = StatementIndex()
    known = {}
    for sid, (text, speaker) in enumerate(quotes, start=1):
        index.add(sid, speaker, text)
        known[sid] = KnownStatement(sid, speaker, text)
    rng = random.Random(5)
    speakers = sorted({s for _, s in quotes})
    rows: list[dict[str, object]] = []
    for name, (alter, expected, kind) in ALTERATIONS.items():
        tried, right, alerted = 0, 0, 0
        for sid, (text, speaker) in enumerate(quotes, start=1):
            changed = alter(text, rng)
            if changed is None:
                continue
            who = speaker
            if expected == frozenset({ChangeKind.SPEAKER}):
                who = rng.choice([s for s in speakers if s.split()[-1] != speaker.split()[-1]])
            tokens = tokenize(changed)
            candidates = [known[i] for i in index.candidates(changed, tokens=tokens)]
            cls = classify_quote(changed, who, candidates, kind, tokens)
            tried += 1
            right += _right(cls, sid, expected)
            alerted += cls.relation in (Relation.ALTER, Relation.MISATTRIBUTION)
        rows.append(
            {
                "alteration": name,
                "quotes": tried,
                "expected": expected
                if isinstance(expected, str)
                else "alter: " + " + ".join(sorted(k.value for k in expected)),
                "right": f"{right / max(tried, 1):.1%}",
                "false alerts": f"{alerted / max(tried, 1):.1%}" if expected == "repeat" else "",
            }
        )
    rows.append({"alteration": f"(store: {len(quotes)} real quotes)"})
    return rows


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run(quick=True)))
