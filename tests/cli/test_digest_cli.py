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
    assert bad.returncode == 2 and "2022-13" in bad.stdout
