"""The monitor's stages after quote matching, wired to the stores that feed them.

A stage that fails is contained: the article and its quotes are stored all the same, the
stage's findings for that article are lost, and the failure is logged once per stage and
kind of error (with its traceback), so one bad input can never stop ingestion. A database
error is not contained: the article's transaction rolls back and its source retries it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from functools import lru_cache

from bot.core.models import Article, Event, Topic
from bot.core.monitor import ClassifiedQuote, Stage
from bot.core.stages import DisputeStage, TopicStage
from bot.core.topics import Query, QueryError, parse_query
from storage.store import Store
from storage.topics import TopicStore

log = logging.getLogger(__name__)


class ContainedStage:
    """A stage whose exceptions are logged, never raised: the article goes on without it."""

    def __init__(self, name: str, stage: Stage) -> None:
        self.name = name
        self.stage = stage
        self.reported: set[str] = set()

    def __call__(
        self, article: Article, article_id: int, classified: Sequence[ClassifiedQuote]
    ) -> list[Event]:
        try:
            return self.stage(article, article_id, classified)
        except sqlite3.Error:
            raise  # the database itself: the article's transaction rolls back and is retried
        except Exception as exc:
            kind = type(exc).__name__
            if kind not in self.reported:
                self.reported.add(kind)
                log.exception(
                    "%s stage failed on %s; the article is stored without its %s findings"
                    " (further %s errors of this stage are counted, not logged)",
                    self.name, article.url, self.name, kind,
                )  # fmt: skip
            else:
                log.debug("%s stage failed again on %s: %s", self.name, article.url, kind)
            return []


def saved_queries(topics: TopicStore, store: Store) -> TopicStage:
    """Every saved topic with its query, parsed once; a query that no longer parses (saved
    before the parser refused it) is skipped with one warning, and the others still match."""
    reported: set[tuple[int, str]] = set()

    @lru_cache(maxsize=1024)
    def parsed(text: str) -> Query | QueryError:
        try:
            return parse_query(text)
        except QueryError as exc:
            return exc

    def compiled() -> list[tuple[Topic, Query]]:
        with store.lock:
            saved = topics.list()
        ready: list[tuple[Topic, Query]] = []
        for topic in saved:
            query = parsed(topic.query)
            if isinstance(query, Query):
                ready.append((topic, query))
            elif (topic.id, topic.query) not in reported:
                reported.add((topic.id, topic.query))
                log.warning(
                    "topic %r of %s is skipped: its query does not parse (%s); remove it and"
                    " save it again",
                    topic.name, topic.channel, query.reason,
                )  # fmt: skip
        return ready

    return TopicStage(compiled)


def default_stages(store: Store, topics: TopicStore) -> list[Stage]:
    """Disputes of quoted and tracked statements, then every saved topic; each contained."""
    return [
        ContainedStage("dispute", DisputeStage(store)),
        ContainedStage("topic", saved_queries(topics, store)),
    ]
