"""The extractor: quoted spans, their kind, cue and speaker, plus reported speech.

Attribution order per quote: words after it in its sentence, a dash, words before it, other
quotes of the same sentence, the previous quote (floating paragraphs), the next sentence.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from bot.core.extract.attribution import (
    SUBJECT_VERB,
    Attribution,
    dash_speaker,
    find,
    name_ok,
    subject_before,
)
from bot.core.extract.coref import (
    COREF_WINDOW,
    PersonMention,
    infer_gender,
    person_mentions,
    resolve_pronoun,
)
from bot.core.extract.marks import Span, find_spans
from bot.core.extract.names import NAME, Roster, build_roster
from bot.core.extract.reported import Reported, find_reported
from bot.core.extract.sentences import mask, split
from bot.core.models import Quote, QuoteKind

log = logging.getLogger(__name__)
_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
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

_COLON_LEAD = re.compile(rf"(?:^|\n)\s*((?:[A-Z][\w.]*\s+)*{NAME})\s*:\s*\W?$")


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


@lru_cache(maxsize=512)
def _descriptor_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    phrase = r"\s+".join(re.escape(w) for w in words)
    return (
        re.compile(rf"(?i:{phrase})\s+({NAME})"),
        re.compile(rf"({NAME}),\s+(?:the|a|an)?\s*[^,.;]{{0,80}}?\b(?i:{phrase})\b"),
    )


def _descriptor(mention: str, text: str, before: int, roster: Roster) -> str | None:
    """``the French president`` -> the name that title or apposition gives in the article."""
    doc = _DOCUMENT.match(mention)
    # Only the text shortly before the mention: bounded work however long the article is.
    lo = max(0, before - COREF_WINDOW)
    if doc:
        found = None
        for m in re.finditer(rf"(?:{NAME})\s+{_DOC_NAMES}\b", text[lo:before]):
            found = m.group()
        return roster.resolve(found) if found else None
    words = mention.split()[1:]
    if not words or words[-1].lower() in _PRONOUNS:
        return None
    titled, apposed = _descriptor_patterns(tuple(words))
    found = None
    for m in titled.finditer(text, lo, before + 200):
        if m.group(1)[0].isupper() and m.start() < before:
            found = m.group(1)
    if found is None:
        for m in apposed.finditer(text[lo:before]):
            found = m.group(1)
    return roster.resolve(found) if found else None


def _sane(mention: str | None) -> str | None:
    """A mention that is a name, pronoun or descriptor, never a sentence opener."""
    if not mention or _kind_of_mention(mention) != "name":
        return mention
    return name_ok(mention) or (mention if re.match(r"^(?:the|The)\s", mention) else None)


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


def extract_quotes(text: str) -> list[Quote]:
    """Every quote and reported statement in ``text``, in order; never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return _extract(text)
    except Exception:  # a bug must never lose the article: log it and skip
        log.exception("quote extraction failed on a %d-character text", len(text))
        return []


def _extract(text: str) -> list[Quote]:
    spans = find_spans(text)
    sentences = split(text, spans)
    masked = mask(text, spans)
    starts = [s for s, _ in sentences]
    roster = build_roster(text)
    mentions = person_mentions(text, roster, sentences)
    infer_gender(text, roster, mentions, sentences)
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
        att = find(right, r_start, last=False) if right.strip() else None
        if att is None or att.mention is None:
            att = dash_speaker(right, r_start) or att
        if att is None or att.mention is None:
            lead = _COLON_LEAD.search(left)
            if lead and name_ok(lead.group(1)) == lead.group(1):
                att = Attribution(lead.group(1), l_start + lead.start(1), ":")
        if att is None or att.mention is None:
            before = find(left, l_start, last=True)
            if before is not None and (att is None or before.mention is not None):
                att = before
        item.attribution = att
    _fill_gaps(text, masked, items, sentences)
    return _build(text, items, sentences, roster, mentions, masked)


def _neighbour(masked: str, sentences: list[tuple[int, int]], k: int) -> Attribution | None:
    """A quote heading its sentence: the lead-in sentence before it, or the one after it."""
    if k > 0:
        ps, pe = sentences[k - 1]
        prev = masked[ps:pe]
        if prev.rstrip().endswith((":", ",")) and masked[pe : sentences[k][0]].count("\n") <= 2:
            att = find(prev, ps, last=True)
            if att and att.mention:
                return att
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
    subject = _sane(m.group(1)) if m else None
    if not subject or _kind_of_mention(subject) != "name" or not subject[:1].isupper():
        return None
    if prv.attribution and prv.attribution.mention == subject:
        return None
    return Attribution(subject, ps + m.start(1), None) if m else None


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
        s, e = sentences[item.sentence] if sentences else (0, 0)
        doc = _UNDER_DOC.match(masked, s, e)
        if doc:
            item.attribution = Attribution(doc.group(1), doc.start(1), None)
            continue
        heads = not masked[s : item.span.start].strip(" \t\"'“”‘’«»„")
        if heads and (att := _subject_between(masked, sentences, item, prv)):
            # "Clinton touted her record. “We need …”": the person the sentence before is
            # about speaks next, not whoever was quoted before that sentence.
            item.attribution = att
            continue
        if heads and prv and prv.attribution and prv.attribution.mention:
            gap = masked[prv.span.end : item.span.start]
            if gap.count("\n\n") + (gap.count("\n") if "\n\n" not in gap else 0) <= 1 and (
                len(gap) < 400
            ):
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
        elif (subj := subject_before(head[: max(0, item.span.start - s - 1)], s)) and (
            subj[0][:1].isupper() and " " in subj[0]
        ):
            item.attribution = Attribution(subj[0], subj[1], None)


def _build(
    text: str,
    items: list[_Item],
    sentences: list[tuple[int, int]],
    roster: Roster,
    mentions: list[PersonMention],
    masked: str,
) -> list[Quote]:
    starts = [s for s, _ in sentences]
    out: list[tuple[int, Quote]] = []
    speakers: list[tuple[int, str]] = []

    def resolve(mention: str | None, pos: int) -> str | None:
        if not mention:
            return None
        kind = _kind_of_mention(mention)
        k = max(0, bisect_right(starts, pos) - 1)
        sentence = sentences[k] if sentences else (0, len(text))
        if kind == "pronoun":
            return resolve_pronoun(mention, pos, sentence, text, roster, mentions, speakers)
        if kind == "descriptor":
            return _descriptor(mention, text, pos, roster)
        return roster.resolve(mention)

    reported = []
    for s, e in sentences:
        r = find_reported(masked[s:e], s)
        if r is not None and r.end > r.start and _mostly_unquoted(masked, r.start, r.end):
            reported.append(r)
    events: list[tuple[int, _Item | Reported]] = [(it.span.start, it) for it in items]
    events += [(r.start, r) for r in reported]
    events.sort(key=lambda e: e[0])
    for _, ev in events:
        if isinstance(ev, _Item):
            att = ev.attribution
            mention = _sane(att.mention) if att else None
            pos = att.position if att and att.position >= 0 else ev.span.start
            speaker = resolve(mention, pos)
            start, end, kind = ev.span.start, ev.span.end, kind_of(text, ev.span)
            cue = att.cue if att else None
        else:
            mention, pos, cue = _sane(ev.mention), ev.position, ev.cue
            speaker = resolve(mention, pos)
            start, end, kind = ev.start, ev.end, QuoteKind.INDIRECT
        quote = Quote(text[start:end], start, end, kind, speaker, mention, cue)
        out.append((start, quote))
        if speaker:
            speakers.append((start, speaker))
    return [q for _, q in out]
