"""docs/discord.md stays true: the permissions integer, the scopes, every command, the token."""

from __future__ import annotations

from adapters.discord.commands import verbatim_group
from adapters.discord.runtime import REQUIRED_PERMISSIONS, invite_url
from tests.conftest import REPO

DOC = (REPO / "docs" / "discord.md").read_text(encoding="utf-8")


def test_the_permissions_integer_and_invite_url_match_the_code() -> None:
    assert str(REQUIRED_PERMISSIONS.value) in DOC
    documented = invite_url(1).replace("client_id=1", "client_id=APPLICATION_ID")
    assert documented in DOC


def test_every_command_and_the_token_are_documented() -> None:
    group = verbatim_group()
    names = [c.qualified_name for c in group.walk_commands() if not hasattr(c, "commands")]
    assert len(names) == 15
    for name in names:
        head, *sub = name.split()[1:]
        assert f"/verbatim {head}" in DOC, f"{name} is not in docs/discord.md"
        assert all(s in DOC for s in sub), f"{name} is not in docs/discord.md"
    assert "DISCORD_TOKEN" in DOC
