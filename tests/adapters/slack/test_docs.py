"""The Slack guide and manifest stay true to the code: every command documented, the manifest
declaring the slash command, Socket Mode, interactivity and only the scopes the guide explains."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.slack.checks import REQUIRED_SCOPES
from bot.core.commands import USAGE

REPO = Path(__file__).resolve().parents[3]
GUIDE = (REPO / "docs" / "slack.md").read_text(encoding="utf-8")
MANIFEST = (REPO / "config" / "slack-manifest.yaml").read_text(encoding="utf-8")


def test_the_guide_lists_every_command_with_its_usage() -> None:
    for usage in USAGE.values():
        assert f"`/verbatim {usage}`" in GUIDE


def test_the_guide_names_every_token() -> None:
    for variable in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        assert variable in GUIDE


def test_the_manifest_declares_the_command_socket_mode_and_buttons() -> None:
    assert "- command: /verbatim" in MANIFEST
    assert "socket_mode_enabled: true" in MANIFEST
    assert re.search(r"interactivity:\n\s+is_enabled: true", MANIFEST)


def test_every_scope_in_the_manifest_is_explained_in_the_guide() -> None:
    scopes = re.findall(r"^\s+- ([a-z]+(?::[a-z]+)?) +#", MANIFEST, flags=re.M)
    assert scopes == [
        "chat:write", "commands", "files:write", "users:read", "channels:history",
        "groups:history",
    ]  # fmt: skip
    for scope in scopes:
        assert f"`{scope}`" in GUIDE
    assert tuple(scopes) == REQUIRED_SCOPES  # what `verbatim doctor` checks the token for
