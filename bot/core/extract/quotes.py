"""The extractor: quoted spans, their kind, cue and speaker, plus reported speech.

The rules pair quotation marks and attribute each quote: words after it in its sentence, a
dash, words before it, other quotes of the same sentence, the previous quote (floating
paragraphs), the next sentence. With the learned tagger (tagger.py), the tagger decides which
quoted spans are speech and where reported speech lies, and its source wins in the quote's
own sentence; the rules alone run when ``learned=False`` or no model file is there.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from bot.core.extract.attribution import (
    SUBJECT_VERB,
    TAIL,
    Attribution,
    dash_speaker,
    find,
    lone_participle,
    name_ok,
    opening_phrases_end,
    subject_before,
)
from bot.core.extract.coref import (
    COREF_WINDOW,
    PersonMention,
    infer_gender,
    person_mentions,
    resolve_pronoun,
)
from bot.core.extract.learned import Tagged, tag_article
from bot.core.extract.marks import Span, find_spans
from bot.core.extract.names import (
    _TITLE_RE,
    FIRST_NAMES,
    NAME,
    TITLED,
    TITLES,
    Roster,
    build_roster,
    drop_titles,
    is_organisation,
    speaks_for,
)
from bot.core.extract.reported import (
    INVERTED_SPEECH,
    MEDIUM_CLAUSE,
    Reported,
    asked_answer,
    find_reported,
)
from bot.core.extract.sentences import mask, split
from bot.core.extract.tagger import TaggerModel, load_model
from bot.core.extract.tokens import CUES
from bot.core.extract.vocabulary import (
    CUE_STEMS,
    DEMONYMS,
    INVERSE,
    MEDIUM_NOUNS,
    NOT_NAME,
    ROLE_NOUNS,
    ROLE_PATTERN,
    WHEN,
)
from bot.core.models import Quote, QuoteKind
from bot.core.speaker_names import UPPER, is_group, written_as_name

log = logging.getLogger(__name__)
_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
_RELATIVES = frozenset({"who", "whom"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})
# The name a relative pronoun stands for: the one just before it, "Ada Lind, who …",
# "Ada Lind - who …".
_ANTECEDENT = re.compile(rf"({TITLED}{NAME})\s*(?:,|\s[—–-])\s*$")
_OF_WORDS = frozenset({"for", "of", "at", "with", "from", "to", "in", "on"})
_DOCUMENT = re.compile(
    r"^(?:the|The|this|This|that|That)\s+(accord|treaty|agreement|memorandum|deal|pact|document|report|"
    r"statement|resolution|charter|declaration|convention|protocol|letter|ruling)$"
)

_UNDER_DOC = re.compile(
    r"(?:Under|In|According to|By)\s+((?:the|this|that)\s+(?:accord|treaty|agreement|memorandum|"
    r"deal|pact|document|report|statement|resolution|charter|declaration|convention|protocol))\b"
)

_DOC_NAMES = (
    r"(?:Accord|Accords|Treaty|Agreement|Memorandum|Deal|Pact|Report|Statement|Resolution|"
    r"Charter|Declaration|Convention|Protocol|Act)"
)

# Reported speech of one or two words ("that", "it", "them") is a reference, not a statement.
_MIN_REPORTED_WORDS = 3
# A fragment this short that nobody is credited with is a term or a scare quote, not speech.
_TERM_WORDS = 2

_COLON_LEAD = re.compile(rf"(?:^|\n)\s*((?:[{UPPER}][\w.]*\s+)*{NAME})\s*:\s*\W?$")


@dataclass(slots=True)
class _Item:
    span: Span
    sentence: int
    attribution: Attribution | None = None


def kind_of(text: str, span: Span) -> QuoteKind:
    """Direct for a whole sentence or clause, fragment for a few words inside a sentence."""
    words = text[span.start : span.end].split()
    quoted = " ".join(words)
    if not words:
        return QuoteKind.FRAGMENT
    first = next((c for c in quoted if c.isalpha()), "")
    ends = quoted[-1] in ".!?,…" or quoted.endswith(("—", "-"))
    if first.isupper() and (len(words) >= 4 or ends):
        return QuoteKind.DIRECT
    if quoted[-1] in ".!?…" and len(words) >= 6:
        return QuoteKind.DIRECT
    return QuoteKind.FRAGMENT


# "the French president Emmanuel Macron", "the minister of energy, Joel Pratt,"
_NAME_AFTER = re.compile(
    rf"(?:\s+(?:of|for)\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){{0,2}})?,?\s+({NAME})"
)
_NAME_APPOSED = re.compile(rf"({NAME}),\s+(?:the|a|an)?\s*[^,.;]{{0,80}}?$")
# The named documents a description can stand for: "the accord" is an Agreement or an Accord.
_AGREEMENTS = {
    "accord", "agreement", "treaty", "pact", "deal", "memorandum", "convention", "protocol",
    "charter", "declaration",
}  # fmt: skip
_DOC_KIN = {word: _AGREEMENTS for word in _AGREEMENTS}
_DOC_BEFORE = re.compile(rf"(?:{NAME})\s+{_DOC_NAMES}\b")


def _phrase_hits(text: str, phrase: str, lo: int, hi: int) -> list[int]:
    """Where ``phrase`` (lower case) stands as whole words in ``text[lo:hi]``, case aside.

    Only that window is lowered (one character more on each side, for the word boundary), so
    each description costs its window, not the whole article."""
    start = max(0, lo - 1)
    low = text[start : hi + 1].lower()
    if len(low) != len(text[start : hi + 1]):
        return []  # a letter whose lower case is longer ("İ"): offsets would not line up
    hits = []
    at = low.find(phrase, lo - start, hi - start)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not low[at - 1].isalnum()) and (end >= len(low) or not low[end].isalnum()):
            hits.append(start + at)
        at = low.find(phrase, at + 1, hi - start)
    return hits


# Heads of descriptions that are not one person ("the report", "the family"), beside the words
# that make a name an organisation's ("the court", "the campaign": names.is_organisation).
_NOT_A_PERSON = frozenset(
    """
    website site report data records poll survey study analysis statement letter memo ad video
    book bill law plan team staff family couple firm outlet newspaper paper magazine channel
    station show program programme coalition alliance movement resolution platform document
    deal country city county town nation majority minority percent share number half third
    quarter rest panel jury crowd audience board public electorate campaign administration
    attack shooting bombing explosion incident event meeting debate speech rally election vote
    decision announcement news story article remarks comments tweet message post interview
    ruling verdict
    """.split()  # noqa: SIM905
)
# A description of some people, not one: "some involved", "many in the party".
_SOME = frozenset({"some", "many", "several", "both", "all", "most", "few", "other", "others"})


def _names_a_person(first: str, head: str) -> bool:
    """``the vice president``, ``the 32-year-old labourer``: one person a name can stand for;
    never a number of people (``52 percent of voters``), a plural or an institution."""
    word = head.lower().strip(".,;:")
    if any(c.isdigit() for c in first + head) or word in _NOT_A_PERSON or is_organisation([word]):
        return False
    if first.lower() in _SOME:
        return False
    return not (word.endswith("s") and not word.endswith("ss"))


_AGED = re.compile(r"\b(\d{1,3})-year-old\b")


def _descriptor(mention: str, text: str, before: int, roster: Roster) -> str | None:
    """``the French president`` -> the name that title or apposition gives in the article."""
    doc = _DOCUMENT.match(mention)
    # Only the text shortly before the mention: bounded work however long the article is.
    lo = max(0, before - COREF_WINDOW)
    if doc:
        found = None
        kin = _DOC_KIN.get(doc.group(1), {doc.group(1)})
        for m in _DOC_BEFORE.finditer(text, lo, before):
            if m.group().split()[-1].lower().rstrip("s") in kin:
                found = m.group()  # "the accord": the Paris Agreement; "the document" not
        return roster.resolve(found) if found else None  # the Republican National Convention
    age = _AGED.search(mention)
    if age:  # "the 32-year-old labourer": the person the article gave that age, "Marco Venn, 32,"
        given = None
        for m in re.finditer(rf"({NAME}),\s+{age.group(1)}\b", text[lo:before]):
            given = m.group(1)
        named = roster.resolve(given) if given else None
        if named and named in roster.persons:
            return named
    words = mention.split()[1:]
    if not words or words[-1].lower() in _PRONOUNS:
        return None
    # "the lawyer for the society": the whole description, then its head ("lawyer").
    head = words[: next((i for i, w in enumerate(words) if w in _OF_WORDS), len(words))]
    if not head or not _names_a_person(mention.split()[0], head[-1]):
        return None
    for phrase in dict.fromkeys((" ".join(words).lower(), " ".join(head).lower())):
        if not phrase:
            continue
        found = None
        hits = _phrase_hits(text, phrase, lo, min(len(text), before + 200))
        for at in hits:  # "the French president Emmanuel Macron"
            after = _NAME_AFTER.match(text, at + len(phrase))
            if after and after.group(1)[0].isupper() and at < before:
                found = after.group(1)
        if found is None:  # "Emmanuel Macron, the French president"
            for at in hits:
                if at < before:
                    apposed = _NAME_APPOSED.search(text, max(lo, at - 200), at)
                    found = apposed.group(1) if apposed else found
        resolved = roster.resolve(found) if found else None
        # "the ads Demanding GOP Candidates …" is no name: only a person the article names.
        if resolved and resolved in roster.persons:
            return resolved
    if any(w.lower().strip(".,") in DEMONYMS for w in head):
        return None  # "the French president": not the one president this article titles
    return _titled_once(head[-1], roster)


def _someone_else_lately(
    named: str | None,
    mentions: Sequence[PersonMention],
    speakers: Sequence[tuple[int, str]],
    masked: str,
    start: int,
    before: int,
) -> bool:
    """Between ``start`` (the sentence before) and ``before`` the article names people outside
    quotations, and not ``named``, who did not speak there either: a description there ("the
    senator", "the Republican candidate") stands for the person just written of, not for one
    the article titled so paragraphs earlier."""
    if named is None:
        return False
    i = bisect_right(mentions, start - 1, key=lambda m: m.position)
    near = {m.name for m in mentions[i:] if m.position < before and masked[m.position] != "x"}
    spoke = {who for at, who in speakers if start <= at < before}
    return bool(near) and named not in near | spoke


def _titled_once(word: str, roster: Roster) -> str | None:
    """``the mayor`` before the article names her: the one person it gives that title
    (``Mayor Ines Calloway``), if it gives it to exactly one."""
    title = word.strip(".,;:").capitalize()
    if title not in _ONE_WORD_TITLES:
        return None
    titled = [n for t in _TITLE_KIN.get(title, (title,)) for n in roster.titled.get(t.lower(), ())]
    named = {roster.resolve(name) for name in titled}
    people = [n for n in named if n in roster.persons]
    return people[0] if len(people) == 1 and len(named) == 1 else None


# "the judge" of "Justice Eleanor Fiddler": a title written in another word
_TITLE_KIN = {"Judge": ("Judge", "Justice")}
# "the ministry", "the union", "the health authority": a body the article has named in full
_BODY_HEAD = re.compile(
    r"(?:[Tt]he|[Ii]ts)\s+(?:[a-z]+\s+)?(ministry|department|union|authority|agency|bureau|"
    r"commission|committee|council|board|association|federation|society|foundation|"
    r"corporation|coalition|institute|university|college|hospital)"
)


@lru_cache(maxsize=32)
def _body_name(noun: str) -> re.Pattern[str]:
    """A name in capitals holding ``noun`` ("Eastern Shore Health Authority", "Ministry of
    Emergency Preparedness")."""
    return re.compile(
        rf"((?:[{UPPER}][\w’'.&-]*\s+){{0,5}}{noun}(?:\s+(?:of|for|on)(?:\s+(?:the\s+)?"
        rf"[{UPPER}][\w’'.&-]*)+)?)"
    )


def _body_named(mention: str, text: str, before: int) -> str | None:
    """The body a description of one stands for: the last name the article gave before
    ``before`` holding the description's noun in capitals ("the Ministry of Emergency
    Preparedness", "Eastern Shore Health Authority")."""
    head = _BODY_HEAD.fullmatch(mention.strip())
    if head is None:
        return None
    found = None
    for m in _body_name(head.group(1).capitalize()).finditer(text, max(0, before - 6000), before):
        found = m.group(1)
    if found is None:
        return None
    words = found.split()
    return " ".join(words[1:] if words[0] in ("The", "the") else words)


_THE_MEDIUM = re.compile(  # (lower case: "the Post" is a newspaper)
    r"(?:[Tt]he|[Tt]hat|[Tt]his|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+((?:news\s+)?(?:statement|"
    r"release|letter|email|e-mail|memo|post))"
)
_OFFICE_OF = re.compile(rf"(?:[Tt]he\s+)?(([a-z]+)\s+of\s+[{UPPER}].*)")
_ONE_WORD_TITLES = frozenset(t for t in TITLES if " " not in t and t[0].isupper() and len(t) > 3)


# "He’s predicting": the pronoun, without its verb.
_CONTRACTED = re.compile(r"^(He|She|I|We|They|It|You|he|she|we|they|it|you)[’'](?:s|d|ll|ve|re|m)$")
_A_DAY = re.compile(
    rf"(?:[Tt]he\s+)?(?:[{UPPER}][\w’'\-]*\s+){{0,2}}(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|Day|Eve|January|February|March|April|June|July|August|September|October|"
    r"November|December)"
)
_NOBODY_ALONE = re.compile(rf"^\s*(?:[{UPPER}]|{_TITLE_RE})\.?\s*$")


def _sane(mention: str | None, roster: Roster | None = None) -> str | None:
    """A mention that is a name, pronoun or descriptor, never a sentence opener.

    With the article's ``roster``, a lone surname the article gives a person (``Ebeling``,
    ``King``) stays a name, though a lone capitalised ``…ing`` word or a title would not.
    """
    if mention and mention.strip().lower() in _DETERMINERS:
        return None  # "the": the tagger's source cut short, nobody
    if mention and " " in mention and mention.split()[0].lower() in _RELATIVES:
        mention = mention.split()[0]  # "who runs the riders' group": the relative, as written
    contracted = _CONTRACTED.match(mention) if mention else None
    if contracted:
        mention = contracted.group(1)
    if mention and _A_DAY.fullmatch(mention) and not _surname(mention.split()[-1], roster):
        return None  # "Super Tuesday", "Election Day": when, not who (but "Kristen Day")
    alone = mention and mention != "I" and _NOBODY_ALONE.match(mention)
    if alone and not _surname(mention or "", roster):
        return None  # "Lt", "Mr", "J": a title or an initial cut from its name; "Q": an interviewer
    if not mention or _kind_of_mention(mention) != "name":
        return mention
    ok = name_ok(mention) or (mention if re.match(r"^(?:the|The)\s", mention) else None)
    word = mention.strip()
    if (ok is None or lone_participle(ok)) and " " not in word:
        return word if _surname(word, roster) else None
    return ok


def _surname(word: str, roster: Roster | None) -> bool:
    return roster is not None and roster.has_surname(word)


def _kind_of_mention(mention: str) -> str:
    if mention.lower() in _PRONOUNS:
        return "pronoun"
    words = mention.split()
    if not words[-1][:1].isupper():
        return "descriptor"
    return "name"


def _mostly_unquoted(masked: str, start: int, end: int) -> bool:
    """Reported content that is not just a quotation with a lead-in (``said: "…"``)."""
    quoted = len(re.findall(r"xxx+", masked[start:end]))
    inside = sum(len(m) for m in re.findall(r"x{3,}", masked[start:end]))
    return quoted == 0 or inside < 0.6 * (end - start)


def extract_quotes(text: str, *, learned: bool = True) -> list[Quote]:
    """Every quote and reported statement in ``text``, in order; never raises.

    ``learned=False`` reads with the rules alone (the baseline the benchmarks compare with).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return _extract(text, load_model() if learned else None)
    except Exception:  # a bug must never lose the article: log it and skip
        log.exception("quote extraction failed on a %d-character text", len(text))
        return []


def _extract(text: str, model: TaggerModel | None) -> list[Quote]:
    spans = find_spans(text)
    sentences = split(text, spans)
    masked = mask(text, spans)
    starts = [s for s, _ in sentences]
    roster = build_roster(text)
    mentions = person_mentions(text, roster, sentences)
    infer_gender(masked, roster, mentions, sentences)  # no pronoun inside a quotation votes
    surnames = roster.surnames_among(NOT_NAME)  # "“…,” May said": Elizabeth May, not a month
    items: list[_Item] = []
    for span in spans:
        k = max(0, bisect_right(starts, span.start) - 1)
        items.append(_Item(span, k))
    for i, item in enumerate(items):
        s_start, s_end = sentences[item.sentence] if sentences else (0, len(text))
        nxt = items[i + 1] if i + 1 < len(items) else None
        prv = items[i - 1] if i > 0 else None
        r_end = nxt.span.start - 1 if nxt and nxt.sentence == item.sentence else s_end
        r_start = min(item.span.end + 1, r_end)
        l_start = prv.span.end + 1 if prv and prv.sentence == item.sentence else s_start
        l_start = min(l_start, max(item.span.start - 1, 0))
        right = masked[r_start:r_end]
        left = masked[l_start : max(item.span.start - 1, l_start)]
        att = find(right, r_start, last=False, surnames=surnames) if right.strip() else None
        if att is None or att.mention is None:
            att = dash_speaker(right, r_start) or _read_by(right, r_start) or att
        if (att is None or att.mention is None) and r_end == s_end:
            att = _asked_after(text, masked, sentences, item) or att
        if att is None or att.mention is None:
            # a label is short: only the last TAIL characters are read, as for every search
            # anchored at a span's end (a long run of capitalised words made it quadratic)
            lead = _COLON_LEAD.search(left, max(0, len(left) - TAIL))
            if lead and name_ok(lead.group(1)) == lead.group(1):
                att = Attribution(lead.group(1), l_start + lead.start(1), ":")
        if att is None or att.mention is None:
            before = find(left, l_start, last=True, surnames=surnames)
            if before is not None and (att is None or before.mention is not None):
                att = before
        item.attribution = att
    _fill_gaps(text, masked, items, sentences)
    tagged = tag_article(model, text, spans, starts) if model is not None else None
    return _build(text, items, sentences, roster, mentions, masked, tagged, _turns(text, roster))


# "“The harbour is ours!” read one banner", "“…,” the email read.": words a thing bears, which
# no one nearby said (the paragraph before must not lend them its speaker).
_THING = r"(?:\s+(?!(?:outside|inside|in|at|on|of|from|near|by|to|for|with)\b)[a-z][\w-]*){0,2}"
_READ_BY = re.compile(
    rf"\s*,?\s*(?:(?:read|reads)\s+((?:the|a|an|one|another)\s+[a-z][\w-]*{_THING})|"
    rf"((?:the|a|an|one|another|its|his|her|their)\s+[a-z][\w-]*{_THING})\s+(?:read|reads))\b"
)


def _read_by(right: str, offset: int) -> Attribution | None:
    m = _READ_BY.match(right)
    if m is None:
        return None
    group = 1 if m.group(1) else 2
    return Attribution(m.group(group), offset + m.start(group), "read")


def _asked_after(
    text: str, masked: str, sentences: list[tuple[int, int]], item: _Item
) -> Attribution | None:
    """``“Is that not a bribe?” Calloway asked.``: a question or an exclamation ends the
    sentence at its mark, and the short sentence after it that opens on its speaker and cue
    (same paragraph, no quotation in it) is its attribution."""
    k = item.sentence + 1
    if k >= len(sentences) or text[item.span.start : item.span.end].rstrip()[-1:] not in "?!":
        return None
    ns, ne = sentences[k]
    after = masked[ns:ne]
    if ne - ns > _ASKED_AFTER or "\n" in masked[item.span.end : ns] or "xxx" in after:
        return None
    att = find(after, ns, last=False)
    if att is None or att.mention is None or att.cue is None or att.position - ns > _ASKED_LEAD:
        return None
    cue_at = after.find(att.cue)
    tail = after[max(cue_at + len(att.cue), att.position - ns + len(att.mention)) :]
    if cue_at < 0 or not _BARE_TAIL.match(tail):
        return None  # "Haug said the council would.": his own words, not this quotation's cue
    return att


_ASKED_AFTER = 100  # characters: "Calloway asked on Tuesday night in Kestrel Bay."
_ASKED_LEAD = 40  # the speaker opens it: "Calloway asked", "asked Tor Haug", "the mayor asked"
# What may follow the speaker and the cue in a sentence that only attributes: nothing, or when,
# where and how ("asked on Tuesday", "replied quietly"), never words of their own.
_BARE_TAIL = re.compile(
    r"\s*(?:[.!?,;]*\s*$|,?\s*(?:on|in|at|to|during|after|before|with|from|outside|inside|as|"
    r"while|when|again|later|then|back|\w+ly|\w+ing)\b)"
)


def _neighbour(masked: str, sentences: list[tuple[int, int]], k: int) -> Attribution | None:
    """A quote heading its sentence: the lead-in sentence before it, or the one after it."""
    if k > 0:
        ps, pe = sentences[k - 1]
        prev = masked[ps:pe]
        if prev.rstrip().endswith((":", ",")) and masked[pe : sentences[k][0]].count("\n") <= 2:
            att = find(prev, ps, last=True)
            if att and att.mention:
                return att
            colon = prev.rstrip().endswith(":")
            subject = SUBJECT_VERB.match(prev) if colon else None
            if subject is None and colon:
                # "…, Republican presidential nominee Donald Trump issued the following
                # statement:": the name just before the verb, past a role in lower case
                subject = _NAME_THEN_LEAD.search(prev, max(0, len(prev) - _LEAD_TAIL))
            if subject and (  # "X issued the following statement:", "He then listed them:"
                _full_name(subject.group(1)) or subject.group(1).lower() in _PRONOUNS
            ):
                return Attribution(subject.group(1), ps + subject.start(1), None)
    if k + 1 < len(sentences):
        ns, ne = sentences[k + 1]
        att = find(masked[ns:ne], ns, last=False)
        if att and att.mention and masked[sentences[k][1] : ns].count("\n") <= 2:
            return att
    if k > 0:
        ps, pe = sentences[k - 1]
        att = find(masked[ps:pe], ps, last=True)
        if att and att.mention and att.mention[:1].isupper():
            return att
    return None


# "… nominee Donald Trump issued the following statement:": a name, a verb of putting words
# out, and what was put out, with no other name ("shared a letter from Mayor X, which read:").
_NAME_THEN_LEAD = re.compile(
    rf"(?<![\w’'])({NAME})\s+(?:\w+ly\s+)?(?:issued|released|posted|tweeted|wrote|gave|sent|"
    r"offered|put\s+out)\s+(?:the|a|an|this|his|her|their|its)\s+(?:following\s+|brief\s+|"
    r"short\s+|written\s+|joint\s+)?(?:statement|message|tweet|post|note|response|reply|"
    rf"remarks|comment|comments)\b[^:\"“”{UPPER}]{{0,40}}:\s*$"
)
_LEAD_TAIL = 200  # characters: the name, its verb and what it put out end the sentence


def _full_name(mention: str) -> bool:
    """A name of two words or more with nothing before it to drop (``Mayor Ines Calloway``)."""
    return " " in mention and _kind_of_mention(mention) == "name" and name_ok(mention) == mention


def _subject_between(
    masked: str, sentences: list[tuple[int, int]], item: _Item, prv: _Item | None
) -> Attribution | None:
    """The named subject of the sentence just before a quote that opens its sentence, when
    that sentence lies after the previous quote, in the same paragraph, and quotes nothing."""
    k = item.sentence
    if k == 0 or not sentences:
        return None
    ps, pe = sentences[k - 1]
    if prv is None or prv.span.end > ps or "\n" in masked[pe : sentences[k][0]]:
        return None
    prev = masked[ps:pe]
    if any(c in prev for c in '"“”«»„') or prev.rstrip().endswith((":", ",")):
        return None
    m = SUBJECT_VERB.match(prev)
    if m is None:  # "During a rally in Raleigh, North Carolina, Trump remarked …"
        ps = opening_phrases_end(masked, ps)
        m = SUBJECT_VERB.match(masked[ps:pe])
        if m is None:  # "After Haug left, Mayor Ines Calloway took the microphone."
            m = _SUBJECT_SPOKE.match(masked[ps:pe])
            words = m.group(1).split() if m else []
            if m and (words[0] in ("The", "A", "An") or is_organisation(words)):
                m = None  # "The Kestrel Bay Times won an award": no one who speaks next
    subject = _sane(m.group(1)) if m else None
    if not subject or _kind_of_mention(subject) != "name" or not subject[:1].isupper():
        return None
    if prv.attribution and prv.attribution.mention == subject:
        return None
    return Attribution(subject, ps + m.start(1), None) if m else None


# A subject and a past tense that does not end in "-ed": "Mayor Ines Calloway spoke at the
# harbour. “…”", "Clinton began Sunday with a tweet. “…”" (not "won't").
_SUBJECT_SPOKE = re.compile(
    rf"({TITLED}{NAME})\s+(?:\w+ly\s+)?(?:spoke|told|wrote|took|made|gave|"
    r"went|came|met|stood|began|led|held|left|sent|put|got|saw|thought|brought|found|kept|won|"
    r"paid|sought|fought|set|rose|drew|knew|broke|chose|spent|struck|swore|withdrew|became)"
    r"\b(?![’']t)"
)

# What may open a sentence before a quotation that goes on the speaker's words: "Now, “…”".
_CONNECTIVE = re.compile(
    r"(?:(?:And|But|Now|Still|Yet|So|Then|Also|However|Later|Again|Instead),?\s*)?$"
)


def _heads(masked: str, s_start: int, item: _Item) -> bool:
    """The quotation opens its sentence, or only a connective comes first ("Now, “…”")."""
    lead = masked[s_start : item.span.start].strip(" \t\"'“”‘’«»„")
    return _CONNECTIVE.fullmatch(lead) is not None


def _continues(masked: str, prv: _Item, item: _Item) -> bool:
    """``item`` goes on the words of the quotation before it: the same paragraph or the next
    line, and that quotation has a speaker ("“…,” the report concluded. “…”")."""
    if not (prv.attribution and prv.attribution.mention):
        return False
    if masked[prv.span.end : prv.span.end + 1] in ("\n", "\r", ""):
        return True  # a quotation of several paragraphs: each opens with a mark, none closes
    gap = masked[prv.span.end : item.span.start]
    lines = gap.count("\n\n") + (gap.count("\n") if "\n\n" not in gap else 0)
    return lines <= 1 and len(gap) < 400


_CLAUSE_WORDS = 4  # a quotation this long says something; a shorter one may be a name


def _fill_gaps(
    text: str, masked: str, items: list[_Item], sentences: list[tuple[int, int]]
) -> None:
    """Same-sentence siblings, floating paragraphs, and a next-sentence speaker."""
    first_named: dict[int, Attribution] = {}
    for item in items:
        if item.attribution and item.attribution.mention:
            first_named.setdefault(item.sentence, item.attribution)
    for item in items:
        if item.attribution and item.attribution.mention:
            continue
        named = first_named.get(item.sentence)
        if named is not None:
            item.attribution = named
    for i, item in enumerate(items):
        if item.attribution and item.attribution.mention:
            continue
        prv = items[i - 1] if i > 0 else None
        if (
            prv
            and prv.sentence == item.sentence
            and prv.attribution
            and prv.attribution.mention
            and len(text[prv.span.start : prv.span.end].split()) >= _CLAUSE_WORDS
        ):
            # "''This was an example of President Obama'' and his team ''just quietly …''":
            # the sentence's first quotation found its speaker only in this pass (a list of
            # titles, "''24,'' ''Prison Break'' and ''Gilmore Girls,''", passes nothing on)
            item.attribution = prv.attribution
            continue
        s, e = sentences[item.sentence] if sentences else (0, 0)
        doc = _UNDER_DOC.match(masked, s, e)
        if doc:
            item.attribution = Attribution(doc.group(1), doc.start(1), None)
            continue
        heads = _heads(masked, s, item)
        if heads and (att := _subject_between(masked, sentences, item, prv)):
            # "Clinton touted her record. “We need …”": the person the sentence before is
            # about speaks next, not whoever was quoted before that sentence.
            item.attribution = att
            continue
        if heads and prv is not None and _continues(masked, prv, item):
            item.attribution = prv.attribution
            continue
        if heads and (att := _neighbour(masked, sentences, item.sentence)):
            item.attribution = att
            continue
        head = masked[s:e]
        m = SUBJECT_VERB.match(head)
        subject = _sane(m.group(1)) if m else None
        if m and subject and s + m.end(1) < item.span.start:
            item.attribution = Attribution(subject, s + m.end(1) - len(subject), None)
        elif (
            (subj := subject_before(head[: max(0, item.span.start - s - 1)], s))
            and subj[0][:1].isupper()
            and " " in subj[0]
            and not _OBJECT_OF.search(masked, max(s, subj[1] - 60), subj[1])
        ):
            item.attribution = Attribution(subj[0], subj[1], None)
        elif _goes_on(text, masked, prv, item, s):
            item.attribution = prv.attribution if prv else None


def _goes_on(text: str, masked: str, prv: _Item | None, item: _Item, s_start: int) -> bool:
    """A few quoted words in the sentence right after a quotation with a speaker, in the same
    paragraph, the words before them naming no one: “She's still got the best friends …,”
    Bill Clinton has said. That makes her “by definition a trustworthy … person”."""
    if prv is None or prv.sentence != item.sentence - 1 or "\n" in masked[prv.span.end : s_start]:
        return False
    if not (prv.attribution and prv.attribution.mention) or not prv.attribution.cue:
        return False
    if len(text[prv.span.start : prv.span.end].split()) < _CLAUSE_WORDS:
        return False
    lead = masked[s_start : item.span.start].split()
    return not any(w[:1].isupper() for w in lead[1:])


# A name right after a verb of saying or naming is its object, not the speaker: "… and called
# the Harbour Workers Guild “one of the pillars”" is the subject's word for the guild.
_OBJECT_OF = re.compile(
    rf"\b(?:{CUE_STEMS}|thank|thanks|thanked|thanking|praise|praises|praised|praising|"
    r"name|names|named|naming|dub|dubs|dubbed|dubbing|label|labels|labelled|labeled)\s+"
    r"(?:(?:the|his|her|their|its|my|our|a|an)\s+)?(?:[a-z][\w’'-]*\s+){0,2}$"
)  # "… and called her old friend Tor Haug “one of the pillars”"


# A transcript's turn: "CALLOWAY: I did, and I kept that promise." A line opening with a name
# in capitals and a colon, the name one the article gives a person.
_TURN = re.compile(
    rf"^[ \t]*[\"“]?([{UPPER}][{UPPER}'’\-]+(?: [{UPPER}][{UPPER}'’\-]+){{0,2}}):[ \t]+(?=\S)", re.M
)


@dataclass(frozen=True, slots=True)
class _Turn:
    start: int  # the words spoken, after the label
    end: int
    label: str  # "CALLOWAY", as written
    position: int
    speaker: str


def _turns(text: str, roster: Roster) -> list[_Turn]:
    """The turns of a transcript, two labelled lines at least: a line opening with a person's
    name in capitals ("ORTEGA: That is simply not true."). A label that names no one the article
    gives as a person ("UPDATE:", "BUSTED:", an unnamed host) is no one's turn."""
    if ":" not in text:
        return []
    family: dict[str, str] | None = None  # the article's surnames by lower case, if needed
    found: list[_Turn] = []
    labels = 0  # every label counts towards a transcript ("RAMOS:"), a person's is a turn
    for m in _TURN.finditer(text):
        label = m.group(1)
        labels += 1
        words = label.lower().split()
        if family is None:
            family = {word.lower(): word for word in roster.family}
        surname = family.get(words[-1])
        people = [
            p
            for p in (roster.family.get(surname, ()) if surname else ())
            if p in roster.persons and all(w in p.lower().split() for w in words)
        ]
        if len(people) != 1:
            continue  # no person of that name, or two and no telling which
        start, end = _rest_of_line(text, m.end())
        while end > start and text[end - 1] in '"”':
            end -= 1  # a turn quoted whole: "“RAMOS: …”"
        if end > start:
            found.append(_Turn(start, end, label, m.start(1), people[0]))
    found = found if labels >= 2 else []
    answers = list(_ANSWER.finditer(text))
    guest = _interviewee(text, roster, answers[0].start()) if len(answers) >= 2 else None
    if guest is not None:  # an interview: each "A:" is the interviewee's turn
        for m in answers:
            start, end = _rest_of_line(text, m.end())
            if end > start:
                found.append(_Turn(start, end, "A", m.start(), guest))
    return sorted(found, key=lambda t: t.start)


def _rest_of_line(text: str, at: int) -> tuple[int, int]:
    """The words from ``at`` to the end of its line, trimmed."""
    end = text.find("\n", at)
    return _trim_content(text, at, len(text) if end < 0 else end)


# An interview's answer: "A: Because they needed help, I think."
_ANSWER = re.compile(r"^[ \t]*A:[ \t]+(?=\S)", re.M)


def _interviewee(text: str, roster: Roster, first_answer: int) -> str | None:
    """Who answers an interview: the one person the article names most before its first
    answer ("Former first lady Laura Bush … She sat down this week …"), if there is one."""
    intro = text[:first_answer]
    counts = sorted(
        (((intro.count(p), intro.count(p.split()[-1])), p) for p in roster.persons if p in intro),
        reverse=True,
    )
    if not counts or (len(counts) > 1 and counts[0][0] == counts[1][0]):
        return None  # no one, or two named as often: no telling who answers
    return counts[0][1]


def _build(
    text: str,
    items: list[_Item],
    sentences: list[tuple[int, int]],
    roster: Roster,
    mentions: list[PersonMention],
    masked: str,
    tagged: Tagged | None = None,
    turns: list[_Turn] | None = None,
) -> list[Quote]:
    starts = [s for s, _ in sentences]
    turns = turns or []
    turn_starts = [t.start for t in turns]

    def turn_at(pos: int) -> _Turn | None:
        k = bisect_right(turn_starts, pos) - 1
        return turns[k] if k >= 0 and pos < turns[k].end else None

    out: list[tuple[int, Quote]] = []
    speakers: list[tuple[int, str]] = []

    first_break = text.find("\n")
    headline_end = len(text) if first_break < 0 else first_break  # the first line's end

    def resolve(mention: str | None, pos: int) -> str | None:
        if not mention:
            return None
        if mention.split()[0].lower() in _RELATIVES:  # "Merkel, who (then) warned": Merkel
            before = _ANTECEDENT.search(text, max(0, pos - 160), pos)
            named = name_ok(before.group(1)) if before else None
            return roster.resolve(named) if named else None
        if mention.lower().strip() in _NO_ONE:
            return None  # "Some chanted", "Her goal was", "None showed": kept as written only
        medium = _THE_MEDIUM.fullmatch(mention.strip())
        if medium:  # "“…,” the statement said" after "Gagnon said in a statement that …"
            noun = medium.group(1).lower().split()[-1]
            return next((who for _, who, cue in reversed(cued[-50:]) if noun in cue), None)
        kind = _kind_of_mention(mention)
        k = max(0, bisect_right(starts, pos) - 1)
        sentence = sentences[k] if sentences else (0, len(text))
        if kind == "pronoun" and mention.lower() == "i" and masked[pos : pos + 1] != "x":
            turn = turn_at(pos)  # in a transcript, the person whose turn it is
            return turn.speaker if turn else None  # else the writer, whom no one names
        if kind == "pronoun":
            prior = sentences[k - 1][0] if k > 0 else sentence[0]
            return resolve_pronoun(mention, pos, sentence, text, roster, mentions, speakers, prior)
        if kind == "descriptor":
            body = _body_named(mention, text, pos)
            if body:  # "The ministry said" after "the Ministry of Emergency Preparedness"
                return body
            named = _descriptor(mention, text, pos, roster)
            prior = sentences[k - 1][0] if k > 0 else sentence[0]
            lately = _someone_else_lately(named, mentions, speakers, masked, prior, pos)
            return None if lately else named
        office = _OFFICE_OF.fullmatch(mention)
        if office and office.group(2).capitalize() in _ONE_WORD_TITLES:
            return _descriptor(f"the {office.group(1)}", text, pos, roster)  # "mayor of X": not X
        resolved = roster.resolve(mention)
        if resolved not in roster.persons and pos < headline_end:
            return _headline_person(mention, roster) or resolved
        written = drop_titles(mention.split())
        if resolved not in roster.persons and len(written) == 1:
            return _given_alone(written[0]) or resolved  # "“…,” Lorraine says": Lorraine MacIsaac
        if resolved in roster.persons and len(written) == 1:
            return _introduced_namesake(written[0].rstrip(".,"), resolved, pos) or resolved
        return resolved

    first_in_full: dict[str, dict[str, int]] = {}  # surname -> name -> first written in full
    cued: list[tuple[int, str, str]] = []  # (start, speaker, cue in lower case) of each quote
    bearers: dict[str, list[str]] = {}  # first name -> the persons bearing it, made when asked

    def _given_alone(word: str) -> str | None:
        """The one person of the article whose first name ``word`` is, unless someone bears it
        as a family name."""
        if word in roster.family or word.lower() not in FIRST_NAMES:
            return None  # not "Trump" for "Trump Train", "Pew" for "Pew Research"
        if not bearers:  # once an article: who bears each first name
            for n in sorted(roster.persons):
                if " " in n:
                    bearers.setdefault(n.split()[0], []).append(n)
        named = bearers.get(word, [])
        return named[0] if len(named) == 1 else None

    def _introduced_namesake(surname: str, resolved: str, pos: int) -> str | None:
        """Of two people of a surname, not one the article has not named in full yet ("“…,”
        Zhang said" after "Health Minister Peter Zhang" and before "Jasmine Zhang" is
        introduced); among those it has, the roster's choice (the most named)."""
        family = [c for c in roster.family.get(surname, ()) if c in roster.persons]
        if len(family) < 2 or resolved not in family:
            return None
        if surname not in first_in_full:  # once per surname: an article's quotes cost no more
            first_in_full[surname] = {}
            for m in mentions:
                given = m.name[: m.name.rfind(" ") + 1]  # "Peter " of "Peter Zhang"
                at = text.find(surname, m.position, m.position + TAIL) if m.name in family else -1
                if at > 0 and text.endswith(given, m.position, at):
                    first_in_full[surname].setdefault(m.name, m.position)  # written in full
        named = {n for n, at in first_in_full[surname].items() if at < pos}
        if not named or resolved in named:
            return None
        return max(sorted(named), key=lambda c: (roster.count.get(c, 0), len(c)))

    if tagged is not None:
        items, reported = _learned_events(text, masked, items, sentences, tagged, roster)
    else:
        reported = [r for s, e in sentences if (r := _rules_report(text, masked, s, e))]
    # A transcript's turn is one direct quote: the reported clauses inside it are its words,
    # and a quotation of the whole turn ("“CLINTON: I feel …”") is the turn itself.
    if turns:
        reported = [r for r in reported if turn_at(r.start) is None]
        labels = [t.position for t in turns]
        items = [i for i in items if not any(i.span.start <= p < i.span.end for p in labels)]
    events: list[tuple[int, _Item | Reported | _Turn]] = [(it.span.start, it) for it in items]
    events += [(r.start, r) for r in reported]
    events += [(t.start, t) for t in turns]
    events.sort(key=lambda e: e[0])
    links = [m.span() for m in _LINK_LINE.finditer(text)]  # "READ MORE: …": another article's
    for at, ev in events:
        if links and any(a <= at < b for a, b in links):
            continue
        if isinstance(ev, _Item):
            att = ev.attribution
            mention = _sane(att.mention, roster) if att else None
            pos = att.position if att and att.position >= 0 else ev.span.start
            speaker = resolve(mention, pos)
            start, end, kind = ev.span.start, ev.span.end, kind_of(text, ev.span)
            cue = att.cue if att else None
        elif isinstance(ev, _Turn):
            mention, pos, cue, speaker = ev.label, ev.position, ":", ev.speaker
            start, end, kind = ev.start, ev.end, QuoteKind.DIRECT
        else:
            mention, pos, cue = _sane(ev.mention, roster), ev.position, ev.cue
            if mention and _spoken_of(text, ev):
                mention = None  # "Aldous has been accused of walking away": not her words
            speaker = resolve(mention, pos)
            start, end, kind = ev.start, ev.end, QuoteKind.INDIRECT
        if speaker and not written_as_name(speaker):
            speaker = None  # "Reporters spoke to Lindqvist": a clause, kept as written only
        elif speaker and _common_speaker(speaker, roster):
            speaker = None  # "Report:", "Analysis", "Hundreds": kept as written only
        if (
            kind is QuoteKind.FRAGMENT
            and not speaker
            and len(text[start:end].split()) <= _TERM_WORDS
        ):
            continue  # “psychographic”, “spear phishing”: a term in quotation marks, no speech
        quote = Quote(text[start:end], start, end, kind, speaker, mention, cue)
        out.append((start, quote))
        if speaker:
            speakers.append((start, speaker))
            cued.append((start, speaker, (cue or "").lower()))
    return _folded([q for _, q in out])


def _folded(quotes: list[Quote]) -> list[Quote]:
    """One quote an occurrence: a fragment inside reported speech of the same speaker is part
    of it (`said the plan was “a disaster”`), kept in the reported quote's ``quoted``."""
    reports = [q for q in quotes if q.kind is QuoteKind.INDIRECT]
    if not reports:
        return quotes
    inside: dict[int, list[Quote]] = {}
    folded: set[int] = set()
    for n, q in enumerate(quotes):
        if q.kind is not QuoteKind.FRAGMENT:
            continue
        for r in reports:
            if r.start <= q.start and q.end <= r.end and q.speaker in (None, r.speaker):
                inside.setdefault(id(r), []).append(q)
                folded.add(n)
                break
    if not folded:
        return quotes
    return [
        replace(q, quoted=tuple(inside[id(q)])) if id(q) in inside else q
        for n, q in enumerate(quotes)
        if n not in folded
    ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _learned_events(
    text: str,
    masked: str,
    items: list[_Item],
    sentences: list[tuple[int, int]],
    tagged: Tagged,
    roster: Roster | None = None,
) -> tuple[list[_Item], list[Reported]]:
    """The tagger decides what is speech; the rules keep the speakers of quoted spans.

    A quoted span is kept when the tagger reads it as content (a scare quote, a title or a
    headline in quotation marks is not); a content the tagger finds outside quotation marks is
    reported speech, its speaker the source the tagger found nearest in its sentence.
    """
    starts = [s for s, _ in sentences]
    # "… at the mayor pointing out …": what follows a preposition is nobody's voice; and
    # "… coming from a council that promised lower fares: “…”" does not say the quotation
    tagged = _without_sources(text, tagged, _OBJECT_SOURCE)
    tagged = _without_places(text, tagged)
    quoting = _without_sources(text, tagged, _RELATIVE_SOURCE)
    kept: list[_Item] = []
    proxies: dict[int, Attribution] = {}  # the rules' attribution -> a spokesperson's, by identity
    # quoted names and words named: no content that is mostly one is a report
    names: list[tuple[int, int]] = []
    for item in items:
        span = (item.span.start, item.span.end)
        covered = tagged.covered(*span)
        words = text[span[0] : span[1]]
        if _names_a_work(text, *span):
            names.append(span)  # "a memo titled “Where the Race Stands.”", "his book, “Salt.”"
            continue
        if (
            _is_title(words)
            or _NAMED_AS.search(text, max(0, span[0] - 40), span[0])
            or (names and _AND_NEXT.fullmatch(text, names[-1][1], span[0]))
        ):
            # a title, or words named rather than said ("the so-called “Initiative”")
            names.append(span)
            continue
        if _OWNED_TITLE.fullmatch(words) and _OWNER_BEFORE.search(
            text, max(0, span[0] - 40), span[0]
        ):
            continue  # "CBC's “The National,”": a programme's or a work's name
        if covered * 2 < span[1] - span[0] and not _whole_sentence(text, sentences, item):
            continue
        document = item.attribution and _DOCUMENT.match(item.attribution.mention or "")
        if sentences and not document:
            # The tagger's source in the quote's own sentence wins over the rules' guess; the
            # rules keep the floating quotes, the ones whose sentence names no one, and the
            # words of a document ("Under the accord, … guaranteed “…”").
            s_start, s_end = sentences[item.sentence]
            source = _source_for(text, quoting, span, s_start, s_end)
            cue_word = item.attribution.cue if item.attribution else None
            head = _head_mention(text, source, roster) if source is not None else None
            if head is None or not (_PERSON_NAME.match(head[0]) or head[0].lower() in _PRONOUNS):
                # "Varga appeared with the host Tor Haug and …, saying, “…”": where the tagger's
                # source is no name, the speaker of "saying" is the subject of the sentence
                head = _participle_subject(masked, s_start, cue_word, roster) or head
            guess = item.attribution  # the rules'
            if (
                head is not None
                and source is not None
                and guess is not None
                and guess.mention
                and _nearer_speaker(masked, source, guess, span)
            ):
                # "Kowal declined to comment, but a spokesperson for her office said “…”": the
                # subject of the verb before the quotation, not of "declined"
                head = None
            if (
                head is not None
                and guess is not None
                and guess.mention
                and _VERB_IN_SOURCE.search(head[0])
                and _PERSON_NAME.match(guess.mention)
            ):
                # "Pihl cannot say that “…,” Calloway added": no name in the tagger's source
                # ("Pihl cannot"), a name in the rules' attribution: the rules' speaker
                head = None
            elif (
                head is not None
                and source is not None
                and guess is not None
                and guess.mention
                and source[1] <= span[0]
                and (guess.cue or "").lower() in _PLAIN_SAYING
                and _CLOSING_RIGHT_AFTER.fullmatch(text, span[1], guess.position)
                and _PERSON_NAME.match(guess.mention)
                and _said_right_after(text, guess)
            ):
                # "Pihl will never admit it was “a costly mistake,” Calloway added.": the
                # attribution closing the quotation speaks, not the subject of its clause
                head = None
            if head is not None:
                new = Attribution(*head, cue_word)
                if item.attribution is not None and speaks_for(head[0]):
                    proxies[id(item.attribution)] = new
                item.attribution = new
            elif item.attribution is not None and id(item.attribution) in proxies:
                # "“…,” a spokesperson for Thériault said. “…”": the rules lent this quotation
                # the name they read for the one before, where the spokesperson speaks
                item.attribution = proxies[id(item.attribution)]
        kept.append(item)
    for prv, item in pairwise(kept):
        # A source the tagger found goes on to the next quotation ("“…,” the report
        # concluded. “…”"), as the rules' sources do in _fill_gaps.
        if not (item.attribution and item.attribution.mention) and _continues(masked, prv, item):
            s_start = sentences[item.sentence][0] if sentences else 0
            if _heads(masked, s_start, item):
                item.attribution = prv.attribution
    reported: list[Reported] = []
    kept_spans = [(it.span.start, it.span.end) for it in kept]  # sorted, never overlapping
    answers: dict[int, Reported | None] = {}  # a sentence opening on a question: its answer
    rules: dict[int, Reported | None] = {}  # a sentence's reading by the rules, once
    contents = _according_whole(text, sentences, tagged)
    for content in contents:
        first = max(0, bisect_right(kept_spans, (content[0], content[0])) - 1)
        opening = next((sp for sp in kept_spans[first:] if sp[1] > content[0]), None)
        if opening and content[0] < opening[0] < content[1]:
            lead = text[content[0] : opening[0]].rstrip(' "“')
            if lead.endswith((".", "!", "?")) and len(lead.split()) >= _CLAUSE_WORDS:
                # "… said officers were called just after 11 p.m. “Both drivers …”": the
                # words end where their sentence does, before the next one's quotation
                content = (content[0], content[0] + len(lead))
        size = content[1] - content[0]
        quoted = 0
        for span in kept_spans[first:]:
            if span[0] >= content[1]:
                break
            quoted += _overlap(content, span)
        if quoted * 10 >= size * 3:
            continue  # a quotation with its lead-in: the quoted words stand for it
        if names and _only_a_name(text, content, names):
            continue  # "a memo titled “The Facts”": a work's name, nothing reported
        k = max(0, bisect_right(starts, content[0]) - 1)
        s_start, s_end = sentences[k] if sentences else (0, len(text))
        if k not in answers:
            answers[k] = asked_answer(masked[s_start:s_end], s_start)
        answer = answers[k]
        if answer is not None and content[0] < answer.start:
            # "Asked whether …, Whitford said his door was open": the tagger read the question,
            # or question and answer as one; the answer is the statement, and only once.
            answers[k] = None
            told = any(answer.start <= c[0] < s_end for c in tagged.contents)
            if not told and _rules_kept(text, masked, answer):
                reported.append(answer)
            continue
        source = _source_for(text, tagged, content, s_start, s_end)
        cue = _nearest(tagged.cues, content, s_start, s_end)
        if (
            source
            and _JOINED_BEFORE.fullmatch(text, content[1], source[0])
            and not _any_between(tagged.cues, s_start, content[0])
        ):
            continue  # "The ferry cancelled 14 crossings, and its chief says …": narration
        if (
            cue
            and cue[1] <= content[0]
            and not text[cue[1] : content[0]].strip()
            and text[cue[0] : cue[1]].lower() in _PLAIN_SAYING
            and _QUOTATION_THEN_CUE.search(text, max(0, cue[0] - 4), cue[0])
        ):
            continue  # "“…,” said pilot Lena Moravec when asked …": who said it, not what
        if cue and _apposition(text, content, cue, roster):
            continue  # "Nicolas Tenzer, a prominent political scientist, commented": who, not what
        if _DESCRIBED_SUBJECT.match(text, content[0], content[1]) and _said_next(
            text, tagged, content
        ):
            continue  # "Mayor Ines Calloway, who has led the town since 2019, said": who speaks
        if _describes_speaker(text, tagged, content, s_start, s_end):
            continue  # "Kowalczyk, who had championed the levy since last fall, called …"
        if (
            _RELATIVE_OPEN.match(text, content[0])
            and text[max(0, content[0] - 2) : content[0]] == ", "
        ):
            continue  # "MPP Lina Vik, whose riding includes the intersection, …": who she is
        mention, position = _head_mention(text, source, roster) if source else (None, content[0])
        if source and mention is not None:
            mention, position = _parenthetical(text, source, mention, position)
        cue_text = _bare_cue(text[cue[0] : cue[1]]) if cue else ""
        if mention is None:
            mention, position = _rule_source(masked, s_start, s_end, content[0]) or (None, position)
            if mention and cue and cue[1] <= content[0] <= position:
                # "…, said the family was relieved": "the family" opens the words; the source
                # is the subject before the cue ("The victim's sister, Anja Lind, said")
                lead = masked[s_start : cue[0]]
                apposed = _APPOSED_LAST.search(
                    lead, max(0, len(lead) - TAIL)
                )  # "…, Anja Lind, said": the name given
                subj = (apposed.group(1), s_start + apposed.start(1)) if apposed else None
                subj = subj or subject_before(lead, s_start)
                mention, position = subj if subj else (None, content[0])
        if mention is None and cue and cue[1] <= content[0] and _says(text[cue[0] : cue[1]]):
            # "Ms. Khan, in an opinion article …, rebuked Mr. Trump": the subject of a verb of
            # saying, past what the sentence puts between them (not of "are both seen as")
            lead = masked[s_start : cue[0]]
            role = _ROLE_LEAD.match(lead)  # "And councillor Ines Calloway, in a letter …,"
            subj = (role.group(1), s_start + role.start(1)) if role else None
            mention, position = subj or subject_before(lead, s_start) or (None, position)
        cleft = _CLEFT.match(masked, s_start, s_end) if mention == "It" else None
        if cleft:  # "It was three years ago that Bloomberg, who …, said": Bloomberg said it
            mention, position = _rule_source(masked, cleft.end(), s_end, content[0]) or (
                None,
                position,
            )
        start, end = _trim_content(text, *content)
        closing = _BEFORE_ACCORDING.match(text, end, s_end) if "ccording" in cue_text else None
        if closing:  # "No new talks have been scheduled, according to both sides": all of it
            end = _trim_content(text, start, closing.start(1))[1]
        addressee = (
            _TOLD_NAME.match(text, start, end)
            if cue and cue_text.lower() in ("told", "tells") and not text[cue[1] : start].strip()
            else None
        )
        if addressee:  # "Drew told CBC News the cap would …": whom she told, not what she said
            start = addressee.end()
        said_in = _CUE_IN.search(cue_text) is not None
        medium = _MEDIUM_THAT.match(text, start, end) if said_in else None
        bare = MEDIUM_CLAUSE.match(text, start, end) if said_in and medium is None else None
        if medium or bare:
            # "The RCMP said in a news release that traffic …", "said in an interview the band
            # would appeal": where it was said is the cue's, what was said starts at "that" or
            # at the clause's subject
            cue_text = f"{cue_text} {(medium or bare).group(1)}"  # type: ignore[union-attr]
            start = medium.end(1) + 1 if medium else bare.end()  # type: ignore[union-attr]
        according = _ACCORDING_LEAD.match(text, s_start, s_end)
        if according and start < according.end() < end:
            # "According to the agency, 1,200 people …": the phrase is the source, all of it,
            # and the words after its comma are what the source says.
            start, cue_text = according.end(), "according to"
            mention, position = according.group(1), according.start(1)
        inner = _closing_inside(masked, start, end, s_end)
        trail = (
            _closing(masked, end, s_end)
            if inner is None and source and cue_text.lower() not in _PLAIN_SAYING
            else None
        )
        if inner is not None:
            # "Pihl's claim that the pier will open is wrong, the harbour master says": the
            # words end at the attribution they took in, and are its source's, all the clause
            # ("Pihl's claim" included: where the claim itself ends is not written)
            if source and s_start <= source[0] < start:
                start = source[0]
            mention, position, cue_text = inner[0], inner[1], inner[2]
            end = _trim_content(text, start, inner[3])[1]
        elif trail and source and s_start <= source[0] < start:
            # "Sanders plans to remain a Democrat …, Devine said.": the attribution closing
            # the words is the source of all before it, "Sanders plans" included
            mention, position, cue_text, start = trail[0], trail[1], trail[2], source[0]
        after = _SAID_AFTER.match(text, position, s_end) if mention and start < position else None
        if after and text[start:position].rstrip().endswith(","):
            # "The first trains run in 2031, the city said": the attribution ends the sentence,
            # it is not part of what was said; its verb is the cue.
            end, cue_text = min(end, text.rindex(",", start, position)), cue_text or after.group(1)
            start, end = _trim_content(text, start, end)
        if cue and cue_text.lower().startswith("asked") and not text[s_start : cue[0]].strip():
            continue  # "Asked whether the fare could be frozen, Morvik said": the question
        if cue_text.lower() in _NOT_CUES:
            cue_text = ""  # "For Ukrainians and their allies, …": a preposition, no verb of saying
        if cue_text.lower() in ("so-called", "so called", "known as"):
            continue  # "the so-called “freedom convoy” returned": a name, nobody speaking
        if not cue_text and (mention is None or mention.lower() in _EMPTY_SOURCES):
            continue  # no one and no verb of saying: narration ("A group of rabbis is planning …")
        # the rules' reading, wanted when there is no cue, or when the tagger's cue says nothing
        # and a plain verb of saying lies inside its words (read only then: it costs time)
        wanted = not cue_text or (
            not _says(cue_text) and _PLAIN_SAYING_WORD.search(text, start, end) is not None
        )
        if wanted and k not in rules:
            rules[k] = _rules_report(text, masked, s_start, s_end)
        rule = rules[k] if wanted else None
        same = rule is not None and mention in (None, rule.mention)  # not "a poll": "voters said"
        said = rule is not None and rule.cue.lower() in _PLAIN_SAYING
        if rule and same and said and start <= rule.position < rule.start < end and not cue_text:
            # "Speaking on CBC's “The National,” Moreau said police were prepared", read whole
            # with no cue: the rules' "Moreau said" inside it gives the words and their source
            reported.append(rule)
            continue
        if (
            rule
            and same
            and said
            and rule.position < start < rule.start < end
            and rule.cue.lower() in _WORDS.findall(text[start : rule.start].lower())
        ):
            # "Coun. Dev Osterhout, who voted against the levy, told the Ledger the city …": the
            # words ran on from a clause about the speaker into what the verb of saying reports
            reported.append(rule)
            continue
        if _asks(text, masked, s_start, s_end):
            continue  # "Did you promise not to raise the tax?": a question asks, it states nothing
        if _PLACE_CUE.search(cue_text) and _PROPER_PLACE.fullmatch(text, start, end):
            continue  # "said in the House of Commons": where it was said, not what
        if cue_text.lower() in _TALKED and _ADDRESSEE.match(text, start, end):
            continue  # "spoke to reporters after the meeting": whom she spoke to, not what
        if (
            mention
            and start <= position < end
            and len(text[start:position].split()) <= 3
            and _known_person(mention, roster)
            and cue
            and cue[0] >= end
        ):
            # "Shelf stocker Aiden Kowalczyk — no relation to the union president — said": the
            # words open on their own source (not "… the Biden wheelhouse, said Democrats")
            continue
        if _states_something(text, start, end):
            reported.append(Reported(start, end, mention, position, cue_text))
            nested = _EMBEDDED.search(masked, start, end)
            if (
                nested
                and _CLAUSE_AHEAD.match(text, nested.end(), end)
                and _states_something(text, nested.end(), end)
            ):
                # "… a harbour levy that Mayor Ines Calloway says will keep the ferry running":
                # what the clause credits to someone else is that person's statement too
                reported.append(
                    Reported(nested.end(), end, nested.group(1), nested.start(1), nested.group(2))
                )
    # A sentence the tagger left empty still gets the rules' reading of "X said (that) …" when
    # the speaker is named: the tagger was trained on a corpus where "said the …" mostly
    # introduces a source, and must not lose a plain report for it.
    for s_start, s_end in sentences:
        if tagged.covered(s_start, s_end):
            continue
        rule = _rules_report(text, masked, s_start, s_end)
        if (
            rule is not None
            and rule.mention
            and (
                rule.mention[:1].isupper()
                or _THE_NAMED.match(rule.mention) is not None  # "the Bay Narrows Ferry Corporation"
                # "According to a statement from the Nova Scotia Nurses' Union, members …",
                # "According to police, …": a source whatever it is written as
                or rule.cue == "according to"
                or (
                    _DESCRIBES.fullmatch(rule.mention) is not None
                    and (rule.position > rule.end or _tagged_source_at(tagged, rule.position))
                )
            )
        ):
            # named, or a description closing the sentence or read by the tagger as the
            # source too ("The ferry will run in June, the harbour master said")
            reported.append(rule)
    reported.sort(key=lambda r: r.start)
    return kept, reported


def _parenthetical(
    text: str, source: tuple[int, int], mention: str, position: int
) -> tuple[str, int]:
    """ "The plan, an inside source said, is to …": the tagger's source holds the words' subject
    and the attribution set between commas; the speaker is the attribution's, not "The plan"."""
    cue = _PAREN_CUE.match(text, source[1])
    if cue is None or mention.lower() in _PRONOUNS:
        return mention, position
    comma = text.rfind(", ", source[0], source[1])
    if comma < 0 or not source[0] <= position < comma:
        return mention, position  # the mention is the attribution's own
    last = text[comma + 2 : source[1]].strip()
    if not last or not (
        _DESCRIBES.fullmatch(last) or _PERSON_NAME.match(last) or _SOME_PEOPLE.fullmatch(last)
    ):
        return mention, position
    if _PERSON_NAME.match(mention) and not text[cue.end() : cue.end() + 1].islower():
        return mention, position  # "Mayor Ines Calloway, a sailor, said, “…”": she, described
    # "The source of the attraction to Mr. Trump, union members say, is manifold"
    return last, comma + 2


# A source that is an object relative clause ("one which Eastport historian Jonas Pihl"): the
# name closing it is who speaks, the subject of the verb after it.
_OBJECT_RELATIVE = re.compile(
    rf"^[\w’'-]+(?:\s+[\w’'-]+)?\s+(?:which|whom|that)\s+(?:[\w’'-]+\s+){{0,6}}?({TITLED}{NAME})$"
)
# People named by lower-case words: "union members and leaders", "party officials".
_SOME_PEOPLE = re.compile(r"[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,4}")
# The cue of an attribution set between commas: "…, an inside source said, is to …".
_PAREN_CUE = re.compile(
    r"\s+(?:also\s+)?(?:said|says|say|told|added|noted|argued)(?:\s+\w+day)?,\s"
)


def _said_right_after(text: str, guess: Attribution) -> bool:
    """The cue follows the mention with no comma between: "Calloway added", "Ines Calloway, a
    councillor, added" not; "“attacked” Clinton, and said" not."""
    cue = guess.cue or ""
    stretch = text[guess.position : guess.position + len(guess.mention or "") + 40]
    at = stretch.find(f" {cue}")
    return cue != "" and at >= 0 and not re.search(r"[,.;:]", stretch[:at])


# Between a quotation and the attribution that closes it: `,” ` (`.”` would end the sentence).
# A cue right after a quotation's closing mark ("…,” said"): what follows it is the speaker.
_QUOTATION_THEN_CUE = re.compile(r"[,.!?]?[”\"]\s+$")
_CLOSING_RIGHT_AFTER = re.compile(rf",?[”\"’']?,?\s+(?:[{UPPER}][\w.]*\s+){{0,3}}")
# A tagger's source that ran on into its clause's verb ("Pihl cannot"): no one's name.
_VERB_IN_SOURCE = re.compile(
    r"\s(?:cannot|can't|can|will|won't|would|should|could|may|might|must|is|was|are|were|has|"
    r"have|had|does|did|doesn't|didn't)$"
)
# A subject the article describes before its verb: "Mayor Ines Calloway, who has led …, said".
_DESCRIBED_SUBJECT = re.compile(rf"{TITLED}{NAME},\s+(?:who|whose)\b")
_RELATIVE_OPEN = re.compile(r"(?:who|whose|whom)\b")
_TALKED = frozenset({"spoke", "speaks", "speaking", "spoken", "talked", "talks", "talking"})
# What follows "spoke" when it names the listeners: "to reporters", "with the mayor", "to Pihl".
_ADDRESSEE = re.compile(
    r"(?:to|with)\s+(?:(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those|him|"
    r"them|us|me|reporters|journalists|supporters|voters|members|residents|students|workers|"
    rf"local)\b|[{UPPER}])"
)


def _describes_speaker(
    text: str, tagged: Tagged, content: tuple[int, int], s_start: int, s_end: int
) -> bool:
    """The words close a relative clause about the sentence's subject, whose own verb comes
    after its comma ("Kowalczyk, who had championed the levy since last fall, called …",
    "Petrovska, whose mother spent 11 hours in the waiting room, said …"), and the clause says
    nothing itself ("Kowal, who said in May that the pier would open, now says" keeps it)."""
    clause = _IN_RELATIVE.search(text, s_start, content[0])
    if clause is None or not _CLAUSE_COMMA.match(text, content[1]):
        return False
    if not _any_between(tagged.cues, content[1], s_end):
        return False  # no verb after the clause: the words are the sentence's own
    inside = [c for c in tagged.cues if clause.start() <= c[0] and c[1] <= content[0]]
    words = [w for a, b in inside for w in text[a:b].lower().split()]
    return not any(w in _SAYING or _SPEECH_WORD.fullmatch(w) for w in words)


# A relative clause opened after a comma and still open ("Kowalczyk, who had championed"), and
# the comma that closes it.
_IN_RELATIVE = re.compile(r",\s+(?:who|whose)\b[^,;:.“”\"\n]*$")
_SPEECH_WORD = re.compile(rf"(?:{CUE_STEMS}|brags|boasts|praise|praises|praising)")
_CLAUSE_COMMA = re.compile(r"[^,;:.“”\"\n]{0,40},\s")


def _said_next(text: str, tagged: Tagged, content: tuple[int, int]) -> bool:
    """A verb of saying the tagger found as a cue opens within a comma and a space of the
    content's end ("…, said"; not "…, according to filings")."""
    k = bisect_right(tagged.cues, (content[1], content[1]))
    if k == len(tagged.cues) or tagged.cues[k][0] - content[1] > 2:
        return False
    return _bare_cue(text[tagged.cues[k][0] : tagged.cues[k][1]]).lower() in _PLAIN_SAYING


# A clause inside reported words that credits what follows to someone: "… that Mayor Ines
# Calloway says will …", "… which he said runs the risk of …".
_EMBEDDED = re.compile(
    rf"\b(?:that|which|what)\s+({TITLED}{NAME})\s+"
    r"(says|said|believes|believed|thinks|thought|claims|claimed)\s+(?=[a-z])"
)


# Words that go on as a clause, a verb among their first: "will keep …", "his use of email
# was a mistake" (not "some of what he is saying", an object).
_CLAUSE_AHEAD = re.compile(
    r"(?:(?!(?:what|that|which|who)\b)[\w’'-]+\s+){0,6}?"
    r"(?:is|are|was|were|has|have|had|will|would|could|should|can|may|"
    r"might|must|did|does|do|won’t|won't|[a-z]+ed)\b"
)


def _tagged_source_at(tagged: Tagged, position: int) -> bool:
    """A source the tagger found starts at ``position``."""
    k = bisect_left(tagged.sources, (position, position))
    return k < len(tagged.sources) and tagged.sources[k][0] == position


def _closing_inside(
    masked: str, start: int, end: int, s_end: int
) -> tuple[str, int, str, int] | None:
    """An attribution closing the words ``start:end`` themselves, its verb in them or just
    after them before the sentence ends at ``s_end`` ("…, the harbour master, Mette Rud" +
    ", says."): its mention, where that stands, its verb and where its comma stands (read over
    the words' last characters)."""
    m = _CLOSING.search(masked, max(start, end - TAIL), max(end, s_end))
    if m is None or m.start() <= start or m.start() >= end:
        return None
    return m.group(1).strip(), m.start(1), m.group(2), m.start()


def _closing(masked: str, at: int, s_end: int) -> tuple[str, int, str] | None:
    """The attribution closing a sentence or a clause right at ``at``, ``…, Devine said.``:
    its mention, where that stands and its verb."""
    m = _CLOSING.match(masked, at, s_end)
    return (m.group(1).strip(), m.start(1), m.group(2)) if m else None


def _according_whole(
    text: str, sentences: list[tuple[int, int]], tagged: Tagged
) -> list[tuple[int, int]]:
    """The tagger's contents, those after the comma of a sentence's opening "According to X,"
    made one: all the clause is what X says ("According to a staff report, the levy is expected
    to raise …", which the tagger split at "is expected"), unless a source of its own stands in
    it."""
    contents = tagged.contents
    if "ccording to" not in text:
        return contents  # most articles: nothing to join
    out: list[tuple[int, int]] = []
    starts = [s for s, _ in sentences]
    merged_until = -1
    for n, content in enumerate(contents):
        if content[0] < merged_until:
            continue
        k = max(0, bisect_right(starts, content[0]) - 1)
        s_start, s_end = sentences[k] if sentences else (0, len(text))
        according = _ACCORDING_LEAD.match(text, s_start, s_end)
        if according is None or content[0] < according.end():
            out.append(content)
            continue
        # the contents are sorted and never overlap: the sentence's run ends the last of them
        # that starts in it
        j = bisect_right(contents, (s_end, s_end), lo=n) - 1
        last = max(content[1], contents[j][1])
        if _any_between(tagged.sources, according.end(), last):
            out.append(content)
            continue
        out.append((according.end(), last))
        merged_until = last
    return out


def _nearer_speaker(
    masked: str, source: tuple[int, int], rules: Attribution, span: tuple[int, int]
) -> bool:
    """The rules' speaker stands between the tagger's source and the quotation, as the subject
    of a verb of saying just before it, and a clause of its own ("…, but X said") keeps the
    tagger's source to the verb before: the rules' speaker is the quotation's."""
    if (
        not (source[1] <= rules.position < span[0])
        or (rules.cue or "").lower() not in _PLAIN_SAYING
    ):
        return False
    between = masked[source[1] : rules.position]
    return _CLAUSE_BREAK.search(between) is not None


_CLAUSE_BREAK = re.compile(r"[,;]\s+(?:but|and|while|whereas|although)\s|;\s|\.\s")


_TO_WHOM = re.compile(r"\b(?:to|with)\s*$", re.IGNORECASE)


def _subject_source(
    text: str, tagged: Tagged, source: tuple[int, int], lo: int
) -> tuple[int, int] | None:
    """The source before ``source`` that is the subject ``source`` belongs to the clause of: a
    source the tagger read as the object of a preposition ("Many of the council members who
    would rather campaign for Ines Calloway or Jonas Pihl said"), with no cue between them."""
    plain = _PREPOSITION_BEFORE.search(text, max(0, source[0] - 12), source[0]) is not None
    if not plain and not _TO_WHOM.search(text, max(0, source[0] - 6), source[0]):
        return None  # "to" and "with" name an addressee only before a cue (below)
    i = bisect_right(tagged.sources, (source[0], source[0] - 1)) - 1
    if i < 0 or tagged.sources[i][1] <= lo or tagged.sources[i][0] < lo:
        return None
    earlier = tagged.sources[i]
    if not plain or _any_between(tagged.cues, earlier[1], source[0]):
        # "Pihl wrote a letter to Minister Calloway asking …": the cue before the source names
        # whom it was addressed to; the participle after it is the subject's
        j = bisect_right(tagged.cues, (source[1], source[1]))
        after = tagged.cues[j] if j < len(tagged.cues) else None
        between = [c for c in tagged.cues if earlier[1] <= c[0] and c[1] <= source[0]]
        addressed = (
            len(between) == 1
            and _TO_WHOM.search(text, between[0][0], between[0][1]) is not None
            and not text[between[0][1] : source[0]].strip()
        )
        participle = (
            after is not None
            and not text[source[1] : after[0]].strip()
            and text[after[0] : after[1]].lower().endswith("ing")
        )
        if not (addressed and participle):
            return None
    return earlier


def _source_for(
    text: str, tagged: Tagged, content: tuple[int, int], lo: int, hi: int
) -> tuple[int, int] | None:
    """The source of a content: the one nearest the content's cue (``X said …``, ``…, said
    X``), or the one nearest the content when the tagger found no cue in its sentence."""
    cue = _nearest(tagged.cues, content, lo, hi)
    if cue is not None:
        linked = _nearest(tagged.sources, cue, lo, hi, avoid=content)
        if linked is not None and linked[1] <= cue[0]:
            linked = _subject_source(text, tagged, linked, lo) or linked
        if linked is not None:
            return linked
    return _nearest(tagged.sources, content, lo, hi)


def _any_between(spans: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Some span of the sorted ``spans`` starts in ``lo:hi``."""
    i = bisect_right(spans, (lo, lo - 1))
    return i < len(spans) and spans[i][0] < hi


def _nearest(
    spans: list[tuple[int, int]],
    target: tuple[int, int],
    lo: int,
    hi: int,
    avoid: tuple[int, int] | None = None,
) -> tuple[int, int] | None:
    """The span of the sentence ``lo:hi`` closest to ``target`` (before it on a tie), never
    one overlapping ``target`` or ``avoid``. ``spans`` are sorted and never overlap, so the
    nearest before and after the target are found by walking out from where it would sit,
    not by reading every span of the sentence (a sentence of many quotes made that quadratic).
    """

    def usable(s: tuple[int, int]) -> bool:
        return not _overlap(s, target) and not (avoid and _overlap(s, avoid))

    at = bisect_right(spans, (target[0], target[0]))
    before = after = None
    for j in range(at - 1, -1, -1):  # spans starting at or before the target end before it
        if spans[j][1] <= lo:
            break
        if spans[j][0] < hi and usable(spans[j]):
            before = spans[j]
            break
    for j in range(at, len(spans)):
        if spans[j][0] >= hi:
            break
        if spans[j][1] > lo and usable(spans[j]):
            after = spans[j]
            break
    if before is None or after is None:
        return before or after
    return before if target[0] - before[1] <= after[0] - target[1] else after


# "said Tuesday the bill …", "said on Monday night that …": when it was said, not what.
_WHEN = WHEN
_WHEN_SAID = re.compile(rf"{_WHEN},?\s+(?=[a-z])")  # at the start of a content
_CUE_WHEN = re.compile(rf"\s+{_WHEN}$")  # at the end of a cue: "said Tuesday" is "said"
# "…, Devine said.", "…, the campaign said on Tuesday.", "…, the harbour master, Mette Rud,
# says.": a name or a short description (the name, when both), a verb of saying and the
# sentence's end.
_CLOSING = re.compile(
    rf",\s+(?:(?:the|a|an|its|their)\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){{0,2}},\s+(?={TITLED}{NAME},))?"
    # a role written before the name ("Harbour Union director Jonas Pihl", "Union Director of
    # Government Affairs Jonas Pihl"): the name is the mention
    rf"(?:(?:[\w’'-]+\s+){{0,5}}?[a-z][\w’'-]*\s+(?={TITLED}{NAME},?\s+(?:also\s+)?(?:said|says|"
    rf"added|wrote|explained|noted|told)\b))?"
    rf"({TITLED}{NAME}|(?:the|a|an)?\s*[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){{0,2}}"
    rf"(?:\s+(?:for|of|at|with)\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){{0,2}})?),?\s+"
    rf"(?:also\s+)?(said|says|say|added|wrote|explained|noted|told)"
    rf"(?:\s+(?:reporters|(?:the\s+)?[{UPPER}][\w.]*(?:\s+[{UPPER}][\w.]*){{0,2}}))?"
    rf"(?:\s+{_WHEN})?(?:\s+in\s+(?:an?|the)\s+(?:e-?mail|statement|interview|text|post|"
    rf"release))?\s*(?:[.!?;]|$)"
)  # "…, political analysts say;", "…, Phil Smith told POLITICO.", "…, a spokesperson for
# the ministry said in an email."


# Verbs of saying and of public reproach: a cue whose subject is a speaker.
_SAYING = CUES | frozenset({"rebuked", "denounced", "dismissed", "ridiculed", "attacked"})


# Words a source can be that stand for no one to credit: quantifiers, possessives, "you".
_NO_ONE = frozenset(
    """some many most none few several all both everyone anyone someone somebody everybody
    nobody his her their its my our your you there first""".split()  # noqa: SIM905
)
_NOT_ACTIVE = frozenset({"was", "were", "is", "are", "be", "been", "being", "to", "had", "has"})


# A line that links to another article or a video ("READ MORE: 'We're exhausted': Nurses
# say …", "WATCH: …"): whatever it quotes is that article's, not this one's.
_LINK_LINE = re.compile(
    r"^[ \t]*(?:READ|MORE|WATCH|RELATED|LISTEN|SEE ALSO|ALSO READ|VIDEO|PHOTOS?|"
    r"CLICK HERE|SIGN UP|SUBSCRIBE|Read more|Related|Watch|Listen|More)\b[^\n:]{0,20}:[^\n]*",
    re.M,
)
# Plain verbs of saying: those whose subject can follow them, and telling and answering.
_PLAIN_SAYING = INVERTED_SPEECH | {"told", "tells", "replied", "responded"}


_PLAIN_SAYING_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _PLAIN_SAYING), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def _says(cue: str) -> bool:
    """An active verb of saying: its subject speaks ("rebuked"; not "was announced", not the
    infinitive of "to defend")."""
    words = cue.lower().split()
    return bool(words) and words[0] not in _NOT_ACTIVE and any(w in _SAYING for w in words)


# A passive verb of saying: its subject is the one spoken of, not the one speaking ("was
# accused of", "is expected to", "was told"); but "is reported to have called" is hearsay of
# the subject's words, and someone named after "by" is not handled.
_SPOKEN_OF = (
    r"(?:accused|charged|asked|expected|seen|considered|named|described|criticized|criticised|"
    r"viewed|projected|sentenced|quoted|told|urged|blamed|praised|credited|warned|ordered|"
    r"pressed|pressured|invited|encouraged|advised|regarded|known|labeled|labelled|branded|"
    r"dubbed|portrayed|rumored|rumoured|thought|believed|said|reported)"
)
# ... ending the cue, with at most its preposition after it ("has been accused of").
_PASSIVE_CUE = re.compile(
    rf"\b(?:been|was|were|is|are|being|be)\s+(?:\w+ly\s+)?{_SPOKEN_OF}"
    r"(?:\s+(?:of|to|for|with|as|about|on|in|that))?\s*$"
)


def _spoken_of(text: str, ev: Reported) -> bool:
    """The report's cue is passive and its mention the subject before it ("Aldous has been
    accused of", "…, who is expected to"): spoken of, saying nothing. A mention after the cue
    is its agent ("is named in media reports", "was sentenced by a federal judge")."""
    cue = (ev.cue or "").strip()
    at = text.rfind(cue, max(0, ev.position), ev.start) if cue else -1
    if at < 0:
        return False
    around = text[max(ev.position, at - 30) : at + len(cue)]
    if _PASSIVE_CUE.search(around) is None:
        return False
    after = text[at + len(cue) : ev.start + 8]
    return not re.match(r"\s*(?:by|to have)\b", after)  # "is reported to have called": theirs


_NAME_COMMA = re.compile(rf"({NAME}),\s*$")


def _apposition(
    text: str, content: tuple[int, int], cue: tuple[int, int], roster: Roster | None
) -> bool:
    """The content is the description of the person named before it, between commas ahead of
    the cue (``Nicolas Tenzer, a prominent French political scientist, commented``)."""
    start, end = content
    if end > cue[0] or text[end : cue[0]].strip() != "," or roster is None:
        return False
    last = text.rfind(", ", start, end)  # the content's last part, or all of it
    at = last + 2 if last >= 0 else start
    if not re.match(r"(?:a|an|the)\s+[a-z]", text[at:end]):
        return False
    named = _NAME_COMMA.search(text, max(0, at - 60), at)
    return named is not None and roster.resolve(named.group(1)) in roster.persons


_NOT_CUES = frozenset({"for", "in", "on", "at", "with", "by", "from", "to", "of", "as", "-", "—"})
_EMPTY_SOURCES = frozenset({"it", "this", "that"})  # "It drew an angry reaction": narration
# Not what a source said: why it is not named ("asked not to be named because …"), that it said
# nothing ("declined to comment further"), where it said it ("said in remarks broadcast on …").
_NO_STATEMENT = re.compile(
    r"(?:(?:not )?to be (?:named|identified|quoted)(?: by name)?\W*$|"
    r"not to be (?:named|identified)|(?:on )?(?:the )?condition of anonymity|anonymity\b|"
    r"that (?:his|her|their) names? not be (?:used|published)|(?:to )?comment(?: further)?\W*$|"
    r"(?:to )?(?:elaborate|say more|provide details)\W*$|"
    r"(?:(?:an?|the|repeated|several)\s+)?(?:(?:interview|comment)\s+requests?|requests?\s+for\s+"
    r"(?:an?\s+)?(?:interview|comment|an interview))(?:\s+\w+){0,4}?\W*$|"
    r"(?:in|during|on)\s+(?:remarks|an? interview|an? statement|an? speech|an? briefing|an? "
    r"post|television|radio)\b[^,;]{0,60}$)"
)


def _rules_report(text: str, masked: str, s_start: int, s_end: int) -> Reported | None:
    """The rules' reported speech in one sentence ("X said (that) …"), if it states something
    and is not just a quotation with its lead-in."""
    if _asks(text, masked, s_start, s_end):
        return None  # a question states nothing
    r = find_reported(masked[s_start:s_end], s_start)
    if r is not None and (start := _past_dateline(text, r.start, r.end)) != r.start:
        r = replace(r, start=start)
    return r if r and _rules_kept(text, masked, r) else None


def _rules_kept(text: str, masked: str, r: Reported) -> bool:
    """The rules' reported words state something and are not mostly a quotation."""
    return _states_something(text, r.start, r.end) and _mostly_unquoted(masked, r.start, r.end)


def _asks(text: str, masked: str, start: int, end: int) -> bool:
    """A sentence the outlet ends with a question mark, not one ending on a quoted question
    (whose words the mask has replaced)."""
    tail = masked[start:end].rstrip(" \n\"”’'")
    i = start + len(tail) - 1
    return tail.endswith("?") and masked[max(start, i - 3) : i] == text[max(start, i - 3) : i]


def _states_something(text: str, start: int, end: int) -> bool:
    """Reported words that can be a statement: three words at least, not what someone did
    while speaking ("says while rolling up her sleeves"), not a refusal to say anything."""
    if end <= start or len(text[start:end].split()) < _MIN_REPORTED_WORDS:
        return False
    return not (_ADJUNCT_START.match(text, start, end) or _NO_STATEMENT.match(text, start, end))


_CLEFT = re.compile(r"It (?:is|was|has been|had been)\b[^.;:]{0,100}?\bthat\s+")
_ROLE_LEAD = re.compile(rf"(?:(?:And|But|So)\s+)?(?:[a-z][\w’'\-]*\s+){{1,3}}({NAME}),")
_APPOSED_LAST = re.compile(rf",\s+({TITLED}{NAME}),?\s*$")
_ACCORDING_LEAD = re.compile(r"[Aa]ccording to ([^,;.]{2,80}),\s+")
# A source with its verb and nothing after: ", the city said." closing a sentence.
_SAID_VERBS = "|".join(sorted((w for w in INVERSE if w.isalpha()), key=len, reverse=True))
_SAID_AFTER = re.compile(
    rf"[^,;]{{1,80}}?\s({_SAID_VERBS})\b(?:\s+{_WHEN})?"
    r"(?:\s+(?:in|on|at|during|after|before|to|from|while|last|this|late|early|when)\b[^,;]{0,80})?"
    r"[\s.]*$"
)  # ", the mayor said in remarks broadcast on Saturday."


def _trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " ,;:\n\t":
        end -= 1
    while start < end and text[start] in " ,;:\n\t":
        start += 1
    when = _WHEN_SAID.match(text, start, end)
    start = when.end() if when else _past_dateline(text, start, end)
    return start, end


def _past_dateline(text: str, start: int, end: int) -> int:
    """Words opening a paragraph start after its dateline ("HALIFAX — Fares will rise …"):
    where the story was filed is no one's words."""
    if start and text[start - 1] != "\n":
        return start
    dateline = _DATELINE.match(text, start, end)
    return dateline.end() if dateline else start


def _rule_source(masked: str, s_start: int, s_end: int, before: int) -> tuple[str, int] | None:
    """The rules' speaker for reported speech the tagger found no source for: the subject of
    the cue (``X said that …``, ``…, X said``) or else the subject heading the sentence."""
    rule = find_reported(masked[s_start:s_end], s_start)
    if rule is not None and rule.mention:
        return rule.mention, rule.position
    m = SUBJECT_VERB.match(masked[s_start:s_end])
    if m and s_start + m.end(1) <= before:
        subject = _sane(m.group(1))
        if subject:
            return subject, s_start + m.start(1)
    return None


_APPOSITION = re.compile(r",|\s+(?:who|which|whose|whom)\s+|\s+[—–(]")
_PERSON_NAME = re.compile(rf"^{TITLED}{NAME}$")
# The second of two people side by side ("Tor Haug, Arne Holt"): a name, no one's title with
# a possessive ("Time’s Assistant Managing Editor").
_NO_POSSESSIVE_NAME = re.compile(r"^(?!.*[’']s\b)" + _PERSON_NAME.pattern[1:])
_WITH = re.compile(rf"with\s+(?:the\s+)?(?=[{UPPER}])")
_TRAILING_NAME = re.compile(rf"\s({TITLED}{NAME})$")


# "TORONTO — ", "ST. JOHN'S, N.L. — ", "WASHINGTON (Reuters) - ": where the story was filed.
_DATELINE = re.compile(
    rf"[{UPPER}][{UPPER}.’']+(?:\s[{UPPER}][{UPPER}.’']+)*(?:,\s*[\w.]+(?:\s[\w.]+){{0,3}})?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[—–-]+\s*"
)


def _head_mention(
    text: str, source: tuple[int, int], roster: Roster | None = None
) -> tuple[str, int]:
    """The speaker part of a source the tagger found: ``Patricia Smith, the mother of Sean
    Smith`` -> ``Patricia Smith``; ``a spokeswoman for the campaign, Jane Roe,`` -> ``Jane Roe``;
    ``Pastor Jo Brown of Elm Street Church`` -> ``Pastor Jo Brown``."""
    start, end = source
    line = text.rfind("\n", 0, start) + 1
    dateline = _DATELINE.match(text, line, end) if start - line < 60 else None
    if dateline and dateline.end() > start:  # "TORONTO — Premier Dara Kowal": the dateline opens
        start = dateline.end()  # the paragraph, and the source (or its end: "B.C. — Mayor …")
    raw = text[start:end]
    relative = _OBJECT_RELATIVE.search(raw)
    if relative:  # "one which Eastport historian Jonas Pihl (calls …)": the clause's subject
        return relative.group(1), start + relative.start(1)
    parts: list[tuple[int, str]] = []
    described: tuple[int, str] | None = None  # the last description a "who" clause follows
    pos = 0
    for m in _APPOSITION.finditer(raw):
        parts.append((pos, raw[pos : m.start()]))
        if pos and "who" in m.group() and _DESCRIBES.fullmatch(raw, pos, m.start()):
            words = raw[pos : m.start()]
            described = (pos + len(words) - len(words.lstrip()), words.strip())
        pos = m.end()
    parts.append((pos, raw[pos:]))
    parts = [(at + len(p) - len(p.lstrip()), p.strip()) for at, p in parts if p.strip()]
    if not parts:
        return raw.strip(), start
    # "…, with the Harbour Teachers Union calling her “…”": the phrase's noun is who speaks
    companion = len(parts) > 1 and _WITH.match(parts[-1][1]) is not None
    parts = [
        (at + w.end(), part[w.end() :]) if (w := _WITH.match(part)) else (at, part)
        for at, part in parts
    ]
    if len(parts) > 1 and _A_DAY.fullmatch(parts[0][1]):
        parts = parts[1:]  # "Last September, German authorities": when, then who
    head = parts[0]
    if len(parts) > 1 and _in_opening_phrase(text, start):
        # "In a video uncovered by Fox News, a veteran diplomat said": the source's first part
        # closes the phrase that opens the sentence; the subject comes after its comma
        parts = parts[1:]
        head = next((p for p in parts if _ends_in_name(p[1])), parts[0])
    if roster is not None and len(parts) == 2 and not companion and _PERSON_NAME.match(head[1]):
        # ("Mayor Ines Calloway, with Councillor Tor Haug, said": the mayor, not her companion)
        last = parts[-1]
        other = roster.resolve(last[1]) if _NO_POSSESSIVE_NAME.match(last[1]) else None
        first = roster.resolve(head[1])
        if other in roster.persons and first in roster.persons and other != first:
            head = last  # "Trump, Arne Holt said, has …": the name beside the verb speaks
    if not _PERSON_NAME.match(head[1]):
        # "a council colleague, from Ada Lind, who": the name, past its preposition
        parts = [parts[0]] + [
            (at + f.end(), part[f.end() :]) if (f := _FROM.match(part)) else (at, part)
            for at, part in parts[1:]
        ]
        named = next(
            (p for p in parts[1:] if _PERSON_NAME.match(p[1]) and not _INITIALS.match(p[1])), None
        )
        if named is None and described:
            # "the union's team, a harbour official who spoke anonymously": the one the
            # relative clause describes, beside the verb, not the phrase before its comma
            named = described
        if named is None and _ADVERBIAL.match(head[1]) and len(parts) > 1:
            # "Wednesday at the debate, candidate Ada Marsh": past when and where, the name or
            # else the words after them ("In a video found by Fox News, a veteran diplomat")
            named = next((p for p in parts[1:] if _ends_in_name(p[1])), parts[1])
        head = named or head
    words = head[1]
    clause = _NAME_THEN_VERB.match(words) if not _PERSON_NAME.match(words) else None
    if clause and not _ends_in_name(words) and _known_subject(clause.group(1), roster):
        # "Warren appeared with the host Rachel Maddow and": a clause the span took, whose
        # subject is the name it opens on
        return clause.group(1), start + head[0]
    # "Senator Ada Marsh of Vermont" is the senator, not the state, and "Mark Ostrowski of the
    # Red Cross" or "Kyle Anand with the Halifax police" the man, not his employer; but the "of"
    # of a title ("Secretary of State Ada Brennan", "Former Secretary of State and … Hillary
    # Clinton") or of an institution ("The Ministry of Transport") stays.
    joint = _OF_WITH.search(words)  # "… of the Red Cross", "… with the Halifax police"
    of = joint.start() if joint else -1
    lead = words[:of] if of > 0 else ""
    plain_of = joint is not None and joint.group() == " of "
    if (
        lead
        and _PERSON_NAME.match(lead)
        and not lone_participle(lead)  # "Polling of union voters": no one's name
        and not is_organisation(lead.split())
        and words.split()[0].lower() not in NOT_NAME  # "Many of the local leaders", no name
        and words.rfind(" ".join(drop_titles(words.split()))) < of
        and (
            (plain_of and not _ends_in_name(words))
            or _known_person(lead, roster)  # not "People with knowledge of the group's …"
        )
        # not "Wellmouth County Supervisor (of Elections Dana Pike)"
        and not (_ends_in_name(words) and _closing_person(_last_name(words), roster))
    ):
        words = lead
    elif (
        lead
        and (job := _TRAILING_NAME.search(lead, max(0, of - TAIL)))
        and _known_person(job.group(1), roster, written=True)  # not "Communications Workers"
        and not _LINKING.search(lead, 0, job.start())
        and not _ARTICLE_END.search(lead, 0, job.start())  # "the Communications Workers of …"
    ):
        # "Political scientist Prof. Xiaoming Lu of the University of …": a job in lower case,
        # then the name
        return job.group(1), start + head[0] + job.start(1)
    if speaks_for(words):
        return words.rstrip(".,;:"), start + head[0]  # "A spokesperson for Premier Lorna …"
    if not _PERSON_NAME.match(words) and _ends_in_name(words):
        name = _last_name(words)
        joined = _OF_END.search(words, 0, len(words) - len(name) - 1)
        person = name.split()[0].lower() in FIRST_NAMES  # "… and Jonas Pihl", not "Oceans Canada"
        if joined and (joined.group() == "of" or not person):
            # "The Canadian Union of Public Employees", "supporters of Hillary Clinton",
            # "Fisheries and Oceans Canada": a name of two words after "of", or after "and"
            # and no person's, is what the phrase belongs to; a person's name may close a
            # longer one ("Supervisor of Elections Susan Bucher", "mayor of Fenwick Wanda
            # Oakes")
            longer = joined.group() == "of" and name.count(" ") > 1
            name = _closing_person(name, roster) or (name if longer else "")
        if name:  # "… economist Rhea Lindqvist"
            return name, start + head[0] + len(words) - len(name)
    trailing_adverb = _TRAILING_ADVERB.search(words)
    if trailing_adverb and _PERSON_NAME.match(words[: trailing_adverb.start()]):
        words = words[: trailing_adverb.start()]  # "Calloway later told": Calloway
    return words.rstrip(".,;:"), start + head[0]


_WORDS = re.compile(r"[\w’']+")
_OF_WITH = re.compile(r" (?:of|with|from|at) ")
# An article right before a name makes it a body's ("the Communications Workers"), and a word
# that puts one person in a phrase about another ("a spokesman for", "an aide to") is no job.
_ARTICLE_END = re.compile(r"(?:^|\s)(?:the|a|an)$", re.IGNORECASE)
_LINKING = re.compile(r"\b(?:for|of|with|and|or|to|by|from|at|in|on|about|like|than|as)\b", re.I)
_THE_NAMED = re.compile(rf"the\s+[{UPPER}][\w’'-]*(?:\s+[{UPPER}][\w’'-]*)*$")


def _known_person(words: str, roster: Roster | None, *, written: bool = False) -> bool:
    """``Mark Ostrowski``: a person of the article's roster, named in two words or more; with
    ``written``, one the article writes as a person (a title, a known first name, the surname
    alone), as a name with nothing before it but a job must be."""
    if roster is None:
        return False
    named = drop_titles(words.split())
    if len(named) < 2 or named[-1].lower() in ROLE_NOUNS:
        return False  # "UMWA Director (of Government Affairs Phil Smith)": an office
    return roster.resolve(words) in (roster.evidenced if written else roster.persons)


_OBJECT_SOURCE = re.compile(r"(?:at|to|from|with|for|on|in|of|against)\s(?!least\b|most\b)")
_RELATIVE_SOURCE = re.compile(r".*\sthat$")


# The words before a source that make it the object of a phrase ("… a campaign for Ines
# Calloway or Jonas Pihl said"): the subject is further back.
_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w’'])(?:for|of|against|about|on|at|in|over|than|like|among)\s+$"
)


def _without_places(text: str, tagged: Tagged) -> Tagged:
    """The tagger's reading without a source that is the second half of a place ("… in
    Bangor, Maine, promising …": Maine is where, not who)."""
    kept = [
        s
        for s in tagged.sources
        if not (
            _ONE_WORD.fullmatch(text, s[0], s[1])
            and "," in text[s[1] - 1 : s[1] + 1]  # "Maine," closing its place's pair
            and _IN_A_PLACE.search(text, max(0, s[0] - 40), s[0])
        )
    ]
    return (
        tagged if len(kept) == len(tagged.sources) else Tagged(tagged.contents, kept, tagged.cues)
    )


_ONE_WORD = re.compile(rf"[{UPPER}][\w.’'-]*,?")
_IN_A_PLACE = re.compile(
    rf"\b(?:in|at|from|near|outside|to)\s+[{UPPER}][\w.’'-]*(?:\s+[{UPPER}][\w.’'-]*)?,\s*$"
)


def _without_sources(text: str, tagged: Tagged, drop: re.Pattern[str]) -> Tagged:
    """The tagger's reading without the sources whose words ``drop`` matches whole or at start."""
    kept = [s for s in tagged.sources if not drop.match(text, s[0], s[1])]
    return (
        tagged if len(kept) == len(tagged.sources) else Tagged(tagged.contents, kept, tagged.cues)
    )


_FROM = re.compile(rf"(?:from|by)\s+(?=[{UPPER}])")
_DESCRIBES = re.compile(r"\s*(?:a|an|the)\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,3}")


# Words of time or manner a source can take after a name ("Calloway later told", "Pihl also").
_TRAILING_ADVERB = re.compile(
    r"(?:\s+(?:later|also|again|then|now|once|too|earlier|previously|recently|publicly|"
    r"repeatedly|immediately|quickly|separately|privately|initially|finally|reportedly))+$"
)
# What joins a content to a source after it when the content is no part of what was said:
# "The ferry cancelled 14 crossings last week, and its chief executive says …".
_JOINED_BEFORE = re.compile(r"[\s,;]*(?:and|but|while|whereas)\s+")


# A phrase of time or place opening a sentence: "On the topic", "Wednesday at the debate".
_ADVERBIAL = re.compile(
    r"(?:On|In|At|For|During|After|Before|Despite|Alongside|Earlier|Later|Last|This|Outside|"
    r"Inside|Near|Across|Throughout|Amid|Among|Following|Behind|Beside|Around|Along|Under|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


_SENTENCE_BREAK = re.compile(r"[.!?\n“”\"]\s*")


def _in_opening_phrase(text: str, at: int) -> bool:
    """``at`` lies in a phrase of time, place or circumstance opening its sentence ("In a 2013
    video uncovered by …"), before the phrase's comma."""
    lo = max(0, at - TAIL)
    lead = text[lo:at]
    breaks = list(_SENTENCE_BREAK.finditer(lead))
    if breaks:
        lead = lead[breaks[-1].end() :]
    elif lo > 0:
        return False
    return "," not in lead and _ADVERBIAL.match(lead) is not None and len(lead.split()) >= 2


_NAME_THEN_VERB = re.compile(
    rf"({TITLED}{NAME})\s+(?:\w+ly\s+)?(?:[a-z]+ed|has|had|was|is|will|would|did)\b"
)


_PARTICIPLES = frozenset(
    """saying adding noting arguing insisting warning explaining calling telling writing
    declaring stressing asking describing""".split()  # noqa: SIM905
)


def _participle_subject(
    masked: str, s_start: int, cue: str | None, roster: Roster | None
) -> tuple[str, int] | None:
    """The speaker of ``X did something, saying, “…”``: the name or pronoun the sentence opens
    on past its phrases of time and place ("On Thursday, after weeks of silence, Varga …"),
    followed by its verb; only a name the article gives someone."""
    if not cue or cue.lower() not in _PARTICIPLES:
        return None
    pos = opening_phrases_end(masked, s_start)
    role = _ROLE_AHEAD.match(masked, pos)  # "Opposition spokesman Lars Brun went further"
    pos = role.end() if role else pos
    m = _NAME_THEN_VERB.match(masked, pos) or _SUBJECT_SPOKE.match(masked, pos)
    if m is None or not _known_subject(m.group(1), roster):
        return None
    return m.group(1), m.start(1)


# A capitalised word or two and a role before a name: "Opposition spokesman", "Harbour master".
_ROLE_AHEAD = re.compile(rf"(?:[{UPPER}][\w’'\-]*\s+){{1,2}}(?:{ROLE_PATTERN})\s+(?=[{UPPER}])")


def _common_speaker(speaker: str, roster: Roster) -> bool:
    """One word the article also writes in lower case ("Report", "Photos"), not a group it
    credits ("Police", "Critics") nor an acronym ("FBI")."""
    return (
        " " not in speaker
        and not speaker.isupper()
        and not is_group(speaker)
        and roster.common_word(speaker)
    )


def _known_subject(name: str, roster: Roster | None) -> bool:
    """A pronoun, or a name the article gives someone (not "Figures" of "Figures reported on
    Sunday", a participle's noun)."""
    if name.lower() in _PRONOUNS:
        return True
    last = name.split()[-1]
    return roster is not None and bool(roster.family.get(last)) and not is_organisation([last])


_INITIALS = re.compile(rf"(?:[{UPPER}]\.)+$")  # "Chappaqua, N.Y.,": a state, not a person


# Whom someone told, by name, before what they told them: "CBC News", "The Canadian Press".
_TOLD_NAME = re.compile(
    rf"(?:[Tt]he\s+)?[{UPPER}][\w.’'&-]*(?:\s+[{UPPER}][\w.’'&-]*){{0,3}}\s+"
    r"(?=(?:that\s+)?(?:the|a|an|his|her|its|their|this|these|those|there|it|he|she|they|we|i)\s)"
)
# A cue ending on "in" and the words opening on where something was said, then "that".
_CUE_IN = re.compile(r"\bin$", re.IGNORECASE)
_PLACE_CUE = re.compile(r"\b(?:said|says|spoke|speaking|told \w+) (?:in|at|outside|before)$", re.I)
_PROPER_PLACE = re.compile(
    rf"(?:the\s+)?[{UPPER}][\w’'.-]*(?:\s+(?:of|the|and|[{UPPER}][\w’'.-]*))*"
)
_BEFORE_ACCORDING = re.compile(r"[^,;:.!?“”\"\n]*?(,)\s+according to\b", re.IGNORECASE)
_MEDIUM_THAT = re.compile(
    rf"((?:a|an|the|his|her|its|their|a\s+joint)\s+(?:[\w’'-]+\s+){{0,3}}?{MEDIUM_NOUNS}s?"
    r"(?:\s+(?:with|to|on|from|at)\s+[^,.;:\n]{1,40}?)?)\s+that\s",
    re.IGNORECASE,
)


def _bare_cue(cue: str) -> str:
    """The cue's words: "said Tuesday" -> "said", "said;" -> "said"; a colon alone stays."""
    words = _CUE_WHEN.sub("", cue)
    return words.rstrip(" ,;:") or words


def _last_name(words: str) -> str:
    """The name of two words or more closing ``words`` (``_ends_in_name`` holds)."""
    trailing = _TRAILING_NAME.search(words, max(0, len(words) - TAIL))
    assert trailing is not None
    return trailing.group(1)


_OF_END = re.compile(r"(?:\bof|\band|&)$")  # "… of Public Employees", "Fisheries and Oceans Canada"


def _closing_person(name: str, roster: Roster | None) -> str | None:
    """The person's name that closes an office's ``name`` (``Government Affairs Phil Smith``
    -> ``Phil Smith``): opening on a known first name after its first word, the article writing
    it as a person's."""
    words = name.split()
    for i in range(1, len(words) - 1):
        if words[i].lower() in FIRST_NAMES and _known_person(
            " ".join(words[i:]), roster, written=True
        ):
            return " ".join(words[i:])
    return None


def _ends_in_name(words: str) -> bool:
    """``… economist Rhea Lindqvist``: a name of two words or more closes the phrase."""
    trailing = _TRAILING_NAME.search(words, max(0, len(words) - TAIL))
    return trailing is not None and " " in trailing.group(1)


_SMALL_WORDS = frozenset(
    "a an and the of in on at to for or nor but with by from as is vs".split()  # noqa: SIM905
)
_ADJUNCT_START = re.compile(
    r"(?:while|whilst|before|after|during|upon)\b|(?:as|when|by|on)\s+\w+ing\b", re.IGNORECASE
)


# A name in Title Case of up to four words after an owner's possessive ("CBC's “The
# National”", "Netflix's “Harbour Lights”"): a programme or a work, however short.
_OWNED_TITLE = re.compile(
    rf"\W*(?:The\s+|A\s+)?[{UPPER}][\w’'&-]*(?:\s+[{UPPER}][\w’'&-]*){{0,3}}[,.!?]?\W*"
)
_OWNER_BEFORE = re.compile(rf"\b[{UPPER}][\w&.]*[’']s\s*\W?$")
# What quotation marks after these words hold is a name or a term, never what someone said
# ("dubbed" and "termed" stay out: "what he termed “a disaster”" is his word).
_NAMED_AS = re.compile(
    r"\b(?:so[- ]called(?:\s+[\w’'-]+)?|known as|the (?:term|word|phrase|slogan|hashtag))"
    r"\s*\W{0,2}$",
    re.IGNORECASE,
)  # "so-called Mexican “rapists”", "the so-called ''Initiative''" (the NYT's two marks)
# The second of a coordinated pair: "so-called “rapists” and “criminals”".
_AND_NEXT = re.compile(r"\W{0,2}\s+(?:and|or)\s+\W{0,2}$")


def _is_title(quoted: str) -> bool:
    """``The Long Winter``, ``Salt and Iron``: a title in Title Case, not speech."""
    quoted = quoted.rstrip().removesuffix(",")  # “Morning Tide,”: the comma is the sentence's
    words = quoted.split()
    if not words or len(words) > 8 or quoted[-1:] in ".!?,…;:":
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(content) >= 2 and all(w[:1].isupper() or w[:1].isdigit() for w in content)


# What quotation marks hold after these words is a work's name, whatever its case ...
# (two marks at most before it: "''" is how the New York Times opens a quotation)
_TITLED = re.compile(r"\b(titled|entitled)\s*,?\s*\W{0,2}$", re.IGNORECASE)
# "are entitled", "feel entitled": the adjective, whose quotation says what they are owed
_ENTITLED_TO = re.compile(
    r"\b(?:is|are|was|were|be|been|being|feel|feels|felt|not|seem|seems|’re|'re|’s|'s)\s*$",
    re.IGNORECASE,
)
_TITLE_WORDS = 15  # a longer quotation after "titled" is more than the name (marks mispaired)
# ... and after these, when it is in Title Case (a full stop inside the marks included, as
# American style prints it: "his 2012 book, “An American Son.”"), or after a broadcaster
# ("in an interview on CBS' ''60 Minutes.''").
_WORK_BEFORE = re.compile(
    r"(?i:\b(?:book|novel|memoir|film|movie|documentary|show|series|programme|program|album|"
    r"song|segment|column|podcast|sitcom|play|essay|editorial|op-ed|spot|ad|commercial|"
    r"slogan))\s*,?\s*\W{0,2}$"
    r"|\bon\s+(?:CBS|NBC|ABC|CNN|Fox|Fox News|MSNBC|PBS|HBO|NPR|BBC|CNBC|CBC|CTV|C-SPAN)"
    r"(?:['’]s?)?\s+\W{0,2}$"
)


def _only_a_name(text: str, content: tuple[int, int], names: list[tuple[int, int]]) -> bool:
    """Past the works' names inside it, ``content`` holds three words at most."""
    inside = [n for n in names if _overlap(content, n)]
    if not inside:
        return False
    rest, at = [], content[0]
    for a, b in inside:
        rest.append(text[at:a])
        at = max(at, b)
    rest.append(text[at : content[1]])
    return len(re.findall(r"\w+", " ".join(rest))) <= 3


def _headline_person(mention: str, roster: Roster) -> str | None:
    """In a headline every word is capitalised, so the name pattern runs on past the name
    ("Trump Addresses Munich Attack: ‘This Cannot Continue.’"): the person its first words
    name, if the article names one so."""
    words = mention.split()
    for n in range(min(len(words) - 1, _NAME_WORDS), 0, -1):  # a name's words at most
        person = roster.resolve(" ".join(words[:n]))
        if person in roster.persons:
            # the name, then a headline's verb ("Obama To Asians"), not "Former Clinton
            # Pollster", "Jeb Bush Super PAC Chief" or "Clinton and Sanders"
            return person if words[n].lower() in _HEADLINE_VERBS else None
    return None


_NAME_WORDS = 4
_HEADLINE_VERBS = frozenset(
    """to on at says tells slams blasts warns addresses responds rips calls admits denies
    vows urges defends rejects accuses hits knocks mocks praises explains insists claims
    reveals asks answers""".split()  # noqa: SIM905
)


def _names_a_work(text: str, start: int, end: int) -> bool:
    """The quoted words name a book, a show, a memo: "a memo titled “The Facts”"."""
    before = text[max(0, start - 40) : start]
    titled = _TITLED.search(before)
    if titled:
        if titled.group(1).lower() == "entitled" and (
            _ENTITLED_TO.search(before, 0, titled.start(1)) or not text[start : start + 1].isupper()
        ):
            return False  # "taxpayers were entitled, “at the very least, to an apology”"
        return len(text[start:end].split()) <= _TITLE_WORDS
    return _WORK_BEFORE.search(before) is not None and _is_title(
        text[start:end].rstrip().rstrip(".!?")
    )


def _whole_sentence(text: str, sentences: list[tuple[int, int]], item: _Item) -> bool:
    """A quoted sentence standing alone (``“There is no plan B.” Chancellor …``) is speech even
    where the tagger sees no cue: no scare quote or title opens a sentence and ends it."""
    if not sentences or kind_of(text, item.span) is not QuoteKind.DIRECT:
        return False
    s_start, _ = sentences[item.sentence]
    opens = not text[s_start : item.span.start].strip(" \t\"'“”‘’«»„")
    quoted = text[item.span.start : item.span.end].rstrip()
    return opens and quoted[-1:] in ".!?" and len(quoted.split()) >= 3
