"""Opening the SQLite database: WAL, foreign keys, a busy timeout, and every migration set."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlite_utils
from sqlite_utils import Migrations

from bot.core.errors import DatabaseUnusable

log = logging.getLogger(__name__)

# How long a writer waits for another process's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000


T = TypeVar("T")
IN_BATCH = 500  # values bound in one ``in (…)``: far below any SQLite build's variable limit


def in_batches(items: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for one ``where x in (?, ?, …)`` each."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


# What reading a stored JSON payload back can raise when the row was damaged or edited by hand:
# not JSON, not an object, a field of the wrong type or value, nesting too deep.
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, RecursionError)


def cannot_read(exc: BaseException, what: str = "payload") -> str:
    """Why a stored payload (or another stored JSON column, ``what``) cannot be read back, in
    one line: for a log line, or the reason kept on the row."""
    return f"its stored {what} cannot be read ({type(exc).__name__}: {exc})"[:500]


def marks(n: int) -> str:
    """``?, ?, ?`` for ``n`` bound values."""
    return ", ".join("?" * n)


def insert_rows(conn: sqlite3.Connection, insert: str, rows: Sequence[Sequence[object]]) -> None:
    """``insert`` (``insert … (a, b, c)``, without ``values``) of every row, a few hundred bound
    values to a statement. One statement per row would cost a statement journal, and a flush
    of the full-text index's pending words by its trigger, for each row; a row ``or ignore``
    skips is skipped alone, and rows keep their order (so their rowids)."""
    if not rows:
        return
    width = len(rows[0])
    one = f"({marks(width)})"
    for chunk in in_batches(rows, max(1, IN_BATCH // width)):
        values = [value for row in chunk for value in row]
        conn.execute(f"{insert} values {', '.join([one] * len(chunk))}", values)


def migration_sets() -> list[Migrations]:
    """Every migration set, core first; each area of the product owns its own set."""
    from storage import core_schema

    sets = [core_schema.migrations]
    for module in ("storage.feeds", "storage.topics", "storage.outbox", "storage.route_options"):
        try:
            mod = __import__(module, fromlist=["migrations"])
        except ImportError:  # an area not installed in this build
            continue
        sets.append(mod.migrations)
    return sets


def open_db(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` (":memory:" for a scratch one); a
    missing directory for it is created, saying so (the first run's `var/`).

    Raises `DatabaseUnusable` when the file cannot be opened as a SQLite database. The
    connection may be used from several threads (the asyncio bot hands work to a worker
    thread), so callers must serialise access through `storage.store.Store.lock`.
    """
    in_memory = str(path) == ":memory:"
    if not in_memory:
        if Path(path).is_dir():
            raise DatabaseUnusable(f"database {path} is a directory, not a database file")
        _make_directory(Path(path))
    try:
        conn = sqlite3.connect(
            str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        db = sqlite_utils.Database(conn)
        db.execute("select count(*) from sqlite_master")  # reads the header: is it SQLite?
    except sqlite3.Error as exc:
        raise DatabaseUnusable(f"database {path} cannot be opened: {exc}") from None
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            db.enable_wal()
    except sqlite3.Error as exc:
        db.close()
        raise DatabaseUnusable(f"database {path} cannot be opened: {exc}") from None
    db.execute("PRAGMA synchronous = NORMAL")
    # Statement journals (one per statement that fires a trigger: every full-text index write)
    # and sorts in memory, not in temporary files created and deleted each time.
    db.execute("PRAGMA temp_store = MEMORY")
    if migrate:
        for migrations in migration_sets():
            migrations.apply(db)
    return db


def _make_directory(path: Path) -> None:
    folder = path.parent
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True)
    except FileExistsError:  # a file where the folder should be, or made meanwhile
        if not folder.is_dir():
            raise DatabaseUnusable(f"database {path}: {folder} is not a directory") from None
        return
    except OSError as exc:
        raise DatabaseUnusable(
            f"database {path}: cannot create its directory {folder} ({exc.strerror or exc})"
        ) from None
    log.warning("created the directory %s for the database %s", folder, path.name)


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """All or nothing, taking the write lock up front (``BEGIN IMMEDIATE``).

    A deferred transaction that reads first and writes later fails at once with "database is
    locked" when another process holds the lock; an immediate one waits the busy timeout.
    Nested use becomes a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class DbLock:
    """One writer: a re-entrant lock every store method takes around its statements."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class OnDatabase:
    """A store of one database, whose statements run behind the one-writer lock: the app's
    (`bot.bootstrap` hands every store the same one) or, opened alone, a lock of its own."""

    def __init__(self, db: sqlite_utils.Database, lock: DbLock | None = None) -> None:
        self.db = db
        self.lock = lock or DbLock()
