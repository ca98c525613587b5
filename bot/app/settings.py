"""Settings: a TOML file over embedded defaults; secrets come only from the environment.

`load_settings` validates everything at start-up and raises `SettingsError` naming the
setting that is missing or wrong, so the bot never starts half-configured.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.models import MIN_POLL_SECONDS, EventType, Severity
from bot.core.routing import ALERTABLE, WEEKDAYS, ChannelRoute, RouteError, mention_target

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"
EXAMPLE_CONFIG = REPO_CONFIG / "verbatim.example.toml"
SAMPLE_FEED = REPO_CONFIG / "sample" / "feed.atom"
DEFAULT_CONFIG_PATH = Path("verbatim.toml")


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names it."""


MIN_DELIVER_SECONDS = 0.1
MIN_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class FeedSetting:
    url: str
    channel: str | None = None
    interval: int = 900


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path("var/verbatim.db")
    routes: tuple[ChannelRoute, ...] = (ChannelRoute("console:default", new_statements="all"),)
    feeds: tuple[FeedSetting, ...] = ()
    sample_feed: bool = True
    poll_interval: int = 900
    deliver_interval: float = 2.0
    user_agent: str = "Verbatim/0.1 (media monitor; +https://example.org/verbatim)"
    timeout_seconds: float = 20.0
    max_body_bytes: int = 5_000_000
    allow_private_hosts: tuple[str, ...] = ()
    fetch_full_pages: bool = True
    console: bool = True
    colour: bool | None = None
    slack: Mapping[str, Any] | None = None  # the [slack] section when enabled
    discord: Mapping[str, Any] | None = None  # the [discord] section when enabled
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    source: str = "embedded defaults"


_KNOWN = {
    "database": {"path"},
    "sources": {
        "sample_feed",
        "poll_interval",
        "user_agent",
        "timeout_seconds",
        "max_body_bytes",
        "allow_private_hosts",
        "fetch_full_pages",
    },
    "delivery": {"interval_seconds"},
    "console": {"enabled", "colour"},
    "slack": {"enabled", "mode", "host", "port", "path", "admins", "api_base_url"},
    "discord": {"enabled", "guild_ids", "admin_roles", "api_base_url", "gateway_url"},
}


def _get(section: Mapping[str, Any], key: str, kind: type, where: str, default: Any) -> Any:
    if key not in section:
        return default
    value = section[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok, value = True, float(value)
    if not ok:
        name = kind.__name__
        article = "an" if name[0] in "aeiou" else "a"
        raise SettingsError(f"{where}.{key} must be {article} {name}, not {value!r}")
    return value


def _at_least(value: Any, floor: float, where: str, why: str = "") -> Any:
    """``value`` when it is ``floor`` or more (a negative interval made the scheduler loop for
    ever, eating memory); SettingsError naming the setting otherwise."""
    if value < floor:
        raise SettingsError(f"{where} must be {floor:g} or more, not {value!r}{why}")
    return value


def _tables(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    """The array of tables ``[[name]]``: SettingsError for anything else (``name = "x"``)."""
    raw = data.get(name, [])
    if not isinstance(raw, list):
        raise SettingsError(f"{name} must be an array of tables ([[{name}]]), not {raw!r}")
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise SettingsError(f"{name}[{i}] must be a table, not {item!r}")
    return raw


def _route(raw: Mapping[str, Any], n: int) -> ChannelRoute:
    where = f"channels[{n}]"
    channel = raw.get("id")
    if not isinstance(channel, str) or ":" not in channel:
        raise SettingsError(
            f'{where}.id is required, as "<platform>:<channel>", e.g. "slack:C0123"'
        )
    alerts = _get(raw, "alerts", list, where, [e.value for e in ALERTABLE])
    try:
        kinds = frozenset(EventType(a) for a in alerts)
    except ValueError as exc:
        names = ", ".join(sorted(e.value for e in ALERTABLE))
        raise SettingsError(f"{where}.alerts: {exc}; choose from {names}") from None
    new = _get(raw, "new_statements", str, where, "watched")
    if new not in ("watched", "all", "none"):
        raise SettingsError(f'{where}.new_statements must be "watched", "all" or "none"')
    tz = _get(raw, "timezone", str, where, "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{where}.timezone {tz!r} is not a known time zone") from None
    digest_at = raw.get("digest_at", "09:00")
    if digest_at is not None and digest_at != "":
        parts = str(digest_at).split(":")
        valid = len(parts) == 2 and all(p.isdigit() for p in parts)
        if not valid or int(parts[0]) > 23 or int(parts[1]) > 59:
            raise SettingsError(f'{where}.digest_at must be "HH:MM" (or "" for no digest)')
    severity = _get(raw, "min_severity", str, where, "low")
    try:
        min_severity = Severity(severity)
    except ValueError:
        raise SettingsError(f'{where}.min_severity must be "low", "medium" or "high"') from None
    day = _get(raw, "digest_day", str, where, "").strip().lower()
    if day and day not in WEEKDAYS:
        raise SettingsError(
            f'{where}.digest_day must be a weekday ("monday" … "sunday") or "" for daily'
        )
    try:
        mention = mention_target(_get(raw, "mention", str, where, ""))
    except RouteError as exc:
        raise SettingsError(f"{where}.mention: {exc}") from None
    return ChannelRoute(
        channel=channel,
        alerts=kinds,
        min_severity=min_severity,
        speakers=tuple(_get(raw, "speakers", list, where, [])),
        new_statements=new,
        digest_at=str(digest_at) if digest_at else None,
        timezone=tz,
        digest_day=day or None,
        mention=mention,
    )


def settings_from_mapping(
    data: Mapping[str, Any], env: Mapping[str, str], source: str = "config"
) -> Settings:
    for section, keys in _KNOWN.items():
        raw = data.get(section, {})
        if not isinstance(raw, Mapping):
            raise SettingsError(f"[{section}] must be a table")
        unknown = set(raw) - keys
        if unknown:
            raise SettingsError(f"unknown setting {section}.{sorted(unknown)[0]} in {source}")
    unknown_sections = set(data) - set(_KNOWN) - {"channels", "feeds"}
    if unknown_sections:
        raise SettingsError(f"unknown section [{sorted(unknown_sections)[0]}] in {source}")
    db = data.get("database", {})
    src = data.get("sources", {})
    console = data.get("console", {})
    delivery = data.get("delivery", {})
    raw_routes = _tables(data, "channels")
    routes = tuple(_route(r, i) for i, r in enumerate(raw_routes)) or Settings.routes
    feeds = tuple(
        FeedSetting(
            url=_get(f, "url", str, f"feeds[{i}]", None) or _fail(f"feeds[{i}].url is required"),
            channel=_get(f, "channel", str, f"feeds[{i}]", None),
            interval=_at_least(
                _get(f, "interval", int, f"feeds[{i}]", FeedSetting.interval),
                MIN_POLL_SECONDS,
                f"feeds[{i}].interval",
                " (seconds: a feed is polled at most once a minute)",
            ),
        )
        for i, f in enumerate(_tables(data, "feeds"))
    )
    colour = console.get("colour", "auto")
    if colour not in ("auto", "always", "never"):
        raise SettingsError('console.colour must be "auto", "always" or "never"')
    slack = data.get("slack", {})
    discord = data.get("discord", {})
    return Settings(
        db_path=Path(_get(db, "path", str, "database", str(Settings.db_path))),
        routes=routes,
        feeds=feeds,
        sample_feed=_get(src, "sample_feed", bool, "sources", Settings.sample_feed),
        poll_interval=_at_least(
            _get(src, "poll_interval", int, "sources", Settings.poll_interval),
            MIN_POLL_SECONDS,
            "sources.poll_interval",
            " (seconds: a feed is polled at most once a minute)",
        ),
        deliver_interval=_at_least(
            _get(delivery, "interval_seconds", float, "delivery", Settings.deliver_interval),
            MIN_DELIVER_SECONDS,
            "delivery.interval_seconds",
        ),
        user_agent=_get(src, "user_agent", str, "sources", Settings.user_agent),
        timeout_seconds=_at_least(
            _get(src, "timeout_seconds", float, "sources", Settings.timeout_seconds),
            MIN_TIMEOUT_SECONDS,
            "sources.timeout_seconds",
        ),
        max_body_bytes=_at_least(
            _get(src, "max_body_bytes", int, "sources", Settings.max_body_bytes),
            1,
            "sources.max_body_bytes",
        ),
        allow_private_hosts=tuple(
            _get(src, "allow_private_hosts", list, "sources", list(Settings.allow_private_hosts))
        ),
        fetch_full_pages=_get(src, "fetch_full_pages", bool, "sources", Settings.fetch_full_pages),
        console=_get(console, "enabled", bool, "console", Settings.console),
        colour={"auto": None, "always": True, "never": False}[colour],
        slack=slack if _get(slack, "enabled", bool, "slack", False) else None,
        discord=discord if _get(discord, "enabled", bool, "discord", False) else None,
        env=dict(env),
        source=source,
    )


PLATFORMS = ("console", "slack", "discord")


def _enabled(settings: Settings) -> dict[str, bool]:
    return {
        "console": settings.console,
        "slack": settings.slack is not None,
        "discord": settings.discord is not None,
    }


def on_known_platform(channel: str) -> bool:
    return channel.split(":", 1)[0] in PLATFORMS


def check_channel(settings: Settings, channel: str, where: str, otherwise: str) -> None:
    """SettingsError unless ``channel`` is on a platform that is on (`feeds add --channel`)."""
    _check_platform(channel, where, _enabled(settings), otherwise)


def check_platforms(
    settings: Settings,
    saved_routes: Iterable[ChannelRoute] = (),
    stored_feeds: Iterable[tuple[str, str | None]] = (),
) -> list[str]:
    """Before the bot starts: every channel something is sent to is on a platform that is on,
    or its alerts would wait in the outbox forever — the config's [[channels]] and [[feeds]],
    and, once the database is open, the routing saved from chat (``saved_routes``) and the
    feeds added from chat or the command line (``stored_feeds``: url and channel).
    (`verbatim doctor` reports the config's without stopping.)

    A stored feed whose channel names no platform at all (added before `feeds add` refused
    one) does not stop start-up: its channel is ignored (`bot.app.sources.ingest_from_feed`)
    and what to do about it is returned, a line each, for the caller to say."""
    enabled = _enabled(settings)
    ignored: list[str] = []
    if settings.routes != Settings.routes:  # the embedded default route is not a choice
        for n, route in enumerate(settings.routes):
            _check_platform(route.channel, f"channels[{n}].id", enabled)
    for n, feed in enumerate(settings.feeds):
        if feed.channel is not None:
            _check_platform(feed.channel, f"feeds[{n}].channel", enabled)
    for route in saved_routes:
        forget = (
            f"or forget it: sqlite3 {settings.db_path}"
            f" \"delete from channel_routes where channel = '{route.channel}'\""
        )
        _check_platform(route.channel, "the routing saved from chat for", enabled, forget)
    for url, channel in stored_feeds:
        if channel is not None and not on_known_platform(channel):
            ignored.append(
                f"feed {url} sends to {channel!r}, on no known platform (console, slack or"
                " discord): it is polled, its alerts go by the configured routing; to send"
                f" them to a channel, `verbatim feeds remove {url}` and add it again with"
                " --channel"
            )
        elif channel is not None:
            where = f"feed {url} (added from chat or `verbatim feeds add`) sends to"
            _check_platform(channel, where, enabled, f"or `verbatim feeds remove {url}`")
    return ignored


def admin_channels(settings: Settings) -> dict[str, tuple[str, ...]]:
    """Where each platform's admins can be told what went wrong: on Slack, a message to a
    listed admin's user id lands in their direct messages with the bot. Discord admins are
    roles, which cannot be messaged; they are told in the channel."""
    admins = (settings.slack or {}).get("admins") or []
    if not isinstance(admins, list | tuple):
        return {}
    return {
        "slack": tuple(f"slack:{a.strip()}" for a in admins if isinstance(a, str) and a.strip())
    }


def _check_platform(
    channel: str,
    where: str,
    enabled: Mapping[str, bool],
    otherwise: str = "or remove the channel",
) -> None:
    """A channel must be on a platform that is on, or its alerts would wait forever."""
    platform = channel.split(":", 1)[0]
    if platform not in PLATFORMS:
        raise SettingsError(
            f"{where} {channel!r}: unknown platform {platform!r} (use console, slack or discord)"
        )
    if not enabled[platform]:
        raise SettingsError(
            f"{where} {channel!r} is on {platform}, which is not enabled: set [{platform}]"
            f" enabled = true, {otherwise}"
        )


def _fail(message: str) -> Any:
    raise SettingsError(message)


def load_settings(
    path: str | Path | None, env: Mapping[str, str], db_override: str | None = None
) -> Settings:
    """Read ``path`` (or ./verbatim.toml if present, else the embedded defaults)."""
    if path is None and DEFAULT_CONFIG_PATH.exists():
        path = DEFAULT_CONFIG_PATH
    data: dict[str, Any] = {}
    source = "embedded defaults"
    if path is not None:
        p = Path(path)
        if not p.exists():
            raise SettingsError(f"config file {p} does not exist (create one with `verbatim init`)")
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{p} is not valid TOML: {exc}") from None
        except UnicodeDecodeError:
            raise SettingsError(f"{p} is not UTF-8 text (a TOML file is)") from None
        except IsADirectoryError:
            raise SettingsError(f"config file {p} is a directory, not a TOML file") from None
        except OSError as exc:
            raise SettingsError(f"config file {p} cannot be read: {exc.strerror or exc}") from None
        source = str(p)
    settings = settings_from_mapping(data, env, source)
    if db_override:
        settings = _replace_db(settings, Path(db_override))
    return settings


def _replace_db(settings: Settings, path: Path) -> Settings:
    from dataclasses import replace

    return replace(settings, db_path=path)
