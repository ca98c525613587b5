"""Slack's escaped command text back to what the user typed, then through the shared parser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.listeners import plain_text
from bot.core.commands import Command, UsageError, parse_command


def test_links_channels_users_and_entities_are_unwrapped() -> None:
    text = "feeds add <https://lantern.example/feed.xml?a=1&amp;b=2|lantern.example/feed.xml>"
    assert plain_text(text) == "feeds add https://lantern.example/feed.xml?a=1&b=2"
    assert (
        plain_text("topic add x <#C123|desk> &lt;tag&gt; <@U77>") == "topic add x #desk <tag> @U77"
    )


def test_an_escaped_feed_url_parses_to_the_plain_url() -> None:
    command = parse_command(plain_text("feeds add <https://a.example/rss?x=1&amp;y=2>"))
    assert command == Command("feeds add", (("url", "https://a.example/rss?x=1&y=2"),))


@given(st.text(alphabet=st.sampled_from(list("<>|&;@#:/ ahtpsCU1\"“”'")), max_size=80))
def test_any_slack_text_gives_a_command_or_a_usage_error(text: str) -> None:
    try:
        command = parse_command(plain_text(text))
    except UsageError as exc:
        assert str(exc)
    else:
        assert command.name
