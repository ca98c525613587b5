"""`/verbatim story WORDS_OR_ID` (issue 18): parsed like the other commands, answered by the
bot's backend from a real SQLite store with the same story as `verbatim story`."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.backend import Caller
from bot.core.commands import (
    Command,
    UsageError,
    command_from_options,
    help_reply,
    parse_command,
    run_command,
)
from bot.core.models import Article

FERRY = Article(
    url="https://harbour-ledger.example/ferry",
    outlet="Harbour Ledger",
    title="Ferry line promised",
    text="Harbour minister Tomas Ekdahl said on Monday: “The new ferry line will carry two "
    "million passengers a year by 2028.”",
    published=datetime(2026, 11, 23, 8, tzinfo=UTC),
)
ALTERED = replace(
    FERRY,
    url="https://tide-post.example/ferry",
    outlet="Tide Post",
    text=FERRY.text.replace("two million", "three million"),
    published=datetime(2026, 11, 24, 8, tzinfo=UTC),
)


def test_story_parses_words_an_id_and_quoted_words() -> None:
    assert parse_command("story ferry line") == Command("story", (("query", "ferry line"),))
    assert parse_command("story #18").get("query") == "#18"
    assert parse_command("story “the new ferry line”").get("query") == "the new ferry line"
    assert command_from_options("story", {"query": " 18 "}).get("query") == "18"
    with pytest.raises(UsageError, match="Usage: /verbatim story <words or statement id>"):
        parse_command("story")
    assert "first appeared" in help_reply("story").lines[0]


def test_the_backend_tells_a_statements_story_from_the_store(tmp_path: Path) -> None:
    app = open_app(settings=Settings(db_path=tmp_path / "v.db"), stream=io.StringIO())
    try:
        app.monitor.ingest(FERRY)
        app.monitor.ingest(ALTERED)
        backend = app.backend()
        caller = Caller("slack:C1", "U1")
        by_words = run_command(parse_command("story new ferry line"), caller, backend)
        by_id = run_command(parse_command("story #1"), caller, backend)
        missing = run_command(parse_command("story lighthouse keepers"), caller, backend)
    finally:
        app.close()
    assert by_words.ok and by_words.title == "Story of statement #1 by Tomas Ekdahl"
    assert by_id == by_words
    shown = "\n".join(by_words.lines)
    assert "Harbour Ledger" in shown and "Tide Post" in shown and "three million" in shown
    assert not missing.ok and "lighthouse keepers" in missing.title


def test_digest_now_is_sent_to_the_channel_with_its_chart(tmp_path: Path) -> None:
    app = open_app(settings=Settings(db_path=tmp_path / "v.db"), stream=io.StringIO())
    now = datetime.now(UTC)
    try:
        app.monitor.ingest(replace(FERRY, published=now))
        app.monitor.ingest(replace(ALTERED, published=now))
        caller = Caller("slack:C1", "U1")
        charted = app.backend(chart_folder=tmp_path / "charts")
        reply = run_command(parse_command("digest now"), caller, charted)
        text_only = run_command(parse_command("digest now"), caller, app.backend())
        queued = [a for a in app.store.outbox.pending() if a.key.startswith("digest-now:")]
    finally:
        app.close()
    assert reply.ok and "on its way" in reply.title
    [digest] = queued
    assert digest.channel == "slack:C1" and digest.event.attachment
    assert Path(digest.event.attachment).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Ekdahl" in (digest.event.detail or "")
    assert "on its way" not in text_only.title and text_only.lines  # no folder: the text itself
