"""`verbatim stance --jsonl FILE`: a line out per good line in; bad lines skipped with a message
naming file and line on stderr, and the batch goes on."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.entrypoints.cli.stance import judge_lines, register, run_stance
from tests.conftest import REPO, run_cli

CLAIM = "Vellmar Dynamics will close its Ostrava battery plant in March"
DENIAL = (
    "Vellmar Dynamics has denied reports that it will close its Ostrava battery plant. "
    "“The story is false,” spokeswoman Irma Tesch said."
)
MARATHON = "The Kessel Valley marathon drew a record field of 14,000 runners on Sunday."

# A stand-alone `stance` command built from this module alone, run in a real process.
RUNNER = (
    "import argparse, sys\n"
    "from bot.entrypoints.cli.stance import register\n"
    "parser = argparse.ArgumentParser(prog='verbatim')\n"
    "register(parser.add_subparsers(dest='command', required=True))\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(args.func(args))\n"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="verbatim")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def _lines() -> list[str]:
    return [
        json.dumps({"id": "a", "statement": CLAIM, "text": DENIAL}),
        "this is not json",
        json.dumps({"id": "c", "statement": CLAIM}),
        "",
        json.dumps([1, 2]),
        json.dumps({"id": 5, "statement": CLAIM, "text": MARATHON}),
    ]


def test_every_line_gets_an_answer_in_order_and_bad_lines_do_not_stop_the_batch() -> None:
    out = list(judge_lines(_lines()))
    assert [r.get("id") for r in out] == ["a", None, "c", None, 5]
    assert out[0]["stance"] == "dispute" and out[0]["evidence"] in DENIAL
    assert 0.0 <= out[0]["score"] <= 1.0
    assert "not JSON" in out[1]["error"] and out[1]["line"] == 2
    assert "text" in out[2]["error"]
    assert "object" in out[3]["error"] and out[3]["line"] == 5
    assert out[4]["stance"] == "unrelated" and out[4]["evidence"] is None


def test_run_stance_reads_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "pairs.jsonl"
    source.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    args = _parser().parse_args(["stance", "--jsonl", str(source)])
    assert args.func is run_stance
    assert run_stance(args) == 0
    captured = capsys.readouterr()
    printed = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in printed] == ["a", 5]
    assert {"id", "stance", "score", "evidence"} == set(printed[0])
    skipped = captured.err.splitlines()
    assert all(f"{source}:{n}:" in err for n, err in zip((2, 3, 5), skipped, strict=True))
    assert "Traceback" not in captured.err


def test_a_line_nested_10000_deep_is_skipped_and_the_rest_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "deep.jsonl"
    good = json.dumps({"id": "g", "statement": CLAIM, "text": DENIAL})
    source.write_text("\n".join([good, "[" * 10_000 + "]" * 10_000, good]) + "\n", "utf-8")
    assert run_stance(_parser().parse_args(["stance", "--jsonl", str(source)])) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["g", "g"]
    assert f"{source}:2:" in captured.err and "deep" in captured.err
    assert "Traceback" not in captured.err


def test_a_byte_order_mark_at_the_start_of_the_file_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bom.jsonl"
    line = json.dumps({"id": "b", "statement": CLAIM, "text": MARATHON})
    source.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\n")
    assert run_stance(_parser().parse_args(["stance", "--jsonl", str(source)])) == 0
    assert json.loads(capsys.readouterr().out)["stance"] == "unrelated"


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _parser().parse_args(["stance", "--jsonl", str(tmp_path / "absent.jsonl")])
    assert run_stance(args) == 2
    assert "cannot read" in capsys.readouterr().err


def test_stdin_in_a_real_process_with_many_pairs() -> None:
    pairs = [
        json.dumps({"id": i, "statement": CLAIM, "text": DENIAL if i % 2 else MARATHON})
        for i in range(300)
    ]
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "stance", "--jsonl", "-"],
        input="\n".join(pairs) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in out] == list(range(300))
    assert {r["stance"] for r in out[1::2]} == {"dispute"}
    assert {r["stance"] for r in out[0::2]} == {"unrelated"}


def test_the_verbatim_command_runs_stance_from_stdin(tmp_path: Path) -> None:
    lines = [json.dumps({"id": 1, "statement": CLAIM, "text": DENIAL}), "{broken"]
    done = run_cli("stance", "--jsonl", "-", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 1 and out[0]["id"] == 1 and out[0]["stance"] == "dispute"
    assert "<stdin>:2: skipped, not JSON" in done.stderr and "Traceback" not in done.stderr


@settings(max_examples=60, deadline=None)
@given(bad=st.one_of(st.text(max_size=60), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12).map(json.dumps)))  # fmt: skip
def test_any_line_between_two_good_ones_leaves_both_judged(bad: str) -> None:
    good = json.dumps({"id": "g", "statement": CLAIM, "text": MARATHON})
    out = list(judge_lines([good, bad.replace("\n", " "), good]))
    judged = [r for r in out if "stance" in r]
    assert [r["id"] for r in judged][:1] == ["g"] and judged[-1]["id"] == "g"
    assert all("error" in r and "line" in r for r in out if "stance" not in r)


def test_a_line_too_long_is_skipped_and_a_device_or_fifo_refused(tmp_path: Path) -> None:
    """`stance --jsonl /dev/zero` read one endless line, growing without end. A line longer
    than the files' 20 MB is read past and skipped with its file and line, the rest judged; a
    path that is no regular file is refused unopened; stdin stops at 20 MB, saying so."""
    from adapters.files import MAX_FILE_BYTES

    good = json.dumps({"id": "g", "statement": CLAIM, "text": DENIAL})
    source = tmp_path / "long.jsonl"
    source.write_text(f"{good}\n{'x' * (MAX_FILE_BYTES + 1)}\n{good}\n", encoding="utf-8")
    done = run_cli("stance", "--jsonl", str(source), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{source}:2: skipped, longer than 20 MB" in done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["g", "g"]

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opening it would wait for a writer that never comes
    for path in ("/dev/zero", str(fifo)):
        refused = run_cli("stance", "--jsonl", path, cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == ""
        assert f"verbatim stance: cannot read {path}: not a regular file" in refused.stderr

    piped = f"{good}\n{'x' * MAX_FILE_BYTES}"
    stopped = run_cli("stance", "--jsonl", "-", cwd=tmp_path, stdin=piped)
    assert stopped.returncode == 1
    assert "<stdin>: larger than 20 MB, the rest is not read" in stopped.stderr
    assert [json.loads(line)["id"] for line in stopped.stdout.splitlines()] == ["g"]
