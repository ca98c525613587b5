"""A reproducible corpus of realistic articles for benchmarks, written by our own code.

Invented people and outlets; varied quote styles (curly and straight marks, split quotes,
colon lead-ins, pronoun speakers, fragments, reported speech), lengths, and statements that
recur across outlets untouched, trimmed, reworded, negated, with changed numbers or credited to
someone else. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.models import Article

FIRST = [
    "Mara",
    "Oskar",
    "Ines",
    "Tomas",
    "Lena",
    "Aron",
    "Clara",
    "Jonas",
    "Edda",
    "Pavel",
    "Sanna",
    "Rune",
    "Greta",
    "Milo",
    "Hanne",
]
LAST = [
    "Lindqvist",
    "Brandt",
    "Calloway",
    "Brekke",
    "Morvik",
    "Falk",
    "Vennholt",
    "Aaberg",
    "Strand",
    "Kessler",
    "Dahl",
]
ROLES = [
    "the finance minister",
    "a spokesperson for the port authority",
    "the chair of the harbour committee",
    "an economist at the Aldren Institute",
    "the mayor",
    "the union's general secretary",
]
OUTLETS = [
    "Northgate Wire",
    "The Aldren Courier",
    "Harbor Daily Post",
    "The Meridian Times",
    "Coastline Gazette",
    "Tidewater Ledger",
    "Halden Herald",
    "Fjordline Today",
]
SUBJECTS = [
    "the harbour tax",
    "the ferry line",
    "the new bridge",
    "the hospital wing",
    "the rail link",
    "the budget",
    "the wind farm",
    "the school reform",
]
CLAIMS = [
    "We will {neg}finish {subject} before the winter, and {n} families will feel the difference",
    "Nobody should doubt that {subject} will {neg}cost more than {n} million crowns",
    "I have said it before and I will say it again: {subject} is {neg}on schedule",
    "The numbers are clear, {subject} will {neg}create {n} jobs in the first year",
    "We are {neg}ready to put {subject} to a vote of the council within {n} days",
    "If the ministry keeps its word, {subject} will {neg}open to the public by spring",
]
FILLER = [
    "The council met on Tuesday to discuss the plan, which has divided the city for months.",
    "Critics argue the project has already run over budget twice since it was announced.",
    "Residents of the northern districts have waited for a decision for nearly a decade.",
    "The opposition has called for an independent review of the costs.",
    "A final decision is expected after the regional elections in the spring.",
    "Officials declined to give a timetable for the next phase of the works.",
]
SYNONYMS = [("We will", "We are going to"), ("will", "shall"), ("Nobody", "No one")]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _claim(rng: random.Random) -> str:
    template = rng.choice(CLAIMS)
    return template.format(
        subject=rng.choice(SUBJECTS),
        neg="not " if rng.random() < 0.3 else "",
        n=rng.randint(2, 900),
    )


def _variant(rng: random.Random, claim: str) -> str:
    """The claim as another outlet prints it: untouched (half the time) or changed one way."""
    roll = rng.random()
    words = claim.split()
    if roll < 0.5:
        return claim
    if roll < 0.6:
        return " ".join(words[rng.randint(2, 4) :])  # trimmed start
    if roll < 0.7:
        return " ".join(words[: -rng.randint(2, 4)])  # trimmed end
    if roll < 0.8:
        return (
            claim.replace(" not ", " ")
            if " not " in claim
            else claim.replace("will", "will not", 1)
        )
    if roll < 0.9:
        return " ".join(str(int(w) + 100) if w.isdigit() else w for w in words)
    a, b = rng.choice(SYNONYMS)
    return claim.replace(a, b, 1)


def _quote_paragraph(rng: random.Random, text: str, speaker: str, role: str) -> str:
    last = speaker.split()[-1]
    open_, close = ("“", "”") if rng.random() < 0.7 else ('"', '"')
    style = rng.randrange(5)
    if style == 0:
        return f"{open_}{text},{close} {last} said."
    if style == 1:
        return f"{speaker}, {role}, said: {open_}{text}.{close}"
    if style == 2:
        return f"{open_}{text},{close} said {speaker}, {role}."
    if style == 3:
        half = text.split()
        cut = max(2, len(half) // 2)
        first, rest = " ".join(half[:cut]), " ".join(half[cut:])
        return f"{open_}{first},{close} {last} said. {open_}{rest}.{close}"
    return f"{last} said {text[0].lower() + text[1:]}."


def generate(n_articles: int = 3000, seed: int = 7) -> Iterator[Article]:
    """``n_articles`` articles; about a third quote a statement first made elsewhere."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 6, tzinfo=UTC)
    known: list[tuple[str, str, str]] = []  # (claim, speaker, role)
    for i in range(n_articles):
        outlet = rng.choice(OUTLETS)
        paragraphs: list[str] = []
        lead_speaker = _person(rng)
        role = rng.choice(ROLES)
        paragraphs.append(
            f"{lead_speaker}, {role}, spoke on {rng.choice(SUBJECTS)} on "
            f"{rng.choice(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])}."
        )
        for _ in range(rng.randint(1, 4)):
            if known and rng.random() < 0.35:
                claim, speaker, srole = rng.choice(known)
                text = _variant(rng, claim)
                if rng.random() < 0.05:
                    speaker = _person(rng)  # credited to someone else
            else:
                claim, speaker, srole = _claim(rng), lead_speaker, role
                known.append((claim, speaker, srole))
                text = claim
            paragraphs.append(_quote_paragraph(rng, text, speaker, srole))
            paragraphs.extend(rng.sample(FILLER, rng.randint(1, 3)))
        if rng.random() < 0.3:
            paragraphs.append(
                f"Critics called the plan “{rng.choice(['a fantasy', 'reckless', 'overdue'])}”."
            )
        title = f"{lead_speaker.split()[-1]} on {rng.choice(SUBJECTS)}"
        yield Article(
            url=f"https://{outlet.lower().replace(' ', '-')}.example/{i}",
            outlet=outlet,
            title=title,
            text=title + "\n\n" + "\n\n".join(paragraphs),
            published=start + timedelta(minutes=7 * i),
        )


POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear-train"


def polnear_training_articles(limit: int | None = None) -> list[Article]:
    """Real articles of the PolNeAR training split, never those of ``check_articles.txt``
    (which is only reported on); empty when ../shared is not beside the repo."""
    text_dir = POLNEAR / "text"
    if not text_dir.is_dir():
        return []
    check_file = POLNEAR / "check_articles.txt"
    check = set(check_file.read_text().split()) if check_file.exists() else set()
    out: list[Article] = []
    for path in sorted(text_dir.glob("*.txt")):
        if path.stem in check:
            continue
        outlet, day, _ = path.stem.split("_", 2)
        text = path.read_text(encoding="utf-8")
        out.append(
            Article(
                url=f"https://{outlet}.example/{path.stem}",
                outlet=outlet,
                title=text.split("\n", 1)[0],
                text=text,
                published=datetime.fromisoformat(day).replace(tzinfo=UTC),
            )
        )
        if limit is not None and len(out) >= limit:
            break
    return out
