"""The monitor's stages after quote matching, wired to the stores that feed them."""

from __future__ import annotations

from functools import lru_cache

from bot.core.models import Topic
from bot.core.monitor import Stage
from bot.core.stages import DisputeStage, TopicStage
from bot.core.topics import Query, parse_query
from storage.store import Store
from storage.topics import TopicStore


def default_stages(store: Store) -> list[Stage]:
    """Disputes of quoted and tracked statements, then every saved topic."""
    topics = TopicStore(store.db)

    parsed = lru_cache(maxsize=1024)(parse_query)  # each saved query is parsed once

    def compiled() -> list[tuple[Topic, Query]]:
        with store.lock:
            saved = topics.list()
        return [(t, parsed(t.query)) for t in saved]

    return [DisputeStage(store), TopicStage(compiled)]
