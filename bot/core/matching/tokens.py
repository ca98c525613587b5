"""Words of a quote as the matcher compares them: display, exact key and a looser stem.

Typography is folded (curly/straight marks, dashes, accents, case); numbers are normalised so
"1.5 million", "1,500,000" and "three"/"3" compare equal; an ellipsis is a token of its own so a
quote spliced at "…" shows where words were cut.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ELLIPSIS = "…"

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}  # fmt: skip


def _words(text: str) -> list[str]:
    return text.split()


_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
_WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})  # fmt: skip
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
     "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-",
     "\u00a0": " "}
)  # fmt: skip
NEGATIONS = frozenset(
    _words("not no never nothing none nobody neither nor cannot without n't nowhere")
)
STOPWORDS = frozenset(
    _words("""a an the and or but of to in on at for by with from as is are was were be been being
    it its this that these those we i you he she they our your their his her my me us them
    will would can could should shall may might must do does did have has had so if than then
    there here what which who whom how when where why all any some not no""")
)


@dataclass(frozen=True, slots=True)
class Token:
    display: str  # as written, with its punctuation
    key: str  # folded word; numbers as digits
    stem: str  # looser: plural and possessive endings dropped

    @property
    def is_number(self) -> bool:
        return bool(self.key) and self.key.replace(".", "", 1).isdigit()

    @property
    def numbers(self) -> tuple[str, ...]:
        """The numbers in the word: itself, or those inside it ("25-second", "2010-2011")."""
        if self.key.isalpha():
            return ()  # most words: no letter is a digit
        if self.is_number:
            return (self.key,)
        return tuple(_DIGITS.findall(self.key)) if any(c.isdigit() for c in self.key) else ()

    @property
    def is_negation(self) -> bool:
        return self.key in NEGATIONS or self.key.endswith("n't")

    @property
    def capitalised(self) -> bool:
        word = _EDGE_PUNCT.sub("", self.display)
        return bool(word) and word[0].isupper() and word not in ("I", "I'm", "I’m")


def fold_typography(text: str) -> str:
    if text.isascii():
        return text  # nothing to fold: most words of most quotes
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _number_value(word: str) -> float | None:
    if _NUMBER.match(word):
        return float(word.replace(",", ""))
    return _WORD_NUMBERS.get(word)


def _digits(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def stem(key: str) -> str:
    if key.endswith("'s"):
        key = key[:-2]
    if len(key) > 4 and key.endswith("ies"):
        return key[:-3] + "y"
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


def tokenize(text: str) -> list[Token]:
    """The words of ``text``; punctuation-only pieces (a dash) stay with the word before."""
    return list(_tokens(text))


# Pieces that are one plain word (no number, no ellipsis, not punctuation alone), as written,
# with their token: most words of a wording were met before, in other wordings.
PLAIN_WORDS = 30_000
_PLAIN: dict[str, Token] = {}


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[Token, ...]:
    """Remembered for the latest texts: a new quote is tokenised for the matcher, for its
    statement's key and, as the statement's wording, for the next quotes."""
    pieces = text.split()  # the runs of non-space characters (as ``\S+`` finds them)
    known = tuple(map(_PLAIN.get, pieces))
    if None not in known:
        return known  # type: ignore[return-value]  # every piece a plain word met before
    tokens: list[Token] = []
    i = 0
    while i < len(pieces):
        display = pieces[i]
        plain = _PLAIN.get(display)
        if plain is not None:
            tokens.append(plain)
            i += 1
            continue
        folded = fold_typography(display).lower()
        if "..." in folded or ELLIPSIS in folded:
            # "word…", "…word" and "one…two" keep their words, in order, around the ellipsis.
            parts = folded.replace("...", ELLIPSIS).split(ELLIPSIS)
            for n, part in enumerate(parts):
                word = _EDGE_PUNCT.sub("", part)
                if word:
                    tokens.append(Token(part, word, stem(word)))
                if n < len(parts) - 1:
                    tokens.append(Token(ELLIPSIS, ELLIPSIS, ELLIPSIS))
            i += 1
            continue
        word = _EDGE_PUNCT.sub("", folded)
        if not word:
            if tokens:
                last = tokens[-1]
                tokens[-1] = Token(f"{last.display} {display}", last.key, last.stem)
            i += 1
            continue
        value = _number_value(word)
        if value is not None and i + 1 < len(pieces):
            scale = _EDGE_PUNCT.sub("", pieces[i + 1].lower())
            if scale in _SCALES:
                value *= _SCALES[scale]
                display = f"{display} {pieces[i + 1]}"
                i += 1
        key = _digits(value) if value is not None else word
        token = Token(display, key, stem(key))
        tokens.append(token)
        if value is None:  # a word alone: the same token wherever it stands
            if len(_PLAIN) >= PLAIN_WORDS:
                _PLAIN.clear()
            _PLAIN[display] = token
        i += 1
    return tuple(tokens)


def content_words(tokens: list[Token]) -> list[str]:
    return [t.stem for t in tokens if t.key not in STOPWORDS and t.key != ELLIPSIS]


def normalised(text: str) -> str:
    """The comparable form of a wording: equal for two quotes that only differ in typography."""
    return " ".join(t.key for t in _tokens(text))
