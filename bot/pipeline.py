"""The monitor's stages after quote matching, wired to the stores that feed them."""

from __future__ import annotations

from bot.core.models import Topic
from bot.core.monitor import Stage
from bot.core.stages import DisputeStage, TopicStage
from bot.core.topics import Query
from storage.store import Store
from storage.topics import TopicStore


def default_stages(store: Store) -> list[Stage]:
    """Disputes of quoted and tracked statements, then every saved topic."""
    topics = TopicStore(store.db)

    def compiled() -> list[tuple[Topic, Query]]:
        with store.lock:
            return topics.compiled()

    return [DisputeStage(store), TopicStage(compiled)]
