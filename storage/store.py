"""The SQLite store behind the monitor: articles, quotes, statements and events.

Every method takes the one-writer lock, so the asyncio bot can call it from a worker thread.
The outbox (alerts, threads, mutes) lives in `storage.outbox`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from bot.core.matching import KnownStatement
from bot.core.models import (
    Appearance,
    Article,
    Classification,
    Event,
    EventType,
    Quote,
    Relation,
    Severity,
    Statement,
    Variant,
)
from bot.core.ports import Clock
from bot.core.routing import ChannelRoute
from bot.core.serialize import (
    change_from_dict,
    change_to_dict,
    diff_from_list,
    diff_to_list,
    event_to_dict,
    parse_time,
)
from storage.core_schema import wording_key
from storage.db import (
    UNREADABLE,
    DbLock,
    OnDatabase,
    cannot_read,
    in_batches,
    insert_rows,
    marks,
    write_transaction,
)
from storage.outbox import Outbox

log = logging.getLogger(__name__)
WordingMark = tuple[int, int]  # (last statement id, last statement_wordings rowid)
NO_WORDINGS: WordingMark = (0, 0)


def utcnow() -> str:
    return datetime.now(UTC).isoformat()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class Store(OnDatabase):
    """Articles, quotes, statements and events on one sqlite-utils database."""

    def __init__(
        self, db: sqlite_utils.Database, lock: DbLock | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__(db, lock)
        self.outbox = Outbox(db, self.lock, clock)
        # Inside `transaction`: the statements added and not yet written, by wording key, and
        # the article they were first quoted in with its outlet, url and publication time.
        self._new: dict[str, tuple[Any, ...]] | None = None
        self._article: tuple[int, tuple[Any, ...]] | None = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: one article's quotes, statements, events and alerts commit together.

        The statements it adds are written together, before its quotes or any read of them
        (a statement written alone cost a statement journal and a full-text flush each)."""
        with self.lock:
            outermost = self._new is None
            if outermost:
                self._new = {}
            try:
                with write_transaction(self.db):
                    yield
                    self._write_new()
            finally:
                if outermost:
                    self._new, self._article = None, None

    # The monitor queues alerts and asks about mutes through the store it was given.
    def enqueue_alert(self, key: str, channel: str, event: Event, thread_key: str | None) -> bool:
        return self.outbox.enqueue_alert(key, channel, event, thread_key)

    def add_alert_outlet(self, key: str, outlet: str) -> bool:
        return self.outbox.add_outlet(key, outlet)

    def is_suppressed(self, channel: str, statement_id: int, event_type: EventType) -> bool:
        return self.outbox.is_suppressed(channel, statement_id, event_type)

    # -- articles -------------------------------------------------------------------------
    def add_article(self, article: Article, content_hash: str) -> tuple[int, bool]:
        """Store an article once: by url, or by the same words from the same outlet.

        A url already stored with other words keeps the stored article, and says so in a log
        line, not to drop the new text unseen; the same words again are silent (a re-run)."""
        with self.lock:
            conn = self.db.conn  # once per article: no sqlite-utils savepoint or table lookups
            row = conn.execute(
                "select id, url = ? and content_hash != ? from articles "
                "where url = ? or (outlet = ? and content_hash = ?) "
                "order by url = ? desc limit 1",
                [article.url, content_hash, article.url, article.outlet, content_hash, article.url],
            ).fetchone()
            if row:
                if row[1]:
                    log.warning(
                        "%s is already stored with other text: the stored article is kept "
                        "(one article per url)",
                        article.url,
                    )
                return int(row[0]), False
            cursor = conn.execute(
                "insert into articles (url, outlet, title, published, language, author, text, "
                "content_hash, ingested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article.url,
                    article.outlet,
                    article.title,
                    _iso(article.published),
                    article.language,
                    article.author,
                    article.text,
                    content_hash,
                    utcnow(),
                ],
            )
            assert cursor.lastrowid is not None
            return int(cursor.lastrowid), True

    def article_count(self) -> int:
        with self.lock:
            return self.db.table("articles").count

    # -- statements and quotes ------------------------------------------------------------
    def add_statement(self, speaker: str | None, canonical: str, article_id: int) -> int:
        """A new statement, or the one already stored with these words by this speaker (another
        writer may have stored it first: the unique wording key keeps them one). Inside
        `transaction` it is written with the others the transaction adds, under the id SQLite
        would give it (the transaction holds the write lock: no one else adds one meanwhile)."""
        key = wording_key(speaker, canonical)
        with self.lock:
            conn = self.db.conn
            if self._new is not None and key in self._new:
                return int(self._new[key][0])
            row = conn.execute("select id from statements where wording_key = ?", [key]).fetchone()
            if row is not None:
                return int(row[0])
            if self._article is None or self._article[0] != article_id:
                art = conn.execute(
                    "select outlet, url, published from articles where id = ?", [article_id]
                ).fetchone()
                self._article = (article_id, tuple(art or (None, None, None)))
            new = (speaker, canonical, article_id, *self._article[1], 0, utcnow(), key)
            if self._new is None:  # outside a transaction: written at once, unless another
                self._article = None  # writer has just stored the same words
                cursor = conn.execute(
                    f"insert or ignore into statements ({_STATEMENT_COLUMNS}) "
                    f"values ({marks(len(new))})",
                    new,
                )
                if cursor.rowcount == 1:
                    return int(cursor.lastrowid or 0)
                row = conn.execute(
                    "select id from statements where wording_key = ?", [key]
                ).fetchone()
                assert row is not None
                return int(row[0])
            if self._new:
                statement_id = int(next(reversed(self._new.values()))[0]) + 1
            else:
                top = conn.execute("select coalesce(max(id), 0) from statements").fetchone()
                statement_id = int(top[0]) + 1
            self._new[key] = (statement_id, *new)
            return statement_id

    def _write_new(self) -> None:
        """Write the statements the transaction added so far (before anything reads them)."""
        if self._new:
            rows, self._new = list(self._new.values()), {}
            insert_rows(self.db.conn, f"insert into statements (id, {_STATEMENT_COLUMNS})", rows)

    def add_tracked_statement(self, text: str, speaker: str | None) -> tuple[int, Statement | None]:
        """Pin a statement by hand: a claim, not necessarily a quote of any article. Words this
        speaker is already stored saying (typography folded, as `add_statement` compares them)
        pin that statement instead of adding another; a statement pinned twice stays one. The
        id, and the statement as it was stored before (None: a new one)."""
        key = wording_key(speaker, text)
        with self.lock, write_transaction(self.db):
            self._write_new()
            conn = self.db.conn
            found = self._tracked_with_key(key)
            if found is None:
                row = conn.execute(
                    "select id from statements where wording_key = ?", [key]
                ).fetchone()
                found = int(row[0]) if row is not None else None
            if found is not None:
                before = self.statements_by_id([found])[found]
                if not before.tracked:
                    conn.execute("update statements set tracked = 1 where id = ?", [found])
                return found, before
            cursor = conn.execute(
                "insert into statements (speaker, canonical, quote_count, tracked, first_outlet, "
                "first_url, created_at, wording_key) values (?, ?, 0, 1, ?, '', ?, ?)",
                [speaker, text, "tracked by hand", utcnow(), key],
            )
            assert cursor.lastrowid is not None
            return int(cursor.lastrowid), None

    def _tracked_with_key(self, key: str) -> int | None:
        """The oldest statement pinned by hand with these words: one with the key, or one
        pinned before pinned statements had keys (m005 gave them none; several may share the
        words, each kept with what links to it)."""
        for sid, speaker, canonical, stored in self.db.conn.execute(
            "select id, speaker, canonical, wording_key from statements where tracked = 1 "
            "order by id"
        ):
            if stored == key or (stored is None and wording_key(speaker, canonical) == key):
                return int(sid)
        return None

    def add_quote(self, article_id: int, quote: Quote, cls: Classification) -> None:
        self.add_quotes(article_id, [(quote, cls)])

    def add_quotes(self, article_id: int, quotes: Sequence[tuple[Quote, Classification]]) -> None:
        """An article's quotes, in order, with a few statements: a quote already stored (same
        span) is kept as it was; each quote stored adds its wording to its statement and one
        to its statement's count, counted once per statement."""
        with self.lock, write_transaction(self.db):
            self._write_new()
            conn = self.db.conn
            spans = {
                (r[0], r[1])
                for r in conn.execute(
                    "select [start], [end] from quotes where article_id = ?", [article_id]
                )
            }
            kept = []
            for quote, cls in quotes:
                if (quote.start, quote.end) not in spans:
                    spans.add((quote.start, quote.end))
                    kept.append(_quote_row(article_id, quote, cls))
            insert_rows(conn, _INSERT_QUOTE, kept)
            linked = [(r[1], r[2]) for r in kept if r[1] is not None]
            insert_rows(
                conn, "insert or ignore into statement_wordings (statement_id, text)", linked
            )
            counts = Counter(sid for sid, _ in linked)
            conn.executemany(
                "update statements set quote_count = quote_count + ? where id = ?",
                [(n, sid) for sid, n in counts.items()],
            )

    def known_statements(self, ids: Sequence[int]) -> list[KnownStatement]:
        """Statements with every distinct wording seen, for the matcher."""
        if not ids:
            return []
        with self.lock:  # once per quote: one query, each statement with its wordings in order
            rows = self.db.conn.execute(
                f"select s.id, s.speaker, s.canonical, w.text from statements s "
                f"left join statement_wordings w on w.statement_id = s.id "
                f"where s.id in ({marks(len(ids))}) order by w.rowid",
                list(ids),
            ).fetchall()
            if self._new:  # added by this transaction, not yet written: no wordings stored yet
                asked = set(ids)
                rows += [(*r[:3], None) for r in self._new.values() if r[0] in asked]
        found: dict[int, tuple[str | None, str, list[str]]] = {}
        for sid, speaker, canonical, text in rows:
            _, _, variants = found.setdefault(sid, (speaker, canonical, []))
            if text is not None and text != canonical:
                variants.append(text)
        by_id = {
            sid: KnownStatement(sid, speaker, canonical, tuple(variants))
            for sid, (speaker, canonical, variants) in found.items()
        }
        return [by_id[i] for i in ids if i in by_id]

    def iter_wordings(self) -> Iterator[tuple[int, str | None, str]]:
        """Every statement's canonical wording and variants: to load the candidate index."""
        rows, _ = self.wordings_since(NO_WORDINGS)
        yield from rows

    def wording_mark(self) -> WordingMark:
        """How far the stored wordings go: the last statement id and wording row."""
        with self.lock:
            self._write_new()
            row = self.db.execute(
                "select (select coalesce(max(id), 0) from statements), "
                "(select coalesce(max(rowid), 0) from statement_wordings)"
            ).fetchone()
        return int(row[0]), int(row[1])

    def wording_changes(self) -> int:
        """How many times a stored wording was deleted, rewritten or added below the newest."""
        with self.lock:
            row = self.db.conn.execute("select changes from wording_changes").fetchone()
        return int(row[0]) if row else 0

    def rows_at_mark(self, mark: WordingMark) -> list[object] | None:
        """The statements and wording rows at ``mark`` and at every power of two below it, the
        first article and the count of wording changes other than appending (None when the
        mark's rows are gone): a saved index made at ``mark`` fits this store only while these
        are unchanged. The rows tell another database or an older copy; the count, any row
        below the mark deleted, rewritten or added since."""
        out: list[object] = []
        with self.lock:
            self._write_new()
            first = self.db.execute("select url from articles order by id limit 1").fetchone()
            out.append(list(first or ()))
            changes = self.db.execute("select changes from wording_changes").fetchone()
            out.append(list(changes or ()))
            for table, columns, last in (
                ("statements", "id, speaker, canonical", mark[0]),
                ("statement_wordings", "rowid, statement_id, text", mark[1]),
            ):
                at = sorted({last, *(2**k for k in range(last.bit_length()))} - {0})
                rows = self.db.execute(
                    f"select {columns} from {table} where rowid in ({marks(len(at))}) "
                    "order by rowid",
                    at,
                ).fetchall()
                if last and (not rows or rows[-1][0] != last):
                    return None  # the mark names a row the store does not have
                out.extend(list(r) for r in rows)
        return out

    def wordings_since(
        self, mark: WordingMark, most: int | None = None
    ) -> tuple[list[tuple[int, str | None, str]], WordingMark]:
        """The wordings stored after ``mark`` (by any process), and the new mark: the monitor
        adds them to its index before each article, so every writer sees every statement.
        ``most``: go at most this many statement ids and wording rows past ``mark`` (a mark
        that moved less than that on both has reached the store's)."""
        with self.lock:
            self._write_new()
            new_mark = self.wording_mark()
            if most is not None:
                new_mark = (min(new_mark[0], mark[0] + most), min(new_mark[1], mark[1] + most))
            rows = self.db.execute(
                "select id, speaker, canonical from statements where id > ? and id <= ? "
                "order by id",
                [mark[0], new_mark[0]],
            ).fetchall()
            rows += self.db.execute(
                "select w.statement_id, s.speaker, w.text from statement_wordings w "
                "join statements s on s.id = w.statement_id where w.rowid > ? and w.rowid <= ? "
                "and w.text != s.canonical order by w.rowid",
                [mark[1], new_mark[1]],
            ).fetchall()
        return [(int(r[0]), r[1], r[2]) for r in rows], new_mark

    def first_appearance(self, statement_id: int) -> Appearance | None:
        return self.first_appearances([statement_id]).get(statement_id)

    def first_appearances(self, ids: Iterable[int]) -> dict[int, Appearance]:
        """Where each statement of ``ids`` was first quoted (those that say: not a tracked one)."""
        found: dict[int, Appearance] = {}
        with self.lock:  # once per article: the connection itself, no sqlite-utils rows
            self._write_new()
            for batch in in_batches(list(dict.fromkeys(ids))):
                for sid, outlet, url, published in self.db.conn.execute(
                    "select id, first_outlet, first_url, first_published from statements "
                    f"where id in ({marks(len(batch))})",
                    list(batch),
                ):
                    if outlet:
                        found[sid] = Appearance(outlet, url or "", parse_time(published))
        return found

    def statements_by_id(self, ids: Sequence[int]) -> dict[int, Statement]:
        rows: list[dict[str, Any]] = []
        outlets: dict[int, list[str]] = {}
        with self.lock:  # a week's digest asks for tens of thousands: a few hundred at a time
            self._write_new()
            for batch in in_batches(list(ids)):
                where = f"in ({marks(len(batch))})"
                rows += self._rows(f"select * from statements where id {where}", batch)
                for sid, outlet in self.db.conn.execute(
                    "select distinct q.statement_id, a.outlet from quotes q join articles a on "
                    f"a.id = q.article_id where q.statement_id {where} order by a.id",
                    list(batch),
                ):
                    outlets.setdefault(sid, []).append(outlet)
        return {r["id"]: self._statement(r, outlets.get(r["id"], [])) for r in rows}

    def tracked_statements(self) -> list[Statement]:
        with self.lock:  # once per article
            self._write_new()
            rows = self._rows("select * from statements where tracked = 1", [])
        return [self._statement(r, []) for r in rows]

    @staticmethod
    def _statement(row: dict[str, Any], outlets: list[str]) -> Statement:
        return Statement(
            id=row["id"],
            speaker=row["speaker"],
            canonical=row["canonical"],
            first=Appearance(
                row["first_outlet"] or "",
                row["first_url"] or "",
                parse_time(row["first_published"]),
            ),
            quote_count=row["quote_count"] or 0,
            outlets=tuple(outlets),
            tracked=bool(row["tracked"]),
        )

    # -- routing set from chat ------------------------------------------------------------
    def saved_routes(self) -> list[ChannelRoute]:
        """The routing saved from chat, channel by channel. A row that cannot be read back is
        left out with a line saying so (its channel keeps the configured routing, the row is
        kept as it is): one damaged row must not stop the bot from starting."""
        with self.lock:
            rows = list(self.db.query("select * from channel_routes order by channel"))
        routes = []
        for r in rows:
            try:
                routes.append(
                    ChannelRoute(
                        channel=r["channel"],
                        alerts=frozenset(EventType(t) for t in json.loads(r["alerts"])),
                        speakers=tuple(json.loads(r["speakers"])),
                        new_statements=r["new_statements"],
                        digest_at=r["digest_at"],
                        timezone=r["timezone"],
                        min_severity=Severity(r["min_severity"] or "low"),
                    )
                )
            except UNREADABLE as exc:
                log.warning(
                    "routing saved for %s not used: %s; the channel keeps its configured routing",
                    r["channel"],
                    cannot_read(exc, "routing"),
                )
        return routes

    def save_route(self, route: ChannelRoute, user: str) -> None:
        with self.lock:
            self.db.table("channel_routes").upsert(
                {
                    "channel": route.channel,
                    "alerts": json.dumps(sorted(t.value for t in route.alerts)),
                    "speakers": json.dumps(list(route.speakers)),
                    "new_statements": route.new_statements,
                    "digest_at": route.digest_at,
                    "timezone": route.timezone,
                    "min_severity": route.min_severity.value,
                    "updated_by": user,
                    "updated_at": utcnow(),
                },
                pk="channel",
            )

    # -- events ---------------------------------------------------------------------------
    def add_event(self, key: str, event: Event, article_id: int | None) -> bool:
        """Record an event once; False when its key was already recorded."""
        return self.add_events([(key, event)], article_id)[0]

    def add_events(self, events: Sequence[tuple[str, Event]], article_id: int | None) -> list[bool]:
        """Record each keyed event once, in order, with one read and a few inserts; for each,
        False when its key was already recorded (before, or earlier in ``events``)."""
        with self.lock:
            conn = self.db.conn
            keys = list(dict.fromkeys(key for key, _ in events))
            stored: set[str] = set()
            for batch in in_batches(keys):
                stored.update(
                    r[0]
                    for r in conn.execute(
                        f"select key from events where key in ({marks(len(batch))})", batch
                    )
                )
            added, rows, now = [], [], utcnow()  # recorded together: one time
            for key, event in events:
                added.append(key not in stored)
                if added[-1]:
                    stored.add(key)
                    payload = json.dumps(event_to_dict(event))
                    rows.append(
                        (key, event.type.value, article_id, event.statement_id, payload, now)
                    )
            insert_rows(
                conn,
                "insert or ignore into events (key, type, article_id, statement_id, payload, "
                "created_at)",
                rows,
            )
        return added

    def _rows(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        """Rows as dicts, read on the connection itself (a read needs no savepoint)."""
        cursor = self.db.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


class Lookups(OnDatabase):
    """Read-only queries behind `/verbatim quote`, `speaker` and the sources button."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.db, store.lock)
        self.store = store

    def search_statements(self, words: str, limit: int = 5) -> list[Statement]:
        """Statements whose canonical wording or any variant matches ``words`` (full text)."""
        query = _fts_query(words)
        with self.lock:
            ranked = list(
                self.db.query(
                    "select statements.id as id, statements_fts.rank as rank from statements_fts "
                    "join statements on statements.rowid = statements_fts.rowid "
                    "where statements_fts match ? union all "
                    "select quotes.statement_id as id, quotes_fts.rank as rank from quotes_fts "
                    "join quotes on quotes.rowid = quotes_fts.rowid "
                    "where quotes_fts match ? and quotes.statement_id is not null "
                    "order by rank limit 200",
                    [query, query],
                )
            )
        ids = list(dict.fromkeys(r["id"] for r in ranked))[:limit]
        by_id = self.store.statements_by_id(ids)
        return [by_id[i] for i in ids if i in by_id]

    def variants(self, statement_id: int) -> list[Variant]:
        with self.lock:
            rows = list(
                self.db.query(
                    "select q.id, q.text, q.speaker, q.relation, q.changes, q.diff, a.outlet, "
                    "a.url, "
                    "a.published from quotes q join articles a on a.id = q.article_id "
                    "where q.statement_id = ? order by a.published, q.id",
                    [statement_id],
                )
            )
        found = []
        for r in rows:
            try:
                changes = tuple(change_from_dict(c) for c in json.loads(r["changes"] or "[]"))
                diff = diff_from_list(json.loads(r["diff"] or "[]"))
            except UNREADABLE as exc:  # the other variants are still shown
                log.warning("quote #%s skipped: %s", r["id"], cannot_read(exc, "changes or diff"))
                continue
            found.append(
                Variant(
                    text=r["text"],
                    appearance=Appearance(r["outlet"], r["url"], parse_time(r["published"])),
                    relation=Relation(r["relation"]),
                    speaker=r["speaker"],
                    changes=changes,
                    diff=diff,
                )
            )
        return found

    def statements_by_speaker(self, name: str, limit: int = 10) -> list[Statement]:
        from bot.core.speaker_names import same_person

        with self.lock:
            rows = list(
                self.db.query(
                    "select id, speaker from statements where speaker is not null "
                    "order by id desc limit 5000"
                )
            )
        ids = [r["id"] for r in rows if same_person(r["speaker"], name)][:limit]
        by_id = self.store.statements_by_id(ids)
        return [by_id[i] for i in ids if i in by_id]

    def speaker_names(self, prefix: str, limit: int = 25) -> list[str]:
        with self.lock:
            rows = self.db.query(
                "select speaker, count(*) n from statements where speaker like ? "
                "group by speaker order by n desc limit ?",
                [f"%{prefix}%", limit],
            )
            return [r["speaker"] for r in rows]


_STATEMENT_COLUMNS = (
    "speaker, canonical, first_article_id, first_outlet, first_url, first_published, "
    "quote_count, created_at, wording_key"
)
_INSERT_QUOTE = (
    "insert or ignore into quotes (article_id, statement_id, text, [start], [end], kind, speaker, "
    "speaker_mention, cue, relation, score, changes, diff)"
)


def _quote_row(article_id: int, quote: Quote, cls: Classification) -> tuple[Any, ...]:
    return (
        article_id,
        cls.statement_id,
        quote.text,
        quote.start,
        quote.end,
        quote.kind.value,
        quote.speaker,
        quote.speaker_mention,
        quote.cue,
        cls.relation.value,
        cls.score,
        json.dumps([change_to_dict(c) for c in cls.changes]) if cls.changes else "[]",
        json.dumps(diff_to_list(cls.diff)),
    )


def _fts_query(words: str) -> str:
    """User words as a safe FTS5 query: each word quoted, all required."""
    tokens = [t for t in re.findall(r"\w+", words) if t]
    return " ".join(f'"{t}"' for t in tokens) or '""'
