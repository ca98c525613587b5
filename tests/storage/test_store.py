"""The store on a real SQLite file: schema, dedupe, the outbox's exactly-once rules."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.models import (
    Article,
    Classification,
    Event,
    EventType,
    Quote,
    QuoteKind,
    Relation,
)
from storage.db import open_db
from storage.history import History
from storage.store import Lookups, Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(open_db(tmp_path / "v.db"))


def article(url: str = "https://tidewater-ledger.example/a", text: str = "Body text.") -> Article:
    return Article(
        url=url,
        outlet="Tidewater Ledger",
        title="A title",
        text=text,
        published=datetime(2026, 5, 1, 8, tzinfo=UTC),
    )


def test_database_is_wal_with_foreign_keys_and_full_text(tmp_path: Path) -> None:
    db = open_db(tmp_path / "v.db")
    assert db.journal_mode == "wal"
    assert next(iter(db.query("pragma foreign_keys")))["foreign_keys"] == 1
    for table in ("articles_fts", "quotes_fts", "statements_fts"):
        assert table in db.table_names()
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "insert into quotes (article_id, text, start, end, kind) values (999, 'x', 0, 1, 'x')"
        )


def test_migrations_apply_once_and_reopen_keeps_data(tmp_path: Path) -> None:
    store = Store(open_db(tmp_path / "v.db"))
    store.add_article(article(), "h1")
    store.db.close()
    again = Store(open_db(tmp_path / "v.db"))
    assert again.article_count() == 1
    names = [r["name"] for r in again.db.query("select name from _sqlite_migrations")]
    assert len(names) == len(set(names))


def test_statements_by_id_reads_more_ids_than_one_query_may_bind(store: Store) -> None:
    from storage.db import IN_BATCH

    article_id, _ = store.add_article(article(), "h")
    wanted = IN_BATCH * 2 + 7  # a week's digest reads tens of thousands
    ids = [
        store.add_statement("Mara Lindqvist", f"Pier {n} opens.", article_id) for n in range(wanted)
    ]
    for sid, n in zip(ids, range(wanted), strict=True):
        at = 20 * n  # each quote its own span of the article
        quote = Quote(f"Pier {n} opens.", at, at + 10, QuoteKind.DIRECT, "Mara Lindqvist")
        store.add_quote(article_id, quote, Classification(Relation.NEW, sid, 1.0))
    # As a build with SQLite's old default would: a query may bind only so many values.
    store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, IN_BATCH + 10)
    found = store.statements_by_id(ids)
    assert sorted(found) == sorted(ids)
    assert all(found[sid].outlets == ("Tidewater Ledger",) for sid in ids)
    assert found[ids[-1]].canonical == f"Pier {wanted - 1} opens."


def test_article_stored_once_by_url_or_same_words_from_same_outlet(store: Store) -> None:
    first_id, new = store.add_article(article(), "hash-a")
    assert new
    assert store.add_article(article(), "hash-b") == (first_id, False)
    assert store.add_article(article(url="https://tidewater-ledger.example/b"), "hash-a") == (
        first_id,
        False,
    )
    _, other_outlet_new = store.add_article(
        Article("https://other.example/a", "Other Outlet", "t", "Body text."), "hash-a"
    )
    assert other_outlet_new  # a syndicated copy at another outlet is its own article


def test_statement_quotes_and_variants(store: Store) -> None:
    article_id, _ = store.add_article(article(), "h")
    sid = store.add_statement("Mara Lindqvist", "We will open the bridge in May.", article_id)
    quote = Quote("We will open the bridge in June.", 0, 32, QuoteKind.DIRECT, "Mara Lindqvist")
    store.add_quote(article_id, quote, Classification(Relation.ALTER, sid, 0.9))
    store.add_quote(article_id, quote, Classification(Relation.ALTER, sid, 0.9))  # same span
    known = store.known_statements([sid])
    assert known[0].canonical == "We will open the bridge in May."
    assert known[0].variants == ("We will open the bridge in June.",)
    statement = store.statements_by_id([sid])[sid]
    assert statement.quote_count == 1
    assert statement.first.outlet == "Tidewater Ledger"
    assert statement.outlets == ("Tidewater Ledger",)
    assert {w[2] for w in store.iter_wordings()} == {
        "We will open the bridge in May.",
        "We will open the bridge in June.",
    }
    found = Lookups(store).search_statements("bridge June")
    assert [s.id for s in found] == [sid]


def test_an_articles_quotes_stored_together_count_once_per_span(store: Store) -> None:
    article_id, _ = store.add_article(article(), "h")
    sid = store.add_statement("Mara Lindqvist", "We will open the bridge in May.", article_id)
    first = Quote("We will open the bridge in May.", 0, 31, QuoteKind.DIRECT, "Mara Lindqvist")
    june = Quote("We will open the bridge in June.", 40, 72, QuoteKind.DIRECT, "Mara Lindqvist")
    said = Quote("the bridge opens", 80, 96, QuoteKind.INDIRECT, "Mara Lindqvist")
    store.add_quote(article_id, first, Classification(Relation.NEW, sid, 1.0))
    store.add_quotes(
        article_id,
        [
            (first, Classification(Relation.REPEAT, sid, 1.0)),  # stored already: kept as was
            (june, Classification(Relation.ALTER, sid, 0.9)),
            (june, Classification(Relation.REPEAT, sid, 1.0)),  # the same span twice
            (said, Classification(Relation.MENTION)),
        ],
    )
    rows = store.db.execute("select start, relation from quotes order by start").fetchall()
    assert rows == [(0, "new"), (40, "alter"), (80, "mention")]
    assert store.statements_by_id([sid])[sid].quote_count == 2
    assert store.known_statements([sid])[0].variants == ("We will open the bridge in June.",)
    store.add_quotes(article_id, [])


def test_an_articles_events_are_recorded_once_per_key_in_order(store: Store) -> None:
    first = Event(EventType.NEW_STATEMENT, "https://x.example/1", "X", statement_id=None)
    second = Event(EventType.REPEAT, "https://x.example/1", "X", statement_id=None)
    keyed = [("k1", first), ("k1", second), ("k2", second)]
    assert store.add_events(keyed, None) == [True, False, True]  # the first of a key counts
    assert store.add_events([("k2", first), ("k3", first)], None) == [False, True]
    rows = store.db.execute("select key, type from events order by id").fetchall()
    assert rows == [("k1", "new_statement"), ("k2", "repeat"), ("k3", "new_statement")]
    assert store.add_events([], None) == []


def test_events_are_recorded_once_per_key(store: Store) -> None:
    event = Event(EventType.NEW_STATEMENT, "https://x.example/1", "X", statement_id=None)
    assert store.add_event("k1", event, None)
    assert not store.add_event("k1", event, None)
    now = datetime.now(UTC)  # read back as the digest reads a period (the event has no article)
    history = History(store)
    assert history.events_between(now - timedelta(minutes=1), now + timedelta(minutes=1)) == [
        (
            datetime.fromisoformat(store.db.execute("select created_at from events").fetchone()[0]),
            event,
        )
    ]


def test_outbox_enqueues_once_and_delivers_once(store: Store) -> None:
    outbox = store.outbox
    event = Event(EventType.ALTER, "https://x.example/1", "X", statement_id=None, quote="q")
    assert outbox.enqueue_alert("alter:1:console:a", "console:a", event, "statement:1")
    assert not outbox.enqueue_alert("alter:1:console:a", "console:a", event, "statement:1")
    [alert] = outbox.pending()
    assert alert.event == event
    outbox.mark_failed(alert.id, "boom")
    assert outbox.pending() == []  # waits for its backoff
    later = datetime.now(UTC) + timedelta(hours=1)
    assert [a.id for a in outbox.pending(now=later)] == [alert.id]
    outbox.mark_sent(alert.id, "m1")
    outbox.mark_sent(alert.id, "m2")  # a second mark changes nothing
    assert outbox.pending(now=later) == []
    assert [a.id for a in outbox.sent()] == [alert.id]
    assert next(iter(store.db.query("select message_ref from alerts")))["message_ref"] == "m1"


def test_threads_mutes_and_false_positives(store: Store) -> None:
    outbox = store.outbox
    outbox.set_thread("slack:C1", "statement:7", "111.2")
    outbox.set_thread("slack:C1", "statement:7", "999.9")  # the first thread stays
    assert outbox.thread_ref("slack:C1", "statement:7") == "111.2"
    assert not outbox.is_suppressed("slack:C1", 7, EventType.ALTER)
    outbox.mark_false_positive("slack:C1", 7, EventType.ALTER)
    assert outbox.is_suppressed("slack:C1", 7, EventType.ALTER)
    assert not outbox.is_suppressed("slack:C1", 7, EventType.DISPUTE)
    outbox.mute("slack:C1", 8)
    assert outbox.is_suppressed("slack:C1", 8, EventType.DISPUTE)
    assert not outbox.is_suppressed("slack:C2", 8, EventType.DISPUTE)


def test_an_articles_statements_are_written_together_under_the_ids_sqlite_gives(
    store: Store,
) -> None:
    """In a transaction, statements wait to be written with the article's quotes; meanwhile
    each has the id SQLite gives it, the matcher reads it, and its words added twice are one."""
    article_id, _ = store.add_article(article(), "h")
    before = store.add_statement("Edda Strand", "The quay opens in June.", article_id)
    with store.transaction():
        first = store.add_statement("Mara Lindqvist", "We will open the bridge.", article_id)
        again = store.add_statement("Mara Lindqvist", "We will open the bridge.", article_id)
        old = store.add_statement("Edda Strand", "The quay opens in June.", article_id)
        second = store.add_statement("Pavel Dahl", "The ferry runs daily.", article_id)
        assert (first, again, old, second) == (before + 1, before + 1, before, before + 2)
        assert store.db.execute("select count(*) from statements").fetchone()[0] == 1
        known = store.known_statements([second, before, first])
        assert [(k.id, k.speaker, k.canonical, k.variants) for k in known] == [
            (second, "Pavel Dahl", "The ferry runs daily.", ()),
            (before, "Edda Strand", "The quay opens in June.", ()),
            (first, "Mara Lindqvist", "We will open the bridge.", ()),
        ]
        assert store.first_appearance(second) is not None  # a read writes them first
        tracked, _ = store.add_tracked_statement("The levy stays.", None)
        third = store.add_statement("Pavel Dahl", "The levy goes.", article_id)
        assert (tracked, third) == (second + 1, second + 2)
    rows = store.db.execute("select id, speaker, first_url from statements order by id")
    assert [r[:2] for r in rows.fetchall()] == [
        (before, "Edda Strand"),
        (first, "Mara Lindqvist"),
        (second, "Pavel Dahl"),
        (tracked, None),
        (third, "Pavel Dahl"),
    ]
    assert [s.id for s in Lookups(store).search_statements("ferry")] == [second]


def test_statements_of_a_transaction_rolled_back_are_never_written(store: Store) -> None:
    article_id, _ = store.add_article(article(), "h")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_statement("Mara Lindqvist", "We will open the bridge.", article_id)
        raise RuntimeError("the article failed")
    assert store.db.execute("select count(*) from statements").fetchone()[0] == 0
    with store.transaction():
        sid = store.add_statement("Mara Lindqvist", "We will open the bridge.", article_id)
    assert store.known_statements([sid])[0].canonical == "We will open the bridge."
    found = Lookups(store).search_statements("bridge")  # its words are in the full-text index
    assert [s.id for s in found] == [sid]


def test_one_statement_per_speaker_and_wording_whoever_writes_it(tmp_path: Path) -> None:
    """Two stores on one file (two processes): the same words by the same speaker are one
    statement, also when pinned by hand; another speaker is another."""
    first, second = Store(open_db(tmp_path / "v.db")), Store(open_db(tmp_path / "v.db"))
    article_id, _ = first.add_article(article(), "h")
    sid = first.add_statement("Mara Lindqvist", "We will open the bridge in May.", article_id)
    again = second.add_statement("Mara Lindqvist", "we will open the bridge in May", article_id)
    assert again == sid
    other = second.add_statement("Oskar Brandt", "We will open the bridge in May.", article_id)
    assert other != sid
    pinned, before = second.add_tracked_statement(
        "We will open the bridge in May.", "Mara Lindqvist"
    )
    assert pinned == sid and before is not None and not before.tracked
    assert first.statements_by_id([sid])[sid].tracked


def test_tracking_words_twice_or_words_already_quoted_adds_no_statement(tmp_path: Path) -> None:
    """Pinning the words a speaker is stored saying pins that statement, with its first
    appearance kept; pinning them again, or words pinned before pinned statements had a
    wording key (m005 gave them none), finds the statement already pinned."""
    store = Store(open_db(tmp_path / "v.db"))
    article_id, _ = store.add_article(article(), "h")
    quoted = store.add_statement("Clara Vennholt", "We will not raise taxes.", article_id)
    pinned, before = store.add_tracked_statement("We will not raise taxes.", "Clara Vennholt")
    assert (pinned, before is not None and before.tracked) == (quoted, False)
    again, before = store.add_tracked_statement("we will NOT raise taxes", "clara vennholt")
    assert (again, before is not None and before.tracked) == (quoted, True)
    new, before = store.add_tracked_statement("The levy stays in place.", None)
    assert new != quoted and before is None
    assert store.add_tracked_statement("The levy stays in place.", None)[0] == new
    store.db.execute(  # as a version before keys on pinned statements stored one
        "insert into statements (speaker, canonical, quote_count, tracked, first_outlet, "
        "first_url, created_at) values ('Ivo Brandt', 'The ferry runs daily.', 0, 1, "
        "'tracked by hand', '', '2026-01-01')"
    )
    legacy = store.db.execute("select max(id) from statements").fetchone()[0]
    found, before = store.add_tracked_statement("The ferry runs daily.", "Ivo Brandt")
    assert found == legacy and before is not None and before.tracked
    rows = store.db.execute("select id, tracked, first_outlet from statements order by id")
    assert rows.fetchall() == [
        (quoted, 1, "Tidewater Ledger"),
        (new, 1, "tracked by hand"),
        (legacy, 1, "tracked by hand"),
    ]


def test_wordings_since_a_mark_are_what_another_writer_added(tmp_path: Path) -> None:
    mine, theirs = Store(open_db(tmp_path / "v.db")), Store(open_db(tmp_path / "v.db"))
    mark = mine.wording_mark()
    article_id, _ = theirs.add_article(article(), "h")
    sid = theirs.add_statement("Mara Lindqvist", "We will open the bridge in May.", article_id)
    quote = Quote("We will open the bridge in June.", 0, 32, QuoteKind.DIRECT, "Mara Lindqvist")
    theirs.add_quote(article_id, quote, Classification(Relation.ALTER, sid, 0.9))
    rows, mark = mine.wordings_since(mark)
    assert rows == [
        (sid, "Mara Lindqvist", "We will open the bridge in May."),
        (sid, "Mara Lindqvist", "We will open the bridge in June."),
    ]
    assert mine.wordings_since(mark) == ([], mark)


def test_a_channel_minimum_severity_set_from_chat_is_kept(store: Store) -> None:
    from bot.core.models import Severity
    from bot.core.routing import ChannelRoute

    store.save_route(ChannelRoute("slack:C1", min_severity=Severity.HIGH), "U1")
    [route] = store.saved_routes()
    assert route.min_severity is Severity.HIGH


def test_routing_saved_from_chat_that_cannot_be_read_is_left_out_and_the_bot_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app.settings import Settings
    from bot.bootstrap import open_app
    from bot.core.models import Severity
    from bot.core.routing import ChannelRoute

    db_path = tmp_path / "v.db"
    store = Store(open_db(db_path))
    store.save_route(ChannelRoute("slack:C1", min_severity=Severity.HIGH), "U1")
    store.save_route(ChannelRoute("slack:C2", speakers=("Mara Lindqvist",)), "U1")
    store.db.conn.execute("update channel_routes set alerts = '{broken' where channel = 'slack:C1'")
    store.db.conn.commit()
    with caplog.at_level("WARNING"):
        routes = store.saved_routes()
    assert [r.channel for r in routes] == ["slack:C2"]
    assert "routing saved for slack:C1 not used" in caplog.text
    # nothing deleted: the row is still there, as it was
    rows = store.db.conn.execute("select channel, alerts from channel_routes order by 1")
    assert rows.fetchall()[0] == ("slack:C1", "{broken")
    store.db.conn.close()
    app = open_app(settings=Settings(db_path=db_path, console=False, sample_feed=False))
    app.close()  # it starts: before, json.loads raised from saved_routes at start-up
