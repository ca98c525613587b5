"""`verbatim quote --json` and `speaker --json` give the statement's fields, not rendered lines."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.end_to_end.test_seeds_cli import _ingest


def test_quote_json_is_the_statement_and_its_variants(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)
    done = run_cli("quote", "--db", str(db), "--json", "one of the essential points", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert "lines" not in data and "title" not in data
    assert data["ok"] is True and data["speaker"] == "Emmanuel Macron"
    assert data["canonical"].startswith("This means that one of the essential points")
    assert data["first"]["outlet"] == "Reuters"
    assert data["first"]["published"].startswith("2022-12-03")
    assert data["quote_count"] == len(data["variants"]) == 5
    altered = [v for v in data["variants"] if v["relation"] == "alter"]
    assert {v["outlet"] for v in altered} == {
        "The New York Times (republished copy)",
        "unknown English-language outlet",
    }
    assert all(v["diff"] and v["changes"] and v["diff_text"] for v in altered)
    assert isinstance(data["also_close"], list)
    text = run_cli("quote", "--db", str(db), "one of the essential points", cwd=tmp_path).stdout
    assert "Quoted 5 times by 3 outlets" in text


def test_speaker_json_and_a_miss(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)
    data = json.loads(
        run_cli("speaker", "--db", str(db), "--json", "Thomas", "Gomart", cwd=tmp_path).stdout
    )
    assert data["ok"] is True and len(data["statements"]) == 3
    assert {s["speaker"] for s in data["statements"]} == {"Thomas Gomart"}
    assert all(s["first"]["outlet"] == "Newsweek, via Ifri" for s in data["statements"])
    text = run_cli("speaker", "--db", str(db), "Thomas", "Gomart", cwd=tmp_path).stdout
    assert "1 outlet\n" in text or text.rstrip().endswith("1 outlet")  # not "1 outlets"
    missing = run_cli("quote", "--db", str(db), "--json", "nobody said this", cwd=tmp_path)
    assert missing.returncode == 1
    assert json.loads(missing.stdout) == {
        "ok": False,
        "error": "No known statement matches “nobody said this”.",
    }


def test_tracking_words_already_stored_pins_that_statement_once(tmp_path: Path) -> None:
    """`track` of words the speaker is stored saying pins that statement, and says so; the same
    words tracked again add nothing: `speaker` lists one statement, not three."""
    words = "We will not raise taxes this year, whatever happens."
    article = tmp_path / "clara.txt"
    article.write_text(
        f'Vennholt rules out a tax rise\n\nMayor Clara Vennholt said on Monday: "{words}"\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "v.db")
    run_cli("ingest", "--db", db, "--outlet", "Gazette", "--url", "https://g.example/1",
            str(article), cwd=tmp_path)  # fmt: skip
    pinned = run_cli("track", "--db", db, words, "--speaker", "Clara Vennholt", cwd=tmp_path)
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout.startswith("Tracking statement #1 by Clara Vennholt, already stored")
    assert "First quoted by Gazette." in pinned.stdout
    again = run_cli("track", "--db", db, words, "--speaker", "Clara Vennholt", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Already tracking statement #1 by Clara Vennholt")
    listed = run_cli("speaker", "--db", db, "--json", "Clara", "Vennholt", cwd=tmp_path)
    statements = json.loads(listed.stdout)["statements"]
    assert [(s["id"], s["tracked"], s["first"]["outlet"]) for s in statements] == [
        (1, True, "Gazette")
    ]
