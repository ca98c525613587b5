"""Syndicated copies: one wire story on five sites is one alert naming the five outlets."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from adapters.console import ConsoleNotifier
from adapters.discord.render import render_alert as discord_embed
from adapters.slack.render import render_alert as slack_render
from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.delivery import deliver_pending
from bot.core.models import Article, EventType
from bot.core.routing import ChannelRoute

WIRE = (
    "{place} (Northgate Wire) – Port Aldren will build a second container terminal, harbour "
    "director Signe Holmvik said on {day}.\n\n"
    "“We will double the port’s capacity within six years and we will not ask the city for a "
    "single krone,” Holmvik told reporters.\n\n"
    "{extra}The terminal is expected to open in 2032."
)
COPIES = [
    ("Northgate Wire", "PORT ALDREN", "Tuesday", ""),
    ("The Aldren Courier", "PORT ALDREN", "Tuesday", "Local traders welcomed the plan. "),
    ("Coastline Gazette", "Port Aldren", "Tuesday", ""),
    ("Harbor Daily Post", "PORT ALDREN", "Tuesday", "The council has not commented. "),
    ("The Meridian Times", "PORT ALDREN", "Tuesday afternoon", ""),
]


def _copies() -> list[Article]:
    return [
        Article(
            url=f"https://{outlet.lower().replace(' ', '-')}.example/terminal?utm_source=wire",
            outlet=outlet,
            title=f"Second terminal for Port Aldren ({outlet})",
            text=WIRE.format(place=place, day=day, extra=extra),
            published=datetime(2026, 11, 17, 9 + i, tzinfo=UTC),
        )
        for i, (outlet, place, day, extra) in enumerate(COPIES)
    ]


def _app(tmp_path: Path):
    settings = Settings(
        db_path=tmp_path / "v.db",
        routes=(ChannelRoute("console:desk", new_statements="all"),),
        sample_feed=False,
        console=True,
    )
    return open_app(settings=settings, stream=io.StringIO())


async def test_five_copies_make_one_alert_naming_five_outlets(tmp_path: Path) -> None:
    app = _app(tmp_path)
    for article in _copies():
        app.monitor.ingest(article)
    pending = app.outbox.pending(limit=100)
    assert len(pending) == 1
    event = pending[0].event
    assert event.type is EventType.NEW_STATEMENT and event.speaker == "Signe Holmvik"
    assert [event.outlet, *event.also_in] == [c[0] for c in COPIES]
    slack = json.dumps(slack_render(pending[0]), ensure_ascii=False)
    assert "*Also carried by:* The Aldren Courier, Coastline Gazette" in slack
    fields = {f["name"]: f["value"] for f in discord_embed(pending[0])["fields"]}
    assert fields["Also carried by"].startswith("The Aldren Courier, Coastline Gazette")
    # Every copy is stored, once per outlet.
    assert app.store.article_count() == 5
    out = io.StringIO()
    assert await deliver_pending(app.outbox, {"console": ConsoleNotifier(out, False)}) == 1
    printed = out.getvalue()
    assert "also carried by: The Aldren Courier, Coastline Gazette, Harbor Daily Post" in printed
    # A sixth copy after the alert went out: counted in the thread, never a second alert.
    sixth = Article(
        "https://sixth.example/t", "Sixth Sense News", "Terminal", WIRE.format(
            place="PORT ALDREN", day="Tuesday", extra=""
        ),
    )  # fmt: skip
    app.monitor.ingest(sixth)
    assert app.outbox.pending() == []
    app.close()


def test_a_copy_that_changes_the_quote_still_raises_the_alteration(tmp_path: Path) -> None:
    app = _app(tmp_path)
    first, *others = _copies()
    app.monitor.ingest(first)
    edited = others[0]
    changed = edited.text.replace("we will not ask", "we will ask")
    events = app.monitor.ingest(
        Article(edited.url, edited.outlet, edited.title, changed, edited.published)
    )
    alters = [e for e in events if e.type is EventType.ALTER]
    assert len(alters) == 1
    assert any(c.kind.value == "negation" for c in alters[0].changes)
    types = sorted(a.event.type.value for a in app.outbox.pending())
    assert types == ["alter", "new_statement"]
    app.close()


def test_the_same_copy_under_a_new_url_is_not_stored_twice(tmp_path: Path) -> None:
    app = _app(tmp_path)
    first = _copies()[0]
    app.monitor.ingest(first)
    moved = Article(first.url + "&guid=changed", first.outlet, "New title", first.text)
    assert app.monitor.ingest(moved) == []
    assert app.store.article_count() == 1
    app.close()
