"""The monitor with its real stages on a real SQLite store: disputes, tracked claims, topics."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.settings import Settings
from bot.bootstrap import open_app
from bot.core.models import Article, EventType
from bot.core.routing import ChannelRoute
from tests.conftest import GOLD, SEEDS, need_shared

# Publication order: Le Monde in February, then Reuters, the Times copy, the third outlet,
# Newsweek; the monitor must meet Macron's words before it can see them disputed.
SEED_ORDER = [
    "003_34b4e6c27b0b1f71.txt",
    "000_ff137786bbcf9b44.txt",
    "001_e415571ad3f1c5de.txt",
    "002_f1d616dfc469d761.txt",
    "004_8e82855a1186cabc.txt",
]


def _app(tmp_path: Path, routes: tuple[ChannelRoute, ...] | None = None):
    settings = Settings(
        db_path=tmp_path / "v.db",
        routes=routes or (ChannelRoute("console:desk", new_statements="all"),),
        sample_feed=False,
        console=False,
    )
    return open_app(settings=settings)


def _article(url: str, outlet: str, text: str, title: str = "A story") -> Article:
    return Article(url, outlet, title, text, datetime(2026, 3, 1, 9, tzinfo=UTC))


def test_seed_disputes_come_out_of_the_pipeline_in_publication_order(tmp_path: Path) -> None:
    need_shared()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    app = _app(tmp_path)
    found: dict[str, set[str | None]] = {}
    disputed: set[str | None] = set()
    for name in SEED_ORDER:
        meta = gold["articles"][name]
        text = (SEEDS / name).read_text(encoding="utf-8")
        events = app.monitor.ingest(_article(f"https://seed.test/{name}", meta["outlet"], text))
        disputes = [e for e in events if e.type is EventType.DISPUTE]
        found[name] = {e.disputed_by for e in disputes}
        disputed |= {e.speaker for e in disputes}
        assert all(e.evidence and e.first is not None for e in disputes)
    expected: dict[str, set[str | None]] = {}
    for d in gold["disputes"]:
        expected.setdefault(d["article"], set()).add(None if d["by"] == "the outlet" else d["by"])
    for name in SEED_ORDER:
        assert found[name] == expected.get(name, set()), name
    assert disputed == {"Emmanuel Macron"}
    # Every dispute alert is queued once, threaded under the statement it disputes.
    alerts = [a for a in app.outbox.pending(limit=1000) if a.event.type is EventType.DISPUTE]
    assert len(alerts) == 4
    assert all(a.thread_key == f"statement:{a.event.statement_id}" for a in alerts)
    app.close()


LEDGER = (
    "Harbour minister Tomas Ekdahl said on Monday: “The new ferry line will carry "
    "two million passengers a year by 2028.”\n\n"
    "The ministry expects the line to open in spring."
)
CRITIC = (
    "Port analysts were unconvinced by the ferry plan.\n\n"
    "Ruth Sandvik, an economist at the Coastal Institute, dismissed Mr. Ekdahl’s claim that "
    "the ferry line will carry two million passengers a year as “a fantasy”.\n\n"
    "“The numbers do not add up,” she said."
)


def test_a_statement_disputed_by_another_speaker_alerts_once_with_the_evidence(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    app.monitor.ingest(_article("https://ledger.test/1", "Harbour Ledger", LEDGER))
    quoted = (
        "Critics lined up after Tomas Ekdahl said “the new ferry line will carry two million "
        "passengers a year by 2028”.\n\n" + CRITIC
    )
    events = app.monitor.ingest(_article("https://tide.test/2", "Tide Post", quoted))
    disputes = [e for e in events if e.type is EventType.DISPUTE]
    assert [e.disputed_by for e in disputes] == ["Ruth Sandvik"]
    assert "dismissed" in (disputes[0].evidence or "")
    assert disputes[0].first is not None and disputes[0].first.outlet == "Harbour Ledger"
    # A second copy of the same story does not alert the same dispute again.
    app.monitor.ingest(_article("https://copy.test/3", "Copy Desk", quoted))
    alerts = [a for a in app.outbox.pending(limit=1000) if a.event.type is EventType.DISPUTE]
    assert len(alerts) == 1
    app.close()


def test_a_statement_quoted_without_its_speaker_is_disputed_as_its_speakers(
    tmp_path: Path,
) -> None:
    # The follow-up names the minister only as "Kowal's" and "The minister": its quote of her
    # words has no speaker, and the dispute stage read the statement as no one's, so "calling
    # Kowal's promise “a fantasy”" linked to nothing.
    app = _app(tmp_path)
    first = (
        "Transport Minister Dara Kowal said on Monday that the new Holm bridge “will open to "
        "traffic in the spring of 2028, on budget.”"
    )
    app.monitor.ingest(_article("https://gazette.test/1", "Eastport Gazette", first))
    follow_up = (
        "Opposition spokesman Lars Brun went further, calling Kowal’s promise “a fantasy.”\n\n"
        "The minister had said the bridge “will open to traffic in the spring of 2028, on "
        "budget.”"
    )
    events = app.monitor.ingest(_article("https://courier.test/2", "Holm Courier", follow_up))
    assert [e.speaker for e in events if e.type is EventType.REPEAT] == ["Dara Kowal"]
    disputes = [e for e in events if e.type is EventType.DISPUTE]
    assert [(e.speaker, e.disputed_by) for e in disputes] == [("Dara Kowal", "Lars Brun")]
    assert "a fantasy" in (disputes[0].evidence or "")
    app.close()


def test_a_tracked_claim_is_disputed_by_an_article_that_does_not_quote_it(tmp_path: Path) -> None:
    app = _app(tmp_path)
    sid, _ = app.store.add_tracked_statement(
        "The new ferry line will carry two million passengers a year", "Tomas Ekdahl"
    )
    events = app.monitor.ingest(_article("https://tide.test/9", "Tide Post", CRITIC))
    disputes = [e for e in events if e.type is EventType.DISPUTE]
    assert [e.statement_id for e in disputes] == [sid]
    assert disputes[0].disputed_by == "Ruth Sandvik"
    unrelated = "The council approved a new playground near the library on Tuesday."
    later = app.monitor.ingest(_article("https://tide.test/10", "Tide Post", unrelated))
    assert [e for e in later if e.type is EventType.DISPUTE] == []
    app.close()


@pytest.mark.parametrize("query", ["ferry AND passengers", 'speaker:Ekdahl "ferry line"'])
def test_a_saved_topic_alerts_its_own_channel_once_per_story(tmp_path: Path, query: str) -> None:
    routes = (
        ChannelRoute("console:desk", new_statements="none"),
        ChannelRoute("console:ports", new_statements="none"),
    )
    app = _app(tmp_path, routes)
    app.topics.add("console:ports", "ferries", query)
    app.topics.add("slack:C0FROMCHAT", "ferries", query)  # saved from chat, not in config
    events = app.monitor.ingest(_article("https://ledger.test/1", "Harbour Ledger", LEDGER))
    topics = [e for e in events if e.type is EventType.TOPIC]
    assert {(e.topic, e.channel) for e in topics} == {
        ("ferries", "console:ports"),
        ("ferries", "slack:C0FROMCHAT"),
    }
    if query.startswith("speaker:"):
        assert all(e.speaker == "Tomas Ekdahl" and e.statement_id for e in topics)
    # The same story again from another outlet: no second alert in the channel.
    app.monitor.ingest(_article("https://copy.test/1", "Copy Desk", LEDGER))
    alerts = [a for a in app.outbox.pending(limit=1000) if a.event.type is EventType.TOPIC]
    assert sorted(a.channel for a in alerts) == ["console:ports", "slack:C0FROMCHAT"]
    nothing = app.monitor.ingest(_article("https://x.test/2", "X", "Rain is expected."))
    assert [e for e in nothing if e.type is EventType.TOPIC] == []
    app.close()


def test_a_channel_can_turn_topic_alerts_off(tmp_path: Path) -> None:
    quiet = ChannelRoute(
        "console:ports",
        alerts=frozenset({EventType.ALTER}),
        new_statements="none",
    )
    app = _app(tmp_path, (quiet,))
    app.topics.add("console:ports", "ferries", "ferry")
    events = app.monitor.ingest(_article("https://ledger.test/1", "Harbour Ledger", LEDGER))
    assert [e.type for e in events if e.type is EventType.TOPIC] == [EventType.TOPIC]
    assert app.outbox.pending() == []
    app.close()


def test_judging_the_speaker_far_from_the_words_or_words_of_no_one_is_no_dispute(
    tmp_path: Path,
) -> None:
    # Real coverage repeats a known statement and, paragraphs away, judges its speaker on
    # something else; only a sentence about the statement itself (its words, "her promise",
    # right after the quote) disputes it. And words no one is known to have said are no one's
    # to contest.
    app = _app(tmp_path)
    pier = "“The north pier will reopen in May after the storm repairs,” Mayor Ines Calloway said."
    banner = "“The harbour is ours, not the council's!” read one banner outside the town hall."
    app.monitor.ingest(_article("https://ledger.test/1", "Harbour Ledger", f"{pier}\n\n{banner}"))
    text = (
        f"{pier}\n\nThe storm damaged 40 boats and flooded the fish market.\n\n"
        "Fishers said the market would stay shut until June.\n\n"
        "The council will meet again on Thursday.\n\n"
        "Councillor Bram Osei said it was wrong for residents to blame Calloway for the storm.\n\n"
        "Lena Vik slammed Calloway on Tuesday.\n\n"
        f"{banner} Shop owners rejected the banner's message as divisive."
    )
    events = app.monitor.ingest(_article("https://tide.test/2", "Tide Post", text))
    assert [e for e in events if e.type is EventType.DISPUTE] == []
    later = (
        "Councillor Bram Osei dismissed Calloway's promise that the north pier will reopen in May."
    )
    events = app.monitor.ingest(_article("https://tide.test/3", "Tide Post", f"{text}\n\n{later}"))
    assert [(e.disputed_by, e.speaker) for e in events if e.type is EventType.DISPUTE] == [
        ("Bram Osei", "Ines Calloway")
    ]
    app.close()


def test_a_statement_of_a_word_or_two_is_not_contested_unless_tracked(tmp_path: Path) -> None:
    # "“reckless,” Calloway called it" is a statement of one word; any later sentence on the
    # subject shares it, so no one can be said to contest it. Pinned by hand, it can be.
    app = _app(tmp_path)
    first = "Mayor Ines Calloway called the ferry plan “reckless” on Monday."
    app.monitor.ingest(_article("https://ledger.test/1", "Harbour Ledger", first))
    later = (
        f"{first}\n\nCouncillor Bram Osei rejected the word reckless and defended the ferry plan."
    )
    events = app.monitor.ingest(_article("https://tide.test/2", "Tide Post", later))
    assert [e for e in events if e.type is EventType.DISPUTE] == []
    app.store.add_tracked_statement("reckless", "Ines Calloway")
    events = app.monitor.ingest(_article("https://tide.test/3", "Tide Post", later + " Again."))
    assert [(e.disputed_by, e.speaker) for e in events if e.type is EventType.DISPUTE] == [
        ("Bram Osei", "Ines Calloway")
    ]
    app.close()
