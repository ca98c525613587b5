"""Channel ids and nonces: bad channel ids fail clearly, nonces are stable and within limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.notifier import channel_id, nonce_for
from bot.core.models import Alert, Event, EventType


def alert(key: str) -> Alert:
    event = Event(EventType.FEED_NOTICE, "https://feeds.example/rss", "Feeds")
    return Alert(1, key, "discord:1", event, datetime(2026, 1, 5, tzinfo=UTC))


def test_a_discord_channel_id_is_read() -> None:
    assert channel_id("discord:112233445566778899") == 112233445566778899


@pytest.mark.parametrize("bad", ["slack:C0123", "discord:", "discord:#general", "112233", ""])
def test_anything_else_is_refused_with_the_expected_form(bad: str) -> None:
    with pytest.raises(ValueError, match="discord:<channel id>"):
        channel_id(bad)


@given(st.text())
def test_any_text_is_a_channel_id_or_a_clear_error(text: str) -> None:
    try:
        assert channel_id(text) >= 0
    except ValueError as exc:
        assert "discord:<channel id>" in str(exc)


@given(st.text(min_size=1))
def test_a_nonce_is_stable_per_alert_and_fits_discords_25_characters(key: str) -> None:
    assert nonce_for(alert(key)) == nonce_for(alert(key))
    assert len(nonce_for(alert(key))) <= 25


@pytest.mark.parametrize("digits", ["discord:²", "discord:٣٤"])
def test_non_ascii_digits_are_refused(digits: str) -> None:
    with pytest.raises(ValueError, match="discord:<channel id>"):
        channel_id(digits)
