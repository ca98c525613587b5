"""`verbatim export`: statements, quotes, events or alerts as CSV or JSON, for spreadsheets."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import IO, Any

from bot.entrypoints.cli.topics import parse_since_date

# A cell starting with one of these is a formula to a spreadsheet: quoted words are not formulas.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def register(sub: Any) -> None:
    from storage.history import EXPORTS

    p = sub.add_parser(
        "export",
        help="statements, quotes, events or alerts as CSV (a header row, one row per record) "
        "or JSON (a list of objects)",
    )
    p.add_argument("what", choices=EXPORTS, help="what to export: " + ", ".join(EXPORTS))
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    p.add_argument(
        "--since",
        metavar="DATE",
        help="only records published on or after DATE (2022-12-03, 2022-12, 2022, or a period "
        "back from now such as 7d), from 1000-01-01 to now; the time recorded stands in for an "
        "unknown publication date",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument(
        "--bom", action="store_true", help="start with a UTF-8 byte-order mark (for Excel)"
    )
    p.set_defaults(func=_export)


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: list[str]) -> int:
    """RFC 4180 CSV: a header row, then one row per record, every field quoted as needed."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        n += 1
    return n


def write_json(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A JSON list of objects, written one object a line as they are read."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _export(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_app
    from storage.history import export_columns, export_rows

    try:
        since = parse_since_date(args.since, datetime.now(UTC)) if args.since else None
    except ValueError as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 2
    app = open_app(args.db, args.config, must_exist=True)
    try:
        with ExitStack() as stack:
            out: IO[str] = sys.stdout
            if args.output:
                out = stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
            if args.bom:
                out.write("\ufeff")
            rows = export_rows(app.store, args.what, since)
            if args.format == "json":
                n = write_json(rows, out)
            else:
                n = write_csv(rows, out, export_columns(args.what))
    except BrokenPipeError:
        raise  # piped into `head`: the command stops quietly (bot.entrypoints.cli.main)
    except OSError as exc:
        print(f"verbatim: --output {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        app.close()
    if args.output:
        print(f"Wrote {n} {args.what} to {args.output}.", file=sys.stderr)
    return 0
