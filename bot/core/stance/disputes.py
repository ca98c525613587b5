"""Find who contests a known statement in an article, which statement, and the sentence.

A cue (lexicon.py) in a sentence is kept when nothing cancels it ("did not reject", "denied
entry"), it links to one known statement (linking.py), and someone other than the statement's
speaker voices it — or the speaker, when the cue is a walk-back, or the outlet, for framing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as _c  # type: ignore[attr-defined]  # the parser's op codes
from re import _parser as _re_parser  # type: ignore[attr-defined]  # reads the cue patterns
from typing import Any

from bot.core.models import DisputeFinding, Quote, QuoteKind
from bot.core.speaker_names import UPPER, same_person
from bot.core.stance.lexicon import (
    DESPITE,
    ENDORSING,
    FRAMING_CUE,
    MODEL_VERB_CUE,
    MODEL_WORD_CUE,
    NEGATION_BEFORE,
    OTHER_OBJECTS,
    PASSIVE_NEGATED,
    REPORTING_VERB,
    STATEMENT_NOUNS,
    VERB_CUE,
    WALKBACK_CUE,
    WORD_CUE,
    CueKind,
)
from bot.core.stance.linking import (
    LINK_THRESHOLD,
    Target,
    _surname,
    aims_at,
    link_score,
    speaker_role,
    target_weights,
)
from bot.core.stance.people import PRONOUNS, Mention, People, find_mentions
from bot.core.stance.relatedness import DocumentFrequencies
from bot.core.stance.text import (
    Sentence,
    alternation,
    content_stems,
    direction_flipped,
    negation_flipped,
    split_sentences,
)

_PATTERNS = (
    (CueKind.WALKBACK, WALKBACK_CUE),
    (CueKind.FRAMING, FRAMING_CUE),
    (CueKind.VERB, VERB_CUE),
    (CueKind.WORD, WORD_CUE),
)
# The same, with the lists as the stance model was trained on them: what its features count.
_MODEL_PATTERNS = (
    (CueKind.WALKBACK, WALKBACK_CUE),
    (CueKind.FRAMING, FRAMING_CUE),
    (CueKind.VERB, MODEL_VERB_CUE),
    (CueKind.WORD, MODEL_WORD_CUE),
)
# A comma or point between digits ("2,000 jobs", "4.5 percent") ends no clause.
_CLAUSE_END = re.compile(
    r"(?<!\d)[,.]|[,.](?!\d)|[;:!?—–]|\s(?:but|while|whereas|although|and said|saying)\s"
)
# "the mayor's statement that …": the words after "that" are what the verb acts on.
NOUN_THAT = re.compile(STATEMENT_NOUNS.pattern + r"\s+that\s", re.IGNORECASE)
# An unnamed group of people opening the sentence: the disputer as written, not the outlet.
_GROUP_SUBJECT = re.compile(
    r"^\s*((?:(?:the|some|many|several|other|local|her|his|their)\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:critics|opponents|rivals|residents|parents|officials|economists|experts|analysts|unions|"
    r"engineers|teachers|doctors|nurses|lawyers|activists|campaigners|environmentalists|"
    r"scientists|councillors|voters|farmers|workers|groups|leaders|members|protesters|"
    r"owners|shopkeepers|commuters|passengers|drivers|tenants|landlords|students|families|"
    r"locals|neighbou?rs|traders|merchants|businesses|employers|employees|staff|fishermen|"
    r"sailors|dockworkers|pilots|taxpayers|citizens|villagers|homeowners|retailers|developers|"
    r"investors|builders|planners|architects|historians|researchers|academics|professors|"
    r"physicians|surgeons|police|officers|firefighters|ministers|senators|lawmakers|"
    r"legislators|politicians|mayors|governors|delegates|diplomats|advocates|supporters|allies|"
    r"colleagues|executives|managers|directors|regulators|inspectors|auditors|judges|"
    r"prosecutors|attorneys|commentators|columnists|journalists|reporters|editors|pundits|"
    r"observers|veterans|survivors|victims|witnesses|operators|customers|consumers|patients|"
    r"democrats|republicans|conservatives|liberals|progressives|environmental\s+groups))\b"
    r"(?:\s+[\w'’-]+){0,2}\s*$",
    re.IGNORECASE,
)
# A body written in lower case that opens the sentence and says something: "The transport
# office said the mayor had her dates wrong" is the office's word, not the outlet's.
_BODY_SAYING = re.compile(
    r"^\s*((?:the|its|their|her|his)\s+(?:[\w'’-]+\s+){0,3}?(?:office|authority|ministry|"
    r"department|council|agency|board|commission|company|union|campaign|committee|government|"
    r"administration|court|bureau|utility|operator|airline|university|hospital|district|"
    r"party|association|federation|institute|foundation|chamber|police|service))\s+"
    r"(?:\w+ly\s+)?(?:said|says|told|tells|stated|noted|argued|insisted|countered|replied|"
    r"responded|wrote|added)\b",
    re.IGNORECASE,
)
_TITLE_DOT = re.compile(r"\b(Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col)\.")
# A judging word aimed at what someone does, not at what was said: "wrong to blame the
# minister", "a mistake to delay the vote" (but "wrong to say the bridge will open").
_AT_AN_ACT = re.compile(
    r"\s+to\s+(?!(?:say|suggest|claim|think|believe|assume|argue|imply|insist|promise|"
    r"pretend|tell|state|assert)\b)[a-z]+",
    re.IGNORECASE,
)
# A sentence whose subject is no one: "Nobody disagreed …", "None of the engineers disputed …".
NO_ONE = re.compile(r"\s*(?:nobody|no one|no-one|not one|none|neither)\b", re.IGNORECASE)
_SELF_DENIAL = re.compile(r"\b(?:den|reject|disput|disavow)", re.IGNORECASE)
_ABOUT_WORDS = re.compile(r"\b(?:said|saying|say|remarks?|comments?|words|quote)\b", re.I)
_MAX_TEXT = 500_000


@dataclass(frozen=True, slots=True)
class Cue:
    kind: CueKind
    start: int  # offsets in the sentence
    end: int
    word: str


def find_cues(sentence: str, *, as_trained: bool = False) -> list[Cue]:
    """The contesting cues of one sentence that no negation, hedge or other object cancels;
    ``as_trained``: only those of the lists the stance model was trained on (its features)."""
    return list(_cues(sentence, as_trained))


def despite_cues(sentence: str) -> list[Cue]:
    """``Despite the mayor's claim that …``: a contrast aimed at the words after "that", unless
    the main clause after them confirms ("…, engineers confirmed that …")."""
    low = sentence.lower()
    if "despite" not in low and "in spite" not in low:
        return []
    return [
        Cue(CueKind.CONTRAST, m.start(), m.end(), m.group())
        for m in DESPITE.finditer(sentence)
        if not ENDORSING.search(despite_main_clause(sentence[m.end() :]))
    ]


def despite_main_clause(after: str) -> str:
    """The main clause after "despite …'s claim that <its words>,": past the first comma that
    is no thousands separator ("2,000"); empty when none follows."""
    comma = _CLAUSE_COMMA.search(after)
    return after[comma.end() :] if comma else ""


_CLAUSE_COMMA = re.compile(r"(?<!\d),|,(?!\d)")


# A cheap check before the cue regexes: every match of one opens with one of these strings
# (lower case), read off the patterns themselves (cue_openings), so no sentence the regexes
# would match is skipped, and a word added to the lexicon needs no change here. Nine real
# sentences in ten hold none of them, and the substring checks cost a quarter of the scans.
_FOLDING = "İıſ"  # letters an IGNORECASE ASCII letter matches that lower() keeps apart


def cue_openings(patterns: Sequence[re.Pattern[str]], longest: int = 16) -> tuple[str, ...] | None:
    """Strings in lower case, none inside another, one of which opens every match of
    ``patterns``; None when some match could open with anything else."""
    found: set[str] = set()
    for pattern in patterns:
        try:
            parsed = _re_parser.parse(pattern.pattern, pattern.flags)
        except Exception:  # another Python's parser: no shortcut, every sentence is scanned
            return None
        found |= {s for s, _ in _heads(list(parsed), longest)}
    if "" in found or not all(map(str.isascii, found)):
        return None  # a match may open with anything, or a letter lower() may not fold alike
    kept: list[str] = []  # shortest first: a string holding a kept one needs no check
    for opening in sorted(found, key=lambda a: (len(a), a)):
        if not any(k in opening for k in kept):
            kept.append(opening)
    return tuple(sorted(kept))


def _heads(items: Sequence[tuple[Any, Any]], longest: int) -> set[tuple[str, bool]]:
    """What every match of a parsed pattern begins with: (string, open) pairs, the string cut
    at ``longest`` and open while the match read so far is exactly it (more may follow)."""
    state = {("", True)}
    for op, arg in items:
        if op is _c.LITERAL:
            state = {(s + chr(arg).lower(), True) if live else (s, live) for s, live in state}
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: nothing read
        elif op is _c.SUBPATTERN:
            state = _then(state, _heads(list(arg[-1]), longest))
        elif op is _c.BRANCH:
            state = _then(state, set().union(*(_heads(list(alt), longest) for alt in arg[1])))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] >= 1:  # once at least, maybe more
            state = _then(state, {(t, False) for t, _ in _heads(list(arg[2]), longest)})
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[1] == 1:  # once or not at all
            state = _then(state, _heads(list(arg[2]), longest) | {("", True)})
        else:  # a class of characters, a longer repeat, …: the strings so far are all we know
            state = {(s, False) for s, _ in state}
        state = {(s[:longest], live and len(s) < longest) for s, live in state}
    return state


def _then(state: set[tuple[str, bool]], options: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """The open strings of ``state`` followed by each of ``options``."""
    return {(s + t, more) if live else (s, live) for s, live in state for t, more in options}


_OPENINGS = cue_openings([pattern for _, pattern in _PATTERNS])
# The openings as one pattern: a sentence read once, not once per opening (4x faster).
_ANY_OPENING = re.compile(alternation(_OPENINGS)) if _OPENINGS is not None else None


def may_hold_cue(text: str) -> bool:
    """False only when no cue pattern can match ``text`` (straight apostrophes)."""
    if _ANY_OPENING is None or (not text.isascii() and any(c in text for c in _FOLDING)):
        return True
    return _ANY_OPENING.search(text.lower()) is not None


@lru_cache(maxsize=100_000)
def _cues(sentence: str, as_trained: bool) -> tuple[Cue, ...]:
    text = sentence.replace("’", "'").replace("‘", "'")
    if not may_hold_cue(text):
        return ()
    return _scan(text, _MODEL_PATTERNS if as_trained else _PATTERNS)


_NEAR_CUE = 200  # characters around a cue that its checks read


def _scan(text: str, patterns: Sequence[tuple[CueKind, re.Pattern[str]]]) -> tuple[Cue, ...]:
    """The cues ``patterns`` find in ``text`` (straight apostrophes), read in full."""
    cues: list[Cue] = []
    taken = bytearray(len(text))  # characters a cue already holds
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            # what the checks read lies next to the cue: windows, not the rest of the text
            # (a body of a thousand cues was quadratic)
            after = text[m.end() : m.end() + _NEAR_CUE]
            passive = kind is CueKind.VERB and is_passive(after)
            before = text[max(0, m.start() - _NEAR_CUE) : m.start()]
            if kind is not CueKind.WALKBACK and cancelled(before, passive):
                continue
            if kind is CueKind.VERB and OTHER_OBJECTS.match(after):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            cues.append(Cue(kind, m.start(), m.end(), m.group()))
    return tuple(sorted(cues, key=lambda c: c.start))


def is_passive(after: str) -> bool:
    """Is a verb cue passive ("… was rejected by parents"), its object before it?"""
    return after.lstrip().lower().startswith("by ")


def cancelled(before: str, passive: bool) -> bool:
    """Does a negation or hedge cancel the cue: near an active one ("did not reject"), just
    before a passive one ("was not rejected"; the object's own "not" does not count)?"""
    if passive:
        return PASSIVE_NEGATED.search(before) is not None
    return NEGATION_BEFORE.search(before[-60:]) is not None


def object_window(text: str) -> str:
    """The words a verb cue acts on: up to the end of its clause, at most 14 words.

    When the object is a statement noun with its content ("pushed back on Tuesday against the
    mayor's statement that the tax would …"), the 14 words count from that content.
    """
    text = _TITLE_DOT.sub(r"\1", text)
    end = _CLAUSE_END.search(text)
    window = text[: end.start()] if end else text
    words = window.split()
    noun = NOUN_THAT.search(window)
    if noun is None:
        return " ".join(words[:14])
    return " ".join(words[: len(window[: noun.end()].split()) + 14])


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _quote_at(quotes: Sequence[Quote], pos: int) -> Quote | None:
    return next((q for q in quotes if q.start <= pos < q.end), None)


def _in_quotation(text: str, pos: int) -> bool:
    """Is ``pos`` between an opening and a closing mark within its paragraph?"""
    para = text.rfind("\n", 0, pos) + 1
    before = text[para:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


_ADVERB_LIKE = re.compile(r"\w+ly|also|has|had|then|again|now|later", re.I)


def _subject(
    sentence: Sentence,
    cue_at: int,
    target: Target,
    people: People,
    sentences: Sequence[Sentence],
    index: int,
) -> str | None:
    """The person acting in the sentence before the cue: an unnamed group of people as written
    when the words before the cue are one ("The mayor's critics"), else the first full name,
    else a name just before the cue, else "He"/"She" resolved to the last other person named."""
    head = sentence.text[:cue_at]
    group = _GROUP_SUBJECT.match(head) or _BODY_SAYING.match(head)
    saying = REPORTING_VERB.search(head) if group is None else None
    if saying is not None:  # "Port engineers say the timetable cannot be met": who says it
        group = _GROUP_SUBJECT.match(head[: saying.start()])
    if group:  # "Environmental groups", "Dunmore's critics", "The transport office said"
        return group.group(1)
    # A name written as a possessive owns what follows it ("names from the GOP's past
    # denouncing …"), it does not act; one just before a noun cue does ("Harrow's rejection").
    mentions = [
        m
        for m in find_mentions(head)
        if not same_person(people.resolve(m.resolved), target.speaker)
        and (not m.written.endswith(("'s", "’s")) or not head[m.end :].strip())
    ]
    full = [m for m in mentions if len(people.resolve(m.resolved).split()) >= 2]
    if full:
        return people.resolve(full[0].resolved)
    # A lone capitalised word opening the sentence two words or more before the cue is more
    # often a thing than a person ("Port authority figures contradict …").
    near = [
        m
        for m in mentions
        if len(between := head[m.end :].split()) <= (3 if m.start > 0 else 1)
        and (m.start > 0 or all(_ADVERB_LIKE.fullmatch(w) for w in between))
    ]  # (and one opening it is followed by an adverb at most: "Harbour records contradict …")
    if near:
        return people.resolve(near[-1].resolved)
    first = head.split()[:1]
    if first and first[0].lower() in PRONOUNS:
        for j in range(index - 1, max(-1, index - 4), -1):
            others = [
                m
                for m in find_mentions(sentences[j].text)
                if not same_person(people.resolve(m.resolved), target.speaker)
                and len(people.resolve(m.resolved).split()) >= 2
            ]
            if others:
                return people.resolve(others[0].resolved)
    return None


def _quoted_speaker(text: str, pos: int, target: Target, people: People) -> str | None:
    """For a cue inside quotation marks the extractor missed: who the quote is credited to.

    First the attribution before the opening mark (its sentence's first full name other than
    the target's speaker; the speaker himself when he is the only one it names: "Prager
    continues, “…”" quotes Prager), then a "…,” said X" after the closing mark, else the
    closest full name before the cue.
    """

    def others(mentions: list[Mention]) -> list[str]:
        names = (people.resolve(m.resolved) for m in mentions)
        return [n for n in names if len(n.split()) >= 2 and not same_person(n, target.speaker)]

    para = text.rfind("\n", 0, pos) + 1
    opening = text.rfind("“", para, pos)
    if opening < 0:
        opening = text.rfind('"', para, pos)
    if opening >= 0:
        lead = split_sentences(text[max(para, opening - 500) : opening])
        named = find_mentions(lead[-1].text) if lead else []
        if names := others(named):
            return names[0]
        if any(same_person(m.resolved, target.speaker) for m in named):
            return target.speaker
    closing = text.find("”", pos)
    if closing >= 0 and (
        names := others(find_mentions(text[closing : closing + 120].split(".")[0]))
    ):
        return names[0]
    names = others(find_mentions(text[max(0, pos - 600) : pos]))
    return names[-1] if names else None


_FEW_WORDS = 3  # content words below which words cannot be told apart from others


def too_short_to_contest(statement: str) -> bool:
    """A statement of one or two content words ("truthful", "Latino Enough.") is too short
    to tell which claim a sentence contests: its words recur in any text on the subject."""
    return len(set(content_stems(statement))) < _FEW_WORDS


def find_disputes(
    text: str,
    quotes: Sequence[Quote],
    targets: Sequence[Target],
    df: DocumentFrequencies | None = None,
) -> list[DisputeFinding]:
    """Dispute evidence in ``text`` against ``targets``: one finding per statement and voice."""
    if not text or not targets:
        return []
    text = text[:_MAX_TEXT]
    df = df or DocumentFrequencies()
    sentences = split_sentences(text)
    own_spans = [s for t in targets for s in t.spans]
    # Made when first needed: most articles hold no cue that links to a statement.
    weights: list[dict[str, float]] | None = None
    roles: list[str | None] = []
    people: People | None = None
    best: dict[tuple[int, str | None], tuple[float, int, DisputeFinding]] = {}
    for index, sentence in enumerate(sentences):
        for cue in (*find_cues(sentence.text), *despite_cues(sentence.text)):
            at = sentence.start + cue.start
            if _inside(at, own_spans):
                continue
            after = sentence.text[cue.end :]
            if cue.kind is CueKind.WORD and _AT_AN_ACT.match(after):
                continue  # "it was wrong to blame the minister": judges an act, not words
            passive = cue.kind is CueKind.VERB and is_passive(after)
            scope = sentence.text
            if (cue.kind is CueKind.VERB and not passive) or cue.kind is CueKind.CONTRAST:
                scope = object_window(after)  # "despite her claim that <what it acts on>, …"
            if weights is None:
                weights = [target_weights(t, df) for t in targets]
                roles = [speaker_role(t, text) for t in targets]
            scored = [
                (link_score(t, scope, sentences, index, quotes, weights[i], roles[i]), -i, t)
                for i, t in enumerate(targets)
            ]
            link, minus_i, target = max(scored, key=lambda x: (x[0], x[1]))
            if link < LINK_THRESHOLD or cue.word.lower() in target.canonical.lower():
                continue  # too loose a link, or the statement's own word quoted back
            if not target.contestable:
                continue  # "“truthful,” she said": too few words to tell what is contested
            i = -minus_i
            if not aims_at(target, sentence.text, weights[i], roles[i], sentences, index):
                continue  # the speaker named, but not the words: "… to criticize Trump"
            if not _acts_on_words(cue, sentence, passive, target, weights[i], roles[i],
                                  sentences, index):  # fmt: skip
                continue  # "her criticism of the councillor", "This debate is misleading"
            if _in_own_attribution(sentence, cue, target):
                continue  # "“…,” said Rud, who studies false rumours": who she is, not a verdict
            if _another_claim(sentence.text, weights[i]):
                continue  # "never cited a source for his claim that <other words>"
            if people is None:
                people = People(text, tuple(q.speaker for q in quotes if q.speaker))
            found = _voice(text, sentence, sentences, index, cue, at, after, passive, target,
                           quotes, people, scope)  # fmt: skip
            if found is False:
                continue
            by = found if isinstance(found, str) else None
            head = sentence.text[: cue.start]
            for who in _along_with(by, head, people, target) if by else (by,):
                finding = DisputeFinding(
                    statement_id=target.statement_id,
                    by=who,
                    evidence=sentence.text,
                    cue=cue.word,
                    score=round(min(1.0, link / 4.0), 3),
                )
                key = (target.statement_id, who)
                if key not in best or link > best[key][0]:
                    best[key] = (link, at, finding)
    said = [q for q in quotes if q.speaker and not _inside(q.start, own_spans)]
    if said and weights is None:
        weights = [target_weights(t, df) for t in targets]
    for quote, target, share in _contradictions(said, targets, weights) if weights else ():
        people = people or People(text, tuple(q.speaker for q in quotes if q.speaker))
        by = people.resolve(quote.speaker) if quote.speaker else None
        key = (target.statement_id, by)
        at = quote.start
        if by is None or key in best:
            continue
        sentence = next((s for s in reversed(sentences) if s.start <= at), sentences[0])
        finding = DisputeFinding(target.statement_id, by, sentence.text, "contradicts", share)
        best[key] = (share, at, finding)
    # A sentence a named person contests the statement in is theirs: the outlet's own voice
    # read from another cue of it ("names from the GOP's past denouncing Trump grew louder
    # as Patti Davis attacked Trump for comments …") is the same dispute again.
    voiced = {(f.statement_id, f.evidence) for _, _, f in best.values() if f.by is not None}
    return [
        f
        for _, _, f in sorted(best.values(), key=lambda x: x[1])
        if f.by is not None or (f.statement_id, f.evidence) not in voiced
    ]


# Names joined by "and" just before the cue: "Both Cruz and Fiorina criticized …".
_JOINED = re.compile(
    rf"(?:\b(?i:both)\s+)?((?:[{UPPER}][\w’'.-]*\s+){{0,3}}?[{UPPER}][\w’'-]*)"
    rf"((?:,\s+(?:[{UPPER}][\w’'.-]*\s+){{0,3}}?[{UPPER}][\w’'-]*)*),?\s+and\s+"
    rf"((?:[{UPPER}][\w’'.-]*\s+){{0,3}}?[{UPPER}][\w’'-]*)\s+(?:(?:have|has|had|also|both)\s+)*$"
)


def _along_with(by: str, head: str, people: People, target: Target) -> list[str]:
    """``by`` and the people named beside it as the subject of the cue ("Both Cruz and
    Fiorina criticized …": each contests the statement), in the order written."""
    joined = _JOINED.search(head)
    if joined is None:
        return [by]
    parts = [joined.group(1), *joined.group(2).split(",")[1:], joined.group(3)]
    names = [people.resolve(p.strip()) for p in parts if p.strip()]
    if (
        by not in names
        or any(same_person(n, target.speaker) for n in names)
        or not all(n in people.full for n in names)  # each a person's name: not "In Oslo"
    ):
        return [by]
    return list(dict.fromkeys(names))


def _in_own_attribution(sentence: Sentence, cue: Cue, target: Target) -> bool:
    """The cue sits in the attribution of the statement's own quotation in this sentence
    ("“Facts are losing their value,” said Mette Rud, who has studied false rumours"): it
    describes the speaker, it does not judge the words."""
    at = sentence.start + cue.start
    for start, end in target.spans:
        if sentence.start <= start and end <= at:
            between = sentence.text[end - sentence.start : cue.start]
            if REPORTING_VERB.search(between) and not re.search(r"[.;!?]\s", between):
                return True
    return False


# "his claim that <its words>": a statement noun and the clause that spells the claim out.
_CLAIM_THAT = re.compile(
    STATEMENT_NOUNS.pattern + r"(?:\s+[\w'’-]+){0,3}?\s+that\s+([^();:—–]+)", re.IGNORECASE
)


def _another_claim(text: str, weights: dict[str, float]) -> bool:
    """The sentence spells out the claim it contests ("… for his claim in November that the
    president wants 250,000 refugees"), and those words share none of the statement's: it is
    about another claim of the same speaker."""
    spelled = _CLAIM_THAT.search(text)
    if spelled is None:
        return False
    words = set(content_stems(spelled.group(1)))
    return len(words) >= _FEW_WORDS and not words & set(weights)


# A cue that is a noun ("criticism", "rejection", "denial") or a framing word that takes an
# object ("ignores", "overlooked") contests what it names, not whatever sits near a quotation.
_NOUN_CUE = re.compile(
    r"(?:criticisms?|backlash|rebuke|rebuttal|denial|response)$|^(?:ignor|overlook)"
)
_NOMINAL = re.compile(r"(?:ions?|als?|isms?)$")  # a verb cue as a noun: "rejection", "dismissal"
# Where a noun's object ends: its clause's verb or a clause of its own.
_PHRASE_END = re.compile(
    r"\s(?:is|was|were|are|has|had|have|will|would|could|can|that|which|when|while|as|after|"
    r"before|because|since)\s",
    re.IGNORECASE,
)
_NOUN_OBJECT = re.compile(r"\s*(?:of|for|over|against|on|to|at)\s+", re.IGNORECASE)
# The statement itself acting: "Those comments undermine …", "Her remarks contradict …".
_WORDS_ACT = re.compile(
    r"\b(?:the|those|these|this|that|his|her|their|its)\s+(?:[\w'’-]+\s+){0,2}"
    + STATEMENT_NOUNS.pattern
    + r"\s+(?:\w+ly\s+|also\s+)?$",
    re.IGNORECASE,
)
# A judging word about a subject: "<This debate> is misleading", "<it> was wrong".
_JUDGED_SUBJECT = re.compile(
    r"(?:^|[“\"‘(,;:—–]\s*)([^“\"‘(,;:—–]+?)\s+(?:is|was|are|were|seems|seemed|sounds|sounded)"
    r"\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_SAYING_THAT = re.compile(
    r"\b(?:said|says|say|argued|argues|added|adds|insisted|insists|thinks|think|believes|"
    r"believe|noted|notes|wrote|writes|that|because)\s+",
    re.IGNORECASE,
)
_PEOPLE_PRONOUNS = frozenset({"they", "he", "she", "them"})
_DEMONSTRATIVE = re.compile(r"(?:this|that|these|those)\s+\w", re.IGNORECASE)
_POINTS_BACK = re.compile(
    r"^(?:(?:and|but|so)\s+)?(?:it|that|this|these|those|they|he|she|there|such\s+\w+|"
    r"all\s+that)$",
    re.IGNORECASE,
)


def _acts_on_words(
    cue: Cue,
    sentence: Sentence,
    passive: bool,
    target: Target,
    weights: dict[str, float],
    role: str | None,
    sentences: Sequence[Sentence],
    index: int,
) -> bool:
    """Is the cue aimed at the statement's words by what it acts on? A noun cue or "ignores"
    must name them ("criticism of her comments", "ignores the mayor's promise"), or the
    sentence's subject must be them ("The proposal drew sharp criticism"): "Tolvane toned down
    her criticism of Osei", "received widespread criticism" and "ignores losses" are not about
    a statement. A verb whose subject is the words ("Those comments undermine …") does not
    contest them, and a judging word judges its subject ("This debate is misleading")."""
    text = sentence.text
    head, after = text[: cue.start], text[cue.end :]
    clause = head[max(head.rfind(c) for c in '“"‘(,;:—–') + 1 :]
    word = cue.word.lower()
    if _NOUN_CUE.search(word) or (cue.kind is CueKind.VERB and _NOMINAL.search(word)):
        noun = not word.startswith(("ignor", "overlook"))
        opens = _NOUN_OBJECT.match(after) if noun else None
        scope = (
            object_window(after[opens.end() :]) if opens else "" if noun else object_window(after)
        )
        if noun:  # "rejection of the party's wisdom was complete when …": the phrase only
            scope = _PHRASE_END.split(scope, maxsplit=1)[0]
        if scope and aims_at(target, scope, weights, role, sentences, index, near=False):
            return True
        return aims_at(target, clause, weights, role, sentences, index, near=False)
    if cue.kind is CueKind.VERB and not passive and _WORDS_ACT.search(head):
        return False
    if cue.kind in (CueKind.WORD, CueKind.FRAMING):
        judged = _JUDGED_SUBJECT.search(head)
        if judged:
            parts = _SAYING_THAT.split(judged.group(1).strip())
            subject = parts[-1]  # "said it was wrong"
            if _DEMONSTRATIVE.match(subject) and not STATEMENT_NOUNS.search(subject):
                return False  # "This debate is misleading": the debate, not the words
            surname = _surname(target.speaker)
            if (
                len(parts) > 1
                and subject.lower() in _PEOPLE_PRONOUNS
                and _judged_by_speaker(head[: judged.end(1) - len(subject)], parts[-2], surname)
            ):
                return False  # "Prager … believes they are wrong": his judgement of others
            return bool(
                _POINTS_BACK.match(subject)
                or (surname and surname in subject)
                or (role and role in subject.lower())
                or aims_at(target, subject, weights, role, sentences, index, near=False)
            )
    return True


def _judged_by_speaker(lead: str, saying: str, surname: str | None) -> bool:
    """The one who says the judgement (named where the clause ``saying`` ends, in the
    sentence's ``lead`` before the judged subject) is the statement's speaker: "Prager
    believes", or "he believes" with Prager the last person named before it ("Dennis Prager,
    disagrees … and says he believes")."""
    if not surname:
        return False
    words = saying.split()
    if not words:
        return False
    if words[-1].lower() in _PEOPLE_PRONOUNS:
        named = find_mentions(lead)
        return bool(named) and People.surname(named[-1].resolved) == People.surname(surname)
    return re.search(rf"\b{re.escape(surname)}\b(?![’']s)", saying) is not None


_RESTATES = 0.6  # share of a statement's weight a clause of a quote carries to restate it
_OWN_WORDS = 0.75  # share of that clause's content words that are the statement's
# Words that make a quote a wish, a plan or a guess rather than a claim of fact ("would" and
# "could" are also what reported speech makes of "will" and "can": they stay).
_UNSURE = re.compile(
    r"\b(?:(?-i:may)|might|if|unless|whether|perhaps|maybe|possibly|probably|hopes?|"
    r"hoped|hoping|wants?|wanted|plans?|planned|expects?|expected|likely|unlikely)\b",
    re.IGNORECASE,
)
_CANNOT = re.compile(r"\bcannot\b", re.IGNORECASE)
_CLAUSES = re.compile(r"[,;:—–]\s|\s(?:but|as|whatever|although|though|while)\s")
_NUMBER = re.compile(r"\d[\d,.]*")


def _contradictions(
    said: Sequence[Quote], targets: Sequence[Target], weights: Sequence[dict[str, float]]
) -> list[tuple[Quote, Target, float]]:
    """Quotes of other people (``said``: those with a speaker, outside the statements' own
    spans) with a clause that says a statement's words with a "not" added or dropped ("The pier
    will not reopen in May," the harbour master said, of "The north pier will reopen in May"),
    holding no number the statement does not, or its trend the other way ("Crime rose by 12
    per cent last year" of "Crime fell by 20 per cent last year"): each contradicts it, with no
    contesting word. The clause must be mostly the statement's words (not a sentence of the
    same pattern about something else); ``weights``: each target's, as ``target_weights``
    gives them."""
    found: list[tuple[Quote, Target, float]] = []
    clauses = [  # each quote read once, whatever the number of targets
        (quote, [(c, set(content_stems(c)), set(_NUMBER.findall(c))) for c in _clauses(quote)])
        for quote in said
        if not _UNSURE.search(quote.text)
    ]
    for target, target_weight in zip(targets, weights, strict=True):
        total = sum(target_weight.values())
        stems = frozenset(target_weight)
        numbers = set(_NUMBER.findall(target.canonical))
        if not total or len(stems) < _FEW_WORDS or not target.contestable:
            continue
        for quote, read in clauses:
            if same_person(quote.speaker, target.speaker):
                continue
            for clause, own, figures in read:
                if len(own) < 2:
                    continue
                share = sum(target_weight[s] for s in own if s in target_weight) / total
                if share >= _RESTATES and (
                    (
                        len(own & stems) >= _OWN_WORDS * len(own)
                        and figures <= numbers
                        and negation_flipped(target.canonical, clause, stems)
                    )
                    or (
                        # the trend the other way: its verb and its figure the only words of
                        # its own ("rose by 12 per cent")
                        len(own - stems) <= 2 and direction_flipped(target.canonical, clause, stems)
                    )
                ):
                    found.append((quote, target, round(share, 3)))
                    break
    return found


def _clauses(quote: Quote) -> list[str]:
    return _CLAUSES.split(_CANNOT.sub("can not", quote.text))


_OPENS_ON_PRONOUN = re.compile(r"\s*(?:He|She|They)\s")
_JUDGED = re.compile(r"\s(?:is|was|are|were|has been|have been)\s+(?:\w+\s+){0,2}$")


def _voice(
    text: str,
    sentence: Sentence,
    sentences: Sequence[Sentence],
    index: int,
    cue: Cue,
    at: int,
    after: str,
    passive: bool,
    target: Target,
    quotes: Sequence[Quote],
    people: People,
    scope: str,
) -> str | bool | None:
    """Who voices the cue: a name, None for the outlet, or False when it is no dispute."""
    quote = _quote_at(quotes, at)
    if (
        quote is not None
        and quote.kind is QuoteKind.INDIRECT
        and same_person(quote.speaker, target.speaker)
        and STATEMENT_NOUNS.fullmatch(quote.cue or "") is not None  # "Pihl's claim that …"
        and cue.kind in (CueKind.FRAMING, CueKind.WORD)
        and _JUDGED.search(text, quote.start, at)
    ):
        # "Pihl's claim that the pier will reopen in May is false": the words the quote finder
        # credits to Pihl run on into the judgement of them, which is not his
        quote = None
    if quote is not None and quote.speaker:
        if same_person(quote.speaker, target.speaker):
            return target.speaker if cue.kind is CueKind.WALKBACK else False
        return people.resolve(quote.speaker)
    if quote is None and _in_quotation(text, at):
        speaker = _quoted_speaker(text, at, target, people)
        own = speaker is not None and same_person(speaker, target.speaker)  # his own words
        if cue.kind is CueKind.WALKBACK:
            return target.speaker if speaker is None or own else False
        return False if own else speaker
    if passive:
        agents = find_mentions(after.lstrip()[3:][:80])
        return people.resolve(agents[0].resolved) if agents else None
    if (
        cue.kind is CueKind.FRAMING
        and _OPENS_ON_PRONOUN.match(sentence.text)
        and any(
            sentence.start <= start < sentence.start + len(sentence.text)
            for start, _ in target.spans
        )
    ):
        return None  # "She also said, without evidence, that “…”": the outlet frames her words
    subject = _subject(sentence, cue.start, target, people, sentences, index)
    if cue.kind is CueKind.WALKBACK:
        return target.speaker if subject is None else False
    head = sentence.text[: cue.start]
    if cue.kind in (CueKind.VERB, CueKind.WORD) and NO_ONE.match(head):
        return False  # "Nobody disagreed with the minister": no one contests it
    surname = People.surname(target.speaker)
    names_target = surname is not None and surname in head.lower()
    if subject is None and names_target and cue.kind is CueKind.VERB:
        # "Smith denied making the remarks": the speaker retreats from the statement.
        if _SELF_DENIAL.match(cue.word) and _ABOUT_WORDS.search(scope):
            return target.speaker
        return False
    if cue.kind is CueKind.CONTRAST:
        return _despite_voice(after, people, target)
    if cue.kind is CueKind.FRAMING and not REPORTING_VERB.search(sentence.text):
        return None
    if subject is None and cue.kind in (CueKind.VERB, CueKind.WORD):
        return _closing_voice(after, people, target)
    return subject


# The attribution that closes a sentence: "…, the harbour master, Mette Rud, says."
_CLOSING_SAYS = re.compile(
    r",\s+((?:[^,.;:]{1,60})(?:,\s+[^,.;:]{1,40},)?)\s+(?:\w+ly\s+)?"
    r"(?:said|says|added|adds|argued|argues|insisted|insists|countered|counters|wrote|writes)"
    r"(?:\s+on\s+\w+day)?\s*[.!?]?\s*$",
    re.IGNORECASE,
)


def _closing_voice(after: str, people: People, target: Target) -> str | None:
    """Who closes the sentence by saying it ("Pihl's claim that … is wrong, the harbour master,
    Mette Rud, says."): the name given, else the description as written; None (the outlet's
    voice) when no attribution closes it."""
    closing = _CLOSING_SAYS.search(after)
    if closing is None:
        return None
    who = closing.group(1).strip()
    names = [people.resolve(m.resolved) for m in find_mentions(who)]
    names = [n for n in names if not same_person(n, target.speaker)]
    if names:
        return names[-1]
    if who.lower().split()[0] in PRONOUNS:
        return None
    return who.rstrip(",")


def _despite_voice(after: str, people: People, target: Target) -> str | None:
    """Who sets the evidence against the claim after "despite …'s claim that …": the subject
    of the main clause's verb of saying ("…, engineers said …"), else the outlet."""
    said = REPORTING_VERB.search(after)
    if said is None:
        return None  # "…, photos taken on Monday show …": the outlet's evidence
    lead = after[: said.start()]
    lead = lead[lead.rfind(",") + 1 :]
    group = _GROUP_SUBJECT.match(lead)
    if group:
        return group.group(1)
    names = [people.resolve(m.resolved) for m in find_mentions(lead)]
    names = [n for n in names if not same_person(n, target.speaker)]
    return names[-1] if names else None
