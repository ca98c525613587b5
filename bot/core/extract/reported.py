"""Reported (indirect) speech in sentences without quotation marks.

``Macron said Europe needs to prepare …``, ``according to X, …``, ``…, X said.``: the content
is the reported clause, the speaker the subject of the cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.extract.attribution import MENTION, clean, subject_before
from bot.core.extract.names import NAME
from bot.core.extract.vocabulary import INVERSE, MEDIUM_NOUNS, WHEN
from bot.core.speaker_names import UPPER

_SPEECH = (
    r"said|says|told|tells|added|adds|warned|warns|insisted|insists|argued|argues|claimed|"
    r"claims|announced|announces|explained|noted|notes|stated|stressed|acknowledged|"
    r"admitted|predicted|suggested|suggests|believes|believed|thinks|thought|wrote|writes|"
    r"tweeted|declared|contended|maintained|reported|estimated|concluded|argued|denied|"
    r"vowed|promised|pledged|conceded|confirmed|revealed|asserted|alleged|indicated|"
    r"saying|adding|arguing|noting|warning|insisting|suggest|suggested|suggesting|report|"
    r"reports|boasted|boasts|complained|complains|made clear|has made clear|acknowledges|"
    r"recalled|recalls|predicts|believe|think|argue|claim|say|tell|told|announce|hinted|"
    r"hinting|warned of|accused|accusing|called for|calling for|questioned|mocked|blasted|"
    r"criticized|criticised|condemned|denounced|praised|defended|urged|demanded|demanding|"
    r"called|calling|calls|described|describing|expects|expected|hopes|hoped|wants|wanted|knows|"
    r"feels|felt|fears|feared|worries|worried|insist|contend|maintain|explain|explains|"
    r"announced|disclosed|conceded|agreed|agrees|disputed|disputes|rejected|rejects|"
    r"promises|vows|threatened|threatens|signaled|signalled|stated|states|wrote|writes"
)
# Whom one tells ("told councillors the gap could not be closed"): people addressed as a body
_ADDRESSEES = (
    r"(?:reporters|journalists|councillors|councilors|council|members|supporters|delegates|"
    r"residents|parents|voters|workers|employees|investors|analysts|lawmakers|legislators|"
    r"colleagues|officials|officers|jurors|students|staff|MPs|MLAs|MPPs|senators|shareholders)"
)
_LEAD = re.compile(
    rf"\b(?:(told|tells|asked|asks|asking)\s+(?:{_ADDRESSEES}|(?:the\s+)?[{UPPER}][\w.]*(?:\s+[{UPPER}][\w.]*)*|"
    r"the \w+|him|her|them|us|me|an? \w+(?: \w+)?)"
    r"(?=\s+(?:that|whether|if|how|what|why|when|who|whom|where|[a-z]))|"
    rf"({_SPEECH}))(?:\s+(?:on|last|this|in|at|during|earlier)"
    r"\s+[\w.]+(?:\s+[\w.]+){0,3}?)?,?\s+(that\s+)?"
)
# Verbs whose subject can follow them ("…, said the mayor"); never "…, told the Gazette",
# whose noun is the one told.
INVERTED_SPEECH = frozenset(INVERSE & set(_SPEECH.split("|")))
_INVERTED = "|".join(sorted(INVERTED_SPEECH, key=len, reverse=True))
_TRAIL = re.compile(
    rf",\s*((?:{MENTION}))\s+(?:also\s+|has\s+|had\s+)?({_SPEECH})\b(?!\s+tanks?\b)"
    r"[^,;]{0,40}[.!?]?$|"  # not "…, a conservative think tank."
    rf",\s*({_INVERTED})\s+({MENTION})[^,;]{{0,40}}[.!?]?$|"
    # "…, council treasurer Paul Dray said.": a role in lower case, then the name
    rf",\s*(?:[a-z][\w’'\-]*\s+){{1,3}}({NAME})\s+(?:also\s+)?({_SPEECH})\b[^,;]{{0,40}}[.!?]?$"
)
_ACCORDING_HEAD = re.compile(r"^According to ([^,]{2,90}),\s+")
_ACCORDING_TAIL = re.compile(rf",\s+according to ({MENTION})[^,;]*[.!?]?$")


_ADJUNCT = re.compile(
    r"(?:on|in|at|during|from|to|into|before|after|of|with|by|for|last|this|next|earlier|"
    r"later|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tonight|reporters|statement|interview|twitter|facebook)\b",
    re.IGNORECASE,
)
_DAY = re.compile(rf"{WHEN},?\s+(?:that\s+)?(?=[a-z])", re.IGNORECASE)  # "said Tuesday the …"
_SKIP_ADJUNCT = re.compile(r"\bthat\s+|,\s+")
# "said in a statement it is …", "said in an interview Monday the band would appeal": the
# medium, then the clause it reports with no "that" (its subject opening it)
_CLAUSE_OPENS = (
    rf",?\s+(?:{WHEN}\s+)?(?=(?:it|he|she|they|we|I|there|the|a|an|his|her|its|"
    rf"their|this|these|those|[{UPPER}][\w’'-]*)\s)"
)
MEDIUM_CLAUSE = re.compile(
    rf"((?:a|an|the|his|her|its|their)\s+(?:[\w’'-]+\s+){{0,2}}?{MEDIUM_NOUNS}(?!\w)"
    rf"(?:\s+(?:with|to)\s+(?:the\s+)?[{UPPER}][\w’'.-]*(?:\s+[{UPPER}][\w’'.-]*){{0,3}})?)"
    rf"{_CLAUSE_OPENS}"
)
_MEDIUM_REST = re.compile(rf"(?:[\w’'-]+\s+){{0,2}}?{MEDIUM_NOUNS}(?!\w){_CLAUSE_OPENS}")
_SUBJECT_WINDOW = 400  # characters before a cue that can hold its subject
_HEAD_WINDOW = 200  # characters after a cue read to judge what follows it
_WEAK = re.compile(r"mocked|blasted|praised|defended|wants|wanted|knows|denied")


@dataclass(frozen=True, slots=True)
class Reported:
    start: int
    end: int
    mention: str | None
    position: int
    cue: str

    def __post_init__(self) -> None:
        if self.mention:
            object.__setattr__(self, "mention", clean(self.mention))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in ' .!?;:\n\t”"’':
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


# "Asked whether he would meet the teachers, Whitford said his door was open": the question is
# the interviewer's; the answer is what follows the subject and verb after its comma.
_ASKED = re.compile(r"\s*(?:When\s+|After\s+being\s+|If\s+)?(?:[Aa]sked|[Pp]ressed)\b")
_ANSWER = re.compile(
    rf",\s+({MENTION})\s+(?:also\s+|later\s+|simply\s+)?"
    r"(said|says|replied|replies|responded|responds|answered|answers|insisted|insists|"
    r"acknowledged|conceded|admitted|added|maintained|explained|noted|told\s+(?:reporters|"
    rf"[{UPPER}][\w.]*(?:\s+[{UPPER}][\w.]*)*|the\s+\w+|him|her|them|us))\b"
    r"(?:\s+(?:on|last|this|in|at|during|earlier|later)\s+[\w.]+(?:\s+[\w.]+){0,3}?)??"
    r",?\s+(?:that\s+)?"
)


# What someone was told, without "that": a clause, its verb within its first words ("told
# reporters the fire started in a galley"), not more of whom they told ("the council members
# at the meeting").
_FINITE = re.compile(
    r"\S+(?:\s+\S+){0,5}?\s+(?:is|are|was|were|has|have|had|will|would|could|should|can|"
    r"may|might|must|did|does|do|won’t|won't|isn’t|isn't|wasn’t|wasn't|didn’t|didn't|"
    r"[a-z]+ed)\b"
)


def _told_clause(lead: re.Match[str], head: str) -> bool:
    """``told reporters the fire started``: told someone (the addressee matched), then a
    clause."""
    return lead.group(1) is not None and _FINITE.match(head) is not None


def asks_first(sentence: str) -> bool:
    """The sentence opens on the question someone was asked (``Asked whether …,``)."""
    return _ASKED.match(sentence) is not None


def asked_answer(sentence: str, offset: int) -> Reported | None:
    """In a sentence opening on a question (``Asked about the tax, Whitford said it would not
    rise``), the answer: the words after the first subject and verb of saying past a comma.
    None when the sentence opens on no question or names no answer."""
    if not asks_first(sentence):
        return None
    m = _ANSWER.search(sentence)
    if m is None:
        return None
    s, e = _trim(sentence, m.end(), len(sentence))
    if e <= s:
        return None
    cue = m.group(2).split()[0]
    return Reported(offset + s, offset + e, m.group(1), offset + m.start(1), cue)


def find_reported(sentence: str, offset: int) -> Reported | None:
    """Indirect speech in one quote-free sentence (``offset`` = its start in the article)."""
    if asks_first(sentence):
        return asked_answer(sentence, offset)  # the question states nothing; its answer may
    m = _ACCORDING_HEAD.match(sentence)
    if m:
        s, e = _trim(sentence, m.end(), len(sentence))
        return Reported(offset + s, offset + e, m.group(1), offset + m.start(1), "according to")
    m = _ACCORDING_TAIL.search(sentence)
    if m:
        s, e = _trim(sentence, 0, m.start())
        if e - s > 15:
            return Reported(offset + s, offset + e, m.group(1), offset + m.start(1), "according to")
    m = _TRAIL.search(sentence)
    if m and m.start() > 15:
        named = next(g for g in (1, 4, 5) if m.group(g))
        mention = m.group(named)
        cue = m.group(2) or m.group(3) or m.group(6)
        pos = m.start(named)
        s, e = _trim(sentence, 0, m.start())
        return Reported(offset + s, offset + e, mention, offset + pos, cue)
    end = _trim(sentence, 0, len(sentence))[1]
    for lead in _LEAD.finditer(sentence):
        # Every check below reads a bounded window, so a sentence with a thousand cues and no
        # full stop costs time in proportion to its length, not its square.
        subj = subject_before(
            sentence[max(0, lead.start() - _SUBJECT_WINDOW) : lead.start()],
            offset + max(0, lead.start() - _SUBJECT_WINDOW),
        )
        if not subj:
            continue
        s, e = _trim(sentence, lead.end(), end)
        head = sentence[s : min(e, s + _HEAD_WINDOW)]
        if len(head.split()) < 2:
            continue
        day = _DAY.match(sentence, s)
        if day:  # "said Tuesday the council would vote in May": when, then what
            s = day.end()
            head = sentence[s : min(e, s + _HEAD_WINDOW)]
        elif _ADJUNCT.match(sentence, s):
            skip = _SKIP_ADJUNCT.search(sentence, s, min(e, s + 80))
            skip = skip or _MEDIUM_REST.match(sentence, s, min(e, s + 80))
            if skip is None:
                continue
            s = skip.end()
            head = sentence[s : min(e, s + _HEAD_WINDOW)]
        if not re.match(rf"[{UPPER}a-z]", head) or len(head.split()) < 2:
            continue
        cue = lead.group(1) or lead.group(2)
        if e - s <= _HEAD_WINDOW:
            words = [w for w in head.split() if w.lower() not in ("the", "a", "an")]
            if len(words) <= 4 and sum(w[:1].isupper() for w in words) * 5 >= 3 * len(words):
                continue  # "told the Morning Courier": an addressee, not a report
        if cue in ("told", "tells") and not lead.group(3) and not _told_clause(lead, head):
            continue  # "told Westmere's councillors at Tuesday's meeting": whom, not what
        if _WEAK.fullmatch(cue) and not lead.group(3):
            continue  # "mocked her refusal": only "mocked that …" reports speech
        return Reported(offset + s, offset + e, subj[0], subj[1], cue)
    return None
