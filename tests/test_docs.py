"""The docs stay true: every command has help and a README line, every setting is in the example."""

from __future__ import annotations

import argparse
import re
import tomllib

from bot.app.settings import _KNOWN, EXAMPLE_CONFIG
from bot.entrypoints.cli import build_parser
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, str]:
    """Every (nested) subcommand with its help text."""
    found: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                full = f"{prefix}{name}"
                found[full] = helps.get(name, "") or child.description or ""
                found.update(subcommands(child, full + " "))
    return found


def test_every_cli_command_has_help_and_a_readme_line() -> None:
    commands = subcommands(build_parser())
    assert {"init", "ingest", "extract", "run", "demo"} <= set(commands)
    for name, help_text in commands.items():
        assert help_text.strip(), f"`verbatim {name}` has no help text"
        assert f"verbatim {name}" in README, f"README does not mention `verbatim {name}`"


def test_every_setting_is_in_the_example_config() -> None:
    example = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    for section, keys in _KNOWN.items():
        assert section in example, f"[{section}] is missing from the example config"
        for key in keys - {"api_base_url", "gateway_url"}:  # test-only overrides
            assert key in example[section], f"{section}.{key} is missing from the example config"
    for key in ("id", "alerts", "speakers", "new_statements", "digest_at", "timezone"):
        assert key in example["channels"][0]
    for key in ("url", "channel", "interval"):
        assert re.search(rf"^# {key} = ", text, re.M), f"feeds.{key} is not documented"


def test_the_readme_starts_with_the_two_commands_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    first = [line.split("#")[0].strip() for line in blocks[0].splitlines()]
    assert first == ["make run", "make test"]
    ci = (REPO / ".ci" / "run").read_text()
    assert "\nmake test\n" in ci
