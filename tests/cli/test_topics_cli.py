"""`verbatim topic ...` and `verbatim digest` as a user runs them, on a real database file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.models import Article
from bot.entrypoints.cli.topics import parse_since
from tests.conftest import run_cli, write_batch


def test_parse_since() -> None:
    assert parse_since("24h") == timedelta(hours=24)
    assert parse_since("7d") == timedelta(days=7)
    with pytest.raises(ValueError, match="like 24h"):
        parse_since("yesterday")


def test_bad_query_shows_a_caret_without_touching_the_database(tmp_path: Path) -> None:
    done = run_cli("topic", "test", "(harbour OR", cwd=tmp_path)
    assert done.returncode == 1
    assert "query ends too early" in done.stdout and "^" in done.stdout
    assert not (tmp_path / "v.db").exists()


def test_topic_lifecycle_and_digest(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    added = run_cli("topic", "add", "harbour", '"harbour tax" OR levy*', "--db", db, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    again = run_cli("topic", "add", "harbour", "port", "--db", db, cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stdout
    listed = run_cli("topic", "list", "--db", db, cwd=tmp_path)
    assert 'console:default  harbour: "harbour tax" OR levy*' in listed.stdout
    tried = run_cli("topic", "test", "levy*", "--db", db, cwd=tmp_path)
    assert tried.returncode == 0 and "0 match(es)" in tried.stdout
    removed = run_cli("topic", "remove", "harbour", "--db", db, cwd=tmp_path)
    assert removed.returncode == 0 and "Removed" in removed.stdout
    text = run_cli("digest", "--db", db, cwd=tmp_path)
    assert text.returncode == 0 and "nothing new" in text.stdout
    chart = tmp_path / "c.png"
    as_json = run_cli("digest", "--json", "--chart", str(chart), "--db", db, cwd=tmp_path)
    assert json.loads(as_json.stdout)["empty"] is True
    assert chart.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "query", ["(" * 245 + "harbour" + ")" * 245, "NOT " * 2000 + "harbour"], ids=["parens", "nots"]
)
def test_deep_queries_answer_with_the_caret_when_tried_and_are_never_saved(
    tmp_path: Path, query: str
) -> None:
    tried = run_cli("topic", "test", query, cwd=tmp_path)
    assert tried.returncode == 1 and "Traceback" not in tried.stderr
    assert "parentheses and NOT nested more than 32 deep at position" in tried.stdout
    assert tried.stdout.rstrip().endswith("^")
    saved = run_cli("topic", "add", "deep", query, "--db", "v.db", cwd=tmp_path)
    assert saved.returncode == 1 and "nested more than 32 deep" in saved.stdout
    listed = run_cli("topic", "list", "--db", "v.db", cwd=tmp_path)
    assert "No topics saved." in listed.stdout


def test_topic_list_and_test_take_json(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    levy = Article(
        "https://ledger.example/1",
        "Harbour Ledger",
        "Levy",
        "“The harbour levy stays where it is this year,” said Clara Vennholt, the mayor.",
        datetime(2026, 3, 2, 8, tzinfo=UTC),
    )
    batch = write_batch(tmp_path / "a.jsonl", [levy])
    assert run_cli("ingest", "--silent", "--db", db, str(batch), cwd=tmp_path).returncode == 0
    run_cli("topic", "add", "levy", "levy*", "--db", db, "--channel", "slack:C1", cwd=tmp_path)
    listed = json.loads(run_cli("topic", "list", "--json", "--db", db, cwd=tmp_path).stdout)
    assert [{k: t[k] for k in ("channel", "name", "query")} for t in listed] == [
        {"channel": "slack:C1", "name": "levy", "query": "levy*"}
    ]
    assert (
        json.loads(
            run_cli("topic", "list", "--json", "--channel", "x", "--db", db, cwd=tmp_path).stdout
        )
        == []
    )
    tried = run_cli("topic", "test", "--json", "levy* speaker:vennholt", "--db", db, cwd=tmp_path)
    data = json.loads(tried.stdout)
    assert data["ok"] and data["count"] == 1
    [hit] = data["matches"]
    assert hit["kind"] == "quote" and hit["speaker"] == "Clara Vennholt"
    assert hit["outlet"] == "Harbour Ledger" and "levy" in hit["text"]
    bad = run_cli("topic", "test", "--json", "(levy", "--db", db, cwd=tmp_path)
    assert bad.returncode == 1 and json.loads(bad.stdout)["ok"] is False
