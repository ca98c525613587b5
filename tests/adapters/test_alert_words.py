"""The words of an alert, the same through all three renderers (issue 18's polish): a long
quote cut at a word inside its marks, evidence with balanced quotation marks, "date unknown"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from adapters import console
from adapters.discord import render as discord
from adapters.slack import render as slack
from bot.core.models import Alert, Appearance, Event, EventType
from tests.adapters.alerts import EVENTS, alert


def slack_text(item: Alert) -> str:
    return "\n".join(slack._texts(slack.render_alert(item)["blocks"]))


def discord_text(item: Alert) -> str:
    embed = discord.render_alert(item)
    fields = [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    return "\n".join([embed["title"], embed.get("description", ""), *fields])


def console_text(item: Alert) -> str:
    return "\n".join(console.render_event(item.event, console.Style(colour=False)))


RENDERERS: dict[str, Callable[[Alert], str]] = {
    "slack": slack_text,
    "discord": discord_text,
    "console": console_text,
}


def dispute(evidence: str) -> Alert:
    return alert(replace(EVENTS["dispute"], evidence=evidence))


@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_evidence_that_ends_in_a_quotation_gets_no_stray_mark(platform: str) -> None:
    shown = RENDERERS[platform](dispute("Tenzer commented: “Devastating.”"))
    assert "Tenzer commented: “Devastating.”" in shown
    assert "””" not in shown and "“Tenzer" not in shown  # the sentence is not quoted again


@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_a_stray_closing_mark_in_evidence_is_dropped(platform: str) -> None:
    shown = RENDERERS[platform](dispute("Tenzer commented: “Devastating.””"))
    assert "Tenzer commented: “Devastating.”" in shown and "””" not in shown


@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_evidence_that_starts_mid_quote_says_so(platform: str) -> None:
    shown = RENDERERS[platform](dispute("It seems Macron can’t let go of his vision.” she said"))
    assert "“…It seems Macron can’t let go of his vision.” she said" in shown


@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_a_first_appearance_without_date_or_outlet_says_so_in_words(platform: str) -> None:
    event = replace(EVENTS["repeat"], first=Appearance("", "", None))
    shown = RENDERERS[platform](alert(event)).lower()
    assert "first appeared" in shown and "unknown outlet, date unknown" in shown
    assert ", ?" not in shown


def _cut_quote(body: str, quote: str) -> str:
    """The words kept of ``quote`` in a body that shows it cut: ``“kept…”``."""
    assert body.startswith("“") and body.endswith("…”"), body[-20:]
    kept = body[1:-2]
    assert quote.startswith(kept) and quote[len(kept)] == " ", "cut inside a word"
    return kept


LONG = " ".join(f"The harbour dues fall by {n} percent in spring." for n in range(700))


def test_slack_cuts_a_long_quote_at_a_word_inside_its_marks() -> None:
    event = replace(EVENTS["new_statement"], quote=LONG)
    body = slack.render_alert(alert(event))["blocks"][1]["text"]["text"]
    assert len(body) <= slack.SECTION_MAX
    assert len(_cut_quote(body, LONG)) > slack.SECTION_MAX - 20


def test_discord_cuts_a_long_quote_at_a_word_inside_its_marks() -> None:
    event = replace(EVENTS["new_statement"], quote=LONG)
    embed = discord.render_alert(alert(event, channel="discord:1"))
    assert len(embed["description"]) <= discord.DESCRIPTION_MAX
    assert discord.embed_length(embed) <= discord.EMBED_TOTAL_MAX
    _cut_quote(embed["description"], LONG)


def test_a_notice_is_titled_by_what_it_is_about_and_not_put_in_quotation_marks() -> None:
    detail = "The feed failed 5 times; polling paused."
    notice = Event(EventType.FEED_NOTICE, "https://lantern.example/rss", "The Lantern",
                   title="The Lantern", detail=detail)  # fmt: skip
    message = slack.render_alert(alert(notice))
    assert message["blocks"][0]["text"]["text"] == "Feed notice: The Lantern"
    assert message["text"] == f"Feed notice: The Lantern: {detail}"
    assert discord.render_alert(alert(notice))["title"] == "Feed notice: The Lantern"
    assert console_text(alert(notice)).startswith("Feed notice: The Lantern\n")


def test_slack_puts_a_channels_mention_first_in_the_text_and_the_message() -> None:
    plain = slack.render_alert(alert(EVENTS["alter"], 3))
    for mention, markup in (
        ("@here", "<!here>"),
        ("@channel", "<!channel>"),
        ("S0ABC12", "<!subteam^S0ABC12>"),
    ):
        pinged = slack.render_alert(alert(replace(EVENTS["alter"], mention=mention), 3))
        assert pinged["text"] == f"{markup} {plain['text']}"
        assert pinged["blocks"][0] == plain["blocks"][0]  # the header stays first
        assert pinged["blocks"][1] == {
            "type": "section",
            "text": {"type": "mrkdwn", "text": markup, "verbatim": True},
        }
        assert pinged["blocks"][2:] == plain["blocks"][1:]
    assert "<!" not in str(plain)
    role = slack.render_alert(alert(replace(EVENTS["alter"], mention="123456789"), 3))
    assert role == plain  # a Discord role id pings nobody on Slack
