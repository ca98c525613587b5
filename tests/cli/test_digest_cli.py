"""`verbatim digest` over the seeds: the period goes by publication time, the chart by day."""

from __future__ import annotations

import json
from pathlib import Path

from matplotlib import image

from tests.conftest import run_cli
from tests.end_to_end.test_seeds_cli import _ingest


def test_articles_from_2022_are_not_the_last_24_hours(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)  # read just now, published in 2022
    done = run_cli("digest", "--db", str(db), "--channel", "console:desk", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(": nothing new.")


def test_a_digest_of_december_2022_with_its_spread_chart(tmp_path: Path) -> None:
    _, _, db = _ingest(tmp_path)
    chart = tmp_path / "december.png"
    args = ("digest", "--db", str(db), "--channel", "console:desk", "--since", "2022-12")
    done = run_cli(*args, "--json", "--chart", str(chart), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["start"].startswith("2022-12-01T00:00:00")
    firsts = {s["outlets"][0] for s in data["new_statements"]}
    assert "Reuters" in firsts
    assert "Le Monde (English translation, republished copy)" not in firsts  # February
    assert len(data["disputes"]) == 4
    top = data["spread"][0]
    assert {p["kind"] for p in top["points"]} >= {"new_statement", "alter", "dispute"}
    assert all(p["when"].startswith("2022-12-") for p in top["points"])
    pixels = image.imread(chart)
    assert pixels.shape[1] == 1100 and pixels.shape[0] > 400
    bad = run_cli(*args[:-1], "2022-13", cwd=tmp_path)
    assert bad.returncode == 2 and "2022-13" in bad.stderr


def test_a_start_out_of_range_or_after_now_is_refused_saying_the_range(tmp_path: Path) -> None:
    """`--since 99999999d` or `0001-01-01` ended in OverflowError; a start in the future printed
    a period running backwards, "2030-01-01 – <now>: nothing new"."""
    (tmp_path / "a.txt").write_text("Harbour tax\nBrenna Osk said: “It stays.”", encoding="utf-8")
    assert run_cli("ingest", "--db", "v.db", "a.txt", cwd=tmp_path).returncode == 0
    for since in ("99999999d", "9" * 30 + "d", "0001-01-01", "0001", "2030-01-01"):
        for command in (("digest",), ("export", "quotes")):
            done = run_cli(*command, "--db", "v.db", f"--since={since}", cwd=tmp_path)
            assert (done.returncode, done.stdout) == (2, ""), (command, since, done.stderr)
            why = "a start after now" if since.startswith("2030") else "out of range"
            assert done.stderr.startswith(
                f"verbatim: --since '{since}': {why}; the start of a period is from 1000-01-01 "
                "to now ("
            ), done.stderr
    assert run_cli("digest", "--db", "v.db", "--since", "1000-01-01", cwd=tmp_path).returncode == 0
