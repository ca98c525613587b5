"""The matching index saved beside the database: used only while it fits the store."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.core.matching import StatementIndex
from bot.core.models import Article, Classification, Quote, QuoteKind, Relation
from bot.core.monitor import Monitor
from storage.db import open_db
from storage.index_file import IndexFile, index_path
from storage.store import Store

WORDS = [
    ("Mara Lindqvist", "We will open the harbour bridge before the winter storms."),
    ("Pavel Dahl", "The ferry line will carry 400 passengers a day by spring."),
    ("Edda Strand", "Not me,"),
]


def _store(path: Path, words: list[tuple[str, str]] = WORDS) -> Store:
    store = Store(open_db(path))
    article_id, _ = store.add_article(Article(f"https://x.example/{path.stem}", "X", "t", "b"), "h")
    for n, (speaker, text) in enumerate(words):
        sid = store.add_statement(speaker, text, article_id)
        quote = Quote(text, n * 100, n * 100 + len(text), QuoteKind.DIRECT, speaker)
        store.add_quote(article_id, quote, Classification(Relation.NEW, sid, 1.0))
    return store


def _save(store: Store, saved: IndexFile) -> None:
    monitor = Monitor(store, [], saved=saved)
    assert len(monitor.index) > 0
    monitor.save_index()


def _rebuilt(store: Store) -> StatementIndex:
    index = StatementIndex()
    for sid, speaker, text in store.iter_wordings():
        index.add(sid, speaker, text)
    return index


def test_a_saved_index_loads_as_the_one_rebuilt_from_the_store(tmp_path: Path) -> None:
    store = _store(tmp_path / "v.db")
    saved = IndexFile(index_path(tmp_path / "v.db"), store)
    monitor = Monitor(store, [], saved=saved)
    monitor.save_index()
    assert not (tmp_path / "v.db.index").exists()  # an index never used is not written
    assert len(monitor.index) == 3
    monitor.save_index()
    assert (tmp_path / "v.db.index").exists()
    loaded = saved.load()
    assert loaded is not None
    index, mark = loaded
    assert mark == store.wording_mark()
    rebuilt = _rebuilt(store)
    assert index.entries() == rebuilt.entries() > 0 and len(index) == len(rebuilt) == 3
    for _, text in WORDS:
        assert index.candidates(text) == rebuilt.candidates(text) != []


def test_wordings_stored_after_the_save_are_caught_up(tmp_path: Path) -> None:
    store = _store(tmp_path / "v.db", WORDS[:2])
    saved = IndexFile(tmp_path / "v.db.index", store)
    _save(store, saved)
    later = _store(tmp_path / "v.db", WORDS[2:])  # another writer, after the save
    monitor = Monitor(later, [], saved=IndexFile(tmp_path / "v.db.index", later))
    assert monitor.index.entries() == _rebuilt(later).entries()
    assert len(monitor.index) == 3


@pytest.mark.parametrize("case", ["another database", "damaged", "not an index", "rewound"])
def test_an_index_that_does_not_fit_the_store_is_rebuilt(
    tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = _store(tmp_path / "v.db")
    path = tmp_path / "v.db.index"
    _save(store, IndexFile(path, store))
    if case == "another database":
        other = [("Rune Falk", "The wind farm will power 9,000 homes."), *WORDS[1:]]
        store = _store(tmp_path / "other.db", other)
    elif case == "damaged":
        path.write_bytes(path.read_bytes()[:-20])
    elif case == "not an index":
        path.write_bytes(b"hello")
    else:  # the database is an older copy than the index
        store = _store(tmp_path / "older.db", WORDS[:1])
    saved = IndexFile(path, store)
    with caplog.at_level(logging.WARNING):
        assert saved.load() is None
    assert "rebuilding the index" in caplog.text
    monitor = Monitor(store, [], saved=saved)
    assert monitor.index.entries() == _rebuilt(store).entries()


def test_an_index_rebuilt_in_small_slices_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.core.monitor as monitor_module

    store = _store(tmp_path / "v.db")
    article_id, _ = store.add_article(Article("https://x.example/2", "X", "t", "c"), "h2")
    sid = store.known_statements([1])[0].id
    variant = Quote("We will open the harbour bridge before the storms.", 0, 50, QuoteKind.DIRECT)
    store.add_quote(article_id, variant, Classification(Relation.ALTER, sid, 0.9))
    whole = Monitor(store, []).index
    monkeypatch.setattr(monitor_module, "CATCH_UP_SLICE", 1)
    sliced = Monitor(store, []).index
    assert sliced.entries() == whole.entries() == _rebuilt(store).entries()
    assert len(sliced) == len(whole) == 3
    assert store.wordings_since((0, 0), most=1) == ([(1, WORDS[0][0], WORDS[0][1])], (1, 1))


MORE = [
    (f"Speaker {n}", f"The quay number {n} will open to ferries in {2030 + n}.") for n in range(6)
]


@pytest.mark.parametrize(
    "edit",
    [
        "update statements set canonical = 'The quay will close.' where id = 3",
        "update statements set speaker = 'Someone Else' where id = 5",
        "delete from quotes where statement_id = 3; delete from statements where id = 3",
        "update statement_wordings set text = 'The quay will close.' where rowid = 5",
        "delete from statement_wordings where rowid = 3",
    ],
)
def test_a_row_changed_below_the_mark_anywhere_makes_the_index_unfit(
    tmp_path: Path, edit: str
) -> None:
    """Rows 3 and 5 are neither the mark (6) nor a power of two: the sampled rows alone do not
    see them change; the count of changes does."""
    store = _store(tmp_path / "v.db", MORE)
    saved = IndexFile(tmp_path / "v.db.index", store)
    _save(store, saved)
    assert store.wording_mark() == (6, 6)
    assert saved.load() is not None
    store.db.conn.executescript(edit)  # outside the bot, which only appends
    assert saved.load() is None
    assert Monitor(store, [], saved=saved).index.entries() == _rebuilt(store).entries()


def test_a_statement_added_below_the_newest_makes_the_index_unfit(tmp_path: Path) -> None:
    store = _store(tmp_path / "v.db", MORE)
    store.db.conn.executescript(
        "delete from quotes where statement_id = 3; delete from statements where id = 3"
    )
    saved = IndexFile(tmp_path / "v.db.index", store)
    _save(store, saved)
    assert saved.load() is not None
    store.db.execute(
        "insert into statements (id, speaker, canonical, quote_count, created_at) "
        "values (3, 'Rune Falk', 'The wind farm will power 9,000 homes.', 0, '2026-01-01')"
    )
    assert store.wording_mark() == (6, 6)  # the same mark: catching up would never see it
    assert saved.load() is None


def test_the_index_is_saved_while_running_not_only_at_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.core.monitor as monitor_module

    monkeypatch.setattr(monitor_module, "RESAVE_AFTER", 3)
    store = Store(open_db(tmp_path / "v.db"))
    path = tmp_path / "v.db.index"
    monitor = Monitor(store, [], saved=IndexFile(path, store))
    said = " ".join(f"“{text}” said {speaker}." for speaker, text in MORE[:2])
    monitor.ingest(Article("https://x.example/1", "X", "t", said))
    assert not path.exists()  # two wordings: not yet
    more = " ".join(f"“{text}” said {speaker}." for speaker, text in MORE[2:4])
    monitor.ingest(Article("https://x.example/2", "X", "t", more))
    assert path.exists()  # no close: a crash now loses nothing of the index
    loaded = IndexFile(path, store).load()
    assert loaded is not None
    index, mark = loaded
    assert mark == store.wording_mark()
    assert index.entries() == _rebuilt(store).entries() > 0


def test_an_index_saved_before_the_first_article_still_fits(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A press office pins its principal's words first, then the bot reads its first article:
    # the article is this database's, the index saved with the tracked statement still fits.
    store = Store(open_db(tmp_path / "v.db"))
    store.add_tracked_statement("The north pier will reopen in May after the repairs.", "Jo Pihl")
    _save(store, IndexFile(index_path(tmp_path / "v.db"), store))
    later = _store(tmp_path / "v.db", WORDS[:1])  # the first article, after the save
    saved = IndexFile(index_path(tmp_path / "v.db"), later)
    with caplog.at_level(logging.WARNING):
        loaded = saved.load()
    assert loaded is not None and caplog.text == ""
    monitor = Monitor(later, [], saved=saved)
    assert monitor.index.entries() == _rebuilt(later).entries()
    assert len(monitor.index) == 2
    # another database whose first statement differs is still refused
    other = Store(open_db(tmp_path / "other.db"))
    other.add_tracked_statement("The wind farm will power 9,000 homes by spring.", "Rune Falk")
    assert IndexFile(index_path(tmp_path / "v.db"), other).load() is None
