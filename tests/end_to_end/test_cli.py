"""The `verbatim` command as a user runs it: in this process (`run_cli`, fast), and through
`python -m bot` in a subprocess where only a real process shows it (the entry point, exit
codes through the interpreter, SIGTERM)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.core.models import Article
from tests.conftest import REPO, run_cli, run_cli_process, write_batch

ARTICLE = """Bridge to open in May, Lindqvist says

HALDEN BAY — Mayor Mara Lindqvist said on Monday the new bridge would open in May.

“We will open the Halden Bay bridge in May, and not a day later,” Lindqvist told reporters.
"""


def test_help_lists_every_subcommand(tmp_path: Path) -> None:
    result = run_cli_process("--help", cwd=tmp_path)  # `python -m bot` is the entry point
    assert result.returncode == 0
    for command in ("init", "ingest", "extract", "run", "demo", "quote", "speaker", "track"):
        assert command in result.stdout


def test_extract_json_contract_and_a_bad_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("extract", "--json", str(tmp_path / "missing.txt"), str(good), cwd=tmp_path)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["source"].endswith("missing.txt") and "no such file" in lines[0]["error"]
    [quote] = [q for q in lines[1]["quotes"] if q["kind"] == "direct"]
    assert quote["text"] == "We will open the Halden Bay bridge in May, and not a day later,"
    assert ARTICLE[quote["start"] : quote["end"]] == quote["text"]
    assert quote["speaker"] == "Mara Lindqvist"
    keys = {"text", "start", "end", "kind", "speaker", "speaker_mention", "cue", "quoted"}
    assert set(quote) == keys and quote["quoted"] == []


def test_extract_shows_the_quoted_words_inside_reported_speech(tmp_path: Path) -> None:
    text = (
        "Councillor Ines Calloway said the harbour plan was “a costly fantasy” and would not pass."
    )
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    [line] = [
        json.loads(x)
        for x in run_cli("extract", "--json", str(article), cwd=tmp_path).stdout.splitlines()
    ]
    [report] = line["quotes"]  # one occurrence of speech, one record
    assert (report["kind"], report["speaker"]) == ("indirect", "Ines Calloway")
    [part] = report["quoted"]
    assert (part["text"], part["kind"], part["speaker"]) == (
        "a costly fantasy",
        "fragment",
        "Ines Calloway",
    )
    assert text[part["start"] : part["end"]] == "a costly fantasy" and part["quoted"] == []
    printed = run_cli("extract", str(article), cwd=tmp_path).stdout
    assert "[indirect] Ines Calloway" in printed and "[fragment] “a costly fantasy”" in printed


def test_ingest_twice_prints_nothing_new(tmp_path: Path) -> None:
    bridge = Article(
        "https://halden-herald.example/bridge",
        "Halden Herald",
        "Bridge",
        ARTICLE,
        datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    path = write_batch(tmp_path / "a.jsonl", [bridge])
    db = str(tmp_path / "v.db")
    first = run_cli("ingest", "--json", "--db", db, str(path), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    events = [json.loads(line) for line in first.stdout.splitlines()]
    assert any(e["type"] == "new_statement" and e["outlet"] == "Halden Herald" for e in events)
    second = run_cli("ingest", "--json", "--db", db, str(path), cwd=tmp_path)
    assert second.returncode == 0 and second.stdout == ""


def test_bad_config_stops_with_a_message_naming_the_setting(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[[channels]]\nid = "console:x"\ntimezone = "Mars/Olympus"\n')
    result = run_cli_process("run", "--once", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2
    assert "channels[0].timezone" in result.stderr


def test_demo_prints_alerts(tmp_path: Path) -> None:
    result = run_cli("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Altered quote" in out and "Clara Vennholt" in out
    assert "[-not-]" in out  # the dropped negation, shown as a word diff


def test_run_on_defaults_posts_sample_alerts_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(REPO), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen.append(line)
        if "Altered quote" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert any("Altered quote" in line for line in seen)
    assert (tmp_path / "var" / "verbatim.db").exists()


def test_in_process_and_subprocess_runs_give_the_same_answer(tmp_path: Path) -> None:
    """`run_cli` stands in for a subprocess: same exit code, stdout and stderr."""
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    for args in (("extract", "--json", str(article)), ("quote", "--db", "none.db", "bridge")):
        inside, outside = run_cli(*args, cwd=tmp_path), run_cli_process(*args, cwd=tmp_path)
        assert (inside.returncode, inside.stdout, inside.stderr) == (
            outside.returncode,
            outside.stdout,
            outside.stderr,
        )
