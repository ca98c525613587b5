"""Build FNC-style (claim, body, label) pairs from the PolNeAR articles in ../shared at run time.

- unrelated: one article's headline against another article's body (same election-news pool,
  so many share names: the hard kind of unrelated);
- discuss: an article's headline against its own body;
- support: a plain, unquoted sentence of the body as the claim, against that body;
- dispute: the headline against its own body with one rebuttal paragraph inserted, written
  from our own templates with invented people and outlets; a third avoid the cue lexicon.
Only this generator is committed; the pairs are rebuilt whenever the evaluation runs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear-train" / "text"

PEOPLE = ["Dana Whitlock", "Marco Ferreira-Lund", "Priya Calloway", "Tomas Vendel", "Ines Baro"]
OUTLETS = ["the Harbor Ledger", "Northgate Wire", "the Valley Courier", "Plainview Dispatch"]
# {who}, {outlet}, {claim}: the rebuttal paragraph inserted into a dispute body.
WITH_CUES = [
    "{who}, a spokesperson, rejected the claim that {claim}, calling it false and misleading.",
    "But the report is false. Records reviewed by {outlet} show no evidence that {claim}.",
    "{who} denied the story on Tuesday. \u201cIt is nonsense, and whoever wrote it knows it,\u201d "
    "{who} said.",
    "Fact-checkers at {outlet} rated the claim that {claim} as false.",
    "{who} dismissed the account as a fabrication and said the headline was a hoax.",
    "The assertion that {claim} does not hold up, {outlet} found after reviewing the filings.",
    "\u201cThat is simply untrue,\u201d {who} said of the report that {claim}.",
]
WITHOUT_CUES = [
    "{who} said the story got it backwards: \u201cNone of that happened. Not one word of it.\u201d",
    "Contrary to what was reported, {who} was abroad that week, and the meeting never took place.",
    "Records obtained by {outlet} tell a different story, and the people named say it never "
    "occurred.",
    "{who} said the report that {claim} was \u201cpure fiction\u201d and asked for a correction.",
]


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    statement: str
    text: str
    label: str


def _articles(root: Path) -> list[tuple[str, str, list[str]]]:
    out = []
    for path in sorted(root.glob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace").strip()
        lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
        if len(lines) < 4 or len(lines[0].split()) < 5:
            continue
        out.append((path.stem, lines[0], lines[1:]))
    return out


def _claim_words(title: str) -> str:
    """The headline as a clause: lower-cased first letter, no trailing punctuation."""
    clause = re.sub(r"[.:!?\u2019'\"]+$", "", title.strip())
    return clause[:1].lower() + clause[1:]


def _plain_sentence(paras: list[str], rng: random.Random) -> str | None:
    candidates = []
    for para in paras[1:]:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", para):
            quoted = re.search(r"[\"\u201c\u201d]|\bsaid\b|\bsays\b", sentence)
            if not quoted and 10 <= len(sentence.split()) <= 30:
                candidates.append(sentence)
    return rng.choice(candidates) if candidates else None


def build_pairs(root: Path = POLNEAR, limit: int = 400, seed: int = 7) -> list[Pair]:
    rng = random.Random(seed)
    articles = _articles(root)
    rng.shuffle(articles)
    articles = articles[:limit]
    pairs: list[Pair] = []
    for i, (name, title, paras) in enumerate(articles):
        body = "\n\n".join(paras)
        other = articles[(i + 1 + rng.randrange(len(articles) - 1)) % len(articles)]
        pairs.append(Pair(f"{name}/u", other[1], body, "unrelated"))
        kind = i % 4
        if kind in (0, 1):
            pairs.append(Pair(f"{name}/d", title, body, "discuss"))
        elif kind == 2:
            sentence = _plain_sentence(paras, rng)
            if sentence:
                pairs.append(Pair(f"{name}/s", sentence, body, "support"))
        else:
            templates = WITHOUT_CUES if rng.random() < 0.33 else WITH_CUES
            rebuttal = rng.choice(templates).format(
                who=rng.choice(PEOPLE), outlet=rng.choice(OUTLETS), claim=_claim_words(title)
            )
            at = min(len(paras), rng.choice((1, 2, 3)))
            text = "\n\n".join([*paras[:at], rebuttal, *paras[at:]])
            pairs.append(Pair(f"{name}/x", title, text, "dispute"))
    return pairs
