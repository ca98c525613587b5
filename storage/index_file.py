"""The matching index saved beside the database, so start-up reads it instead of rebuilding it.

The file holds the index and the wording mark it reached, with a fingerprint of the store at
that mark (the statement and the wording row the mark names). It is used only when the store
still has those rows unchanged; the monitor then indexes what was stored after the mark.
Anything else — no file, another database's file, a damaged or older format, a store rewound
past the mark — is refused with a log line, and the monitor rebuilds the index from the store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from bot.core.matching import StatementIndex
from storage.store import Store, WordingMark

log = logging.getLogger(__name__)

MAGIC = b"verbatim-index\n"


def index_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".index")


class IndexFile:
    """Load and save the index of ``store`` at ``path``."""

    def __init__(self, path: Path, store: Store) -> None:
        self.path = path
        self.store = store

    def _fingerprint(self, mark: WordingMark, first_article: bool) -> str | None:
        """The hash of the store's rows at ``mark`` (None when the store no longer holds it);
        without the first article's url when the index was saved before the store held any
        article (statements tracked by hand first): an article stored since belongs to this
        database, it does not make it another one."""
        rows = self.store.rows_at_mark(mark)
        if rows is None:
            return None
        if not first_article:
            rows[0] = []
        return hashlib.sha256(json.dumps([list(mark), rows]).encode()).hexdigest()

    def load(self) -> tuple[StatementIndex, WordingMark] | None:
        """The saved index and its mark, or None when it is missing or does not fit the store."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("index file %s unreadable (%s): rebuilding the index", self.path, exc)
            return None
        try:
            if not data.startswith(MAGIC):
                raise ValueError("not an index file")
            header, body = data[len(MAGIC) :].split(b"\n", 1)
            meta = json.loads(header)
            mark: WordingMark = (int(meta["mark"][0]), int(meta["mark"][1]))
            if meta["fingerprint"] != self._fingerprint(mark, meta.get("first_article", True)):
                raise ValueError("made from another state of the database")
            index = StatementIndex.from_bytes(body)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("index file %s not used (%s): rebuilding the index", self.path, exc)
            return None
        return index, mark

    def save(self, index: StatementIndex, mark: WordingMark) -> None:
        """Write the index atomically (a reader sees the old file or the new one, whole)."""
        first_article = self.store.article_count() > 0
        fingerprint = self._fingerprint(mark, first_article)
        if fingerprint is None:
            return  # the store no longer holds the mark: nothing consistent to save
        header = json.dumps(
            {"mark": list(mark), "fingerprint": fingerprint, "first_article": first_article}
        ).encode()
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                fh.write(MAGIC + header + b"\n")
                fh.write(index.to_bytes())
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("index file %s not saved (%s); start-up will rebuild it", self.path, exc)
            tmp.unlink(missing_ok=True)
