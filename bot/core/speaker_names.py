"""Comparing speaker names as written by different outlets ("Macron" vs "Emmanuel Macron")."""

from __future__ import annotations

import re
import unicodedata

_HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "prof", "president", "sen", "senator", "rep", "gov",
        "governor", "sir", "dame", "lord", "lady", "minister", "chancellor", "prime",
        "secretary", "general", "gen", "col", "capt", "judge", "justice", "rev", "mayor",
        "councillor", "councilor", "councilman", "councilwoman", "congressman", "congresswoman",
    }
)  # fmt: skip
_ALIASES = {
    "us": "united states",
    "usa": "united states",
    "u s": "united states",
    "uk": "united kingdom",
    "u k": "united kingdom",
    "elysee": "elysee",
}


_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces, white space collapsed."""
    if text.isascii():  # nothing to decompose: the same answer, without the per-letter pass
        bare = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", bare.lower()).split())


def name_key(name: str) -> str:
    """A comparable form of a name: folded, without honorifics or a leading "the"."""
    words = fold(name).split()
    while words and (words[0] in _HONORIFICS or words[0] == "the"):
        words = words[1:]
    key = " ".join(words)
    return _ALIASES.get(key, key)


def same_person(a: str | None, b: str | None) -> bool:
    """True when two written names plausibly name one speaker.

    Equal keys, or one name's words a suffix of the other's ("Macron" / "Emmanuel Macron").
    """
    if not a or not b:
        return False
    ka, kb = name_key(a).split(), name_key(b).split()
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = (ka, kb) if len(ka) < len(kb) else (kb, ka)
    return long_[-len(short) :] == short


# Lower-case words a name may hold: "Ursula von der Leyen", "Bank of England".
_NAME_PARTICLES = frozenset(
    "de van von der den da di du al bin ibn la le del della dos das of the and y e".split()  # noqa: SIM905
)


def names_someone(speaker: str) -> bool:
    """A speaker written as a name: each word capitalised or a name's particle. Not a clause a
    source span swallowed ("Reporters spoke to Lindqvist"), which must never be blamed for
    words another speaker said."""
    words = speaker.split()
    return bool(words) and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)
