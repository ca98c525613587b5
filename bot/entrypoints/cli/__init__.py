"""The `verbatim` command: one subcommand per job, `--db` and `--config` on every one."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bot.app.settings import SettingsError
from bot.core.errors import DatabaseUnusable

# Modules that add subcommands with `register(subparsers)`, in the order `--help` lists them.
COMMAND_MODULES = (
    "bot.entrypoints.cli.setup",
    "bot.entrypoints.cli.articles",
    "bot.entrypoints.cli.lookup",
    "bot.entrypoints.cli.story",
    "bot.entrypoints.cli.export",
    "bot.entrypoints.cli.stance",
    "bot.entrypoints.cli.topics",
    "bot.entrypoints.cli.feeds",
    "bot.entrypoints.cli.alerts",
    "bot.entrypoints.cli.running",
    "bot.entrypoints.cli.doctor",
)


def _add_common(parser: argparse.ArgumentParser, top: bool) -> None:
    """--db/--config/-v on every parser; inner values win, outer ones are kept otherwise."""
    default = None if top else argparse.SUPPRESS
    seen = {o for a in parser._actions for o in a.option_strings}
    if "--db" not in seen:
        parser.add_argument(
            "--db", default=default, metavar="PATH", help="SQLite database file (overrides config)"
        )
    if "--config" not in seen:
        parser.add_argument(
            "--config",
            default=default,
            metavar="FILE",
            help="settings file (default: ./verbatim.toml, else embedded defaults)",
        )
    if "--verbose" not in seen:
        parser.add_argument(
            "-v", "--verbose", action="store_true", default=default, help="log more"
        )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_common(child, top=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verbatim",
        description="Watch news coverage and tell a team when it repeats, alters or disputes "
        "a known statement.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # an optional area not present in this build
        module.register(sub)
    _add_common(parser, top=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except SettingsError as exc:
        print(f"verbatim: configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnusable as exc:
        print(f"verbatim: {exc} (check --db or [database] path)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # piped into `head`, which has read enough: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush fails silently
        return 141
