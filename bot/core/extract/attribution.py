"""Finding the cue verb and the speaker mention in the words around a quote.

Handles ``X said``, ``said X``, ``X, a spokesperson for Y, said``, ``X told Reuters``,
``according to X``, a colon lead-in and a dash (``— X``). Works on masked text (quote
interiors replaced by ``x``) so words inside quotes never count as attribution.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from bot.core.extract.names import NAME, TITLED
from bot.core.extract.vocabulary import BARE, CUE_STEMS, DEMONYMS, INVERSE, NOT_NAME
from bot.core.speaker_names import UPPER, is_group

CUE = re.compile(rf"\b(?:according to|put it|(?:{CUE_STEMS}))\b")
_PRONOUN = r"(?:he|she|they|He|She|They|I|We|we|it|It)"
_NP_HEAD = (
    r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|"
    r"[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther)"
)
_NP_WORD = (
    r"(?:\s+(?!(?:has|have|had|is|was|were|are|and|or|but|by|that|to|of|about|as|for|with|"
    r"from|in|on|at|also|who|which|when|would|will|can|could|may|might|should|did|does|do|"
    rf"not|then|later|recently|previously|repeatedly|publicly|a|an|the|{CUE_STEMS})\b)"
    r"[\w’'\-.]+)"
)
_OWNED = (
    r"(?:[’']s\s+(?:campaign|spokesman|spokeswoman|spokesperson|office|team|lawyer|attorney|"
    r"aides?|press secretary|administration|government))?"
)
_POSTMOD = r"(?:\s+(?:for|of|at|from|with)\s+(?:the\s+|a\s+)?[\w’'\-.]+(?:\s+[\w’'\-.]+){0,2})?"
MENTION = (
    rf"{TITLED}{NAME}{_OWNED}|{_PRONOUN}|{_NP_HEAD}{_NP_WORD}{{1,5}}{_POSTMOD}|"
    rf"{BARE}"
)
# Each adverb is read one way only (atomic): "only" is also "\w+ly", "has also" also "has" +
# "also", and trying every split of a run of them took exponential time.
_ADV = (
    r"(?:\s+(?>\w+ly|also|has|have|had|later|then|previously|recently|again|once|further|"
    r"publicly|repeatedly|quickly|would|will|earlier|simply|only|often|has also|"
    r"had also|himself|herself|themselves|bluntly|flatly|firmly|angrily|calmly|"
    r"privately|separately|last week|on \w+day|in a statement|in an interview))*"
)
_END_MENTION = re.compile(rf"(?<![\w’'])({MENTION})(?:[’'](?:s|ve|d))?{_ADV}\s*$")
_AFTER_CUE = re.compile(
    rf"\s*(?:,\s*)?(?:(?!(?:in|on|at|to|that|the|a|an|of|for|with|by|from|during|after|before|"
    rf"about|it|this|is|was)\b)[a-z][\w\-]*\s+){{0,2}}?({MENTION})"
)
SUBJECT_VERB = re.compile(
    rf"^(?:[^,]{{0,60}},\s+)?({MENTION})(?:,[^,]{{1,120}},)?\s+(?:\w+ly\s+)?"
    r"(?:has\s+|had\s+|was\s+|is\s+)?[a-z]+(?:s|ed)\b"
)
_END_NAME = re.compile(rf"(?<![\w’'])({TITLED}{NAME}{_OWNED})(?:[’'](?:s|ve|d))?{_ADV}\s*$")
_SENT_START = re.compile(rf"^(?:[^,]{{0,160}},\s+)?({MENTION})")
_FIRST = re.compile(rf"^({MENTION}),")
OPENERS = frozenset(
    [
        "in",
        "on",
        "at",
        "after",
        "before",
        "during",
        "since",
        "while",
        "when",
        "although",
        "under",
        "according",
        "for",
        "with",
        "as",
        "despite",
        "speaking",
        "asked",
        "by",
        "from",
        "to",
        "if",
        "though",
        "once",
        "meanwhile",
        "however",
        "but",
        "and",
        "yet",
        "also",
        "still",
        "later",
        "earlier",
        "now",
        "then",
        "today",
        "yesterday",
        "last",
        "this",
    ]
)
_OF_OWNER = re.compile(rf"({TITLED}{NAME})\s+of\s+$")
_CUT = re.compile(
    r"\s+(?:who|which|that|in|at|on|during|after|before|when|while|as|of the "
    rf"campaign|to|including|xx+)\b.*$|(?:[,;:!?]|(?<!\b[{UPPER}])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)\.).*$"
)  # the first punctuation ends the phrase, not the dots of "U.S." or "Dr."


_INVERSE_CHUNK = re.compile(
    r"\s*([^,.;:!?()]{1,120}?)(?=\s*(?:[,.;:!?(]|$|\s(?:in|on|at|who|during)\b))"
)
_LAST_NAME = re.compile(rf"({TITLED}{NAME})$")
# What may follow the mention after an inverted cue ("…,” said Lena Moravec when asked about
# Mayor Calloway): the speaker is the name beside the cue, not the one the clause goes on to.
_MENTION_ENDS = re.compile(
    r"\s*(?:[,.;:!?(—–]|$|(?:of|for|at|in|on|who|told|added|when|while|after|before|as|"
    r"during|because)\b)"
)
_WINDOW = 320
TAIL = 160  # characters: no name or description with its adverbs is longer
_PAREN = re.compile(r"\s*\([^()]{1,40}\)(?=,?$)")
_PLACED = re.compile(r"\w(\s+(?:in|at|across|outside)\s+)$")  # "Fishers in Eastport say"
_DESCRIBED_NAME = re.compile(
    rf"(?:{_NP_HEAD}|{NAME}[’']s){_NP_WORD}{{1,4}}{_POSTMOD},\s+({TITLED}{NAME}),?\s*$"
)  # "Its president, Mette Rud,", "Haug's lawyer, Pavel Dahl,"
_AGE_END = re.compile(r",\s*\d{1,3},?\s*$")  # a person's age after the name
_DASH_ASIDE_END = re.compile(r"\s+[—–]\s+[^—–\n]{1,150}?\s+[—–]\s*$")  # "… — no relation —"
# "On the picket line in Hamilton, (cashier Nguyen Thi Lan, who …)": where, before who
_OPENING_PHRASE = re.compile(
    r"(?:On|In|At|Outside|Inside|Near|After|Before|During|Since|Across|Throughout|Amid|Among|"
    r"Following|Behind|Beside|Around|Along|Under)\s[^,\n]{1,80},\s+"
)
_RELATIVE = re.compile(r",\s+(?:who|whose)\b")  # the clause that describes the subject
# "Retired judge ": no comma, no clause
_ROLE_WORDS = re.compile(rf"(?:[{UPPER}a-z][\w.’'-]*\s+){{0,4}}")
_CONJ = re.compile(r"^(?:(?:and|but|so|then|later|also|yet|still|now|instead)\s+)+", re.I)
_NOUN_USE = re.compile(
    r"(?:[’']s|\b(?:the|a|an|his|her|their|its|this|that|our|my|your|to|will|would|could|"
    r"should|might|must|can|not|did|does|do|n’t|n't))\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker mention as written, its offset in the article, and the cue."""

    mention: str | None
    position: int
    cue: str | None


def name_ok(mention: str, surnames: AbstractSet[str] = frozenset()) -> str | None:
    """The mention without leading non-name capitalised words (``But Trump`` -> ``Trump``).

    ``surnames``: such words the article gives a person as a surname (``May`` of ``Elizabeth
    May``, ``From`` of ``Al From``), which stay.
    """
    words = mention.split()
    while (
        words
        and words[0].lower().strip(".,") in NOT_NAME
        and words[0][:1].isupper()
        and words[0].strip(".,") not in surnames
    ):
        words = words[1:]
    if not words:  # "Officials", "Some Democrats": a group, kept as written, never resolved
        return mention if is_group(mention) else None
    if len(words) == 1 and words[0].lower().strip(".,") in DEMONYMS:
        return None  # "The French leader's comment …, suggesting": the outlet's words
    caps = [w for w in words if w.isupper() and len(w.rstrip(".")) > 1]  # not "J." of "J. J. Price"
    if caps and (len(caps) > 1 or len(caps[0]) > 5):
        last = max(i for i, w in enumerate(words) if w in caps)
        rest = words[last + 1 :]
        if len(rest) >= 2 and all(w[:1].isupper() and not w.isupper() for w in rest):
            return " ".join(rest)  # "UC-AFT President Bob Samuels": the acronym leads the name in
        return None  # a dateline or a shouted headline, not a speaker
    return " ".join(words)


def lone_participle(mention: str) -> bool:
    """One capitalised ``…ing`` or ``…ed`` word (``Speaking``, ``Defending``): a name only when
    the article gives a person that surname (``Ebeling``, ``Reed``), which the caller knows."""
    word = mention.strip()
    return " " not in word and word[:1].isupper() and word.endswith(("ing", "ed"))


def clean(mention: str) -> str:
    m = _CUT.sub("", mention) if re.match(rf"^{_NP_HEAD}\s|^{BARE}", mention) else mention
    return m.strip().rstrip(",.") or mention.strip()


_OPENING_PHRASE = re.compile(r"\s*(\w+)[^,]{0,100},\s+")


def opening_phrases_end(text: str, start: int) -> int:
    """Where a sentence's subject can start, past up to three phrases of time and place that
    open it ("On Thursday, after weeks of silence, Varga …")."""
    pos = start
    for _ in range(3):
        m = _OPENING_PHRASE.match(text, pos)
        if not m or m.group(1).lower() not in OPENERS:
            break
        pos = m.end()
    return pos


def subject_before(
    ctx: str, offset: int, surnames: AbstractSet[str] = frozenset()
) -> tuple[str, int] | None:
    """The subject ending ``ctx`` (``… Mr. Macron has said``) or heading its clause;
    ``surnames`` as for :func:`name_ok`."""
    if len(ctx) > _WINDOW:  # bounded work per cue, however long the sentence
        offset += len(ctx) - _WINDOW
        ctx = ctx[-_WINDOW:]
    lead = len(ctx) - len(ctx.lstrip(" ,.;:—–-'\"”’"))
    ctx, offset = ctx[lead:], offset + lead
    age = _AGE_END.search(ctx) or _DASH_ASIDE_END.search(ctx)
    if age and age.start() > 0:
        # "association president Jonas Pihl, 63, said", "Aiden Kowalczyk — no relation to the
        # union president — said": the name before the age or the aside
        return subject_before(ctx[: age.start()], offset, surnames)
    stripped = _PAREN.sub("", ctx.rstrip())
    conj = _CONJ.match(ctx)
    if conj:
        ctx, offset = ctx[conj.end() :], offset + conj.end()
    if stripped.endswith(", who"):
        stripped = stripped[:-5].rstrip()
    if stripped.endswith((",", " -", "—", "–", " and")):
        rel = _RELATIVE.search(ctx)
        m = _END_NAME.search(ctx, max(0, rel.start() - TAIL), rel.start()) if rel else None
        opening = _OPENING_PHRASE.match(ctx, 0, m.start(1)) if m else None
        if m and _ROLE_WORDS.fullmatch(ctx, opening.end() if opening else 0, m.start(1)):
            # "Retired judge Lars Brun, who led the inquiry for Governor Tor Haug, said": the
            # name opening the clause that the relative clause hangs on, not a name inside it
            # (nor "…, the president of FIFA, who is under investigation,")
            named = name_ok(clean(m.group(1)), surnames)
            if named:
                return named, offset + m.end(1) - len(named)
        apposed = _DESCRIBED_NAME.match(ctx)
        named = name_ok(apposed.group(1), surnames) if apposed else None
        if apposed and named:  # "Its president, Mette Rud, told": the name the description gives
            return named, offset + apposed.end(1) - len(named)
        m = _FIRST.match(ctx)
        word = m.group(1).split()[0].lower() if m else ""
        if not m or word in OPENERS or word.endswith("ing"):
            m = _SENT_START.match(ctx)
        if m and re.fullmatch(_PRONOUN, m.group(1)):
            return m.group(1), offset + m.start(1)
        if m and m.group(1)[0].isupper():
            named = name_ok(clean(m.group(1)), surnames)
            return (named, offset + m.start(1)) if named else None
        return None
    tail = max(0, len(stripped) - TAIL)  # a subject ending the text starts in its tail
    m = _END_NAME.search(stripped, tail)
    placed = _PLACED.search(stripped, max(0, m.start(1) - 12), m.start(1)) if m else None
    if placed:  # "Fishers in Eastport say": the fishers, not the town
        return subject_before(stripped[: placed.start(1)], offset, surnames)
    if (
        m
        and name_ok(m.group(1), surnames)
        and not _OF_OWNER.search(stripped, max(0, m.start(1) - TAIL), m.start(1))
    ):
        named = name_ok(m.group(1), surnames) or m.group(1)
        return named, offset + m.end(1) - len(named)
    m = _END_MENTION.search(stripped, tail)
    if not m:
        return None
    mention = m.group(1)
    if re.match(rf"^{_NP_HEAD}\s", mention):
        # a descriptor subject heads its clause: "…, the campaign said", not "the case that"
        before = stripped[: m.start(1)].rstrip()
        if before and not (
            before.endswith((",", ";", ":", "—", "–", "(", "."))
            or re.search(r"\b(?:and|but|that|while|as|because|when|so|where)$", before, re.I)
        ):
            return None
        return mention.strip(), offset + m.start(1)
    of = _OF_OWNER.search(stripped[: m.start(1)])
    if of and re.fullmatch(rf"{NAME}", mention):
        return of.group(1), offset + of.start(1)  # President X of France said
    if mention[:1].isupper() and not re.match(rf"^{_NP_HEAD}\s|^{_PRONOUN}$", mention):
        ok = name_ok(mention, surnames)
        if ok is None:
            return None
        shift = len(mention) - len(ok)
        return ok, offset + m.start(1) + shift
    return mention.strip(), offset + m.start(1)


def find(
    ctx: str, offset: int, *, last: bool, surnames: AbstractSet[str] = frozenset()
) -> Attribution | None:
    """Attribution inside ``ctx`` (masked text), preferring the cue nearest the quote;
    ``surnames`` as for :func:`name_ok`."""
    if len(ctx) > 2 * _WINDOW:
        if last:
            offset, ctx = offset + len(ctx) - 2 * _WINDOW, ctx[-2 * _WINDOW :]
        else:
            ctx = ctx[: 2 * _WINDOW]
    cues = [
        c for c in CUE.finditer(ctx) if not _NOUN_USE.search(ctx, max(0, c.start() - 12), c.start())
    ]
    if not cues:
        return None
    cue = cues[-1] if last else cues[0]
    word = cue.group()
    head = ctx[: cue.start()]
    if word == "according to":
        after = _AFTER_CUE.match(ctx, cue.end())
        if after:
            return Attribution(clean(after.group(1)), offset + after.start(1), word)
        return Attribution(None, -1, word)
    if word.endswith("ing") and not word.startswith("say") and len(cues) > 1 and last:
        pass
    if word.endswith("ing"):
        prev = [c for c in cues if c.start() < cue.start()]
        if prev:
            head = ctx[: prev[-1].start()]
    subj = subject_before(head, offset, surnames)
    if subj and not re.search(r"[’']s$", subj[0]):
        return Attribution(subj[0], subj[1], word)
    if word in INVERSE:
        after = _AFTER_CUE.match(ctx, cue.end())
        if after and not after.group(1).startswith(("x", "X")):
            mention = clean(after.group(1))
            tail = ctx[after.start(1) + len(mention) :]
            ends = _MENTION_ENDS.match(tail)
            named = name_ok(mention, surnames) if mention[:1].isupper() else mention
            if named and mention.lower() not in ("it", "i", "we") and ends:
                return Attribution(named, offset + after.start(1), word)
        chunk = _INVERSE_CHUNK.match(ctx, cue.end())
        final = _LAST_NAME.search(chunk.group(1)) if chunk else None
        if chunk and final and name_ok(final.group(1), surnames):
            return Attribution(final.group(1), offset + chunk.start(1) + final.start(1), word)
    return Attribution(None, -1, word)


def dash_speaker(ctx: str, offset: int) -> Attribution | None:
    """``"…" — Jane Doe`` at the end of a line."""
    m = re.match(rf"^\s*[—–-]+\s*({TITLED}{NAME})", ctx)
    if m:
        return Attribution(m.group(1), offset + m.start(1), "—")
    return None
