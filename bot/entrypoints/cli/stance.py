"""`verbatim stance --jsonl FILE`: judge many (statement, article text) pairs in one process.

Each input line is {"id", "statement", "text"}; each output line {"id", "stance", "score",
"evidence"}. A line that is not such a record (bad JSON, nested too deep, wrong types) is skipped
with a message on stderr naming the file and line, and the batch goes on; so is a line longer
than the 20 MB `verbatim ingest` reads of a whole file, read past without being held. Only a
regular file is read (a device or a FIFO may never end), and stdin up to those 20 MB. Lines are
judged as they are read; the stance model caches its work per body, which batches repeat.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, AnyStr

from adapters.files import MAX_FILE_BYTES, FileError, open_regular
from bot.core.stance import judge_stance

MAX_LINE_BYTES = MAX_FILE_BYTES  # a line holds at most what ingest reads of a whole file
_CHUNK = 1 << 20  # how much of a line too long is read at a time, to be dropped


@dataclass(frozen=True, slots=True)
class Pair:
    id: Any
    statement: str
    text: str


@dataclass(frozen=True, slots=True)
class TooLong:
    """A line longer than `MAX_LINE_BYTES`, read past and not kept: it is skipped saying so."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stance",
        help="judge whether article texts support, dispute or discuss statements (JSON lines)",
        description="Read JSON lines {id, statement, text} and print one line per input: "
        '{id, stance: "support"|"dispute"|"discuss"|"unrelated", score, evidence}.',
    )
    parser.add_argument(
        "--jsonl",
        required=True,
        metavar="FILE",
        help="input file of JSON lines (a regular file; lines of at most 20 MB), - for stdin "
        "(at most 20 MB)",
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


def judge_lines(lines: Iterable[str | TooLong]) -> Iterator[dict[str, Any]]:
    """For every non-blank input line in order: its verdict, or an error record (with "error")."""
    for number, line in enumerate(lines, 1):
        if isinstance(line, TooLong):
            error = f"longer than {MAX_LINE_BYTES // 1_000_000} MB"
            yield {"id": None, "line": number, "error": error}
            continue
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


def read_lines(stream: IO[AnyStr], total: int | None = None) -> Iterator[str | TooLong]:
    """The lines of ``stream``, as UTF-8 text (bad bytes replaced), none held longer than
    `MAX_LINE_BYTES`: a longer one is read past and given as `TooLong`. With ``total``, a
    `FileError` ends the lines once more than that has been read."""
    read = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        read += len(line)
        too_long = len(line) > MAX_LINE_BYTES and line[-1:] not in ("\n", b"\n")
        while too_long and (total is None or read <= total):
            rest = stream.readline(_CHUNK)
            read += len(rest)
            if not rest or rest[-1:] in ("\n", b"\n"):
                break
        if total is not None and read > total:
            raise FileError(f"larger than {total // 1_000_000} MB")
        if not line:
            return
        if too_long:
            yield TooLong()
        else:
            yield line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line


def run_stance(args: argparse.Namespace) -> int:
    if args.jsonl == "-":
        name, total = "<stdin>", MAX_FILE_BYTES
        stream: IO[Any] = getattr(sys.stdin, "buffer", sys.stdin)
    else:
        try:
            name, total, stream = args.jsonl, None, open_regular(args.jsonl)
        except FileError as exc:
            print(f"verbatim stance: cannot read {exc}", file=sys.stderr)
            return 2
    try:
        for record in judge_lines(read_lines(stream, total)):
            if "error" in record:
                where = f"{name}:{record['line']}"
                print(f"verbatim stance: {where}: skipped, {record['error']}", file=sys.stderr)
                continue
            print(json.dumps(record, ensure_ascii=False), flush=False)
    except FileError as exc:  # stdin past its cap: what came before it is judged
        sys.stdout.flush()
        print(f"verbatim stance: {name}: {exc}, the rest is not read", file=sys.stderr)
        return 1
    finally:
        if args.jsonl != "-":
            stream.close()
    sys.stdout.flush()
    return 0
