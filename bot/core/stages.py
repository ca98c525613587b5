"""The monitor's stages after quote matching: disputes of known statements, and topic hits.

Each stage sees one stored article with its classified quotes and returns more events. They
read what they need through small Protocols, so the core stays free of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from bot.core.models import (
    Appearance,
    Article,
    Event,
    EventType,
    Relation,
    Stance,
    Statement,
    Topic,
)
from bot.core.monitor import ClassifiedQuote
from bot.core.stance import (
    DocumentFrequencies,
    Target,
    find_disputes,
    judge_stance,
    too_short_to_contest,
)
from bot.core.topics import Document, Query

# An article's own verdict on a tracked claim must be this sure before it alerts as a dispute.
TRACKED_DISPUTE_SCORE = 0.6
_LINKED = (Relation.REPEAT, Relation.ALTER, Relation.MISATTRIBUTION)


class DisputeSource(Protocol):
    def tracked_statements(self) -> list[Statement]: ...
    def first_appearance(self, statement_id: int) -> Appearance | None: ...
    def statements_by_id(self, ids: Sequence[int]) -> dict[int, Statement]: ...


class DisputeStage:
    """Who in an article contests a statement it quotes, or a statement tracked by hand.

    Word rarity is learned from every article the process reads, so links rest on the words
    that are rare in this coverage, not on a fixed list, once enough articles were seen.
    """

    def __init__(self, source: DisputeSource, df: DocumentFrequencies | None = None) -> None:
        self.source = source
        self.df = df or DocumentFrequencies()

    def __call__(
        self, article: Article, article_id: int, classified: Sequence[ClassifiedQuote]
    ) -> list[Event]:
        self.df.add(article.text)
        quoted = _quoted_targets(classified)
        if quoted:
            # Whose statement each is, as stored: the quote may name no one ("The minister had
            # said the bridge “…”") or someone else (a misattribution), and a dispute of it
            # is read against its speaker.
            stored = self.source.statements_by_id(list(quoted))
            quoted = {
                sid: replace(t, speaker=stored[sid].speaker)
                if sid in stored and stored[sid].speaker
                else t
                for sid, t in quoted.items()
            }
            # A statement nobody is known to have made is no one's to contest ("“America is
            # great! Trump is disgusting,” read one"): only a tracked one is, as pinned
            quoted = {
                sid: t
                for sid, t in quoted.items()
                if sid not in stored or stored[sid].speaker or stored[sid].tracked
            }
            # Nor is one of a word or two ("truthful"), unless pinned; it stays a target, so
            # that a sentence quoting it ("Critics called the plan “a fantasy”") is read as
            # its own and not as contesting another statement
            quoted = {
                sid: replace(t, contestable=False)
                if sid in stored
                and not stored[sid].tracked
                and too_short_to_contest(stored[sid].canonical)
                else t
                for sid, t in quoted.items()
            }
        tracked = [
            Target(s.id, s.speaker, s.canonical)
            for s in self.source.tracked_statements()
            if s.id not in quoted
        ]
        targets = [*quoted.values(), *tracked]
        quotes = [cq.quote for cq in classified]
        events = [
            self._event(article, f.statement_id, targets, f.by, f.evidence)
            for f in find_disputes(article.text, quotes, targets, self.df)
        ]
        found = {e.statement_id for e in events}
        for target in tracked:
            if target.statement_id in found:
                continue
            verdict = judge_stance(target.canonical, article.text, self.df)
            if verdict.stance is Stance.DISPUTE and verdict.score >= TRACKED_DISPUTE_SCORE:
                events.append(
                    self._event(article, target.statement_id, targets, None, verdict.evidence)
                )
        return events

    def _event(
        self,
        article: Article,
        statement_id: int,
        targets: Sequence[Target],
        by: str | None,
        evidence: str | None,
    ) -> Event:
        target = next(t for t in targets if t.statement_id == statement_id)
        stored = self.source.statements_by_id([statement_id]).get(statement_id)
        return Event(
            type=EventType.DISPUTE,
            article_url=article.url,
            outlet=article.outlet,
            title=article.title,
            statement_id=statement_id,
            speaker=stored.speaker if stored else target.speaker,
            canonical=stored.canonical if stored else target.canonical,
            disputed_by=by,  # None: the outlet, in its own voice
            evidence=evidence,
            first=self.source.first_appearance(statement_id),
        )


def _quoted_targets(classified: Sequence[ClassifiedQuote]) -> dict[int, Target]:
    """The statements this article quotes, with every span where it quotes each."""
    spans: dict[int, list[tuple[int, int]]] = {}
    first: dict[int, ClassifiedQuote] = {}
    for cq in classified:
        sid = cq.classification.statement_id
        if sid is None or cq.classification.relation not in _LINKED:
            continue
        spans.setdefault(sid, []).append((cq.quote.start, cq.quote.end))
        first.setdefault(sid, cq)
    return {
        sid: Target(sid, cq.quote.speaker, cq.quote.text, tuple(spans[sid]))
        for sid, cq in first.items()
    }


class TopicStage:
    """Every saved topic matched against the article and each of its quotes.

    One event per topic and article: a quote that matches names its statement (so the alert
    threads under it); otherwise the article as a whole matched.
    """

    def __init__(self, topics: Callable[[], list[tuple[Topic, Query]]]) -> None:
        self.topics = topics

    def __call__(
        self, article: Article, article_id: int, classified: Sequence[ClassifiedQuote]
    ) -> list[Event]:
        compiled = self.topics()
        if not compiled:
            return []
        body = Document(f"{article.title}\n\n{article.text}", "article", None, article.outlet)
        quoted = [
            (cq, Document(cq.quote.text, "quote", cq.quote.speaker, article.outlet))
            for cq in classified
        ]
        events: list[Event] = []
        for topic, query in compiled:
            hit = next((cq for cq, doc in quoted if query.matches(doc)), None)
            if hit is None and not query.matches(body):
                continue
            events.append(
                Event(
                    type=EventType.TOPIC,
                    article_url=article.url,
                    outlet=article.outlet,
                    title=article.title,
                    topic=topic.name,
                    channel=topic.channel,
                    statement_id=hit.classification.statement_id if hit else None,
                    speaker=hit.quote.speaker if hit else None,
                    quote=hit.quote.text if hit else None,
                )
            )
        return events
