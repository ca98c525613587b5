"""The monitor's stages after quote matching, wired to the stores that feed them.

A stage that fails is contained: the article and its quotes are stored all the same, the
stage's findings for that article are lost, and the failure is logged once per stage and
kind of error (with its traceback), so one bad input can never stop ingestion. A database
error is not contained: the article's transaction rolls back and its source retries it (the
bootstrap names the database's errors, so this layer needs no database import).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

from bot.core.models import Article, Event, Topic
from bot.core.monitor import ClassifiedQuote, Stage
from bot.core.ports import TopicBook
from bot.core.stages import DisputeSource, DisputeStage, TopicStage
from bot.core.topics import Query, QueryError, parse_query

log = logging.getLogger(__name__)


class ContainedStage:
    """A stage whose exceptions are logged, never raised: the article goes on without it."""

    def __init__(
        self, name: str, stage: Stage, uncontained: tuple[type[Exception], ...] = ()
    ) -> None:
        self.name = name
        self.stage = stage
        self.uncontained = uncontained  # the database's own errors: raised, never contained
        self.reported: set[str] = set()

    def __call__(
        self, article: Article, article_id: int, classified: Sequence[ClassifiedQuote]
    ) -> list[Event]:
        try:
            return self.stage(article, article_id, classified)
        except Exception as exc:
            if isinstance(exc, self.uncontained):
                raise  # the database itself: the article's transaction rolls back, is retried
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


def saved_queries(topics: TopicBook) -> TopicStage:
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
        saved = topics.list()  # behind the store's one-writer lock, as every store is
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


def default_stages(
    disputes: DisputeSource, topics: TopicBook, database_errors: tuple[type[Exception], ...]
) -> list[Stage]:
    """Disputes of quoted and tracked statements, then every saved topic; each contained but
    for ``database_errors``."""
    return [
        ContainedStage("dispute", DisputeStage(disputes), database_errors),
        ContainedStage("topic", saved_queries(topics), database_errors),
    ]
