"""Does an article body support, dispute, merely discuss a claim, or is it about something else?

The trained model (model.py, over the named features of features.py) decides on articles; on
short texts (up to four sentences, far from the articles the model learnt on) a few
readable rules about cues aimed at the claim's own words come first: a contesting verb
("rejected Macron's call for …"), a walk-back or the outlet's correction is a dispute, the claim
restated with a "not" added or dropped too; a negated one ("did not reject the offer") is not;
a confirming or endorsing verb is support. Each verdict carries the sentence that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.models import Stance
from bot.core.stance.disputes import (
    NO_ONE,
    NOUN_THAT,
    cancelled,
    despite_cues,
    despite_main_clause,
    find_cues,
    is_passive,
    object_window,
)
from bot.core.stance.features import (
    BodyView,
    PairFeatures,
    Weights,
    evidence_words,
    pair_features,
    read_body,
)
from bot.core.stance.lexicon import (
    ENDORSING,
    HEDGES,
    NEGATION_BEFORE,
    REFUTING,
    STATEMENT_NOUNS,
    SUPPORT,
    VERB_CUE,
    CueKind,
)
from bot.core.stance.model import StanceModel, default_model
from bot.core.stance.relatedness import DocumentFrequencies
from bot.core.stance.text import content_stems, direction_flipped, negation_flipped

AIMED = 0.5  # share of the claim's weight a contesting verb's object must carry
_NEAR = 0.3  # closeness from which a sentence counts as being about the claim
_FRAMED = 0.5  # closeness from which the outlet's "does not hold up" is about the claim
_VERBATIM = 0.75  # closeness from which a sentence restates the claim
_TREND = 0.5  # closeness from which a sentence telling the claim's trend the other way is of it
_SHORT = 4  # sentences: a text this short is judged by the rules where they apply
_RULE_SCORE = 0.8
_CLAUSE_BREAK = re.compile(r"[,;:]|\bthat\b", re.IGNORECASE)
_STANCES = {"support": Stance.SUPPORT, "dispute": Stance.DISPUTE, "discuss": Stance.DISCUSS}


@dataclass(frozen=True, slots=True)
class StanceVerdict:
    """The body's stance to a claim, a confidence in 0..1, and the deciding sentence."""

    stance: Stance
    score: float
    evidence: str | None = None


def _share(text: str, weights: dict[str, float], total: float) -> float:
    return sum(weights.get(s, 0.0) for s in set(content_stems(text))) / total if total else 0.0


def _restated(before: str) -> str:
    """The words of the last "<statement noun> that …" in the clause ``before`` a judging word
    ends, or nothing."""
    clause = re.split(r"[,;:]", before)[-1]
    ends = [m.end() for m in NOUN_THAT.finditer(clause)]
    return clause[ends[-1] :] if ends else ""


@dataclass(frozen=True, slots=True)
class Aimed:
    """What the rules found aimed at the claim: the sentence index for each, or None."""

    rejection: int | None = None  # someone rejects, denies, ridicules it; a walk-back
    cancelled: int | None = None  # a contesting verb aimed at it, negated ("did not reject")
    endorsement: int | None = None  # someone confirms or endorses it
    flipped: int | None = None  # the claim nearly verbatim with a "not" added or dropped


def aimed_at(claim: str, body: BodyView, found: PairFeatures, weights: Weights) -> Aimed:
    """Cues whose object is the claim itself, among the sentences closest to it.

    A verb counts when its object (up to the end of its clause) carries at least half the
    claim's weight and the verb is not the claim's own word ("denied reports that <claim>"
    too, which the dispute stage leaves aside as no statement of a person's); a walk-back
    ("taken out of context") counts in a sentence about the claim, the outlet's correction
    ("does not hold up", "no evidence") in one that carries half of it.
    """
    claim_weights = {s: weights(s) for s in set(content_stems(claim))}
    total = sum(claim_weights.values())
    claim_low = claim.lower()
    found_at: dict[str, int] = {}

    def aimed(text: str, end: int) -> bool:
        return _share(object_window(text[end:]), claim_weights, total) >= AIMED

    for i in found.ranked[:8]:
        if found.closeness[i] < _NEAR:
            break
        text = body.sentences[i].text.replace("’", "'")
        for cue in find_cues(text):
            if cue.word.lower() in claim_low:
                continue
            if cue.kind is CueKind.WALKBACK or (
                cue.kind is CueKind.FRAMING and found.closeness[i] >= _FRAMED
            ):
                found_at.setdefault("rejection", i)
            elif cue.kind is CueKind.WORD and (
                STATEMENT_NOUNS.search(_CLAUSE_BREAK.split(text[: cue.start])[-1])
                or _share(_restated(text[: cue.start]), claim_weights, total) >= _VERBATIM
            ):
                # "said the timetable for the bridge was unrealistic", "… cannot be met": a
                # judging word closing a clause about a statement judges it (not "claims that
                # the bridge will be late were wrong": those claims are someone else's; a
                # negated one, "not unrealistic", find_cues has already left out); and so
                # does one closing "Pihl's claim that <the claim's own words> is wrong"
                found_at.setdefault("rejection", i)
        for cue in despite_cues(text):  # aimed at the words after "that", not the sentence
            main = despite_main_clause(text[cue.end :])
            if aimed(text, cue.end) and _share(main, claim_weights, total) < AIMED:
                found_at.setdefault("rejection", i)  # (a main clause restating it supports)
        for m in VERB_CUE.finditer(text):
            if m.group().lower() in claim_low:
                continue
            # "<the promise that …> was dismissed by engineers": the object comes first, and
            # only "was not dismissed" negates the verb (the claim's own "not" does not).
            before = text[: m.start()]
            passive = is_passive(text[m.end() :])
            if passive and _share(before, claim_weights, total) < AIMED:
                continue
            if not passive and not aimed(text, m.end()):
                continue
            nobody = not passive and NO_ONE.match(before) is not None  # "Nobody disagreed"
            found_at.setdefault(
                "cancelled" if nobody or cancelled(before, passive) else "rejection", i
            )
        for m in ENDORSING.finditer(text):
            if m.group().lower() in claim_low or NEGATION_BEFORE.search(text[: m.start()][-60:]):
                continue
            before = text[: m.start()]
            # "… confirmed that <claim>", or "<claim>, the company confirmed"
            after_clause = "," in before[-40:] and _share(before, claim_weights, total) >= AIMED
            if aimed(text, m.end()) or after_clause:
                found_at.setdefault("endorsement", i)
        stems = frozenset(claim_weights)
        if (found.closeness[i] >= _VERBATIM and negation_flipped(claim, text, stems)) or (
            # the trend told the other way: its verb and figure are the words that differ
            found.closeness[i] >= _TREND and direction_flipped(claim, text, stems)
        ):
            found_at.setdefault("flipped", i)
    return Aimed(**found_at)


def _evidence(stance: str, body: BodyView, found: PairFeatures) -> str:
    """The sentence that most drove the verdict: the closest one carrying the stance's words."""
    pattern = {"dispute": REFUTING, "support": SUPPORT, "discuss": HEDGES}[stance]
    candidates = found.ranked[:6]
    best = max(
        candidates,
        key=lambda i: (
            found.closeness[i] * (1.0 + (len(pattern.findall(body.sentences[i].text)) > 0))
        ),
    )
    return body.sentences[best].text


def judge_stance(
    statement: str,
    body: str,
    df: DocumentFrequencies | None = None,
    model: StanceModel | None = None,
) -> StanceVerdict:
    """The stance of ``body`` towards ``statement``.

    ``df`` is accepted for callers that learn word rarity as they go; the model brings the word
    weights it was trained with, so verdicts do not drift with what a process has read.
    """
    model = model or default_model()
    if not statement.strip() or not body.strip():
        return StanceVerdict(Stance.UNRELATED, 1.0, None)
    view = read_body(body, model.weights)
    if not view.sentences or not content_stems(statement):
        return StanceVerdict(Stance.UNRELATED, 1.0, None)
    found = pair_features(statement, view, model.weights)
    prediction = model.predict(found.values, lambda: evidence_words(statement, view, found))
    stance = prediction.stance
    # On a text of a few sentences the readable rules decide; on a full article the model
    # does (there the rules alone were right on about one dispute in ten, FNC-1 fit bodies).
    rules = (
        aimed_at(statement, view, found, model.weights)
        if len(view.sentences) <= _SHORT
        else Aimed()
    )
    # A "not" that negates a contesting verb ("did not reject the offer") flips no claim.
    flipped = rules.flipped if rules.flipped != rules.cancelled else None
    contested = rules.rejection if rules.rejection is not None else flipped
    if stance != "dispute" and contested is not None:
        return StanceVerdict(Stance.DISPUTE, _RULE_SCORE, view.sentences[contested].text)
    if stance == "dispute" and rules.cancelled is not None and rules.rejection is None:
        stance = "support" if rules.endorsement is not None else "discuss"
        return StanceVerdict(_STANCES[stance], _RULE_SCORE, view.sentences[rules.cancelled].text)
    if stance in ("discuss", "unrelated") and rules.endorsement is not None:
        return StanceVerdict(Stance.SUPPORT, _RULE_SCORE, view.sentences[rules.endorsement].text)
    if not prediction.is_related:
        return StanceVerdict(Stance.UNRELATED, round(1.0 - prediction.related, 3), None)
    k = ("support", "dispute", "discuss").index(stance)
    return StanceVerdict(
        _STANCES[stance], round(prediction.stances[k], 3), _evidence(stance, view, found)
    )
