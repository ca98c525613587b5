"""The monitor: one article in, its quotes classified against known statements, events out.

It stores through a small `MonitorStore` Protocol (SQLite in production), keeps the candidate
index of statement wordings in memory, and turns events into outbox alerts for the channels
that want them. Re-ingesting an article does nothing: the article's url is its identity (the
store says so when the url arrives again with other text, and keeps the stored article).
Before each article, inside its write transaction, the index takes in every wording stored
since it last looked, by this process or another: the same input gives the same statements
however many writers there are and however often the process was restarted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Protocol

from bot.core.extract import extract_quotes
from bot.core.matching import KnownStatement, StatementIndex, classify_quote, tokenize
from bot.core.matching.split import matched_quotes, matching_kinds
from bot.core.models import (
    Appearance,
    Article,
    Classification,
    Event,
    EventType,
    Quote,
    QuoteKind,
    Relation,
)
from bot.core.routing import ChannelRoute, channels_for
from bot.core.speaker_names import fold

log = logging.getLogger(__name__)

CATCH_UP_SLICE = 20_000  # statement ids and wording rows read at a time
# Wordings indexed since the index was last saved (or loaded) before it is saved again: after a
# long catch-up at start-up, and while running, so a crash loses at most this much indexing.
RESAVE_AFTER = 20_000
# Stored statements kept as the matcher last read them, with the wordings stored since: most
# candidates are met again and again. Emptied when full, and whenever a wording was deleted or
# rewritten (the store's count of such changes moved), so it always says what the store says.
KNOWN_STATEMENTS = 50_000
_RELATION_EVENT = {
    Relation.NEW: EventType.NEW_STATEMENT,
    Relation.REPEAT: EventType.REPEAT,
    Relation.ALTER: EventType.ALTER,
    Relation.MISATTRIBUTION: EventType.MISATTRIBUTION,
}


def _wording(event: Event) -> str:
    return f"{event.quote}|{event.credited_to}"


# What tells two findings of one kind on one statement apart in one channel (`Monitor.alert_key`):
# an alteration's wording, who disputes and the evidence, a topic and the story; the kinds not
# listed are told apart by their statement alone.
_FINDING: dict[EventType, Callable[[Event], str]] = {
    EventType.ALTER: _wording,
    EventType.MISATTRIBUTION: _wording,
    EventType.DISPUTE: lambda event: f"{event.disputed_by}|{event.evidence}",
    EventType.TOPIC: lambda event: f"{event.topic}|{event.title or event.article_url}",
}

# What a feed added in a channel without routing sends there (bot.app.sources).
FEED_FINDINGS = frozenset({EventType.ALTER, EventType.MISATTRIBUTION, EventType.DISPUTE})


class MonitorStore(Protocol):
    def transaction(self) -> AbstractContextManager[None]: ...
    def add_article(self, article: Article, content_hash: str) -> tuple[int, bool]: ...
    def known_statements(self, ids: Sequence[int]) -> list[KnownStatement]: ...
    def add_statement(self, speaker: str | None, canonical: str, article_id: int) -> int: ...
    def add_quotes(
        self, article_id: int, quotes: Sequence[tuple[Quote, Classification]]
    ) -> None: ...
    def first_appearances(self, ids: Iterable[int]) -> dict[int, Appearance]: ...
    def add_events(
        self, events: Sequence[tuple[str, Event]], article_id: int | None
    ) -> list[bool]: ...
    def enqueue_alert(
        self, key: str, channel: str, event: Event, thread_key: str | None
    ) -> bool: ...
    def is_suppressed(self, channel: str, statement_id: int, event_type: EventType) -> bool: ...
    def add_alert_outlet(self, key: str, outlet: str) -> bool: ...
    def wording_mark(self) -> tuple[int, int]: ...
    def wording_changes(self) -> int: ...
    def wordings_since(
        self, mark: tuple[int, int], most: int | None = None
    ) -> tuple[list[tuple[int, str | None, str]], tuple[int, int]]: ...


# Extra stages (disputes, topics) plug in here: each sees the article, its id, the classified
# quotes and returns more events.
Stage = Callable[[Article, int, Sequence["ClassifiedQuote"]], list[Event]]


@dataclass(frozen=True, slots=True)
class ClassifiedQuote:
    quote: Quote
    classification: Classification


def content_hash(text: str) -> str:
    """A fingerprint of an article's words, blind to typography and white space."""
    return hashlib.sha256(fold(text).encode()).hexdigest()[:32]


def _short_hash(text: str) -> str:
    return hashlib.sha1(fold(text).encode()).hexdigest()[:12]


class SavedIndex(Protocol):
    """The index kept between runs: loaded when it fits the store, else None (rebuilt)."""

    def load(self) -> tuple[StatementIndex, tuple[int, int]] | None: ...
    def save(self, index: StatementIndex, mark: tuple[int, int]) -> None: ...


class Monitor:
    """Reads articles and produces events and alerts. Not thread-safe: one caller at a time.

    The index is made when first needed: read from ``saved`` when it fits the store, or built
    from every stored wording; then whatever was stored after its mark is added.
    """

    def __init__(
        self,
        store: MonitorStore,
        routes: Sequence[ChannelRoute],
        stages: Iterable[Stage] = (),
        saved: SavedIndex | None = None,
    ) -> None:
        self.store = store
        self.routes = list(routes)
        self.stages = list(stages)
        self._seen: dict[int, KnownStatement] = {}  # statements met in the current article
        # Wordings the current article adds, stored with its quotes once all are classified.
        self._pending: dict[int, list[str]] = {}
        # Wordings this process indexed itself since the last catch-up: not tokenised again.
        self._indexed: set[tuple[int, str]] = set()
        self.saved = saved
        # The index of every stored wording, read with the mark that says how far it got.
        self._index: StatementIndex | None = None
        self._mark = (0, 0)
        self._unsaved = 0  # wordings indexed since the index was saved or loaded
        # Statements as stored (KNOWN_STATEMENTS), valid while the store's change count is this.
        self._known: dict[int, KnownStatement] = {}
        self._changes: int | None = None

    @property
    def index(self) -> StatementIndex:
        if self._index is None:
            self._catch_up()
        assert self._index is not None
        return self._index

    def _start_index(self) -> StatementIndex:
        loaded = self.saved.load() if self.saved is not None else None
        index, self._mark = loaded or (StatementIndex(), (0, 0))
        return index

    def save_index(self) -> None:
        """Keep the index for the next start, with the mark of everything stored now.

        Between articles only: then the index holds exactly what the store holds up to its
        mark, and whatever it holds past the mark is stored too (indexed again at the next
        start, which changes nothing)."""
        if self.saved is not None and self._index is not None:
            self._catch_up()
            self.saved.save(self._index, self._mark)
            self._unsaved = 0

    def _catch_up(self) -> None:
        """Index every wording stored since the last look (adding one twice changes nothing)."""
        starting = self._index is None
        if self._index is None:
            self._index = self._start_index()
        changes = self.store.wording_changes()
        if changes != self._changes:
            self._known.clear()  # a wording deleted or rewritten: read statements afresh
            self._changes = changes
        indexed = 0
        while True:  # in slices, so a rebuild never holds every stored wording at once
            before = self._mark
            rows, self._mark = self.store.wordings_since(before, CATCH_UP_SLICE)
            for statement_id, speaker, text in rows:
                if (statement_id, text) not in self._indexed:
                    self._index.add(statement_id, speaker, text)
                known = self._known.get(statement_id)
                if known is not None and text != known.canonical and text not in known.variants:
                    self._known[statement_id] = replace(known, variants=(*known.variants, text))
            indexed += len(rows)
            if max(self._mark[0] - before[0], self._mark[1] - before[1]) < CATCH_UP_SLICE:
                break
        self._indexed.clear()
        self._unsaved += indexed
        if starting and self._unsaved >= RESAVE_AFTER and self.saved is not None:
            self.saved.save(self._index, self._mark)  # a long rebuild is not done twice
            self._unsaved = 0

    def _reload(self) -> None:
        """A fresh index of what is stored: after a rollback, entries may name lost statements."""
        self._index = None
        self._indexed.clear()
        self._known.clear()
        self._unsaved = 0
        self._catch_up()

    def ingest(
        self, article: Article, *, silent: bool = False, also_to: str | None = None
    ) -> list[Event]:
        """Store the article, classify its quotes, and queue alerts unless ``silent``.

        ``also_to``: a channel that gets this article's alterations, misattributions and
        disputes besides the routed ones (the channel a feed was added in, when it has no
        routing of its own). Returns the events found; an article already stored returns no
        events. Everything an article adds, its alerts included, commits in one transaction, so
        a crash never leaves half an article.
        """
        try:
            with self.store.transaction():
                events = self._ingest(article, silent, also_to)
        except Exception:
            self._reload()  # the transaction rolled back
            raise
        if self._unsaved >= RESAVE_AFTER and self.saved is not None:
            self.save_index()  # kept fresh: a crash costs the next start little catching up
        return events

    def _ingest(self, article: Article, silent: bool, also_to: str | None = None) -> list[Event]:
        article_id, is_new = self.store.add_article(article, content_hash(article.text))
        if not is_new:
            return []
        self._catch_up()
        self._seen, self._pending = {}, {}
        quotes = matched_quotes(extract_quotes(article.text))
        kinds = matching_kinds(article.text, quotes)
        spans: set[tuple[int, int]] = set()
        classified = [
            self._classify(article_id, q, kind, spans)
            for q, kind in zip(quotes, kinds, strict=True)
        ]
        self.store.add_quotes(article_id, [(cq.quote, cq.classification) for cq in classified])
        firsts = self.store.first_appearances(
            sid for cq in classified if (sid := cq.classification.statement_id) is not None
        )
        events = [e for cq in classified if (e := self._event_for(article, cq, firsts)) is not None]
        for stage in self.stages:
            events.extend(stage(article, article_id, classified))
        keyed = [(self._event_key(article_id, event), event) for event in events]
        recorded = self.store.add_events(keyed, article_id)
        for (key, event), added in zip(keyed, recorded, strict=True):
            if added and not silent:  # an event recorded once, alerted once
                self._queue_alerts(key, event, also_to if event.type in FEED_FINDINGS else None)
        return events

    def _classify(
        self, article_id: int, quote: Quote, kind: QuoteKind, spans: set[tuple[int, int]]
    ) -> ClassifiedQuote:
        """``kind``: how the quote is matched (a part of a split quotation as a fragment);
        ``spans``: the spans classified so far in this article (the store keeps one a span)."""
        if quote.kind is QuoteKind.INDIRECT:
            # Reported speech is the outlet's paraphrase: stored, never compared word by word.
            spans.add((quote.start, quote.end))
            return ClassifiedQuote(quote, Classification(Relation.MENTION))
        tokens = tokenize(quote.text)  # once, for the index and the matcher
        ids = self.index.candidates(quote.text, tokens=tokens)
        known = [self._with_pending(k) for k in self._statements(ids)] if ids else []
        self._seen.update((k.id, k) for k in known)
        cls = classify_quote(quote.text, quote.speaker, known, kind, tokens)
        statement_id = cls.statement_id
        if cls.relation is Relation.NEW or statement_id is None:
            statement_id = self.store.add_statement(quote.speaker, quote.text, article_id)
            cls = Classification(Relation.NEW, statement_id, 1.0)
        # The index holds what the store holds: every wording of every statement.
        self.index.add(statement_id, quote.speaker, quote.text, tokens)
        self._indexed.add((statement_id, quote.text))
        self._unsaved += 1
        if (quote.start, quote.end) not in spans:  # stored with the article's quotes
            spans.add((quote.start, quote.end))
            self._pending.setdefault(statement_id, []).append(quote.text)
        return ClassifiedQuote(quote, cls)

    def _statements(self, ids: Sequence[int]) -> list[KnownStatement]:
        """The stored statements of ``ids`` that exist, in order: those read before as they are
        now (the wordings stored since were added at the catch-up), the others from the store."""
        missing = [i for i in ids if i not in self._known]
        if missing:
            if len(self._known) + len(missing) > KNOWN_STATEMENTS:
                self._known.clear()
            self._known.update((k.id, k) for k in self.store.known_statements(missing))
        return [k for i in ids if (k := self._known.get(i)) is not None]

    def _with_pending(self, known: KnownStatement) -> KnownStatement:
        """A stored statement with the wordings this article gave it before this quote."""
        added = self._pending.get(known.id)
        if not added:
            return known
        seen = {known.canonical, *known.variants}
        new = [t for t in dict.fromkeys(added) if t not in seen]
        return replace(known, variants=(*known.variants, *new)) if new else known

    def _event_for(
        self, article: Article, cq: ClassifiedQuote, firsts: dict[int, Appearance]
    ) -> Event | None:
        """The event of one classified quote; ``firsts``: where its statement first appeared."""
        cls, quote = cq.classification, cq.quote
        event_type = _RELATION_EVENT.get(cls.relation)
        if event_type is None or cls.statement_id is None:
            return None
        known = self._seen.get(cls.statement_id)
        canonical = known.canonical if known else quote.text
        speaker = known.speaker if known and known.speaker else quote.speaker
        return Event(
            type=event_type,
            article_url=article.url,
            outlet=article.outlet,
            title=article.title,
            statement_id=cls.statement_id,
            speaker=speaker,
            quote=quote.text,
            canonical=canonical,
            changes=cls.changes,
            diff=cls.diff,
            first=firsts.get(cls.statement_id),
            credited_to=quote.speaker if event_type is EventType.MISATTRIBUTION else None,
        )

    @staticmethod
    def _event_key(article_id: int, event: Event) -> str:
        """Unique per article and finding, so re-processing an article never repeats it."""
        parts = (
            event.quote,
            event.evidence,
            event.topic,
            event.channel,
            event.disputed_by,
            event.detail,
        )
        detail = "|".join(p for p in parts if p)
        return f"{event.type.value}:{article_id}:{event.statement_id}:{_short_hash(detail)}"

    @staticmethod
    def alert_key(event: Event, channel: str) -> str:
        """Unique per finding and channel, across articles: syndicated copies fold into one.

        An alter is keyed by its wording, so a copy that changes the quote again still alerts;
        a dispute by who disputes and the evidence; a topic hit by the story's title.
        """
        parts: list[str] = [event.type.value, str(event.statement_id), channel]
        finding = _FINDING.get(event.type)
        if finding is not None:
            parts.append(_short_hash(finding(event)))
        return ":".join(parts)

    def _queue_alerts(self, event_key: str, event: Event, also_to: str | None = None) -> None:
        """One outbox alert per channel that wants the event (notices keyed by their event),
        and to ``also_to`` besides."""
        if event.type is EventType.REPEAT:
            # Folded: counted on the statement's thread, never alerted one by one; while the
            # statement's first alert still waits in the outbox, it names this outlet too.
            first = replace(event, type=EventType.NEW_STATEMENT)
            for channel in self._channels(first):
                self.store.add_alert_outlet(self.alert_key(first, channel), event.outlet)
            return
        channels = self._channels(event)
        if also_to is not None and also_to not in channels:
            channels.append(also_to)
        for channel in channels:
            sid = event.statement_id
            if sid is not None and self.store.is_suppressed(channel, sid, event.type):
                continue
            thread_key = f"statement:{sid}" if sid is not None else None
            key = (
                f"{event_key}:{channel}"
                if event.type is EventType.FEED_NOTICE
                else self.alert_key(event, channel)
            )
            if not self.store.enqueue_alert(key, channel, event, thread_key):
                # The same finding from another outlet (a syndicated copy): named on the alert.
                self.store.add_alert_outlet(key, event.outlet)

    def _channels(self, event: Event) -> list[str]:
        """The channels an event goes to; a topic hit only to the channel that saved it.

        A topic saved from chat in a channel the config does not list still reaches it; a
        listed channel can turn topic alerts off.
        """
        if event.channel is None:
            return channels_for(self.routes, event.type, event.speaker, event.severity)
        route = next((r for r in self.routes if r.channel == event.channel), None)
        if route is not None and not route.wants(event.type, event.speaker, event.severity):
            return []
        return [event.channel]

    def set_route(self, route: ChannelRoute) -> list[ChannelRoute]:
        """Replace (or add) one channel's routing, from the next article on; the routes now."""
        self.routes = [r for r in self.routes if r.channel != route.channel] + [route]
        return self.routes

    def notice(self, event: Event, key: str) -> None:
        """Queue an event from outside any article (a feed died or recovered) under ``key``."""
        if self.store.add_events([(key, event)], None)[0]:
            self._queue_alerts(key, event)
