"""Topics persist per channel with unique names; bad queries are refused with a caret."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from bot.core.topics import Document, QueryError
from storage.topics import TopicError, TopicStore, migrations


@pytest.fixture
def store(tmp_path: Path) -> TopicStore:
    db = sqlite_utils.Database(tmp_path / "t.db")
    migrations.apply(db)
    return TopicStore(db)


def test_add_list_get_remove(store: TopicStore) -> None:
    added = store.add("slack:C1", "harbour", '"harbour tax" OR levy')
    store.add("slack:C1", "budget", "budget*")
    store.add("console:default", "harbour", "harbour")
    assert store.get("slack:C1", "harbour") == added
    assert [t.name for t in store.list("slack:C1")] == ["budget", "harbour"]
    assert len(store.list()) == 3
    assert store.remove("slack:C1", "harbour")
    assert not store.remove("slack:C1", "harbour")
    assert store.get("slack:C1", "harbour") is None
    assert store.get("console:default", "harbour") is not None


def test_names_are_unique_per_channel(store: TopicStore) -> None:
    store.add("slack:C1", "harbour", "harbour")
    with pytest.raises(TopicError, match="already exists"):
        store.add("slack:C1", "harbour", "port")


def test_bad_query_is_refused_with_a_caret(store: TopicStore) -> None:
    with pytest.raises(QueryError, match="query ends too early") as caught:
        store.add("slack:C1", "broken", "(harbour OR")
    assert "^" in str(caught.value)
    assert store.list() == []


def test_compiled_topics_match(store: TopicStore) -> None:
    store.add("slack:C1", "levy", "levy NEAR/3 fuel")
    migrations.apply(store.db)  # applying twice is harmless
    [(topic, query)] = store.compiled("slack:C1")
    doc = Document("A new levy on fuel.", "article", None, "Northfield Gazette")
    assert topic.name == "levy" and query.matches(doc)
