"""`DiscordSettings.from_config`: complete settings build, incomplete ones name what is missing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.settings import DEFAULT_API_BASE, DiscordSettings


def test_settings_read_the_token_from_the_environment_and_ids_from_the_section() -> None:
    settings = DiscordSettings.from_config(
        {"guild_ids": ["112233445566", 778899], "admin_roles": ["42"]},
        {"DISCORD_TOKEN": " abc.def "},
    )
    assert settings.token == "abc.def"
    assert settings.guild_ids == (112233445566, 778899)
    assert settings.admin_roles == (42,)
    assert settings.api_base_url == DEFAULT_API_BASE


def test_a_missing_token_is_named() -> None:
    with pytest.raises(ValueError, match="DISCORD_TOKEN"):
        DiscordSettings.from_config({"guild_ids": []}, {})


@pytest.mark.parametrize(
    ("section", "named"),
    [
        ({"guild_ids": ["#general"]}, "discord.guild_ids"),
        ({"guild_ids": "112233"}, "discord.guild_ids"),
        ({"admin_roles": [True]}, "discord.admin_roles"),
        ({"api_base_url": "localhost"}, "discord.api_base_url"),
        ({"gateway_url": 5}, "discord.gateway_url"),
    ],
)
def test_a_wrong_setting_is_named(section: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        DiscordSettings.from_config(section, {"DISCORD_TOKEN": "t"})


@given(st.lists(st.one_of(st.text(), st.integers(), st.booleans(), st.none()), max_size=5))
def test_any_guild_ids_give_ids_or_a_named_error(raw: list[object]) -> None:
    try:
        settings = DiscordSettings.from_config({"guild_ids": raw}, {"DISCORD_TOKEN": "t"})
    except ValueError as exc:
        assert "discord.guild_ids" in str(exc)
    else:
        assert all(isinstance(g, int) for g in settings.guild_ids)
