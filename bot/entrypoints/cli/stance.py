"""`verbatim stance --jsonl FILE`: judge many (statement, article text) pairs in one process.

Each input line is {"id", "statement", "text"}; each output line {"id", "stance", "score",
"evidence"}. A line that is not such a record (bad JSON, nested too deep, wrong types) is skipped
with a message on stderr naming the file and line, and the batch goes on. Lines are judged as
they are read; the stance model caches its work per body, which batches repeat.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from bot.core.stance import judge_stance


@dataclass(frozen=True, slots=True)
class Pair:
    id: Any
    statement: str
    text: str


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stance",
        help="judge whether article texts support, dispute or discuss statements (JSON lines)",
        description="Read JSON lines {id, statement, text} and print one line per input: "
        '{id, stance: "support"|"dispute"|"discuss"|"unrelated", score, evidence}.',
    )
    parser.add_argument(
        "--jsonl", required=True, metavar="FILE", help="input file of JSON lines, - for stdin"
    )
    parser.set_defaults(func=run_stance)


def parse_line(number: int, line: str) -> Pair | dict[str, Any]:
    """One input line as a pair, or the error record that says why it was skipped."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"not JSON: {exc.msg}"}
    except RecursionError:
        return {"id": None, "line": number, "error": "not JSON: nested too deep"}
    if not isinstance(data, dict):
        return {"id": None, "line": number, "error": "not a JSON object"}
    ident = data.get("id", number)
    statement, text = data.get("statement"), data.get("text")
    if not isinstance(statement, str) or not statement.strip():
        return {"id": ident, "line": number, "error": "missing or empty 'statement'"}
    if not isinstance(text, str):
        return {"id": ident, "line": number, "error": "missing 'text' (a string)"}
    return Pair(ident, statement, text)


def judge_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """For every non-blank input line in order: its verdict, or an error record (with "error")."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item = parse_line(number, line.lstrip("\ufeff") if number == 1 else line)
        if not isinstance(item, Pair):
            yield item
            continue
        try:
            verdict = judge_stance(item.statement, item.text)
        except Exception as exc:  # one bad pair must not end the batch
            yield {"id": item.id, "line": number, "error": f"{type(exc).__name__}: {exc}"}
            continue
        yield {
            "id": item.id,
            "stance": verdict.stance.value,
            "score": verdict.score,
            "evidence": verdict.evidence,
        }


def _open(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8-sig", errors="replace")


def run_stance(args: argparse.Namespace) -> int:
    try:
        stream = _open(args.jsonl)
    except OSError as exc:
        print(f"verbatim stance: cannot read {args.jsonl}: {exc.strerror}", file=sys.stderr)
        return 2
    name = "<stdin>" if args.jsonl == "-" else args.jsonl
    try:
        for record in judge_lines(stream):
            if "error" in record:
                where = f"{name}:{record['line']}"
                print(f"verbatim stance: {where}: skipped, {record['error']}", file=sys.stderr)
                continue
            print(json.dumps(record, ensure_ascii=False), flush=False)
    finally:
        if stream is not sys.stdin:
            stream.close()
    sys.stdout.flush()
    return 0
