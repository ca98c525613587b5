"""Settings: embedded defaults, the example file, and clear errors naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.settings import (
    EXAMPLE_CONFIG,
    SettingsError,
    check_platforms,
    load_settings,
    settings_from_mapping,
)


def test_embedded_defaults_need_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, {})
    assert settings.source == "embedded defaults"
    assert settings.console and settings.sample_feed
    assert [r.channel for r in settings.routes] == ["console:default"]
    assert settings.slack is None and settings.discord is None


def test_the_example_config_loads() -> None:
    settings = load_settings(EXAMPLE_CONFIG, {})
    assert settings.db_path == Path("var/verbatim.db")
    assert settings.routes[0].digest_at == "09:00"
    assert settings.routes[0].min_severity.value == "low"


def test_a_channel_chooses_its_minimum_severity() -> None:
    data = {"channels": [{"id": "slack:C1", "min_severity": "high"}]}
    assert settings_from_mapping(data, {}).routes[0].min_severity.value == "high"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"database": {"path": 3}}, "database.path"),
        ({"sources": {"poll_interval": "often"}}, "sources.poll_interval"),
        ({"sources": {"polling": 3}}, "sources.polling"),
        ({"channels": [{"id": "nochannel"}]}, "channels[0].id"),
        ({"channels": [{"id": "slack:C1", "alerts": ["gossip"]}]}, "channels[0].alerts"),
        ({"channels": [{"id": "slack:C1", "digest_at": "25:00"}]}, "channels[0].digest_at"),
        ({"channels": [{"id": "slack:C1", "min_severity": "dire"}]}, "channels[0].min_severity"),
        ({"feeds": [{"channel": "slack:C1"}]}, "feeds[0].url"),
        ({"console": {"colour": "pink"}}, "console.colour"),
        ({"telegram": {}}, "[telegram]"),
    ],
)
def test_a_wrong_setting_is_named(data: dict[str, object], named: str) -> None:
    with pytest.raises(SettingsError, match=named.replace("[", r"\[").replace("]", r"\]")):
        settings_from_mapping(data, {})


def test_a_missing_or_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", {})
    broken = tmp_path / "broken.toml"
    broken.write_text("[database\npath=1")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(broken, {})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"channels": [{"id": "console:desk"}, {"id": "slack:general"}]},
            "channels[1].id 'slack:general' is on slack, which is not enabled",
        ),
        (
            {"channels": [{"id": "discord:1"}], "slack": {"enabled": True}},
            "channels[0].id 'discord:1' is on discord, which is not enabled",
        ),
        (
            {"channels": [{"id": "console:desk"}], "console": {"enabled": False}},
            "channels[0].id 'console:desk' is on console, which is not enabled",
        ),
        ({"channels": [{"id": "teams:x"}]}, "unknown platform 'teams'"),
        (
            {"feeds": [{"url": "https://x.example/rss", "channel": "slack:C1"}]},
            "feeds[0].channel 'slack:C1' is on slack",
        ),
    ],
)
def test_a_route_to_a_platform_that_is_not_on_is_named_before_start_up(
    data: dict[str, object], message: str
) -> None:
    settings = settings_from_mapping(data, {})  # loads, so `verbatim doctor` can report it
    with pytest.raises(SettingsError) as refused:
        check_platforms(settings)
    assert message in str(refused.value)


def test_routes_to_enabled_platforms_and_the_defaults_pass() -> None:
    data = {"channels": [{"id": "slack:C1"}, {"id": "console:desk"}], "slack": {"enabled": True}}
    check_platforms(settings_from_mapping(data, {}))
    check_platforms(settings_from_mapping({"console": {"enabled": False}}, {}))


def test_run_stops_at_start_up_naming_the_channel(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "verbatim.toml").write_text('[[channels]]\nid = "slack:general"\n')
    done = run_cli("run", "--once", "--db", "v.db", cwd=tmp_path)
    assert done.returncode == 2
    assert "channels[0].id 'slack:general' is on slack, which is not enabled" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_stops_at_start_up_naming_a_route_saved_from_chat(tmp_path: Path) -> None:
    """Routing set from chat in a Slack channel, then Slack turned off: named, not a silent
    outbox that never drains (issue 16)."""
    from bot.core.routing import ChannelRoute
    from storage.db import open_db
    from storage.feeds import FeedStore
    from storage.store import Store
    from tests.conftest import run_cli

    db = open_db(tmp_path / "v.db")
    Store(db).save_route(ChannelRoute("slack:CDESK"), "U1")
    db.close()
    done = run_cli("run", "--once", "--db", "v.db", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "the routing saved from chat for 'slack:CDESK' is on slack" in done.stderr
    assert "delete from channel_routes where channel = 'slack:CDESK'" in done.stderr
    assert "Traceback" not in done.stderr

    db = open_db(tmp_path / "v.db")
    db.execute("delete from channel_routes")
    FeedStore(db).add("https://fenwick-courier.example/rss", "discord:42")
    db.close()
    done = run_cli("run", "--once", "--db", "v.db", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "feed https://fenwick-courier.example/rss" in done.stderr
    assert "'discord:42' is on discord, which is not enabled" in done.stderr
    assert "verbatim feeds remove https://fenwick-courier.example/rss" in done.stderr


@pytest.mark.parametrize(
    ("data", "named"),
    [
        # A negative interval made the scheduler compute run times for ever (gigabytes in
        # seconds), a zero timeout or size cap refused every fetch with a puzzling reason.
        ({"sources": {"poll_interval": -5}}, "sources.poll_interval must be 60 or more"),
        ({"sources": {"poll_interval": 0}}, "sources.poll_interval must be 60 or more"),
        ({"delivery": {"interval_seconds": -1}}, "delivery.interval_seconds must be 0.1 or more"),
        ({"sources": {"timeout_seconds": 0}}, "sources.timeout_seconds must be 1 or more"),
        ({"sources": {"max_body_bytes": -1}}, "sources.max_body_bytes must be 1 or more"),
        ({"feeds": [{"url": "https://x.example/f", "interval": 5}]}, "feeds[0].interval"),
        # Not arrays of tables: these raised AttributeError or TypeError, a traceback.
        ({"channels": "slack:C1"}, "channels must be an array of tables"),
        ({"channels": ["slack:C1"]}, "channels[0] must be a table"),
        ({"feeds": "https://x.example/f"}, "feeds must be an array of tables"),
        ({"feeds": [5]}, "feeds[0] must be a table"),
    ],
)
def test_a_setting_out_of_range_or_of_the_wrong_shape_is_named(
    data: dict[str, object], named: str
) -> None:
    with pytest.raises(SettingsError, match=named.replace("[", r"\[").replace("]", r"\]")):
        settings_from_mapping(data, {})


def test_the_limits_themselves_are_accepted() -> None:
    data = {
        "sources": {"poll_interval": 60, "timeout_seconds": 1, "max_body_bytes": 1},
        "delivery": {"interval_seconds": 0.1},
        "feeds": [{"url": "https://x.example/f", "interval": 60}],
    }
    settings = settings_from_mapping(data, {})
    assert (settings.poll_interval, settings.deliver_interval) == (60, 0.1)
    assert settings.feeds[0].interval == 60
