"""The monitor keeps the statements it read for the matcher between articles: what it keeps must
always be what the store holds, whoever stored or changed it."""

from __future__ import annotations

from pathlib import Path

from bot.core.models import Article, Classification, Quote, QuoteKind, Relation
from bot.core.monitor import Monitor
from storage.db import open_db
from storage.store import Store

SPEAKER = "Mara Lindqvist"
SAID = "We will open the harbour bridge before the winter storms."


def _article(n: int, words: str) -> Article:
    text = f"The council met on Monday.\n\n“{words}” {SPEAKER} said after the vote.\n\nIt ended."
    return Article(f"https://aldren-courier.example/{n}", "The Aldren Courier", f"Bridge {n}", text)


def _relation(monitor: Monitor, n: int, words: str) -> tuple[Relation, int | None]:
    (event,) = monitor.ingest(_article(n, words), silent=True)
    quotes = monitor.store.db.conn.execute(  # type: ignore[attr-defined]
        "select relation, statement_id from quotes where text = ? order by id desc", [words]
    ).fetchall()
    assert event.statement_id == quotes[0][1]
    return Relation(quotes[0][0]), quotes[0][1]


def _monitor(path: Path) -> Monitor:
    return Monitor(Store(open_db(path)), [])


def test_a_wording_another_writer_stored_is_known_to_the_next_article(tmp_path: Path) -> None:
    monitor = _monitor(tmp_path / "v.db")
    relation, sid = _relation(monitor, 1, SAID)
    assert relation is Relation.NEW
    spring = SAID.replace("winter", "spring")
    assert _relation(monitor, 2, spring) == (Relation.ALTER, sid)  # the statement is read now
    # Another process stores one more wording of the statement between two articles.
    other = Store(open_db(tmp_path / "v.db"))
    article_id, _ = other.add_article(_article(3, "x"), "other")
    autumn = SAID.replace("winter", "autumn")
    quote = Quote(autumn, 0, len(autumn), QuoteKind.DIRECT, SPEAKER)
    other.add_quote(article_id, quote, Classification(Relation.ALTER, sid, 0.9))
    # Printed again, those words repeat that wording: the monitor knows it as the store does.
    assert _relation(monitor, 4, autumn) == (Relation.REPEAT, sid)


def test_a_statement_rewritten_in_the_store_is_read_again(tmp_path: Path) -> None:
    monitor = _monitor(tmp_path / "v.db")
    _, sid = _relation(monitor, 1, SAID)
    spring = SAID.replace("winter", "spring")
    assert _relation(monitor, 2, spring) == (Relation.ALTER, sid)
    # Someone corrects the statement's words by hand (the store counts the change).
    summer = SAID.replace("winter", "summer")
    db = open_db(tmp_path / "v.db")
    db.execute("update statements set canonical = ? where id = ?", [summer, sid])
    db.close()
    # The corrected words are the statement's words now: a repeat, not an alteration of the old.
    assert _relation(monitor, 3, summer) == (Relation.REPEAT, sid)
