"""The five seed articles through `verbatim ingest --json`, checked against gold.json.

In publication order: Le Monde (February), Reuters, the Times copy, the third outlet, Newsweek.
What must come out: the December quotes as alters of the Reuters wording with the right diffs,
"non-starters" and the fragments as repeats, Le Monde's statements kept apart, the four
disputes and no other, and nothing new on a second run.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import DESK_CONFIG, GOLD, SEEDS, need_shared, run_cli
from tests.end_to_end.test_pipeline_stages import SEED_ORDER


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).strip(" ,.")


def _ingest(tmp_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any], Path]:
    need_shared()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    batch = tmp_path / "seeds.jsonl"
    with batch.open("w", encoding="utf-8") as fh:
        for name in SEED_ORDER:
            meta = gold["articles"][name]
            day = meta["published"] if len(meta["published"]) == 10 else meta["published"] + "-15"
            text = (SEEDS / name).read_text(encoding="utf-8")
            record = {
                "url": f"https://seeds.test/{name}",
                "outlet": meta["outlet"],
                "title": text.splitlines()[0],
                "published": f"{day}T12:00:00Z",
                "text": text,
            }
            fh.write(json.dumps(record) + "\n")
    (tmp_path / "verbatim.toml").write_text(DESK_CONFIG)
    db = tmp_path / "v.db"
    args = ("ingest", "--json", "--config", "verbatim.toml", "--db", str(db), str(batch))
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return events, gold, db


def test_seeds_through_ingest_json_match_the_gold(tmp_path: Path) -> None:
    events, gold, _ = _ingest(tmp_path)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_article.setdefault(e["article"].rsplit("/", 1)[1], []).append(e)

    # The statements as Reuters first printed them.
    statement_of: dict[str, int] = {}
    for q in gold["quotes"]:
        if q.get("relation") == "first":
            first = [e for e in by_article[q["article"]] if _norm(e["quote"]) == _norm(q["text"])]
            assert first and first[0]["type"] == "new_statement", q["text"]
            statement_of[q["statement"]] = first[0]["statement"]

    # Every later version: the gold relation, to the right statement.
    for q in gold["quotes"]:
        if q.get("relation") not in ("alter", "repeat"):
            continue
        found = [
            e for e in by_article[q["article"]] if _norm(e.get("quote") or "") == _norm(q["text"])
        ]
        assert found, q["text"]
        assert found[0]["type"] == q["relation"], (q["text"], found[0]["type"])
        assert found[0]["statement"] == statement_of[q["statement"]], q["text"]

    # The words that changed: "that we need to address" -> "we must address" in the Times copy.
    times_s1 = next(
        e for e in by_article["001_e415571ad3f1c5de.txt"]
        if e["type"] == "alter" and e["statement"] == statement_of["S1"] and len(e["quote"]) > 40
    )  # fmt: skip
    removed = " ".join(d["before"] for d in times_s1["diff"] if d["op"] in ("delete", "replace"))
    added = " ".join(d["after"] for d in times_s1["diff"] if d["op"] in ("insert", "replace"))
    assert "need to" in removed and "must" in added
    times_s2 = next(
        e for e in by_article["001_e415571ad3f1c5de.txt"]
        if e["type"] == "alter" and e["statement"] == statement_of["S2"] and len(e["quote"]) > 40
    )  # fmt: skip
    assert "truncated" in {c["kind"] for c in times_s2["changes"]}

    # Le Monde's February statements are their own, never merged into December's.
    le_monde = {e["statement"] for e in by_article["003_34b4e6c27b0b1f71.txt"]}
    assert not le_monde & set(statement_of.values())

    # The four disputes, by whom, and no other.
    disputes = sorted(
        (e["article"].rsplit("/", 1)[1], e.get("disputed_by")) for e in events
        if e["type"] == "dispute"
    )  # fmt: skip
    expected = sorted(
        (d["article"], None if d["by"] == "the outlet" else d["by"]) for d in gold["disputes"]
    )
    assert disputes == expected
    assert all(
        e["statement"] in (statement_of["S1"], statement_of["S2"]) and e["evidence"]
        for e in events
        if e["type"] == "dispute"
    )


def test_seeds_are_stored_with_outlet_and_date_and_a_second_run_adds_nothing(
    tmp_path: Path,
) -> None:
    _, gold, db = _ingest(tmp_path)

    def counts() -> tuple[int, int, int]:
        conn = sqlite3.connect(db)
        try:
            return tuple(
                conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("articles", "quotes", "alerts")
            )
        finally:
            conn.close()

    conn = sqlite3.connect(db)
    rows = conn.execute("select url, outlet, published from articles order by id").fetchall()
    conn.close()
    assert [r[0].rsplit("/", 1)[1] for r in rows] == SEED_ORDER
    for url, outlet, published in rows:
        meta = gold["articles"][url.rsplit("/", 1)[1]]
        assert outlet == meta["outlet"]
        assert published.startswith(meta["published"])
    before = counts()
    args = ("ingest", "--json", "--config", "verbatim.toml", "--db", str(db))
    again = run_cli(*args, str(tmp_path / "seeds.jsonl"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == ""
    assert counts() == before


def test_the_digest_over_the_seeds_shows_macron_statements_variants_and_disputes(
    tmp_path: Path,
) -> None:
    _, gold, db = _ingest(tmp_path)
    args = (
        "digest",
        "--json",
        "--since",
        "2022-02",
        "--channel",
        "console:desk",
        "--config",
        "verbatim.toml",
    )
    done = run_cli(*args, "--db", str(db), "--chart", "chart.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    digest = json.loads(done.stdout)
    top = digest["most_repeated"][:2]
    assert {s["speaker"] for s in top} == {"Emmanuel Macron"}
    december = {"Reuters", "The New York Times (republished copy)"}
    assert all(december <= set(s["outlets"]) for s in top)
    altered = [a for a in digest["alterations"] if a["speaker"] == "Emmanuel Macron"]
    assert len(altered) >= 4 and all(a["diff"] for a in altered)
    by = sorted(x["disputed_by"] or "the outlet" for x in digest["disputes"])
    assert by == sorted(d["by"] for d in gold["disputes"])
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
