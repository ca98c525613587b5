"""Resolving ``he`` / ``she`` to the right earlier person, with gender agreement.

Candidates are earlier speakers and people who head a sentence (subjects), not people named
in passing ("a response to Mr. Macron's proposal"); a pronoun in a leading clause ("Since
2019, when he declared …, Mr. Macron has …") points forward to the sentence's subject.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from bot.core.extract.attribution import OPENERS
from bot.core.extract.names import FEMALE, FIRST_NAMES, MALE, Roster
from bot.core.extract.vocabulary import ROLE_PATTERN
from bot.core.speaker_names import UPPER

# How far back (characters) a pronoun or a description looks for the person it refers to.
COREF_WINDOW = 20_000

_SUBORDINATE = re.compile(
    r"^(?:Since|When|Although|Though|While|After|Before|As|If|Once|Because|Even though)\b"
)


_CAPITAL = re.compile(rf"(?<![\w’'])[{UPPER}][\w’'\-]*")
# Capitalised words and initials before a mention; "A." is one word read one way (it matched
# both alternatives once, and a run of initials took exponential time).
_NAME_GOES_ON = re.compile(rf"[ \t]+[{UPPER}]")  # "Amélie Lachance": the full name, read as such
_RUN = re.compile(rf"(?:(?>[{UPPER}][\w’'\-]*\.?)[ \t]+)+$")
_ROLES = f"(?:{ROLE_PATTERN})"
# A subject heads its sentence: past a phrase ending in a comma, or a role ("campaign manager
# Arne Holt"), or a phrase of time or place and then a role ("On Monday night, campaign manager
# Arne Holt"); not a role after a main clause ("… on Monday, especially campaign manager X").
_ROLE_PHRASE = rf"(?:[{UPPER}][\w\-]*\s+)?(?:[a-z][\w\-]*\s+){{0,2}}{_ROLES}\s+"
_OPENING = "|".join(sorted(OPENERS))
_CLAUSE = re.compile(rf"[^,]{{0,120}},\s*|(?:(?i:{_OPENING})\b[^,]{{0,120}},\s*)?{_ROLE_PHRASE}")
# "Kazakhstan's foreign minister, Erlan Idrissov,": a role given a name makes it a person's.
_ROLE_BEFORE = re.compile(rf"\b{_ROLES},?\s+$")
_AGE_AFTER = re.compile(r",\s+\d{1,3},")  # "Ada Lind, 72,": an age is a person's


@dataclass(frozen=True, slots=True)
class PersonMention:
    position: int
    name: str
    subject: bool


def person_mentions(
    text: str, roster: Roster, sentences: list[tuple[int, int]]
) -> list[PersonMention]:
    """Every mention of a known person (full name or surname, with or without a title)."""
    # The most used person of a surname wins; sorted, so that no hash seed decides a tie.
    ranked = sorted(roster.persons, key=lambda n: (roster.count.get(n, 0), len(n), n))
    by_last = {name.split()[-1]: name for name in ranked}
    for word, full in roster.family_first.items():  # "Ban" of "Ban Ki-moon"
        by_last.setdefault(word, full)
    # "Amélie, 17, was more modest": a first name written alone, when one person of the article
    # bears it and no one bears it as a family name
    givens = Counter(n.split()[0] for n in roster.persons if n.count(" ") in (1, 2))
    by_first = {
        first: n
        for n in ranked
        if n.count(" ") in (1, 2)
        and (first := n.split()[0]).lower() in FIRST_NAMES  # not "Florida (Sen.)", "Compaq"
        and givens[first] == 1
        and first not in by_last
    }
    if not by_last:
        return []
    starts = [s for s, _ in sentences]
    out: list[PersonMention] = []
    resolved: dict[str, str | None] = {}  # a name written the same way resolves the same way
    for m in _CAPITAL.finditer(text):
        name = by_last.get(m.group())
        if name is None and m.group() in by_first and not _NAME_GOES_ON.match(text, m.end()):
            name = by_first[m.group()]
        if name is None or text[m.end() : m.end() + 2] in ("’s", "'s"):
            continue
        run = _RUN.search(text, max(0, m.start() - 80), m.start())
        begin = run.start() if run else m.start()
        k = bisect_right(starts, begin) - 1
        sent_start = starts[k] if k >= 0 else 0
        lead = text[sent_start:begin] if sent_start <= begin else ""
        subject = not lead.strip() or bool(_CLAUSE.fullmatch(lead))
        as_written = text[begin : m.end()]
        if as_written not in resolved:
            resolved[as_written] = roster.resolve(as_written)
        written = resolved[as_written]
        if written in roster.persons:
            name = written
        if name not in roster.evidenced and (
            _ROLE_BEFORE.search(text, max(sent_start, begin - 40), begin)
            or _AGE_AFTER.match(text, m.end())
        ):
            roster.evidenced.add(name)
        out.append(PersonMention(begin, name, subject))
    return out


_HE = re.compile(r"\bhe\b", re.I)
_SHE = re.compile(r"\bshe\b", re.I)


def infer_gender(
    text: str, roster: Roster, mentions: list[PersonMention], sentences: list[tuple[int, int]]
) -> None:
    """Unknown genders from the pronouns of sentences that mention only that person."""
    starts = [s for s, _ in sentences]
    people: dict[int, set[str]] = {}
    first: dict[int, PersonMention] = {}
    for m in mentions:
        k = bisect_right(starts, m.position) - 1
        people.setdefault(k, set()).add(m.name)
        first.setdefault(k, m)
    votes: dict[str, int] = {}
    for k, names in people.items():
        if len(names) != 1 or k < 0:
            continue
        (name,) = names
        e = sentences[k][1]
        nxt = min(sentences[k + 1][0] + 12, sentences[k + 1][1]) if k + 1 < len(sentences) else e
        window = text[first[k].position : nxt]  # "X …, she …" and "X …. He …"
        vote = len(_HE.findall(window)) - len(_SHE.findall(window))
        votes[name] = votes.get(name, 0) + vote
        if vote and first[k].subject:  # "Zorya Pelk runs the port. She …": written as a person
            roster.evidenced.add(name)
    for name, vote in votes.items():
        if not roster.gender.get(name) and vote:
            roster.gender[name] = "m" if vote > 0 else "f"


def gender_ok(pronoun: str, name: str, roster: Roster) -> bool:
    g = roster.gender.get(name, "")
    p = pronoun.lower()
    if p == "he":
        return g != "f"
    if p == "she":
        return g != "m"
    return True


def _person_ok(pronoun: str, name: str, roster: Roster) -> bool:
    """``he`` or ``she`` can be this name: its gender agrees, and the article writes it as a
    person (``Social Security`` and ``Islamic State`` are capitalised, never anyone).
    A name credited with a quote is a person already: the speakers are checked by gender alone.
    """
    return gender_ok(pronoun, name, roster) and (
        pronoun.lower() not in ("he", "she") or name in roster.evidenced
    )


def resolve_pronoun(
    pronoun: str,
    position: int,
    sentence: tuple[int, int],
    text: str,
    roster: Roster,
    mentions: list[PersonMention],
    speakers: list[tuple[int, str]],
    previous: int = 0,
) -> str | None:
    """The person ``he``/``she`` at ``position`` refers to, or None; ``it``/``they``: the
    organisation just named, in the paragraph or the sentence before (starting at
    ``previous``)."""
    p = pronoun.lower()
    if p not in ("he", "she", "i"):
        if p in ("it", "they") and speakers:
            last = speakers[-1][1]
            # "Twitter said … It added": the organisation just named, in this paragraph or
            # the sentence before; not whatever spoke last further back ("the court … it ruled")
            paragraph = text.rfind("\n", 0, sentence[0]) + 1
            near = text[min(paragraph, previous) : position]
            named = last.split()[-1] in near
            return last if last not in roster.persons and named else None
        return None
    s_start, s_end = sentence
    if _SUBORDINATE.match(text[s_start:s_end]):
        comma = text.find(",", position, s_end)
        for m in mentions:
            if comma >= 0 and comma < m.position < s_end and _person_ok(p, m.name, roster):
                return m.name
    wanted = {"she": "f", "he": "m"}.get(p, "")
    if wanted and previous < s_start and not text[s_start:position].strip(" “\"'‘"):
        # the pronoun opens its sentence: perhaps the person the one before introduced
        introduced = _just_introduced(wanted, text, (previous, s_start), roster, mentions)
        if introduced is not None:
            return introduced
    best = _latest(p, position, roster, mentions, speakers)
    if best is not None:
        return best  # recency wins; a known or inferred gender only rules people out
    earlier = [m for m in mentions if m.position < position and _person_ok(p, m.name, roster)]
    return earlier[-1].name if earlier else None


_DESCRIBED_AFTER = re.compile(r",\s+(?:who|whose|a|an|the)\s")


def _just_introduced(
    wanted: str, text: str, between: tuple[int, int], roster: Roster, mentions: list[PersonMention]
) -> str | None:
    """The person the sentence ``between`` introduces (first named there), for a pronoun of
    the ``wanted`` gender opening the next ("The debate also drew out Coun. Marie Whitecap, who
    …. She said …"), when that person's first name is of that gender and no one else named
    there could be meant."""
    previous, s_start = between
    lo = bisect_left(mentions, previous, key=lambda m: m.position)
    hi = bisect_left(mentions, s_start, lo, key=lambda m: m.position)
    names = {m.name for m in mentions[lo:hi]}
    own, other = (FEMALE, MALE) if wanted == "f" else (MALE, FEMALE)
    given = [n for n in names if n.split()[0].lower() in own]  # "Marie Whitecap"
    maybe = [n for n in names if n in roster.evidenced and n.split()[0].lower() not in other]
    if len(given) != 1 or len(maybe) > 1:
        return None
    name = given[0]
    floor = previous - COREF_WINDOW  # (as far back as _latest looks: bounded work)
    j = lo - 1
    while j >= 0 and mentions[j].position >= floor:
        if mentions[j].name == name:
            return None  # named before: not introduced there
        j -= 1
    first = next(m.position for m in mentions[lo:hi] if m.name == name)
    last = name.split()[-1]
    end = text.find(last, first, s_start)
    # described there ("…, who is no relation to her colleague"), not merely named as the one
    # told or attacked ("he told Sen. Jeff Flake")
    described = end >= 0 and _DESCRIBED_AFTER.match(text, end + len(last), s_start) is not None
    return name if described else None


def _latest(
    pronoun: str,
    position: int,
    roster: Roster,
    mentions: list[PersonMention],
    speakers: list[tuple[int, str]],
) -> str | None:
    """The latest subject or speaker before ``position`` whose gender does not conflict."""

    def agrees(name: str) -> bool:
        return gender_ok(pronoun, name, roster)

    # Both lists are in text order: walk back from ``position``, no further than the window,
    # so a huge article costs time in proportion to its length, not its square.
    floor = position - COREF_WINDOW
    best: tuple[int, str] | None = None
    j = bisect_left(mentions, position, key=lambda m: m.position) - 1
    while j >= 0 and mentions[j].position >= floor:
        m = mentions[j]
        if m.subject and _person_ok(pronoun, m.name, roster):
            best = (m.position, m.name)
            break
        j -= 1
    for pos, name in reversed(speakers):
        if pos < floor:
            break
        if pos >= position or name not in roster.persons or not agrees(name):
            continue
        if best is None or pos >= best[0]:
            best = (pos, name)
        break
    return best[1] if best else None
