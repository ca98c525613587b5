"""A channel's minimum severity: alterations below it are events, not alerts (issue 15)."""

from __future__ import annotations

import pytest

from bot.core.models import EventType, Severity
from bot.core.routing import ChannelRoute, RouteError, change_route, channels_for, describe_route


def test_channels_choose_the_least_severity_they_are_alerted_about() -> None:
    routes = [
        ChannelRoute("slack:all"),
        ChannelRoute("slack:medium", min_severity=Severity.MEDIUM),
        ChannelRoute("slack:high", min_severity=Severity.HIGH),
    ]
    assert channels_for(routes, EventType.ALTER, None, Severity.LOW) == ["slack:all"]
    assert channels_for(routes, EventType.ALTER, None, Severity.MEDIUM) == [
        "slack:all",
        "slack:medium",
    ]
    assert len(channels_for(routes, EventType.ALTER, None, Severity.HIGH)) == 3
    # Events without a severity (a dispute, a topic hit) are not filtered by it.
    assert len(channels_for(routes, EventType.DISPUTE, None)) == 3


def test_route_severity_from_chat() -> None:
    route = change_route(ChannelRoute("slack:C1"), "severity", "High")
    assert route.min_severity is Severity.HIGH
    assert "Alterations from severity: high" in describe_route(route)
    with pytest.raises(RouteError, match="high, medium or low"):
        change_route(route, "severity", "severe")


def test_the_event_is_always_recorded_and_only_severe_enough_alters_alert() -> None:
    from bot.core.models import Article
    from bot.core.monitor import Monitor
    from storage.db import open_db
    from storage.store import Store

    store = Store(open_db(":memory:"))
    routes = [
        ChannelRoute("console:all", new_statements="none"),
        ChannelRoute("console:high", new_statements="none", min_severity=Severity.HIGH),
    ]
    monitor = Monitor(store, routes)
    said = "We will need to rebuild the north quay before the winter storms arrive in force."
    reworded = "We must rebuild the north quay before the winter storms arrive in force."
    events = []
    for n, (outlet, words) in enumerate([("Tide Post", said), ("Harbour Wire", reworded)]):
        text = f"The mayor spoke on Monday.\n\n“{words}” said Clara Vennholt, the mayor."
        events += monitor.ingest(Article(f"https://example.test/{n}", outlet, "Quay", text))
    [alter] = [e for e in events if e.statement_id == 1][-1:]
    assert alter.type is EventType.ALTER and alter.severity is Severity.MEDIUM
    channels = [r["channel"] for r in store.db.query("select channel from alerts")]
    assert channels == ["console:all"]


def test_route_severity_through_the_command_layer_is_kept_for_the_channel() -> None:
    from pathlib import Path

    from bot.app.settings import Settings
    from bot.bootstrap import open_app
    from bot.core.backend import Caller
    from bot.core.commands import parse_command

    settings = Settings(db_path=Path(":memory:"), routes=(ChannelRoute("slack:C1"),))
    app = open_app(settings=settings)
    store, monitor = app.store, app.monitor
    backend = app.backend(lambda routes: setattr(monitor, "routes", list(routes)))
    command = parse_command("route severity high")
    args = dict(command.args)
    reply = backend.route(Caller("slack:C1", "U1", is_admin=True), args["setting"], args["value"])
    assert reply.ok and "Alterations from severity: high" in reply.lines
    assert [r.min_severity for r in store.saved_routes()] == [Severity.HIGH]
    assert monitor.routes[0].min_severity is Severity.HIGH
