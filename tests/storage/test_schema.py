"""Migrations on a database made before them: what was stored stays, the new links hold."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from storage import core_schema
from storage.db import migration_sets, open_db


def _old_database(path: Path) -> None:
    """A database as the release before m007 left it, with a little of everything."""
    db = open_db(path, migrate=False)
    for migrations in migration_sets():
        if migrations is core_schema.migrations:
            migrations.apply(db, stop_before="m007_history_links")
        else:
            migrations.apply(db)
    db.execute(
        "insert into articles (id, url, outlet, title, text, content_hash, ingested_at) "
        "values (1, 'https://ledger.example/1', 'Harbour Ledger', 'Pier', 'words', 'h', "
        "'2026-01-01')"
    )
    db.execute(
        "insert into statements (id, speaker, canonical, first_article_id, created_at) "
        "values (5, 'Clara Vennholt', 'We will open the pier', 1, '2026-01-01')"
    )
    for key, statement_id in (("linked", 5), ("dangling", 99), ("notice", None)):
        payload = json.dumps({"type": "repeat", "statement": statement_id, "outlet": "X"})
        db.execute(
            "insert into events (key, type, article_id, statement_id, payload, created_at) "
            "values (?, 'repeat', 1, ?, ?, '2026-01-01')",
            [key, statement_id, payload],
        )
    db.execute("insert into speakers (id, name) values (1, 'Clara Vennholt')")
    db.close()


def test_an_old_database_gains_the_event_link_and_loses_the_dead_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)
    db = open_db(path)
    fks = {(fk.column, fk.other_table) for fk in db.table("events").foreign_keys}
    assert fks == {("statement_id", "statements"), ("article_id", "articles")}
    assert {"speakers", "speaker_aliases"}.isdisjoint(db.table_names())
    rows = {r["key"]: r for r in db.query("select * from events")}
    assert rows["linked"]["statement_id"] == 5
    assert rows["dangling"]["statement_id"] is None  # unlinked, not lost
    assert json.loads(rows["dangling"]["payload"])["statement"] == 99
    assert {i.name for i in db.table("events").indexes} >= {
        "idx_events_key",
        "idx_events_statement_id",
    }
    assert db.execute("pragma foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):  # the link now holds for new events
        db.execute(
            "insert into events (key, type, statement_id, payload, created_at) "
            "values ('new', 'repeat', 12345, '{}', '2026-01-02')"
        )
    db.close()
    again = open_db(path)  # nothing left to apply; opening twice changes nothing
    assert again.table("events").count == 3


def test_a_new_database_has_the_links_from_the_start(tmp_path: Path) -> None:
    db = open_db(tmp_path / "new.db")
    assert ("statement_id", "statements") in {
        (fk.column, fk.other_table) for fk in db.table("events").foreign_keys
    }
    assert "speakers" not in db.table_names()
    assert "events_article" in {i.name for i in db.table("events").indexes}  # digests by article


def test_the_statement_search_follows_its_words_not_its_count() -> None:
    db = open_db(":memory:")
    db.execute(
        "insert into statements (id, speaker, canonical, quote_count, created_at) "
        "values (5, 'Clara Vennholt', 'We will open the pier', 0, '2026-01-01')"
    )

    def found(word: str) -> list[int]:
        rows = db.execute(
            "select rowid from statements_fts where statements_fts match ?", [word]
        ).fetchall()
        return [r[0] for r in rows]

    def fts_writes(sql: str) -> int:
        before = db.conn.total_changes
        db.execute(sql)
        return db.conn.total_changes - before

    assert found("pier") == [5]
    assert fts_writes("update statements set quote_count = quote_count + 3 where id = 5") == 1
    assert found("pier") == [5]
    db.execute("update statements set canonical = 'We will close the quay' where id = 5")
    assert found("pier") == []
    assert found("quay") == [5]
    db.execute("update statements set speaker = 'Aron Falk' where id = 5")
    assert found("falk") == [5]
    assert found("vennholt") == []
