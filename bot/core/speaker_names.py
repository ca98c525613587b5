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


# White space inside a name, but never a blank line: no name spans two paragraphs ("… before
# World War I.\n\nHarrow rejected …" is no "World War I. Harrow"). Atomic: a run of spaces is one
# gap, never split between its parts in every way (that took seconds on a line of double-spaced
# capitalised words). Both name finders, the extractor's and the dispute stage's, use it.
NAME_GAP = r"(?>[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"
# The capital letters names open on, for a regex character class: A-Z and the accented ones
# ("Élise Gagnon", "Øyvind Lie", "Łukasz Nowak"), which [A-Z] alone would miss.
UPPER = "A-ZȘȚ" + "".join(
    c for c in map(chr, range(0xC0, 0x180)) if unicodedata.category(c) == "Lu"
)
_WORD = re.compile(r"\w+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _bare(run: re.Match[str]) -> str:
    return "".join(c for c in run.group() if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces, white space collapsed."""
    if not text.isascii():  # marks dropped; only the runs of non-ASCII letters can hold one
        text = _NON_ASCII.sub(_bare, unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text.lower()))  # the words, one space between


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


def written_as_name(speaker: str) -> bool:
    """Each word capitalised or a name's particle: a name or a group ("Officials"), not a
    clause a source span swallowed ("Reporters spoke to Lindqvist")."""
    words = speaker.split()
    return bool(words) and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)


# A group the article credits without naming anyone: "Officials", "Some Democrats".
GROUP_NOUNS = (
    r"(?:[Oo]fficials|[Aa]nalysts|[Ee]xperts|[Cc]ritics|[Ss]ources|[Aa]ides|[Oo]bservers|"
    r"[Ss]upporters|[Rr]esidents|[Ww]itnesses|[Pp]olice|[Pp]rosecutors|[Ee]conomists|"
    r"[Dd]iplomats|[Oo]pponents|[Vv]oters|[Ll]awmakers|[Rr]epublicans|[Dd]emocrats|"
    r"[Rr]esearchers|[Ww]riters|[Tt]raders|[Ee]xecutives|[Ss]cientists|[Dd]octors|"
    r"[Aa]dvocates|[Aa]ctivists|[Ll]eaders|[Mm]embers|[Ss]tudents|[Pp]arents|[Ww]orkers|"
    r"[Oo]rganizers|[Oo]rganisers|[Ii]nvestigators|[Aa]uthorities|[Pp]rotesters|[Pp]olls|"
    r"[Ss]urveys|[Ss]tudies|[Rr]eports|[Dd]ocuments|[Rr]ecords|[Ee]mployees|[Ff]ans|"
    r"[Cc]onservatives|[Ll]iberals|[Pp]rogressives|[Ss]trategists|[Pp]ollsters|[Ll]awyers|"
    r"[Aa]ttorneys|[Oo]thers|[Mm]any|[Ss]ome|[Ss]everal|[Mm]ost|[Bb]oth)"
)

_QUANTIFIERS = frozenset("some many several most few other others both all two three".split())  # noqa: SIM905


def is_group(speaker: str) -> bool:
    """A speaker that is a group of unnamed people ("Critics", "Some Democrats")."""
    words = speaker.split()
    return bool(words) and (
        re.fullmatch(GROUP_NOUNS, words[-1]) is not None
        and all(w.lower() in _QUANTIFIERS for w in words[:-1])
    )


def names_someone(speaker: str) -> bool:
    """A speaker another speaker's words can be blamed on: written as a name, and someone in
    particular. Neither a clause ("Reporters spoke to Lindqvist") nor a group ("Officials" may
    include the mayor who said it) misattributes anything."""
    return written_as_name(speaker) and not is_group(speaker)
