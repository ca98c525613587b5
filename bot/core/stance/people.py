"""Who is named where in an article: the candidates for "who disputes" and "whose statement".

Capitalised runs ("David Arakhamia", "Mr. Tenzer") are taken as names; a later surname is
resolved to the fullest form the article gave earlier, as outlets do after first mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.speaker_names import NAME_GAP, UPPER, name_key, same_person
from bot.core.stance.text import STOPWORDS, word_set

_TITLE = r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|President|Minister|Senator|Governor)\.?\s+"
_CAP = rf"[{UPPER}][\w'’-]*[a-z][\w'’-]*"
_NAME = re.compile(
    rf"(?:{_TITLE})?{_CAP}"
    rf"(?:{NAME_GAP}(?:[{UPPER}]\.|{_CAP}|(?:de|van|von|der|da|al|bin|la|le)(?=\s+[{UPPER}]))){{0,3}}"
    rf"(?:{NAME_GAP}{_CAP})?"
)
# Capitalised words that begin sentences or name things, never a person who disputes.
_NOT_NAMES = word_set(
    """
    the a an but and or so yet however although though while when after before since if
    in on at for from with by to of as this that these those it its he she they we i you
    his her their our my monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december
    responding speaking asked writing meanwhile still also earlier later last next many
    some most several according despite there here what why how who whom which both
    either neither even only all each every
    """
)
PRONOUNS = frozenset({"he", "she", "they"})
# Job titles written before a name ("Councillor Bram Osei"): not part of the name.
_ROLES = word_set(
    """
    mayor councillor councilor councilman councilwoman senator representative congressman
    congresswoman governor minister secretary president vice chancellor premier chairman
    chairwoman chair director chief spokesman spokeswoman spokesperson judge justice professor
    commissioner ambassador sheriff inspector officer detective sergeant captain colonel
    general admiral lieutenant major deputy librarian economist analyst lawyer attorney
    adviser advisor editor author writer columnist scientist activist pastor bishop rabbi
    imam king queen prince princess lord lady sir dame shopkeeper engineer doctor nurse
    coach manager founder ceo executive treasurer auditor mp mep
    """
)
ROLE_WORDS = "|".join(sorted(_ROLES, key=len, reverse=True))  # a regex alternation


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as written, its resolved form, and where it sits in the text."""

    written: str
    resolved: str
    start: int
    end: int

    @property
    def words(self) -> int:
        return len(name_key(self.resolved).split())


def _strip(name: str) -> str:
    words = name.replace("’", "'").split()
    while len(words) > 1 and (
        words[0].rstrip(".").lower() in {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov"}
        or words[0].lower() in _ROLES
    ):
        words = words[1:]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    return " ".join(words)


def find_mentions(text: str, offset: int = 0) -> list[Mention]:
    """Every name-like run in ``text``; ``offset`` shifts positions into the article."""
    out: list[Mention] = []
    for match in _NAME.finditer(text):
        raw = match.group()
        words = raw.split()
        while words and words[0].lower().rstrip(".,") in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        written = " ".join(words)
        name = _strip(written)
        if not name or name.lower() in STOPWORDS:
            continue
        start = offset + match.end() - len(written)
        out.append(Mention(written, name, start, offset + match.end()))
    return out


class People:
    """The names of one article, so that "Mr. Tenzer" resolves to "Nicolas Tenzer"."""

    def __init__(self, text: str, known: tuple[str, ...] = ()) -> None:
        """``known``: the speakers the quote finder resolved, read before the names as
        written (whose leading words may be a title: "Israeli Prime Minister Benjamin
        Netanyahu")."""
        # (one person each: a joint source, "Cruz and Fiorina", is no fuller form of Fiorina)
        self.known: list[str] = list(dict.fromkeys(k for k in known if k and " and " not in k))
        self.full: list[str] = list(self.known)
        for mention in find_mentions(text):
            if mention.words >= 2 and mention.resolved not in self.full:
                self.full.append(mention.resolved)

    def resolve(self, name: str) -> str:
        """A surname's fullest form: a resolved speaker's first, else a name as written."""
        bare = _strip(name)
        if len(bare.split()) >= 2:
            return bare
        for names in (self.known, self.full):
            candidates = [f for f in names if same_person(f, bare)]
            if candidates:
                return max(candidates, key=len)
        return bare

    @staticmethod
    def surname(name: str | None) -> str | None:
        if not name:
            return None
        key = name_key(name).split()
        return key[-1] if key else None
