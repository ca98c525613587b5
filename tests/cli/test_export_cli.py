"""`verbatim export` as a spreadsheet reads it: CSV read back with the csv module, JSON a list."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.models import Article
from bot.entrypoints.cli.export import parse_since_date
from storage.history import EXPORTS, export_columns
from tests.conftest import run_cli, write_batch
from tests.end_to_end.test_seeds_cli import _ingest

TRICKY = (
    "The council met on Monday. “=1+1 is what they call a budget, and that is wrong,” said "
    "Clara Vennholt, the mayor of Ostrava. “We will close the pier, the market and the old "
    "ferry before the end of the year,” she added."
)


def _csv(done_stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(done_stdout, newline="")))


def test_statements_as_csv_open_as_a_spreadsheet(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)
    done = run_cli("export", "statements", "--db", str(db), "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("id,speaker,canonical,")
    rows = _csv(done.stdout)
    stored = sqlite3.connect(db).execute(
        "select id, speaker, canonical from statements order by id"
    )
    assert [(int(r["id"]), r["speaker"] or None, r["canonical"]) for r in rows] == list(stored)
    by_id = {r["id"]: r for r in rows}
    reuters = next(r for r in rows if r["canonical"].startswith("This means that one of"))
    assert reuters["first_outlet"] == "Reuters" and reuters["outlets"] == "3"
    assert "Le Monde (English translation, republished copy)" in {
        r["first_outlet"] for r in by_id.values()
    }  # a comma inside a field stays in its column


@pytest.mark.parametrize("what", EXPORTS)
def test_every_export_has_its_header_and_one_row_per_record(tmp_path: Path, what: str) -> None:
    _, _, db = _ingest(tmp_path)
    out = tmp_path / f"{what}.csv"
    done = run_cli("export", what, "--db", str(db), "-o", str(out), "--bom", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,") and raw.count(b"\r\n") >= 2  # RFC 4180 lines
    with out.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        body = list(reader)
    assert header == export_columns(what)
    count = sqlite3.connect(db).execute(f"select count(*) from {what}").fetchone()[0]
    assert len(body) == count > 0 and all(len(r) == len(header) for r in body)
    as_json = json.loads(
        run_cli("export", what, "--db", str(db), "--format", "json", cwd=tmp_path).stdout
    )
    assert isinstance(as_json, list) and len(as_json) == count
    assert all(list(r) == header for r in as_json)


def test_alterations_carry_their_diff_and_since_goes_by_publication(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)
    args = ("export", "events", "--db", str(db), "--format", "json")
    events = json.loads(run_cli(*args, cwd=tmp_path).stdout)
    alters = [e for e in events if e["type"] == "alter" and e["outlet"] == "Reuters"]
    assert not alters  # Reuters is first, never an alteration
    times = [e for e in events if e["type"] == "alter" and "must" in (e["diff"] or "")]
    assert times and all("{+must+}" in e["diff"] and e["changes"] for e in times)
    # Published in December 2022 (ingested today): Le Monde's February statements are left out.
    december = json.loads(run_cli(*args, "--since", "2022-12", cwd=tmp_path).stdout)
    assert december and all(e["published"] >= "2022-12" for e in december)
    assert len(december) < len(events)
    assert json.loads(run_cli(*args, "--since", "2023-01-01", cwd=tmp_path).stdout) == []
    bad = run_cli(*args, "--since", "2022-13", cwd=tmp_path)
    assert bad.returncode == 2 and "--since '2022-13'" in bad.stderr


def test_awkward_words_stay_in_one_cell(tmp_path: Path) -> None:
    outlet = 'The "Harbour" Ledger, Ostrava'
    pier = Article(
        "https://ledger.example/1", outlet, "Pier", TRICKY, datetime(2026, 3, 2, 8, tzinfo=UTC)
    )
    batch = write_batch(tmp_path / "a.jsonl", [pier])
    db = tmp_path / "v.db"
    assert run_cli("ingest", "--silent", "--db", str(db), str(batch), cwd=tmp_path).returncode == 0
    done = run_cli("export", "quotes", "--db", str(db), cwd=tmp_path)
    rows = _csv(done.stdout)
    stored = [r[0] for r in sqlite3.connect(db).execute("select text from quotes order by id")]
    assert len(rows) == len(stored) >= 2
    for row, text in zip(rows, stored, strict=True):
        # A cell a spreadsheet would run as a formula is marked as text; nothing else changes.
        assert row["text"] == ("'" + text if text.startswith("=") else text)
    assert any(r["text"].startswith("'=1+1 is what they call a budget, and") for r in rows)
    assert {r["outlet"] for r in rows} == {outlet}
    as_json = json.loads(
        run_cli("export", "quotes", "--db", str(db), "--format", "json", cwd=tmp_path).stdout
    )
    assert [r["text"] for r in as_json] == stored  # JSON keeps the words exactly


def test_export_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    done = run_cli("export", "statements", "--db", str(tmp_path / "none.db"), cwd=tmp_path)
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert not (tmp_path / "none.db").exists()


def test_since_reads_dates_months_years_and_periods() -> None:
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert parse_since_date("2022-12", now) == datetime(2022, 12, 1, tzinfo=UTC)
    assert parse_since_date("2022", now) == datetime(2022, 1, 1, tzinfo=UTC)
    assert parse_since_date("2022-12-03", now) == datetime(2022, 12, 3, tzinfo=UTC)
    assert parse_since_date("3 December 2022", now) == datetime(2022, 12, 3, tzinfo=UTC)
    assert parse_since_date("7d", now) == datetime(2026, 11, 24, 10, tzinfo=UTC)
    for bad in ("2022-13", "soon", ""):
        with pytest.raises(ValueError):
            parse_since_date(bad, now)
