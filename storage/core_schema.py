"""The core tables: articles, quotes, statements, events, the alert outbox, threads.

Every schema change is a new function in this migration set; never edit an applied one.
"""

from __future__ import annotations

import hashlib
import logging

import sqlite_utils
from sqlite_utils import Migrations

from bot.core.matching import normalised
from bot.core.speaker_names import fold

log = logging.getLogger(__name__)
migrations = Migrations("verbatim.core")


def wording_key(speaker: str | None, text: str) -> str:
    """A statement's identity in the database: its speaker and its words, typography folded."""
    who = fold(speaker or "").lower()
    return hashlib.sha256(f"{who}\x1f{normalised(text)}".encode()).hexdigest()[:32]


@migrations()
def m001_core_tables(db: sqlite_utils.Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "url": str,
            "outlet": str,
            "title": str,
            "published": str,
            "language": str,
            "author": str,
            "text": str,
            "content_hash": str,
            "story_id": int,
            "ingested_at": str,
        },
        pk="id",
        not_null={"url", "outlet", "text", "content_hash", "ingested_at"},
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["outlet", "content_hash"])
    db.table("articles").create_index(["story_id"])
    db.table("articles").create_index(["published"])

    db.table("speakers").create({"id": int, "name": str}, pk="id", not_null={"name"})
    db.table("speakers").create_index(["name"], unique=True)
    db.table("speaker_aliases").create(
        {"alias": str, "speaker_id": int},
        pk=("alias", "speaker_id"),
        foreign_keys=[("speaker_id", "speakers", "id")],
    )

    db.table("statements").create(
        {
            "id": int,
            "speaker": str,
            "canonical": str,
            "first_article_id": int,
            "first_outlet": str,
            "first_url": str,
            "first_published": str,
            "quote_count": int,
            "tracked": int,
            "created_at": str,
        },
        pk="id",
        not_null={"canonical", "created_at"},
        defaults={"quote_count": 0, "tracked": 0},
        foreign_keys=[("first_article_id", "articles", "id")],
    )
    db.table("statements").create_index(["speaker"])

    db.table("quotes").create(
        {
            "id": int,
            "article_id": int,
            "statement_id": int,
            "text": str,
            "start": int,
            "end": int,
            "kind": str,
            "speaker": str,
            "speaker_mention": str,
            "cue": str,
            "relation": str,
            "score": float,
            "changes": str,  # JSON list of {kind, severity, before, after}
            "diff": str,  # JSON list of {op, before, after}
        },
        pk="id",
        not_null={"article_id", "text", "start", "end", "kind"},
        foreign_keys=[("article_id", "articles", "id"), ("statement_id", "statements", "id")],
    )
    db.table("quotes").create_index(["article_id", "start", "end"], unique=True)
    db.table("quotes").create_index(["statement_id"])
    db.table("quotes").create_index(["speaker"])

    db.table("events").create(
        {
            "id": int,
            "key": str,
            "type": str,
            "article_id": int,
            "statement_id": int,
            "payload": str,  # JSON: bot.core.serialize.event_to_dict
            "created_at": str,
        },
        pk="id",
        not_null={"key", "type", "payload", "created_at"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("events").create_index(["key"], unique=True)
    db.table("events").create_index(["created_at"])
    db.table("events").create_index(["statement_id"])

    # The outbox: an alert is stored before it is sent; its unique key makes a second
    # delivery impossible, and sent_at marks it done.
    db.table("alerts").create(
        {
            "id": int,
            "key": str,
            "channel": str,
            "thread_key": str,
            "payload": str,
            "created_at": str,
            "sent_at": str,
            "message_ref": str,
            "attempts": int,
            "last_error": str,
            "next_attempt_at": str,
        },
        pk="id",
        not_null={"key", "channel", "payload", "created_at"},
        defaults={"attempts": 0},
    )
    db.table("alerts").create_index(["key"], unique=True)
    db.table("alerts").create_index(["sent_at", "next_attempt_at"])

    db.table("threads").create(
        {
            "channel": str,
            "thread_key": str,
            "thread_ref": str,
            "head_ref": str,
            "outlets_shown": int,
        },
        pk=("channel", "thread_key"),
        defaults={"outlets_shown": 0},
    )
    db.table("mutes").create({"channel": str, "statement_id": int}, pk=("channel", "statement_id"))
    db.table("false_positives").create(
        {"channel": str, "statement_id": int, "type": str},
        pk=("channel", "statement_id", "type"),
    )

    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="porter")
    db.table("quotes").enable_fts(["text", "speaker"], create_triggers=True, tokenize="porter")
    db.table("statements").enable_fts(["canonical", "speaker"], create_triggers=True)


@migrations()
def m002_channel_routes(db: sqlite_utils.Database) -> None:
    """Routing set from chat: one row per channel, taking the place of its config entry."""
    db.table("channel_routes").create(
        {
            "channel": str,
            "alerts": str,  # JSON list of event types
            "speakers": str,  # JSON list of watched speakers
            "new_statements": str,
            "digest_at": str,  # "HH:MM" or null: no digest
            "timezone": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk="channel",
        not_null={"alerts", "speakers", "new_statements", "timezone", "updated_at"},
    )


@migrations()
def m003_statement_wordings(db: sqlite_utils.Database) -> None:
    """Each statement's distinct wordings, so matching reads a handful of rows, not every quote
    of a statement quoted ten thousand times."""
    db.execute(
        "create table statement_wordings (statement_id integer not null references "
        "statements(id) on delete cascade, text text not null, primary key (statement_id, text))"
    )
    db.execute(
        "insert or ignore into statement_wordings (statement_id, text) "
        "select statement_id, text from quotes where statement_id is not null"
    )


@migrations()
def m004_tracked_index(db: sqlite_utils.Database) -> None:
    """Tracked statements are read for every article: find them without a table scan."""
    db.execute("create index if not exists statements_tracked on statements(id) where tracked = 1")


@migrations()
def m005_statement_wording_key(db: sqlite_utils.Database) -> None:
    """One statement per speaker and normalised wording, whatever the number of writers: a
    unique key the database enforces (statements pinned by hand have none). Where two writers
    already stored the same words twice, the older statement keeps the key."""
    db.execute("alter table statements add column wording_key text")
    rows = db.execute(
        "select id, speaker, canonical from statements where tracked = 0 order by id"
    ).fetchall()
    seen: set[str] = set()
    for statement_id, speaker, canonical in rows:
        key = wording_key(speaker, canonical)
        if key not in seen:
            seen.add(key)
            db.execute("update statements set wording_key = ? where id = ?", [key, statement_id])
    db.execute(
        "create unique index statements_wording_key on statements(wording_key) "
        "where wording_key is not null"
    )


@migrations()
def m006_route_min_severity(db: sqlite_utils.Database) -> None:
    """A channel's minimum severity for alteration alerts, set from chat."""
    db.execute("alter table channel_routes add column min_severity text not null default 'low'")


@migrations()
def m007_history_links(db: sqlite_utils.Database) -> None:
    """An event links to its statement (so Datasette and joins follow it), and the `speakers`
    and `speaker_aliases` tables, never filled, go: a statement names its speaker itself.

    An event whose statement is not stored (none should be) keeps its payload, not the link.
    """
    dangling = db.execute(
        "update events set statement_id = null where statement_id is not null "
        "and statement_id not in (select id from statements)"
    ).rowcount
    if dangling:
        log.warning("%d events named a statement that is not stored; unlinked", dangling)
    db.table("events").transform(add_foreign_keys=[("statement_id", "statements", "id")])
    db.execute("drop table if exists speaker_aliases")
    db.execute("drop table if exists speakers")


@migrations()
def m008_events_by_article(db: sqlite_utils.Database) -> None:
    """A digest finds a period's events through their articles' publication times."""
    db.execute("create index if not exists events_article on events(article_id)")


@migrations()
def m009_statement_search_on_its_words(db: sqlite_utils.Database) -> None:
    """The statements' full-text index is written again only when a statement's words or
    speaker change, not each time its quote count moves (once per article that quotes it)."""
    db.execute("drop trigger if exists statements_au")
    db.execute(
        'create trigger "statements_au" after update of canonical, speaker on "statements" '
        'begin insert into "statements_fts" ("statements_fts", rowid, "canonical", "speaker") '
        'values(\'delete\', old.rowid, old."canonical", old."speaker"); '
        'insert into "statements_fts" (rowid, "canonical", "speaker") '
        'values (new.rowid, new."canonical", new."speaker"); end'
    )


@migrations()
def m010_wording_changes(db: sqlite_utils.Database) -> None:
    """A count of every change to stored wordings other than adding one at the end: a statement
    or wording deleted or rewritten, or added below the newest (outside the bot: it only
    appends). A saved matching index records the count and is not used once it moved."""
    db.execute(
        "create table wording_changes (id integer primary key check (id = 1), "
        "changes integer not null)"
    )
    db.execute("insert into wording_changes (id, changes) values (1, 0)")
    bump = "begin update wording_changes set changes = changes + 1 where id = 1; end"
    for table, columns in (("statements", "id, speaker, canonical"), ("statement_wordings", "")):
        of = f" of {columns}" if columns else ""
        db.execute(f"create trigger {table}_changed_ad after delete on {table} {bump}")
        db.execute(f"create trigger {table}_changed_au after update{of} on {table} {bump}")
        db.execute(
            f"create trigger {table}_changed_ai after insert on {table} "
            f"when new.rowid < (select max(rowid) from {table}) {bump}"
        )
