"""`verbatim story` over the five seeds, checked against gold.json, and on what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.end_to_end.test_seeds_cli import _ingest, _norm


def test_the_story_of_the_essential_points_over_the_seeds(tmp_path: Path) -> None:
    _, gold, db = _ingest(tmp_path)
    done = run_cli("story", "--db", str(db), "one of the essential points", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "First appeared: Reuters, 2022-12-03" in text
    data = json.loads(
        run_cli(
            "story", "--db", str(db), "--json", "one", "of the essential points", cwd=tmp_path
        ).stdout
    )
    first = next(
        q for q in gold["quotes"] if q.get("relation") == "first" and "essential" in q["text"]
    )
    assert _norm(data["canonical"]) == _norm(first["text"]) and data["speaker"] == first["speaker"]
    assert data["first"]["outlet"] == gold["articles"][first["article"]]["outlet"] == "Reuters"

    # Every variant gold lists for the statement, from the outlet that printed it, with its diff.
    outlet_of = {name: meta["outlet"] for name, meta in gold["articles"].items()}
    expected = {
        (_norm(q["text"]), outlet_of[q["article"]])
        for q in gold["quotes"]
        if q.get("statement") == first["statement"] and q.get("relation") == "alter"
    }
    found = {(_norm(v["text"]), o) for v in data["variants"] for o in v["outlets"]}
    assert found == expected
    assert {o for _, o in expected} == {
        "The New York Times (republished copy)",
        "unknown English-language outlet",
    }
    for v in data["variants"]:
        assert v["diff_text"] and any(op["op"] != "equal" for op in v["diff"])
        assert f"  {v['diff_text']}" in text  # each diff is printed under its outlet
    assert "[-need to-] {+must+}" in text

    # The four disputes of gold.json: who (the outlet in its own voice for "the outlet") and where.
    want = sorted(
        (d["by"] if d["by"] != "the outlet" else "", outlet_of[d["article"]])
        for d in gold["disputes"]
    )
    got = sorted((d["by"] or "", d["outlet"]) for d in data["disputes"])
    assert len(got) == 4 and got == want
    assert all(d["evidence"] for d in data["disputes"])
    assert "Disputes (4):" in text and "commented: “Devastating.”\n" in text
    assert "evidence: “…It seems that no matter how brutal Putin is" in text  # marks balanced
    assert "unknown English-language outlet (in its own voice)" in text


def test_a_story_by_id_and_one_not_found(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)
    by_words = json.loads(
        run_cli("story", "--db", str(db), "--json", "non-starters", cwd=tmp_path).stdout
    )
    hourly = run_cli("story", "--db", str(db), "--json", "--by-hour", "non-starters", cwd=tmp_path)
    assert [d["day"] for d in json.loads(hourly.stdout)["spread"]] == ["2022-12-03 12:00"]
    by_id = run_cli("story", "--db", str(db), f"#{by_words['statement']}", cwd=tmp_path)
    assert by_id.returncode == 0 and "non-starters" in by_id.stdout
    missing = run_cli("story", "--db", str(db), "words nobody said", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stdout.strip() == "No known statement matches “words nobody said”."
    nodb = run_cli("story", "--db", str(tmp_path / "nope.db"), "18", cwd=tmp_path)
    assert nodb.returncode == 2 and "does not exist" in nodb.stderr
    assert not (tmp_path / "nope.db").exists()
