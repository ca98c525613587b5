"""The database in Datasette with the committed metadata: a real server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.models import Article
from bot.core.routing import ChannelRoute
from tests.conftest import REPO

METADATA = REPO / "storage" / "datasette" / "metadata.json"
CANON = "We will not close the Ostrava plant before the end of the year"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(path: Path) -> None:
    """A few articles published yesterday: an alteration and a dispute this week."""
    yesterday = datetime.now(UTC) - timedelta(days=1)
    app = open_app(
        settings=Settings(
            db_path=path,
            routes=(ChannelRoute("console:desk", new_statements="all"),),
            sample_feed=False,
            console=False,
        )
    )
    for n, (outlet, text) in enumerate(
        [
            ("Harbour Ledger", f"“{CANON},” said Clara Vennholt, the mayor of Ostrava."),
            (
                "Northfield Gazette",
                "“We will close the Ostrava plant before the end of the year,” Clara Vennholt, "
                "the mayor, said on Monday.",
            ),
            (
                "Daily Lantern",
                f"Clara Vennholt, the mayor, said: “{CANON}.” Tomas Brill, the union leader, "
                "posted a scathing response to Ms. Vennholt’s promise. “The plant is already "
                "closing,” he said.",
            ),
        ]
    ):
        app.monitor.ingest(Article(f"https://news.example/{n}", outlet, "Plant", text, yesterday))
    app.close()


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_datasette_serves_the_canned_queries_and_descriptions(tmp_path: Path) -> None:
    pytest.importorskip("datasette", reason="datasette is an optional extra: pip install datasette")
    db = tmp_path / "verbatim.db"  # Datasette names the database after the file
    _database(db)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(METADATA),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to about 30 s for the server to listen; never a timed check
            try:
                _get(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    pytest.fail(f"datasette exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
                time.sleep(0.1)
        rows = _get(f"{base}/verbatim/alterations_this_week.json?_shape=array")
        assert isinstance(rows, list)
        [alteration] = rows
        assert alteration["outlet"] == "Northfield Gazette"
        assert alteration["speaker"] == "Clara Vennholt"
        assert alteration["changes"] == "negation (high)"
        assert alteration["printed_as"].startswith("We will close the Ostrava plant")
        disputes = _get(f"{base}/verbatim/disputes_by_outlet.json?_shape=array")
        assert disputes == [
            {
                "outlet": "Daily Lantern",
                "disputes": 1,
                "statements": 1,
                "disputed_by": "Tomas Brill",
            }
        ]
        speakers = _get(f"{base}/verbatim/statements_by_speaker.json?_shape=array")
        assert isinstance(speakers, list)
        assert {s["speaker"] for s in speakers} == {"Clara Vennholt", "Tomas Brill"}
        # The descriptions and the event -> statement link, as Datasette reads them.
        meta = _get(f"{base}/-/metadata.json")
        assert isinstance(meta, dict)
        tables = meta["databases"]["verbatim"]["tables"]
        assert tables["statements"]["description"].startswith("What one speaker said once")
        assert tables["events"]["columns"]["statement_id"] == "The statement it concerns"
        events = _get(f"{base}/verbatim/events.json?_labels=on&type=dispute&_shape=array")
        assert isinstance(events, list)
        assert events[0]["statement_id"]["label"].startswith(CANON)  # followed to the statement
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_every_table_and_column_described_exists() -> None:
    import sqlite3

    from storage.db import open_db

    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    tables = meta["databases"]["verbatim"]["tables"]
    db = open_db(":memory:")
    for name, table in tables.items():
        assert db.table(name).exists(), f"{name} is described but not in the schema"
        columns = set(db.table(name).columns_dict)
        assert set(table.get("columns", {})) <= columns, name
    for name in ("articles", "quotes", "statements", "events", "alerts"):
        assert set(tables[name]["columns"]) == set(db.table(name).columns_dict), name
    for name, query in meta["databases"]["verbatim"]["queries"].items():
        db.execute(query["sql"]).fetchall()  # each canned query runs on an empty database
        assert query["title"] and query["description"], name
    assert isinstance(db.conn, sqlite3.Connection)
